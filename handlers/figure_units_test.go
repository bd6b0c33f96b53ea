package handlers_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestFigureValuesCheckedPerUnit (issue 15, finding 15): a count of people
// is not negative, a percentage is 0 to 100, and a unit that says it is a
// change takes negative values; each refusal re-renders the form with a
// message.
func TestFigureValuesCheckedPerUnit(t *testing.T) {
	w := newAnnotationWorld(t)
	const quote = "an estimated 100,000 North Koreans"
	for _, tc := range []struct {
		low, high, unit string
		status          int
		msg             string
	}{
		{"-5", "", "people", http.StatusUnprocessableEntity, "cannot be negative"},
		{"-5", "10", "people per year", http.StatusUnprocessableEntity, "cannot be negative"},
		{"40", "140", "percent", http.StatusUnprocessableEntity, "at most 100"},
		{"40", "140", "%", http.StatusUnprocessableEntity, "at most 100"},
		{"-5", "3", "percent change", http.StatusSeeOther, ""},
		{"-2,000", "", "people, net change", http.StatusSeeOther, ""},
		{"-12", "", "degrees Celsius", http.StatusSeeOther, ""},
		{"0", "100,000", "people", http.StatusSeeOther, ""},
	} {
		f := figureForm(quote, tc.low, tc.high, "", "", "private")
		f.Set("unit", tc.unit)
		rec := w.member.post("/articles/"+slug+"/annotations", f)
		if rec.Code != tc.status {
			t.Errorf("%s to %s %s: %d, want %d", tc.low, tc.high, tc.unit, rec.Code, tc.status)
			continue
		}
		if tc.msg != "" {
			doc := parse(t, rec)
			if msg := doc.Find(`[data-testid="form-error"]`).Text(); !strings.Contains(msg, tc.msg) {
				t.Errorf("%s %s: message %q", tc.low, tc.unit, msg)
			}
			if doc.Find(`input[name="low"]`).AttrOr("value", "") != tc.low {
				t.Errorf("%s %s: the form lost what was typed", tc.low, tc.unit)
			}
		}
	}
}

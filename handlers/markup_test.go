package handlers_test

import (
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"gloss/handlers"
)

var inputTag = regexp.MustCompile(`<input\b[^>]*>`)

// TestFormFieldsMarkup (issue 15, finding 24): inputs from views/form.templ
// carry no stray "else" attribute, and a field with an error and a hint
// names both once in aria-describedby.
func TestFormFieldsMarkup(t *testing.T) {
	e, _ := newAppWith(t, handlers.Config{Signup: true})
	cl := newClient(t, e)
	for _, rec := range []*httpRec{
		{"GET /login", cl.get("/login").Body.String()},
		{"POST /signup with errors", cl.post("/signup", url.Values{"email": {""}, "name": {""}, "password": {""}}).Body.String()},
	} {
		inputs := inputTag.FindAllString(rec.body, -1)
		if len(inputs) < 2 {
			t.Fatalf("%s: %d inputs", rec.name, len(inputs))
		}
		for _, in := range inputs {
			if regexp.MustCompile(`\selse[\s/>=]`).MatchString(in) {
				t.Errorf("%s: an input carries an else attribute: %s", rec.name, in)
			}
			if n := strings.Count(in, "aria-describedby="); n > 1 {
				t.Errorf("%s: aria-describedby %d times: %s", rec.name, n, in)
			}
		}
	}
	doc := parse(t, cl.post("/signup", url.Values{"email": {"ada@example.org"}, "name": {""}, "password": {"a long enough password"}}))
	name := doc.Find("#f-name")
	if got := name.AttrOr("aria-describedby", ""); got != "f-name-error f-name-hint" || name.AttrOr("aria-invalid", "") != "true" {
		t.Errorf("the name field with an error and a hint: aria-describedby %q", got)
	}
	if doc.Find("#f-name-error").Length() != 1 || doc.Find("#f-name-hint").Length() != 1 {
		t.Error("the ids aria-describedby names are not in the page")
	}
}

type httpRec struct{ name, body string }

// TestEvidenceNavShowsCurrent (issue 15, finding 24): the evidence
// sub-navigation marks the current view with aria-current="true", the value
// the stylesheet shows in bold.
func TestEvidenceNavShowsCurrent(t *testing.T) {
	e, _ := newApp(t)
	css, err := os.ReadFile("../static/css/app.css")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(css), `.evidence-nav a[aria-current="true"]`) {
		t.Fatal("the stylesheet no longer styles the current evidence view")
	}
	for path, want := range map[string]string{"/voices": "Voices", "/figures": "Figures", "/timeline": "Timeline"} {
		rec := get(t, e, path)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d", path, rec.Code)
		}
		doc := parse(t, rec)
		cur := doc.Find(`.evidence-nav a[aria-current="true"]`)
		if cur.Length() != 1 || cur.Text() != want || cur.AttrOr("href", "") != path {
			t.Errorf("%s: the current view is marked on %d links (%q)", path, cur.Length(), cur.Text())
		}
		if n := doc.Find(`.evidence-nav a`).Length(); n != 3 {
			t.Errorf("%s: %d links in the evidence navigation", path, n)
		}
	}
}

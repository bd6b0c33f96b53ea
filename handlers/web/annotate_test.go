package web

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"gloss/db"
	"gloss/views"
)

func TestInPlace(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	if InPlace(r) {
		t.Error("a plain request is in place")
	}
	r.Header.Set(FragmentHeader, "true")
	if !InPlace(r) {
		t.Error("the reader's script's request is not in place")
	}
}

// TestEvidenceRoundTrip: what the edit form is filled with (EvidenceValues)
// reads back (EvidenceInput) as the same evidence.
func TestEvidenceRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		ev   db.Evidence
		want db.EvidenceInput
	}{
		{db.Evidence{Kind: db.KindEntity, EntityName: "UNHCR"}, db.EvidenceInput{Kind: db.KindEntity, Entity: "UNHCR"}},
		{db.Evidence{Kind: db.KindQuote, EntityName: "Kim"}, db.EvidenceInput{Kind: db.KindQuote, Speaker: "Kim"}},
		{db.Evidence{Kind: db.KindFigure, Low: 100000, High: 300000, Unit: "people", Counted: "refugees", RefDate: "2002", EntityName: "NGOs"},
			db.EvidenceInput{Kind: db.KindFigure, Low: "100,000", High: "300,000", Unit: "people", Counted: "refugees", RefDate: "2002", Estimator: "NGOs"}},
		{db.Evidence{Kind: db.KindFigure, Low: 5, High: 5}, db.EvidenceInput{Kind: db.KindFigure, Low: "5"}},
		{db.Evidence{Kind: db.KindEvent, DateFrom: "2002-03-14", DateTo: "2002-03-15", PlaceName: "Beijing"},
			db.EvidenceInput{Kind: db.KindEvent, DateFrom: "2002-03-14", DateTo: "2002-03-15", Place: "Beijing"}},
	} {
		f := views.Form{Values: EvidenceValues(tc.ev)}
		for name := range f.Values {
			if !ValidOption(fieldOptions(), name) {
				t.Errorf("%s: EvidenceValues fills %q, which the form does not read", tc.ev.Kind, name)
			}
		}
		if got := EvidenceInput(f); got != tc.want {
			t.Errorf("%s: read back %+v, want %+v", tc.ev.Kind, got, tc.want)
		}
	}
}

func fieldOptions() []views.Option {
	var out []views.Option
	for _, n := range EvidenceFields {
		out = append(out, views.Option{Value: n})
	}
	return out
}

func TestDefaultAudience(t *testing.T) {
	member := db.Viewer{UserID: 3, Roles: map[int64]db.Role{7: db.RoleMember}}
	for _, tc := range []struct {
		name  string
		prefs db.Preferences
		want  map[string]string
	}{
		{"private", db.Preferences{Visibility: db.Private}, map[string]string{"visibility": "private", "group": "0"}},
		{"a group of theirs", db.Preferences{Visibility: db.Shared, GroupID: 7}, map[string]string{"visibility": "group", "group": "7"}},
		{"a group left", db.Preferences{Visibility: db.Shared, GroupID: 8}, map[string]string{"visibility": "private", "group": "8"}},
		{"public is never a default", db.Preferences{Visibility: db.Public}, map[string]string{"visibility": "private", "group": "0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r = r.WithContext(WithViewer(r.Context(), member))
			got, err := DefaultAudience(r, func(_ context.Context, id int64) (db.Preferences, error) {
				if id != 3 {
					t.Errorf("preferences of %d, not the viewer's", id)
				}
				return tc.prefs, nil
			})
			if err != nil || len(got) != len(tc.want) || got["visibility"] != tc.want["visibility"] || got["group"] != tc.want["group"] {
				t.Errorf("DefaultAudience = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	boom := errors.New("boom")
	if _, err := DefaultAudience(r, func(context.Context, int64) (db.Preferences, error) { return db.Preferences{}, boom }); !errors.Is(err, boom) {
		t.Errorf("a store error is %v", err)
	}
}

func TestRefused(t *testing.T) {
	f := views.Form{}
	Refused(&f, db.FieldErrorf("emails", "Not an address."))
	if f.Error != "Not an address." || f.Errors["emails"] != "Not an address." {
		t.Errorf("a field's refusal: %+v", f)
	}
	g := views.Form{}
	Refused(&g, db.Errorf(db.EINVALID, "No."))
	if g.Error != "No." || len(g.Errors) != 0 {
		t.Errorf("a form's refusal: %+v", g)
	}
}

func TestGroupAccess(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r = r.WithContext(WithViewer(r.Context(), db.Viewer{UserID: 1, Roles: map[int64]db.Role{4: db.RoleOwner}}))
	if id, err := GroupAccess(r, "4", db.Viewer.ManageGroup); id != 4 || err != nil {
		t.Errorf("an owner managing their group: %d, %v", id, err)
	}
	if _, err := GroupAccess(r, "5", db.Viewer.ManageGroup); err == nil {
		t.Error("managing another's group is allowed")
	}
	if _, err := GroupAccess(r, "x", db.Viewer.ViewGroup); db.ErrorCode(err) != db.ENOTFOUND {
		t.Errorf("a group id that is no number: %v", err)
	}
}

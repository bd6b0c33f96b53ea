package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gloss/db"
)

// TestNamesRefuseInvisibleCharacters (issue 15, finding 11): display names,
// group names and tags that would read as another (a right-to-left
// override, a zero-width space, a blank Hangul filler) are refused with a
// message, on every form that sets them.
func TestNamesRefuseInvisibleCharacters(t *testing.T) {
	w := newAnnotationWorld(t)
	fakes := map[string]string{
		"right-to-left override": "Alice\u202EecilA",
		"zero-width space":       "Al\u200Bice",
		"left-to-right mark":     "\u200EAlice",
		"Hangul filler":          "Alice\u3164",
		"byte-order mark":        "Ali\uFEFFce",
	}
	for name, fake := range fakes {
		t.Run(name, func(t *testing.T) {
			for _, tc := range []struct {
				cl   *client
				path string
				form url.Values
			}{
				{w.member, "/account/profile", url.Values{"name": {fake}}},
				{w.member, "/groups", url.Values{"name": {fake}}},
				{w.member, "/articles/" + slug + "/annotations", url.Values{"exact": {"an estimated 100,000 North Koreans"}, "tags": {strings.ToLower(fake)}, "visibility": {"private"}}},
			} {
				rec := tc.cl.post(tc.path, tc.form)
				if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "invisible or direction-changing character") {
					t.Errorf("%s with %q: %d", tc.path, fake, rec.Code)
				}
			}
			if _, err := w.store.CreateUser(context.Background(), db.NewUser{Email: "fake@example.org", Name: fake, Password: testPassword}); db.ErrorCode(err) != db.EINVALID {
				t.Errorf("an account named %q: %v", fake, err)
			}
		})
	}
	if got := mustViewer(t, w.store, "member@example.org").Name; got != "Member" {
		t.Errorf("the name changed to %q", got)
	}
	// Names in other scripts, with their marks, are fine.
	for _, ok := range []string{"Zoë Ångström", "김민지", "محمد", "Rene\u0301e"} {
		if rec := w.member.post("/account/profile", url.Values{"name": {ok}}); rec.Code != http.StatusSeeOther {
			t.Errorf("the name %q refused: %d", ok, rec.Code)
		}
	}
}

// TestSameNameInGroupWarned (issue 15, finding 11): taking the name of
// someone in a group one shares, or joining a group where someone has
// one's name, is allowed with a warning.
func TestSameNameInGroupWarned(t *testing.T) {
	w := newAnnotationWorld(t)
	flash := func(cl *client) string {
		return parse(t, cl.get("/account")).Find(`[data-testid="flash"]`).Text()
	}
	if rec := w.member.post("/account/profile", url.Values{"name": {"ＯＷＮＥＲ"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("rename: %d", rec.Code)
	}
	if got := flash(w.member); !strings.Contains(got, "Someone else in Seminar has the same name") {
		t.Errorf("taking the owner's name (full-width, capitals) was not warned: %q", got)
	}
	if rec := w.outsider.post("/account/profile", url.Values{"name": {"Owner"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("rename: %d", rec.Code)
	}
	if got := flash(w.outsider); strings.Contains(got, "same name") {
		t.Errorf("a name used only outside one's groups was warned: %q", got)
	}
	// Joining the group brings the warning.
	ctx := context.Background()
	token, _, err := w.store.CreateInvite(ctx, db.NewInvite{GroupID: w.group.ID, Role: db.RoleMember, CreatedBy: mustViewer(t, w.store, "owner@example.org").UserID})
	if err != nil {
		t.Fatal(err)
	}
	rec := w.outsider.post("/invites/"+token, url.Values{})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("join: %d", rec.Code)
	}
	if got := parse(t, w.outsider.get(rec.Header().Get("Location"))).Find(`[data-testid="flash"]`).Text(); !strings.Contains(got, "Someone else in Seminar has the same name") {
		t.Errorf("joining a group with a namesake was not warned: %q", got)
	}
}

package handlers_test

import (
	"net/http"
	"net/url"
	"testing"

	"gloss/handlers"
)

// TestLoginNextNeverALoginPage (issue 15, finding 23): on a sign-in page
// reached with ?next=, its own Sign in link, the form and the sign-up link
// return to the original page, never to another sign-in page, however
// deeply a crawler nested them; signing in lands there too.
func TestLoginNextNeverALoginPage(t *testing.T) {
	e, store := newAppWith(t, handlers.Config{Signup: true})
	mustUser(t, store, "ada@example.org", "Ada", false)
	nested := "/tags"
	for range 4 {
		nested = "/login?next=" + url.QueryEscape(nested)
	}
	for _, page := range []string{"/login?next=" + url.QueryEscape(nested), "/signup?next=" + url.QueryEscape(nested), "/tags/nope"} {
		cl := newClient(t, e)
		rec := cl.get(page)
		if rec.Code == http.StatusSeeOther {
			rec = cl.get(rec.Header().Get("Location"))
		}
		doc := parse(t, rec)
		want := "/login?next=%2Ftags"
		if page == "/tags/nope" {
			want = "/login?next=%2Ftags%2Fnope"
		}
		if got := doc.Find(`[data-testid="sign-in-link"]`).AttrOr("href", ""); got != want {
			t.Errorf("on %s the Sign in link is %q, want %q", page, got, want)
		}
		if v, ok := doc.Find(`input[name="next"]`).Attr("value"); ok && page != "/tags/nope" && v != "/tags" {
			t.Errorf("on %s the form returns to %q", page, v)
		}
		if href, ok := doc.Find(`a[href^="/signup"]`).Attr("href"); ok && href != "/signup?next=%2Ftags" {
			t.Errorf("on %s the sign-up link is %q", page, href)
		}
	}
	cl := newClient(t, e)
	rec := cl.post("/login", url.Values{"email": {"ada@example.org"}, "password": {testPassword}, "next": {nested}})
	if loc := rec.Header().Get("Location"); loc != "/tags" {
		t.Errorf("signing in with a nested next went to %q", loc)
	}
}

package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"gloss/db"
)

var inviteLink = regexp.MustCompile(`/invites/inv_[A-Za-z0-9_-]+`)

// TestGroupInviteMakesAccountWhenAllowed (issue 15, finding 25): a group's
// owner may let an invitation link make accounts; someone without an
// account then makes one from it and is in the group at once, as the link's
// role, for one use of it. A link without that choice offers only to sign
// in, and makes no account whatever is posted to it.
func TestGroupInviteMakesAccountWhenAllowed(t *testing.T) {
	e, store := newApp(t)
	ctx := context.Background()
	mustUser(t, store, "owner@example.org", "Owner", false)
	owner := signedIn(t, e, "owner@example.org")
	groupPath := owner.post("/groups", url.Values{"name": {"Seminar"}}).Header().Get("Location")
	makeLink := func(form url.Values) string {
		rec := owner.post(groupPath+"/invites", form)
		if rec.Code != http.StatusCreated {
			t.Fatalf("make invite: %d", rec.Code)
		}
		return inviteLink.FindString(parse(t, rec).Find(`[data-testid="invite-url"]`).Text())
	}
	open := makeLink(url.Values{"role": {"member"}, "uses": {"2"}, "signup": {"1"}})
	closed := makeLink(url.Values{"role": {"member"}, "uses": {"2"}})
	if got := parse(t, owner.get(groupPath)).Find(`[data-testid="invites"]`).Text(); strings.Count(got, "makes accounts") != 1 {
		t.Errorf("the open invitations do not say which makes accounts: %q", got)
	}

	newcomer := newClient(t, e)
	page := parse(t, newcomer.get(open))
	if page.Find(`[data-testid="invite-signup-form"]`).Length() != 1 || page.Find(`a[href^="/login"]`).Length() == 0 {
		t.Fatal("a link that makes accounts does not offer to make one (and to sign in)")
	}
	if rec := newcomer.post(open, url.Values{"email": {"nina@example.org"}, "name": {""}, "password": {testPassword}}); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("no name: %d", rec.Code)
	}
	rec := newcomer.post(open, url.Values{"email": {"nina@example.org"}, "name": {"Nina"}, "password": {testPassword}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != groupPath {
		t.Fatalf("make an account from the link: %d to %q\n%s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	doc := parse(t, newcomer.get(groupPath))
	if got := doc.Find(`[data-testid="my-role"] strong`).Text(); got != "member" {
		t.Errorf("the new account's role: %q", got)
	}
	if got := doc.Find(`[data-testid="flash"]`).Text(); !strings.Contains(got, "Welcome to Gloss, Nina. You joined Seminar.") {
		t.Errorf("flash %q", got)
	}
	// One more use is left; then the link is used up.
	if rec := newClient(t, e).post(open, url.Values{"email": {"omar@example.org"}, "name": {"Omar"}, "password": {testPassword}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("second account: %d", rec.Code)
	}
	if rec := newClient(t, e).post(open, url.Values{"email": {"pia@example.org"}, "name": {"Pia"}, "password": {testPassword}}); rec.Code != http.StatusGone {
		t.Errorf("a used-up link: %d", rec.Code)
	}

	// A link without the owners' leave makes no account.
	stranger := newClient(t, e)
	if parse(t, stranger.get(closed)).Find(`[data-testid="invite-signup-form"]`).Length() != 0 {
		t.Error("a link that makes no accounts offers to make one")
	}
	rec = stranger.post(closed, url.Values{"email": {"sam@example.org"}, "name": {"Sam"}, "password": {testPassword}})
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
		t.Errorf("posting an account to a link that makes none: %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	for _, email := range []string{"sam@example.org", "pia@example.org"} {
		if _, err := store.UserByEmail(ctx, email); db.ErrorCode(err) != db.ENOTFOUND {
			t.Errorf("%s has an account", email)
		}
	}
}

// TestSecretLinksHaveCopyButtons (issue 15, finding 25): every link or
// token shown only once (an API token, an account or group invitation, a
// share link) comes with a Copy button for the script to reveal, tied to
// the text it copies, which stays on the page as plain text.
func TestSecretLinksHaveCopyButtons(t *testing.T) {
	w := newCollectionWorld(t)
	check := func(name string, rec *httpRec, prefix string) {
		t.Helper()
		doc := parseString(t, rec.body)
		b := doc.Find(`button[data-copy]`)
		if b.Length() != 1 {
			t.Fatalf("%s: %d copy buttons", name, b.Length())
		}
		if _, hidden := b.Attr("hidden"); !hidden || b.AttrOr("type", "") != "button" {
			t.Errorf("%s: the button is not a hidden type=button until the script shows it", name)
		}
		target := doc.Find("#" + b.AttrOr("data-copy", ""))
		if !strings.HasPrefix(strings.TrimSpace(target.Text()), prefix) {
			t.Errorf("%s: the button copies %q", name, target.Text())
		}
		if doc.Find(`script[src*="/js/copy."]`).Length() != 1 {
			t.Errorf("%s: the copy script is not on the page", name)
		}
	}
	rec := w.member.post("/account/tokens", url.Values{"name": {"script"}})
	check("API token", &httpRec{"", rec.Body.String()}, "gls_")
	rec = w.owner.post(fmt.Sprintf("/groups/%d/invites", w.group.ID), url.Values{"role": {"member"}, "uses": {"3"}})
	check("group invitation", &httpRec{"", rec.Body.String()}, origin+"/invites/inv_")
	rec = w.admin.post("/admin/invites", url.Values{"email": {""}})
	check("account invitation", &httpRec{"", rec.Body.String()}, origin+"/invites/inv_")
	rec = w.owner.post(fmt.Sprintf("/collections/%d/share", w.lesson), nil)
	check("share link", &httpRec{"", rec.Body.String()}, origin+"/s/")
}

func parseString(t *testing.T, html string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

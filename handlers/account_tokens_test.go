package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestTokensCannotManageAccount (issue 15, finding 8): an API token cannot
// make tokens, revoke tokens or sessions, change the password or read the
// account page; those are the browser's, with the password.
func TestTokensCannotManageAccount(t *testing.T) {
	e, store := newApp(t)
	ctx := context.Background()
	ada := mustUser(t, store, "ada@example.org", "Ada", false)
	browser := signedIn(t, e, "ada@example.org")
	raw, tok, err := store.CreateAPIToken(ctx, ada.ID, "script")
	if err != nil {
		t.Fatal(err)
	}
	sessions, _ := store.UserSessions(ctx, ada.ID)
	bearer := []string{"Authorization", "Bearer " + raw}
	api := newClient(t, e)
	for _, tc := range []struct {
		method, path string
		form         url.Values
	}{
		{http.MethodPost, "/account/tokens", url.Values{"name": {"another"}}},
		{http.MethodPost, fmt.Sprintf("/account/tokens/%d/revoke", tok.ID), url.Values{}},
		{http.MethodPost, fmt.Sprintf("/account/sessions/%d/revoke", sessions[0].ID), url.Values{}},
		{http.MethodPost, "/account/password", url.Values{"current": {testPassword}, "password": {"a brand new password"}}},
		{http.MethodPost, "/account/profile", url.Values{"name": {"Mallory"}}},
		{http.MethodGet, "/account", nil},
	} {
		var form url.Values
		if tc.method == http.MethodPost {
			form = tc.form
		}
		rec := api.do(tc.method, tc.path, form, bearer...)
		if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "API token cannot manage the account") {
			t.Errorf("%s %s with a token: %d", tc.method, tc.path, rec.Code)
		}
	}
	if tokens, _ := store.APITokens(ctx, ada.ID); len(tokens) != 1 {
		t.Errorf("the token changed the tokens: %d now", len(tokens))
	}
	if rec := browser.get("/account"); rec.Code != http.StatusOK {
		t.Errorf("a token signed the browser out: %d", rec.Code)
	}
	if _, err := store.Authenticate(ctx, "ada@example.org", testPassword); err != nil {
		t.Errorf("a token changed the password: %v", err)
	}
	// The token still does what tokens are for.
	if rec := api.get("/api/me", bearer...); rec.Code != http.StatusOK {
		t.Errorf("/api/me with the token: %d", rec.Code)
	}
}

// TestPasswordChangeOffersToRevokeTokens (issue 15, finding 8): the
// password form offers, ticked, to revoke the API tokens, says why, and
// does it; unticked, the tokens keep working and the page says so.
func TestPasswordChangeOffersToRevokeTokens(t *testing.T) {
	e, store := newApp(t)
	ctx := context.Background()
	ada := mustUser(t, store, "ada@example.org", "Ada", false)
	cl := signedIn(t, e, "ada@example.org")
	mkToken := func() []string {
		raw, _, err := store.CreateAPIToken(ctx, ada.ID, "script")
		if err != nil {
			t.Fatal(err)
		}
		return []string{"Authorization", "Bearer " + raw}
	}
	first, second := mkToken(), mkToken()
	doc := parse(t, cl.get("/account"))
	box := doc.Find(`#f-revoke-tokens`)
	if box.Length() != 1 || box.AttrOr("name", "") != "revoke_tokens" || box.AttrOr("checked", "x") == "x" {
		t.Fatal("the password form does not offer, ticked, to revoke the tokens")
	}
	if hint := doc.Find(`[data-testid="revoke-tokens-hint"]`).Text(); !strings.Contains(hint, "2 tokens work") {
		t.Errorf("the offer does not say what the tokens do: %q", hint)
	}
	api := newClient(t, e)
	// Unticked: the tokens stay, and the page says so.
	rec := cl.post("/account/password", url.Values{"current": {testPassword}, "password": {"a second long password"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("change: %d", rec.Code)
	}
	if flash := parse(t, cl.get("/account")).Find(`[data-testid="flash"]`).Text(); !strings.Contains(flash, "Your API tokens still work") {
		t.Errorf("keeping the tokens is not said: %q", flash)
	}
	if rec := api.get("/api/me", first...); rec.Code != http.StatusOK {
		t.Errorf("unticked, a token was revoked: %d", rec.Code)
	}
	// Ticked: both are revoked.
	rec = cl.post("/account/password", url.Values{"current": {"a second long password"}, "password": {"a third long password"}, "revoke_tokens": {"1"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("change: %d", rec.Code)
	}
	if flash := parse(t, cl.get("/account")).Find(`[data-testid="flash"]`).Text(); !strings.Contains(flash, "your 2 API tokens are revoked") {
		t.Errorf("the flash does not say the tokens are revoked: %q", flash)
	}
	for _, h := range [][]string{first, second} {
		if rec := api.get("/api/me", h...); rec.Code != http.StatusUnauthorized {
			t.Errorf("a token survived the password change: %d", rec.Code)
		}
	}
}

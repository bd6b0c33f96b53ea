package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gloss/db"
	"gloss/handlers"
)

func TestSignIn(t *testing.T) {
	e, store := newApp(t)
	mustUser(t, store, "ada@example.org", "Ada", false)

	t.Run("RotatesSessionAndReturns", func(t *testing.T) {
		cl := newClient(t, e)
		rec := cl.get("/account")
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login?next=%2Faccount" {
			t.Fatalf("signed out /account: %d to %q", rec.Code, rec.Header().Get("Location"))
		}
		// A visit that stores something in the session gets a cookie before sign-in.
		cl.post("/login", url.Values{"email": {"ada@example.org"}, "password": {"wrong password!!"}})
		before := cl.sessionCookie()
		rec = cl.post("/login", url.Values{"email": {"ADA@example.org"}, "password": {testPassword}, "next": {"/account"}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/account" {
			t.Fatalf("sign in: %d to %q\n%s", rec.Code, rec.Header().Get("Location"), rec.Body)
		}
		after := cl.sessionCookie()
		if after == "" || after == before {
			t.Errorf("session token not rotated on sign-in (before %q, after %q)", before, after)
		}
		for _, c := range rec.Result().Cookies() {
			if c.Name == "gloss_session" && (!c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure) {
				t.Errorf("cookie flags: HttpOnly %v, SameSite %v, Secure %v", c.HttpOnly, c.SameSite, c.Secure)
			}
		}
		page := parse(t, cl.get("/account"))
		if got := page.Find(`[data-testid="account-link"]`).Text(); got != "Ada" {
			t.Errorf("header shows %q", got)
		}
		if rec := cl.post("/logout", nil); rec.Code != http.StatusSeeOther {
			t.Fatalf("sign out: %d", rec.Code)
		}
		if rec := cl.get("/account"); rec.Code != http.StatusSeeOther {
			t.Errorf("after sign-out /account: %d", rec.Code)
		}
	})
	t.Run("ErrWrongPassword", func(t *testing.T) {
		cl := newClient(t, e)
		rec := cl.post("/login", url.Values{"email": {"ada@example.org"}, "password": {"not it at all"}})
		if rec.Code != http.StatusUnauthorized {
			t.Fatalf("status %d", rec.Code)
		}
		doc := parse(t, rec)
		if !strings.Contains(doc.Find(`[data-testid="form-error"]`).Text(), "not right") {
			t.Error("no clear message")
		}
		if doc.Find(`#f-email`).AttrOr("value", "") != "ada@example.org" {
			t.Error("the email was not kept in the form")
		}
	})
	t.Run("ErrEmptyFields", func(t *testing.T) {
		rec := newClient(t, e).post("/login", url.Values{"email": {""}, "password": {""}})
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Email is required") {
			t.Fatalf("status %d", rec.Code)
		}
	})
	t.Run("NextMustBeLocal", func(t *testing.T) {
		cl := newClient(t, e)
		for _, next := range []string{"https://evil.example/", "//evil.example/", "/\\evil.example"} {
			rec := cl.post("/login", url.Values{"email": {"ada@example.org"}, "password": {testPassword}, "next": {next}})
			if loc := rec.Header().Get("Location"); loc != "/" {
				t.Errorf("next=%q redirected to %q", next, loc)
			}
		}
	})
}

func TestCSRF(t *testing.T) {
	e, store := newApp(t)
	mustUser(t, store, "ada@example.org", "Ada", false)
	cl := signedIn(t, e, "ada@example.org")
	for name, header := range map[string][]string{
		"Sec-Fetch-Site cross-site": {"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"},
		"Origin only":               {"Sec-Fetch-Site", "", "Origin", "https://evil.example"},
	} {
		t.Run(name, func(t *testing.T) {
			rec := cl.post("/groups", url.Values{"name": {"Planted"}}, header...)
			if rec.Code != http.StatusForbidden {
				t.Fatalf("cross-origin POST: status %d", rec.Code)
			}
			if !strings.Contains(rec.Body.String(), "another site") {
				t.Error("no clear message")
			}
		})
	}
	groups, _ := store.GroupsOf(context.Background(), 1)
	if len(groups) != 0 {
		t.Errorf("a cross-origin POST created %d groups", len(groups))
	}
	if rec := cl.post("/groups", url.Values{"name": {"Ours"}}); rec.Code != http.StatusSeeOther {
		t.Errorf("same-origin POST: %d", rec.Code)
	}
}

func TestSignInThrottle(t *testing.T) {
	e, store := newApp(t)
	mustUser(t, store, "ada@example.org", "Ada", false)
	cl := newClient(t, e)
	wrong := url.Values{"email": {"ada@example.org"}, "password": {"wrong password!!"}}
	for i := 0; i < 5; i++ {
		if rec := cl.post("/login", wrong); rec.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, rec.Code)
		}
	}
	rec := cl.post("/login", wrong) // the 6th failure locks the account
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("6th attempt: %d", rec.Code)
	}
	// Now even the right password waits, from any address.
	other := newClient(t, e)
	other.ip = "198.51.100.7"
	rec = other.post("/login", url.Values{"email": {"ada@example.org"}, "password": {testPassword}})
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("locked account: status %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	if !strings.Contains(rec.Body.String(), "Too many sign-in attempts") {
		t.Error("no clear message")
	}
	// Another account from the first address is not locked yet.
	mustUser(t, store, "grace@example.org", "Grace", false)
	if rec := cl.post("/login", url.Values{"email": {"grace@example.org"}, "password": {testPassword}}); rec.Code != http.StatusSeeOther {
		t.Errorf("other account: %d", rec.Code)
	}
}

func TestPerIPThrottle(t *testing.T) {
	e, _ := newApp(t)
	cl := newClient(t, e)
	for i := 0; i < 31; i++ {
		cl.post("/login", url.Values{"email": {fmt.Sprintf("u%d@example.org", i)}, "password": {"wrong password!!"}})
	}
	if rec := cl.post("/login", url.Values{"email": {"fresh@example.org"}, "password": {"x"}}); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("after 31 failures from one IP: %d", rec.Code)
	}
}

func TestClientIP(t *testing.T) {
	// Without -trusted-proxy, X-Forwarded-For cannot dodge the IP throttle.
	e, _ := newApp(t)
	cl := newClient(t, e)
	for i := 0; i < 31; i++ {
		cl.post("/login", url.Values{"email": {fmt.Sprintf("u%d@example.org", i)}, "password": {"wrong password!!"}},
			"X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i))
	}
	if rec := cl.post("/login", url.Values{"email": {"x@example.org"}, "password": {"x"}}, "X-Forwarded-For", "203.0.113.200"); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("spoofed X-Forwarded-For escaped the throttle: %d", rec.Code)
	}
	// With the proxy trusted, the forwarded address is the client's.
	e2, _ := newAppWith(t, handlers.Config{TrustedProxies: []string{"192.0.2.1"}})
	cl2 := newClient(t, e2)
	for i := 0; i < 31; i++ {
		cl2.post("/login", url.Values{"email": {fmt.Sprintf("u%d@example.org", i)}, "password": {"wrong password!!"}}, "X-Forwarded-For", "203.0.113.1")
	}
	if rec := cl2.post("/login", url.Values{"email": {"x@example.org"}, "password": {"wrong password!!"}}, "X-Forwarded-For", "203.0.113.2"); rec.Code != http.StatusUnauthorized {
		t.Errorf("a different client behind the trusted proxy was throttled: %d", rec.Code)
	}
	if _, err := handlers.New(nil, handlers.Config{TrustedProxies: []string{"not-an-ip"}}); err == nil {
		t.Error("a bad -trusted-proxy was accepted")
	}
}

func TestTokenAuth(t *testing.T) {
	e, store := newApp(t)
	ada := mustUser(t, store, "ada@example.org", "Ada", false)
	cl := signedIn(t, e, "ada@example.org")
	rec := cl.post("/account/tokens", url.Values{"name": {"script"}})
	if rec.Code != http.StatusCreated {
		t.Fatalf("create token: %d", rec.Code)
	}
	token := regexp.MustCompile(`gls_[A-Za-z0-9_-]+`).FindString(parse(t, rec).Find(`[data-testid="new-token"]`).Text())
	if token == "" {
		t.Fatal("the new token is not shown")
	}
	api := newClient(t, e)
	rec = api.get("/api/me", "Authorization", "Bearer "+token)
	var me struct {
		ID    int64
		Email string
	}
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &me) != nil || me.ID != ada.ID {
		t.Fatalf("/api/me with token: %d %s", rec.Code, rec.Body)
	}
	if rec := api.get("/api/me"); rec.Code != http.StatusUnauthorized || rec.Header().Get("WWW-Authenticate") == "" {
		t.Errorf("/api/me without token: %d", rec.Code)
	}
	if rec := api.get("/api/me", "Authorization", "Bearer gls_forged"); rec.Code != http.StatusUnauthorized {
		t.Errorf("forged token: %d", rec.Code)
	}
	if rec := api.get("/api/me", "Authorization", "Basic abc"); rec.Code != http.StatusUnauthorized {
		t.Errorf("wrong scheme: %d", rec.Code)
	}
	tokens, _ := store.APITokens(context.Background(), ada.ID)
	if rec := cl.post(fmt.Sprintf("/account/tokens/%d/revoke", tokens[0].ID), nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("revoke: %d", rec.Code)
	}
	if rec := api.get("/api/me", "Authorization", "Bearer "+token); rec.Code != http.StatusUnauthorized {
		t.Errorf("revoked token still works: %d", rec.Code)
	}
}

func TestSessionsRevocable(t *testing.T) {
	e, store := newApp(t)
	ada := mustUser(t, store, "ada@example.org", "Ada", false)
	laptop := signedIn(t, e, "ada@example.org")
	phone := signedIn(t, e, "ada@example.org")
	doc := parse(t, laptop.get("/account"))
	if n := doc.Find(`[data-testid="sessions"] tbody tr`).Length(); n != 2 {
		t.Fatalf("%d sessions listed, want 2", n)
	}
	sessions, _ := store.UserSessions(context.Background(), ada.ID)
	var phoneID int64
	for _, s := range sessions { // the phone signed in last
		if phoneID == 0 || s.CreatedAt.After(sessions[0].CreatedAt) {
			phoneID = s.ID
		}
	}
	form := doc.Find(`[data-testid="sessions"] form`)
	if form.Length() != 1 {
		t.Fatalf("%d revoke buttons, want 1 (not for this browser)", form.Length())
	}
	if rec := laptop.post(form.AttrOr("action", ""), nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("revoke: %d", rec.Code)
	}
	if rec := phone.get("/account"); rec.Code != http.StatusSeeOther {
		t.Errorf("revoked browser still signed in: %d", rec.Code)
	}
	if rec := laptop.get("/account"); rec.Code != http.StatusOK {
		t.Errorf("revoking browser signed out: %d", rec.Code)
	}
	_ = phoneID
}

func TestAccountForms(t *testing.T) {
	e, store := newApp(t)
	mustUser(t, store, "ada@example.org", "Ada", false)
	cl := signedIn(t, e, "ada@example.org")
	for name, tc := range map[string]struct {
		path   string
		form   url.Values
		status int
		msg    string
	}{
		"empty name":       {"/account/profile", url.Values{"name": {""}}, 422, "Name is required"},
		"long name":        {"/account/profile", url.Values{"name": {strings.Repeat("x", 81)}}, 422, "at most 80"},
		"invalid utf8":     {"/account/profile", url.Values{"name": {"bad\xff"}}, 422, "not valid text"},
		"wrong current":    {"/account/password", url.Values{"current": {"nope nope nope"}, "password": {"a brand new password"}}, 422, "current password is not right"},
		"short new":        {"/account/password", url.Values{"current": {testPassword}, "password": {"short"}}, 422, "at least 10"},
		"empty token name": {"/account/tokens", url.Values{"name": {""}}, 422, "Token name is required"},
	} {
		t.Run(name, func(t *testing.T) {
			rec := cl.post(tc.path, tc.form)
			if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.msg) {
				t.Errorf("status %d, want %d with %q", rec.Code, tc.status, tc.msg)
			}
		})
	}
	if rec := cl.post("/account/profile", url.Values{"name": {"Ada Lovelace"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("rename: %d", rec.Code)
	}
	if got := parse(t, cl.get("/account")).Find(`[data-testid="account-link"]`).Text(); got != "Ada Lovelace" {
		t.Errorf("name now %q", got)
	}
}

func TestSignup(t *testing.T) {
	closed, _ := newApp(t)
	if rec := newClient(t, closed).get("/signup"); rec.Code != http.StatusNotFound {
		t.Errorf("signup off: GET %d", rec.Code)
	}
	if rec := newClient(t, closed).post("/signup", url.Values{"email": {"a@example.org"}, "name": {"A"}, "password": {testPassword}}); rec.Code != http.StatusNotFound {
		t.Errorf("signup off: POST %d", rec.Code)
	}
	open, store := newAppWith(t, handlers.Config{Signup: true})
	cl := newClient(t, open)
	if rec := cl.post("/signup", url.Values{"email": {"not an email"}, "name": {"A"}, "password": {testPassword}}); rec.Code != 422 {
		t.Errorf("bad email: %d", rec.Code)
	}
	if rec := cl.post("/signup", url.Values{"email": {"a@example.org"}, "name": {"A"}, "password": {testPassword}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("signup: %d %s", rec.Code, rec.Body)
	}
	if rec := cl.get("/account"); rec.Code != http.StatusOK {
		t.Errorf("not signed in after signup: %d", rec.Code)
	}
	if users, _ := store.Users(context.Background()); len(users) != 1 || users[0].Admin {
		t.Errorf("users %+v", users)
	}
}

func TestInviteLinks(t *testing.T) {
	e, store := newApp(t)
	mustUser(t, store, "admin@example.org", "Admin", true)
	admin := signedIn(t, e, "admin@example.org")
	rec := admin.post("/admin/invites", url.Values{"email": {""}})
	if rec.Code != http.StatusCreated {
		t.Fatalf("make invite: %d", rec.Code)
	}
	link := regexp.MustCompile(`/invites/inv_[A-Za-z0-9_-]+`).FindString(parse(t, rec).Find(`[data-testid="invite-url"]`).Text())
	if link == "" {
		t.Fatal("no invitation link shown")
	}
	guest := newClient(t, e)
	page := guest.get(link)
	if page.Code != http.StatusOK || page.Header().Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("invite page: %d, Referrer-Policy %q", page.Code, page.Header().Get("Referrer-Policy"))
	}
	if rec := guest.post(link, url.Values{"email": {"new@example.org"}, "name": {""}, "password": {testPassword}}); rec.Code != 422 {
		t.Errorf("missing name: %d", rec.Code)
	}
	if rec := guest.post(link, url.Values{"email": {"new@example.org"}, "name": {"Newcomer"}, "password": {testPassword}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("accept: %d %s", rec.Code, rec.Body)
	}
	if rec := newClient(t, e).get(link); rec.Code != http.StatusGone {
		t.Errorf("used invite: %d", rec.Code)
	}
	second := newClient(t, e)
	if rec := second.post(link, url.Values{"email": {"second@example.org"}, "name": {"Second"}, "password": {testPassword}}); rec.Code != http.StatusGone {
		t.Errorf("second use: %d", rec.Code)
	}
	if _, err := store.UserByEmail(context.Background(), "second@example.org"); db.ErrorCode(err) != db.ENOTFOUND {
		t.Error("a used invite made an account")
	}
}

func TestGroupInviteFlow(t *testing.T) {
	e, store := newApp(t)
	mustUser(t, store, "owner@example.org", "Owner", false)
	mustUser(t, store, "student@example.org", "Student", false)
	owner := signedIn(t, e, "owner@example.org")
	rec := owner.post("/groups", url.Values{"name": {"Seminar"}, "description": {""}})
	groupPath := rec.Header().Get("Location")
	rec = owner.post(groupPath+"/invites", url.Values{"role": {"viewer"}, "uses": {"30"}})
	if rec.Code != http.StatusCreated {
		t.Fatalf("make group invite: %d %s", rec.Code, rec.Body)
	}
	link := regexp.MustCompile(`/invites/inv_[A-Za-z0-9_-]+`).FindString(rec.Body.String())
	for name, form := range map[string]url.Values{
		"unknown role": {"role": {"king"}, "uses": {"1"}},
		"zero uses":    {"role": {"member"}, "uses": {"0"}},
		"not a number": {"role": {"member"}, "uses": {"lots"}},
	} {
		if rec := owner.post(groupPath+"/invites", form); rec.Code != 422 {
			t.Errorf("%s: %d", name, rec.Code)
		}
	}
	student := newClient(t, e)
	if rec := student.post(link, nil); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
		t.Fatalf("signed-out join: %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	student = signedIn(t, e, "student@example.org")
	if rec := student.post(link, nil); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != groupPath {
		t.Fatalf("join: %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	doc := parse(t, student.get(groupPath))
	if got := doc.Find(`[data-testid="my-role"] strong`).Text(); got != "viewer" {
		t.Errorf("role %q", got)
	}
	if strings.Contains(doc.Text(), "owner@example.org") {
		t.Error("a viewer sees members' email addresses")
	}
	if rec := student.post(groupPath+"/leave", nil); rec.Code != http.StatusSeeOther {
		t.Errorf("leave: %d", rec.Code)
	}
	if rec := student.get(groupPath); rec.Code != http.StatusNotFound {
		t.Errorf("after leaving: %d", rec.Code)
	}
	if rec := owner.post(groupPath+"/leave", nil); rec.Code != http.StatusConflict {
		t.Errorf("last owner leaving: %d", rec.Code)
	}
}

func TestMemberChangesExplainRefusals(t *testing.T) {
	e, store := newApp(t)
	mustUser(t, store, "owner@example.org", "Owner", false)
	owner := signedIn(t, e, "owner@example.org")
	groupPath := owner.post("/groups", url.Values{"name": {"Seminar"}}).Header().Get("Location")
	groups, _ := store.GroupsOf(context.Background(), 1)
	self := fmt.Sprintf("%s/members/%d/role", groupPath, 1)
	for name, tc := range map[string]struct {
		path   string
		form   url.Values
		status int
		msg    string
	}{
		"unknown role":      {self, url.Values{"role": {"king"}}, 422, "not a role"},
		"last owner demote": {self, url.Values{"role": {"viewer"}}, 409, "at least one owner"},
		"last owner leave":  {groupPath + "/leave", url.Values{}, 409, "at least one owner"},
	} {
		t.Run(name, func(t *testing.T) {
			rec := owner.post(tc.path, tc.form)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d", rec.Code, tc.status)
			}
			doc := parse(t, rec)
			if got := doc.Find(`[data-testid="form-error"]`).Text(); !strings.Contains(got, tc.msg) {
				t.Errorf("message %q", got)
			}
			if doc.Find(`[data-testid="members"]`).Length() != 1 {
				t.Error("the group page was not re-rendered")
			}
		})
	}
	if roles, _ := store.Memberships(context.Background(), 1); roles[groups[0].ID] != db.RoleOwner {
		t.Error("a refused change changed the role")
	}
}

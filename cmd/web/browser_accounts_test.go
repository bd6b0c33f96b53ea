package main

// Browser tests of accounts, groups and permissions: what a person does to
// sign in and out (by mouse and by keyboard alone), manage API tokens, run a
// group with invitation links, and invite people to Gloss. Each test runs
// axe on the pages it visits and takes their screenshots.

import (
	"context"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"gloss/db"
	"gloss/db/sqlite"
)

// gloss is the program running on a database that the test also opens, so
// it can make accounts and invitations directly; people get browser tabs of
// their own (separate cookie jars) on it.
type gloss struct {
	t     *testing.T
	base  string
	store *sqlite.Store
}

// person is an account and the password that signs it in.
type person struct {
	db.User
	Password string
}

// startGloss starts the program with extra flags (startServer takes none)
// and opens its database beside it.
func startGloss(t *testing.T, flags ...string) *gloss {
	t.Helper()
	chromium.get(t) // skip before starting anything when there is no browser
	dbPath := filepath.Join(t.TempDir(), "gloss.db")
	g := &gloss{t: t, base: startServer(t, dbPath, flags...)}
	store, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	g.store = store
	return g
}

// person makes an account.
func (g *gloss) person(name, email string, admin bool) person {
	g.t.Helper()
	pw := "correct horse battery " + strings.ToLower(strings.Fields(name)[0])
	u, err := g.store.CreateUser(context.Background(), db.NewUser{Email: email, Name: name, Password: pw, Admin: admin})
	if err != nil {
		g.t.Fatal(err)
	}
	return person{User: u, Password: pw}
}

// tab opens a tab on this server in a browser context of its own, so each
// person has their own cookies. It is newTab without the new server.
func (g *gloss) tab() *tab {
	g.t.Helper()
	return newTabAt(g.t, g.base)
}

// subtest runs f as a subtest whose failures the tab reports.
func (b *tab) subtest(name string, f func(t *testing.T)) {
	parent := b.t
	parent.Run(name, func(t *testing.T) {
		b.t = t
		defer func() { b.t = parent }()
		f(t)
	})
}

// expectRefusal is for a form whose answer is a 4xx page: Chromium logs
// that load of path as an error, which the test expects.
func (b *tab) expectRefusal(path string) {
	b.mu.Lock()
	b.allowed = append(b.allowed, b.base+path)
	b.mu.Unlock()
}

// typeInto types into the field as a person would: it focuses it and sends keys.
func (b *tab) typeInto(sel, text string) {
	b.t.Helper()
	b.run(chromedp.SendKeys(chromedp.CSS(sel), text))
}

// text is the trimmed text content of the first element matching sel.
func (b *tab) text(sel string) string {
	b.t.Helper()
	// Found and read in one evaluation, once there: an element looked up
	// and then read by its node id may be replaced in between (the reader
	// merges its parts when its live stream says so), which failed a test
	// now and then under load.
	found := value(b, chromedp.Poll[struct {
		Text string `json:"text"`
	}](`(e => e ? {text: e.textContent} : null)(document.querySelector(`+strconv.Quote(sel)+`))`, chromedp.WithPollingTimeout(waitTimeout)))
	return strings.TrimSpace(found.Text)
}

// has says whether an element matches sel.
func (b *tab) has(sel string) bool {
	b.t.Helper()
	return eval[bool](b, `document.querySelector(`+strconv.Quote(sel)+`) !== null`)
}

// texts is the trimmed text of every element matching sel.
func (b *tab) texts(sel string) []string {
	b.t.Helper()
	return eval[[]string](b, `[...document.querySelectorAll(`+strconv.Quote(sel)+`)].map(e => e.textContent.trim().replace(/\s+/g, ' '))`)
}

// submitSignIn fills the sign-in form on the current page and submits it.
func submitSignIn(b *tab, email, password string) {
	b.t.Helper()
	b.typeInto("#f-email", email)
	b.typeInto("#f-password", password)
	b.clickAndLoad(`[data-testid="login-form"] button[type="submit"]`)
}

// signIn signs p in from the sign-in page and checks the header greets them.
func signIn(b *tab, p person) {
	b.t.Helper()
	b.navigate("/login")
	submitSignIn(b, p.Email, p.Password)
	if got := b.text(`[data-testid="account-link"]`); got != p.Name {
		b.t.Fatalf("after signing in as %s the header shows %q", p.Email, got)
	}
}

// checkPage runs axe on the current page, checks that it fits a phone's
// screen, and takes its screenshots as shot.
func checkPage(b *tab, name, shot string) {
	b.t.Helper()
	b.axe(name)
	fitsPhone(b, name)
	b.screenshot(shot)
}

// fitsPhone checks that nothing on the current page makes it wider than a
// 390px phone, so no one has to scroll the whole page sideways (WCAG 1.4.10
// exempts a data table, not the page around it: it can scroll on its own).
func fitsPhone(b *tab, name string) {
	b.t.Helper()
	was := b.view
	b.setViewport(phone)
	defer b.setViewport(was)
	type fit struct {
		ScrollWidth int64    `json:"scrollWidth"`
		ClientWidth int64    `json:"clientWidth"`
		Wide        []string `json:"wide"`
	}
	got := eval[fit](b, `(() => {
		const root = document.documentElement, edge = root.clientWidth + 0.5;
		const tooWide = e => e.getBoundingClientRect().right > edge;
		return {
			scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
			// the outermost culprits: too wide inside a parent that fits
			wide: [...document.querySelectorAll('body *')]
				.filter(e => tooWide(e) && !tooWide(e.parentElement))
				.slice(0, 5)
				.map(e => e.tagName.toLowerCase() + (e.dataset.testid ? '[data-testid=' + e.dataset.testid + ']' : '') +
					(e.className ? '.' + String(e.className).trim().split(/\s+/).join('.') : '')),
		};
	})()`)
	if got.ScrollWidth > got.ClientWidth {
		b.t.Errorf("%s page is %dpx wide on a %dpx phone: the whole page scrolls sideways; too wide: %q",
			name, got.ScrollWidth, got.ClientWidth, got.Wide)
	}
}

// apiStatus calls GET /api/me with a bearer token.
func (g *gloss) apiStatus(token string) int {
	g.t.Helper()
	req, err := http.NewRequest(http.MethodGet, g.base+"/api/me", nil)
	if err != nil {
		g.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		g.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestBrowserSignIn(t *testing.T) {
	g := startGloss(t)
	ada := g.person("Ada Lovelace", "ada@example.org", false)
	b := g.tab()

	b.subtest("FromTheLibraryAndBack", func(t *testing.T) {
		b.navigate("/?sort=title")
		b.clickAndLoad(`[data-testid="sign-in-link"]`)
		if got := b.path(); got != "/login?next=%2F%3Fsort%3Dtitle" {
			t.Errorf("the Sign in link led to %q", got)
		}
		checkPage(b, "sign-in", "login")

		submitSignIn(b, ada.Email, ada.Password)
		if got := b.path(); got != "/?sort=title" {
			t.Errorf("after signing in the browser is at %q, want back at /?sort=title", got)
		}
		if got := b.text(`[data-testid="account-link"]`); got != ada.Name {
			t.Errorf("header shows %q, want the name %q", got, ada.Name)
		}
		if b.has(`[data-testid="sign-in-link"]`) {
			t.Error("the header still offers Sign in")
		}

		b.clickAndLoad(`.site-header form[action="/logout"] button`)
		if got := b.text(`[data-testid="flash"]`); got != "You are signed out." {
			t.Errorf("after signing out the message is %q", got)
		}
		if b.has(`[data-testid="account-link"]`) || !b.has(`[data-testid="sign-in-link"]`) {
			t.Error("after signing out the header does not offer Sign in")
		}
		b.navigate("/account")
		if got := b.path(); !strings.HasPrefix(got, "/login") {
			t.Errorf("/account after signing out shows %q, want the sign-in page", got)
		}
	})

	b.subtest("WrongPassword", func(t *testing.T) {
		b.navigate("/login")
		b.expectRefusal("/login")
		submitSignIn(b, ada.Email, "not the password at all")
		if got := b.text(`[role="alert"]`); got != "The email or password is not right." {
			t.Errorf("the alert says %q", got)
		}
		if !eval[bool](b, `document.querySelector('[role="alert"]').nextElementSibling === document.querySelector('[data-testid="login-form"]')`) {
			t.Error("the alert is not just above the sign-in form")
		}
		if got := value(b, chromedp.Value(chromedp.CSS("#f-email"))); got != ada.Email {
			t.Errorf("the email field holds %q after the error, want %q", got, ada.Email)
		}
		if got := value(b, chromedp.Value(chromedp.CSS("#f-password"))); got != "" {
			t.Errorf("the password field holds %q after the error, want it empty", got)
		}
		checkPage(b, "sign-in (wrong password)", "login-error")
	})
}

// focusState is what the keyboard user sees of the focused element.
type focusState struct {
	Desc         string  `json:"desc"`
	Outline      string  `json:"outline"`
	OutlineWidth float64 `json:"outlineWidth"`
	BoxShadow    string  `json:"boxShadow"`
	FocusVisible bool    `json:"focusVisible"`
	OnScreen     bool    `json:"onScreen"`
	Matches      bool    `json:"matches"`
}

func (f focusState) ringVisible() bool {
	return (f.Outline != "none" && f.OutlineWidth > 0) || (f.BoxShadow != "" && f.BoxShadow != "none")
}

// tabUntil presses Tab until the element matching sel has focus, checking
// at each stop that the focus is visible, and returns what got focus.
func tabUntil(b *tab, sel string) []string {
	b.t.Helper()
	js := `(() => {
		const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
		const text = (e.textContent || '').trim().replace(/\s+/g, ' ');
		return {
			desc: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (text ? ' "' + text + '"' : ''),
			outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0, boxShadow: s.boxShadow,
			focusVisible: e.matches(':focus-visible'),
			onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth,
			matches: e.matches(` + strconv.Quote(sel) + `),
		};
	})()`
	var seen []string
	for range 20 {
		b.run(chromedp.KeyEvent(kb.Tab))
		f := eval[focusState](b, js)
		seen = append(seen, f.Desc)
		if !f.ringVisible() || !f.FocusVisible {
			b.t.Errorf("focused %s shows no focus indicator: outline %s %vpx, box-shadow %s, :focus-visible %v",
				f.Desc, f.Outline, f.OutlineWidth, f.BoxShadow, f.FocusVisible)
		}
		if !f.OnScreen {
			b.t.Errorf("focused %s is not on screen", f.Desc)
		}
		if f.Matches {
			return seen
		}
	}
	b.t.Fatalf("Tab never reached %s; focus went through %q", sel, seen)
	return nil
}

// pressEnter presses Enter on the focused element and waits for the page
// that follows.
func pressEnter(b *tab) {
	b.t.Helper()
	value(b, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.KeyEvent(kb.Enter)))
}

// TestBrowserSignInKeyboard signs in and out with Tab, typing and Enter
// only, and checks the focus indicator at every stop on the way.
func TestBrowserSignInKeyboard(t *testing.T) {
	g := startGloss(t)
	grace := g.person("Grace Hopper", "grace@example.org", true)
	b := g.tab()
	b.navigate("/")

	seen := tabUntil(b, `[data-testid="sign-in-link"]`)
	for _, want := range []string{`a "Skip to content"`, `a "Gloss"`, `a "Library"`, `a "Sign in"`} {
		if !slices.Contains(seen, want) {
			t.Errorf("Tab through the signed-out header never focused %s; it went %q", want, seen)
		}
	}
	pressEnter(b)
	if got := b.path(); got != "/login" {
		t.Fatalf("Enter on Sign in opened %q", got)
	}

	tabUntil(b, "#f-email")
	b.run(chromedp.KeyEvent(grace.Email))
	if got := tabUntil(b, "#f-password"); len(got) != 1 {
		t.Errorf("Tab from the email field went through %q before the password", got)
	}
	b.run(chromedp.KeyEvent(grace.Password))
	if got := tabUntil(b, `[data-testid="login-form"] button[type="submit"]`); len(got) != 1 {
		t.Errorf("Tab from the password field went through %q before the Sign in button", got)
	}
	pressEnter(b)
	if got := b.text(`[data-testid="account-link"]`); got != grace.Name {
		t.Fatalf("after signing in by keyboard the header shows %q (at %s)", got, b.path())
	}

	seen = tabUntil(b, `.site-header form[action="/logout"] button`)
	for _, want := range []string{`a "Skip to content"`, `a "Gloss"`, `a "Library"`, `a "Groups"`, `a "Admin"`, `a "Grace Hopper"`, `button "Sign out"`} {
		if !slices.Contains(seen, want) {
			t.Errorf("Tab through the signed-in header never focused %s; it went %q", want, seen)
		}
	}
	pressEnter(b)
	if !b.has(`[data-testid="sign-in-link"]`) {
		t.Error("Enter on Sign out did not sign out")
	}
}

func TestBrowserSignup(t *testing.T) {
	g := startGloss(t, "-signup")
	b := g.tab()
	b.navigate("/login")
	b.clickAndLoad(`a[href^="/signup"]`)
	if got := b.path(); got != "/signup" {
		t.Fatalf("Create an account led to %q", got)
	}
	checkPage(b, "sign-up", "signup")

	b.typeInto("#f-email", "nora@example.org")
	b.typeInto("#f-name", "Nora Ephron")
	b.typeInto("#f-password", "short")
	b.expectRefusal("/signup")
	b.clickAndLoad(`[data-testid="signup-form"] button[type="submit"]`)
	if got := b.text(`[role="alert"]`); !strings.Contains(got, "at least 10") {
		t.Errorf("a short password gives the message %q", got)
	}
	if got := value(b, chromedp.Value(chromedp.CSS("#f-name"))); got != "Nora Ephron" {
		t.Errorf("the name field holds %q after the error", got)
	}
	b.axe("sign-up (error)")

	b.typeInto("#f-password", "a few unrelated words")
	b.clickAndLoad(`[data-testid="signup-form"] button[type="submit"]`)
	if got := b.text(`[data-testid="flash"]`); got != "Welcome to Gloss, Nora Ephron." {
		t.Errorf("after signing up the message is %q", got)
	}
	if got := b.text(`[data-testid="account-link"]`); got != "Nora Ephron" {
		t.Errorf("after signing up the header shows %q", got)
	}
}

func TestBrowserAccountTokens(t *testing.T) {
	g := startGloss(t)
	ada := g.person("Ada Lovelace", "ada@example.org", false)
	b := g.tab()
	signIn(b, ada)
	b.clickAndLoad(`[data-testid="account-link"]`)
	if got := b.path(); got != "/account" {
		t.Fatalf("the name in the header led to %q", got)
	}

	sessions := b.texts(`[data-testid="sessions"] tbody tr`)
	if len(sessions) != 1 || !strings.Contains(sessions[0], "This browser") || !strings.Contains(sessions[0], "Chrome") {
		t.Errorf("sessions table lists %q, want one row for this (Chrome) browser", sessions)
	}

	// A person clicks the label, then types: the label must lead to the
	// token's own field.
	tokenField := `form[action="/account/tokens"] input[name="name"]`
	if got := eval[string](b, `(() => {
		const labels = document.querySelector(`+strconv.Quote(tokenField)+`).labels;
		return labels.length === 1 ? labels[0].textContent.trim() : labels.length + ' labels';
	})()`); got != "Token name" {
		t.Errorf("the token name field is labelled %q, want \"Token name\"", got)
	}
	if ids := eval[[]string](b, `(() => {
		const seen = new Set(), dup = [];
		for (const e of document.querySelectorAll('[id]')) { if (seen.has(e.id)) dup.push(e.id); seen.add(e.id); }
		return dup;
	})()`); len(ids) > 0 {
		t.Errorf("account page: ids used twice: %q", ids)
	}

	b.typeInto(tokenField, "export script")
	b.clickAndLoad(`form[action="/account/tokens"] button[type="submit"]`)
	token := b.text(`[data-testid="new-token"] code`)
	if !strings.HasPrefix(token, "gls_") || len(token) < 40 {
		t.Fatalf("new token shown as %q", token)
	}
	if got := b.texts(`[data-testid="tokens"] tbody tr td:first-child`); !slices.Equal(got, []string{"export script"}) {
		t.Errorf("tokens listed: %q", got)
	}
	if got := g.apiStatus(token); got != http.StatusOK {
		t.Errorf("GET /api/me with the new token: %d", got)
	}
	checkPage(b, "account (new token)", "account-token")

	b.navigate("/account")
	if b.has(`[data-testid="new-token"]`) || strings.Contains(eval[string](b, `document.body.textContent`), token) {
		t.Error("the token is shown again on the next visit")
	}
	b.clickAndLoad(`[data-testid="tokens"] form[action$="/revoke"] button`)
	if got := b.text(`[data-testid="flash"]`); got != "The token is revoked." {
		t.Errorf("after revoking the message is %q", got)
	}
	if b.has(`[data-testid="tokens"]`) {
		t.Errorf("tokens still listed after revoking: %q", b.texts(`[data-testid="tokens"] tbody tr`))
	}
	if got := g.apiStatus(token); got != http.StatusUnauthorized {
		t.Errorf("GET /api/me with the revoked token: %d, want 401", got)
	}
}

// TestBrowserGroupInvitation: an owner makes a group and a viewer link; a
// second person opens it, signs in, joins and reads as a viewer.
func TestBrowserGroupInvitation(t *testing.T) {
	g := startGloss(t)
	olive := g.person("Olive Owner", "olive@example.org", false)
	victor := g.person("Victor Viewer", "victor@example.org", false)
	owner := g.tab()
	signIn(owner, olive)

	owner.clickAndLoad(`.site-nav a[href="/groups"]`)
	owner.axe("groups (none yet)")
	owner.typeInto("#f-name", "Reading circle")
	owner.typeInto("#f-description", "We read the refugee reports together.")
	owner.clickAndLoad(`form[action="/groups"] button[type="submit"]`)
	groupPath := owner.path()
	if !regexp.MustCompile(`^/groups/\d+$`).MatchString(groupPath) {
		t.Fatalf("creating a group led to %q", groupPath)
	}
	if got := owner.text(`[data-testid="my-role"]`); got != "Your role: owner." {
		t.Errorf("the owner's group page says %q", got)
	}

	makeInvite := func(role, uses string) string {
		t.Helper()
		owner.run(chromedp.SetValue(chromedp.CSS("#f-role"), role))
		owner.run(chromedp.SetValue(chromedp.CSS("#f-uses"), ""))
		owner.typeInto("#f-uses", uses)
		owner.clickAndLoad(`form[action$="/invites"] button[type="submit"]`)
		link := owner.text(`[data-testid="invite-url"] code`)
		if !strings.HasPrefix(link, g.base+"/invites/inv_") {
			t.Fatalf("invitation link %q", link)
		}
		return strings.TrimPrefix(link, g.base)
	}
	invitePath := makeInvite("viewer", "1")
	if got := owner.texts(`[data-testid="invites"] li`); len(got) != 1 || !strings.HasPrefix(got[0], "viewer, used 0 of 1") {
		t.Errorf("open invitations: %q", got)
	}

	viewer := g.tab()
	viewer.navigate(invitePath)
	if got := viewer.text("main p"); !strings.Contains(got, "join Reading circle as a viewer") {
		t.Errorf("the invitation says %q", got)
	}
	checkPage(viewer, "group invitation (signed out)", "group-invite")
	viewer.clickAndLoad(`main a.button[href^="/login"]`)
	submitSignIn(viewer, victor.Email, victor.Password)
	if got := viewer.path(); got != invitePath {
		t.Fatalf("after signing in the viewer is at %q, want back at the invitation", got)
	}
	viewer.clickAndLoad(`form[action="` + invitePath + `"] button`)
	if got := viewer.path(); got != groupPath {
		t.Fatalf("joining led to %q, want %q", got, groupPath)
	}
	if got := viewer.text(`[data-testid="flash"]`); got != "You joined Reading circle." {
		t.Errorf("after joining the message is %q", got)
	}
	if got := viewer.text(`[data-testid="my-role"]`); got != "Your role: viewer." {
		t.Errorf("the viewer's group page says %q", got)
	}
	if got := viewer.texts(`[data-testid="members"] th`); slices.Contains(got, "Email") {
		t.Errorf("the viewer sees the members' email column: %q", got)
	}
	if body := eval[string](viewer, `document.body.textContent`); strings.Contains(body, olive.Email) || strings.Contains(body, "@") {
		t.Error("the viewer's group page shows email addresses")
	}
	if viewer.has(`form[action$="/invites"]`) || viewer.has(`[data-testid="members"] select`) {
		t.Error("the viewer is offered to invite people or change roles")
	}
	checkPage(viewer, "group (viewer)", "group-viewer")

	// The owner sees the new member, makes a link for a class and sees both.
	makeInvite("member", "30")
	type member struct{ Name, Email, Role string }
	members := eval[[]member](owner, `[...document.querySelectorAll('[data-testid="member"]')].map(r => ({
		Name: r.cells[0].textContent.trim(), Email: r.cells[1].textContent.trim(), Role: r.cells[2].textContent.trim()}))`)
	want := []member{{olive.Name, olive.Email, "owner"}, {victor.Name, victor.Email, "viewer"}}
	if !slices.Equal(members, want) {
		t.Errorf("the owner's members table: %+v, want %+v", members, want)
	}
	if got := owner.texts(`[data-testid="invites"] li`); len(got) != 1 || !strings.HasPrefix(got[0], "member, used 0 of 30") {
		t.Errorf("open invitations after one was used up: %q", got)
	}
	checkPage(owner, "group (owner, new link)", "group-owner")

	owner.clickAndLoad(`.site-nav a[href="/groups"]`)
	if got := owner.texts(`[data-testid="group-list"] li`); len(got) != 1 || got[0] != "Reading circle · owner · 2 members" {
		t.Errorf("the owner's groups: %q", got)
	}
	checkPage(owner, "groups", "groups")
}

// TestBrowserAdminInvite: an administrator makes an invitation link for an
// address; the person opens it and creates their account.
func TestBrowserAdminInvite(t *testing.T) {
	g := startGloss(t)
	grace := g.person("Grace Hopper", "grace@example.org", true)
	admin := g.tab()
	signIn(admin, grace)
	admin.clickAndLoad(`.site-nav a[href="/admin"]`)
	admin.typeInto(`form[action="/admin/invites"] input[name="email"]`, "katherine@example.org")
	admin.clickAndLoad(`form[action="/admin/invites"] button[type="submit"]`)
	link := admin.text(`[data-testid="invite-url"] code`)
	if !strings.HasPrefix(link, g.base+"/invites/inv_") {
		t.Fatalf("invitation link %q", link)
	}
	checkPage(admin, "admin (new link)", "admin-invite")

	// An open account invitation, made in the store, as a newcomer sees it.
	token, _, err := g.store.CreateInvite(context.Background(), db.NewInvite{CreatedBy: grace.ID})
	if err != nil {
		t.Fatal(err)
	}
	newcomer := g.tab()
	newcomer.navigate("/invites/" + token)
	if got := newcomer.text("h1"); got != "Create your Gloss account" {
		t.Errorf("account invitation heading %q", got)
	}
	checkPage(newcomer, "account invitation", "account-invite")

	newcomer.navigate(strings.TrimPrefix(link, g.base))
	if got := newcomer.text(`[data-testid="signup-form"] strong`); got != "katherine@example.org" {
		t.Errorf("the invitation for an address shows the email %q", got)
	}
	newcomer.typeInto("#f-name", "Katherine Johnson")
	newcomer.typeInto("#f-password", "orbital mechanics by hand")
	newcomer.clickAndLoad(`[data-testid="signup-form"] button[type="submit"]`)
	if got := newcomer.text(`[data-testid="account-link"]`); got != "Katherine Johnson" {
		t.Errorf("after accepting the invitation the header shows %q (at %s)", got, newcomer.path())
	}

	admin.navigate("/admin")
	if got := admin.texts(`[data-testid="users"] tbody td:nth-child(2)`); !slices.Contains(got, "katherine@example.org") {
		t.Errorf("the admin's accounts table lists %q", got)
	}
}

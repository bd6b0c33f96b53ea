package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"gloss/db"
	"gloss/db/suggest"
)

// TestPermissionMatrix checks, for each route and each kind of person, the
// status they get. It is the contract of db/policy.go as seen over HTTP.
func TestPermissionMatrix(t *testing.T) {
	e, store := newApp(t)
	ctx := context.Background()
	owner := mustUser(t, store, "owner@example.org", "Owner", false)
	member := mustUser(t, store, "member@example.org", "Member", false)
	viewerU := mustUser(t, store, "viewer@example.org", "Viewer", false)
	outsider := mustUser(t, store, "outsider@example.org", "Outsider", false)
	mustUser(t, store, "admin@example.org", "Admin", true)
	g, err := store.CreateGroup(ctx, owner.ID, "Seminar", "")
	if err != nil {
		t.Fatal(err)
	}
	other, err := store.CreateGroup(ctx, outsider.ID, "Elsewhere", "")
	if err != nil {
		t.Fatal(err)
	}
	_ = other
	for u, role := range map[int64]db.Role{member.ID: db.RoleMember, viewerU.ID: db.RoleViewer} {
		token, _, err := store.CreateInvite(ctx, db.NewInvite{GroupID: g.ID, Role: role, CreatedBy: owner.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.AcceptGroupInvite(ctx, token, u); err != nil {
			t.Fatal(err)
		}
	}
	clients := map[string]*client{
		"anonymous": newClient(t, e),
		"viewer":    signedIn(t, e, "viewer@example.org"),
		"member":    signedIn(t, e, "member@example.org"),
		"owner":     signedIn(t, e, "owner@example.org"),
		"outsider":  signedIn(t, e, "outsider@example.org"),
		"admin":     signedIn(t, e, "admin@example.org"),
	}
	grp := fmt.Sprintf("/groups/%d", g.ID)
	// Suggested evidence: a figure of a seed article, ready to accept.
	const slug = "nk-defectors-in-china-remain-concern"
	art, err := store.ArticleBySlug(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	var figure url.Values
	for _, s := range suggest.Extract(art.Body, suggest.Options{Published: art.PublishedOn}) {
		f := s.Fields()
		if s.Kind == suggest.KindFigure && f["unit"] != "" && f["counted"] != "" && figure == nil {
			figure = url.Values{"group": {fmt.Sprint(g.ID)}, "key": {s.Key}}
			for k, v := range f {
				figure.Set(k, v)
			}
		}
	}
	sugg := "/articles/" + slug + "/suggestions"
	type expect map[string]int
	const (
		redirect = http.StatusSeeOther
		ok       = http.StatusOK
		created  = http.StatusCreated
		unauth   = http.StatusUnauthorized
		forbid   = http.StatusForbidden
		notFound = http.StatusNotFound
	)
	routes := []struct {
		method, path string
		form         url.Values
		want         expect
	}{
		{"GET", "/", nil, expect{"anonymous": ok, "viewer": ok, "member": ok, "owner": ok, "outsider": ok, "admin": ok}},
		{"GET", "/groups", nil, expect{"anonymous": redirect, "viewer": ok, "member": ok, "owner": ok, "outsider": ok, "admin": ok}},
		{"GET", grp, nil, expect{"anonymous": redirect, "viewer": ok, "member": ok, "owner": ok, "outsider": notFound, "admin": ok}},
		{"POST", grp + "/invites", url.Values{"role": {"member"}, "uses": {"1"}},
			expect{"anonymous": unauth, "viewer": forbid, "member": forbid, "owner": created, "outsider": notFound, "admin": created}},
		{"POST", grp + "/invites/999999/revoke", url.Values{},
			expect{"anonymous": unauth, "viewer": forbid, "member": forbid, "owner": notFound, "outsider": notFound, "admin": notFound}},
		// Setting a member's role to the role they have: allowed or not, it changes nothing.
		{"POST", fmt.Sprintf("%s/members/%d/role", grp, member.ID), url.Values{"role": {"member"}},
			expect{"anonymous": unauth, "viewer": forbid, "member": forbid, "owner": redirect, "outsider": notFound, "admin": redirect}},
		{"POST", fmt.Sprintf("%s/members/%d/remove", grp, 999999), url.Values{},
			expect{"anonymous": unauth, "viewer": forbid, "member": forbid, "owner": notFound, "outsider": notFound, "admin": notFound}},
		{"GET", "/account", nil, expect{"anonymous": redirect, "viewer": ok, "member": ok, "owner": ok, "outsider": ok, "admin": ok}},
		{"GET", "/admin", nil, expect{"anonymous": redirect, "viewer": forbid, "member": forbid, "owner": forbid, "outsider": forbid, "admin": ok}},
		{"POST", "/admin/invites", url.Values{"email": {""}},
			expect{"anonymous": unauth, "viewer": forbid, "member": forbid, "owner": forbid, "outsider": forbid, "admin": created}},
		{"GET", "/api/me", nil, expect{"anonymous": unauth, "viewer": ok, "member": ok, "owner": ok, "outsider": ok, "admin": ok}},
		{"GET", sugg, nil, expect{"anonymous": redirect, "viewer": redirect, "member": redirect, "owner": redirect, "outsider": redirect, "admin": redirect}},
		{"GET", sugg + "/count", nil, expect{"anonymous": redirect, "viewer": ok, "member": ok, "owner": ok, "outsider": ok, "admin": ok}},
		{"POST", sugg + "/dismiss", url.Values{"key": figure["key"]},
			expect{"anonymous": unauth, "viewer": redirect, "member": redirect, "owner": redirect, "outsider": redirect, "admin": redirect}},
		{"POST", sugg + "/restore", url.Values{},
			expect{"anonymous": unauth, "viewer": redirect, "member": redirect, "owner": redirect, "outsider": redirect, "admin": redirect}},
		{"GET", fmt.Sprintf("%s/review?group=%d", sugg, g.ID), nil,
			expect{"anonymous": redirect, "viewer": forbid, "member": forbid, "owner": ok, "outsider": notFound, "admin": notFound}},
		{"POST", sugg + "/accept", figure,
			expect{"anonymous": unauth, "viewer": forbid, "member": forbid, "owner": redirect, "outsider": notFound, "admin": notFound}},
		{"POST", sugg + "/accept-all", url.Values{"group": {fmt.Sprint(g.ID)}, "kind": {"quote"}},
			expect{"anonymous": unauth, "viewer": forbid, "member": forbid, "owner": redirect, "outsider": notFound, "admin": notFound}},
		{"POST", "/account/tokens/999999/revoke", url.Values{},
			expect{"anonymous": unauth, "viewer": notFound, "member": notFound, "owner": notFound, "outsider": notFound, "admin": notFound}},
	}
	for _, r := range routes {
		for who, want := range r.want {
			t.Run(r.method+" "+r.path+" as "+who, func(t *testing.T) {
				rec := clients[who].do(r.method, r.path, r.form)
				if rec.Code != want {
					t.Errorf("status %d, want %d", rec.Code, want)
				}
			})
		}
	}
	// The matrix changed nobody's role.
	roles, _ := store.Memberships(ctx, member.ID)
	if roles[g.ID] != db.RoleMember {
		t.Errorf("member's role is now %q", roles[g.ID])
	}
}

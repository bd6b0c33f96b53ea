package db

import (
	"testing"
)

func TestSharedLinkShows(t *testing.T) {
	const g, other = 10, 20
	for _, c := range []struct {
		vis            Visibility
		group          int64
		hidden         bool
		collGroup      int64
		publisherOwner bool
		want           bool
	}{
		{Public, 0, false, 0, false, true},
		{Public, 0, true, g, true, false}, // hidden by moderation
		{Private, 0, false, g, true, false},
		{Shared, g, false, g, true, true},
		{Shared, g, false, g, false, false},    // published by a member
		{Shared, other, false, g, true, false}, // another group's
		{Shared, g, false, 0, false, false},    // a personal collection
		{Shared, g, true, g, true, false},      // hidden
		{Visibility("odd"), g, false, g, true, false},
	} {
		if got := SharedLinkShows(c.vis, c.group, c.hidden, c.collGroup, c.publisherOwner); got != c.want {
			t.Errorf("%+v: got %v", c, got)
		}
	}
}

func TestCollectionPolicies(t *testing.T) {
	const g = 10
	viewers := map[string]Viewer{
		"anonymous": Anonymous,
		"viewer":    {UserID: 1, Roles: map[int64]Role{g: RoleViewer}},
		"member":    {UserID: 2, Roles: map[int64]Role{g: RoleMember}},
		"owner":     {UserID: 3, Roles: map[int64]Role{g: RoleOwner}},
		"outsider":  {UserID: 4, Roles: map[int64]Role{99: RoleOwner}},
		"admin":     {UserID: 5, Admin: true},
	}
	// A collection of the member's in group g: view, edit, place in g, overview (everyone).
	want := map[string][4]string{
		"anonymous": {EUNAUTHORIZED, EUNAUTHORIZED, EUNAUTHORIZED, EUNAUTHORIZED},
		"viewer":    {"", EFORBIDDEN, EFORBIDDEN, "own"},
		"member":    {"", "", "", "own"},
		"owner":     {"", "", "", "all"},
		"outsider":  {ENOTFOUND, ENOTFOUND, ENOTFOUND, ENOTFOUND},
		"admin":     {ENOTFOUND, ENOTFOUND, ENOTFOUND, "all"},
	}
	for name, v := range viewers {
		all, err := v.ViewOverview(g)
		overview := ErrorCode(err)
		if err == nil {
			overview = map[bool]string{true: "all", false: "own"}[all]
		}
		c := CollectionAccess{OwnerID: 2, GroupID: g}
		got := [4]string{ErrorCode(v.ViewCollection(c)), ErrorCode(v.EditCollection(c)), ErrorCode(v.PlaceCollection(g)), overview}
		if got != want[name] {
			t.Errorf("%s: view/edit/place/overview = %q, want %q", name, got, want[name])
		}
		// An example: everyone signed in reads it; only its owner changes it.
		ex := CollectionAccess{OwnerID: 2, Example: true}
		wantView, wantEdit := "", EFORBIDDEN
		switch name {
		case "anonymous":
			wantView, wantEdit = EUNAUTHORIZED, EUNAUTHORIZED
		case "member":
			wantEdit = ""
		}
		if v, e := ErrorCode(v.ViewCollection(ex)), ErrorCode(v.EditCollection(ex)); v != wantView || e != wantEdit {
			t.Errorf("%s: example view/edit = %q/%q, want %q/%q", name, v, e, wantView, wantEdit)
		}
	}
}

package db

import (
	"testing"
)

func TestGroupPolicies(t *testing.T) {
	const g = 10
	viewers := map[string]Viewer{
		"anonymous": Anonymous,
		"viewer":    {UserID: 1, Roles: map[int64]Role{g: RoleViewer}},
		"member":    {UserID: 2, Roles: map[int64]Role{g: RoleMember}},
		"owner":     {UserID: 3, Roles: map[int64]Role{g: RoleOwner}},
		"outsider":  {UserID: 4, Roles: map[int64]Role{99: RoleOwner}},
		"admin":     {UserID: 5, Admin: true},
	}
	want := map[string][3]string{ // view, write, manage
		"anonymous": {EUNAUTHORIZED, EUNAUTHORIZED, EUNAUTHORIZED},
		"viewer":    {"", EFORBIDDEN, EFORBIDDEN},
		"member":    {"", "", EFORBIDDEN},
		"owner":     {"", "", ""},
		"outsider":  {ENOTFOUND, ENOTFOUND, ENOTFOUND},
		"admin":     {"", ENOTFOUND, ""},
	}
	for name, v := range viewers {
		got := [3]string{ErrorCode(v.ViewGroup(g)), ErrorCode(v.WriteInGroup(g)), ErrorCode(v.ManageGroup(g))}
		if got != want[name] {
			t.Errorf("%s: view/write/manage = %q, want %q", name, got, want[name])
		}
	}
}

func TestSuggestionPolicies(t *testing.T) {
	const g = 10
	cases := []struct {
		name          string
		v             Viewer
		suggest, bulk string
	}{
		{"anonymous", Anonymous, EUNAUTHORIZED, EUNAUTHORIZED},
		{"viewer", Viewer{UserID: 1, Roles: map[int64]Role{g: RoleViewer}}, "", EFORBIDDEN},
		{"member", Viewer{UserID: 2, Roles: map[int64]Role{g: RoleMember}}, "", EFORBIDDEN},
		{"owner", Viewer{UserID: 3, Roles: map[int64]Role{g: RoleOwner}}, "", ""},
		{"outsider", Viewer{UserID: 4, Roles: map[int64]Role{99: RoleOwner}}, "", ENOTFOUND},
		// An administrator outside the group may not write in it.
		{"admin", Viewer{UserID: 5, Admin: true}, "", ENOTFOUND},
	}
	for _, c := range cases {
		if got := ErrorCode(c.v.SuggestEvidence()); got != c.suggest {
			t.Errorf("%s: SuggestEvidence %q, want %q", c.name, got, c.suggest)
		}
		if got := ErrorCode(c.v.ReviewSuggestions(g)); got != c.bulk {
			t.Errorf("%s: ReviewSuggestions %q, want %q", c.name, got, c.bulk)
		}
	}
}

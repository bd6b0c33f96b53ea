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

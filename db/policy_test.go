package db

import (
	"context"
	"path/filepath"
	"testing"
)

// TestVisibleSQLAgreesWithCanSee checks that the SQL form of the visibility
// rule selects exactly what CanSee allows, for every kind of viewer.
func TestVisibleSQLAgreesWithCanSee(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, filepath.Join(t.TempDir(), "gloss.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.write.ExecContext(ctx, `CREATE TABLE items (id INTEGER PRIMARY KEY, author_id INTEGER, visibility TEXT, group_id INTEGER)`); err != nil {
		t.Fatal(err)
	}
	type item struct {
		author int64
		vis    Visibility
		group  int64
	}
	var items []item
	for _, author := range []int64{1, 2, 3} {
		for _, vis := range []Visibility{Private, Shared, Public} {
			for _, group := range []int64{0, 10, 20} {
				if (vis == Shared) != (group != 0) {
					continue
				}
				items = append(items, item{author, vis, group})
				var g any
				if group != 0 {
					g = group
				}
				if _, err := d.write.ExecContext(ctx, `INSERT INTO items (id, author_id, visibility, group_id) VALUES (?, ?, ?, ?)`,
					len(items), author, vis, g); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	viewers := map[string]Viewer{
		"anonymous":        Anonymous,
		"author 1, no grp": {UserID: 1},
		"viewer in 10":     {UserID: 2, Roles: map[int64]Role{10: RoleViewer}},
		"member of both":   {UserID: 3, Roles: map[int64]Role{10: RoleMember, 20: RoleOwner}},
		"admin, no groups": {UserID: 4, Admin: true},
	}
	for name, v := range viewers {
		t.Run(name, func(t *testing.T) {
			cond, args := v.visibleSQL("i")
			rows, err := d.read.QueryContext(ctx, `SELECT id FROM items i WHERE `+cond+` ORDER BY id`, args...)
			if err != nil {
				t.Fatal(err)
			}
			got := scanIDs(t, rows)
			for i, it := range items {
				if want := v.CanSee(it.author, it.vis, it.group); got[i+1] != want {
					t.Errorf("item %+v: SQL says %v, CanSee says %v", it, got[i+1], want)
				}
			}
		})
	}
}

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

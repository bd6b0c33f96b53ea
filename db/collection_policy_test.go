package db

import (
	"context"
	"path/filepath"
	"testing"
)

// TestCollectionsVisibleSQLAgreesWithViewCollection checks that the SQL
// form of the collection rule lists exactly what ViewCollection allows.
func TestCollectionsVisibleSQLAgreesWithViewCollection(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, filepath.Join(t.TempDir(), "gloss.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.write.ExecContext(ctx, `CREATE TABLE colls (id INTEGER PRIMARY KEY, owner_id INTEGER, group_id INTEGER)`); err != nil {
		t.Fatal(err)
	}
	type coll struct{ owner, group int64 }
	var colls []coll
	for _, owner := range []int64{1, 2, 3} {
		for _, group := range []int64{0, 10, 20} {
			colls = append(colls, coll{owner, group})
			if _, err := d.write.ExecContext(ctx, `INSERT INTO colls (id, owner_id, group_id) VALUES (?, ?, ?)`,
				len(colls), owner, nullID(group)); err != nil {
				t.Fatal(err)
			}
		}
	}
	viewers := map[string]Viewer{
		"anonymous":        Anonymous,
		"owner 1, no grp":  {UserID: 1},
		"viewer in 10":     {UserID: 2, Roles: map[int64]Role{10: RoleViewer}},
		"member of both":   {UserID: 3, Roles: map[int64]Role{10: RoleMember, 20: RoleOwner}},
		"admin, no groups": {UserID: 4, Admin: true},
	}
	for name, v := range viewers {
		t.Run(name, func(t *testing.T) {
			cond, args := v.collectionsVisibleSQL("c")
			rows, err := d.read.QueryContext(ctx, `SELECT id FROM colls c WHERE `+cond, args...)
			if err != nil {
				t.Fatal(err)
			}
			got := scanIDs(t, rows)
			for i, c := range colls {
				if want := v.ViewCollection(c.owner, c.group) == nil; got[i+1] != want {
					t.Errorf("collection %+v: SQL says %v, ViewCollection says %v", c, got[i+1], want)
				}
			}
		})
	}
}

// TestCanReadAgreesWithVisibleWhere checks the Go form of the reader's
// rule (visibility and moderation) against its SQL form.
func TestCanReadAgreesWithVisibleWhere(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, filepath.Join(t.TempDir(), "gloss.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.write.ExecContext(ctx, `CREATE TABLE items (id INTEGER PRIMARY KEY, author_id INTEGER, visibility TEXT, group_id INTEGER, hidden_at TEXT)`); err != nil {
		t.Fatal(err)
	}
	type item struct {
		author int64
		vis    Visibility
		group  int64
		hidden bool
	}
	var items []item
	for _, author := range []int64{1, 2, 3} {
		for _, vis := range []Visibility{Private, Shared, Public} {
			for _, group := range []int64{0, 10, 20} {
				for _, hidden := range []bool{false, true} {
					if (vis == Shared) != (group != 0) {
						continue
					}
					items = append(items, item{author, vis, group, hidden})
					var h any
					if hidden {
						h = "2020-01-01T00:00:00.000Z"
					}
					if _, err := d.write.ExecContext(ctx, `INSERT INTO items VALUES (?, ?, ?, ?, ?)`, len(items), author, vis, nullID(group), h); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
	for name, v := range map[string]Viewer{
		"anonymous":      Anonymous,
		"author 1":       {UserID: 1},
		"viewer in 10":   {UserID: 2, Roles: map[int64]Role{10: RoleViewer}},
		"owner of 20":    {UserID: 3, Roles: map[int64]Role{10: RoleMember, 20: RoleOwner}},
		"admin, no grps": {UserID: 4, Admin: true},
	} {
		cond, args := v.visibleWhere("i")
		rows, err := d.read.QueryContext(ctx, `SELECT id FROM items i WHERE `+cond, args...)
		if err != nil {
			t.Fatal(err)
		}
		got := scanIDs(t, rows)
		for i, it := range items {
			if want := v.CanRead(it.author, it.vis, it.group, it.hidden); got[i+1] != want {
				t.Errorf("%s, item %+v: SQL says %v, CanRead says %v", name, it, got[i+1], want)
			}
		}
	}
}

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
		got := [4]string{ErrorCode(v.ViewCollection(2, g)), ErrorCode(v.EditCollection(2, g)), ErrorCode(v.PlaceCollection(g)), overview}
		if got != want[name] {
			t.Errorf("%s: view/edit/place/overview = %q, want %q", name, got, want[name])
		}
	}
}

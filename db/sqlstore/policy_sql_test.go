package sqlstore

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"gloss/db"
	"gloss/db/sqlstore/internal/core"
)

// TestVisibleSQLAgreesWithCanSee checks that the SQL form of the visibility
// rule selects exactly what CanSee allows, for every kind of viewer.
func TestVisibleSQLAgreesWithCanSee(t *testing.T) {
	ctx := context.Background()
	d, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "gloss.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Writer().ExecContext(ctx, `CREATE TABLE items (id INTEGER PRIMARY KEY, author_id INTEGER, visibility TEXT, group_id INTEGER)`); err != nil {
		t.Fatal(err)
	}
	type item struct {
		author int64
		vis    db.Visibility
		group  int64
	}
	var items []item
	for _, author := range []int64{1, 2, 3} {
		for _, vis := range []db.Visibility{db.Private, db.Shared, db.Public} {
			for _, group := range []int64{0, 10, 20} {
				if (vis == db.Shared) != (group != 0) {
					continue
				}
				items = append(items, item{author, vis, group})
				var g any
				if group != 0 {
					g = group
				}
				if _, err := d.Writer().ExecContext(ctx, `INSERT INTO items (id, author_id, visibility, group_id) VALUES (?, ?, ?, ?)`,
					len(items), author, vis, g); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	viewers := map[string]db.Viewer{
		"anonymous":        db.Anonymous,
		"author 1, no grp": {UserID: 1},
		"viewer in 10":     {UserID: 2, Roles: map[int64]db.Role{10: db.RoleViewer}},
		"member of both":   {UserID: 3, Roles: map[int64]db.Role{10: db.RoleMember, 20: db.RoleOwner}},
		"admin, no groups": {UserID: 4, Admin: true},
	}
	for name, v := range viewers {
		t.Run(name, func(t *testing.T) {
			cond, args := core.VisibleSQL(v, "i")
			rows, err := d.Reader().QueryContext(ctx, `SELECT id FROM items i WHERE `+cond+` ORDER BY id`, args...)
			if err != nil {
				t.Fatal(err)
			}
			got := scanIDs(t, rows)
			for i, it := range items {
				if want := v.CanSee(it.author, it.vis, it.group); got[int64(i+1)] != want {
					t.Errorf("item %+v: SQL says %v, CanSee says %v", it, got[int64(i+1)], want)
				}
			}
		})
	}
}

// TestReadableSQLAgreesWithCanReadThread checks the thread rule's SQL form
// (ReadableSQL, what every list, count, export and the protocol use)
// against its Go form over threads three deep whose annotations have every
// audience, hidden or not, for every kind of viewer (issue 15, findings 1
// and 2: a reply is read only with its whole thread).
func TestReadableSQLAgreesWithCanReadThread(t *testing.T) {
	ctx := context.Background()
	d, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "gloss.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var audiences []db.ThreadItem
	for _, author := range []int64{1, 2, 3} {
		for _, vis := range []db.Visibility{db.Private, db.Shared, db.Public} {
			for _, group := range []int64{0, 10, 20} {
				if (vis == db.Shared) != (group != 0) {
					continue
				}
				for _, hidden := range []bool{false, true} {
					audiences = append(audiences, db.ThreadItem{AuthorID: author, Visibility: vis, GroupID: group, Hidden: hidden})
				}
			}
		}
	}
	// Rows without the rows they refer to: only the rule's columns matter.
	if _, err := d.Writer().ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		t.Fatal(err)
	}
	chains := map[int64][]db.ThreadItem{}
	var id int64
	insert := func(a db.ThreadItem, parent int64) int64 {
		id++
		var rev, par, hidden any = 1, nil, nil
		if parent != 0 {
			rev, par = nil, parent
		}
		if a.Hidden {
			hidden = "2020-01-01T00:00:00.000Z"
		}
		if _, err := d.Writer().ExecContext(ctx, `INSERT INTO annotations (id, article_id, author_id, parent_id, visibility, group_id, revision_id, hidden_at, created_at, updated_at)
			VALUES (?, 1, ?, ?, ?, ?, ?, ?, '', '')`, id, a.AuthorID, par, a.Visibility, core.NullID(a.GroupID), rev, hidden); err != nil {
			t.Fatal(err)
		}
		chains[id] = append([]db.ThreadItem{a}, chains[parent]...)
		return id
	}
	for i, root := range audiences {
		r := insert(root, 0)
		for j, reply := range audiences {
			p := insert(reply, r)
			insert(audiences[(i+j)%len(audiences)], p)
		}
	}
	viewers := map[string]db.Viewer{
		"anonymous":        db.Anonymous,
		"author 1, no grp": {UserID: 1},
		"viewer in 10":     {UserID: 2, Roles: map[int64]db.Role{10: db.RoleViewer}},
		"owner of 20":      {UserID: 3, Roles: map[int64]db.Role{10: db.RoleMember, 20: db.RoleOwner}},
		"admin, no groups": {UserID: 4, Admin: true},
	}
	for name, v := range viewers {
		t.Run(name, func(t *testing.T) {
			cond, args := core.ReadableSQL(v, "a")
			rows, err := d.Reader().QueryContext(ctx, `SELECT id FROM annotations a WHERE `+cond, args...)
			if err != nil {
				t.Fatal(err)
			}
			got := scanIDs(t, rows)
			wrong := 0
			for id, chain := range chains {
				if want := v.CanReadThread(chain); got[id] != want {
					if wrong++; wrong <= 5 {
						t.Errorf("annotation %d, thread %+v: SQL says %v, CanReadThread says %v", id, chain, got[id], want)
					}
				}
			}
			if wrong > 5 {
				t.Errorf("and %d more", wrong-5)
			}
		})
	}
}

// TestCollectionsVisibleSQLAgreesWithViewCollection checks that the SQL
// form of the collection rule lists exactly what ViewCollection allows.
func TestCollectionsVisibleSQLAgreesWithViewCollection(t *testing.T) {
	ctx := context.Background()
	d, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "gloss.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Writer().ExecContext(ctx, `CREATE TABLE colls (id INTEGER PRIMARY KEY, owner_id INTEGER, group_id INTEGER, example INTEGER)`); err != nil {
		t.Fatal(err)
	}
	var colls []db.CollectionAccess
	for _, owner := range []int64{1, 2, 3} {
		for _, group := range []int64{0, 10, 20} {
			for _, example := range []bool{false, true} {
				colls = append(colls, db.CollectionAccess{OwnerID: owner, GroupID: group, Example: example})
				if _, err := d.Writer().ExecContext(ctx, `INSERT INTO colls (id, owner_id, group_id, example) VALUES (?, ?, ?, ?)`,
					len(colls), owner, core.NullID(group), example); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	viewers := map[string]db.Viewer{
		"anonymous":        db.Anonymous,
		"owner 1, no grp":  {UserID: 1},
		"viewer in 10":     {UserID: 2, Roles: map[int64]db.Role{10: db.RoleViewer}},
		"member of both":   {UserID: 3, Roles: map[int64]db.Role{10: db.RoleMember, 20: db.RoleOwner}},
		"admin, no groups": {UserID: 4, Admin: true},
	}
	for name, v := range viewers {
		t.Run(name, func(t *testing.T) {
			cond, args := core.CollectionsVisibleSQL(v, "c")
			rows, err := d.Reader().QueryContext(ctx, `SELECT id FROM colls c WHERE `+cond, args...)
			if err != nil {
				t.Fatal(err)
			}
			got := scanIDs(t, rows)
			for i, c := range colls {
				if want := v.ViewCollection(c) == nil; got[int64(i+1)] != want {
					t.Errorf("collection %+v: SQL says %v, ViewCollection says %v", c, got[int64(i+1)], want)
				}
			}
		})
	}
}

// TestCanReadAgreesWithVisibleWhere checks the Go form of the reader's
// rule (visibility and moderation) against its SQL form.
func TestCanReadAgreesWithVisibleWhere(t *testing.T) {
	ctx := context.Background()
	d, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "gloss.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Writer().ExecContext(ctx, `CREATE TABLE items (id INTEGER PRIMARY KEY, author_id INTEGER, visibility TEXT, group_id INTEGER, hidden_at TEXT)`); err != nil {
		t.Fatal(err)
	}
	type item struct {
		author int64
		vis    db.Visibility
		group  int64
		hidden bool
	}
	var items []item
	for _, author := range []int64{1, 2, 3} {
		for _, vis := range []db.Visibility{db.Private, db.Shared, db.Public} {
			for _, group := range []int64{0, 10, 20} {
				for _, hidden := range []bool{false, true} {
					if (vis == db.Shared) != (group != 0) {
						continue
					}
					items = append(items, item{author, vis, group, hidden})
					var h any
					if hidden {
						h = "2020-01-01T00:00:00.000Z"
					}
					if _, err := d.Writer().ExecContext(ctx, `INSERT INTO items VALUES (?, ?, ?, ?, ?)`, len(items), author, vis, core.NullID(group), h); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
	for name, v := range map[string]db.Viewer{
		"anonymous":      db.Anonymous,
		"author 1":       {UserID: 1},
		"viewer in 10":   {UserID: 2, Roles: map[int64]db.Role{10: db.RoleViewer}},
		"owner of 20":    {UserID: 3, Roles: map[int64]db.Role{10: db.RoleMember, 20: db.RoleOwner}},
		"admin, no grps": {UserID: 4, Admin: true},
	} {
		cond, args := core.ReadsOneSQL(v, "i")
		rows, err := d.Reader().QueryContext(ctx, `SELECT id FROM items i WHERE `+cond, args...)
		if err != nil {
			t.Fatal(err)
		}
		got := scanIDs(t, rows)
		for i, it := range items {
			if want := v.CanRead(it.author, it.vis, it.group, it.hidden); got[int64(i+1)] != want {
				t.Errorf("%s, item %+v: SQL says %v, CanRead says %v", name, it, got[int64(i+1)], want)
			}
		}
	}
}

// scanIDs reads a one-column result of ids as a set, failing the test on
// any error (a scan that fails would otherwise read as "not selected").
func scanIDs(t *testing.T, rows *sql.Rows) map[int64]bool {
	t.Helper()
	ids, err := core.ScanColumn[int64](rows)
	if err != nil {
		t.Fatal(err)
	}
	got := make(map[int64]bool, len(ids))
	for _, id := range ids {
		got[id] = true
	}
	return got
}

// TestPolicySQLWithoutEmptyLists: a viewer with no groups (or owning none)
// gets conditions without an IN list at all. SQLite reads "IN ()" as false,
// but it is a syntax error in PostgreSQL, which the store contract is to
// run on as well.
func TestPolicySQLWithoutEmptyLists(t *testing.T) {
	member := db.Viewer{UserID: 2, Roles: map[int64]db.Role{10: db.RoleMember}}
	owner := db.Viewer{UserID: 3, Roles: map[int64]db.Role{10: db.RoleOwner}}
	for name, c := range map[string]struct {
		sql     func(db.Viewer, string) (string, []any)
		v       db.Viewer
		hasList bool
	}{
		"visibleSQL, no groups":            {core.VisibleSQL, db.Viewer{UserID: 1}, false},
		"visibleSQL, a group":              {core.VisibleSQL, member, true},
		"notHiddenSQL, owning none":        {core.NotHiddenSQL, member, false},
		"notHiddenSQL, owning one":         {core.NotHiddenSQL, owner, true},
		"collectionsVisibleSQL, no groups": {core.CollectionsVisibleSQL, db.Viewer{UserID: 1}, false},
		"collectionsVisibleSQL, a group":   {core.CollectionsVisibleSQL, member, true},
	} {
		cond, args := c.sql(c.v, "x")
		if strings.Contains(cond, " IN (") != c.hasList || strings.Contains(cond, "()") {
			t.Errorf("%s: %q, want an IN list: %v", name, cond, c.hasList)
		}
		if n := strings.Count(cond, "?"); n != len(args) {
			t.Errorf("%s: %q has %d placeholders for %d arguments", name, cond, n, len(args))
		}
	}
}

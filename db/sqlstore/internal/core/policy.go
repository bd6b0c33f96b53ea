package core

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"gloss/db"
)

// ViewerFor builds the viewer for a signed-in user, with their group roles.
func (store *Core) ViewerFor(ctx context.Context, u db.User) (db.Viewer, error) {
	roles, err := store.Memberships(ctx, u.ID)
	if err != nil {
		return db.Viewer{}, err
	}
	return db.Viewer{UserID: u.ID, Name: u.Name, Email: u.Email, Admin: u.Admin, Roles: roles}, nil
}

// VisibleSQL is CanSee as a WHERE condition over the columns author_id,
// visibility and group_id of the table aliased as alias.
func VisibleSQL(v db.Viewer, alias string) (string, []any) {
	if !v.SignedIn() {
		return alias + ".visibility = 'public'", nil
	}
	groups := make([]string, 0, len(v.Roles))
	args := []any{v.UserID}
	for _, id := range GroupsOf(v, nil) {
		groups = append(groups, "?")
		args = append(args, id)
	}
	cond := "(" + alias + ".visibility = 'public' OR (" + alias + ".visibility = 'private' AND " + alias + ".author_id = ?)"
	if len(groups) > 0 {
		cond += " OR (" + alias + ".visibility = 'group' AND " + alias + ".group_id IN (" + strings.Join(groups, ", ") + "))"
	}
	return cond + ")", args
}

// GroupsOf is the viewer's groups (those whose role passes keep; nil: all)
// in ascending order, so that a viewer's conditions have the same text and
// arguments every time (Roles is a map).
func GroupsOf(v db.Viewer, keep func(db.Role) bool) []int64 {
	ids := make([]int64, 0, len(v.Roles))
	for id, r := range v.Roles {
		if keep == nil || keep(r) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// NotHiddenSQL is SeesHidden as SQL: rows hidden by moderation drop out
// unless the viewer wrote them or owns their group.
func NotHiddenSQL(v db.Viewer, alias string) (string, []any) {
	if !v.SignedIn() {
		return alias + ".hidden_at IS NULL", nil
	}
	owned := []string{}
	args := []any{v.UserID}
	for _, id := range GroupsOf(v, func(r db.Role) bool { return r == db.RoleOwner }) {
		owned = append(owned, "?")
		args = append(args, id)
	}
	cond := "(" + alias + ".hidden_at IS NULL OR " + alias + ".author_id = ?"
	if len(owned) > 0 {
		cond += " OR " + alias + ".group_id IN (" + strings.Join(owned, ", ") + ")"
	}
	return cond + ")", args
}

// CollectionsVisibleSQL is ViewCollection as a WHERE condition over the
// columns owner_id and group_id of the table aliased as alias.
func CollectionsVisibleSQL(v db.Viewer, alias string) (string, []any) {
	if !v.SignedIn() {
		return "FALSE", nil
	}
	args := []any{v.UserID}
	groups := make([]string, 0, len(v.Roles))
	for _, id := range GroupsOf(v, nil) {
		groups = append(groups, "?")
		args = append(args, id)
	}
	cond := "(" + alias + ".owner_id = ? OR " + alias + ".example = 1"
	if len(groups) > 0 {
		cond += " OR " + alias + ".group_id IN (" + strings.Join(groups, ", ") + ")"
	}
	return cond + ")", args
}

// ReadsOneSQL is CanRead as SQL, over one row of annotations.
func ReadsOneSQL(v db.Viewer, alias string) (string, []any) {
	vis, args := VisibleSQL(v, alias)
	hid, hargs := NotHiddenSQL(v, alias)
	return vis + " AND " + hid, append(args, hargs...)
}

// ReadableSQL is CanReadThread as a WHERE condition over the annotations
// aliased as alias: the row and each of its ancestors pass ReadsOneSQL.
func ReadableSQL(v db.Viewer, alias string) (string, []any) {
	return threadSQL(alias, func(a string) (string, []any) { return ReadsOneSQL(v, a) })
}

// PublishableSQL is what leaves Gloss in a file (the CSV and Markdown
// exports): what the viewer may read, in threads where nothing is hidden
// by moderation, not even for the author or the group's owners (the file
// leaves the group where the moderation applies).
func PublishableSQL(v db.Viewer, alias string) (string, []any) {
	return threadSQL(alias, func(a string) (string, []any) {
		vis, args := VisibleSQL(v, a)
		return vis + " AND " + a + ".hidden_at IS NULL", args
	})
}

// threadSQL applies a condition on one annotation to the row aliased as
// alias and to each of its ancestors. The ancestors are walked through the
// narrow index (id, parent_id and the rule's columns), which costs a seek
// per level of a reply and nothing for a top-level annotation. An ancestor
// fails when the condition is false or NULL.
func threadSQL(alias string, one func(alias string) (string, []any)) (string, []any) {
	own, args := one(alias)
	up, upArgs := one("thr_h")
	return "(" + own + " AND (" + alias + ".parent_id IS NULL OR NOT EXISTS (" +
		"WITH RECURSIVE thr_up(id) AS (SELECT " + alias + ".parent_id " +
		"UNION ALL SELECT thr_p.parent_id FROM annotations thr_p INDEXED BY annotations_search_idx JOIN thr_up ON thr_p.id = thr_up.id " +
		"WHERE thr_p.parent_id IS NOT NULL) " +
		"SELECT 1 FROM thr_up JOIN annotations thr_h INDEXED BY annotations_search_idx ON thr_h.id = thr_up.id " +
		"WHERE (" + up + ") IS NOT TRUE)))", append(args, upArgs...)
}

// Narrower is the Narrower of two audiences, for a reply: private beats
// group beats public; between two groups the nearer one (a) stands, and
// the thread rule narrows it further.
func Narrower(a, b db.ThreadItem) db.ThreadItem {
	rank := map[db.Visibility]int{db.Private: 0, db.Shared: 1, db.Public: 2}
	if rank[b.Visibility] < rank[a.Visibility] {
		return b
	}
	return a
}

// VisibleWhere is the full condition for what a viewer may read of
// annotations: the thread rule of policy.go (ReadableSQL).
func VisibleWhere(v db.Viewer, alias string) (string, []any) {
	return ReadableSQL(v, alias)
}

// Memberships returns a user's role in each of their groups.
func (store *Core) Memberships(ctx context.Context, userID int64) (map[int64]db.Role, error) {
	rows, err := store.Query(ctx, `SELECT group_id, role FROM group_members WHERE user_id = ?`, userID)
	if err != nil {
		return nil, fmt.Errorf("db: memberships of %d: %w", userID, err)
	}
	out := map[int64]db.Role{}
	err = EachRow(rows, func(row *sql.Rows) error {
		var id int64
		var r db.Role
		if err := row.Scan(&id, &r); err != nil {
			return err
		}
		out[id] = r
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

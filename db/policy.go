package db

import (
	"context"
	"strings"
)

// This file is the one place that decides who may see and do what. Handlers
// ask the Viewer before acting; list queries use the same rule as SQL
// (visibleSQL), and tests check that the two agree.

// Viewer is who is asking: a signed-out visitor (UserID 0) or a person with
// their role in each of their groups.
type Viewer struct {
	UserID int64
	Name   string
	Email  string
	Admin  bool
	Roles  map[int64]Role // group id -> role
}

// Anonymous is the signed-out visitor.
var Anonymous = Viewer{}

// SignedIn reports whether the viewer is a person with an account.
func (v Viewer) SignedIn() bool { return v.UserID != 0 }

// RoleIn returns the viewer's role in a group, or "" if none.
func (v Viewer) RoleIn(groupID int64) Role { return v.Roles[groupID] }

// ViewerFor builds the viewer for a signed-in user, with their group roles.
func (db *DB) ViewerFor(ctx context.Context, u User) (Viewer, error) {
	roles, err := db.Memberships(ctx, u.ID)
	if err != nil {
		return Viewer{}, err
	}
	return Viewer{UserID: u.ID, Name: u.Name, Email: u.Email, Admin: u.Admin, Roles: roles}, nil
}

var (
	errSignIn     = Errorf(EUNAUTHORIZED, "Please sign in to continue.")
	errNoSuchGrp  = Errorf(ENOTFOUND, "There is no such group.")
	errNotOwner   = Errorf(EFORBIDDEN, "Only the group's owners can do that.")
	errViewerOnly = Errorf(EFORBIDDEN, "You can read this group's annotations but not add to them: your role is viewer.")
	errNotAdmin   = Errorf(EFORBIDDEN, "Only administrators can do that.")
)

// RequireSignIn allows any signed-in person.
func (v Viewer) RequireSignIn() error {
	if !v.SignedIn() {
		return errSignIn
	}
	return nil
}

// Administer allows site administrators.
func (v Viewer) Administer() error {
	switch {
	case !v.SignedIn():
		return errSignIn
	case !v.Admin:
		return errNotAdmin
	}
	return nil
}

// ViewGroup allows members of any role and administrators. To anyone else
// the group does not exist.
func (v Viewer) ViewGroup(groupID int64) error {
	switch {
	case !v.SignedIn():
		return errSignIn
	case v.Admin || v.RoleIn(groupID) != "":
		return nil
	}
	return errNoSuchGrp
}

// ManageGroup allows the group's owners and administrators: members,
// roles, invitations, moderation.
func (v Viewer) ManageGroup(groupID int64) error {
	if err := v.ViewGroup(groupID); err != nil {
		return err
	}
	if v.Admin || v.RoleIn(groupID) == RoleOwner {
		return nil
	}
	return errNotOwner
}

// WriteInGroup allows owners and members to annotate, reply, tag and note
// with the group's visibility; viewers only read.
func (v Viewer) WriteInGroup(groupID int64) error {
	if !v.SignedIn() {
		return errSignIn
	}
	switch v.RoleIn(groupID) {
	case RoleOwner, RoleMember:
		return nil
	case RoleViewer:
		return errViewerOnly
	}
	return errNoSuchGrp
}

// Visibility is who can see a thing someone wrote.
type Visibility string

const (
	Private Visibility = "private" // only its author
	Shared  Visibility = "group"   // members of one group, any role
	Public  Visibility = "public"  // anyone, signed out too
)

// ParseVisibility accepts only the three visibilities.
func ParseVisibility(s string) (Visibility, error) {
	switch Visibility(s) {
	case Private, Shared, Public:
		return Visibility(s), nil
	}
	return "", Errorf(EINVALID, "%q is not a visibility: choose private, group or public.", s)
}

// CanSee reports whether the viewer may see a thing with this author,
// visibility and group. Being an administrator grants nothing here:
// private means private.
func (v Viewer) CanSee(authorID int64, vis Visibility, groupID int64) bool {
	switch vis {
	case Public:
		return true
	case Private:
		return v.SignedIn() && authorID == v.UserID
	case Shared:
		return v.SignedIn() && v.RoleIn(groupID) != ""
	}
	return false
}

// visibleSQL is CanSee as a WHERE condition over the columns author_id,
// visibility and group_id of the table aliased as alias.
func (v Viewer) visibleSQL(alias string) (string, []any) {
	if !v.SignedIn() {
		return alias + ".visibility = 'public'", nil
	}
	groups := make([]string, 0, len(v.Roles))
	args := []any{v.UserID}
	for id := range v.Roles {
		groups = append(groups, "?")
		args = append(args, id)
	}
	cond := "(" + alias + ".visibility = 'public' OR (" + alias + ".visibility = 'private' AND " + alias + ".author_id = ?)"
	if len(groups) > 0 {
		cond += " OR (" + alias + ".visibility = 'group' AND " + alias + ".group_id IN (" + strings.Join(groups, ", ") + "))"
	}
	return cond + ")", args
}

// Write allows creating something with this visibility: any signed-in
// person for private and public; owners and members for a group.
func (v Viewer) Write(vis Visibility, groupID int64) error {
	if err := v.RequireSignIn(); err != nil {
		return err
	}
	if vis == Shared {
		return v.WriteInGroup(groupID)
	}
	return nil
}

// EditOwn allows changing or deleting something only to its author.
func (v Viewer) EditOwn(authorID int64) error {
	if err := v.RequireSignIn(); err != nil {
		return err
	}
	if v.UserID != authorID {
		return Errorf(EFORBIDDEN, "Only its author can change or delete this.")
	}
	return nil
}

// Moderate allows hiding a group annotation: owners of its group.
func (v Viewer) Moderate(vis Visibility, groupID int64) error {
	if vis != Shared {
		return Errorf(EFORBIDDEN, "Only annotations shared with a group can be hidden by its owners.")
	}
	return v.ManageGroup(groupID)
}

// SeesHidden reports whether a hidden (moderated) item is shown to the
// viewer: its author and the group's owners still see it, marked hidden.
func (v Viewer) SeesHidden(authorID, groupID int64) bool {
	return v.SignedIn() && (authorID == v.UserID || v.RoleIn(groupID) == RoleOwner)
}

// notHiddenSQL is SeesHidden as SQL: rows hidden by moderation drop out
// unless the viewer wrote them or owns their group.
func (v Viewer) notHiddenSQL(alias string) (string, []any) {
	if !v.SignedIn() {
		return alias + ".hidden_at IS NULL", nil
	}
	owned := []string{}
	args := []any{v.UserID}
	for id, r := range v.Roles {
		if r == RoleOwner {
			owned = append(owned, "?")
			args = append(args, id)
		}
	}
	cond := "(" + alias + ".hidden_at IS NULL OR " + alias + ".author_id = ?"
	if len(owned) > 0 {
		cond += " OR " + alias + ".group_id IN (" + strings.Join(owned, ", ") + ")"
	}
	return cond + ")", args
}

package db

// Viewer is who is asking: a signed-out visitor (UserID 0) or a person with
// their role in each of their groups.
type Viewer struct {
	UserID int64
	Name   string
	Email  string
	Admin  bool
	Roles  map[int64]Role // group id -> role
	// ViaToken: the request carried an API token, not a browser session.
	ViaToken bool
}

// Anonymous is the signed-out visitor.
var Anonymous = Viewer{}

// SignedIn reports whether the viewer is a person with an account.
func (v Viewer) SignedIn() bool { return v.UserID != 0 }

// RoleIn returns the viewer's role in a group, or "" if none.
func (v Viewer) RoleIn(groupID int64) Role { return v.Roles[groupID] }

// The policy's refusals, in words a person understands.
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

// ManageAccount allows changing the account itself (its password, its API
// tokens, its signed-in sessions) from a browser session only: an API
// token, which a script holds, cannot make more tokens, sign its owner out
// or change the password that would revoke it.
func (v Viewer) ManageAccount() error {
	switch {
	case !v.SignedIn():
		return errSignIn
	case v.ViaToken:
		return Errorf(EFORBIDDEN, "An API token cannot manage the account: sign in on the account page in a browser to change the password, tokens or sessions.")
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

// ReadGroupWork reports whether the viewer reads what a group's members
// wrote and how (its annotations, the tags they use and how often): its
// members, of any role. An administrator outside the group manages it
// (members, invitations, its codebook's definitions) and reads none of it.
func (v Viewer) ReadGroupWork(groupID int64) bool {
	return v.SignedIn() && v.RoleIn(groupID) != ""
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

// TagArticles allows adding tags to articles.
func (v Viewer) TagArticles() error {
	switch {
	case !v.SignedIn():
		return errSignIn
	case v.Admin:
		return nil
	}
	for _, r := range v.Roles {
		if r == RoleOwner || r == RoleMember {
			return nil
		}
	}
	return Errorf(EFORBIDDEN, "Tags on an article are shown to every reader, so only administrators and the members of a group can add them. Tag your annotations instead.")
}

// UntagArticle allows taking off an article's tag: whoever added it, and
// administrators.
func (v Viewer) UntagArticle(addedBy int64) error {
	switch {
	case !v.SignedIn():
		return errSignIn
	case v.Admin, addedBy != 0 && addedBy == v.UserID:
		return nil
	}
	return Errorf(EFORBIDDEN, "Only whoever added this tag, and administrators, can remove it.")
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

// CheckExport says whether the viewer may export this scope: anyone an
// article's annotations (they get what they may see), signed-in people
// everything they may see, a group's members its annotations, and only its
// owners pseudonymized.
func (v Viewer) CheckExport(s ExportScope) error {
	switch {
	case s.GroupID != 0:
		if err := v.ViewGroup(s.GroupID); err != nil {
			return err
		}
		role := v.RoleIn(s.GroupID)
		if role == "" {
			return Errorf(EFORBIDDEN, "Only the group's members can export its annotations.")
		}
		if s.Pseudonymize && role != RoleOwner {
			return Errorf(EFORBIDDEN, "Only the group's owners can make a pseudonymized export.")
		}
	case s.Pseudonymize:
		return Errorf(EINVALID, "Pseudonymized exports are made per group, by its owners.")
	case s.ArticleID == 0:
		// Everything the viewer may see, or one collection (whose own
		// view policy, ViewCollection, the caller applied).
		return v.RequireSignIn()
	}
	return nil
}

var ErrNoSuchCollection = Errorf(ENOTFOUND, "There is no such collection, or you may not see it.")

// CollectionAccess is what the collection rules look at.
type CollectionAccess struct {
	OwnerID, GroupID int64
	Example          bool
}

// Access is the collection as the rules see it.
func (c Collection) Access() CollectionAccess {
	return CollectionAccess{OwnerID: c.OwnerID, GroupID: c.GroupID, Example: c.Example}
}

// ViewCollection allows a collection's owner and the members of its group,
// and anyone signed in for an example.
func (v Viewer) ViewCollection(c CollectionAccess) error {
	switch {
	case !v.SignedIn():
		return errSignIn
	case v.UserID == c.OwnerID, c.GroupID != 0 && v.RoleIn(c.GroupID) != "", c.Example:
		return nil
	}
	return ErrNoSuchCollection
}

// EditCollection allows a collection's owner and the owners of its group to
// change, share, duplicate into place and delete it.
func (v Viewer) EditCollection(c CollectionAccess) error {
	if err := v.ViewCollection(c); err != nil {
		return err
	}
	if v.UserID == c.OwnerID || (c.GroupID != 0 && v.RoleIn(c.GroupID) == RoleOwner) {
		return nil
	}
	if c.Example {
		return Errorf(EFORBIDDEN, "This is an example collection: duplicate it to make a copy of your own to change.")
	}
	return Errorf(EFORBIDDEN, "Only the collection's owner and the owners of its group can change it.")
}

// PlaceCollection allows keeping a collection in a group (groupID 0: only
// for its owner): the group's owners and members, not its viewers.
func (v Viewer) PlaceCollection(groupID int64) error {
	if groupID == 0 {
		return v.RequireSignIn()
	}
	return v.WriteInGroup(groupID)
}

// CanRead is what the viewer may read of one annotation taken alone: the
// visibility rule and moderation (readsOneSQL as a Go check). A reply is
// read only when its whole thread is (CanReadThread).
func (v Viewer) CanRead(authorID int64, vis Visibility, groupID int64, hidden bool) bool {
	return v.CanSee(authorID, vis, groupID) && (!hidden || v.SeesHidden(authorID, groupID))
}

// ThreadItem is what the thread rule needs to know of one annotation.
type ThreadItem struct {
	AuthorID   int64
	Visibility Visibility
	GroupID    int64
	Hidden     bool
}

// ThreadAllows reports whether one allows an annotation and each of its
// ancestors; chain is the annotation, then its parent, up to the top.
func ThreadAllows(chain []ThreadItem, one func(ThreadItem) bool) bool {
	for _, a := range chain {
		if !one(a) {
			return false
		}
	}
	return len(chain) > 0
}

// CanReadThread is readableSQL as a Go check, over an annotation and its
// ancestors (chain as for ThreadAllows).
func (v Viewer) CanReadThread(chain []ThreadItem) bool {
	return ThreadAllows(chain, func(a ThreadItem) bool { return v.CanRead(a.AuthorID, a.Visibility, a.GroupID, a.Hidden) })
}

// SharedLinkShows decides whether a collection's share link shows an
// annotation the educator chose for it. A link is read by anyone who has
// it, signed out, so: never a private annotation (not even the educator's
// own) and never one hidden by moderation; public ones; and a group's
// annotations only in a collection of that same group whose link was
// published by one of the group's owners (the person who may speak for it).
func SharedLinkShows(vis Visibility, annotationGroup int64, hidden bool, collectionGroup int64, publisherOwnsGroup bool) bool {
	switch {
	case hidden:
		return false
	case vis == Public:
		return true
	case vis == Shared:
		return annotationGroup != 0 && annotationGroup == collectionGroup && publisherOwnsGroup
	}
	return false
}

// ChooseForLink decides who may choose an annotation for a collection whose
// share link shows its group's annotations (linkShowsGroup: shared by one
// of the group's owners, SharedLinkShows). Choosing one there publishes it
// to whoever has the link, signed out: a widening of its audience that
// only its author, or an owner of its group (who may speak for the group),
// may make. Anyone else may choose it while the collection is not shared
// that way; an owner who then shares the collection publishes what it
// holds.
func (v Viewer) ChooseForLink(authorID int64, vis Visibility, groupID, collectionGroup int64, linkShowsGroup bool) error {
	if !linkShowsGroup || vis != Shared || groupID != collectionGroup || authorID == v.UserID || v.RoleIn(groupID) == RoleOwner {
		return nil
	}
	return Errorf(EFORBIDDEN, "This collection is shared at a link that anyone can open, and choosing another member's group annotation would show it there. Only its author or the group's owners can add it while the link is shared: ask an owner, or stop sharing first.")
}

// ViewOverview allows a group's class overview: its owners and
// administrators see every member's row (everyone true), members and
// viewers only their own; to anyone else the group does not exist.
func (v Viewer) ViewOverview(groupID int64) (everyone bool, err error) {
	if err := v.ViewGroup(groupID); err != nil {
		return false, err
	}
	return v.Admin || v.RoleIn(groupID) == RoleOwner, nil
}

// NameEntity allows adding an entity: any signed-in person.
func (v Viewer) NameEntity() error { return v.RequireSignIn() }

// CurateEntities allows merging entities and adding aliases: administrators.
func (v Viewer) CurateEntities() error { return v.Administer() }

// SuggestEvidence allows seeing what Gloss suggests in an article (and
// accepting it as an annotation, dismissing it): whoever may annotate,
// that is anyone signed in. Suggestions are the viewer's alone.
func (v Viewer) SuggestEvidence() error { return v.RequireSignIn() }

// ReviewSuggestions allows reviewing an article's suggestions in bulk into
// a group, each accepted one becoming the group's annotation: the group's
// owners (an administrator outside the group writes nothing in it). To
// anyone outside the group it does not exist.
func (v Viewer) ReviewSuggestions(groupID int64) error {
	if err := v.ViewGroup(groupID); err != nil {
		return err
	}
	switch v.RoleIn(groupID) {
	case RoleOwner:
		return nil
	case "":
		return errNoSuchGrp
	}
	return Errorf(EFORBIDDEN, "Only the group's owners review suggestions into it: accept them one by one in the reader instead.")
}

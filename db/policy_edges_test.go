package db

import "testing"

// The rules of policy.go, each asked of every kind of viewer at the edges
// that tell them apart: a role one step short, an administrator with and
// without a membership, a personal thing beside a group's, and ids of 0
// (the signed-out visitor's own id). Codes: "" allowed, else ErrorCode.

const edgeGroup, edgeOther = 10, 20

// edgeViewers are named for what they are in edgeGroup; their UserIDs are
// the authors and owners the tables below use.
var edgeViewers = map[string]Viewer{
	"anonymous":    Anonymous,
	"viewer":       {UserID: 1, Roles: map[int64]Role{edgeGroup: RoleViewer}},
	"member":       {UserID: 2, Roles: map[int64]Role{edgeGroup: RoleMember}},
	"owner":        {UserID: 3, Roles: map[int64]Role{edgeGroup: RoleOwner}},
	"outsider":     {UserID: 4, Roles: map[int64]Role{edgeOther: RoleOwner}},
	"admin":        {UserID: 5, Admin: true},
	"admin member": {UserID: 6, Admin: true, Roles: map[int64]Role{edgeGroup: RoleMember}},
}

// checkRule compares rule's answer for each viewer with want, which must
// name every viewer.
func checkRule[T comparable](t *testing.T, rule string, want map[string]T, got func(Viewer) T) {
	t.Helper()
	if len(want) != len(edgeViewers) {
		t.Fatalf("%s: the table names %d viewers, want all %d", rule, len(want), len(edgeViewers))
	}
	for name, v := range edgeViewers {
		w, ok := want[name]
		if !ok {
			t.Fatalf("%s: the table does not name %q", rule, name)
		}
		if g := got(v); g != w {
			t.Errorf("%s for %s = %v, want %v", rule, name, g, w)
		}
	}
}

func code(err error) string { return ErrorCode(err) }

const (
	eUnauth   = EUNAUTHORIZED
	eForbid   = EFORBIDDEN
	eNotFound = ENOTFOUND
)

func TestSignInRules(t *testing.T) {
	signedIn := map[string]string{"anonymous": eUnauth, "viewer": "", "member": "", "owner": "", "outsider": "", "admin": "", "admin member": ""}
	checkRule(t, "RequireSignIn", signedIn, func(v Viewer) string { return code(v.RequireSignIn()) })
	checkRule(t, "NameEntity", signedIn, func(v Viewer) string { return code(v.NameEntity()) })
	checkRule(t, "PlaceCollection(0)", signedIn, func(v Viewer) string { return code(v.PlaceCollection(0)) })
	checkRule(t, "Write(private)", signedIn, func(v Viewer) string { return code(v.Write(Private, 0)) })
	checkRule(t, "Write(public)", signedIn, func(v Viewer) string { return code(v.Write(Public, 0)) })
	checkRule(t, "CheckExport(everything)", signedIn, func(v Viewer) string { return code(v.CheckExport(ExportScope{})) })
	admins := map[string]string{"anonymous": eUnauth, "viewer": eForbid, "member": eForbid, "owner": eForbid, "outsider": eForbid, "admin": "", "admin member": ""}
	checkRule(t, "Administer", admins, func(v Viewer) string { return code(v.Administer()) })
	checkRule(t, "CurateEntities", admins, func(v Viewer) string { return code(v.CurateEntities()) })
	// An article's annotations: anyone, signed out too (they get what they may see).
	anyone := map[string]string{"anonymous": "", "viewer": "", "member": "", "owner": "", "outsider": "", "admin": "", "admin member": ""}
	checkRule(t, "CheckExport(article)", anyone, func(v Viewer) string { return code(v.CheckExport(ExportScope{ArticleID: 7})) })
}

func TestGroupRules(t *testing.T) {
	checkRule(t, "ViewGroup", map[string]string{"anonymous": eUnauth, "viewer": "", "member": "", "owner": "", "outsider": eNotFound, "admin": "", "admin member": ""},
		func(v Viewer) string { return code(v.ViewGroup(edgeGroup)) })
	checkRule(t, "ManageGroup", map[string]string{"anonymous": eUnauth, "viewer": eForbid, "member": eForbid, "owner": "", "outsider": eNotFound, "admin": "", "admin member": ""},
		func(v Viewer) string { return code(v.ManageGroup(edgeGroup)) })
	// Administrators manage groups but write only in their own.
	write := map[string]string{"anonymous": eUnauth, "viewer": eForbid, "member": "", "owner": "", "outsider": eNotFound, "admin": eNotFound, "admin member": ""}
	checkRule(t, "WriteInGroup", write, func(v Viewer) string { return code(v.WriteInGroup(edgeGroup)) })
	checkRule(t, "Write(group)", write, func(v Viewer) string { return code(v.Write(Shared, edgeGroup)) })
	checkRule(t, "PlaceCollection(group)", write, func(v Viewer) string { return code(v.PlaceCollection(edgeGroup)) })
	checkRule(t, "ViewOverview", map[string]string{"anonymous": eUnauth, "viewer": "own", "member": "own", "owner": "all", "outsider": eNotFound, "admin": "all", "admin member": "all"},
		func(v Viewer) string {
			all, err := v.ViewOverview(edgeGroup)
			if err != nil {
				return code(err)
			}
			return map[bool]string{true: "all", false: "own"}[all]
		})
}

func TestAuthorRules(t *testing.T) {
	checkRule(t, "EditOwn(member's)", map[string]string{"anonymous": eUnauth, "viewer": eForbid, "member": "", "owner": eForbid, "outsider": eForbid, "admin": eForbid, "admin member": eForbid},
		func(v Viewer) string { return code(v.EditOwn(2)) })
	checkRule(t, "Moderate(group)", map[string]string{"anonymous": eUnauth, "viewer": eForbid, "member": eForbid, "owner": "", "outsider": eNotFound, "admin": "", "admin member": ""},
		func(v Viewer) string { return code(v.Moderate(Shared, edgeGroup)) })
	// Nothing but a group's annotation can be hidden, whoever asks.
	for _, vis := range []Visibility{Private, Public} {
		checkRule(t, "Moderate("+string(vis)+")", map[string]string{"anonymous": eForbid, "viewer": eForbid, "member": eForbid, "owner": eForbid, "outsider": eForbid, "admin": eForbid, "admin member": eForbid},
			func(v Viewer) string { return code(v.Moderate(vis, 0)) })
	}
}

func TestExportRules(t *testing.T) {
	group := map[string]string{"anonymous": eUnauth, "viewer": "", "member": "", "owner": "", "outsider": eNotFound, "admin": eForbid, "admin member": ""}
	checkRule(t, "CheckExport(group)", group, func(v Viewer) string { return code(v.CheckExport(ExportScope{GroupID: edgeGroup})) })
	checkRule(t, "CheckExport(group, article)", group, func(v Viewer) string {
		return code(v.CheckExport(ExportScope{GroupID: edgeGroup, ArticleID: 7}))
	})
	checkRule(t, "CheckExport(group, pseudonymized)", map[string]string{"anonymous": eUnauth, "viewer": eForbid, "member": eForbid, "owner": "", "outsider": eNotFound, "admin": eForbid, "admin member": eForbid},
		func(v Viewer) string { return code(v.CheckExport(ExportScope{GroupID: edgeGroup, Pseudonymize: true})) })
	invalid := map[string]string{"anonymous": EINVALID, "viewer": EINVALID, "member": EINVALID, "owner": EINVALID, "outsider": EINVALID, "admin": EINVALID, "admin member": EINVALID}
	checkRule(t, "CheckExport(pseudonymized)", invalid, func(v Viewer) string { return code(v.CheckExport(ExportScope{Pseudonymize: true})) })
	checkRule(t, "CheckExport(article, pseudonymized)", invalid, func(v Viewer) string {
		return code(v.CheckExport(ExportScope{ArticleID: 7, Pseudonymize: true}))
	})
}

func TestCollectionRules(t *testing.T) {
	// The viewer's collection in the group: its group's members see it, but
	// only its owner and the group's owners change it.
	checkRule(t, "ViewCollection(viewer's, group)", map[string]string{"anonymous": eUnauth, "viewer": "", "member": "", "owner": "", "outsider": eNotFound, "admin": eNotFound, "admin member": ""},
		func(v Viewer) string { return code(v.ViewCollection(CollectionAccess{OwnerID: 1, GroupID: edgeGroup})) })
	checkRule(t, "EditCollection(viewer's, group)", map[string]string{"anonymous": eUnauth, "viewer": "", "member": eForbid, "owner": "", "outsider": eNotFound, "admin": eNotFound, "admin member": eForbid},
		func(v Viewer) string { return code(v.EditCollection(CollectionAccess{OwnerID: 1, GroupID: edgeGroup})) })
	// The member's personal collection: the group's owner has no say in it.
	personal := map[string]string{"anonymous": eUnauth, "viewer": eNotFound, "member": "", "owner": eNotFound, "outsider": eNotFound, "admin": eNotFound, "admin member": eNotFound}
	checkRule(t, "ViewCollection(member's, personal)", personal, func(v Viewer) string { return code(v.ViewCollection(CollectionAccess{OwnerID: 2})) })
	checkRule(t, "EditCollection(member's, personal)", personal, func(v Viewer) string { return code(v.EditCollection(CollectionAccess{OwnerID: 2})) })
	// The outsider's collection in their own group, which the owner of edgeGroup is not in.
	checkRule(t, "EditCollection(outsider's, other group)", map[string]string{"anonymous": eUnauth, "viewer": eNotFound, "member": eNotFound, "owner": eNotFound, "outsider": "", "admin": eNotFound, "admin member": eNotFound},
		func(v Viewer) string { return code(v.EditCollection(CollectionAccess{OwnerID: 4, GroupID: edgeOther})) })
}

// TestSeeingRules covers CanSee, SeesHidden and CanRead, including author 0:
// the signed-out visitor's id must never make them an author.
func TestSeeingRules(t *testing.T) {
	all := func(b bool) map[string]bool {
		m := map[string]bool{}
		for name := range edgeViewers {
			m[name] = b
		}
		return m
	}
	only := func(names ...string) map[string]bool {
		m := all(false)
		for _, name := range names {
			m[name] = true
		}
		return m
	}
	for _, c := range []struct {
		rule string
		want map[string]bool
		got  func(Viewer) bool
	}{
		{"CanSee(public)", all(true), func(v Viewer) bool { return v.CanSee(2, Public, 0) }},
		{"CanSee(member's private)", only("member"), func(v Viewer) bool { return v.CanSee(2, Private, 0) }},
		{"CanSee(authorless private)", all(false), func(v Viewer) bool { return v.CanSee(0, Private, 0) }},
		{"CanSee(group)", only("viewer", "member", "owner", "admin member"), func(v Viewer) bool { return v.CanSee(2, Shared, edgeGroup) }},
		{"CanSee(another visibility)", all(false), func(v Viewer) bool { return v.CanSee(2, Visibility("odd"), edgeGroup) }},
		{"SeesHidden(member's, group)", only("member", "owner"), func(v Viewer) bool { return v.SeesHidden(2, edgeGroup) }},
		{"SeesHidden(member's, no group)", only("member"), func(v Viewer) bool { return v.SeesHidden(2, 0) }},
		{"SeesHidden(authorless, group)", only("owner"), func(v Viewer) bool { return v.SeesHidden(0, edgeGroup) }},
		{"SeesHidden(authorless, no group)", all(false), func(v Viewer) bool { return v.SeesHidden(0, 0) }},
		{"CanRead(group)", only("viewer", "member", "owner", "admin member"), func(v Viewer) bool { return v.CanRead(2, Shared, edgeGroup, false) }},
		{"CanRead(hidden group)", only("member", "owner"), func(v Viewer) bool { return v.CanRead(2, Shared, edgeGroup, true) }},
		{"CanRead(hidden public)", only("member"), func(v Viewer) bool { return v.CanRead(2, Public, 0, true) }},
		{"CanRead(owner's private)", only("owner"), func(v Viewer) bool { return v.CanRead(3, Private, 0, false) }},
		{"CanRead(owner's hidden private)", only("owner"), func(v Viewer) bool { return v.CanRead(3, Private, 0, true) }},
	} {
		checkRule(t, c.rule, c.want, c.got)
	}
}

func TestParseVisibilityEdges(t *testing.T) {
	for s, want := range map[string]string{"private": "", "group": "", "public": "", "Public": EINVALID, "shared": EINVALID, "": EINVALID, "public ": EINVALID} {
		vis, err := ParseVisibility(s)
		if code(err) != want || (err == nil && string(vis) != s) {
			t.Errorf("ParseVisibility(%q) = %q, %v; want code %q", s, vis, err, want)
		}
	}
}

func TestSharedLinkShowsEdges(t *testing.T) {
	// A group annotation whose group is 0 cannot exist; if one did, a
	// personal collection's link must not show it.
	if SharedLinkShows(Shared, 0, false, 0, true) {
		t.Error("a shared annotation of no group shows on a personal collection's link")
	}
	if !SharedLinkShows(Public, edgeGroup, false, edgeOther, false) {
		t.Error("a public annotation does not show on another group's collection link")
	}
}

// TestAccountAndTagRules covers the account's own settings, reading a
// group's work, and tags on articles.
func TestAccountAndTagRules(t *testing.T) {
	signedIn := map[string]string{"anonymous": eUnauth, "viewer": "", "member": "", "owner": "", "outsider": "", "admin": "", "admin member": ""}
	checkRule(t, "ManageAccount", signedIn, func(v Viewer) string { return code(v.ManageAccount()) })
	checkRule(t, "ManageAccount(via a token)", map[string]string{"anonymous": eUnauth, "viewer": eForbid, "member": eForbid, "owner": eForbid, "outsider": eForbid, "admin": eForbid, "admin member": eForbid},
		func(v Viewer) string { v.ViaToken = true; return code(v.ManageAccount()) })
	// Administrators manage a group they are not in, but do not read its work.
	checkRule(t, "ReadGroupWork", map[string]bool{"anonymous": false, "viewer": true, "member": true, "owner": true, "outsider": false, "admin": false, "admin member": true},
		func(v Viewer) bool { return v.ReadGroupWork(edgeGroup) })
	checkRule(t, "ReadGroupWork(no group)", map[string]bool{"anonymous": false, "viewer": false, "member": false, "owner": false, "outsider": false, "admin": false, "admin member": false},
		func(v Viewer) bool { return v.ReadGroupWork(0) })
	// Owners and members of any group tag articles; a viewer only reads.
	checkRule(t, "TagArticles", map[string]string{"anonymous": eUnauth, "viewer": eForbid, "member": "", "owner": "", "outsider": "", "admin": "", "admin member": ""},
		func(v Viewer) string { return code(v.TagArticles()) })
	for roles, want := range map[[2]Role]string{
		{RoleViewer, RoleViewer}: eForbid,
		{RoleViewer, RoleMember}: "",
		{RoleOwner, RoleViewer}:  "",
		{RoleViewer, ""}:         eForbid,
	} {
		v := Viewer{UserID: 7, Roles: map[int64]Role{edgeGroup: roles[0], edgeOther: roles[1]}}
		if got := code(v.TagArticles()); got != want {
			t.Errorf("TagArticles for roles %q = %q, want %q", roles, got, want)
		}
	}
	// Whoever added a tag, and administrators, take it off; nobody is the
	// adder of a tag whose adder is unknown (0).
	checkRule(t, "UntagArticle(member's)", map[string]string{"anonymous": eUnauth, "viewer": eForbid, "member": "", "owner": eForbid, "outsider": eForbid, "admin": "", "admin member": ""},
		func(v Viewer) string { return code(v.UntagArticle(2)) })
	checkRule(t, "UntagArticle(unknown adder)", map[string]string{"anonymous": eUnauth, "viewer": eForbid, "member": eForbid, "owner": eForbid, "outsider": eForbid, "admin": "", "admin member": ""},
		func(v Viewer) string { return code(v.UntagArticle(0)) })
}

// TestExampleCollectionRules: an example is read by everyone signed in and
// changed by its owner only, not by the owners of its group.
func TestExampleCollectionRules(t *testing.T) {
	example := CollectionAccess{OwnerID: 2, GroupID: edgeGroup, Example: true}
	checkRule(t, "ViewCollection(example)", map[string]string{"anonymous": eUnauth, "viewer": "", "member": "", "owner": "", "outsider": "", "admin": "", "admin member": ""},
		func(v Viewer) string { return code(v.ViewCollection(example)) })
	checkRule(t, "EditCollection(example)", map[string]string{"anonymous": eUnauth, "viewer": eForbid, "member": "", "owner": "", "outsider": eForbid, "admin": eForbid, "admin member": eForbid},
		func(v Viewer) string { return code(v.EditCollection(example)) })
	example.GroupID = 0
	checkRule(t, "EditCollection(personal example)", map[string]string{"anonymous": eUnauth, "viewer": eForbid, "member": "", "owner": eForbid, "outsider": eForbid, "admin": eForbid, "admin member": eForbid},
		func(v Viewer) string { return code(v.EditCollection(example)) })
}

// TestChooseForLinkRules: while a collection's link shows its group's
// annotations, only the author or the group's owners may choose another
// member's group annotation for it; otherwise anyone may.
func TestChooseForLinkRules(t *testing.T) {
	anyone := map[string]string{"anonymous": "", "viewer": "", "member": "", "owner": "", "outsider": "", "admin": "", "admin member": ""}
	authorOrOwner := map[string]string{"anonymous": eForbid, "viewer": eForbid, "member": "", "owner": "", "outsider": eForbid, "admin": eForbid, "admin member": eForbid}
	for _, c := range []struct {
		rule string
		want map[string]string
		got  func(Viewer) error
	}{
		{"the member's, link shared", authorOrOwner, func(v Viewer) error { return v.ChooseForLink(2, Shared, edgeGroup, edgeGroup, true) }},
		{"the member's, link not shared", anyone, func(v Viewer) error { return v.ChooseForLink(2, Shared, edgeGroup, edgeGroup, false) }},
		{"public", anyone, func(v Viewer) error { return v.ChooseForLink(2, Public, 0, edgeGroup, true) }},
		{"another group's", anyone, func(v Viewer) error { return v.ChooseForLink(2, Shared, edgeOther, edgeGroup, true) }},
		{"the outsider's in their group", map[string]string{"anonymous": eForbid, "viewer": eForbid, "member": eForbid, "owner": eForbid, "outsider": "", "admin": eForbid, "admin member": eForbid},
			func(v Viewer) error { return v.ChooseForLink(4, Shared, edgeOther, edgeOther, true) }},
	} {
		checkRule(t, "ChooseForLink("+c.rule+")", c.want, func(v Viewer) string { return code(c.got(v)) })
	}
}

// TestThreadRules: a thread is read when each of its annotations is, and
// an empty chain is no thread at all.
func TestThreadRules(t *testing.T) {
	yes := func(ThreadItem) bool { return true }
	if ThreadAllows(nil, yes) {
		t.Error("ThreadAllows allows an empty chain")
	}
	public := ThreadItem{AuthorID: 2, Visibility: Public}
	private := ThreadItem{AuthorID: 2, Visibility: Private}
	for _, c := range []struct {
		chain []ThreadItem
		want  bool
	}{
		{[]ThreadItem{public}, true},
		{[]ThreadItem{public, public, public}, true},
		{[]ThreadItem{private, public}, false},
		{[]ThreadItem{public, private}, false},
		{[]ThreadItem{public, public, private}, false},
	} {
		if got := ThreadAllows(c.chain, func(a ThreadItem) bool { return a.Visibility == Public }); got != c.want {
			t.Errorf("ThreadAllows(%v) = %v, want %v", c.chain, got, c.want)
		}
	}
	// A public reply to an owner's group annotation that was hidden: its
	// author (the group's owner) reads the thread, nobody else does.
	hiddenRoot := ThreadItem{AuthorID: 3, Visibility: Shared, GroupID: edgeGroup, Hidden: true}
	checkRule(t, "CanReadThread(reply to a hidden root)", map[string]bool{"anonymous": false, "viewer": false, "member": false, "owner": true, "outsider": false, "admin": false, "admin member": false},
		func(v Viewer) bool { return v.CanReadThread([]ThreadItem{public, hiddenRoot}) })
	checkRule(t, "CanReadThread(reply to a group root)", map[string]bool{"anonymous": false, "viewer": true, "member": true, "owner": true, "outsider": false, "admin": false, "admin member": true},
		func(v Viewer) bool {
			return v.CanReadThread([]ThreadItem{public, {AuthorID: 3, Visibility: Shared, GroupID: edgeGroup}})
		})
	checkRule(t, "CanReadThread(none)", map[string]bool{"anonymous": false, "viewer": false, "member": false, "owner": false, "outsider": false, "admin": false, "admin member": false},
		func(v Viewer) bool { return v.CanReadThread(nil) })
}

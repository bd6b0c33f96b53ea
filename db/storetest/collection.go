package storetest

import (
	"context"
	"strings"
	"testing"

	"gloss/db"
	"gloss/db/anchor"
)

// collectionFixture adds a viewer-role member and an administrator to the
// annotation fixture (whose author owns the group "Seminar").
type collectionFixture struct {
	*annotationFixture
	viewer, admin db.Viewer
}

func newCollectionFixture(t *testing.T) *collectionFixture {
	t.Helper()
	ctx := context.Background()
	f := &collectionFixture{annotationFixture: newAnnotationFixture(t, sampleText)}
	vu := mustUser(t, f.d, "viewer@example.org", "Vera Viewer", false)
	token, _, _ := f.d.CreateInvite(ctx, db.NewInvite{GroupID: f.group.ID, Role: db.RoleViewer, CreatedBy: f.author.UserID})
	if _, err := f.d.AcceptGroupInvite(ctx, token, vu.ID); err != nil {
		t.Fatal(err)
	}
	au := mustUser(t, f.d, "admin@example.org", "Admin", true)
	var err error
	if f.viewer, err = f.d.ViewerFor(ctx, vu); err != nil {
		t.Fatal(err)
	}
	if f.admin, err = f.d.ViewerFor(ctx, au); err != nil {
		t.Fatal(err)
	}
	// Roles changed after the fixture built the author's viewer.
	if f.author, err = f.d.ViewerFor(ctx, db.User{ID: f.author.UserID, Name: f.author.Name}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *collectionFixture) collection(t *testing.T, v db.Viewer, title, group string) int64 {
	t.Helper()
	id, err := f.d.CreateCollection(context.Background(), v, db.CollectionInput{Title: title, Group: group})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (f *collectionFixture) add(t *testing.T, v db.Viewer, id int64, in db.ItemInput) int64 {
	t.Helper()
	if in.Start == 0 && in.End == 0 {
		in.Start, in.End = -1, -1
	}
	it, err := f.d.AddItem(context.Background(), v, id, in)
	if err != nil {
		t.Fatalf("add %+v: %v", in, err)
	}
	return it.ID
}

func itemIDs(c db.Collection) []int64 {
	var ids []int64
	for _, it := range c.Items {
		ids = append(ids, it.ID)
	}
	return ids
}

func TestCollectionItems(t *testing.T) {
	ctx := context.Background()
	f := newCollectionFixture(t)
	id := f.collection(t, f.member, "Lesson 1", "")
	text := f.add(t, f.member, id, db.ItemInput{Kind: "text", Heading: "Numbers", Commentary: "Compare the *estimates*."})
	art := f.add(t, f.member, id, db.ItemInput{Kind: "article", ArticleSlug: "a"})
	pass := f.add(t, f.member, id, db.ItemInput{Kind: "passage", ArticleSlug: "a", Exact: "Aid groups  estimate\n100,000", Commentary: "High."})
	an := f.create(t, f.member, db.AnnotationInput{Start: -1, End: -1, Exact: "UNHCR asked for access", Body: "Access!", Visibility: "public"})
	reply, err := f.d.CreateReply(ctx, f.author, an.ID, "Denied.")
	if err != nil {
		t.Fatal(err)
	}
	fromReply := f.add(t, f.member, id, db.ItemInput{AnnotationID: reply.ID})

	c, err := f.d.CollectionByID(ctx, f.member, id)
	if err != nil {
		t.Fatal(err)
	}
	if !sameIDs(itemIDs(c), []int64{text, art, pass, fromReply}) {
		t.Fatalf("items %v", itemIDs(c))
	}
	if c.Items[0].CommentaryHTML != "<p>Compare the <em>estimates</em>.</p>\n" {
		t.Errorf("commentary %q", c.Items[0].CommentaryHTML)
	}
	if p := c.Items[2]; p.Current != "Aid groups estimate 100,000" || p.Anchor.Status != anchor.Anchored || p.Source.Title != "A" {
		t.Errorf("typed passage: %q %+v", p.Current, p.Anchor)
	}
	// A reply brings its thread's passage and the annotation it answers.
	if p := c.Items[3]; p.Current != "UNHCR asked for access" || len(p.Annotations) != 2 ||
		p.Annotations[0].ID != an.ID || p.Annotations[1].ID != reply.ID {
		t.Errorf("from a reply: %q, %d annotations", p.Current, len(p.Annotations))
	}

	t.Run("Reorder", func(t *testing.T) {
		if pos, err := f.d.MoveItem(ctx, f.member, id, pass, -1); err != nil || pos != 2 {
			t.Fatalf("move up: %d %v", pos, err)
		}
		if pos, err := f.d.MoveItem(ctx, f.member, id, text, -1); err != nil || pos != 1 {
			t.Fatalf("move the first up: %d %v", pos, err)
		}
		c, _ := f.d.CollectionByID(ctx, f.member, id)
		if !sameIDs(itemIDs(c), []int64{text, pass, art, fromReply}) {
			t.Errorf("after moves %v", itemIDs(c))
		}
		if err := f.d.ReorderItems(ctx, f.member, id, []int64{fromReply, art, pass, text}); err != nil {
			t.Fatal(err)
		}
		c, _ = f.d.CollectionByID(ctx, f.member, id)
		if !sameIDs(itemIDs(c), []int64{fromReply, art, pass, text}) {
			t.Errorf("after reorder %v", itemIDs(c))
		}
		for _, stale := range [][]int64{{art, pass, text}, {fromReply, art, pass, pass}, {fromReply, art, pass, 9999}} {
			if err := f.d.ReorderItems(ctx, f.member, id, stale); db.ErrorCode(err) != db.ECONFLICT {
				t.Errorf("reorder %v: %v", stale, err)
			}
		}
	})
	t.Run("Remove", func(t *testing.T) {
		if err := f.d.RemoveItem(ctx, f.member, id, art); err != nil {
			t.Fatal(err)
		}
		if err := f.d.RemoveItem(ctx, f.member, id, art); db.ErrorCode(err) != db.ENOTFOUND {
			t.Errorf("remove twice: %v", err)
		}
		c, _ := f.d.CollectionByID(ctx, f.member, id)
		for i, it := range c.Items {
			if it.Position != i+1 {
				t.Errorf("positions not renumbered: %d at %d", it.Position, i)
			}
		}
	})
	t.Run("Duplicate", func(t *testing.T) {
		copyID, err := f.d.DuplicateCollection(ctx, f.member, id)
		if err != nil {
			t.Fatal(err)
		}
		orig, _ := f.d.CollectionByID(ctx, f.member, id)
		dup, _ := f.d.CollectionByID(ctx, f.member, copyID)
		if dup.Title != "Copy of Lesson 1" || len(dup.Items) != len(orig.Items) || dup.Shared {
			t.Fatalf("copy %q with %d items (shared %v)", dup.Title, len(dup.Items), dup.Shared)
		}
		for i := range dup.Items {
			if dup.Items[i].Current != orig.Items[i].Current || len(dup.Items[i].Annotations) != len(orig.Items[i].Annotations) {
				t.Errorf("item %d differs", i)
			}
		}
	})
	t.Run("Errors", func(t *testing.T) {
		for name, in := range map[string]db.ItemInput{
			"EmptyText":     {Kind: "text"},
			"UnknownKind":   {Kind: "slide"},
			"NotInText":     {Kind: "passage", ArticleSlug: "a", Exact: "not in the text", Start: -1, End: -1},
			"Ambiguous":     {Kind: "passage", ArticleSlug: "a", Exact: "North Koreans", Start: -1, End: -1},
			"LongHeading":   {Kind: "text", Heading: strings.Repeat("x", db.MaxHeadingLen+1)},
			"NoSuchArticle": {Kind: "article", ArticleSlug: "nope"},
		} {
			if _, err := f.d.AddItem(ctx, f.member, id, in); err == nil || db.ErrorCode(err) == db.EINTERNAL {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, err := f.d.CreateCollection(ctx, f.member, db.CollectionInput{Title: " "}); db.ErrorCode(err) != db.EINVALID {
			t.Errorf("empty title: %v", err)
		}
		if _, err := f.d.CreateCollection(ctx, f.member, db.CollectionInput{Title: "x", Names: "nicknames"}); db.ErrorCode(err) != db.EINVALID {
			t.Errorf("bad names: %v", err)
		}
	})
}

func TestCollectionPermissions(t *testing.T) {
	ctx := context.Background()
	f := newCollectionFixture(t)
	g := itoa(f.group.ID)
	personal := f.collection(t, f.member, "Mine", "")
	group := f.collection(t, f.member, "Ours", g)
	who := map[string]db.Viewer{"anonymous": db.Anonymous, "viewer": f.viewer, "member": f.member, "owner": f.author,
		"outsider": f.outsider, "admin": f.admin}
	want := map[string][2][2]string{ // personal view/edit, group view/edit
		"anonymous": {{db.EUNAUTHORIZED, db.EUNAUTHORIZED}, {db.EUNAUTHORIZED, db.EUNAUTHORIZED}},
		"viewer":    {{db.ENOTFOUND, db.ENOTFOUND}, {"", db.EFORBIDDEN}},
		"member":    {{"", ""}, {"", ""}},
		"owner":     {{db.ENOTFOUND, db.ENOTFOUND}, {"", ""}},
		"outsider":  {{db.ENOTFOUND, db.ENOTFOUND}, {db.ENOTFOUND, db.ENOTFOUND}},
		"admin":     {{db.ENOTFOUND, db.ENOTFOUND}, {db.ENOTFOUND, db.ENOTFOUND}},
	}
	for name, v := range who {
		for i, id := range []int64{personal, group} {
			_, err := f.d.CollectionByID(ctx, v, id)
			edit := f.d.UpdateItem(ctx, v, id, 999999, db.ItemUpdate{Commentary: "x"})
			if db.ErrorCode(edit) == db.ENOTFOUND && want[name][i][1] == "" {
				edit = nil // allowed: the item does not exist
			}
			if got := [2]string{db.ErrorCode(err), db.ErrorCode(edit)}; got != want[name][i] {
				t.Errorf("%s, collection %d: view/edit %q, want %q", name, i, got, want[name][i])
			}
		}
	}
	t.Run("ListsWhatTheyMaySee", func(t *testing.T) {
		for name, wantN := range map[string]int{"viewer": 1, "member": 2, "owner": 1, "outsider": 0, "admin": 0} {
			list, err := f.d.Collections(ctx, who[name])
			if err != nil || len(list) != wantN {
				t.Errorf("%s lists %d collections, want %d (%v)", name, len(list), wantN, err)
			}
		}
	})
	t.Run("GroupPlacement", func(t *testing.T) {
		if _, err := f.d.CreateCollection(ctx, f.viewer, db.CollectionInput{Title: "x", Group: g}); db.ErrorCode(err) != db.EFORBIDDEN {
			t.Errorf("a viewer keeps a collection in the group: %v", err)
		}
		if _, err := f.d.CreateCollection(ctx, f.outsider, db.CollectionInput{Title: "x", Group: g}); db.ErrorCode(err) != db.ENOTFOUND {
			t.Errorf("an outsider keeps a collection in the group: %v", err)
		}
		// The group's owner edits the member's collection, but does not move it.
		if err := f.d.UpdateCollection(ctx, f.author, group, db.CollectionInput{Title: "Ours, edited", Group: g}); err != nil {
			t.Errorf("group owner edits: %v", err)
		}
		if err := f.d.UpdateCollection(ctx, f.author, group, db.CollectionInput{Title: "Ours"}); db.ErrorCode(err) != db.EFORBIDDEN {
			t.Errorf("group owner moves it out of the group: %v", err)
		}
		if _, err := f.d.DeleteCollection(ctx, f.author, group); db.ErrorCode(err) != db.EFORBIDDEN {
			t.Errorf("group owner deletes it: %v", err)
		}
	})
	t.Run("DuplicateIntoOwnPlace", func(t *testing.T) {
		copyID, err := f.d.DuplicateCollection(ctx, f.viewer, group)
		if err != nil {
			t.Fatal(err)
		}
		c, err := f.d.CollectionInfo(ctx, f.viewer, copyID)
		if err != nil || c.GroupID != 0 || c.OwnerID != f.viewer.UserID {
			t.Errorf("a viewer's copy: group %d owner %d (%v)", c.GroupID, c.OwnerID, err)
		}
		if _, err := f.d.DuplicateCollection(ctx, f.outsider, group); db.ErrorCode(err) != db.ENOTFOUND {
			t.Errorf("outsider duplicates: %v", err)
		}
	})
}

// TestChosenAnnotationsFollowTheRules: a collection shows under a passage
// only the chosen annotations its reader may read anyway, and a share link
// only what SharedLinkShows allows.
func TestChosenAnnotationsFollowTheRules(t *testing.T) {
	ctx := context.Background()
	f := newCollectionFixture(t)
	g := itoa(f.group.ID)
	quote := "Aid groups estimate 100,000"
	s, e := rng(sampleText, quote)
	mk := func(v db.Viewer, body, vis string) db.Annotation {
		return f.create(t, v, db.AnnotationInput{Start: s, End: e, Exact: quote, Body: body, Visibility: vis, Group: g})
	}
	private := mk(f.author, "PRIVATE", "private")
	group := mk(f.member, "GROUP", "group")
	public := mk(f.member, "PUBLIC", "public")
	hidden := mk(f.member, "HIDDEN", "group")
	if _, err := f.d.SetHidden(ctx, f.author, hidden.ID, true); err != nil {
		t.Fatal(err)
	}
	id := f.collection(t, f.author, "Lesson", g)
	added, err := f.d.AddItem(ctx, f.author, id, db.ItemInput{AnnotationID: private.ID, Start: -1, End: -1})
	if err != nil || !added.PrivateChosen {
		t.Fatalf("add a private annotation: %+v %v", added, err)
	}
	if err := f.d.UpdateItem(ctx, f.author, id, added.ID, db.ItemUpdate{Choose: true,
		Annotations: []int64{private.ID, group.ID, public.ID, hidden.ID}}); err != nil {
		t.Fatal(err)
	}
	shown := func(c db.Collection) string {
		var out []string
		for _, a := range c.Items[0].Annotations {
			out = append(out, a.Body)
		}
		return strings.Join(out, " ")
	}
	for name, want := range map[*db.Viewer]string{
		&f.author: "PRIVATE GROUP PUBLIC HIDDEN", &f.member: "GROUP PUBLIC HIDDEN", &f.viewer: "GROUP PUBLIC",
	} {
		c, err := f.d.CollectionByID(ctx, *name, id)
		if err != nil {
			t.Fatal(err)
		}
		if got := shown(c); got != want {
			t.Errorf("%s sees %q, want %q", name.Name, got, want)
		}
	}
	t.Run("EditorKeepsWhatTheyCannotSee", func(t *testing.T) {
		// The member (not the collection's owner) cannot edit; the group's
		// owner can, and the owner's private choice survives another owner's
		// edit. Here the author is both, so check with a second group owner.
		if err := f.d.SetMemberRole(ctx, f.group.ID, f.member.UserID, db.RoleOwner); err != nil {
			t.Fatal(err)
		}
		defer f.d.SetMemberRole(ctx, f.group.ID, f.member.UserID, db.RoleMember)
		owner2, _ := f.d.ViewerFor(ctx, db.User{ID: f.member.UserID, Name: "Member"})
		if err := f.d.UpdateItem(ctx, owner2, id, added.ID, db.ItemUpdate{Choose: true, Annotations: []int64{public.ID}}); err != nil {
			t.Fatal(err)
		}
		c, _ := f.d.CollectionByID(ctx, f.author, id)
		if got := shown(c); got != "PUBLIC PRIVATE" {
			t.Errorf("after another editor's choice the owner sees %q", got)
		}
		if err := f.d.UpdateItem(ctx, owner2, id, added.ID, db.ItemUpdate{Choose: true, Annotations: []int64{private.ID}}); db.ErrorCode(err) != db.ENOTFOUND {
			t.Errorf("choosing an annotation one cannot see: %v", err)
		}
		if err := f.d.UpdateItem(ctx, f.author, id, added.ID, db.ItemUpdate{Choose: true,
			Annotations: []int64{private.ID, group.ID, public.ID, hidden.ID}}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ShareLink", func(t *testing.T) {
		token, err := f.d.ShareCollection(ctx, f.author, id)
		if err != nil || !strings.HasPrefix(token, "shr_") || len(token) < 40 {
			t.Fatalf("token %q: %v", token, err)
		}
		c, err := f.d.SharedCollection(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		// Published by the group's owner: the group's annotations, never the
		// private or the hidden one.
		if got := shown(c); got != "GROUP PUBLIC" {
			t.Errorf("the link shows %q", got)
		}
		// Published by someone who does not own the group: public only.
		mine := f.collection(t, f.member, "Member's", g)
		f.add(t, f.member, mine, db.ItemInput{AnnotationID: group.ID})
		it, _ := f.d.CollectionByID(ctx, f.member, mine)
		f.d.UpdateItem(ctx, f.member, mine, it.Items[0].ID, db.ItemUpdate{Choose: true, Annotations: []int64{group.ID, public.ID}})
		mt, err := f.d.ShareCollection(ctx, f.member, mine)
		if err != nil {
			t.Fatal(err)
		}
		if mc, _ := f.d.SharedCollection(ctx, mt); shown(mc) != "PUBLIC" {
			t.Errorf("a member's link shows %q", shown(mc))
		}
		// Rotate: the old token stops working; revoke: the new one too.
		again, err := f.d.ShareCollection(ctx, f.author, id)
		if err != nil || again == token {
			t.Fatalf("rotate: %v", err)
		}
		if _, err := f.d.SharedCollection(ctx, token); db.ErrorCode(err) != db.ENOTFOUND {
			t.Errorf("old token after rotation: %v", err)
		}
		if err := f.d.UnshareCollection(ctx, f.author, id); err != nil {
			t.Fatal(err)
		}
		if _, err := f.d.SharedCollection(ctx, again); db.ErrorCode(err) != db.ENOTFOUND {
			t.Errorf("token after revocation: %v", err)
		}
		for _, bad := range []string{"", "shr_", "shr_" + strings.Repeat("A", 43), "inv_x"} {
			if _, err := f.d.SharedCollection(ctx, bad); db.ErrorCode(err) != db.ENOTFOUND {
				t.Errorf("token %q: %v", bad, err)
			}
		}
		if _, err := f.d.ShareCollection(ctx, f.viewer, id); db.ErrorCode(err) != db.EFORBIDDEN {
			t.Errorf("a viewer shares: %v", err)
		}
	})
}

// TestCollectionPassageAfterRevision: a passage is located in each new
// revision like an annotation, and shown as it now reads, or as orphaned.
func TestCollectionPassageAfterRevision(t *testing.T) {
	ctx := context.Background()
	f := newCollectionFixture(t)
	id := f.collection(t, f.member, "Lesson", "")
	quotes := []string{"Some 50,000 North Koreans are in China.", "Aid groups estimate 100,000 are hiding.",
		"The UNHCR asked for access", "Beijing denied everything"}
	for _, q := range quotes {
		f.add(t, f.member, id, db.ItemInput{Kind: "passage", ArticleSlug: "a", Exact: q})
	}
	revised := "Preface added here.\n\n" + strings.NewReplacer(
		"Aid groups estimate 100,000 are hiding.", "Aid groups estimate 100,000 were hiding.",
		"Beijing denied everything, said the spokesman.", "No comment came.",
	).Replace(sampleText)
	if _, err := f.d.ImportArticle(ctx, db.ArticleInput{Slug: "a", Title: "A", Body: revised}); err != nil {
		t.Fatal(err)
	}
	c, err := f.d.CollectionByID(ctx, f.member, id)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		status  anchor.Status
		current string
	}{
		{anchor.Moved, quotes[0]},
		{anchor.Approximate, "Aid groups estimate 100,000 were hiding."},
		{anchor.Moved, quotes[2]},
		{anchor.Orphaned, ""},
	}
	for i, w := range want {
		it := c.Items[i]
		if it.Anchor.Status != w.status || it.Current != w.current {
			t.Errorf("%q: %s %q, want %s %q", quotes[i], it.Anchor.Status, it.Current, w.status, w.current)
		}
		if it.Selector.Exact != quotes[i] || it.RevisionNumber != 1 || it.CurrentRevision != 2 {
			t.Errorf("%q: the original quote or revisions are lost: %q r%d/r%d", quotes[i], it.Selector.Exact, it.RevisionNumber, it.CurrentRevision)
		}
		if w.status != anchor.Orphaned && string([]rune(revised)[it.Anchor.Start:it.Anchor.End]) != it.Current {
			t.Errorf("%q: the anchor does not select the current text", quotes[i])
		}
	}
}

func TestGroupOverview(t *testing.T) {
	ctx := context.Background()
	f := newCollectionFixture(t)
	g := itoa(f.group.ID)
	quote := "Aid groups estimate 100,000"
	s, e := rng(sampleText, quote)
	a := f.create(t, f.member, db.AnnotationInput{Start: s, End: e, Exact: quote, Body: "one", Visibility: "group", Group: g})
	f.create(t, f.author, db.AnnotationInput{Start: s, End: e, Exact: quote, Body: "two", Visibility: "group", Group: g})
	f.create(t, f.member, db.AnnotationInput{Start: -1, End: -1, Exact: "Beijing denied", Body: "lone", Visibility: "group", Group: g})
	f.create(t, f.member, db.AnnotationInput{Start: -1, End: -1, Exact: "spokesman", Body: "mine alone", Visibility: "private"})
	if _, err := f.d.CreateReply(ctx, f.author, a.ID, "reply"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.d.CreateNote(ctx, f.member, f.article.ID, db.NoteInput{Body: "note", Visibility: "group", Group: g}); err != nil {
		t.Fatal(err)
	}
	o, err := f.d.GroupOverview(ctx, f.author, f.group.ID)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]db.MemberActivity{}
	for _, m := range o.Members {
		rows[m.Name] = m
	}
	if len(o.Members) != 3 || !o.Everyone {
		t.Fatalf("owner sees %d rows (everyone %v)", len(o.Members), o.Everyone)
	}
	if m := rows["Member"]; m.Annotations != 2 || m.Replies != 0 || m.Notes != 1 || len(m.Articles) != 1 || m.Last.IsZero() {
		t.Errorf("member's row %+v (private work must not count)", m)
	}
	if m := rows["Author"]; m.Annotations != 1 || m.Replies != 1 {
		t.Errorf("owner's row %+v", m)
	}
	if m := rows["Vera Viewer"]; m.Annotations+m.Replies+m.Notes != 0 || !m.First.IsZero() {
		t.Errorf("viewer's row %+v", m)
	}
	if len(o.Passages) != 2 || o.Passages[0].Quote != quote || o.Passages[0].Annotations != 2 || o.Passages[0].Replies != 1 || o.Passages[0].People != 2 {
		t.Errorf("passages %+v", o.Passages)
	}
	mo, err := f.d.GroupOverview(ctx, f.member, f.group.ID)
	if err != nil || mo.Everyone || len(mo.Members) != 1 || mo.Members[0].Name != "Member" {
		t.Errorf("a member's overview: %+v %v", mo.Members, err)
	}
	for _, v := range []db.Viewer{f.outsider, db.Anonymous} {
		if _, err := f.d.GroupOverview(ctx, v, f.group.ID); err == nil {
			t.Errorf("%q sees the overview", v.Name)
		}
	}
}

// TestCollectionChangesStoreEvents: every change to a collection stores a
// collection.changed event (a share link's page is kept whole until one),
// naming who made it and no article or group (its readers are not told).
func TestCollectionChangesStoreEvents(t *testing.T) {
	ctx := context.Background()
	f := newCollectionFixture(t)
	id := f.collection(t, f.member, "Lesson 1", "")
	var item int64
	for _, c := range []struct {
		name   string
		change func() error
	}{
		{"AddItem", func() error {
			it, err := f.d.AddItem(ctx, f.member, id, db.ItemInput{Kind: "text", Heading: "Numbers"})
			item = it.ID
			return err
		}},
		{"UpdateItem", func() error {
			return f.d.UpdateItem(ctx, f.member, id, item, db.ItemUpdate{Heading: "Figures", Commentary: "Compare."})
		}},
		{"MoveItem", func() error {
			f.add(t, f.member, id, db.ItemInput{Kind: "article", ArticleSlug: "a"})
			from := lastSeq(t, f.d)
			_, err := f.d.MoveItem(ctx, f.member, id, item, 1)
			if err == nil && len(eventsSince(t, f.d, from)) == 0 {
				t.Error("a move stored no event")
			}
			return err
		}},
		{"UpdateCollection", func() error {
			return f.d.UpdateCollection(ctx, f.member, id, db.CollectionInput{Title: "Lesson one", Intro: "Read *carefully*."})
		}},
		{"Share", func() error { _, err := f.d.ShareCollection(ctx, f.member, id); return err }},
		{"Unshare", func() error { return f.d.UnshareCollection(ctx, f.member, id) }},
		{"RemoveItem", func() error { return f.d.RemoveItem(ctx, f.member, id, item) }},
		{"Delete", func() error { _, err := f.d.DeleteCollection(ctx, f.member, id); return err }},
	} {
		t.Run(c.name, func(t *testing.T) {
			from := lastSeq(t, f.d)
			if err := c.change(); err != nil {
				t.Fatal(err)
			}
			evs := eventsSince(t, f.d, from)
			if len(evs) == 0 {
				t.Fatal("no event")
			}
			e := evs[len(evs)-1]
			if e.Kind != db.CollectionChanged || e.ActorID != f.member.UserID || e.UserID != f.member.UserID || e.ArticleID != 0 || e.GroupID != 0 {
				t.Errorf("stored %+v", e)
			}
		})
	}
	t.Run("RefusedChangeStoresNone", func(t *testing.T) {
		other := f.collection(t, f.member, "Mine", "")
		from := lastSeq(t, f.d)
		if err := f.d.UpdateCollection(ctx, f.outsider, other, db.CollectionInput{Title: "Theirs"}); err == nil {
			t.Fatal("an outsider changed another's collection")
		}
		if evs := eventsSince(t, f.d, from); len(evs) != 0 {
			t.Errorf("a refused change stored %v", kinds(evs))
		}
	})
}

package storetest

import (
	"context"
	"strings"
	"testing"

	"gloss/db"
)

// TestImportAnnotations: a file's items, read by the web side, are stored
// as the importer's own, replies after what they answer, all or nothing
// unless partial, with each refusal reported by item.
func TestImportAnnotations(t *testing.T) {
	ctx := context.Background()
	f := newAnnotationFixture(t, sampleText)
	passage := func(key, exact string) db.ImportItem {
		return db.ImportItem{From: "http://there.example/" + key, Key: "there.example/" + key, ArticleSlug: "a", HasSelector: true,
			Annotation: db.AnnotationInput{Start: -1, End: -1, Exact: exact, Body: "text of " + key}, Visibility: db.Private}
	}
	reply := func(key, parent string) db.ImportItem {
		return db.ImportItem{From: "http://there.example/" + key, Key: "there.example/" + key, Parent: "there.example/" + parent,
			ParentIRI: "http://there.example/" + parent, Annotation: db.AnnotationInput{Start: -1, End: -1, Body: "text of " + key}, Visibility: db.Private}
	}
	count := func() int {
		_, n, err := f.d.AnnotationsPage(ctx, f.author, 0, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	t.Run("RepliesAfterParents", func(t *testing.T) {
		// A reply to a reply, listed before both.
		items := []db.ImportItem{reply("annotations/3", "annotations/2"), reply("annotations/2", "annotations/1"), passage("annotations/1", "Aid groups estimate")}
		rep, err := f.d.ImportAnnotations(ctx, f.author, items, db.ImportOptions{})
		if err != nil || !rep.Stored || rep.Taken != 3 {
			t.Fatalf("%+v %v", rep, err)
		}
		ids := map[int]int64{}
		for _, c := range rep.Created {
			ids[c.Index] = c.AnnotationID
		}
		for child, parent := range map[int]int{0: 1, 1: 2} {
			a, err := f.d.AnnotationByID(ctx, f.author, ids[child])
			if err != nil || a.ParentID != ids[parent] || a.Body != "text of annotations/"+string(rune('3'-child)) {
				t.Errorf("item %d: parent %d, want %d; body %q (%v)", child, a.ParentID, ids[parent], a.Body, err)
			}
		}
		if rep.Created[0].Index != 0 || rep.Created[0].From != "http://there.example/annotations/3" || rep.Created[0].ArticleSlug != "a" {
			t.Errorf("created %+v", rep.Created[0])
		}
	})

	t.Run("RefusalsAndRollback", func(t *testing.T) {
		tagged := reply("annotations/11", "annotations/1")
		tagged.TagList = []string{"tagged"}
		items := []db.ImportItem{
			passage("annotations/1", "Aid groups estimate"),
			passage("annotations/1", "Beijing denied"),             // same id
			reply("annotations/5", "annotations/6"),                // a cycle
			reply("annotations/6", "annotations/5"),                // of two
			reply("annotations/7", "annotations/7"),                // itself
			passage("annotations/8", "North Koreans"),              // twice in the text
			{From: "x", Err: db.Errorf(db.EINVALID, "read wrong")}, // refused as it was read
			reply("annotations/9", "annotations/404"),              // not in the file
			tagged,
			reply("annotations/12", "annotations/13"), // answers a refused item
			{From: "http://there.example/annotations/13", Key: "there.example/annotations/13", Err: db.Errorf(db.EINVALID, "unreadable")},
		}
		want := map[int]string{
			1:  "already used by item 0",
			2:  "replies to item 3",
			3:  "cycle",
			4:  "cycle",
			5:  "occurs 2 times",
			6:  "read wrong",
			7:  "which is not in this file",
			8:  "A reply cannot carry tags",
			9:  "which is not in this file",
			10: "unreadable",
		}
		before := count()
		rep, err := f.d.ImportAnnotations(ctx, f.author, items, db.ImportOptions{})
		if err != nil || rep.Stored || rep.Taken != 0 || rep.Ready != 1 || len(rep.Refused) != len(want) {
			t.Fatalf("%+v %v", rep, err)
		}
		for i, r := range rep.Refused {
			if !strings.Contains(r.Reason, want[r.Index]) || r.Code != db.EINVALID && r.Code != db.ENOTFOUND {
				t.Errorf("item %d: %s %q, want %q", r.Index, r.Code, r.Reason, want[r.Index])
			}
			if i > 0 && rep.Refused[i-1].Index >= r.Index {
				t.Errorf("refusals out of file order: %+v", rep.Refused)
			}
		}
		if rep.Refused[5].From != "x" {
			t.Errorf("a refusal names the item's id: %+v", rep.Refused[5])
		}
		if count() != before {
			t.Fatal("a refused all-or-nothing import stored something")
		}
		rep, err = f.d.ImportAnnotations(ctx, f.author, items, db.ImportOptions{Partial: true})
		if err != nil || !rep.Stored || rep.Taken != 1 || count() != before+1 {
			t.Fatalf("partial: %+v %v", rep, err)
		}
	})

	t.Run("AudienceAndText", func(t *testing.T) {
		shared := func(key, name string, local int64) db.ImportItem {
			it := passage(key, "Aid groups estimate")
			it.Visibility, it.GroupIRI, it.GroupName, it.LocalGroup = db.Shared, "http://there.example/groups/1", name, local
			return it
		}
		changed := passage("annotations/21", "Beijing denied")
		changed.SHA256 = strings.Repeat("0", 64)
		changed.Annotation.Start, changed.Annotation.End = 0, 3
		note := db.ImportItem{From: "n", ArticleSlug: "a", Annotation: db.AnnotationInput{Body: "on the whole"}, Visibility: db.Public}
		noteWithTags := note
		noteWithTags.TagList = []string{"x"}
		items := []db.ImportItem{shared("annotations/20", f.group.Name, f.group.ID), shared("annotations/22", "Another name", f.group.ID),
			shared("annotations/23", "", 0), changed, note, noteWithTags}
		rep, err := f.d.ImportAnnotations(ctx, f.member, items, db.ImportOptions{Partial: true})
		if err != nil || len(rep.Created) != 5 || len(rep.Refused) != 1 || !strings.Contains(rep.Refused[0].Reason, "a note cannot carry tags") {
			t.Fatalf("%+v %v", rep, err)
		}
		c := rep.Created
		if c[0].Visibility != "group" || c[0].GroupID != f.group.ID || len(c[0].Notes) != 0 {
			t.Errorf("the same group here: %+v", c[0])
		}
		if c[1].Visibility != "private" || !strings.Contains(c[1].Notes[0], "not the file's “Another name”") {
			t.Errorf("a group of another name: %+v", c[1])
		}
		if c[2].Visibility != "private" || !strings.Contains(c[2].Notes[0], "is not on this server") {
			t.Errorf("a group elsewhere: %+v", c[2])
		}
		if !strings.Contains(strings.Join(c[3].Notes, " "), "anchored by the quote") {
			t.Errorf("other text: %+v", c[3])
		}
		a, err := f.d.AnnotationByID(ctx, f.member, c[3].AnnotationID)
		if err != nil || a.Selector.Exact != "Beijing denied" {
			t.Errorf("anchored at %+v, %v", a.Selector, err)
		}
		if c[4].NoteID == 0 || c[4].AnnotationID != 0 || c[4].Visibility != "public" {
			t.Errorf("a note: %+v", c[4])
		}
	})

	t.Run("Policy", func(t *testing.T) {
		items := []db.ImportItem{passage("x", "Aid groups estimate")}
		if _, err := f.d.ImportAnnotations(ctx, f.anonymous, items, db.ImportOptions{}); db.ErrorCode(err) != db.EUNAUTHORIZED {
			t.Errorf("anonymous: %v", err)
		}
		if _, err := f.d.ImportAnnotations(ctx, f.outsider, items, db.ImportOptions{Visibility: db.ImportGroup, GroupID: f.group.ID}); db.ErrorCode(err) != db.ENOTFOUND {
			t.Errorf("outsider into the group: %v", err)
		}
		rep, err := f.d.ImportAnnotations(ctx, f.member, items, db.ImportOptions{Visibility: db.ImportGroup, GroupID: f.group.ID})
		if err != nil || rep.Created[0].Visibility != "group" || rep.Created[0].GroupID != f.group.ID {
			t.Errorf("member into the group: %+v %v", rep, err)
		}
		// Imports leave the person's default visibility alone.
		p, err := f.d.PreferencesOf(ctx, f.member.UserID)
		if err != nil || p.Visibility != db.Private {
			t.Errorf("preferences %+v %v", p, err)
		}
		for name, opts := range map[string]db.ImportOptions{"NoGroup": {Visibility: db.ImportGroup}, "OddChoice": {Visibility: "friends"}} {
			if _, err := f.d.ImportAnnotations(ctx, f.member, items, opts); db.ErrorCode(err) != db.EINVALID {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, err := f.d.ImportAnnotations(ctx, f.member, nil, db.ImportOptions{}); db.ErrorCode(err) != db.EINVALID {
			t.Errorf("an empty file: %v", err)
		}
	})
}

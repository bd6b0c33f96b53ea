package storetest

import (
	"context"
	"strconv"
	"testing"

	"gloss/db"
)

func TestTagsAdmin(t *testing.T) {
	ctx := context.Background()
	f := newAnnotationFixture(t, sampleText)
	adminU := mustUser(t, f.d, "admin@example.org", "Admin", true)
	admin, _ := f.d.ViewerFor(ctx, adminU)
	s, e := rng(sampleText, "UNHCR")
	a := f.create(t, f.author, db.AnnotationInput{Start: s, End: e, Tags: "actors/unhcr, ngo", Visibility: "public"})
	f.create(t, f.author, db.AnnotationInput{Start: s, End: e, Tags: "secret-plan", Visibility: "private"})
	b := f.create(t, f.member, db.AnnotationInput{Start: s, End: e, Tags: "NGOs", Visibility: "public"})

	t.Run("CountsRespectVisibility", func(t *testing.T) {
		tags, err := f.d.TagsWithCounts(ctx, db.Anonymous)
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]int{}
		for _, tg := range tags {
			names[tg.Name] = tg.Annotations
		}
		if _, ok := names["secret-plan"]; ok {
			t.Error("a tag used only privately is listed to others")
		}
		if names["actors/unhcr"] != 1 || names["ngos"] != 1 {
			t.Errorf("counts %v", names)
		}
		mine, _ := f.d.TagsWithCounts(ctx, f.author)
		found := false
		for _, tg := range mine {
			found = found || tg.Name == "secret-plan"
		}
		if !found {
			t.Error("the author does not see their own private tag")
		}
	})
	t.Run("OnlyAdmins", func(t *testing.T) {
		if _, err := f.d.UpdateTag(ctx, f.author, "ngo", db.TagUpdate{Name: "ngo", Color: 2}); db.ErrorCode(err) != db.EFORBIDDEN {
			t.Errorf("a user renaming: %v", err)
		}
		if err := f.d.MergeTags(ctx, f.member, "ngos", "ngo"); db.ErrorCode(err) != db.EFORBIDDEN {
			t.Errorf("a user merging: %v", err)
		}
	})
	t.Run("RenameMovesChildren", func(t *testing.T) {
		if _, err := f.d.UpdateTag(ctx, admin, "actors/unhcr", db.TagUpdate{Name: "actors/unhcr", Color: 3, Description: "The UN refugee agency"}); err != nil {
			t.Fatal(err)
		}
		// Rename the parent: there is no tag "actors" itself, so create one.
		f.create(t, f.author, db.AnnotationInput{Start: s, End: e, Tags: "actors", Visibility: "public"})
		if _, err := f.d.UpdateTag(ctx, admin, "actors", db.TagUpdate{Name: "people", Color: -1}); err != nil {
			t.Fatal(err)
		}
		got, _ := f.d.AnnotationByID(ctx, f.author, a.ID)
		if got.Tags[0] != "ngo" || got.Tags[1] != "people/unhcr" {
			t.Errorf("tags after renaming the parent: %q", got.Tags)
		}
		colors, _ := f.d.TagColors(ctx)
		if colors["people/unhcr"] != 3 {
			t.Errorf("colour lost in the rename: %d", colors["people/unhcr"])
		}
		if _, err := f.d.UpdateTag(ctx, admin, "ngo", db.TagUpdate{Name: "ngos", Color: -1}); db.ErrorCode(err) != db.ECONFLICT {
			t.Errorf("renaming onto an existing tag: %v", err)
		}
		if _, err := f.d.UpdateTag(ctx, admin, "ngo", db.TagUpdate{Name: "ngo", Color: 9}); db.ErrorCode(err) != db.EINVALID {
			t.Errorf("colour 9: %v", err)
		}
	})
	t.Run("MergeMovesUses", func(t *testing.T) {
		if err := f.d.MergeTags(ctx, admin, "ngos", "ngo"); err != nil {
			t.Fatal(err)
		}
		got, _ := f.d.AnnotationByID(ctx, f.member, b.ID)
		if len(got.Tags) != 1 || got.Tags[0] != "ngo" {
			t.Errorf("tags after merge: %q", got.Tags)
		}
		if err := f.d.MergeTags(ctx, admin, "ngos", "ngo"); db.ErrorCode(err) != db.ENOTFOUND {
			t.Errorf("merging a gone tag: %v", err)
		}
	})
}

func TestCodebook(t *testing.T) {
	ctx := context.Background()
	f := newAnnotationFixture(t, sampleText)
	g := f.group.ID
	s, e := rng(sampleText, "UNHCR")
	f.create(t, f.member, db.AnnotationInput{Start: s, End: e, Tags: "access, unhcr", Visibility: "group", Group: strconv.FormatInt(g, 10)})
	if _, err := f.d.SetCodebookEntries(ctx, f.member, g, [][2]string{{"access", "x"}}); db.ErrorCode(err) != db.EFORBIDDEN {
		t.Errorf("a member defining: %v", err)
	}
	n, err := f.d.SetCodebookEntries(ctx, f.author, g, [][2]string{{"Access", "Whether aid reaches them"}, {"deportation", "Forced return"}})
	if err != nil || n != 2 {
		t.Fatalf("define: %d, %v", n, err)
	}
	if _, err := f.d.SetCodebookEntries(ctx, f.author, g, [][2]string{{"fine", "ok"}, {"bad,two", "x"}}); db.ErrorCode(err) != db.EINVALID {
		t.Errorf("a bad row: %v", err)
	}
	book, err := f.d.Codebook(ctx, f.member, g)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]db.CodebookEntry{}
	for _, e := range book {
		got[e.Tag] = e
	}
	if len(book) != 3 || got["access"].Definition != "Whether aid reaches them" || got["access"].Uses != 1 || got["unhcr"].InCodebook || got["fine"].Tag != "" {
		t.Errorf("codebook %+v", book)
	}
	if _, err := f.d.Codebook(ctx, f.outsider, g); db.ErrorCode(err) != db.ENOTFOUND {
		t.Errorf("an outsider reading: %v", err)
	}
}

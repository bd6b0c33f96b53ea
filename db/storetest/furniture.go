package storetest

import (
	"context"
	"slices"
	"testing"

	"gloss/db"
)

func TestImportFurniture(t *testing.T) {
	ctx := context.Background()
	body := "Accessibility links\n\nBreaking News\n\nThe article’s first line.\n\nBreaking News again."
	in := db.ArticleInput{Slug: "furnished", Title: "Furnished", Body: body,
		Furniture: []string{"Accessibility links", "Breaking News"}}

	t.Run("SpansInCodePoints", func(t *testing.T) {
		d := MustOpenDB(t)
		if _, err := d.ImportArticle(ctx, in); err != nil {
			t.Fatal(err)
		}
		a, err := d.ArticleBySlug(ctx, "furnished")
		if err != nil {
			t.Fatal(err)
		}
		want := []db.Span{{Start: 0, End: 19}, {Start: 21, End: 34}}
		if !slices.Equal(a.Furniture, want) {
			t.Errorf("furniture %v, want %v", a.Furniture, want)
		}
		if a.Body != body {
			t.Error("marking furniture changed the text")
		}
	})

	t.Run("MarkedAnewWithoutARevision", func(t *testing.T) {
		d := MustOpenDB(t)
		bare := in
		bare.Furniture = nil
		if _, err := d.ImportArticle(ctx, bare); err != nil {
			t.Fatal(err)
		}
		for round, want := range []db.ImportOutcome{db.ImportUpdated, db.ImportUnchanged} {
			got, err := d.ImportArticle(ctx, in)
			if err != nil || got != want {
				t.Fatalf("round %d: outcome %s, %v; want %s", round, got, err, want)
			}
		}
		a, err := d.ArticleBySlug(ctx, "furnished")
		if err != nil {
			t.Fatal(err)
		}
		if a.Revision != 1 || len(a.Furniture) != 2 {
			t.Errorf("revision %d with furniture %v, want revision 1 with two spans", a.Revision, a.Furniture)
		}
	})

	t.Run("ErrNotInText", func(t *testing.T) {
		d := MustOpenDB(t)
		bad := in
		bad.Furniture = []string{"Breaking News", "Accessibility links"} // out of order
		if _, err := d.ImportArticle(ctx, bad); db.ErrorCode(err) != db.EINVALID {
			t.Fatalf("err = %v, want invalid", err)
		}
		if _, err := d.ArticleBySlug(ctx, "furnished"); db.ErrorCode(err) != db.ENOTFOUND {
			t.Errorf("a refused import left the article behind: %v", err)
		}
	})

	t.Run("SeedFurniture", func(t *testing.T) {
		d := MustOpenDB(t)
		for _, in := range seedInputs(t) {
			if _, err := d.ImportArticle(ctx, in); err != nil {
				t.Fatal(err)
			}
			a, err := d.ArticleBySlug(ctx, in.Slug)
			if err != nil {
				t.Fatal(err)
			}
			if len(a.Furniture) != len(in.Furniture) || len(a.Furniture) == 0 {
				t.Errorf("%s: %d spans for %d passages", in.Slug, len(a.Furniture), len(in.Furniture))
			}
			runes := []rune(a.Body)
			for i, s := range a.Furniture {
				if got := string(runes[s.Start:s.End]); got != in.Furniture[i] {
					t.Errorf("%s: span %v is %q, want %q", in.Slug, s, got, in.Furniture[i])
				}
			}
		}
	})
}

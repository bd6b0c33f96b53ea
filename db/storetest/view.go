package storetest

import (
	"context"
	"slices"
	"testing"

	"gloss/db"
)

// TestView: a View's reads share one snapshot. Another's write made
// while it lasts shows after it and not inside it: in the margin, in a
// search, in a View within the View. A write made through the View's own
// ctx shows to its reads after it (a new snapshot). A search from a
// View's older snapshot leaves no rank behind that a later search would
// use: the edited row ranks by its new text.
func TestView(t *testing.T) {
	ctx := context.Background()
	f := newAnnotationFixture(t, sampleText)
	at := func(quote string) db.AnnotationInput {
		s, e := rng(sampleText, quote)
		return db.AnnotationInput{Start: s, End: e, Exact: quote, Visibility: "public"}
	}
	withBody := func(in db.AnnotationInput, body string) db.AnnotationInput { in.Body = body; return in }
	a := f.create(t, f.author, withBody(at("50,000 North Koreans"),
		"zebrafish, and a long line of other words about the count of refugees in the north of China"))
	b := f.create(t, f.member, withBody(at("Aid groups estimate"), "zebrafish zebrafish, said the keeper"))

	ids := func(ctx context.Context) []int64 {
		t.Helper()
		list, err := f.d.ArticleAnnotations(ctx, db.Anonymous, f.article.ID, db.AnnotationFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return flatIDs(list) // no replies here: the margin's top-level ids
	}
	found := func(ctx context.Context) []int64 {
		t.Helper()
		res, err := f.d.Search(ctx, db.Anonymous, "zebrafish", db.SearchFilter{Kind: "annotation"}, 1, 10)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		return out
	}
	before := func(list []int64, x, y int64) bool {
		i, j := slices.Index(list, x), slices.Index(list, y)
		return i >= 0 && j >= 0 && i < j
	}

	var c db.Annotation
	err := f.d.View(ctx, func(ctx context.Context) error {
		first := ids(ctx)
		if !slices.Equal(first, []int64{a.ID, b.ID}) {
			t.Fatalf("the View reads %v, want %v", first, []int64{a.ID, b.ID})
		}
		// Another's write during the View: an edit that makes a the better
		// match. The View does not see it.
		if _, err := f.d.UpdateAnnotation(context.Background(), f.author, a.ID,
			db.AnnotationUpdate{Body: "zebrafish zebrafish zebrafish zebrafish", Visibility: "public"}); err != nil {
			t.Fatal(err)
		}
		if got := ids(ctx); !slices.Equal(got, first) {
			t.Errorf("after another's write, the View reads %v, want its snapshot's %v", got, first)
		}
		if got := found(ctx); !before(got, b.ID, a.ID) {
			t.Errorf("a search in the View finds %v: want the snapshot's ranking, b (%d) before a (%d)", got, b.ID, a.ID)
		}
		if err := f.d.View(ctx, func(ctx context.Context) error {
			if got := ids(ctx); !slices.Equal(got, first) {
				t.Errorf("a View within the View reads %v, want the outer snapshot's %v", got, first)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		// A write through the View's own ctx: its reads after it see it
		// (and, in the new snapshot, the edit too).
		var err error
		c, err = f.d.CreateAnnotation(ctx, f.outsider, f.article.ID,
			withBody(at("UNHCR asked"), "zebrafish, said a visitor to the aquarium in the city by the river"))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := ids(ctx), []int64{a.ID, b.ID, c.ID}; !slices.Equal(got, want) {
			t.Errorf("after its own write, the View reads %v, want %v", got, want)
		}
		if got := found(ctx); !slices.Contains(got, c.ID) || !before(got, a.ID, b.ID) {
			t.Errorf("after its own write, a search in the View finds %v: want c (%d), and a (%d) before b (%d)", got, c.ID, a.ID, b.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(ctx), []int64{a.ID, b.ID, c.ID}; !slices.Equal(got, want) {
		t.Errorf("after the View, reads %v, want %v", got, want)
	}
	// a ranks by its new text: no rank kept from the View's old snapshot.
	if got := found(ctx); len(got) != 3 || !before(got, a.ID, b.ID) {
		t.Errorf("after the View, a search finds %v: want three, a (%d) before b (%d)", got, a.ID, b.ID)
	}

	// A View's error is fn's, and the store is as usable after it.
	bad := db.Errorf(db.EINVALID, "no")
	if err := f.d.View(ctx, func(context.Context) error { return bad }); err != bad {
		t.Errorf("View returned %v, want fn's error", err)
	}
	if got := ids(ctx); len(got) != 3 {
		t.Errorf("after a failed View, reads %v", got)
	}
}

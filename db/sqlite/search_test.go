package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"gloss/db"
	"gloss/db/sqlite"
)

// TestSearchSeesAnotherProcess: a second store on the same file stands
// for another process (web seed beside a running server). What one store
// keeps of its searches (the articles' windows) never hides the other's
// writes: new articles and revised text are found, or no longer found,
// at once.
func TestSearchSeesAnotherProcess(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "gloss.db")
	open := func() *sqlite.Store {
		d, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		return d
	}
	server, other := open(), open()
	found := func(q string) []int64 {
		t.Helper()
		res, err := server.Search(ctx, db.Anonymous, q, db.SearchFilter{}, 1, db.MaxPerPage)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, h := range res.Hits {
			ids = append(ids, h.ArticleID)
		}
		return ids
	}
	if _, err := server.ImportArticle(ctx, db.ArticleInput{Slug: "a", Title: "A", Body: "Nothing about the animal here."}); err != nil {
		t.Fatal(err)
	}
	if got := found("okapi"); got != nil {
		t.Fatalf("found %v before anything says okapi", got)
	}
	if _, err := other.ImportArticle(ctx, db.ArticleInput{Slug: "b", Title: "B", Body: "An okapi in the forest."}); err != nil {
		t.Fatal(err)
	}
	b, err := server.ArticleBySlug(ctx, "b")
	if err != nil {
		t.Fatal(err)
	}
	if got := found("okapi"); len(got) != 1 || got[0] != b.ID {
		t.Errorf("after the other store's import, okapi finds %v, want [%d]", got, b.ID)
	}
	if _, err := other.ImportArticle(ctx, db.ArticleInput{Slug: "b", Title: "B", Body: "An eland in the forest."}); err != nil {
		t.Fatal(err)
	}
	if got := found("okapi"); got != nil {
		t.Errorf("after the other store's revision, okapi still finds %v", got)
	}
}

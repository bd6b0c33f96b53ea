package sqlstore_test

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"gloss/db"
	"gloss/db/sqlite"
	"gloss/db/storetest"
)

// recorder is an Observer that keeps what it hears.
type recorder struct {
	mu      sync.Mutex
	batches []int
	windows map[string][]int
}

func (r *recorder) WriteBatch(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.batches = append(r.batches, n)
}

func (r *recorder) SearchWindow(index string, n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.windows == nil {
		r.windows = map[string][]int{}
	}
	r.windows[index] = append(r.windows[index], n)
}

func TestOpenWith(t *testing.T) {
	ctx := context.Background()
	rec := &recorder{}
	var migrations []string
	d, err := sqlite.OpenWith(ctx, filepath.Join(t.TempDir(), "gloss.db"), sqlite.Options{
		Observer:  rec,
		Migrating: func(version int, name string) { migrations = append(migrations, name) },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()

	t.Run("Migrating", func(t *testing.T) {
		_, known, err := d.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(migrations) != known || migrations[0] != "0001_articles.sql" {
			t.Errorf("heard of migrations %q, want all %d from 0001_articles.sql", migrations, known)
		}
	})
	t.Run("WriteBatch", func(t *testing.T) {
		before := d.Stats().WriteBatches
		storetest.MustUser(t, d, "one@example.org", "One", false)
		storetest.MustUser(t, d, "two@example.org", "Two", false)
		rec.mu.Lock()
		got := slices.Clone(rec.batches)
		rec.mu.Unlock()
		// Written one after the other: two transactions of one write each.
		if !slices.Equal(got, []int{1, 1}) {
			t.Errorf("batches heard %v, want [1 1]", got)
		}
		if st := d.Stats(); st.WriteBatches-before != 2 || st.WriteQueue != 0 {
			t.Errorf("stats %+v, want 2 more batches and an empty queue", st)
		}
	})
	t.Run("SearchWindow", func(t *testing.T) {
		if _, err := d.ImportArticle(ctx, db.ArticleInput{Slug: "a", Title: "A", Body: "refugees crossed the border"}); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Search(ctx, db.Anonymous, "refugees", db.SearchFilter{}, 1, 10); err != nil {
			t.Fatal(err)
		}
		rec.mu.Lock()
		defer rec.mu.Unlock()
		for index, want := range map[string][]int{"articles": {1}, "annotations": {0}, "notes": {0}} {
			if !slices.Equal(rec.windows[index], want) {
				t.Errorf("%s windows %v, want %v", index, rec.windows[index], want)
			}
		}
	})
}

package sqlstore_test

import (
	"context"
	"testing"

	"gloss/db"
)

// BenchmarkLibraryLarge times what the library page asks of the store on
// the benchmark corpus (10,000 articles, 200,000 annotations, see
// openBenchCorpus): one page of 50 articles, their visible counts, and the
// publication list. (The page before pagination did this for all 10,000
// articles, with counts grouped over every annotation: docs/performance.md.)
//
//	go test ./db -run '^$' -bench LibraryLarge -benchtime 20x
func BenchmarkLibraryLarge(b *testing.B) {
	c := openBenchCorpus(b)
	ctx := context.Background()
	const perPage = 50
	page := func(b *testing.B, v db.Viewer, f db.ArticleFilter, n int) {
		p, err := c.d.ArticlesPage(ctx, f, n, perPage)
		if err != nil {
			b.Fatal(err)
		}
		ids := make([]int64, len(p.Articles))
		for i, a := range p.Articles {
			ids[i] = a.ID
		}
		counts, err := c.d.ArticleCounts(ctx, v, ids)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.d.Publications(ctx); err != nil {
			b.Fatal(err)
		}
		if len(p.Articles) != perPage || len(counts) == 0 {
			b.Fatalf("page %d: %d articles, %d counted", n, len(p.Articles), len(counts))
		}
	}
	for _, tc := range []struct {
		name string
		f    db.ArticleFilter
		page int
	}{
		{"First", db.ArticleFilter{Sort: db.SortNewest}, 1},
		{"Page100", db.ArticleFilter{Sort: db.SortNewest}, 100},
		{"LastByTitle", db.ArticleFilter{Sort: db.SortTitle}, benchArticles / perPage},
		{"OldestPage50", db.ArticleFilter{Sort: db.SortOldest}, 50},
		{"Publication", db.ArticleFilter{Sort: db.SortNewest, Publication: "Asia Times"}, 2},
	} {
		for _, who := range []struct {
			name string
			v    db.Viewer
		}{{"anonymous", db.Anonymous}, {"member", c.member}} {
			b.Run(tc.name+"/"+who.name, func(b *testing.B) {
				for b.Loop() {
					page(b, who.v, tc.f, tc.page)
				}
			})
		}
	}
	b.Run("Publications", func(b *testing.B) {
		for b.Loop() {
			if _, err := c.d.Publications(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}

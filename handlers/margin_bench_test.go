package handlers_test

import (
	"context"
	"fmt"
	"testing"

	"gloss/db"
	"gloss/handlers"
)

// BenchmarkReaderHot renders the reader of an article as hot as the mixed
// load leaves one (about 1,100 public annotations, a third with a reply,
// tags on half) to a signed-in reader: the whole request through Echo, the
// store and templ, gzipped as browsers ask, without the page cache (which
// keeps signed-in pages whole too since issue 22: under the mixed load a
// hot article changes about every second, so its pages are rendered far
// more often than they are kept). docs/performance.md has its figures
// before and after the margin was paged (handlers/margin.go).
func BenchmarkReaderHot(b *testing.B) {
	e, store := newAppWith(b, handlers.Config{PageCacheBytes: -1})
	ctx := context.Background()
	u := mustUser(b, store, "writer@example.org", "Writer", false)
	v, _ := store.ViewerFor(ctx, u)
	mustUser(b, store, "reader@example.org", "Reader", false)
	const slug = "desperate-n-koreans-seek-asylum-in-china"
	a, err := store.ArticleBySlug(ctx, slug)
	if err != nil {
		b.Fatal(err)
	}
	annotateAt(b, store, v, a, 1100, 3, "A reply from the load test.", func(i int, in *db.AnnotationInput) {
		in.Visibility, in.Body = "public", fmt.Sprintf("Load test comment %d on *this* passage.", i)
		if i%2 == 0 {
			in.Tags = "load, class"
		}
	})
	cl := signedIn(b, e, "reader@example.org")
	benchPage(b, e, cl, "/articles/"+slug, "gzip")
}

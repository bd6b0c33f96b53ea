package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"gloss/db"
)

// BenchmarkReaderHot renders the reader of an article as hot as the mixed
// load leaves one (about 1,100 public annotations, a third with a reply,
// tags on half) to a signed-in reader, whose pages are not kept whole: the
// whole request through Echo, the store and templ, gzipped as browsers
// ask. docs/performance.md has its figures before and after the margin
// was paged (handlers/margin.go).
func BenchmarkReaderHot(b *testing.B) {
	e, store := newApp(b)
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
	req := httptest.NewRequest(http.MethodGet, origin+"/articles/"+slug, nil)
	for _, c := range cl.jar.Cookies(req.URL) {
		req.AddCookie(c)
	}
	req.Header.Set("Accept-Encoding", "gzip")
	var size int
	for b.Loop() {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
		size = rec.Body.Len()
	}
	b.ReportMetric(float64(size)/1024, "KiB/page")
}

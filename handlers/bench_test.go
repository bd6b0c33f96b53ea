package handlers_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"gloss/db"
	"gloss/db/sqlite"
	"gloss/handlers"
)

// BenchmarkReader500 renders the longest seed article with 500 overlapping
// annotations (a third with replies, tags on half), as their author sees it:
// the whole request through Echo, the store and templ.
func BenchmarkReader500(b *testing.B) {
	e, store := newApp(b)
	ctx := context.Background()
	u := mustUser(b, store, "bench@example.org", "Bench", false)
	v, _ := store.ViewerFor(ctx, u)
	const slug = "desperate-n-koreans-seek-asylum-in-china"
	a, err := store.ArticleBySlug(ctx, slug)
	if err != nil {
		b.Fatal(err)
	}
	annotateAt(b, store, v, a, 500, 1, "A reply", func(i int, in *db.AnnotationInput) {
		in.Visibility, in.Body = "private", fmt.Sprintf("Comment %d with *emphasis*", i)
		if i%2 == 0 {
			in.Tags = fmt.Sprintf("tag%d, theme%d", i%7, i%3)
		}
	})
	cl := signedIn(b, e, "bench@example.org")
	// Browsers (and Go's client, as cmd/loadgen) ask for gzip: the
	// compression is part of what a page costs.
	for _, enc := range []string{"identity", "gzip"} {
		b.Run(enc, func(b *testing.B) { benchPage(b, e, cl, "/articles/"+slug, enc) })
	}
}

// BenchmarkReaderSuggestions renders each seed article (with the starter
// set) to a signed-in reader with the Suggestions switch on (the panel)
// and off (the count only): the whole request through Echo, the store and
// templ, the suggestions from the cache after the first request; and cold,
// on a new server each time, so each request extracts them. The extraction
// alone is db/suggest's BenchmarkSeeds.
func BenchmarkReaderSuggestions(b *testing.B) {
	e, store := newApp(b)
	mustUser(b, store, "bench@example.org", "Bench", false)
	cl := signedIn(b, e, "bench@example.org")
	list, err := store.Articles(context.Background(), db.ArticleFilter{Sort: db.SortOldest})
	if err != nil {
		b.Fatal(err)
	}
	// On first: then off finds them in the cache and shows the count.
	for _, mode := range []string{"on", "off"} {
		for _, a := range list {
			b.Run(mode+"/"+a.Slug, func(b *testing.B) {
				req := httptest.NewRequest(http.MethodGet, origin+"/articles/"+a.Slug+"?suggestions="+mode, nil)
				for _, c := range cl.jar.Cookies(req.URL) {
					req.AddCookie(c)
				}
				var items int
				for b.Loop() {
					rec := httptest.NewRecorder()
					e.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK {
						b.Fatalf("status %d", rec.Code)
					}
					items = strings.Count(rec.Body.String(), `data-testid="suggestion"`)
				}
				b.ReportMetric(float64(items), "suggestions")
			})
		}
	}
	// Cold: a new server (an empty cache) for each request, so each one
	// extracts the suggestions (the first reader of a revision pays this).
	for _, a := range list {
		b.Run("cold/"+a.Slug, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				fresh, err := handlers.New(store, handlers.Config{})
				if err != nil {
					b.Fatal(err)
				}
				req := httptest.NewRequest(http.MethodGet, origin+"/articles/"+a.Slug+"?suggestions=on", nil)
				for _, c := range cl.jar.Cookies(req.URL) {
					req.AddCookie(c)
				}
				rec := httptest.NewRecorder()
				b.StartTimer()
				fresh.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `data-testid="suggestions"`) {
					b.Fatalf("status %d, or no suggestions", rec.Code)
				}
			}
		})
	}
}

// annotateAt writes n annotations by v on article a, each at a passage
// chosen by a generator seeded with seed (5 to 155 characters long, so
// they overlap), a third of them with a reply saying reply; fill says
// what annotation i is (its visibility, body, tags).
func annotateAt(b *testing.B, store *sqlite.Store, v db.Viewer, a db.Article, n int, seed uint64, reply string, fill func(i int, in *db.AnnotationInput)) {
	b.Helper()
	ctx := context.Background()
	length := len([]rune(a.Body))
	rng := rand.New(rand.NewPCG(seed, seed+1))
	for i := range n {
		start := rng.IntN(length - 200)
		in := db.AnnotationInput{Start: start, End: start + 5 + rng.IntN(150)}
		fill(i, &in)
		an, err := store.CreateAnnotation(ctx, v, a.ID, in)
		if err != nil {
			b.Fatal(err)
		}
		if i%3 == 0 {
			if _, err := store.CreateReply(ctx, v, an.ID, reply); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// benchPage asks for path as cl, with Accept-Encoding enc, in the
// benchmark's loop, and reports the page's size as sent.
func benchPage(b *testing.B, e http.Handler, cl *client, path, enc string) {
	req := httptest.NewRequest(http.MethodGet, origin+path, nil)
	for _, c := range cl.jar.Cookies(req.URL) {
		req.AddCookie(c)
	}
	req.Header.Set("Accept-Encoding", enc)
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

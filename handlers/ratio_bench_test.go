package handlers_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/db/sqlite"
)

// The ratio benchmarks time two things in alternation in one run and
// report how many times slower the first is, which holds on a noisy
// machine where absolute figures do not:
//
//	go test ./handlers -run '^$' -bench Ratio -benchtime 200x

const ratioSlug = "desperate-n-koreans-seek-asylum-in-china"

// with500 is an app whose longest seed article carries 500 overlapping
// annotations by one user (a third with replies, half tagged), and that
// user signed in.
func with500(b *testing.B) (*echo.Echo, *sqlite.Store, *client, db.Viewer, db.Article) {
	e, store := newApp(b)
	ctx := context.Background()
	u := mustUser(b, store, "bench@example.org", "Bench", false)
	v, _ := store.ViewerFor(ctx, u)
	a, err := store.ArticleBySlug(ctx, ratioSlug)
	if err != nil {
		b.Fatal(err)
	}
	n := len([]rune(a.Body))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 500; i++ {
		start := rng.IntN(n - 200)
		in := db.AnnotationInput{Start: start, End: start + 5 + rng.IntN(150), Visibility: "private", Body: fmt.Sprintf("Comment %d with *emphasis*", i)}
		if i%2 == 0 {
			in.Tags = fmt.Sprintf("tag%d, theme%d", i%7, i%3)
		}
		an, err := store.CreateAnnotation(ctx, v, a.ID, in)
		if err != nil {
			b.Fatal(err)
		}
		if i%3 == 0 {
			if _, err := store.CreateReply(ctx, v, an.ID, "A reply"); err != nil {
				b.Fatal(err)
			}
		}
	}
	return e, store, signedIn(b, e, "bench@example.org"), v, a
}

// pairTimes collects the two sides' durations and reports medians, p99s
// and the ratio of the medians.
type pairTimes struct{ a, b []time.Duration }

func (p *pairTimes) report(b *testing.B, an, bn string) {
	med := func(ds []time.Duration, q float64) float64 {
		s := slices.Clone(ds)
		slices.Sort(s)
		return float64(s[min(len(s)-1, int(q*float64(len(s))))].Nanoseconds()) / 1e6
	}
	b.ReportMetric(med(p.a, 0.5), an+"-p50-ms")
	b.ReportMetric(med(p.a, 0.99), an+"-p99-ms")
	b.ReportMetric(med(p.b, 0.5), bn+"-p50-ms")
	b.ReportMetric(med(p.b, 0.99), bn+"-p99-ms")
	b.ReportMetric(med(p.a, 0.5)/med(p.b, 0.5), "ratio")
	b.ReportMetric(0, "ns/op") // the loop time mixes both sides: meaningless
}

// BenchmarkRatioReaderVsStatic: the reader page with 500 annotations
// against the very same bytes served as a file by the same server (same
// middleware, session and gzip), so the ratio is the cost of building the
// page.
func BenchmarkRatioReaderVsStatic(b *testing.B) {
	e, _, cl, _, _ := with500(b)
	page := cl.get("/articles/" + ratioSlug)
	if page.Code != http.StatusOK {
		b.Fatalf("reader: %d", page.Code)
	}
	file := filepath.Join(b.TempDir(), "page.html")
	if err := os.WriteFile(file, page.Body.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	e.GET("/bench/page.html", func(c echo.Context) error { return c.File(file) })
	reader := request(cl, "/articles/"+ratioSlug)
	static := request(cl, "/bench/page.html")
	var p pairTimes
	for b.Loop() {
		p.a = append(p.a, timeRequest(b, e, reader, http.StatusOK))
		p.b = append(p.b, timeRequest(b, e, static, http.StatusOK))
	}
	b.ReportMetric(float64(page.Body.Len())/1024, "KiB/page")
	p.report(b, "reader", "static")
}

// BenchmarkRatioCreateHTTPVsDB: creating an annotation through the form
// (session, CSRF check, parsing, anchoring, redirect) against the bare
// store call with the same input.
func BenchmarkRatioCreateHTTPVsDB(b *testing.B) {
	e, store, cl, v, a := with500(b)
	ctx := context.Background()
	runes := []rune(a.Body)
	rng := rand.New(rand.NewPCG(3, 4))
	var p pairTimes
	for b.Loop() {
		start := rng.IntN(len(runes) - 200)
		end := start + 5 + rng.IntN(100)
		form := url.Values{"start": {strconv.Itoa(start)}, "end": {strconv.Itoa(end)}, "exact": {string(runes[start:end])},
			"body": {"A comment from the benchmark"}, "tags": {"bench"}, "visibility": {"public"}}
		req := request(cl, "/articles/"+ratioSlug+"/annotations")
		req.Method = http.MethodPost
		req.Body = nil
		req = withForm(req, form)
		p.a = append(p.a, timeRequest(b, e, req, http.StatusSeeOther))
		t0 := time.Now()
		if _, err := store.CreateAnnotation(ctx, v, a.ID, db.AnnotationInput{Start: start, End: end, Exact: string(runes[start:end]),
			Body: "A comment from the benchmark", Tags: "bench", Visibility: "public"}); err != nil {
			b.Fatal(err)
		}
		p.b = append(p.b, time.Since(t0))
	}
	p.report(b, "http", "db")
}

// request makes a GET as the client would send it, cookies included.
func request(cl *client, path string) *http.Request {
	req := httptest.NewRequest(http.MethodGet, origin+path, nil)
	req.RemoteAddr = cl.ip + ":50000"
	u, _ := url.Parse(origin)
	for _, c := range cl.jar.Cookies(u) {
		req.AddCookie(c)
	}
	return req
}

func withForm(req *http.Request, form url.Values) *http.Request {
	r := httptest.NewRequest(http.MethodPost, req.URL.String(), strings.NewReader(form.Encode()))
	r.Header = req.Header.Clone()
	r.RemoteAddr = req.RemoteAddr
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	r.Header.Set("Origin", origin)
	return r
}

func timeRequest(b *testing.B, e *echo.Echo, req *http.Request, want int) time.Duration {
	rec := httptest.NewRecorder()
	t0 := time.Now()
	e.ServeHTTP(rec, req)
	d := time.Since(t0)
	if rec.Code != want {
		b.Fatalf("%s %s: status %d, want %d\n%.300s", req.Method, req.URL, rec.Code, want, rec.Body)
	}
	return d
}

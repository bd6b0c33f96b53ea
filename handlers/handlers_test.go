package handlers_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"

	"gloss/db/postgres/pgtest"
	"gloss/db/sqlite"
	"gloss/db/sqlstore"
	"gloss/handlers"
	"gloss/seeds"
)

// engine is the store the tests run on: SQLite, then (TestMain) again on
// PostgreSQL when a test server is named.
var engine = "sqlite"

// TestMain runs the HTTP tests on SQLite, then on PostgreSQL when
// GLOSS_TEST_POSTGRES names a server (and says why not otherwise).
func TestMain(m *testing.M) {
	code := m.Run()
	if !pgtest.Available() {
		fmt.Println("handlers: " + pgtest.SkipReason + "; the HTTP tests ran on SQLite only")
		os.Exit(code)
	}
	fmt.Println("handlers: the HTTP tests again, on PostgreSQL")
	engine = "postgres"
	if pg := m.Run(); code == 0 {
		code = pg
	}
	pgtest.Cleanup()
	os.Exit(code)
}

// openStore opens a new, empty store on the engine under test.
func openStore(tb testing.TB) *sqlstore.Store {
	tb.Helper()
	if engine == "postgres" {
		return pgtest.Open(tb)
	}
	store, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "gloss.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { store.Close() })
	return store
}

// newApp returns the Echo app over a fresh, seeded database.
func newApp(tb testing.TB) (*echo.Echo, *sqlite.Store) {
	tb.Helper()
	return newAppWith(tb, handlers.Config{})
}

func newAppWith(tb testing.TB, cfg handlers.Config) (*echo.Echo, *sqlite.Store) {
	tb.Helper()
	store := openStore(tb)
	if err := seeds.Import(context.Background(), store, nil); err != nil {
		tb.Fatal(err)
	}
	e, err := handlers.New(store, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return e, store
}

func get(tb testing.TB, e *echo.Echo, target string, header ...string) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

func parse(tb testing.TB, rec *httptest.ResponseRecorder) *goquery.Document {
	tb.Helper()
	doc, err := goquery.NewDocumentFromReader(rec.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return doc
}

func TestLibrary(t *testing.T) {
	e, _ := newApp(t)
	t.Run("ListsSeeds", func(t *testing.T) {
		rec := get(t, e, "/")
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d", rec.Code)
		}
		doc := parse(t, rec)
		items := doc.Find(`[data-testid="article"]`)
		if items.Length() != 5 {
			t.Fatalf("%d articles listed, want 5", items.Length())
		}
		first := items.First()
		if got := first.Find("h2 a").Text(); got != "Help the Refugees Who Reach China" {
			t.Errorf("newest first: got %q", got)
		}
		if got := first.Find(`[data-testid="authors"]`).Text(); got != "Joel R. Charny" {
			t.Errorf("authors %q", got)
		}
		if got := first.Find("time").AttrOr("datetime", ""); got != "2005-06-14" {
			t.Errorf("date %q", got)
		}
		if got := first.Find(`[data-testid="length"]`).Text(); !strings.Contains(got, "words") || !strings.Contains(got, "min read") {
			t.Errorf("length %q", got)
		}
		if href, _ := first.Find("h2 a").Attr("href"); href != "/articles/help-the-refugees-who-reach-china" {
			t.Errorf("link %q", href)
		}
		// Five articles fit on one page: no pager, no page number.
		if doc.Find(`[data-testid="pager"]`).Length() != 0 || doc.Find("title").Text() != "Library · Gloss" {
			t.Errorf("one page shows a pager or a page number: title %q", doc.Find("title").Text())
		}
		if got := strings.Join(strings.Fields(doc.Find(`[data-testid="library-count"]`).Text()), " "); got != "5 articles · Index of publications, authors and years" {
			t.Errorf("count %q", got)
		}
	})
	t.Run("SortByTitle", func(t *testing.T) {
		doc := parse(t, get(t, e, "/?sort=title"))
		if got := doc.Find(`[data-testid="article"] h2`).First().Text(); !strings.HasPrefix(got, "Aid Groups") {
			t.Errorf("first by title %q", got)
		}
		if doc.Find(`#sort option[selected]`).AttrOr("value", "") != "title" {
			t.Error("the chosen sort is not selected in the form")
		}
	})
	t.Run("SortOldest", func(t *testing.T) {
		doc := parse(t, get(t, e, "/?sort=oldest"))
		if got := doc.Find(`[data-testid="article"] time`).First().AttrOr("datetime", ""); got != "2001-07-09" {
			t.Errorf("oldest first: %q", got)
		}
	})
	t.Run("FilterByPublication", func(t *testing.T) {
		doc := parse(t, get(t, e, "/?publication=Voice+of+America"))
		items := doc.Find(`[data-testid="article"]`)
		if items.Length() != 1 || !strings.Contains(items.Text(), "Crackdown") {
			t.Fatalf("got %d articles: %q", items.Length(), items.Text())
		}
		if doc.Find(`#publication option`).Length() != 6 {
			t.Error("the publication filter should offer all 5 publications plus 'all'")
		}
	})
	t.Run("UnknownPublicationIsEmpty", func(t *testing.T) {
		rec := get(t, e, "/?publication=Nope")
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "No articles match") {
			t.Errorf("status %d", rec.Code)
		}
	})
	t.Run("ErrUnknownSort", func(t *testing.T) {
		rec := get(t, e, "/?sort=%3Cscript%3E")
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", rec.Code)
		}
		body := rec.Body.String()
		if !strings.Contains(body, "Unknown sort order") || strings.Contains(body, "<script>") {
			t.Errorf("want a clear, escaped message; got %s", body)
		}
	})
}

func TestReader(t *testing.T) {
	e, store := newApp(t)
	slug := "nk-defectors-in-china-remain-concern"
	rec := get(t, e, "/articles/"+slug)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	html := rec.Body.String()
	doc := parse(t, rec)
	if got := doc.Find("h1").Text(); got != "NK Defectors in China Remain Concern" {
		t.Errorf("h1 %q", got)
	}
	if !strings.Contains(doc.Find(`[data-testid="source-note"]`).Text(), "YaleGlobal") {
		t.Error("source attribution missing")
	}
	a, err := store.ArticleBySlug(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	runes := []rune(a.Body)
	paras := doc.Find(`[data-testid="article-text"] p`)
	if paras.Length() < 20 {
		t.Fatalf("only %d paragraphs", paras.Length())
	}
	// Every paragraph's data-start/data-end select exactly its text in code points.
	paras.Each(func(i int, p *goquery.Selection) {
		var start, end int
		if err := json.Unmarshal([]byte(p.AttrOr("data-start", "x")), &start); err != nil {
			t.Fatalf("paragraph %d: data-start: %v", i, err)
		}
		if err := json.Unmarshal([]byte(p.AttrOr("data-end", "x")), &end); err != nil {
			t.Fatalf("paragraph %d: data-end: %v", i, err)
		}
		if got := string(runes[start:end]); got != p.Text() {
			t.Errorf("paragraph %d: [%d,%d) is %q, rendered %q", i, start, end, got, p.Text())
		}
	})
	if !strings.Contains(html, "neighbor’s") {
		t.Error("curly apostrophe altered")
	}
	// Reading needs no script: an article nobody wrote about loads only the
	// header's menu button (site.js), which the page works without.
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		if src := s.AttrOr("src", ""); !strings.Contains(src, "/js/site.") {
			t.Errorf("a signed-out reader of an unannotated article loads %q", src)
		}
	})
	// No heavier than before the in-place reader (11,686 bytes on 30 Nov).
	if n := rec.Body.Len(); n > 11686 {
		t.Errorf("the page is %d bytes, more than the 11,686 it was", n)
	}
	if doc.Find(`[data-testid="reader-filters"], [data-testid="margin-tabs"]`).Length() != 0 {
		t.Error("a signed-out reader of an article with no annotations is shown filters")
	}
}

func TestArticleText(t *testing.T) {
	e, _ := newApp(t)
	arts, err := seeds.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		t.Run(a.Slug, func(t *testing.T) {
			rec := get(t, e, "/articles/"+a.Slug+".txt")
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d", rec.Code)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "text/plain; charset=utf-8" {
				t.Errorf("content type %q", ct)
			}
			want, err := os.ReadFile(filepath.Join("..", "seeds", a.File))
			if err != nil {
				t.Fatal(err)
			}
			if rec.Body.String() != string(want) {
				t.Errorf("served text differs from seeds/%s", a.File)
			}
			etag := rec.Header().Get("ETag")
			if again := get(t, e, "/articles/"+a.Slug+".txt", "If-None-Match", etag); again.Code != http.StatusNotModified {
				t.Errorf("If-None-Match: status %d", again.Code)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	e, _ := newApp(t)
	t.Run("HTML404", func(t *testing.T) {
		for _, path := range []string{"/articles/no-such-article", "/articles/no-such-article.txt", "/nowhere"} {
			rec := get(t, e, path)
			if rec.Code != http.StatusNotFound {
				t.Errorf("%s: status %d", path, rec.Code)
			}
			if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
				t.Errorf("%s: content type %q", path, rec.Header().Get("Content-Type"))
			}
			if parse(t, rec).Find(`[data-testid="error"] h1`).Text() != "Not Found" {
				t.Errorf("%s: no error page", path)
			}
		}
	})
	t.Run("JSON404", func(t *testing.T) {
		rec := get(t, e, "/articles/nope", "Accept", "application/json")
		var body struct {
			Error struct {
				Status  int
				Message string
			}
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error.Status != 404 || body.Error.Message == "" {
			t.Fatalf("status %d, body %s (%v)", rec.Code, rec.Body, err)
		}
	})
	t.Run("MethodNotAllowed", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodDelete, "/", nil)
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("status %d", rec.Code)
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	e, _ := newApp(t)
	for _, path := range []string{"/", "/articles/help-the-refugees-who-reach-china", "/nowhere", "/healthz"} {
		rec := get(t, e, path)
		csp := rec.Header().Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows inline code: %q", path, csp)
		}
		for h, want := range map[string]string{
			"Referrer-Policy":        "strict-origin-when-cross-origin",
			"X-Content-Type-Options": "nosniff",
			"X-Frame-Options":        "DENY",
		} {
			if got := rec.Header().Get(h); got != want {
				t.Errorf("%s: %s = %q, want %q", path, h, got, want)
			}
		}
	}
	// No page carries inline script or style, which the CSP would block.
	doc := parse(t, get(t, e, "/"))
	if n := doc.Find("script:not([src]), style, [style]").Length(); n != 0 {
		t.Errorf("%d inline scripts or styles on the library page", n)
	}
}

func TestStatic(t *testing.T) {
	e, _ := newApp(t)
	doc := parse(t, get(t, e, "/"))
	href := doc.Find(`link[rel="stylesheet"]`).AttrOr("href", "")
	if !strings.HasPrefix(href, "/static/css/app.") {
		t.Fatalf("stylesheet href %q is not content-hashed", href)
	}
	rec := get(t, e, href)
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") {
		t.Fatalf("status %d, type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("Cache-Control %q", cc)
	}
	if rec := get(t, e, "/static/css/app.css"); rec.Code != http.StatusNotFound {
		t.Errorf("unhashed name: status %d", rec.Code)
	}
	if rec := get(t, e, href, "Accept-Encoding", "gzip"); rec.Header().Get("Content-Encoding") != "gzip" {
		t.Error("stylesheet not gzipped")
	}
}

func TestHealth(t *testing.T) {
	e, store := newApp(t)
	if rec := get(t, e, "/healthz"); rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	store.Close()
	if rec := get(t, e, "/healthz"); rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("closed database: status %d", rec.Code)
	}
}

// TestInternalErrorPage checks a failure inside a handler: a logged 500 with
// a page that says nothing of the internals, as HTML or as JSON.
func TestInternalErrorPage(t *testing.T) {
	e, _ := newApp(t)
	e.GET("/boom", func(echo.Context) error { panic("secret internal detail") })
	e.GET("/api/boom", func(echo.Context) error { return errors.New("db: secret internal detail") })
	rec := get(t, e, "/boom")
	if rec.Code != http.StatusInternalServerError || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("panic: %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	if body := rec.Body.String(); strings.Contains(body, "secret") || !strings.Contains(body, "Something went wrong") {
		t.Errorf("500 page leaks or lacks the message: %s", body)
	}
	rec = get(t, e, "/api/boom")
	if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "secret") || !strings.Contains(rec.Body.String(), `"status":500`) {
		t.Errorf("JSON 500: %d %s", rec.Code, rec.Body)
	}
}

// TestCompressedAnswers checks that what a browser asking for gzip gets is
// whole when unzipped: a page (compressed), error pages and a panic's 500
// page (compressed or not), a reply too small to compress (not); that the
// protocol's HEAD sends no body; and that clients not asking get no gzip.
func TestCompressedAnswers(t *testing.T) {
	e, _ := newApp(t)
	e.GET("/boom", func(echo.Context) error { panic("secret internal detail") })
	const maybe = -1
	for _, tc := range []struct {
		path   string
		status int
		gzip   int // 1 yes, 0 no, maybe
		want   string
	}{
		{"/", http.StatusOK, 1, "</html>"},
		{"/articles/no-such-article", http.StatusNotFound, maybe, "</html>"},
		{"/boom", http.StatusInternalServerError, maybe, "Something went wrong"},
		{"/healthz", http.StatusOK, 0, "ok"},
	} {
		rec := get(t, e, tc.path, "Accept-Encoding", "gzip, deflate, br, zstd")
		if rec.Code != tc.status {
			t.Errorf("%s: status %d, want %d", tc.path, rec.Code, tc.status)
		}
		body := rec.Body.String()
		gzipped := rec.Header().Get("Content-Encoding") == "gzip"
		if tc.gzip != maybe && gzipped != (tc.gzip == 1) {
			t.Errorf("%s: gzip %v", tc.path, gzipped)
		}
		if gzipped {
			zr, err := gzip.NewReader(rec.Body)
			if err != nil {
				t.Fatalf("%s: %v", tc.path, err)
			}
			b, err := io.ReadAll(zr)
			if err != nil {
				t.Fatalf("%s: truncated gzip: %v", tc.path, err)
			}
			body = string(b)
		}
		if !strings.Contains(body, tc.want) {
			t.Errorf("%s: body lacks %q: %.200s", tc.path, tc.want, body)
		}
	}
	req := httptest.NewRequest(http.MethodHead, "/annotations/", nil) // the protocol answers HEAD
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "" || rec.Body.Len() != 0 {
		t.Errorf("HEAD: %d, encoding %q, %d bytes", rec.Code, rec.Header().Get("Content-Encoding"), rec.Body.Len())
	}
	if rec := get(t, e, "/"); rec.Header().Get("Content-Encoding") != "" || !strings.Contains(rec.Body.String(), "</html>") {
		t.Errorf("no Accept-Encoding: encoding %q", rec.Header().Get("Content-Encoding"))
	}
}

func TestLogsRedactSecrets(t *testing.T) {
	var logs strings.Builder
	store := openStore(t)
	e, err := handlers.New(store, handlers.Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/invites/inv_SECRETTOKEN", "/s/SECRETTOKEN/present/2?x=1"} {
		get(t, e, p)
	}
	if strings.Contains(logs.String(), "SECRETTOKEN") {
		t.Errorf("a secret reached the log:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "/s/[secret]/present/2?x=1") {
		t.Errorf("the route was not kept:\n%s", logs.String())
	}
}

// TestHeadLikeGet: HEAD is answered wherever GET is, with GET's status and
// headers and no body (a monitor's or link checker's HEAD got 405), and
// logged as HEAD; the protocol's resources keep their own HEAD.
func TestHeadLikeGet(t *testing.T) {
	var logs strings.Builder
	e, _ := newAppWith(t, handlers.Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	head := func(path string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodHead, path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		return rec
	}
	for path, status := range map[string]int{
		"/": http.StatusOK, "/search?q=refugees": http.StatusOK, "/figures.csv": http.StatusOK,
		"/articles/no-such-article": http.StatusNotFound, "/account": http.StatusSeeOther,
		"/annotations/": http.StatusOK, "/export.csv": http.StatusMethodNotAllowed,
	} {
		rec, got := head(path), get(t, e, path)
		if status == http.StatusMethodNotAllowed { // a download: not made to be thrown away
			if rec.Code != status {
				t.Errorf("%s: HEAD %d, want %d", path, rec.Code, status)
			}
			continue
		}
		if rec.Code != status || got.Code != status {
			t.Errorf("%s: HEAD %d, GET %d, want %d", path, rec.Code, got.Code, status)
		}
		if rec.Body.Len() != 0 {
			t.Errorf("%s: HEAD sent %d bytes of body", path, rec.Body.Len())
		}
		if rec.Header().Get("Content-Type") != got.Header().Get("Content-Type") {
			t.Errorf("%s: HEAD type %q, GET %q", path, rec.Header().Get("Content-Type"), got.Header().Get("Content-Type"))
		}
	}
	if !strings.Contains(logs.String(), `method=HEAD uri="/search?q=refugees" status=200`) {
		t.Errorf("HEAD not logged as HEAD:\n%s", logs.String())
	}
}

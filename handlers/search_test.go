package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gloss/db"
)

func TestSearchPage(t *testing.T) {
	w := newAnnotationWorld(t)
	pub := w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"Quiet transfers of defectors"}, "visibility": {"public"}})
	w.annotate(t, w.member, url.Values{"exact": {"Cold War allies"}, "body": {"Quiet private thought"}, "visibility": {"private"}})

	t.Run("EmptyShowsForm", func(t *testing.T) {
		rec := w.anonymous.get("/search")
		if rec.Code != http.StatusOK || parse(t, rec).Find(`#search-q`).Length() != 1 {
			t.Fatalf("status %d", rec.Code)
		}
	})
	t.Run("ArticleTextLandsOnPassage", func(t *testing.T) {
		doc := parse(t, w.anonymous.get("/search?q=Kyungnam"))
		hit := doc.Find(`.hit[data-kind="article"]`).First()
		if hit.Find(".snippet mark").Text() != "Kyungnam" {
			t.Fatalf("snippet %q", hit.Find(".snippet").Text())
		}
		href := hit.Find("h3 a").AttrOr("href", "")
		if !strings.Contains(href, "?at=") || !strings.HasSuffix(href, "#found") {
			t.Fatalf("link %q", href)
		}
		reader := parse(t, w.anonymous.get(strings.TrimSuffix(href, "#found")))
		if got := reader.Find("mark.found").Text(); got != "Kyungnam" {
			t.Errorf("the reader marks %q", got)
		}
		if reader.Find("#found").Length() != 1 {
			t.Error("no #found anchor")
		}
	})
	t.Run("Permissions", func(t *testing.T) {
		doc := parse(t, w.anonymous.get("/search?q=quiet&kind=annotation"))
		if got := doc.Find(`[data-testid="result-count"]`).Text(); !strings.Contains(got, "1 result") {
			t.Errorf("anonymous count %q", got)
		}
		if strings.Contains(doc.Text(), "private thought") {
			t.Error("a private annotation is in anonymous results")
		}
		doc = parse(t, w.member.get("/search?q=quiet&kind=annotation"))
		if got := doc.Find(`.hit`).Length(); got != 2 {
			t.Errorf("the author sees %d of their annotations", got)
		}
		href := parse(t, w.anonymous.get("/search?q=quiet&kind=annotation")).Find(`.hit h3 a`).AttrOr("href", "")
		if !strings.Contains(href, fmt.Sprintf("/articles/%s?at=", slug)) {
			t.Errorf("annotation %d link %q", pub, href)
		}
	})
	t.Run("HostileQueries", func(t *testing.T) {
		for _, q := range []string{`"`, `*`, `OR`, `NOT`, `-`, `'; DROP TABLE annotations; --`, `NEAR(a b`, `body:x`, `^x`, `"unbalanced`, "\xff\xfe", strings.Repeat("ab ", 3000), `<script>alert(1)</script>`} {
			rec := w.anonymous.get("/search?q=" + url.QueryEscape(q))
			if rec.Code != http.StatusOK {
				t.Errorf("q=%q: status %d", q, rec.Code)
			}
			if strings.Contains(rec.Body.String(), "<script>alert") {
				t.Errorf("q=%q reflected unescaped", q)
			}
		}
	})
	t.Run("BadFilters", func(t *testing.T) {
		for _, qs := range []string{"q=x&from=yesterday", "q=x&kind=poem", "q=x&author=me", "q=x&visibility=secret"} {
			rec := w.anonymous.get("/search?" + qs)
			if rec.Code != http.StatusUnprocessableEntity || parse(t, rec).Find(`[data-testid="search-error"]`).Text() == "" {
				t.Errorf("%s: status %d", qs, rec.Code)
			}
		}
	})
	t.Run("KindTabsAndPaging", func(t *testing.T) {
		for i := 0; i < 25; i++ {
			w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {fmt.Sprintf("zebra note %d", i)}, "visibility": {"public"}})
		}
		doc := parse(t, w.anonymous.get("/search?q=zebra"))
		if doc.Find(`.kind-tabs a`).Length() < 2 {
			t.Error("no kind tabs")
		}
		if doc.Find(`.hit`).Length() != 20 || doc.Find(`.pager a[rel="prev"]`).Length() != 0 {
			t.Fatalf("page 1: %d hits, prev link %d", doc.Find(`.hit`).Length(), doc.Find(`.pager a[rel="prev"]`).Length())
		}
		next := doc.Find(`.pager a[rel="next"]`).AttrOr("href", "")
		if next == "" {
			t.Fatal("no next link on page 1 of 2")
		}
		doc = parse(t, w.anonymous.get(next))
		if doc.Find(`.hit`).Length() != 5 || doc.Find(`.pager a[rel="next"]`).Length() != 0 || doc.Find(`.pager a[rel="prev"]`).Length() != 1 {
			t.Errorf("page 2: %d hits", doc.Find(`.hit`).Length())
		}
	})
}

// TestSearchPageCappedCounts: more matches than db.SearchCountCap read
// "1,000+", page to the end of what was counted, and pages past it are
// empty pages, not errors; what the viewer may not see is neither shown
// nor counted.
func TestSearchPageCappedCounts(t *testing.T) {
	w := newAnnotationWorld(t)
	pub := w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"quagga public 0"}, "visibility": {"public"}})
	priv := w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"quagga private 0"}, "visibility": {"private"}})
	for _, c := range []struct {
		id   int64
		body string
		n    int
	}{{pub, "quagga public", db.SearchCountCap + 5}, {priv, "quagga private", 3}} {
		var last int64
		if err := w.store.Writer().QueryRow(`SELECT MAX(id) FROM annotations`).Scan(&last); err != nil {
			t.Fatal(err)
		}
		_, err := w.store.Writer().Exec(`
			WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
			INSERT INTO annotations (id, article_id, author_id, body, body_html, visibility, group_id,
			       revision_id, pos_start, pos_end, exact, prefix, suffix,
			       anchor_revision_id, anchor_start, anchor_end, anchor_status, created_at, updated_at)
			SELECT ? + seq.i, article_id, author_id, ? || ' ' || seq.i, '', visibility, group_id,
			       revision_id, pos_start, pos_end, exact, prefix, suffix,
			       anchor_revision_id, anchor_start, anchor_end, anchor_status, created_at, updated_at
			FROM annotations, seq WHERE annotations.id = ?`, c.n, last, c.body, c.id)
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.store.FlushSearch(context.Background()); err != nil {
		t.Fatal(err)
	}
	capped := fmt.Sprintf("%d,%03d+", db.SearchCountCap/1000, db.SearchCountCap%1000)
	lastPage := (db.SearchCountCap + resultsPerPageForTest - 1) / resultsPerPageForTest

	for _, who := range []struct {
		name string
		cl   *client
	}{{"Anonymous", w.anonymous}, {"Author", w.member}} {
		t.Run(who.name, func(t *testing.T) {
			doc := parse(t, who.cl.get("/search?q=quagga"))
			if got := doc.Find(`[data-testid="result-count"]`).Text(); !strings.Contains(got, capped+" results") {
				t.Errorf("count %q, want %s results", got, capped)
			}
			if doc.Find(`[data-testid="capped"]`).Length() != 1 {
				t.Error("no word that the count is capped")
			}
			if got := doc.Find(`.kind-tabs a[href*="kind=annotation"] .count`).Text(); got != capped {
				t.Errorf("annotations tab %q", got)
			}
			seenPrivate, total := false, 0
			for page := 1; page <= lastPage+1; page++ {
				rec := who.cl.get(fmt.Sprintf("/search?q=quagga&page=%d", page))
				if rec.Code != http.StatusOK {
					t.Fatalf("page %d: status %d", page, rec.Code)
				}
				doc := parse(t, rec)
				hits, next := doc.Find(`.hit`).Length(), doc.Find(`.pager a[rel="next"]`).Length()
				total += hits
				if page < lastPage && (hits != resultsPerPageForTest || next != 1) {
					t.Errorf("page %d: %d hits, next link %d", page, hits, next)
				}
				if page == lastPage && (hits == 0 || next != 0) {
					t.Errorf("last page %d: %d hits, next link %d", page, hits, next)
				}
				if page > lastPage && hits != 0 {
					t.Errorf("page %d past the end: %d hits", page, hits)
				}
				seenPrivate = seenPrivate || strings.Contains(doc.Text(), "quagga private")
			}
			if total != db.SearchCountCap {
				t.Errorf("%d hits on all pages, want %d", total, db.SearchCountCap)
			}
			if rec := who.cl.get("/search?q=quagga&page=99999999999"); rec.Code != http.StatusOK {
				t.Errorf("a page far past the end: status %d", rec.Code)
			}
			if who.cl == w.anonymous && seenPrivate {
				t.Error("a private annotation in anonymous results")
			}
			// The author's newest (private) ones are in their window.
			if who.cl == w.member && !seenPrivate {
				t.Error("the author does not find their private annotations")
			}
		})
	}
}

// resultsPerPageForTest is the search page's page size.
const resultsPerPageForTest = 20

// TestSearchHelpAndDidYouMean: the page lists every operator with an
// example, offers a nearer word as a link when nothing is found, and says
// which operators it did not understand.
func TestSearchHelpAndDidYouMean(t *testing.T) {
	w := newAnnotationWorld(t)
	w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"Quiet transfers of defectors"}, "visibility": {"public"}, "tags": {"figures"}})

	doc := parse(t, w.anonymous.get("/search"))
	help := doc.Find(`[data-testid="search-syntax"]`).Text()
	for _, op := range []string{`"asylum seekers"`, "refug*", " OR ", "-south", "tag:", "kind:figure", "탈북자"} {
		if !strings.Contains(help, op) {
			t.Errorf("the syntax help has no %q: %q", op, help)
		}
	}
	doc = parse(t, w.anonymous.get("/search?q=transfres&kind=annotation"))
	link := doc.Find(`[data-testid="did-you-mean"] a`)
	if link.Text() != "transfers" {
		t.Fatalf("did you mean %q", doc.Find(`[data-testid="did-you-mean"]`).Text())
	}
	href := link.AttrOr("href", "")
	if !strings.Contains(href, "q=transfers") || !strings.Contains(href, "kind=annotation") {
		t.Errorf("the suggestion's link %q", href)
	}
	if got := parse(t, w.anonymous.get(href)).Find(".hit").Length(); got != 1 {
		t.Errorf("the suggestion finds %d", got)
	}
	// A tag name is searched; an unknown kind is said.
	doc = parse(t, w.anonymous.get("/search?q="+url.QueryEscape("figures kind:banana")))
	if doc.Find(".hit").Length() != 1 || !strings.Contains(doc.Find(`[data-testid="ignored"]`).Text(), "kind:banana") {
		t.Errorf("hits %d, ignored %q", doc.Find(".hit").Length(), doc.Find(`[data-testid="ignored"]`).Text())
	}
}

package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
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

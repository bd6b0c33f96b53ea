package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"

	"gloss/db"
)

// followPager visits the page at first and every page its pager's "Next"
// links lead to, as a browser without JavaScript would, and returns how many.
func followPager(t *testing.T, e *echo.Echo, first string, visit func(page int, doc *goquery.Document)) int {
	t.Helper()
	pages := 0
	for next := first; next != ""; {
		rec := get(t, e, next)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", next, rec.Code)
		}
		pages++
		doc := parse(t, rec)
		visit(pages, doc)
		next = doc.Find(`[data-testid="pager"] a[rel="next"]`).AttrOr("href", "")
	}
	return pages
}

// TestLibraryPages pages through a library of 125 articles (the 5 seeds
// and 120 more) at 50 a page, following the pager's links as a browser
// without JavaScript would.
func TestLibraryPages(t *testing.T) {
	e, store := newApp(t)
	ctx := context.Background()
	for i := 1; i <= 120; i++ {
		pub := "Even Times"
		if i%2 == 1 {
			pub = "Odd Gazette"
		}
		if _, err := store.ImportArticle(ctx, db.ArticleInput{Slug: fmt.Sprintf("extra-%03d", i), Title: fmt.Sprintf("Extra %03d", i),
			Publication: pub, PublishedOn: fmt.Sprintf("19%02d-01-01", i%100), Authors: []string{"Staff"}, Body: "Some text about the border."}); err != nil {
			t.Fatal(err)
		}
	}
	pagerHrefs := func(doc *goquery.Document) []string {
		var out []string
		doc.Find(`[data-testid="pager"] a`).Each(func(_ int, a *goquery.Selection) { out = append(out, a.AttrOr("href", "")) })
		return out
	}

	t.Run("FollowNext", func(t *testing.T) {
		seen := map[string]bool{}
		pages := followPager(t, e, "/", func(pages int, doc *goquery.Document) {
			items := doc.Find(`[data-testid="article"]`)
			if want := []int{50, 50, 25}[min(pages, 3)-1]; items.Length() != want {
				t.Errorf("page %d lists %d articles, want %d", pages, items.Length(), want)
			}
			items.Each(func(_ int, s *goquery.Selection) {
				slug := s.AttrOr("data-slug", "")
				if seen[slug] {
					t.Errorf("%s listed twice", slug)
				}
				seen[slug] = true
			})
			if got := doc.Find(`[data-testid="library-count"]`).Text(); !strings.Contains(got, "125 articles") || !strings.Contains(got, fmt.Sprintf("page %d of 3", pages)) {
				t.Errorf("page %d count %q", pages, got)
			}
			if got := doc.Find(`[data-testid="pager"] a[aria-current="page"]`).Text(); got != fmt.Sprintf("Page %d", pages) {
				t.Errorf("page %d: current page link %q", pages, got)
			}
			if prev := doc.Find(`[data-testid="pager"] a[rel="prev"]`); (prev.Length() == 1) != (pages > 1) {
				t.Errorf("page %d: %d previous links", pages, prev.Length())
			}
			if pages > 1 && !strings.Contains(doc.Find("title").Text(), fmt.Sprintf("page %d of 3", pages)) {
				t.Errorf("page %d title %q", pages, doc.Find("title").Text())
			}
		})
		if pages != 3 || len(seen) != 125 {
			t.Errorf("%d pages, %d articles", pages, len(seen))
		}
	})
	t.Run("PageLinks", func(t *testing.T) {
		got := pagerHrefs(parse(t, get(t, e, "/?page=2")))
		want := []string{"/", "/", "/?page=2", "/?page=3", "/?page=3"} // prev, 1, 2, 3, next
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("links %q, want %q", got, want)
		}
	})
	t.Run("KeepSortAndFilters", func(t *testing.T) {
		doc := parse(t, get(t, e, "/?sort=title&publication=Odd+Gazette&author=Staff&page=2&q=dropped"))
		items := doc.Find(`[data-testid="article"]`)
		if items.Length() != 10 || items.First().Find("h2").Text() != "Extra 101" {
			t.Fatalf("page 2 of 60 Odd Gazette articles by title: %d, first %q", items.Length(), items.First().Find("h2").Text())
		}
		hrefs := pagerHrefs(doc)
		if len(hrefs) != 3 { // previous, 1, 2
			t.Fatalf("pager links %q", hrefs)
		}
		for _, h := range hrefs {
			u, err := url.Parse(h)
			if err != nil {
				t.Fatal(err)
			}
			q := u.Query()
			if u.Path != "/" || q.Get("sort") != "title" || q.Get("publication") != "Odd Gazette" || q.Get("author") != "Staff" || q.Has("q") {
				t.Errorf("link %q does not keep exactly the sort and filters", h)
			}
		}
		if doc.Find(`#sort option[selected]`).AttrOr("value", "") != "title" || doc.Find(`#publication option[selected]`).AttrOr("value", "") != "Odd Gazette" {
			t.Error("the form does not show the sort and filter in force")
		}
		// The form submits sort and filters but not the page: a new choice
		// starts from page 1.
		if doc.Find(`.library-controls [name="page"]`).Length() != 0 {
			t.Error("the filter form carries the page number")
		}
		year := parse(t, get(t, e, "/?year=1950"))
		if n := year.Find(`[data-testid="article"]`).Length(); n != 1 || year.Find(`[data-testid="pager"]`).Length() != 0 {
			t.Errorf("year filter: %d articles, pager %d", n, year.Find(`[data-testid="pager"]`).Length())
		}
	})
	t.Run("ErrBadPage", func(t *testing.T) {
		for _, tc := range []struct {
			query string
			code  int
			msg   string
		}{
			{"page=0", http.StatusUnprocessableEntity, "numbered 1, 2, 3"},
			{"page=-1", http.StatusUnprocessableEntity, "numbered 1, 2, 3"},
			{"page=two", http.StatusUnprocessableEntity, "numbered 1, 2, 3"},
			{"page=1.5", http.StatusUnprocessableEntity, "numbered 1, 2, 3"},
			{"page=99999999999999999999999", http.StatusUnprocessableEntity, "numbered 1, 2, 3"},
			{"page=%3Cscript%3E", http.StatusUnprocessableEntity, "numbered 1, 2, 3"},
			{"page=4", http.StatusNotFound, "There is no page 4: there are 3 pages."},
			{"page=9223372036854775807", http.StatusNotFound, "there are 3 pages"},
			{"publication=Odd+Gazette&page=3", http.StatusNotFound, "there are 2 pages"},
			{"publication=Nobody&page=2", http.StatusNotFound, "There is no page 2: there is only one page."},
		} {
			rec := get(t, e, "/?"+tc.query)
			if rec.Code != tc.code || !strings.Contains(rec.Body.String(), tc.msg) || strings.Contains(rec.Body.String(), "<script>") {
				t.Errorf("%s: status %d, want %d with %q", tc.query, rec.Code, tc.code, tc.msg)
			}
		}
	})
	t.Run("CountsForTheViewer", func(t *testing.T) {
		// A private annotation on an article on page 3 is counted for its
		// author only; a public one for everyone.
		author := mustUser(t, store, "author@example.org", "Author", false)
		mustUser(t, store, "other@example.org", "Other", false)
		v, err := store.ViewerFor(ctx, author)
		if err != nil {
			t.Fatal(err)
		}
		art, err := store.ArticleBySlug(ctx, "extra-100") // published 1900: the oldest
		if err != nil {
			t.Fatal(err)
		}
		for _, vis := range []string{"private", "public"} {
			if _, err := store.CreateAnnotation(ctx, v, art.ID, db.AnnotationInput{Start: 0, End: 4, Exact: "Some", Body: vis, Visibility: vis}); err != nil {
				t.Fatal(err)
			}
		}
		counts := func(cl *client) string {
			t.Helper()
			doc := parse(t, cl.get("/?page=3"))
			return doc.Find(`[data-testid="article"][data-slug="extra-100"] [data-testid="counts"]`).Text()
		}
		for who, tc := range map[string]struct {
			cl   *client
			want string
		}{
			"author":    {signedIn(t, e, "author@example.org"), "2 annotations"},
			"other":     {signedIn(t, e, "other@example.org"), "1 annotation"},
			"anonymous": {newClient(t, e), "1 annotation"},
		} {
			if got := strings.Join(strings.Fields(counts(tc.cl)), " "); got != tc.want+" 0 notes" {
				t.Errorf("%s sees %q, want %s", who, got, tc.want)
			}
		}
	})
}

package handlers

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/handlers/paths"
	"gloss/views"
)

// wordsPerMinute is a typical adult reading speed for prose on screen.
const wordsPerMinute = 230

var librarySorts = []views.Option{
	{Value: db.SortNewest, Label: "Newest first"},
	{Value: db.SortOldest, Label: "Oldest first"},
	{Value: db.SortTitle, Label: "Title (A–Z)"},
}

// libraryPerPage is how many articles a page of the library lists.
const libraryPerPage = 50

// libraryParams are the library's query parameters that a page link keeps
// (page aside). Their names are a contract: bookmarks and the index use them.
var libraryParams = []string{"sort", "publication", "author", "year"}

// library lists one page of the articles, sorted and filtered by query
// parameters, with what the viewer may see counted for that page only.
func (s *Server) library(c echo.Context) error {
	f := db.ArticleFilter{Sort: c.QueryParam("sort"), Publication: c.QueryParam("publication"),
		Author: c.QueryParam("author"), Year: c.QueryParam("year")}
	if f.Sort == "" {
		f.Sort = db.SortNewest
	}
	if !validOption(librarySorts, f.Sort) {
		return badRequest("Unknown sort order %q: choose newest, oldest or title.", f.Sort)
	}
	page, err := pageNumber(c.QueryParam("page"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	res, err := s.db.ArticlesPage(ctx, f, page, libraryPerPage)
	if err != nil {
		return err
	}
	pubs, err := s.db.Publications(ctx)
	if err != nil {
		return err
	}
	ids := make([]int64, len(res.Articles))
	for i, a := range res.Articles {
		ids[i] = a.ID
	}
	counts, err := s.db.ArticleCounts(ctx, viewer(c), ids)
	if err != nil {
		return err
	}
	m := views.LibraryPage{Publications: pubs, Publication: f.Publication, Author: f.Author, Year: f.Year, Sort: f.Sort, Sorts: librarySorts,
		Total: res.Total, Page: res.Page, Pages: res.Pages(), First: (res.Page-1)*res.PerPage + 1}
	for _, a := range res.Articles {
		sum := articleSummary(a)
		sum.Annotations, sum.Notes = counts[a.ID].Annotations, counts[a.ID].Notes
		m.Articles = append(m.Articles, sum)
	}
	query := c.QueryParams()
	m.Pager = pagerFor("Library pages", res.Page, res.Pages(), func(n int) string {
		u := url.Values{}
		for _, k := range libraryParams {
			if v := query.Get(k); v != "" {
				u.Set(k, v)
			}
		}
		if n > 1 {
			u.Set("page", strconv.Itoa(n))
		}
		return paths.LibraryWith(u)
	})
	return ok(c, views.Library(m))
}

// pageNumber reads a ?page= parameter: absent is the first page.
func pageNumber(raw string) (int, error) {
	if raw == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		return 0, badRequest("Pages are numbered 1, 2, 3…: use ?page=2 for the second page.")
	}
	return n, nil
}

// pagerFor links every page near the current one, the first and the last,
// with gaps between; href makes page n's URL.
func pagerFor(label string, page, pages int, href func(n int) string) views.Pager {
	if pages <= 1 {
		return views.Pager{}
	}
	p := views.Pager{Label: label}
	if page > 1 {
		p.Prev = href(page - 1)
	}
	if page < pages {
		p.Next = href(page + 1)
	}
	show := []int{1}
	for n := max(2, page-2); n <= min(pages-1, page+2); n++ {
		show = append(show, n)
	}
	show = append(show, pages)
	prev := 0
	for _, n := range show {
		switch {
		case n-prev == 2: // a gap of one page: show the page, not "…"
			p.Links = append(p.Links, views.PageLink{N: n - 1, Href: href(n - 1)})
		case n-prev > 2:
			p.Links = append(p.Links, views.PageLink{})
		}
		p.Links = append(p.Links, views.PageLink{N: n, Href: href(n), Current: n == page})
		prev = n
	}
	return p
}

// articleText returns the stored text byte for byte, so anyone can check it
// against the source.
func (s *Server) articleText(c echo.Context, slug string) error {
	a, err := s.db.ArticleBySlug(c.Request().Context(), slug)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("ETag", `"`+a.SHA256+`"`)
	h.Set("Content-Disposition", `inline; filename="`+a.Slug+`.txt"`)
	if match := c.Request().Header.Get("If-None-Match"); match == `"`+a.SHA256+`"` {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, "text/plain; charset=utf-8", []byte(a.Body))
}

func articleSummary(a db.Article) views.ArticleSummary {
	v := views.ArticleSummary{
		Slug: a.Slug, Title: a.Title, Publication: a.Publication, Authors: a.Authors,
		DateISO: a.PublishedOn, Dek: a.Dek, Summary: a.Summary, Words: a.Words,
		Minutes: max(1, (a.Words+wordsPerMinute/2)/wordsPerMinute),
	}
	if t, err := time.Parse(time.DateOnly, a.PublishedOn); err == nil {
		v.DateText = t.Format("2 January 2006")
	}
	return v
}

func validOption(opts []views.Option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

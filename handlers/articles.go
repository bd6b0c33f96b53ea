package handlers

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/handlers/paths"
	"gloss/handlers/web"
	"gloss/views"
)

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

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
	if !web.ValidOption(librarySorts, f.Sort) {
		return web.BadRequest("Unknown sort order %q: choose newest, oldest or title.", f.Sort)
	}
	page, err := web.PageNumber(c.QueryParam("page"))
	if err != nil {
		return err
	}
	var (
		res    db.ArticlePage
		pubs   []string
		counts map[int64]db.Counts
	)
	// One snapshot: the counts are those of the page's articles as listed.
	err = s.view(c, func(c echo.Context) (err error) {
		ctx := c.Request().Context()
		if res, err = s.db.ArticlesPage(ctx, f, page, libraryPerPage); err != nil {
			return err
		}
		if pubs, err = s.db.Publications(ctx); err != nil {
			return err
		}
		ids := make([]int64, len(res.Articles))
		for i, a := range res.Articles {
			ids[i] = a.ID
		}
		counts, err = s.db.ArticleCounts(ctx, web.Viewer(c.Request()), ids)
		return err
	})
	if err != nil {
		return err
	}
	m := views.LibraryPage{Publications: pubs, Publication: f.Publication, Author: f.Author, Year: f.Year, Sort: f.Sort, Sorts: librarySorts,
		Total: res.Total, Page: res.Page, Pages: res.Pages(), First: (res.Page-1)*res.PerPage + 1}
	for _, a := range res.Articles {
		sum := web.ArticleSummary(a)
		sum.Annotations, sum.Notes = counts[a.ID].Annotations, counts[a.ID].Notes
		m.Articles = append(m.Articles, sum)
	}
	query := c.QueryParams()
	m.Pager = web.Pager("Library pages", res.Page, res.Pages(), func(n int) string {
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
	return web.OK(c, views.Library(m))
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

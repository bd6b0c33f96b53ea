package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/views"
)

// wordsPerMinute is a typical adult reading speed for prose on screen.
const wordsPerMinute = 230

var librarySorts = []views.Option{
	{Value: db.SortNewest, Label: "Newest first"},
	{Value: db.SortOldest, Label: "Oldest first"},
	{Value: db.SortTitle, Label: "Title (A–Z)"},
}

// library lists the articles, sorted and filtered by query parameters.
func (s *Server) library(c echo.Context) error {
	f := db.ArticleFilter{Sort: c.QueryParam("sort"), Publication: c.QueryParam("publication"),
		Author: c.QueryParam("author"), Year: c.QueryParam("year")}
	if f.Sort == "" {
		f.Sort = db.SortNewest
	}
	if !validOption(librarySorts, f.Sort) {
		return badRequest("Unknown sort order %q: choose newest, oldest or title.", f.Sort)
	}
	ctx := c.Request().Context()
	arts, err := s.db.Articles(ctx, f)
	if err != nil {
		return err
	}
	pubs, err := s.db.Publications(ctx)
	if err != nil {
		return err
	}
	counts, err := s.db.ArticleCounts(ctx, viewer(c))
	if err != nil {
		return err
	}
	m := views.LibraryPage{Publications: pubs, Publication: f.Publication, Author: f.Author, Year: f.Year, Sort: f.Sort, Sorts: librarySorts}
	for _, a := range arts {
		sum := articleSummary(a)
		sum.Annotations, sum.Notes = counts[a.ID].Annotations, counts[a.ID].Notes
		m.Articles = append(m.Articles, sum)
	}
	return ok(c, views.Library(m))
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

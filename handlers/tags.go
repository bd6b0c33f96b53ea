package handlers

import (
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/handlers/paths"
	"gloss/handlers/web"
	"gloss/views"
)

// Tags on an article, changed from the reader; the tags' own pages and the
// codebooks are handlers/tags, whose tag page shows the reader's cards.

// tagCards draws a tag's passages as the reader's cards, with their kinds.
func (s *Server) tagCards(r *http.Request, colors map[string]int, list []*db.Annotation) ([]views.AnnotationCard, error) {
	v := web.Viewer(r)
	var cards []views.AnnotationCard
	for _, a := range list {
		cards = append(cards, annotationCard(v, colors, a))
	}
	return cards, s.addEvidence(r.Context(), cards)
}

func (s *Server) tagArticle(c echo.Context) error {
	a, err := s.db.ArticleBySlug(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	if err := s.db.TagArticle(c.Request().Context(), web.Viewer(c.Request()), a.ID, c.FormValue("tags")); err != nil {
		return err
	}
	return s.changed(c, a.Slug, paths.Article(a.Slug), "Tags added to the article.", views.ReaderUpdate{Announce: "Tags added to the article."})
}

func (s *Server) untagArticle(c echo.Context) error {
	a, err := s.db.ArticleBySlug(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	tag := strings.TrimSpace(c.FormValue("tag"))
	if err := s.db.UntagArticle(c.Request().Context(), web.Viewer(c.Request()), a.ID, tag); err != nil {
		return err
	}
	msg := "The tag " + tag + " is removed from the article."
	return s.changed(c, a.Slug, paths.Article(a.Slug), msg, views.ReaderUpdate{Announce: msg})
}

// index lists publications, authors and years, linking to the library.
func (s *Server) index(c echo.Context) error {
	idx, err := s.db.ArticleIndex(c.Request().Context())
	if err != nil {
		return err
	}
	var m views.IndexPage
	for _, p := range idx.Publications {
		m.Publications = append(m.Publications, views.IndexEntry{Label: p.Value, N: p.N, Href: paths.LibraryWith(url.Values{"publication": {p.Value}})})
	}
	for _, a := range idx.Authors {
		m.Authors = append(m.Authors, views.IndexEntry{Label: a.Value, N: a.N, Href: paths.LibraryWith(url.Values{"author": {a.Value}})})
	}
	for _, y := range idx.Years {
		m.Years = append(m.Years, views.IndexEntry{Label: y.Value, N: y.N, Href: paths.LibraryWith(url.Values{"year": {y.Value}})})
	}
	return web.OK(c, views.Index(m))
}

func sortOptions(opts []views.Option) {
	sort.Slice(opts, func(i, j int) bool { return strings.ToLower(opts[i].Label) < strings.ToLower(opts[j].Label) })
}

package handlers

import (
	"net/http"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/views"
)

// tag lists every passage with a tag that the viewer may see.
func (s *Server) tag(c echo.Context) error {
	tags, err := db.ParseTags(c.Param("name"))
	if err != nil {
		return err
	}
	if len(tags) != 1 {
		return db.Errorf(db.ENOTFOUND, "There is no such tag.")
	}
	ctx := c.Request().Context()
	v := viewer(c)
	list, err := s.db.TagAnnotations(ctx, v, tags[0])
	if err != nil {
		return err
	}
	arts, err := s.db.ArticlesTagged(ctx, tags[0])
	if err != nil {
		return err
	}
	m := views.TagPage{Tag: tags[0], Class: views.TagClass(tags[0])}
	for _, a := range list {
		m.Cards = append(m.Cards, annotationCard(v, a, 0))
	}
	for _, a := range arts {
		m.Articles = append(m.Articles, articleSummary(a))
	}
	return ok(c, views.Tag(m))
}

func (s *Server) tagArticle(c echo.Context) error {
	a, err := s.db.ArticleBySlug(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	if err := s.db.TagArticle(c.Request().Context(), viewer(c), a.ID, c.FormValue("tags")); err != nil {
		return err
	}
	s.flash(c, "Tags added to the article.")
	return c.Redirect(http.StatusSeeOther, "/articles/"+a.Slug)
}

func sortOptions(opts []views.Option) {
	sort.Slice(opts, func(i, j int) bool { return strings.ToLower(opts[i].Label) < strings.ToLower(opts[j].Label) })
}

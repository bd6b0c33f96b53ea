package handlers

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/handlers/paths"
	"gloss/handlers/web"
	"gloss/views"
)

func (s *Server) createNote(c echo.Context) error {
	ctx := c.Request().Context()
	a, err := s.db.ArticleBySlug(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	if err := web.Viewer(c.Request()).RequireSignIn(); err != nil {
		return err
	}
	f := web.FormOf(c.Request(), "body", "visibility", "group")
	n, err := s.db.CreateNote(ctx, web.Viewer(c.Request()), a.ID, db.NoteInput{Body: f.Value("body"), Visibility: f.Value("visibility"), Group: f.Value("group")})
	if err != nil {
		if db.ErrorCode(err) == db.EINTERNAL || inPlace(c.Request()) {
			return err
		}
		web.Refused(&f, err)
		return s.renderReader(c, web.StatusFor(db.ErrorCode(err)), a, readerQuery{}, views.Form{}, f)
	}
	return s.changed(c, a.Slug, paths.NoteInArticle(a.Slug, n.ID), "", views.ReaderUpdate{
		Announce: "Note saved. " + views.AudienceText(string(n.Visibility), n.GroupName), Focus: "n-" + itoa64(n.ID)})
}

// noteArticleSlug finds where a note lives, for redirects.
func (s *Server) noteArticleSlug(ctx context.Context, articleID int64) (string, error) {
	return s.db.ArticleSlugByID(ctx, articleID)
}

func (s *Server) editNotePage(c echo.Context, status int, n db.Note, f views.Form) error {
	form, err := s.annotateForm(c.Request(), f)
	if err != nil {
		return err
	}
	slug, err := s.noteArticleSlug(c.Request().Context(), n.ArticleID)
	if err != nil {
		return err
	}
	m := views.EditNotePage{ID: n.ID, ArticleSlug: slug, Form: form, Inline: inPlace(c.Request())}
	if m.Inline {
		return web.Render(c, status, views.EditNoteForm(m))
	}
	return web.Render(c, status, views.EditNote(m))
}

func (s *Server) editNote(c echo.Context) error {
	n, err := web.Load(c.Request(), c.Param("id"), s.db.NoteByID)
	if err != nil {
		return err
	}
	if err := web.Viewer(c.Request()).EditOwn(n.AuthorID); err != nil {
		return err
	}
	return s.editNotePage(c, http.StatusOK, n, views.Form{Values: map[string]string{
		"body": n.Body, "visibility": string(n.Visibility), "group": itoa64(n.GroupID)}})
}

func (s *Server) updateNote(c echo.Context) error {
	n, err := web.Load(c.Request(), c.Param("id"), s.db.NoteByID)
	if err != nil {
		return err
	}
	f := web.FormOf(c.Request(), "body", "visibility", "group")
	up, err := s.db.UpdateNote(c.Request().Context(), web.Viewer(c.Request()), n.ID, db.NoteInput{Body: f.Value("body"), Visibility: f.Value("visibility"), Group: f.Value("group")})
	if err != nil {
		if code := db.ErrorCode(err); code == db.EINVALID && !inPlace(c.Request()) {
			web.Refused(&f, err)
			return s.editNotePage(c, web.StatusFor(code), n, f)
		}
		return err
	}
	slug, err := s.noteArticleSlug(c.Request().Context(), up.ArticleID)
	if err != nil {
		return err
	}
	msg := "Note saved. " + views.AudienceText(string(up.Visibility), up.GroupName)
	return s.changed(c, slug, paths.NoteInArticle(slug, up.ID), msg, views.ReaderUpdate{Announce: msg, Focus: "n-" + itoa64(up.ID)})
}

func (s *Server) deleteNote(c echo.Context) error {
	id, err := web.ID(c.Param("id"))
	if err != nil {
		return err
	}
	n, err := s.db.DeleteNote(c.Request().Context(), web.Viewer(c.Request()), id)
	if err != nil {
		return err
	}
	slug, err := s.noteArticleSlug(c.Request().Context(), n.ArticleID)
	if err != nil {
		return err
	}
	return s.changed(c, slug, paths.ArticleNotes(slug), "Note deleted.", views.ReaderUpdate{Announce: "Note deleted."})
}

package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/views"
)

func (s *Server) createNote(c echo.Context) error {
	ctx := c.Request().Context()
	a, err := s.db.ArticleBySlug(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	if err := viewer(c).RequireSignIn(); err != nil {
		return err
	}
	f := formOf(c, "body", "visibility", "group")
	n, err := s.db.CreateNote(ctx, viewer(c), a.ID, db.NoteInput{Body: f.Value("body"), Visibility: f.Value("visibility"), Group: f.Value("group")})
	if err != nil {
		if db.ErrorCode(err) == db.EINTERNAL || inPlace(c) {
			return err
		}
		refused(&f, err)
		return s.renderReader(c, statusFor(db.ErrorCode(err)), a, readerQuery{}, views.Form{}, f)
	}
	return s.changed(c, a.Slug, "/articles/"+a.Slug+"#n-"+itoa64(n.ID), "", views.ReaderUpdate{
		Announce: "Note saved. " + views.AudienceText(string(n.Visibility), n.GroupName), Focus: "n-" + itoa64(n.ID)})
}

func (s *Server) loadNote(c echo.Context) (db.Note, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return db.Note{}, err
	}
	return s.db.NoteByID(c.Request().Context(), viewer(c), id)
}

// noteArticleSlug finds where a note lives, for redirects.
func (s *Server) noteArticleSlug(c echo.Context, articleID int64) (string, error) {
	return s.db.ArticleSlugByID(c.Request().Context(), articleID)
}

func (s *Server) editNotePage(c echo.Context, status int, n db.Note, f views.Form) error {
	form, err := s.annotateForm(c, f)
	if err != nil {
		return err
	}
	slug, err := s.noteArticleSlug(c, n.ArticleID)
	if err != nil {
		return err
	}
	m := views.EditNotePage{ID: n.ID, ArticleSlug: slug, Form: form, Inline: inPlace(c)}
	if m.Inline {
		return render(c, status, views.EditNoteForm(m))
	}
	return render(c, status, views.EditNote(m))
}

func (s *Server) editNote(c echo.Context) error {
	n, err := s.loadNote(c)
	if err != nil {
		return err
	}
	if err := viewer(c).EditOwn(n.AuthorID); err != nil {
		return err
	}
	return s.editNotePage(c, http.StatusOK, n, views.Form{Values: map[string]string{
		"body": n.Body, "visibility": string(n.Visibility), "group": itoa64(n.GroupID)}})
}

func (s *Server) updateNote(c echo.Context) error {
	n, err := s.loadNote(c)
	if err != nil {
		return err
	}
	f := formOf(c, "body", "visibility", "group")
	up, err := s.db.UpdateNote(c.Request().Context(), viewer(c), n.ID, db.NoteInput{Body: f.Value("body"), Visibility: f.Value("visibility"), Group: f.Value("group")})
	if err != nil {
		if code := db.ErrorCode(err); code == db.EINVALID && !inPlace(c) {
			refused(&f, err)
			return s.editNotePage(c, statusFor(code), n, f)
		}
		return err
	}
	slug, err := s.noteArticleSlug(c, up.ArticleID)
	if err != nil {
		return err
	}
	msg := "Note saved. " + views.AudienceText(string(up.Visibility), up.GroupName)
	return s.changed(c, slug, "/articles/"+slug+"#n-"+itoa64(up.ID), msg, views.ReaderUpdate{Announce: msg, Focus: "n-" + itoa64(up.ID)})
}

func (s *Server) deleteNote(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	n, err := s.db.DeleteNote(c.Request().Context(), viewer(c), id)
	if err != nil {
		return err
	}
	slug, err := s.noteArticleSlug(c, n.ArticleID)
	if err != nil {
		return err
	}
	return s.changed(c, slug, "/articles/"+slug+"#notes", "Note deleted.", views.ReaderUpdate{Announce: "Note deleted."})
}

package handlers

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/views"
)

func (s *Server) renderAdmin(c echo.Context, status int, m views.AdminPage) error {
	users, err := s.db.Users(c.Request().Context())
	if err != nil {
		return err
	}
	for _, u := range users {
		m.Users = append(m.Users, views.UserRow{ID: u.ID, Name: u.Name, Email: u.Email, Admin: u.Admin, Created: when(u.CreatedAt)})
	}
	st, err := s.db.StarterStatus(c.Request().Context())
	if err != nil {
		return err
	}
	m.Starter.Imported, m.Starter.AccountName, m.Starter.Annotations, m.Starter.Collections = st.Imported, st.AccountName, st.Annotations, st.Collections
	if !st.RemovedAt.IsZero() {
		m.Starter.RemovedAt, m.Starter.RemovedBy = when(st.RemovedAt), st.RemovedBy
	}
	return render(c, status, views.Admin(m))
}

// removeStarter removes the starter set, once the box is ticked.
func (s *Server) removeStarter(c echo.Context) error {
	v := viewer(c)
	if err := v.Administer(); err != nil {
		return err
	}
	page := views.AdminPage{InviteForm: formOf(c)}
	if c.FormValue("confirm") != "yes" {
		page.Starter.Form = views.Form{Error: "Tick the box to confirm: removing the starter set cannot be undone."}
		return s.renderAdmin(c, http.StatusUnprocessableEntity, page)
	}
	got, err := s.db.RemoveStarter(c.Request().Context(), v)
	if err != nil {
		if code := db.ErrorCode(err); code == db.ECONFLICT {
			page.Starter.Form = views.Form{Error: db.ErrorMessage(err)}
			return s.renderAdmin(c, statusFor(code), page)
		}
		return err
	}
	s.flash(c, fmt.Sprintf("Starter set removed: %s, %s and %s.", pluralize(got.Annotations, "annotation", "annotations"),
		pluralize(got.Collections, "collection", "collections"), pluralize(got.Entities, "entity", "entities")))
	return c.Redirect(http.StatusSeeOther, "/admin")
}
func (s *Server) admin(c echo.Context) error {
	if err := viewer(c).Administer(); err != nil {
		return err
	}
	return s.renderAdmin(c, http.StatusOK, views.AdminPage{InviteForm: formOf(c)})
}

func (s *Server) createAccountInvite(c echo.Context) error {
	v := viewer(c)
	if err := v.Administer(); err != nil {
		return err
	}
	f := formOf(c, "email")
	token, _, err := s.db.CreateInvite(c.Request().Context(), db.NewInvite{Email: f.Value("email"), CreatedBy: v.UserID})
	if err != nil {
		if db.ErrorCode(err) == db.EINTERNAL {
			return err
		}
		f.Error = db.ErrorMessage(err)
		return s.renderAdmin(c, statusFor(db.ErrorCode(err)), views.AdminPage{InviteForm: f})
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.renderAdmin(c, http.StatusCreated, views.AdminPage{InviteForm: formOf(c), NewInviteURL: s.inviteURL(c, token)})
}

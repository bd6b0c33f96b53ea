package handlers

import (
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
	return render(c, status, views.Admin(m))
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

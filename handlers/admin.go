package handlers

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/handlers/paths"
	"gloss/handlers/web"
	"gloss/views"
)

func (s *Server) renderAdmin(c echo.Context, status int, m views.AdminPage) error {
	users, err := s.db.Users(c.Request().Context())
	if err != nil {
		return err
	}
	for _, u := range users {
		m.Users = append(m.Users, views.UserRow{ID: u.ID, Name: u.Name, Email: u.Email, Admin: u.Admin, Created: web.When(u.CreatedAt)})
	}
	st, err := s.db.StarterStatus(c.Request().Context())
	if err != nil {
		return err
	}
	m.Starter.Imported, m.Starter.AccountName, m.Starter.Annotations, m.Starter.Collections = st.Imported, st.AccountName, st.Annotations, st.Collections
	if !st.RemovedAt.IsZero() {
		m.Starter.RemovedAt, m.Starter.RemovedBy = web.When(st.RemovedAt), st.RemovedBy
	}
	return web.Render(c, status, views.Admin(m))
}

// removeStarter removes the starter set, once the box is ticked.
func (s *Server) removeStarter(c echo.Context) error {
	v := web.Viewer(c.Request())
	if err := v.Administer(); err != nil {
		return err
	}
	page := views.AdminPage{InviteForm: web.FormOf(c.Request())}
	if c.FormValue("confirm") != "yes" {
		page.Starter.Form = views.Form{Error: "Tick the box to confirm: removing the starter set cannot be undone."}
		return s.renderAdmin(c, http.StatusUnprocessableEntity, page)
	}
	got, err := s.db.RemoveStarter(c.Request().Context(), v)
	if err != nil {
		if code := db.ErrorCode(err); code == db.ECONFLICT {
			page.Starter.Form = views.Form{Error: db.ErrorMessage(err)}
			return s.renderAdmin(c, web.StatusFor(code), page)
		}
		return err
	}
	s.site.Flash(c.Request(), fmt.Sprintf("Starter set removed: %s, %s and %s.", web.Plural(got.Annotations, "annotation", "annotations"),
		web.Plural(got.Collections, "collection", "collections"), web.Plural(got.Entities, "entity", "entities")))
	return c.Redirect(http.StatusSeeOther, paths.Admin)
}
func (s *Server) admin(c echo.Context) error {
	if err := web.Viewer(c.Request()).Administer(); err != nil {
		return err
	}
	return s.renderAdmin(c, http.StatusOK, views.AdminPage{InviteForm: web.FormOf(c.Request()), MailEnabled: s.cfg.MailEnabled})
}

func (s *Server) createAccountInvite(c echo.Context) error {
	v := web.Viewer(c.Request())
	if err := v.Administer(); err != nil {
		return err
	}
	f := web.FormOf(c.Request(), "email", "send")
	send := s.cfg.MailEnabled && f.Value("send") != ""
	var err error
	if send && strings.TrimSpace(f.Value("email")) == "" {
		err = db.FieldErrorf("email", "Give their email address to send them the link, or untick “Email the link”.")
	}
	var (
		token string
		inv   db.Invite
	)
	if err == nil {
		token, inv, err = s.db.CreateInvite(c.Request().Context(), db.NewInvite{Email: f.Value("email"), CreatedBy: v.UserID})
	}
	if err != nil {
		if db.ErrorCode(err) == db.EINTERNAL {
			return err
		}
		web.Refused(&f, err)
		return s.renderAdmin(c, web.StatusFor(db.ErrorCode(err)), views.AdminPage{InviteForm: f, MailEnabled: s.cfg.MailEnabled})
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	m := views.AdminPage{MailEnabled: s.cfg.MailEnabled, InviteForm: web.FormOf(c.Request()), NewInviteURL: s.inviteURL(c.Request(), token)}
	if send {
		if err := web.MailInvite(c.Request(), s.db.QueueMail, []string{inv.Email}, m.NewInviteURL, "to make an account", inv); err != nil {
			return err
		}
		m.EmailedTo = []string{inv.Email}
	}
	return s.renderAdmin(c, http.StatusCreated, m)
}

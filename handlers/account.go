package handlers

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/handlers/paths"
	"gloss/handlers/web"
	"gloss/views"
)

// accountPage loads everything the account page shows; forms carry what
// was just submitted, if anything.
func (s *Server) accountPage(r *http.Request, m views.AccountPage) (views.AccountPage, error) {
	ctx := r.Context()
	v := web.Viewer(r)
	m.Name, m.Email = v.Name, v.Email
	if m.ProfileForm.Values == nil {
		m.ProfileForm = views.Form{Values: map[string]string{"name": v.Name}}
	}
	sessions, err := s.db.UserSessions(ctx, v.UserID)
	if err != nil {
		return m, err
	}
	current := s.sessions.GetString(ctx, keySID)
	for _, us := range sessions {
		m.Sessions = append(m.Sessions, views.SessionRow{ID: us.ID, UserAgent: us.UserAgent, IP: us.IP,
			Created: web.When(us.CreatedAt), LastSeen: web.When(us.LastSeenAt), Current: us.SID == current})
	}
	tokens, err := s.db.APITokens(ctx, v.UserID)
	if err != nil {
		return m, err
	}
	for _, t := range tokens {
		m.Tokens = append(m.Tokens, views.TokenRow{ID: t.ID, Name: t.Name, Created: web.When(t.CreatedAt), LastUsed: web.When(t.LastUsedAt)})
	}
	return m, nil
}

func (s *Server) renderAccount(c echo.Context, status int, m views.AccountPage) error {
	m, err := s.accountPage(c.Request(), m)
	if err != nil {
		return err
	}
	return web.Render(c, status, views.Account(m))
}

func (s *Server) account(c echo.Context) error {
	if err := web.Viewer(c.Request()).ManageAccount(); err != nil {
		return err
	}
	return s.renderAccount(c, http.StatusOK, views.AccountPage{})
}

// accountFailure re-renders the account page with err's message on one form.
func (s *Server) accountFailure(c echo.Context, err error, f views.Form, set func(*views.AccountPage, views.Form)) error {
	code := db.ErrorCode(err)
	if code == db.EINTERNAL {
		return err
	}
	f.Error = db.ErrorMessage(err)
	var m views.AccountPage
	set(&m, f)
	return s.renderAccount(c, web.StatusFor(code), m)
}

func (s *Server) updateProfile(c echo.Context) error {
	v := web.Viewer(c.Request())
	if err := v.ManageAccount(); err != nil {
		return err
	}
	f := web.FormOf(c.Request(), "name")
	if err := s.db.UpdateUserName(c.Request().Context(), v.UserID, f.Value("name")); err != nil {
		return s.accountFailure(c, err, f, func(m *views.AccountPage, f views.Form) { m.ProfileForm = f })
	}
	warn, err := s.sameNameWarning(c.Request().Context(), v.UserID, 0)
	if err != nil {
		return err
	}
	s.site.Flash(c.Request(), "Your name is saved."+warn)
	return c.Redirect(http.StatusSeeOther, paths.Account)
}

func (s *Server) changePassword(c echo.Context) error {
	v := web.Viewer(c.Request())
	if err := v.ManageAccount(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	f := web.FormOf(c.Request(), "current", "password", "revoke_tokens")
	revoke := f.Value("revoke_tokens") != ""
	revoked, err := s.db.ChangePassword(ctx, v.UserID, f.Value("current"), f.Value("password"), s.sessions.GetString(ctx, keySID), revoke)
	if err != nil {
		return s.accountFailure(c, err, f, func(m *views.AccountPage, f views.Form) { m.PasswordForm = f })
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	msg := "Your password is changed, and your other sessions are signed out."
	switch {
	case revoke && revoked == 1:
		msg = "Your password is changed, your other sessions are signed out and your API token is revoked."
	case revoke && revoked > 1:
		msg = fmt.Sprintf("Your password is changed, your other sessions are signed out and your %d API tokens are revoked.", revoked)
	case !revoke:
		msg += " Your API tokens still work: revoke them below if someone else may have one."
	}
	s.site.Flash(c.Request(), msg)
	return c.Redirect(http.StatusSeeOther, paths.Account)
}

func (s *Server) revokeSession(c echo.Context) error {
	v := web.Viewer(c.Request())
	if err := v.ManageAccount(); err != nil {
		return err
	}
	id, err := web.ID(c.Param("id"))
	if err != nil {
		return err
	}
	if err := s.db.RevokeUserSession(c.Request().Context(), v.UserID, id); err != nil {
		return err
	}
	s.site.Flash(c.Request(), "That session is signed out.")
	return c.Redirect(http.StatusSeeOther, paths.Account)
}

func (s *Server) createToken(c echo.Context) error {
	v := web.Viewer(c.Request())
	if err := v.ManageAccount(); err != nil {
		return err
	}
	f := web.FormOf(c.Request(), "name")
	raw, t, err := s.db.CreateAPIToken(c.Request().Context(), v.UserID, f.Value("name"))
	if err != nil {
		return s.accountFailure(c, err, f, func(m *views.AccountPage, f views.Form) { m.TokenForm = f })
	}
	// Rendered directly, not redirected: the secret must not sit in a session.
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.renderAccount(c, http.StatusCreated, views.AccountPage{NewToken: raw, NewTokenName: t.Name})
}

func (s *Server) revokeToken(c echo.Context) error {
	v := web.Viewer(c.Request())
	if err := v.ManageAccount(); err != nil {
		return err
	}
	id, err := web.ID(c.Param("id"))
	if err != nil {
		return err
	}
	if err := s.db.RevokeAPIToken(c.Request().Context(), v.UserID, id); err != nil {
		return err
	}
	s.site.Flash(c.Request(), "The token is revoked.")
	return c.Redirect(http.StatusSeeOther, paths.Account)
}

// sameNameWarning is a sentence (with a leading space) warning the user
// that someone in one of their groups (or in groupID) has the same display
// name, or "".
func (s *Server) sameNameWarning(ctx context.Context, userID, groupID int64) (string, error) {
	groups, err := s.db.SameNameIn(ctx, userID, groupID)
	if err != nil || len(groups) == 0 {
		return "", err
	}
	return " Someone else in " + strings.Join(groups, ", ") + " has the same name: add an initial or a surname so that people can tell you apart.", nil
}

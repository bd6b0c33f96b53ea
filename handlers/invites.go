package handlers

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/handlers/paths"
	"gloss/handlers/web"
	"gloss/views"
)

// invite answers an invitation link: an account invite shows the form to
// create the account; a group invite offers to join.
func (s *Server) invite(c echo.Context) error {
	// The token is in the path: do not leak it to any other site.
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	token := c.Param("token")
	inv, err := s.db.InviteByToken(c.Request().Context(), token)
	if err != nil {
		return err
	}
	v := web.Viewer(c.Request())
	if inv.GroupID == 0 {
		if v.SignedIn() {
			return db.Errorf(db.ECONFLICT, "This link creates a new account, and you are signed in already. Sign out first if it is meant for someone else.")
		}
		return web.OK(c, s.accountInvitePage(token, inv)(web.FormOf(c.Request())))
	}
	return web.OK(c, s.groupInvitePage(token, inv, v.SignedIn())(web.FormOf(c.Request())))
}

// groupInvitePage offers to join a group: signed in, at once; signed out,
// by signing in, or by making an account with the link when its owners
// allowed it.
func (s *Server) groupInvitePage(token string, inv db.Invite, signedIn bool) func(views.Form) templ.Component {
	return func(f views.Form) templ.Component {
		return views.GroupInvite(views.InvitePage{
			Token: token, GroupName: inv.GroupName, Role: string(inv.Role), Expires: web.When(inv.ExpiresAt),
			SignedIn: signedIn, SignupOpen: s.cfg.Signup, AllowsSignup: inv.AllowsSignup, Form: f,
		})
	}
}

func (s *Server) accountInvitePage(token string, inv db.Invite) func(views.Form) templ.Component {
	return func(f views.Form) templ.Component {
		return views.Signup(views.SignupPage{
			Form: f, Title: "Create your Gloss account", Action: paths.Invite(token), EmailFixed: inv.Email,
			Intro: "You were invited to Gloss. Choose your name and a password; the link works once.",
		})
	}
}

func (s *Server) acceptInvite(c echo.Context) error {
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	ctx := c.Request().Context()
	token := c.Param("token")
	inv, err := s.db.InviteByToken(ctx, token)
	if err != nil {
		return err
	}
	v := web.Viewer(c.Request())
	if inv.GroupID != 0 {
		if !v.SignedIn() && inv.AllowsSignup && c.FormValue("email")+c.FormValue("name")+c.FormValue("password") != "" {
			return s.signupWithGroupInvite(c, token, inv)
		}
		if !v.SignedIn() {
			return c.Redirect(http.StatusSeeOther, paths.Login(paths.Invite(token)))
		}
		g, err := s.db.AcceptGroupInvite(ctx, token, v.UserID)
		if err != nil {
			return err
		}
		warn, err := s.sameNameWarning(c.Request().Context(), v.UserID, g.ID)
		if err != nil {
			return err
		}
		s.site.Flash(c.Request(), "You joined "+g.Name+"."+warn)
		return c.Redirect(http.StatusSeeOther, paths.Group(g.ID))
	}
	if v.SignedIn() {
		return db.Errorf(db.ECONFLICT, "This link creates a new account, and you are signed in already.")
	}
	f := web.FormOf(c.Request(), "email", "name", "password")
	page := s.accountInvitePage(token, inv)
	if !web.Require(&f, map[string]string{"email": "Email", "name": "Display name", "password": "Password"}) {
		return web.Render(c, http.StatusUnprocessableEntity, page(f))
	}
	u, err := s.db.AcceptAccountInvite(ctx, token, db.NewUser{Email: f.Value("email"), Name: f.Value("name"), Password: f.Value("password")})
	if err != nil {
		return web.Refuse(c, err, f, page)
	}
	if err := s.signIn(c.Request(), u, c.RealIP()); err != nil {
		return err
	}
	s.site.Flash(c.Request(), "Welcome to Gloss, "+u.Name+".")
	return c.Redirect(http.StatusSeeOther, "/")
}

// signupWithGroupInvite makes an account with a group invitation that
// allows it, joins the group, and signs the person in.
func (s *Server) signupWithGroupInvite(c echo.Context, token string, inv db.Invite) error {
	f := web.FormOf(c.Request(), "email", "name", "password")
	page := s.groupInvitePage(token, inv, false)
	if !web.Require(&f, map[string]string{"email": "Email", "name": "Display name", "password": "Password"}) {
		return web.Render(c, http.StatusUnprocessableEntity, page(f))
	}
	u, g, err := s.db.SignupWithGroupInvite(c.Request().Context(), token, db.NewUser{Email: f.Value("email"), Name: f.Value("name"), Password: f.Value("password")})
	if err != nil {
		return web.Refuse(c, err, f, page)
	}
	if err := s.signIn(c.Request(), u, c.RealIP()); err != nil {
		return err
	}
	warn, err := s.sameNameWarning(c.Request().Context(), u.ID, g.ID)
	if err != nil {
		return err
	}
	s.site.Flash(c.Request(), "Welcome to Gloss, "+u.Name+". You joined "+g.Name+"."+warn)
	return c.Redirect(http.StatusSeeOther, paths.Group(g.ID))
}

// inviteURL is the absolute link for a token, built from the request's host.
func (s *Server) inviteURL(r *http.Request, token string) string {
	return s.site.InviteURL(r, token)
}

package handlers

import (
	"net/http"
	"net/url"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"gloss/db"
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
	v := viewer(c)
	if inv.GroupID == 0 {
		if v.SignedIn() {
			return db.Errorf(db.ECONFLICT, "This link creates a new account, and you are signed in already. Sign out first if it is meant for someone else.")
		}
		return ok(c, s.accountInvitePage(token, inv)(formOf(c)))
	}
	return ok(c, s.groupInvitePage(token, inv, v.SignedIn())(formOf(c)))
}

// groupInvitePage offers to join a group: signed in, at once; signed out,
// by signing in, or by making an account with the link when its owners
// allowed it.
func (s *Server) groupInvitePage(token string, inv db.Invite, signedIn bool) func(views.Form) templ.Component {
	return func(f views.Form) templ.Component {
		return views.GroupInvite(views.InvitePage{
			Token: token, GroupName: inv.GroupName, Role: string(inv.Role), Expires: when(inv.ExpiresAt),
			SignedIn: signedIn, SignupOpen: s.cfg.Signup, AllowsSignup: inv.AllowsSignup, Form: f,
		})
	}
}

func (s *Server) accountInvitePage(token string, inv db.Invite) func(views.Form) templ.Component {
	return func(f views.Form) templ.Component {
		return views.Signup(views.SignupPage{
			Form: f, Title: "Create your Gloss account", Action: "/invites/" + token, EmailFixed: inv.Email,
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
	v := viewer(c)
	if inv.GroupID != 0 {
		if !v.SignedIn() && inv.AllowsSignup && c.FormValue("email")+c.FormValue("name")+c.FormValue("password") != "" {
			return s.signupWithGroupInvite(c, token, inv)
		}
		if !v.SignedIn() {
			return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape("/invites/"+token))
		}
		g, err := s.db.AcceptGroupInvite(ctx, token, v.UserID)
		if err != nil {
			return err
		}
		warn, err := s.sameNameWarning(c, v.UserID, g.ID)
		if err != nil {
			return err
		}
		s.flash(c, "You joined "+g.Name+"."+warn)
		return c.Redirect(http.StatusSeeOther, "/groups/"+itoa64(g.ID))
	}
	if v.SignedIn() {
		return db.Errorf(db.ECONFLICT, "This link creates a new account, and you are signed in already.")
	}
	f := formOf(c, "email", "name", "password")
	page := s.accountInvitePage(token, inv)
	if !require(&f, map[string]string{"email": "Email", "name": "Display name", "password": "Password"}) {
		return render(c, http.StatusUnprocessableEntity, page(f))
	}
	u, err := s.db.AcceptAccountInvite(ctx, token, db.NewUser{Email: f.Value("email"), Name: f.Value("name"), Password: f.Value("password")})
	if err != nil {
		return refuse(c, err, f, page)
	}
	if err := s.signIn(c, u); err != nil {
		return err
	}
	s.flash(c, "Welcome to Gloss, "+u.Name+".")
	return c.Redirect(http.StatusSeeOther, "/")
}

// signupWithGroupInvite makes an account with a group invitation that
// allows it, joins the group, and signs the person in.
func (s *Server) signupWithGroupInvite(c echo.Context, token string, inv db.Invite) error {
	f := formOf(c, "email", "name", "password")
	page := s.groupInvitePage(token, inv, false)
	if !require(&f, map[string]string{"email": "Email", "name": "Display name", "password": "Password"}) {
		return render(c, http.StatusUnprocessableEntity, page(f))
	}
	u, g, err := s.db.SignupWithGroupInvite(c.Request().Context(), token, db.NewUser{Email: f.Value("email"), Name: f.Value("name"), Password: f.Value("password")})
	if err != nil {
		return refuse(c, err, f, page)
	}
	if err := s.signIn(c, u); err != nil {
		return err
	}
	warn, err := s.sameNameWarning(c, u.ID, g.ID)
	if err != nil {
		return err
	}
	s.flash(c, "Welcome to Gloss, "+u.Name+". You joined "+g.Name+"."+warn)
	return c.Redirect(http.StatusSeeOther, "/groups/"+itoa64(g.ID))
}

// inviteURL is the absolute link for a token, built from the request's host.
func (s *Server) inviteURL(c echo.Context, token string) string {
	return s.baseIRI(c) + "/invites/" + token
}

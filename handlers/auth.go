package handlers

import (
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/handlers/paths"
	"gloss/handlers/web"
	"gloss/views"
)

func (s *Server) loginPage(next string) func(views.Form) templ.Component {
	return func(f views.Form) templ.Component {
		return views.Login(views.LoginPage{Form: f, Next: next, SignupOpen: s.cfg.Signup})
	}
}

func (s *Server) loginForm(c echo.Context) error {
	if web.Viewer(c.Request()).SignedIn() {
		return c.Redirect(http.StatusSeeOther, paths.Library)
	}
	return web.OK(c, s.loginPage(localPath(c.QueryParam("next")))(web.FormOf(c.Request())))
}

// login checks the password, throttled per account and per address
// (throttle.go). An account's password checks are reserved before they
// run: parallel requests get no more checks than sequential ones. An
// address past its budget of failures still gets a check for an account
// that is not locked, so a right password signs in; a wrong one is
// answered 429 and leaves that account no free checks.
func (s *Server) login(c echo.Context) error {
	f := web.FormOf(c.Request(), "email", "password")
	next := localPath(c.FormValue("next"))
	page := s.loginPage(next)
	if !web.Require(&f, map[string]string{"email": "Email", "password": "Password"}) {
		return web.Render(c, http.StatusUnprocessableEntity, page(f))
	}
	ipKey, accountKey := "ip:"+c.RealIP(), "account:"+strings.ToLower(strings.TrimSpace(f.Value("email")))
	tooMany := func(wait time.Duration, msg string) error {
		secs := max(1, int(math.Ceil(wait.Seconds())))
		c.Response().Header().Set("Retry-After", fmt.Sprint(secs))
		f.Error = fmt.Sprintf(msg, secs)
		return web.Render(c, http.StatusTooManyRequests, page(f))
	}
	ctx := c.Request().Context()
	// The throttles' bookkeeping once a check is reserved: its errors are
	// logged, not shown (the answer to the request stands).
	settle := func(err error) {
		if err != nil {
			s.log.Error("sign-in throttle", "err", err)
		}
	}
	wait, err := s.accountThrottle.begin(ctx, accountKey)
	if err != nil {
		return web.Refuse(c, err, f, page)
	}
	if wait > 0 {
		s.metrics.SignInThrottle("account", "refused")
		return tooMany(wait, "Too many sign-in attempts. Please wait %d seconds and try again.")
	}
	ipToken, ipWait, err := s.ipThrottle.take(ctx, ipKey)
	if err != nil {
		settle(s.accountThrottle.release(ctx, accountKey))
		return web.Refuse(c, err, f, page)
	}
	u, err := s.db.Authenticate(ctx, f.Value("email"), f.Value("password"))
	switch {
	case db.ErrorCode(err) == db.EUNAUTHORIZED:
		locked, terr := s.accountThrottle.end(ctx, accountKey, false, !ipToken)
		settle(terr)
		if locked {
			s.metrics.SignInThrottle("account", "locked")
		}
		if !ipToken {
			s.metrics.SignInThrottle("ip", "refused")
			return tooMany(ipWait, "Too many failed sign-ins from your network. Please check your password and try again in %d seconds.")
		}
		return web.Refuse(c, err, f, page)
	case err != nil:
		settle(s.accountThrottle.release(ctx, accountKey))
		if ipToken {
			settle(s.ipThrottle.give(ctx, ipKey))
		}
		return web.Refuse(c, err, f, page)
	}
	_, terr := s.accountThrottle.end(ctx, accountKey, true, false)
	settle(terr)
	if ipToken {
		settle(s.ipThrottle.give(ctx, ipKey))
	}
	if err := s.signIn(c.Request(), u, c.RealIP()); err != nil {
		return err
	}
	if next == "" {
		next = paths.Library
	}
	return c.Redirect(http.StatusSeeOther, next)
}

func (s *Server) logout(c echo.Context) error {
	ctx := c.Request().Context()
	if sid := s.sessions.GetString(ctx, keySID); sid != "" {
		if err := s.db.EndUserSession(ctx, sid); err != nil {
			return err
		}
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Remove(ctx, keyUserID)
	s.sessions.Remove(ctx, keySID)
	s.site.Flash(c.Request(), "You are signed out.")
	return c.Redirect(http.StatusSeeOther, paths.Library)
}

func (s *Server) signupPage(next string) func(views.Form) templ.Component {
	return func(f views.Form) templ.Component {
		return views.Signup(views.SignupPage{Form: f, Title: "Create an account", Action: paths.Signup(""), Next: next})
	}
}

func (s *Server) signupForm(c echo.Context) error {
	if !s.cfg.Signup {
		return db.Errorf(db.ENOTFOUND, "Accounts on this Gloss are by invitation: ask an administrator for a link.")
	}
	return web.OK(c, s.signupPage(localPath(c.QueryParam("next")))(web.FormOf(c.Request())))
}

func (s *Server) signup(c echo.Context) error {
	if !s.cfg.Signup {
		return db.Errorf(db.ENOTFOUND, "Accounts on this Gloss are by invitation: ask an administrator for a link.")
	}
	f := web.FormOf(c.Request(), "email", "name", "password")
	next := localPath(c.FormValue("next"))
	page := s.signupPage(next)
	if !web.Require(&f, map[string]string{"email": "Email", "name": "Display name", "password": "Password"}) {
		return web.Render(c, http.StatusUnprocessableEntity, page(f))
	}
	u, err := s.db.CreateUser(c.Request().Context(), db.NewUser{Email: f.Value("email"), Name: f.Value("name"), Password: f.Value("password")})
	if err != nil {
		return web.Refuse(c, err, f, page)
	}
	if err := s.signIn(c.Request(), u, c.RealIP()); err != nil {
		return err
	}
	s.site.Flash(c.Request(), "Welcome to Gloss, "+u.Name+".")
	if next == "" {
		next = paths.Library
	}
	return c.Redirect(http.StatusSeeOther, next)
}

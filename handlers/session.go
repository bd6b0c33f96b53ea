package handlers

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/handlers/sessions"
	"gloss/handlers/web"
	"gloss/views"
)

// Session keys.
const (
	keyUserID = "user_id"
	keySID    = "sid"
	keyFlash  = "flash"
)

func newSessionManager(store db.Sessions, secure bool, log *slog.Logger) *scs.SessionManager {
	sm := scs.New()
	// Unchanged sessions are not rewritten (handlers/sessions/store.go).
	sm.Store = sessions.NewStore(store)
	sm.Codec = sessions.Codec{} // cheaper than gob, and reads gob's
	sm.Lifetime = db.SessionMaxAge
	sm.IdleTimeout = db.SessionIdle
	sm.Cookie.Name = "gloss_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = secure
	sm.Cookie.Path = "/"
	// A session that cannot be saved (the disk is full) is said plainly;
	// anything else is a bug, logged.
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		if db.ErrorCode(err) == db.EUNAVAILABLE {
			w.Header().Set("Retry-After", "60")
			http.Error(w, db.ErrorMessage(err), http.StatusServiceUnavailable)
			return
		}
		log.Error("session", "uri", r.RequestURI, "err", err)
		http.Error(w, db.ErrorMessage(errors.New("internal")), http.StatusInternalServerError)
	}
	return sm
}

// sessions loads and saves the session cookie, except for requests that
// never need it (static files, health checks).
func (s *Server) sessionMiddleware() echo.MiddlewareFunc {
	load := echo.WrapMiddleware(s.sessions.LoadAndSave)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		withSession := load(next)
		return func(c echo.Context) error {
			p := c.Request().URL.Path
			if strings.HasPrefix(p, "/static/") || p == "/healthz" || p == "/readyz" {
				return next(c)
			}
			return withSession(c)
		}
	}
}

// authenticate works out who is asking, from a bearer token or the session
// cookie, and puts the viewer and the layout's data in the request.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		p := c.Request().URL.Path
		if strings.HasPrefix(p, "/static/") || p == "/healthz" || p == "/readyz" {
			return next(c)
		}
		r := c.Request()
		ctx := r.Context()
		v := db.Anonymous
		chrome := views.Chrome{Path: r.URL.RequestURI()}
		if auth := r.Header.Get("Authorization"); auth != "" {
			raw, ok := strings.CutPrefix(auth, "Bearer ")
			if !ok {
				return db.Errorf(db.EUNAUTHORIZED, "Send the API token as: Authorization: Bearer <token>.")
			}
			u, err := s.db.UserByAPIToken(ctx, strings.TrimSpace(raw))
			if err != nil {
				return err
			}
			if v, err = s.db.ViewerFor(ctx, u); err != nil {
				return err
			}
			v.ViaToken = true
		} else if uid := s.sessions.GetInt64(ctx, keyUserID); uid != 0 {
			u, err := s.db.UserBySession(ctx, uid, s.sessions.GetString(ctx, keySID))
			switch {
			case db.ErrorCode(err) == db.EUNAUTHORIZED:
				// Revoked elsewhere (another browser, a password change).
				s.sessions.Remove(ctx, keyUserID)
				s.sessions.Remove(ctx, keySID)
				chrome.Flash = db.ErrorMessage(err)
			case err != nil:
				return err
			default:
				if v, err = s.db.ViewerFor(ctx, u); err != nil {
					return err
				}
			}
		}
		if v.SignedIn() {
			chrome.User = &views.CurrentUser{Name: v.Name, Admin: v.Admin}
			if r.Method == http.MethodGet && !v.ViaToken && !inPlace(r) && !isEventStream(c) {
				// The bell's count, for a page (a failure leaves it at 0:
				// the page's stream says it again).
				chrome.User.Unread, _ = s.pages.Unread(ctx, v, s.db.UnreadCount)
			}
		}
		if s.sessions.Exists(ctx, keyFlash) {
			chrome.Flash = s.sessions.PopString(ctx, keyFlash)
		}
		c.SetRequest(r.WithContext(web.WithViewer(views.WithChrome(ctx, chrome), v)))
		return next(c)
	}
}

// signIn starts a session for u: a new cookie token (so a token planted
// before sign-in is worthless), and a session id the person can revoke.
func (s *Server) signIn(r *http.Request, u db.User, ip string) error {
	ctx := r.Context()
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	sid, err := s.db.CreateUserSession(ctx, u.ID, r.UserAgent(), ip)
	if err != nil {
		return err
	}
	s.sessions.Put(ctx, keyUserID, u.ID)
	s.sessions.Put(ctx, keySID, sid)
	return nil
}

// localPath accepts only a path on this site as a return address, so a
// crafted link cannot send people elsewhere after signing in, and never a
// sign-in page (views.ReturnPath), so return addresses do not nest.
func localPath(next string) string {
	next = views.ReturnPath(next)
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return ""
	}
	return next
}

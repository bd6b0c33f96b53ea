package handlers

import (
	"net/http"
	"strings"

	"gloss/handlers/admission"
	"gloss/handlers/exchange"
	"gloss/handlers/groups"
	"gloss/handlers/paths"
	"gloss/handlers/search"
	"gloss/handlers/tags"
	"gloss/handlers/w3c"
	"gloss/handlers/web"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

func (s *Server) routes(e *echo.Echo) {
	e.Pre(headAsGet)
	if s.cfg.Metrics != nil {
		// First, to see the status the error handler sends; the routes it
		// may name are filled in below, once they are registered.
		known := map[string]bool{}
		defer func() {
			for _, r := range e.Routes() {
				known[r.Path] = true
			}
		}()
		e.Use(s.measure(known))
	}
	// Every request: recover first so a panic anywhere becomes a logged 500
	// page; then logging, headers, a turn (handlers/admission), limits,
	// cross-origin refusal, the session, and who is asking.
	e.Use(
		headAgain,
		middleware.RecoverWithConfig(middleware.RecoverConfig{LogErrorFunc: s.logPanic}),
		s.requestLogger(),
		s.secureHeaders,
		admission.New(s.cfg.Concurrency, s.metrics, waitsNoTurn).Middleware,
		middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: "4M", Skipper: skipBodyLimit}),
		web.GzipETags,
		// Level 1: a reader page of 1.1 MiB compresses to 94 KiB in 4.7 ms, where
		// level 5 took 7.5 ms for 74 KiB; the CPU is the scarcer of the two.
		// The reader page compresses itself, to keep the compressed bytes
		// (handlers/pagecache).
		middleware.GzipWithConfig(middleware.GzipConfig{Level: 1, MinLength: 1024, Skipper: func(c echo.Context) bool {
			return isEventStream(c) || selfCompressed(c)
		}}),
		crossOriginProtection(),
		s.sessionMiddleware(),
		s.authenticate,
	)

	e.GET("/healthz", s.health)
	e.GET("/readyz", s.ready)
	e.GET("/static/*", s.static)
	e.GET("/", s.library)
	e.GET("/articles/:slug", s.article)
	e.GET("/articles/:slug/events", s.articleEvents)
	e.GET("/events", s.userEvents)
	e.GET("/notifications", s.notifications)
	e.POST("/notifications/read", s.markAllRead)
	e.POST("/notifications/email", s.emailSetting)
	e.GET("/notifications/:id", s.openNotification)
	e.POST("/notifications/:id/read", s.markRead)
	e.POST("/annotations/:id/mute", s.muteThread)
	e.POST("/groups/:id/mute", s.muteGroup)
	e.POST("/groups/:id/follow", s.followGroup)
	e.GET("/groups/:id/activity", s.groupActivity)
	e.GET("/groups/:id/activity/events", s.groupActivityEvents)
	e.GET("/mentions", s.mentionSuggestions)
	e.GET("/users/:id", s.profile)
	e.GET("/unsubscribe/:token", s.unsubscribeForm)
	e.POST("/unsubscribe/:token", s.unsubscribe)
	e.POST("/articles/:slug/annotations", s.createAnnotation)
	e.POST("/articles/:slug/notes", s.createNote)
	e.POST("/articles/:slug/tags", s.tagArticle)
	e.POST("/articles/:slug/tags/remove", s.untagArticle)
	e.GET("/annotations/:id/edit", s.editAnnotation)
	e.POST("/annotations/:id/edit", s.updateAnnotation)
	e.POST("/annotations/:id/delete", s.deleteAnnotation)
	e.POST("/annotations/:id/replies", s.replyAnnotation)
	e.POST("/annotations/:id/hide", s.hideAnnotation)
	e.POST("/annotations/:id/unhide", s.unhideAnnotation)
	e.GET("/notes/:id/edit", s.editNote)
	e.POST("/notes/:id/edit", s.updateNote)
	e.POST("/notes/:id/delete", s.deleteNote)
	e.GET("/index", s.index)

	e.GET("/login", s.loginForm)
	e.POST("/login", s.login)
	e.POST("/logout", s.logout)
	e.GET("/signup", s.signupForm)
	e.POST("/signup", s.signup)
	e.GET("/invites/:token", s.invite)
	e.POST("/invites/:token", s.acceptInvite)

	e.GET("/account", s.account)
	e.POST("/account/profile", s.updateProfile)
	e.POST("/account/password", s.changePassword)
	e.POST("/account/sessions/:id/revoke", s.revokeSession)
	e.POST("/account/tokens", s.createToken)
	e.POST("/account/tokens/:id/revoke", s.revokeToken)

	e.GET("/admin", s.admin)
	e.POST("/admin/invites", s.createAccountInvite)
	e.POST("/admin/starter/remove", s.removeStarter)

	e.GET("/api/me", s.apiMe)

	w3c.New(s.db, s.site).Routes(e)                       // W3C Web Annotation Protocol, JSON-LD exports and imports (w3c/)
	exchange.New(s.db, s.site).Routes(e)                  // article imports, CSV and Markdown exports, backups (exchange/)
	s.collections.Routes(e)                               // curated collections for educators (collections/)
	s.evidence.Routes(e)                                  // voices, figures, timeline; suggested evidence in the reader and in bulk (evidence/)
	tags.New(s.db, s.site, s.tagCards).Routes(e)          // the tags' pages, groups' codebooks (tags/)
	groups.New(s.db, s.site, s.cfg.MailEnabled).Routes(e) // groups, members, invitations (groups/)
	search.New(s.db).Routes(e)                            // the search page (search/)
}

// headKey marks a HEAD request answered as a GET (the logs say HEAD).
const headKey = "head"

// headAsGet answers HEAD wherever GET is answered, as net/http's ServeMux
// does (Echo routes HEAD only where it is registered: a monitor's or a
// link checker's HEAD got 405). Before routing (e.Pre), the request
// becomes a GET, since Echo routes the request it was given; then (the
// first of e.Use) the server's request is a HEAD again, so net/http sends
// no body, and the handlers get a GET of their own, whose body is dropped
// here too (in tests without a server). The protocol's resources answer
// HEAD themselves; exports and backups do not answer it (making one to
// throw it away would cost a whole export or a copy of the database).
func headAsGet(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		p := r.URL.Path
		if r.Method == http.MethodHead && !w3c.IsContainer(p) && !w3c.IsAnnotation(p) &&
			!strings.Contains(p, "/export.") && p != "/admin/backup/download" {
			r.Method = http.MethodGet
			c.Set(headKey, true)
		}
		return next(c)
	}
}

// isEventStream: a live page's events are sent as they come, never held
// back to be compressed.
// waitsNoTurn is what goes in without waiting for a turn
// (handlers/admission): live streams, held open as long as their page is;
// static files; the health checks.
func waitsNoTurn(c echo.Context) bool {
	p := c.Request().URL.Path
	return isEventStream(c) || strings.HasPrefix(p, "/static/") || p == "/healthz" || p == "/readyz"
}

func isEventStream(c echo.Context) bool {
	p := c.Request().URL.Path
	return p == "/events" || strings.HasSuffix(p, "/events")
}

// skipBodyLimit exempts the annotation import from the site-wide 4 MB
// body limit: it takes files up to 10 MiB and enforces that itself.
func skipBodyLimit(c echo.Context) bool {
	return c.Request().Method == http.MethodPost && c.Request().URL.Path == paths.ImportAnnotation
}

// headAgain undoes headAsGet's change to the server's request once routed.
func headAgain(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if head, _ := c.Get(headKey).(bool); head {
			r := c.Request()
			get := r.Clone(r.Context())
			r.Method = http.MethodHead
			c.SetRequest(get)
			c.Response().Writer = bodiless{c.Response().Writer}
		}
		return next(c)
	}
}

// bodiless drops a response's body and keeps its headers.
type bodiless struct{ http.ResponseWriter }

func (b bodiless) Write(p []byte) (int, error) { return len(p), nil }

// Unwrap lets http.ResponseController reach the connection (Flush).
func (b bodiless) Unwrap() http.ResponseWriter { return b.ResponseWriter }

// selfCompressed: the page handlers that compress their own responses
// (sendPage), so that a kept page is compressed once. The gzip middleware
// skips them.
func selfCompressed(c echo.Context) bool {
	r := c.Request()
	switch c.Path() {
	case "/s/:token":
		return r.Method == http.MethodGet
	case "/articles/:slug":
		return r.Method == http.MethodGet && !inPlace(r) && !strings.HasSuffix(c.Param("slug"), ".txt")
	}
	return false
}

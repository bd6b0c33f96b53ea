package handlers

import (
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// MaxBodyBytes caps every request body; larger ones get 413.
const MaxBodyBytes = 4 << 20

func (s *Server) routes(e *echo.Echo) {
	// Standard chain for every request: recover first so a panic in any
	// later middleware still becomes a logged 500 page.
	e.Use(
		middleware.RecoverWithConfig(middleware.RecoverConfig{DisableErrorHandler: false, LogErrorFunc: s.logPanic}),
		s.requestLogger(),
		s.secureHeaders,
		middleware.BodyLimit("4M"),
		middleware.GzipWithConfig(middleware.GzipConfig{Level: 5, MinLength: 1024}),
	)

	e.GET("/healthz", s.health)
	e.GET("/static/*", s.static)
	e.GET("/", s.library)
	e.GET("/articles/:slug", s.article)
}

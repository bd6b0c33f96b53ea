// Package handlers is Gloss's HTTP layer: Echo routes, middleware, and one
// file per resource. Handlers load, validate, call db, and render views.
package handlers

import (
	"log/slog"

	"github.com/labstack/echo/v4"

	"gloss/db"
)

// Config holds what the HTTP layer needs besides the store.
type Config struct {
	Logger    *slog.Logger
	BehindTLS bool // served over HTTPS (directly or by a proxy): Secure cookies, HSTS
}

// Server holds the dependencies every handler uses.
type Server struct {
	db  *db.DB
	log *slog.Logger
	cfg Config
}

// New builds the Echo instance with every route and middleware.
func New(store *db.DB, cfg Config) *echo.Echo {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{db: store, log: cfg.Logger, cfg: cfg}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.errorHandler
	s.routes(e)
	return e
}

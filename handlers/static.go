package handlers

import (
	"bytes"
	"mime"
	"net/http"
	"path"
	"time"

	"github.com/labstack/echo/v4"

	"gloss/static"
)

// static serves embedded assets under their content-hashed names. A name's
// content never changes, so browsers may keep it for a year.
func (s *Server) static(c echo.Context) error {
	a, ok := static.Lookup(c.Request().URL.Path)
	if !ok {
		return echo.ErrNotFound
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	ctype := mime.TypeByExtension(path.Ext(a.Name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	h.Set("Content-Type", ctype)
	http.ServeContent(c.Response(), c.Request(), a.Name, time.Time{}, bytes.NewReader(a.Body))
	return nil
}

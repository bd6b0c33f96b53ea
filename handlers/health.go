package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// health answers 200 when the database answers a query, 503 otherwise.
func (s *Server) health(c echo.Context) error {
	if err := s.db.Ping(c.Request().Context()); err != nil {
		s.log.Error("health check", "err", err)
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "database": "unreachable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok", "database": "ok"})
}

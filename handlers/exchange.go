package handlers

import "github.com/labstack/echo/v4"

// exchangeRoutes registers imports, exports and backups.
func (s *Server) exchangeRoutes(e *echo.Echo) {}

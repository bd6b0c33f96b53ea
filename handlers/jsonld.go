package handlers

import "github.com/labstack/echo/v4"

// jsonldRoutes registers the W3C JSON-LD exports and imports.
func (s *Server) jsonldRoutes(e *echo.Echo) {}

package handlers

import "github.com/labstack/echo/v4"

// protocolRoutes registers the W3C Web Annotation Protocol endpoints.
func (s *Server) protocolRoutes(e *echo.Echo) {}

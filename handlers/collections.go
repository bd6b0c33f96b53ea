package handlers

import "github.com/labstack/echo/v4"

// collectionRoutes registers curated collections, sharing and presenting.
func (s *Server) collectionRoutes(e *echo.Echo) {}

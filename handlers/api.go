package handlers

import (
	"net/http"

	"gloss/handlers/web"

	"github.com/labstack/echo/v4"
)

// apiMe tells an API client who its token belongs to.
func (s *Server) apiMe(c echo.Context) error {
	v := web.Viewer(c.Request())
	if err := v.RequireSignIn(); err != nil {
		return err
	}
	groups, err := s.db.GroupsOf(c.Request().Context(), v.UserID)
	if err != nil {
		return err
	}
	type group struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
		Role string `json:"role"`
	}
	out := struct {
		ID     int64   `json:"id"`
		Name   string  `json:"name"`
		Email  string  `json:"email"`
		Admin  bool    `json:"admin"`
		Groups []group `json:"groups"`
	}{ID: v.UserID, Name: v.Name, Email: v.Email, Admin: v.Admin, Groups: []group{}}
	for _, g := range groups {
		out.Groups = append(out.Groups, group{ID: g.ID, Name: g.Name, Role: string(g.Role)})
	}
	return c.JSON(http.StatusOK, out)
}

package handlers

import (
	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/handlers/web"
)

// collectionExportRoutes exports the annotations chosen in a collection,
// with their replies, as CSV, Markdown and W3C JSON-LD. Whoever may see
// the collection gets the chosen annotations they may see anyway.
func (s *Server) collectionExportRoutes(e *echo.Echo) {
	for _, f := range []exportFormat{exportCSV, exportMarkdown} {
		e.GET("/collections/:id/export"+f.ext, s.exportCollection(f))
	}
}

// exportableCollection checks the viewer may see the collection.
func (s *Server) exportableCollection(c echo.Context) (db.Collection, error) {
	id, err := web.ID(c.Param("id"))
	if err != nil {
		return db.Collection{}, err
	}
	return s.db.CollectionInfo(c.Request().Context(), web.Viewer(c.Request()), id)
}

func (s *Server) exportCollection(f exportFormat) echo.HandlerFunc {
	return func(c echo.Context) error {
		col, err := s.exportableCollection(c)
		if err != nil {
			return err
		}
		return s.sendExport(c, f, db.ExportScope{CollectionID: col.ID},
			"Annotations in the collection “"+col.Title+"”", "gloss-collection-"+itoa64(col.ID))
	}
}

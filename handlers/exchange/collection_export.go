package exchange

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/handlers/web"
)

// collectionExportRoutes exports the annotations chosen in a collection,
// with their replies, as CSV and Markdown (W3C JSON-LD: the w3c package).
// Whoever may see the collection gets the chosen annotations they may see
// anyway.
func (s *Server) collectionExportRoutes(e *echo.Echo) {
	for _, f := range []exportFormat{exportCSV, exportMarkdown} {
		e.GET("/collections/:id/export"+f.ext, s.exportCollection(f))
	}
}

func (s *Server) exportCollection(f exportFormat) echo.HandlerFunc {
	return func(c echo.Context) error {
		col, err := web.Load(c.Request(), c.Param("id"), s.db.CollectionInfo)
		if err != nil {
			return err
		}
		return s.sendExport(c, f, db.ExportScope{CollectionID: col.ID},
			"Annotations in the collection “"+col.Title+"”", "gloss-collection-"+strconv.FormatInt(col.ID, 10))
	}
}

package tags

import (
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/handlers/paths"
	"gloss/handlers/web"
	"gloss/views"
)

// A group's codebook: the tags its members use, with what each one means.

// codebookPage renders a group's codebook.
func (s *Server) codebookPage(c echo.Context, status int, id int64, f views.Form, imported int) error {
	ctx := c.Request().Context()
	v := web.Viewer(c.Request())
	g, err := s.db.GroupByID(ctx, id)
	if err != nil {
		return err
	}
	entries, err := s.db.Codebook(ctx, v, id)
	if err != nil {
		return err
	}
	m := views.CodebookPage{GroupID: id, GroupName: g.Name, CanManage: v.ManageGroup(id) == nil, Member: v.ReadGroupWork(id), Form: f, Imported: imported}
	for _, e := range entries {
		m.Entries = append(m.Entries, views.CodebookRow{Tag: e.Tag, Class: views.ColorClass(e.Color), Definition: e.Definition, InCodebook: e.InCodebook, Uses: e.Uses})
	}
	return web.Render(c, status, views.Codebook(m))
}

func (s *Server) codebook(c echo.Context) error {
	id, err := web.GroupAccess(c.Request(), c.Param("id"), db.Viewer.ViewGroup)
	if err != nil {
		return err
	}
	return s.codebookPage(c, http.StatusOK, id, web.FormOf(c.Request()), 0)
}

func (s *Server) defineCode(c echo.Context) error {
	id, err := web.GroupAccess(c.Request(), c.Param("id"), db.Viewer.ManageGroup)
	if err != nil {
		return err
	}
	f := web.FormOf(c.Request(), "tag", "definition")
	if _, err := s.db.SetCodebookEntries(c.Request().Context(), web.Viewer(c.Request()), id, [][2]string{{f.Value("tag"), f.Value("definition")}}); err != nil {
		if db.ErrorCode(err) == db.EINVALID {
			f.Error = db.ErrorMessage(err)
			return s.codebookPage(c, http.StatusUnprocessableEntity, id, f, 0)
		}
		return err
	}
	s.site.Flash(c.Request(), "Definition saved.")
	return c.Redirect(http.StatusSeeOther, paths.Codebook(id))
}

func (s *Server) removeCode(c echo.Context) error {
	id, err := web.GroupAccess(c.Request(), c.Param("id"), db.Viewer.ManageGroup)
	if err != nil {
		return err
	}
	if err := s.db.RemoveCodebookEntry(c.Request().Context(), web.Viewer(c.Request()), id, c.FormValue("tag")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, paths.Codebook(id))
}

// MaxCodebookBytes bounds an imported codebook file.
const MaxCodebookBytes = 1 << 20

// importCodebook takes a CSV of tag,definition rows: all of them or none.
func (s *Server) importCodebook(c echo.Context) error {
	id, err := web.GroupAccess(c.Request(), c.Param("id"), db.Viewer.ManageGroup)
	if err != nil {
		return err
	}
	refuse := func(msg string) error {
		return s.codebookPage(c, http.StatusUnprocessableEntity, id, views.Form{Error: msg}, 0)
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return refuse("Choose a CSV file to import.")
	}
	if fh.Size > MaxCodebookBytes {
		return refuse("The file is larger than 1 MiB.")
	}
	file, err := fh.Open()
	if err != nil {
		return err
	}
	defer file.Close()
	r := csv.NewReader(io.LimitReader(file, MaxCodebookBytes))
	r.FieldsPerRecord = -1
	records, err := r.ReadAll()
	if err != nil {
		return refuse("The file is not valid CSV: " + err.Error())
	}
	var rows [][2]string
	for i, rec := range records {
		if len(rec) == 0 || (len(rec) == 1 && strings.TrimSpace(rec[0]) == "") {
			continue
		}
		tag := strings.TrimPrefix(rec[0], "\ufeff")
		if i == 0 && strings.EqualFold(strings.TrimSpace(tag), "tag") {
			continue // header
		}
		def := ""
		if len(rec) > 1 {
			def = rec[1]
		}
		if len(rec) > 2 {
			return refuse(fmt.Sprintf("Row %d has %d columns: use two, tag and definition.", i+1, len(rec)))
		}
		rows = append(rows, [2]string{tag, strings.TrimPrefix(def, "'")})
	}
	if len(rows) == 0 {
		return refuse("The file has no rows to import.")
	}
	n, err := s.db.SetCodebookEntries(c.Request().Context(), web.Viewer(c.Request()), id, rows)
	if err != nil {
		if db.ErrorCode(err) == db.EINVALID {
			return refuse(db.ErrorMessage(err) + " Nothing was imported.")
		}
		return err
	}
	return s.codebookPage(c, http.StatusOK, id, web.FormOf(c.Request()), n)
}

func (s *Server) codebookCSV(c echo.Context) error {
	id, err := web.GroupAccess(c.Request(), c.Param("id"), db.Viewer.ViewGroup)
	if err != nil {
		return err
	}
	entries, err := s.db.Codebook(c.Request().Context(), web.Viewer(c.Request()), id)
	if err != nil {
		return err
	}
	w := web.CSV(c, fmt.Sprintf("codebook-group-%d.csv", id))
	w.Write([]string{"tag", "definition"})
	for _, e := range entries {
		if e.InCodebook {
			w.Write(web.CSVRow(e.Tag, e.Definition))
		}
	}
	w.Flush()
	return w.Error()
}

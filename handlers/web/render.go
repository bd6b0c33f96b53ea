package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"sync"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
)

// Render writes a templ component with the given status. It renders into a
// buffer first, so a template error never sends half a page.
func Render(c echo.Context, status int, component templ.Component) error {
	buf := pageBuffers.Get().(*bytes.Buffer)
	defer putPageBuffer(buf)
	if err := component.Render(c.Request().Context(), buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// RenderBytes renders a component into a pooled buffer: its bytes are
// good until release is called.
func RenderBytes(ctx context.Context, component templ.Component) (body []byte, release func(), err error) {
	buf := pageBuffers.Get().(*bytes.Buffer)
	if err := component.Render(ctx, buf); err != nil {
		putPageBuffer(buf)
		return nil, nil, err
	}
	return buf.Bytes(), func() { putPageBuffer(buf) }, nil
}

// pageBuffers keeps Render's buffers: a reader page with hundreds of
// annotations is a megabyte, and growing a new buffer to that for every
// request cost a tenth of the page's time (BenchmarkReader500).
var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putPageBuffer(b *bytes.Buffer) {
	if b.Cap() > 8<<20 {
		return // an outlier; let it go rather than hold it
	}
	b.Reset()
	pageBuffers.Put(b)
}

// OK renders a component with 200.
func OK(c echo.Context, component templ.Component) error {
	return Render(c, http.StatusOK, component)
}

// CSV starts a CSV download named name and returns its writer. Rows that
// hold what people typed go through CSVRow.
func CSV(c echo.Context, name string) *csv.Writer {
	h := c.Response().Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Response().WriteHeader(http.StatusOK)
	return csv.NewWriter(c.Response())
}

// CSVRow guards every cell against formula injection (GuardCell).
func CSVRow(cells ...string) []string {
	for i, v := range cells {
		cells[i] = GuardCell(v)
	}
	return cells
}

// GuardCell defuses formula injection: spreadsheets run a cell that starts
// with = + - @ (or a tab or carriage return) as a formula, so such a cell
// gets a leading apostrophe, which they show as text (OWASP's advice).
func GuardCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

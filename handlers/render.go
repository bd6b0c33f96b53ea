package handlers

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"sync"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
)

// render writes a templ component with the given status. It renders into a
// buffer first, so a template error never sends half a page.
func render(c echo.Context, status int, component templ.Component) error {
	buf := pageBuffers.Get().(*bytes.Buffer)
	defer putPageBuffer(buf)
	if err := component.Render(c.Request().Context(), buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// pageBuffers keeps render's buffers: a reader page with hundreds of
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

// ok renders a component with 200.
func ok(c echo.Context, component templ.Component) error {
	return render(c, http.StatusOK, component)
}

// csvResponse starts a CSV download named name and returns its writer.
func csvResponse(c echo.Context, name string) *csv.Writer {
	h := c.Response().Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Response().WriteHeader(http.StatusOK)
	return csv.NewWriter(c.Response())
}

package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// Each representation of a version has its own strong ETag: the version's
// tag for application/ld+json, with ETagJSON appended for application/json
// (the same bytes under another media type), and ETagGzip appended by
// GzipETags to whichever is sent compressed.
const (
	ETagJSON = "-json"
	ETagGzip = "-gzip"
)

// WithETagSuffix appends suffix inside a quoted ETag.
func WithETagSuffix(etag, suffix string) string {
	if !strings.HasSuffix(etag, `"`) {
		return etag
	}
	return etag[:len(etag)-1] + suffix + `"`
}

// WithoutETagSuffix takes suffix off a quoted ETag that has it.
func WithoutETagSuffix(etag, suffix string) string {
	if s, ok := strings.CutSuffix(etag, suffix+`"`); ok {
		return s + `"`
	}
	return etag
}

// GzipETags gives a compressed answer an ETag of its own. The gzip
// middleware (inside this one) compresses a body after the handler set a
// strong ETag naming the identity body; a strong ETag names one exact
// representation, so ETagGzip is appended to it (as Apache does), and the
// protocol's conditional requests read it back.
func GzipETags(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Writer = &etagWriter{ResponseWriter: c.Response().Writer}
		return next(c)
	}
}

type etagWriter struct {
	http.ResponseWriter
	wroteHeader bool
}

func (w *etagWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.wroteHeader = true
		h := w.Header()
		if t := h.Get("ETag"); h.Get("Content-Encoding") == "gzip" && strings.HasPrefix(t, `"`) && !strings.HasSuffix(t, ETagGzip+`"`) {
			h.Set("ETag", WithETagSuffix(t, ETagGzip))
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *etagWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (Flush).
func (w *etagWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

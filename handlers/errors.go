package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/handlers/paths"
	"gloss/handlers/w3c"
	"gloss/handlers/web"
	"gloss/views"
)

// statusClientClosed is logged for a request its client abandoned.
const statusClientClosed = 499

// errorHandler renders every error once: an HTML page for browsers, JSON
// for API clients. Details of internal errors are logged, never shown.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if gone := c.Request().Context().Err(); gone != nil && errors.Is(err, gone) {
		// The client went away (a closed tab, the end of a load test): no
		// one is there to read an answer, and it is not the server's fault.
		// 499 is the status logs use for it, after nginx.
		s.log.Debug("client closed the request", "uri", c.Request().RequestURI)
		c.Response().WriteHeader(statusClientClosed)
		return
	}
	status, title, message := http.StatusInternalServerError, "Something went wrong", db.ErrorMessage(err)
	var he *echo.HTTPError
	switch {
	case errors.As(err, &he):
		status = he.Code
		title = http.StatusText(status)
		message = httpErrorMessage(he, c.Request())
	default:
		status = web.StatusFor(db.ErrorCode(err))
		if status != http.StatusInternalServerError {
			title = http.StatusText(status)
		}
	}
	switch {
	case status == http.StatusServiceUnavailable:
		// The disk is full or the file read-only: say so, and when to retry.
		s.log.Error("cannot write", "uri", c.Request().RequestURI, "err", err)
		c.Response().Header().Set("Retry-After", "60")
		title = "Cannot save right now"
	case status >= 500:
		s.log.Error("internal error", "uri", c.Request().RequestURI, "err", err)
		message = db.ErrorMessage(errors.New("internal")) // never leak internals
	}

	if isEventStream(c) && !c.Response().Committed {
		// A live page's script asks: the message in plain text (its
		// status says what to do), never a redirect to sign in.
		_ = c.String(status, message)
		return
	}
	// A protocol container's refusals say what it is and takes, as its
	// answers do (Link to its constraints, Allow, Accept-Post): whatever
	// refused, the handler or a middleware before it.
	if status != http.StatusNotFound && w3c.IsContainer(c.Request().URL.Path) {
		w3c.SetContainerHeaders(c.Response().Header())
	}
	if inPlace(c.Request()) && !wantsJSON(c.Request()) && c.Request().Method != http.MethodHead {
		// The reader's script shows the message in the form it sent and
		// keeps what was typed; a lapsed session is said so, not redirected.
		if status == http.StatusUnauthorized {
			message = "You are signed out (your session may have ended): sign in again in another tab, then save again. What you typed is kept here."
		}
		if rerr := web.Render(c, status, views.ErrorFragment(message, db.ErrorField(err))); rerr != nil {
			s.log.Error("render error fragment", "err", rerr)
			_ = c.String(status, message)
		}
		return
	}
	if status == http.StatusUnauthorized {
		if !wantsJSON(c.Request()) && c.Request().Method == http.MethodGet {
			// A page that needs an account: sign in, then come back here.
			_ = c.Redirect(http.StatusSeeOther, paths.Login(c.Request().URL.RequestURI()))
			return
		}
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="gloss"`)
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	if wantsJSON(c.Request()) {
		_ = c.JSON(status, map[string]any{"error": map[string]any{"status": status, "message": message}})
		return
	}
	if rerr := web.Render(c, status, views.Error(views.ErrorPage{Status: status, Title: title, Message: message})); rerr != nil {
		s.log.Error("render error page", "err", rerr)
		_ = c.String(status, message)
	}
}

// httpErrorMessage says an HTTP error in words: the handler's own message
// when it gave one, else one for the status (Echo's and its middleware's
// errors carry only the status text).
func httpErrorMessage(he *echo.HTTPError, r *http.Request) string {
	m, _ := he.Message.(string)
	if m != "" && m != http.StatusText(he.Code) {
		return m
	}
	switch he.Code {
	case http.StatusNotFound:
		return "There is nothing at this address. It may have moved, or the link may be mistyped."
	case http.StatusMethodNotAllowed:
		return "This address does not accept that kind of request."
	case http.StatusRequestEntityTooLarge:
		if w3c.IsContainer(r.URL.Path) || w3c.IsAnnotation(r.URL.Path) {
			return w3c.TooLarge
		}
		return "What you sent is too large: a request may be at most 4 MiB (an article 2 MiB, an annotation file 10 MiB)."
	}
	return http.StatusText(he.Code)
}

// wantsJSON decides between the HTML error page and a JSON error: API paths
// and Web Annotation Protocol resources (w3c.IsAPI) always get JSON, other
// requests when they prefer JSON over HTML.
func wantsJSON(r *http.Request) bool {
	p := r.URL.Path
	if strings.HasPrefix(p, "/api/") || p == "/healthz" || w3c.IsAPI(r) {
		return true
	}
	return web.PrefersJSON(r)
}

package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/views"
)

// StatusFor maps a db error code to its HTTP status. This is the one place.
func StatusFor(code string) int {
	switch code {
	case db.EINVALID:
		return http.StatusUnprocessableEntity
	case db.ENOTFOUND:
		return http.StatusNotFound
	case db.ECONFLICT:
		return http.StatusConflict
	case db.EPRECONDITION:
		return http.StatusPreconditionFailed
	case db.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case db.EFORBIDDEN:
		return http.StatusForbidden
	case db.EGONE:
		return http.StatusGone
	case db.ETOOMANY:
		return http.StatusTooManyRequests
	case db.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// BadRequest is a client error with a message a person can act on.
func BadRequest(format string, args ...any) error {
	return db.Errorf(db.EINVALID, format, args...)
}

// ID parses a numeric path parameter; anything else is not found.
func ID(raw string) (int64, error) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, db.Errorf(db.ENOTFOUND, "There is nothing at this address.")
	}
	return id, nil
}

// Refuse re-renders a form with the error's message and status. Internal
// errors are passed on to the error handler instead.
func Refuse(c echo.Context, err error, f views.Form, page func(views.Form) templ.Component) error {
	code := db.ErrorCode(err)
	if code == db.EINTERNAL {
		return err
	}
	f.Error = db.ErrorMessage(err)
	return Render(c, StatusFor(code), page(f))
}

// Load parses the numeric id in a path parameter and loads what it names,
// as the viewer may see it (byID is a store method such as AnnotationByID):
// an id that is not a number is not found, like a missing row.
func Load[T any](r *http.Request, rawID string, byID func(context.Context, db.Viewer, int64) (T, error)) (T, error) {
	id, err := ID(rawID)
	if err != nil {
		var zero T
		return zero, err
	}
	return byID(r.Context(), Viewer(r), id)
}

// GroupAccess parses a group id in a path parameter and applies a policy
// (such as db.Viewer.ManageGroup) to it for the viewer.
func GroupAccess(r *http.Request, rawID string, policy func(db.Viewer, int64) error) (int64, error) {
	id, err := ID(rawID)
	if err != nil {
		return 0, err
	}
	return id, policy(Viewer(r), id)
}

package handlers

import (
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/views"
)

// formOf reads the named fields of a submitted form.
func formOf(c echo.Context, names ...string) views.Form {
	f := views.Form{Values: map[string]string{}, Errors: map[string]string{}}
	for _, n := range names {
		f.Values[n] = c.FormValue(n)
	}
	return f
}

// require marks each empty field as missing; it reports whether all were given.
func require(f *views.Form, labels map[string]string) bool {
	okAll := true
	for name, label := range labels {
		if f.Values[name] == "" {
			f.Errors[name] = label + " is required."
			okAll = false
		}
	}
	if !okAll {
		f.Error = "Please fill in the fields marked below."
	}
	return okAll
}

// refuse re-renders a form with the error's message and status. Internal
// errors are passed on to the error handler instead.
func refuse(c echo.Context, err error, f views.Form, page func(views.Form) templ.Component) error {
	code := db.ErrorCode(err)
	if code == db.EINTERNAL {
		return err
	}
	f.Error = db.ErrorMessage(err)
	return render(c, statusFor(code), page(f))
}

// idParam parses a numeric path parameter; anything else is not found.
func idParam(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, db.Errorf(db.ENOTFOUND, "There is nothing at this address.")
	}
	return id, nil
}

// when formats a time for people; the zero time is "never".
func when(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format("2 Jan 2006, 15:04 UTC")
}

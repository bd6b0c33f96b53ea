package web

import (
	"net/http"
	"strconv"
	"strings"

	"gloss/db"
	"gloss/views"
)

// FormOf reads the named fields of a submitted form (or of the query).
func FormOf(r *http.Request, names ...string) views.Form {
	f := views.Form{Values: map[string]string{}, Errors: map[string]string{}}
	for _, n := range names {
		f.Values[n] = r.FormValue(n)
	}
	return f
}

// Require marks each empty field as missing; it reports whether all were given.
func Require(f *views.Form, labels map[string]string) bool {
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

// Refused puts a refusal's message on the form, and beside the field it
// is about when it names one.
func Refused(f *views.Form, err error) {
	f.Error = db.ErrorMessage(err)
	if field := db.ErrorField(err); field != "" {
		if f.Errors == nil {
			f.Errors = map[string]string{}
		}
		f.Errors[field] = f.Error
	}
}

// FormInt reads an optional integer field: -1 when empty or not a number.
func FormInt(r *http.Request, name string) int {
	n, err := strconv.Atoi(strings.TrimSpace(r.FormValue(name)))
	if err != nil {
		return -1
	}
	return n
}

// BoolQuery reads an on/off query parameter: 1/0, true/false, or absent.
func BoolQuery(r *http.Request, name string) (bool, error) {
	switch v := r.URL.Query().Get(name); v {
	case "", "0", "false":
		return false, nil
	case "1", "true":
		return true, nil
	default:
		return false, BadRequest("?%s= takes 1 or 0, not %q.", name, v)
	}
}

// ValidOption reports whether v is one of the choices.
func ValidOption(opts []views.Option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

// PrefersJSON reports whether the request asks for JSON (or JSON-LD) rather
// than HTML.
func PrefersJSON(r *http.Request) bool {
	accept := r.Header.Get("Accept")
	return (strings.Contains(accept, "application/json") || strings.Contains(accept, "application/ld+json")) &&
		!strings.Contains(accept, "text/html")
}

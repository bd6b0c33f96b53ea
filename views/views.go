// Package views renders Gloss's HTML with templ. Components take view
// models shaped like the page; they never see database rows or Echo.
package views

import (
	"fmt"
	"net/url"
	"strconv"

	"gloss/handlers/paths"
	"gloss/static"
)

// PageMeta is what the layout needs from every page.
type PageMeta struct {
	Title       string
	Description string
	Section     string // highlights the current item in the main navigation
}

func itoa(n int) string { return strconv.Itoa(n) }

// plural formats a count with the right noun form: "1 word", "3 words".
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// signInURL links to the sign-in page, returning to path afterwards.
func signInURL(path string) string {
	path = ReturnPath(path)
	if path == paths.Library {
		path = ""
	}
	return paths.Login(path)
}

// accountPages are pages a return address must never be: coming back to
// them after signing in would only ask again.
var accountPages = map[string]bool{"/login": true, "/signup": true, "/logout": true}

// ReturnPath is a return address ("next") that is never a sign-in, sign-up
// or sign-out page: one of those stands for the address it would return to
// (or none), so a link built on /login?next=/login?next=… never grows.
func ReturnPath(next string) string {
	for next != "" {
		u, err := url.Parse(next)
		if err != nil {
			return ""
		}
		if !accountPages[u.Path] {
			return next
		}
		next = u.Query().Get("next")
	}
	return ""
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// staticURL is the content-hashed URL of an embedded asset.
func staticURL(name string) string { return static.URL(name) }

// Package views renders Gloss's HTML with templ. Components take view
// models shaped like the page; they never see database rows or Echo.
package views

import (
	"fmt"
	"strconv"
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

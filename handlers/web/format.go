package web

import (
	"strconv"
	"time"

	"gloss/db"
	"gloss/views"
)

// When formats a time for people; the zero time is "never".
func When(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format("2 Jan 2006, 15:04 UTC")
}

// Day formats a date for people; the zero time is "never".
func Day(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format("2 Jan 2006")
}

// Plural counts with the right noun: "1 annotation", "3 annotations".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// TagChips gives tags their colours (chosen, or derived from the name).
func TagChips(colors map[string]int, tags []string) []views.TagChip {
	out := make([]views.TagChip, len(tags))
	for i, t := range tags {
		c, ok := colors[t]
		if !ok {
			c = db.DefaultColor(t)
		}
		out[i] = views.TagChip{Name: t, Class: views.ColorClass(c)}
	}
	return out
}

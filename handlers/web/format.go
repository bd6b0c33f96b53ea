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

// wordsPerMinute is a typical adult reading speed for prose on screen.
const wordsPerMinute = 230

// ArticleSummary is an article as the library, the reader's header and the
// pages about one article show it.
func ArticleSummary(a db.Article) views.ArticleSummary {
	v := views.ArticleSummary{
		Slug: a.Slug, Title: a.Title, Publication: a.Publication, Authors: a.Authors,
		DateISO: a.PublishedOn, Dek: a.Dek, Summary: a.Summary, Words: a.Words,
		Minutes: max(1, (a.Words+wordsPerMinute/2)/wordsPerMinute),
	}
	if t, err := time.Parse(time.DateOnly, a.PublishedOn); err == nil {
		v.DateText = t.Format("2 January 2006")
	}
	return v
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

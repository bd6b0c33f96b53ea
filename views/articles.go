package views

import (
	"strings"

	"gloss/views/marks"
)

// ArticleSummary is an article as the library and reader headers show it.
type ArticleSummary struct {
	Slug        string
	Title       string
	Publication string
	Authors     []string
	DateISO     string // 2005-04-10, or ""
	DateText    string // 10 April 2005, or ""
	Dek         string
	Summary     string // the editor's summary printed before the text, if any
	Words       int
	Minutes     int // reading time, at least 1
}

// LibraryPage lists the articles with the current sort and filter.
type LibraryPage struct {
	Articles     []ArticleSummary
	Publications []string
	Publication  string // the filter in force, "" for all
	Sort         string
	Sorts        []Option
}

// Option is one choice in a select.
type Option struct {
	Value, Label string
}

// ReaderPage is one article to read.
type ReaderPage struct {
	Article    ArticleSummary
	SourceNote string
	Revision   int
	SHA256     string
	Paragraphs []marks.Paragraph
}

func joinAuthors(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	out := ""
	for i, n := range names {
		switch {
		case i == 0:
			out = n
		case i == len(names)-1:
			out += " and " + n
		default:
			out += ", " + n
		}
	}
	return out
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// clip shortens s to at most n words, marking the cut with an ellipsis.
func clip(s string, n int) string {
	words := strings.Fields(s)
	if len(words) <= n {
		return s
	}
	return strings.Join(words[:n], " ") + "…"
}

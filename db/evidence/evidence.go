// Package evidence says an annotation's kind and fields in words, one way
// wherever they go: reader cards, collections (page, slides, print, share
// links), search results, the evidence views and exports.
package evidence

import (
	"strings"
	"time"

	"gloss/db/number"
)

// Fields are an annotation's kind and fields, as stored.
type Fields struct {
	Kind      string // entity, quote, figure, event
	Entity    string // mentioned (entity), speaker (quote), whose estimate (figure)
	HasValue  bool
	Low, High float64
	Unit      string
	Counted   string
	RefDate   string // figure: YYYY, YYYY-MM or YYYY-MM-DD
	DateFrom  string // event
	DateTo    string
	Place     string
}

// Label names a kind for people ("Figure"; "Comment" for none).
func Label(kind string) string {
	switch kind {
	case "entity":
		return "Mention"
	case "quote":
		return "Quote"
	case "figure":
		return "Figure"
	case "event":
		return "Event"
	}
	return "Comment"
}

// Value says a figure's values and unit: "150,000–300,000 people",
// "50,000 people".
func Value(f Fields) string {
	if !f.HasValue {
		return ""
	}
	v := number.Format(f.Low)
	if f.High != f.Low {
		v += "–" + number.Format(f.High)
	}
	if f.Unit != "" {
		v += " " + f.Unit
	}
	return v
}

// Date says a date as written in the fields (YYYY, YYYY-MM, YYYY-MM-DD) in
// words: "2001", "June 2001", "26 June 2001"; anything else as it is.
func Date(s string) string {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.Format("2 January 2006")
	}
	if t, err := time.Parse("2006-01", s); err == nil && len(s) == 7 {
		return t.Format("January 2006")
	}
	return s
}

// When says a date or a period: "26 June 2001", "1997–1998",
// "26 June 2001 – 30 June 2001".
func When(from, to string) string {
	if to == "" || to == from {
		return Date(from)
	}
	a, b := Date(from), Date(to)
	if strings.Contains(a, " ") || strings.Contains(b, " ") {
		return a + " – " + b
	}
	return a + "–" + b
}

// Detail says the fields of a kind, to go beside its label:
//
//	figure  150,000–300,000 people (North Koreans in China) · International aid groups · 2001
//	quote   said by Hazel Smith
//	entity  UNHCR
//	event   26 June 2001 · Beijing
func Detail(f Fields) string {
	var parts []string
	switch f.Kind {
	case "figure":
		v := Value(f)
		if f.Counted != "" {
			v += " (" + f.Counted + ")"
		}
		parts = append(parts, v, f.Entity, Date(f.RefDate))
	case "quote":
		if f.Entity != "" {
			parts = append(parts, "said by "+f.Entity)
		}
	case "entity":
		parts = append(parts, f.Entity)
	case "event":
		parts = append(parts, When(f.DateFrom, f.DateTo), f.Place)
	}
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " · ")
}

// Summary says the kind and its fields in one line, for places without a
// label of their own (exports, the JSON-LD body): "Figure: 150,000–300,000
// people (North Koreans in China) · International aid groups · 2001".
func Summary(f Fields) string {
	if f.Kind == "" || f.Kind == "comment" {
		return ""
	}
	d := Detail(f)
	if d == "" {
		return Label(f.Kind)
	}
	return Label(f.Kind) + ": " + d
}

package views

import "gloss/db/number"

// SearchPage is the search form with its results.
type SearchPage struct {
	Query        string
	Form         Form // the filters as typed
	Kinds        []KindCount
	Groups       []Option
	Hits         []SearchHit
	Total        int
	TotalMore    bool // Total is a lower bound: more match than were counted
	CountCap     int  // how many of each kind are counted at most
	Page         int
	Pager        Pager
	Searched     bool
	Error        string
	Publications []string
}

// KindCount is how many results of one kind there are, with a link that
// narrows the search to it.
type KindCount struct {
	Kind   string
	Label  string
	N      int
	More   bool // N is a lower bound
	Href   string
	Active bool
}

// SearchHit is one result.
type SearchHit struct {
	Kind         string
	KindLabel    string
	Href         string // lands on the exact passage
	ArticleTitle string
	Meta         string // publication, date, author, who can see it
	Snippet      []SnippetPart
	CollectHref  string // adds the passage or annotation to a collection; "" for notes
	EvidenceKind string // an annotation's kind, and its fields in words (db/evidence)
	EvidenceText string
}

// SnippetPart is a run of snippet text, matched or not.
type SnippetPart struct {
	Text  string
	Match bool
}

// Examples of the query syntax, shown on the search page.
const (
	examplePhrase = `"exact phrase"`
	examplePrefix = "refug*"
	exampleDeport = "deport*"
)

// countText is a count for people: "12", "1,000", and "1,000+" when more
// match than were counted.
func countText(n int, more bool) string {
	s := number.Int(n)
	if more {
		s += "+"
	}
	return s
}

// resultCount is the heading over results: "1 result", "1,000+ results".
func resultCount(n int, more bool) string {
	if n == 1 && !more {
		return "1 result"
	}
	return countText(n, more) + " results"
}

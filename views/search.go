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
	// Suggestion is a query one edit away that finds something, when
	// nothing was found ("did you mean"), with its link.
	Suggestion     string
	SuggestionHref string
	Ignored        []string // operators not understood, as typed
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

// SyntaxRow is one operator of the search syntax, with an example.
type SyntaxRow struct {
	Example string
	Meaning string
}

// SearchSyntax lists every operator of the search box (db/searchquery),
// as the page's help shows it.
var SearchSyntax = []SyntaxRow{
	{"refugee", "Words match their other forms too: refugees, refugee's. All words must match."},
	{`"asylum seekers"`, "A phrase in quotes matches these words as written, in this order."},
	{"refug*", "Words that start with these letters."},
	{"embassy OR consulate", "Either word (OR in capitals, or |)."},
	{"china -south", "Leave out what has a word (or NOT south)."},
	{"tag:actors/ngo", "What carries the tag, and the replies under it; quote a tag with spaces: tag:\"human rights\"."},
	{"kind:figure", "Only one kind: figure, quote, entity, event, or article, annotation, reply, note."},
	{"탈북자 · 难民", "Words inside Korean, Chinese and Japanese text are found too."},
}

// exampleDeport is the prefix a search that found nothing suggests.
const exampleDeport = "deport*"

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

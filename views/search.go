package views

// SearchPage is the search form with its results.
type SearchPage struct {
	Query        string
	Form         Form // the filters as typed
	Kinds        []KindCount
	Groups       []Option
	Hits         []SearchHit
	Total        int
	Page         int
	PrevURL      string
	NextURL      string
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

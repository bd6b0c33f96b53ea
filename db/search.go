package db

import (
	"context"
	"time"

	"gloss/db/searchquery"
)

// Kinds of search result, in the order the page groups them.
const (
	KindArticle    = "article"
	KindAnnotation = "annotation"
	KindReply      = "reply"
	KindNote       = "note"
)

// SearchKinds lists every kind of result.
var SearchKinds = []string{KindArticle, KindAnnotation, KindReply, KindNote}

// Paging limits.
const (
	DefaultPerPage = 20
	MaxPerPage     = 100
	MaxSearchPage  = 500 // deeper pages are empty: refine the search instead

	// SearchCountCap bounds the work of one search: of each kind, at most
	// this many matches are counted and ranked, the newest ones. A common
	// word matches most of a large corpus; ranking, filtering and counting
	// every match took seconds. Beyond the cap a count reads "1,000+" and
	// the pages hold the best of the newest 1,000; refining finds the rest.
	SearchCountCap = 1000

	SnippetTokens = 24
	MaxQuoteRunes = 160
)

// Searcher is full-text search as the rest of Gloss uses it.
type Searcher interface {
	// Search finds what matches q (searchquery syntax) and f that v may see.
	// Pages count from 1 (less means 1); perPage 0 means DefaultPerPage and
	// is at most MaxPerPage. Any q is accepted; only a bad filter is an
	// error (EINVALID).
	Search(ctx context.Context, v Viewer, q string, f SearchFilter, page, perPage int) (SearchResults, error)
	// Reindex rebuilds the index from the tables and returns how many
	// items it holds.
	Reindex(ctx context.Context) (int, error)
}

// SearchFilter narrows a search. Zero values do not filter.
type SearchFilter struct {
	Article     string // article slug
	Publication string // exact publication name
	From, To    string // YYYY-MM-DD, inclusive, on the article's publication date
	// Tag keeps articles with the tag, annotations with it and the replies
	// in their threads. Notes carry no tags, so a tag leaves none.
	Tag string
	// AuthorID, GroupID and Visibility are about what people wrote: they
	// leave no articles.
	AuthorID   int64
	GroupID    int64
	Visibility string // private, group or public
	Kind       string // article, annotation, reply or note
}

// SnippetPart is a piece of a snippet: plain text, or text matching the
// query. Never HTML: the view escapes it like any text.
type SnippetPart struct {
	Text  string
	Match bool
}

// SearchHit is one result.
type SearchHit struct {
	Kind         string
	ID           int64 // the annotation's, reply's or note's id; 0 for an article
	ParentID     int64 // for a reply: the annotation it answers
	ArticleID    int64
	ArticleSlug  string
	ArticleTitle string
	Publication  string
	PublishedOn  string
	AuthorName   string     // who wrote it; for an article, its byline
	Visibility   Visibility // "" for an article
	GroupName    string
	Hidden       bool   // hidden by moderation (seen only by its author and the group's owners)
	Quote        string // annotations and replies: the passage of the thread, clipped
	Snippet      []SnippetPart
	// Start and End are where to land in the article's current text, in
	// code points: an annotation's anchor (a reply's: its parent's), an
	// article's first match. -1 when unknown (notes, orphaned annotations).
	Start, End int
	CreatedAt  time.Time // zero for an article
	Rank       float64   // bm25: lower is better
}

// SearchResults is one page of results.
type SearchResults struct {
	Query searchquery.Query // as understood: its Terms are what to highlight
	Hits  []SearchHit
	// Total counts everything matching the query and every filter, on all
	// pages, up to SearchCountCap per kind: the pages hold exactly Total.
	Total int
	// CountsByKind counts matches per kind under every filter but Kind,
	// for tabs, each at most SearchCountCap: it always has all four kinds.
	CountsByKind map[string]int
	// CappedKinds says which kinds have more matches than SearchCountCap:
	// their count is a lower bound ("1,000+").
	CappedKinds map[string]bool
	// TotalCapped says Total is a lower bound: a kind it counts is capped.
	TotalCapped bool
	Page        int
	PerPage     int
	// Suggestion, when nothing was found, is the query with a word
	// replaced by one a single edit away that the index holds, and with
	// which the same viewer and filters find something ("did you mean").
	Suggestion string
}

// Pages is the number of pages.
func (r SearchResults) Pages() int {
	if r.PerPage <= 0 {
		return 0
	}
	return (r.Total + r.PerPage - 1) / r.PerPage
}

func (f SearchFilter) AboutWriting() bool {
	return f.AuthorID != 0 || f.GroupID != 0 || f.Visibility != ""
}

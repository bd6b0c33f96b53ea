package views

import "strings"

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
	Annotations int // visible to the viewer, replies included
	Notes       int
}

// LibraryPage lists one page of the articles with the current sort and
// filter.
type LibraryPage struct {
	Articles     []ArticleSummary // this page's
	Total        int              // articles that match, on all pages
	Page, Pages  int              // from 1
	First        int              // position of the first listed article, from 1
	Pager        Pager
	Publications []string
	Publication  string // the filter in force, "" for all
	Author       string // only articles by this author
	Year         string // only articles from this year
	Sort         string
	Sorts        []Option
}

// Option is one choice in a select.
type Option struct {
	Value, Label string
}

// GroupRef names a group a page links to.
type GroupRef struct {
	ID   int64
	Name string
}

// ReaderPage is one article to read, with what people wrote about it.
type ReaderPage struct {
	Article     ArticleSummary
	SourceNote  string
	Revision    int
	SHA256      string
	Blocks      []TextBlock      // the text's paragraphs, furniture grouped
	Cards       []AnnotationCard // anchored, in text order: the pages of them the page holds
	Orphans     []AnnotationCard // lost their passage in a new revision (after the last page)
	Margin      MarginPages      // which pages of the cards it holds
	Notes       []NoteCard
	ArticleTags []TagChip
	SignedIn    bool
	// CanTagArticle: the viewer may add tags to the article; RemovableTags
	// are those they may take off (db.Viewer.TagArticles, UntagArticle).
	CanTagArticle bool
	RemovableTags map[string]bool
	Annotate      AnnotateForm
	NoteForm      AnnotateForm
	Filter        ReaderFilter
	Total         int // annotations shown, replies included
	// Audiences are who a quick highlight from the selection toolbar may be
	// for ("private", "group:ID", "public"); Audience is the default, never
	// public (public is chosen for each save).
	Audiences []Option
	Audience  string
	// Suggestions is the Suggestions switch and panel (suggestions.templ),
	// for those who may annotate; nil for others.
	Suggestions *ReaderSuggestions
	// LiveSince is the last event the page shows: its live stream
	// (static/js/live.js) starts after it.
	LiveSince int64
}

// ShowFilters says whether the margin offers its filters: not to a
// signed-out reader of an article with nothing written about it.
func (m ReaderPage) ShowFilters() bool {
	return m.SignedIn || m.Total > 0 || len(m.Notes) > 0 || m.Filter.Active
}

// ReaderUpdate is what a change made in place sends back besides the
// reader's parts: what to announce and where the focus goes.
type ReaderUpdate struct {
	Announce string
	Focus    string // id of the element to focus, "" to leave the focus be
	// SayAudience adds who can see the focused card to the announcement.
	SayAudience bool
}

// AnnotateForm is the form that makes an annotation or a note.
type AnnotateForm struct {
	Form        Form
	Groups      []Option // groups the person may write in
	EntityNames []string // suggestions for the Kind fields (evidence_form.templ)
	Counted     []string
	// SuggestURL, when the suggestions were left out, is where
	// static/js/evidence.js fetches them once the Kind fields are opened.
	SuggestURL string
	// Suggested, when the form is filled in from a suggested piece of
	// evidence (db/suggest), says it in words; the form opens with it.
	Suggested string
}

// ReaderFilter is the state of the reader's filter form.
type ReaderFilter struct {
	Scope          string
	Tag            string
	Author         string
	HideHighlights bool
	Authors        []Option
	Active         bool
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

// Clip shortens s to at most n words, marking the cut with an ellipsis.
func Clip(s string, n int) string {
	words := strings.Fields(s)
	if len(words) <= n {
		return s
	}
	return strings.Join(words[:n], " ") + "…"
}

// AudienceOf says who can see the card or note with the element id given,
// and whether the page shows it.
func (m ReaderPage) AudienceOf(id string) (string, bool) {
	var find func(cs []AnnotationCard) (string, bool)
	find = func(cs []AnnotationCard) (string, bool) {
		for _, c := range cs {
			if "a-"+itoa64(c.ID) == id {
				return c.Audience, true
			}
			if a, ok := find(c.Replies); ok {
				return a, true
			}
		}
		return "", false
	}
	for _, n := range m.Notes {
		if "n-"+itoa64(n.ID) == id {
			return n.Audience, true
		}
	}
	if a, ok := find(m.Cards); ok {
		return a, true
	}
	return find(m.Orphans)
}

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

// ReaderPage is one article to read, with what people wrote about it.
type ReaderPage struct {
	Article     ArticleSummary
	SourceNote  string
	Revision    int
	SHA256      string
	Paragraphs  []MarkedParagraph
	Cards       []AnnotationCard // anchored, in text order
	Orphans     []AnnotationCard // lost their passage in a new revision
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
	TagChoices    []string // for autocomplete
	Total         int      // annotations shown, replies included
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

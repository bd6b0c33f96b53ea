package views

import "strings"

// CollectionsPage lists the collections a person may see and makes new ones.
type CollectionsPage struct {
	Mine      []CollectionSummary
	Others    []CollectionSummary // in their groups, by other people
	Form      Form
	Groups    []Option   // groups a collection may be kept in
	Overviews []GroupRef // groups whose class overview they may open
}

// CollectionSummary is one collection in a list.
type CollectionSummary struct {
	ID      int64
	Title   string
	Owner   string
	Group   string // "" when personal
	Items   int
	Shared  bool
	Updated string
}

// CollectionView is a collection as it reads, on its page, on a share
// link and on paper.
type CollectionView struct {
	ID        int64
	Title     string
	IntroHTML string // sanitized
	Byline    string // who made it, for whom; "" on a share link
	Audience  string // who can see it, in words
	Items     []ItemView
	Base      string // where its pages live: /collections/{id} or /s/{token}
	Shared    bool   // read through a share link
	CanEdit   bool
	Sources   []SourceView // each article once, in order of appearance (print)
}

// ItemView is one entry of a collection.
type ItemView struct {
	ID             int64
	Num            int    // position, from 1
	Kind           string // article, passage, text
	Heading        string
	CommentaryHTML string // sanitized
	Source         SourceView
	Passage        PassageView
	Annotations    []ChosenAnnotation
}

// SourceView cites an article.
type SourceView struct {
	Title       string
	Publication string
	Authors     string
	DateISO     string
	DateText    string
	Dek         string
	Href        string // the article in the reader
	URL         string // absolute, for paper
}

// PassageView is a passage as the article's current text has it.
type PassageView struct {
	Text     string // as the current text reads; "" when the passage is gone
	Original string // as quoted when it was chosen, when that differs or is gone
	Status   string // anchored, moved, approximate, orphaned
	Revision int    // the revision it was chosen on
	Current  int    // the current revision
	Href     string // the reader, at the passage
}

// ChosenAnnotation is an annotation shown under a passage.
type ChosenAnnotation struct {
	Anchor    string // element id, unique on the page
	Author    string // as the collection names people
	Date      string
	DateISO   string
	BodyHTML  string // sanitized
	Highlight bool
	Reply     bool
	Quote     string // the words it marks, when not the passage's
	Private   bool   // only its author sees it, here too
	Hidden    bool   // hidden by a group owner
	Href      string // in the reader; "" on a share link
	Tags      []TagChip
	Kind      string // figure, quote, entity, event; "" for a comment
	KindText  string // its fields in words (db/evidence)
}

// Summary is a short label of an item, for buttons and lists.
func (it ItemView) Summary() string {
	switch it.Kind {
	case "text":
		if it.Heading != "" {
			return "Heading “" + Clip(it.Heading, 8) + "”"
		}
		return "Commentary"
	case "article":
		return "Article “" + Clip(it.Source.Title, 8) + "”"
	}
	q := it.Passage.Text
	if q == "" {
		q = it.Passage.Original
	}
	return "Passage “" + Clip(q, 8) + "”"
}

// KindLabel names the kind of item for people.
func (it ItemView) KindLabel() string {
	switch it.Kind {
	case "article":
		return "Article"
	case "passage":
		return "Passage"
	}
	if it.Heading != "" {
		return "Section"
	}
	return "Commentary"
}

// CollectionPage is a collection's reading page.
type CollectionPage struct {
	View         CollectionView
	CanDuplicate bool
	SharedSince  string // for editors: when the link was made; "" when not shared
}

// CollectionEditPage is where a collection is built.
type CollectionEditPage struct {
	View        CollectionView
	Meta        Form
	Groups      []Option // where it may be kept (the owner only)
	CanMove     bool
	CanDelete   bool
	Items       []EditItem
	Articles    []Option // slug, title; nil when the library is too large to list
	AddForm     Form
	NewShareURL string // shown once, just after it was made
	SharedSince string
	GroupOwned  bool // the link may show the group's annotations (published by one of its owners)
	GroupName   string
}

// EditItem is an item with the forms that change it.
type EditItem struct {
	ItemView
	First, Last bool
	Heading     string // as typed
	Commentary  string // Markdown, as typed
	Candidates  []Candidate
}

// Candidate is an annotation on a passage that may be shown under it.
type Candidate struct {
	ID     int64
	Author string
	Date   string
	Text   string // the comment, clipped, or "Highlight"
	Reply  bool
	Chosen bool
	Note   string // who can see it, in words
}

// AddToCollectionPage chooses the collection an annotation, a passage or
// an article goes into.
type AddToCollectionPage struct {
	Form         Form
	Collections  []Option // collections the person may change
	Annotation   *ChosenAnnotation
	AnnotationID int64
	Quote        string
	Source       SourceView
	ArticleSlug  string
	ChooseKind   bool // an article: the whole of it, or a passage
	Private      bool
}

// SlidePage is one slide of a presentation: the title slide (N = 1) or one
// item.
type SlidePage struct {
	Title     string
	IntroHTML string
	Byline    string
	N, Total  int
	Item      *ItemView // nil on the title slide
	Items     int
	Prev      string
	Next      string
	First     string
	Last      string
	Exit      string
}

// OverviewPage is a group's class overview.
type OverviewPage struct {
	GroupID   int64
	GroupName string
	Everyone  bool
	Rows      []OverviewRow
	Passages  []OverviewPassage
}

// OverviewRow is one member's activity in the group.
type OverviewRow struct {
	Name        string
	Role        string
	Annotations int
	Replies     int
	Notes       int
	First       string
	Last        string
	Articles    []OverviewArticle
}

// OverviewArticle is what one member wrote on one article.
type OverviewArticle struct {
	Title       string
	Href        string
	Annotations int
	Replies     int
	Notes       int
	Last        string
}

// OverviewPassage is a passage and how much discussion it drew.
type OverviewPassage struct {
	Quote        string
	ArticleTitle string
	Href         string
	Status       string
	Annotations  int
	Replies      int
	People       int
	Last         string
}

// activity describes a count of annotations, replies and notes in words.
func activity(annotations, replies, notes int) string {
	var parts []string
	for _, p := range []struct {
		n         int
		one, many string
	}{{annotations, "annotation", "annotations"}, {replies, "reply", "replies"}, {notes, "note", "notes"}} {
		if p.n > 0 {
			parts = append(parts, plural(p.n, p.one, p.many))
		}
	}
	if len(parts) == 0 {
		return "nothing yet"
	}
	return strings.Join(parts, ", ")
}

// Authors joins an article's authors for a citation.
func Authors(names []string) string { return joinAuthors(names) }

// addValue is what was typed in one of the editor's add forms, when that
// form was refused.
func addValue(f Form, kind, name string) string {
	if f.Value("kind") != kind {
		return ""
	}
	return f.Value(name)
}

package db

import (
	"strconv"
	"strings"
	"time"

	"gloss/db/anchor"
)

// Limits on collections.
const (
	MaxCollectionTitleLen = 200
	MaxIntroLen           = 20000 // code points of Markdown
	MaxHeadingLen         = 200
	MaxCollectionItems    = 500
	ShareTokenPrefix      = "shr_"
)

// NameStyle is how a collection names the people whose annotations it
// shows: classes often need pseudonymity.
type NameStyle string

const (
	NamesFull     NameStyle = "full"     // as they signed up
	NamesInitials NameStyle = "initials" // "A. L."
	NamesHidden   NameStyle = "hidden"   // "Participant 1", numbered in order of appearance
)

// ParseNameStyle accepts the three styles ("" is full names).
func ParseNameStyle(s string) (NameStyle, error) {
	switch NameStyle(s) {
	case "":
		return NamesFull, nil
	case NamesFull, NamesInitials, NamesHidden:
		return NameStyle(s), nil
	}
	return "", Errorf(EINVALID, "%q is not a way to name annotators: choose full, initials or hidden.", s)
}

// ItemKind is what an entry of a collection is.
type ItemKind string

const (
	ItemArticle ItemKind = "article" // a whole article
	ItemPassage ItemKind = "passage" // a passage, with chosen annotations under it
	ItemText    ItemKind = "text"    // a section heading and/or the educator's commentary
)

// Collection is an educator's curated, ordered selection: a lesson, an
// exhibit. Items is filled only by CollectionByID and SharedCollection,
// with the annotations that audience may see.
type Collection struct {
	ID        int64
	OwnerID   int64
	OwnerName string
	GroupID   int64 // 0: personal
	GroupName string
	Title     string
	Intro     string
	IntroHTML string // sanitized
	Names     NameStyle
	Shared    bool // a share link works
	Example   bool // the starter set's example: every signed-in person may read it
	SharedBy  int64
	SharedAt  time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
	ItemCount int
	Items     []*CollectionItem
}

// Source is the article an item comes from, as a citation gives it.
type Source struct {
	ArticleID   int64
	Slug        string
	Title       string
	Publication string
	PublishedOn string
	Dek         string
	Authors     []string
}

// CollectionItem is one entry of a collection.
type CollectionItem struct {
	ID             int64
	Position       int // from 1
	Kind           ItemKind
	Source         Source // zero for a text item
	Heading        string
	Commentary     string
	CommentaryHTML string // sanitized
	// A passage: its selectors on the revision it was chosen on, and where
	// they land in the article's current revision, located when read.
	RevisionID      int64
	RevisionNumber  int
	CurrentRevision int
	Selector        anchor.Selector
	Anchor          anchor.Match
	Current         string // the passage as the current text reads; "" when orphaned
	// The annotations chosen to show under a passage that this audience
	// may see, in the chosen order.
	Annotations []*Annotation
}

// CollectionInput is what the collection form sends.
type CollectionInput struct {
	Title string
	Intro string
	Group string // group id, or "" for a personal collection
	Names string
}

func (in CollectionInput) Clean() (title, intro string, groupID int64, names NameStyle, err error) {
	if title, err = CleanText("The title", in.Title, 1, MaxCollectionTitleLen, false); err != nil {
		return
	}
	if intro, err = CleanText("The introduction", in.Intro, 0, MaxIntroLen, true); err != nil {
		return
	}
	if g := strings.TrimSpace(in.Group); g != "" && g != "0" {
		if groupID, err = strconv.ParseInt(g, 10, 64); err != nil || groupID <= 0 {
			return "", "", 0, "", Errorf(EINVALID, "Choose one of your groups, or “Only me”.")
		}
	}
	names, err = ParseNameStyle(in.Names)
	return
}

// ItemInput is what the forms that add to a collection send. A passage is
// an existing annotation (AnnotationID) or a selection of an article's
// current text (Start/End or the quote, as for a new annotation).
type ItemInput struct {
	Kind           string // article, passage or text
	ArticleSlug    string
	AnnotationID   int64
	Start, End     int // code points, or -1
	Exact          string
	Prefix, Suffix string
	Heading        string
	Commentary     string
}

// AddedItem says what AddItem stored.
type AddedItem struct {
	ID int64
	// PrivateChosen: a private annotation was chosen, which only its author
	// will see in the collection and which no share link ever shows.
	PrivateChosen bool
}

// ItemUpdate is what the item form sends. Annotations, when Choose is set,
// is the new list of chosen annotations for a passage, in order.
type ItemUpdate struct {
	Heading     string
	Commentary  string
	Choose      bool
	Annotations []int64
}

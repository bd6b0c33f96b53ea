package db

// An import stores the annotations of a file as the importer's own. The web
// side reads the file (handlers/w3c reads W3C JSON-LD) into ImportItems;
// the store checks and stores them through the same validation and
// anchoring as the browser's forms.

// MaxImportItems is how many annotations one import may hold.
const MaxImportItems = 10000

// Visibility choices for imported annotations (ImportOptions.Visibility).
const (
	ImportKeep    = "keep"    // the file's visibility when the importer may write it, else private
	ImportPrivate = "private" // all private
	ImportGroup   = "group"   // all shared with ImportOptions.GroupID
	ImportPublic  = "public"  // all public
)

// ImportOptions are the importer's choices.
type ImportOptions struct {
	Visibility string // ImportKeep ("" too), ImportPrivate, ImportGroup or ImportPublic
	GroupID    int64  // for ImportGroup
	// Partial stores what can be stored and refuses the rest; otherwise one
	// refusal stores nothing.
	Partial bool
}

// ImportItem is one annotation of a file, read but not yet stored. An item
// targets a passage (ArticleSlug and selectors), a whole article
// (ArticleSlug, no selector: a note), or another item of the file (Parent:
// a reply).
type ImportItem struct {
	From string // its id in the file, as given
	// Key is From made comparable across the file (scheme and case of the
	// host ignored); replies name their parent by it. "" when it has no id.
	Key string
	// Err refuses the item as it was read (a coded error); nothing else
	// of it is then used.
	Err error

	ArticleSlug string // the article the target names
	HasSelector bool   // the target had selectors
	Parent      string // the Key of the annotation a reply answers; "" for none
	ParentIRI   string // that annotation's id as the file gives it
	// Annotation holds the passage, comment, tags and provenance; its
	// audience is decided by the import (ImportOptions and the file's
	// audience below), not read from it.
	Annotation AnnotationInput
	TagList    []string      // the tags as sent
	Evidence   EvidenceInput // its kind, if any
	SHA256     string        // of the text the selectors were made on, if known

	// The file's audience: kept when the importer may write it here.
	Visibility Visibility
	GroupIRI   string // the group the file names, as given
	GroupName  string // that group's name in the file
	LocalGroup int64  // the group here GroupIRI names; 0 if none
	Creator    string // the file's creator, for the report: never the author
}

// ImportReport says what an import did with each item.
type ImportReport struct {
	Total   int  // items in the file
	Taken   int  // annotations stored
	Ready   int  // items that passed: stored unless another was refused without partial
	Stored  bool // the import was committed
	Partial bool
	Created []Imported      // in file order
	Refused []ImportRefusal // in file order
}

// Imported is one stored annotation, or a note (a target with no
// selector). It belongs to the importer: the file's creator is reported
// here, never written as the author.
type Imported struct {
	Index           int    // position in the file's items, from 0
	From            string // its id in the file
	AnnotationID    int64
	NoteID          int64 // a note on the whole article, not an annotation
	ArticleSlug     string
	Visibility      string
	GroupID         int64
	OriginalCreator string
	Notes           []string // what was adjusted: visibility lowered, anchored by quote
}

// ImportRefusal is one item that was not stored, and why.
type ImportRefusal struct {
	Index  int
	From   string
	Code   string
	Reason string
}

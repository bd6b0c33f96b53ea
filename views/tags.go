package views

import (
	"strconv"
	"strings"
)

// TagChip is a tag as shown on a card, in its colour.
type TagChip struct {
	Name  string
	Class string
}

// ColorClass is the CSS class of a highlight colour.
func ColorClass(color int) string { return "tag-c" + strconv.Itoa(color) }

// ColorNames name the eight highlight colours, for the colour picker.
var ColorNames = []string{"Yellow", "Blue", "Green", "Pink", "Violet", "Orange", "Cyan", "Grey"}

// TagsPage lists every tag with its counts, as a hierarchy.
type TagsPage struct {
	Tags    []TagRow
	IsAdmin bool
}

// TagRow is one tag in the hierarchy.
type TagRow struct {
	Name        string
	Leaf        string // the last part of the name
	Depth       int    // how many parents it has
	Class       string
	Description string
	Annotations int
	Articles    int
	Heading     bool // a parent in the hierarchy that is not itself a tag
}

// NewTagRow places a tag in the hierarchy by the slashes in its name.
func NewTagRow(name string, color int, description string, annotations, articles int) TagRow {
	return TagRow{
		Name: name, Leaf: name[strings.LastIndexByte(name, '/')+1:], Depth: strings.Count(name, "/"),
		Class: ColorClass(color), Description: description, Annotations: annotations, Articles: articles,
	}
}

// TagEditPage renames, recolours, describes or merges a tag.
type TagEditPage struct {
	Tag       string
	Form      Form
	MergeForm Form
	Others    []string
}

// CodebookPage is a group's coding scheme.
type CodebookPage struct {
	GroupID   int64
	GroupName string
	CanManage bool
	Member    bool // sees the tags the group uses and their counts
	Entries   []CodebookRow
	Form      Form
	Imported  int
}

// CodebookRow is one tag in a codebook.
type CodebookRow struct {
	Tag        string
	Class      string
	Definition string
	InCodebook bool
	Uses       int
}

// IndexPage lists the library's publications, authors and years.
type IndexPage struct {
	Publications []IndexEntry
	Authors      []IndexEntry
	Years        []IndexEntry
}

// IndexEntry links one value to the library filtered by it.
type IndexEntry struct {
	Label string
	Href  string
	N     int
}

package db

import (
	"hash/fnv"
	"strings"
)

// Colors is how many highlight colours there are (CSS classes tag-c0..7).
const Colors = 8

// DefaultColor is a tag's colour until someone picks one: derived from its
// name, so a tag looks the same everywhere.
func DefaultColor(name string) int {
	h := fnv.New32a()
	h.Write([]byte(name))
	return int(h.Sum32() % Colors)
}

// TagInfo is a tag with what the viewer may see of its use.
type TagInfo struct {
	Name        string
	Color       int
	Description string
	Annotations int // top-level annotations the viewer may see
	Articles    int // articles tagged with it
}

// Parent is the tag's parent in the hierarchy ("actors" for "actors/ngo").
func (t TagInfo) Parent() string {
	if i := strings.LastIndexByte(t.Name, '/'); i > 0 {
		return t.Name[:i]
	}
	return ""
}

// TagUpdate changes a tag: its name (which moves its children in the
// hierarchy along), colour and description.
type TagUpdate struct {
	Name        string
	Color       int // -1: derived from the name
	Description string
}

// CodebookEntry is one tag in a group's coding scheme.
type CodebookEntry struct {
	Tag        string
	Color      int
	Definition string
	InCodebook bool // defined by the owners (else only used)
	Uses       int  // annotations shared with the group that carry it (0 for a viewer outside it)
}

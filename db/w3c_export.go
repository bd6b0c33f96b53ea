package db

// MaxW3CExport is how many annotations one JSON-LD export may hold: the
// file is built in memory (a few MB at typical sizes). Larger scopes are
// exported per article or per group, or read page by page from the
// protocol's containers.
const MaxW3CExport = 20000

// W3CExport is what a JSON-LD export holds.
type W3CExport struct {
	// Annotations the viewer may see, in id order (a parent before its
	// replies), with tags, group names and article slugs.
	Annotations []*Annotation
	// RevisionSHA256 is the SHA-256 of each revision the annotations'
	// selectors were made on, by revision id.
	RevisionSHA256 map[int64]string
	// Notes on whole articles the viewer may see, in id order (none in a
	// collection's export), and the slugs of their articles by id.
	Notes     []Note
	NoteSlugs map[int64]string
}

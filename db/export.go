package db

import "fmt"

// ExportScope chooses what an export covers. The zero scope is everything
// the viewer may see.
type ExportScope struct {
	ArticleID int64 // only this article's annotations
	GroupID   int64 // only annotations shared with this group (its members only)
	// CollectionID keeps the annotations chosen in a collection's items and
	// their replies; the caller has checked the viewer may see the
	// collection (db.CollectionInfo).
	CollectionID int64
	// Pseudonymize replaces author names with "Participant 1".."n" (group
	// exports, by the group's owners).
	Pseudonymize bool
}

// ExportArticle is an article in an export, with the annotations on it the
// viewer may see: top level in text order (orphans last), replies threaded
// beneath their parents.
type ExportArticle struct {
	Article     // metadata only: Body is empty
	Annotations []*Annotation
	Notes       []Note // notes on the whole article the viewer may see, oldest first (not in collection exports)
}

// Count is how many annotations (replies included) the export holds.
func (e ExportArticle) Count() int {
	var n int
	var walk func([]*Annotation)
	walk = func(list []*Annotation) {
		for _, a := range list {
			n++
			walk(a.Replies)
		}
	}
	walk(e.Annotations)
	return n
}

// MaxFlatExport is how many annotations and notes one FlatExport may
// hold: the file made of it is built in memory (a few MB at typical sizes).
// Larger scopes are exported per article or per group, or read page by page
// from the protocol's containers.
const MaxFlatExport = 20000

// FlatExport is a scope's annotations and notes in id order, as the JSON-LD
// export (handlers/w3c) writes them.
type FlatExport struct {
	// Annotations the viewer may see, in id order (a parent before its
	// replies), with tags, evidence, group names and article slugs.
	Annotations []*Annotation
	// RevisionSHA256 is the SHA-256 of each revision the annotations'
	// selectors were made on, by revision id.
	RevisionSHA256 map[int64]string
	// Notes on whole articles the viewer may see, in id order (none in a
	// collection's export), and the slugs of their articles by id.
	Notes     []Note
	NoteSlugs map[int64]string
}

// Pseudonymize replaces every author's name with "Participant N", numbered
// from 1 in the order people first appear in the export (annotations, then
// notes), so one person has one pseudonym throughout it. Author ids are
// cleared too.
func Pseudonymize(arts []ExportArticle) {
	numbers := map[int64]int{}
	pseudonym := func(id int64) string {
		n, ok := numbers[id]
		if !ok {
			n = len(numbers) + 1
			numbers[id] = n
		}
		return fmt.Sprintf("Participant %d", n)
	}
	var walk func([]*Annotation)
	walk = func(list []*Annotation) {
		for _, a := range list {
			a.AuthorName = pseudonym(a.AuthorID)
			walk(a.Replies)
		}
	}
	for _, art := range arts {
		walk(art.Annotations)
	}
	for _, art := range arts {
		for i := range art.Notes {
			art.Notes[i].AuthorName = pseudonym(art.Notes[i].AuthorID)
		}
	}
	// Clear ids only after numbering: they are the key.
	var clear func([]*Annotation)
	clear = func(list []*Annotation) {
		for _, a := range list {
			a.AuthorID = 0
			clear(a.Replies)
		}
	}
	for _, art := range arts {
		clear(art.Annotations)
		for i := range art.Notes {
			art.Notes[i].AuthorID = 0
		}
	}
}

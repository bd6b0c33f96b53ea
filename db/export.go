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

// Pseudonym is the name an export gives its participant n.
func Pseudonym(n int) string { return fmt.Sprintf("Participant %d", n) }

// pseudonyms numbers authors from 1 in the order they are first met.
type pseudonyms map[int64]int

// rename gives the author behind *id and *name their number: name becomes
// "Participant N", id 0, and the number is returned.
func (p pseudonyms) rename(id *int64, name *string) int {
	n, ok := p[*id]
	if !ok {
		n = len(p) + 1
		p[*id] = n
	}
	*id, *name = 0, Pseudonym(n)
	return n
}

// Pseudonymize replaces every author's name with "Participant N", numbered
// from 1 in the order people first appear in the export (annotations, then
// notes), so one person has one pseudonym throughout it. Author ids are
// cleared and Participant holds the number.
func Pseudonymize(arts []ExportArticle) {
	p := pseudonyms{}
	var walk func([]*Annotation)
	walk = func(list []*Annotation) {
		for _, a := range list {
			a.Participant = p.rename(&a.AuthorID, &a.AuthorName)
			walk(a.Replies)
		}
	}
	for _, art := range arts {
		walk(art.Annotations)
	}
	for _, art := range arts {
		pseudonymizeNotes(p, art.Notes)
	}
}

// Pseudonymize is Pseudonymize for the flat export: annotations in id
// order, then notes.
func (x *FlatExport) Pseudonymize() {
	p := pseudonyms{}
	for _, a := range x.Annotations {
		a.Participant = p.rename(&a.AuthorID, &a.AuthorName)
	}
	pseudonymizeNotes(p, x.Notes)
}

func pseudonymizeNotes(p pseudonyms, notes []Note) {
	for i := range notes {
		n := &notes[i]
		n.Participant = p.rename(&n.AuthorID, &n.AuthorName)
	}
}

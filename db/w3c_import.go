package db

import (
	"bytes"
	"encoding/json"
	"strings"
)

// MaxW3CImportItems is how many annotations one import may hold.
const MaxW3CImportItems = 10000

// Visibility choices for imported annotations (W3CImportOptions.Visibility).
const (
	ImportKeep    = "keep"    // the file's gloss:visibility when the importer may write it, else private
	ImportPrivate = "private" // all private
	ImportGroup   = "group"   // all shared with W3CImportOptions.GroupID
	ImportPublic  = "public"  // all public
)

// W3CImportOptions are the importer's choices.
type W3CImportOptions struct {
	// Base is this server's scheme and host: a gloss:group IRI names a
	// group here only under it, and new annotations' IRIs are built on it.
	Base       string
	Visibility string // ImportKeep ("" too), ImportPrivate, ImportGroup or ImportPublic
	GroupID    int64  // for ImportGroup
	// Partial stores what can be stored and refuses the rest; otherwise one
	// refusal stores nothing.
	Partial bool
}

// W3CImportReport says what an import did with each item.
type W3CImportReport struct {
	Total   int           `json:"total"`  // items in the file
	Taken   int           `json:"taken"`  // annotations stored
	Ready   int           `json:"ready"`  // items that passed: stored unless another was refused without partial
	Stored  bool          `json:"stored"` // the import was committed
	Partial bool          `json:"partial"`
	Created []W3CImported `json:"created"`
	Refused []W3CRefusal  `json:"refused"`
}

// W3CImported is one stored annotation. It belongs to the importer: the
// file's creator is reported here, never written as the author.
type W3CImported struct {
	Index           int      `json:"index"`          // position in the file's items, from 0
	From            string   `json:"from,omitempty"` // its id in the file
	ID              string   `json:"id"`             // its IRI here
	AnnotationID    int64    `json:"-"`
	NoteID          int64    `json:"-"` // a note on the whole article (a target with no selector), not an annotation
	ArticleSlug     string   `json:"-"`
	Visibility      string   `json:"gloss:visibility"`
	GroupID         int64    `json:"-"`
	OriginalCreator string   `json:"originalCreator,omitempty"`
	Notes           []string `json:"notes,omitempty"` // what was adjusted: visibility lowered, anchored by quote
}

// W3CRefusal is one item that was not stored, and why.
type W3CRefusal struct {
	Index  int    `json:"index"`
	From   string `json:"from,omitempty"`
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

// W3CItems finds the annotations in a JSON-LD document: an
// AnnotationCollection with its items embedded (in an embedded first
// AnnotationPage, or as its own items), an AnnotationPage, a JSON array
// of annotations, or one annotation.
func W3CItems(data []byte) ([]json.RawMessage, error) {
	data = bytes.TrimSpace(data)
	if !json.Valid(data) {
		return nil, Errorf(EINVALID, "The file is not well-formed JSON.")
	}
	if len(data) > 0 && data[0] == '[' {
		var list []json.RawMessage
		if err := json.Unmarshal(data, &list); err != nil {
			return nil, Errorf(EINVALID, "The list of annotations cannot be read.")
		}
		return list, nil
	}
	var doc map[string]json.RawMessage
	if json.Unmarshal(data, &doc) != nil {
		return nil, Errorf(EINVALID, "The file must hold a JSON object or array: an AnnotationCollection, an AnnotationPage, a list of annotations or one annotation.")
	}
	types, err := jsonStrings(doc["type"], "type")
	if err != nil {
		return nil, err
	}
	switch {
	case hasType(types, "Annotation"):
		return []json.RawMessage{data}, nil
	case hasType(types, "AnnotationPage"):
		return pageItems(doc)
	case hasType(types, "AnnotationCollection"):
		if _, ok := doc["items"]; ok {
			return pageItems(doc)
		}
		var first map[string]json.RawMessage
		if raw, ok := doc["first"]; !ok || json.Unmarshal(raw, &first) != nil {
			return nil, Errorf(EINVALID, "The collection does not embed its items (its “first” page is missing or only an IRI): export it with the items embedded, as /export.jsonld does.")
		}
		if next, ok := first["next"]; ok && string(next) != "null" {
			return nil, Errorf(EINVALID, "The file holds only the collection's first page (it continues at %s): import a file with every item embedded, or each page on its own.", next)
		}
		return pageItems(first)
	}
	return nil, Errorf(EINVALID, "Gloss imports an AnnotationCollection, an AnnotationPage, a list of annotations or one Annotation; this document's type is %q.", strings.Join(types, ", "))
}

func pageItems(doc map[string]json.RawMessage) ([]json.RawMessage, error) {
	raw, ok := doc["items"]
	if !ok {
		return nil, Errorf(EINVALID, "The page has no “items”.")
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, Errorf(EINVALID, "“items” must be a list of annotations.")
	}
	return list, nil
}

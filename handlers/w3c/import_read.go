package w3c

import (
	"bytes"
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"gloss/db"
)

// This file reads an import file (jsonld.go takes it from the form or a
// script) into the store's domain items (db.ImportItem): each annotation
// goes through toInput (read.go), as a document posted to the protocol
// would, and the store then decides what to keep.

// readImport reads every item of a JSON-LD import file.
func readImport(base string, data []byte) ([]db.ImportItem, error) {
	raws, err := fileItems(data)
	if err != nil {
		return nil, err
	}
	items := make([]db.ImportItem, len(raws))
	for i, raw := range raws {
		items[i] = readItem(base, raw)
	}
	return items, nil
}

// fileItems finds the annotations in a JSON-LD document: an
// AnnotationCollection with its items embedded (in an embedded first
// AnnotationPage, or as its own items), an AnnotationPage, a JSON array
// of annotations, or one annotation.
func fileItems(data []byte) ([]json.RawMessage, error) {
	data = bytes.TrimSpace(data)
	if !json.Valid(data) {
		return nil, db.Errorf(db.EINVALID, "The file is not well-formed JSON.")
	}
	if len(data) > 0 && data[0] == '[' {
		var list []json.RawMessage
		if err := json.Unmarshal(data, &list); err != nil {
			return nil, db.Errorf(db.EINVALID, "The list of annotations cannot be read.")
		}
		return list, nil
	}
	var doc map[string]json.RawMessage
	if json.Unmarshal(data, &doc) != nil {
		return nil, db.Errorf(db.EINVALID, "The file must hold a JSON object or array: an AnnotationCollection, an AnnotationPage, a list of annotations or one annotation.")
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
			return nil, db.Errorf(db.EINVALID, "The collection does not embed its items (its “first” page is missing or only an IRI): export it with the items embedded, as /export.jsonld does.")
		}
		if next, ok := first["next"]; ok && string(next) != "null" {
			return nil, db.Errorf(db.EINVALID, "The file holds only the collection's first page (it continues at %s): import a file with every item embedded, or each page on its own.", next)
		}
		return pageItems(first)
	}
	return nil, db.Errorf(db.EINVALID, "Gloss imports an AnnotationCollection, an AnnotationPage, a list of annotations or one Annotation; this document's type is %q.", strings.Join(types, ", "))
}

func pageItems(doc map[string]json.RawMessage) ([]json.RawMessage, error) {
	raw, ok := doc["items"]
	if !ok {
		return nil, db.Errorf(db.EINVALID, "The page has no “items”.")
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, db.Errorf(db.EINVALID, "“items” must be a list of annotations.")
	}
	return list, nil
}

// glossPath is the path of an article or annotation IRI on any Gloss.
var glossPath = regexp.MustCompile(`^/(articles|annotations)/[^/]+$`)

// portableIRI reads an article or annotation IRI from any host: its
// absolute path (which toInput takes as local) and a key that tells
// annotations of different hosts apart.
func portableIRI(iri string) (path, key string, ok bool) {
	u, err := url.Parse(iri)
	if err != nil || u.RawQuery != "" || u.Fragment != "" || !glossPath.MatchString(u.Path) {
		return "", "", false
	}
	if u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" {
		return "", "", false
	}
	return u.Path, strings.ToLower(u.Host) + u.Path, true
}

// readItem reads one item of a file. Its IRIs are made portable (any
// host), its audience is read apart (the importer decides it), and the rest
// goes through toInput, as a document posted to the protocol would. A
// refusal is the item's Err.
func readItem(base string, raw json.RawMessage) db.ImportItem {
	it := db.ImportItem{Visibility: db.Private}
	it.Err = readItemInto(base, raw, &it)
	return it
}

func readItemInto(base string, raw json.RawMessage, it *db.ImportItem) error {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		if json.Unmarshal(raw, &it.From) == nil {
			return db.Errorf(db.EINVALID, "The item is only an IRI: Gloss imports annotations embedded in the file (export with the items described, not as IRIs).")
		}
		return db.Errorf(db.EINVALID, "The item is not an annotation object.")
	}
	if r, ok := doc["id"]; ok {
		if json.Unmarshal(r, &it.From) != nil {
			return db.Errorf(db.EINVALID, "“id” must be an IRI string.")
		}
		it.Key = it.From
		if _, key, ok := portableIRI(it.From); ok {
			it.Key = key
		}
	}
	it.Creator = creatorName(doc["creator"])
	if err := readItemAudience(base, doc, it); err != nil {
		return err
	}
	parent, err := portableTarget(doc, it)
	if err != nil {
		return err
	}
	data, err := json.Marshal(doc)
	if err != nil {
		return db.Errorf(db.EINVALID, "The item cannot be read.")
	}
	in, err := toInput(base, data)
	if err != nil {
		return err
	}
	it.ArticleSlug, it.HasSelector, it.Annotation, it.TagList, it.Evidence = in.ArticleSlug, in.HasSelector, in.Annotation, in.TagList, in.Evidence
	if in.ParentID != 0 {
		it.Parent = parent
	} else {
		it.ParentIRI = ""
	}
	return nil
}

// readItemAudience reads gloss:visibility, gloss:group and gloss:groupName,
// then removes the first two: a group of another server is not an error,
// only a group the import cannot keep.
func readItemAudience(base string, doc map[string]json.RawMessage, it *db.ImportItem) error {
	if raw, ok := doc["gloss:visibility"]; ok {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return db.Errorf(db.EINVALID, "“gloss:visibility” must be private, group or public.")
		}
		v, err := db.ParseVisibility(s)
		if err != nil {
			return err
		}
		it.Visibility = v
	}
	if raw, ok := doc["gloss:group"]; ok {
		if json.Unmarshal(raw, &it.GroupIRI) != nil {
			var obj struct {
				ID string `json:"id"`
			}
			if json.Unmarshal(raw, &obj) != nil || obj.ID == "" {
				return db.Errorf(db.EINVALID, "“gloss:group” must be a group's IRI.")
			}
			it.GroupIRI = obj.ID
		}
		if id, ok := localIRI(base, it.GroupIRI, "groups"); ok {
			if n, err := strconv.ParseInt(id, 10, 64); err == nil && n > 0 {
				it.LocalGroup = n
			}
		}
		switch {
		case doc["gloss:visibility"] == nil:
			it.Visibility = db.Shared
		case it.Visibility != db.Shared:
			return db.Errorf(db.EINVALID, "“gloss:group” goes with “gloss:visibility”: “group”, not %q.", it.Visibility)
		}
	}
	if raw, ok := doc["gloss:groupName"]; ok {
		if json.Unmarshal(raw, &it.GroupName) != nil {
			return db.Errorf(db.EINVALID, "“gloss:groupName” must be a string.")
		}
	}
	delete(doc, "gloss:visibility")
	delete(doc, "gloss:group")
	return nil
}

// portableTarget rewrites the target's source (or a reply's target IRI) to
// its path, so a file from any host reads like one posted here; it keeps
// gloss:sourceSha256, and returns the key of the annotation a reply
// answers (ParentIRI is that annotation's id as given).
func portableTarget(doc map[string]json.RawMessage, it *db.ImportItem) (parent string, err error) {
	targets, err := jsonItems(doc["target"])
	if err != nil || len(targets) != 1 {
		return "", nil // toInput says what is wrong with it
	}
	rewrite := func(iri string) (json.RawMessage, error) {
		path, key, ok := portableIRI(iri)
		if !ok {
			return nil, db.Errorf(db.EINVALID, "The target %q is not a Gloss article or annotation: its path must be /articles/{slug} or /annotations/{id}.", iri)
		}
		if strings.HasPrefix(path, "/annotations/") {
			parent, it.ParentIRI = key, iri
		}
		return json.Marshal(path)
	}
	var iri string
	if json.Unmarshal(targets[0], &iri) == nil {
		doc["target"], err = rewrite(iri)
		return parent, err
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(targets[0], &obj) != nil {
		return "", nil
	}
	if raw, ok := obj["gloss:sourceSha256"]; ok {
		if json.Unmarshal(raw, &it.SHA256) != nil || !sha256Hex.MatchString(it.SHA256) {
			return "", db.Errorf(db.EINVALID, "“gloss:sourceSha256” must be the SHA-256 of the article's text, in hexadecimal.")
		}
	}
	for _, k := range []string{"source", "id"} {
		raw, ok := obj[k]
		if !ok {
			continue
		}
		if json.Unmarshal(raw, &iri) != nil {
			return "", nil
		}
		if obj[k], err = rewrite(iri); err != nil {
			return "", err
		}
		break
	}
	doc["target"], err = json.Marshal(obj)
	return parent, err
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// creatorName describes the file's creator for the report: name and IRI.
func creatorName(raw json.RawMessage) string {
	list, err := jsonItems(raw)
	if err != nil {
		return ""
	}
	var names []string
	for _, r := range list {
		var iri string
		if json.Unmarshal(r, &iri) == nil {
			names = append(names, iri)
			continue
		}
		var c struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		}
		if json.Unmarshal(r, &c) != nil {
			continue
		}
		switch {
		case c.Name != "" && c.ID != "":
			names = append(names, c.Name+" <"+c.ID+">")
		case c.Name != "":
			names = append(names, c.Name)
		case c.ID != "":
			names = append(names, c.ID)
		}
	}
	return strings.Join(names, ", ")
}

package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gloss/db"
)

// w3cItem is one annotation of the file, read but not yet stored.
type w3cItem struct {
	index      int
	from       string // id in the file
	key        string // from, normalized: replies name their parent by it
	parent     string // the normalized IRI a reply targets
	parentIRI  string // as the file gives it
	in         db.W3CInput
	sha256     string        // gloss:sourceSha256 of the target
	vis        db.Visibility // the file's gloss:visibility
	groupIRI   string
	groupName  string // gloss:groupName
	localGroup int64  // gloss:group when it names a group on this server
	creator    string
	err        error // refused while reading

	// Outcome.
	refused bool
	stored  *db.Annotation // ID, ArticleID, Visibility and GroupID
	note    bool           // stored is a note (its ID a note's)
	notes   []string
}

// glossPath is the path of an article or annotation IRI on any Gloss.
var glossPath = regexp.MustCompile(`^/(articles|annotations)/[^/]+$`)

// portableIRI reads an article or annotation IRI from any host: its
// absolute path (which W3CToInput takes as local) and a key that tells
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

// readW3CItem reads one item of a file. Its IRIs are made portable (any
// host), its audience is read apart (the importer decides it), and the rest
// goes through W3CToInput, as a document posted to the protocol would.
func readW3CItem(base string, index int, raw json.RawMessage) *w3cItem {
	it := &w3cItem{index: index, vis: db.Private}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		if json.Unmarshal(raw, &it.from) == nil {
			it.err = db.Errorf(db.EINVALID, "The item is only an IRI: Gloss imports annotations embedded in the file (export with the items described, not as IRIs).")
			return it
		}
		it.err = db.Errorf(db.EINVALID, "The item is not an annotation object.")
		return it
	}
	if r, ok := doc["id"]; ok {
		if json.Unmarshal(r, &it.from) != nil {
			it.err = db.Errorf(db.EINVALID, "“id” must be an IRI string.")
			return it
		}
		it.key = it.from
		if _, key, ok := portableIRI(it.from); ok {
			it.key = key
		}
	}
	it.creator = w3cCreatorName(doc["creator"])
	if it.err = readW3CAudience(base, doc, it); it.err != nil {
		return it
	}
	if it.err = portableTarget(doc, it); it.err != nil {
		return it
	}
	data, err := json.Marshal(doc)
	if err != nil {
		it.err = db.Errorf(db.EINVALID, "The item cannot be read.")
		return it
	}
	it.in, it.err = db.W3CToInput(base, data)
	return it
}

// readW3CAudience reads gloss:visibility, gloss:group and gloss:groupName,
// then removes the first two: a group of another server is not an error,
// only a group the import cannot keep.
func readW3CAudience(base string, doc map[string]json.RawMessage, it *w3cItem) error {
	if raw, ok := doc["gloss:visibility"]; ok {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return db.Errorf(db.EINVALID, "“gloss:visibility” must be private, group or public.")
		}
		v, err := db.ParseVisibility(s)
		if err != nil {
			return err
		}
		it.vis = v
	}
	if raw, ok := doc["gloss:group"]; ok {
		if json.Unmarshal(raw, &it.groupIRI) != nil {
			var obj struct {
				ID string `json:"id"`
			}
			if json.Unmarshal(raw, &obj) != nil || obj.ID == "" {
				return db.Errorf(db.EINVALID, "“gloss:group” must be a group's IRI.")
			}
			it.groupIRI = obj.ID
		}
		if id, ok := db.LocalIRI(base, it.groupIRI, "groups"); ok {
			if n, err := strconv.ParseInt(id, 10, 64); err == nil && n > 0 {
				it.localGroup = n
			}
		}
		switch {
		case doc["gloss:visibility"] == nil:
			it.vis = db.Shared
		case it.vis != db.Shared:
			return db.Errorf(db.EINVALID, "“gloss:group” goes with “gloss:visibility”: “group”, not %q.", it.vis)
		}
	}
	if raw, ok := doc["gloss:groupName"]; ok {
		if json.Unmarshal(raw, &it.groupName) != nil {
			return db.Errorf(db.EINVALID, "“gloss:groupName” must be a string.")
		}
	}
	delete(doc, "gloss:visibility")
	delete(doc, "gloss:group")
	return nil
}

// portableTarget rewrites the target's source (or a reply's target IRI) to
// its path, so a file from any host reads like one posted here, and keeps
// gloss:sourceSha256 and the parent's key.
func portableTarget(doc map[string]json.RawMessage, it *w3cItem) error {
	targets, err := db.JsonItems(doc["target"])
	if err != nil || len(targets) != 1 {
		return nil // W3CToInput says what is wrong with it
	}
	rewrite := func(iri string) (json.RawMessage, error) {
		path, key, ok := portableIRI(iri)
		if !ok {
			return nil, db.Errorf(db.EINVALID, "The target %q is not a Gloss article or annotation: its path must be /articles/{slug} or /annotations/{id}.", iri)
		}
		if strings.HasPrefix(path, "/annotations/") {
			it.parent, it.parentIRI = key, iri
		}
		return json.Marshal(path)
	}
	var iri string
	if json.Unmarshal(targets[0], &iri) == nil {
		doc["target"], err = rewrite(iri)
		return err
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(targets[0], &obj) != nil {
		return nil
	}
	if raw, ok := obj["gloss:sourceSha256"]; ok {
		if json.Unmarshal(raw, &it.sha256) != nil || !sha256Hex.MatchString(it.sha256) {
			return db.Errorf(db.EINVALID, "“gloss:sourceSha256” must be the SHA-256 of the article's text, in hexadecimal.")
		}
	}
	for _, k := range []string{"source", "id"} {
		raw, ok := obj[k]
		if !ok {
			continue
		}
		if json.Unmarshal(raw, &iri) != nil {
			return nil
		}
		if obj[k], err = rewrite(iri); err != nil {
			return err
		}
		break
	}
	doc["target"], err = json.Marshal(obj)
	return err
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// w3cCreatorName describes the file's creator for the report: name and IRI.
func w3cCreatorName(raw json.RawMessage) string {
	list, err := db.JsonItems(raw)
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

// w3cImporter stores one file's items in one transaction.
type w3cImporter struct {
	db    *Store
	ctx   context.Context
	tx    *sql.Tx
	v     db.Viewer
	opts  db.W3CImportOptions
	items []*w3cItem
	byKey map[string]int
	state []int8 // 0 to do, 1 being placed, 2 placed

	articles map[string]*importArticle
	groups   map[int64]string
}

type importArticle struct {
	id  int64
	rev revisionText
}

var errImportRollback = errors.New("db: import refused")

// ImportW3C stores the annotations of a W3C JSON-LD file (see W3CItems) as
// the viewer's own, through the same validation and anchoring as the
// browser, in one transaction: all or nothing, unless opts.Partial. Replies
// are stored after the annotation they answer, which must be in the file.
// Refused items are reported, not returned as errors; an error is a
// problem with the whole request.
func (store *Store) ImportW3C(ctx context.Context, v db.Viewer, items []json.RawMessage, opts db.W3CImportOptions) (db.W3CImportReport, error) {
	rep := db.W3CImportReport{Total: len(items), Partial: opts.Partial, Created: []db.W3CImported{}, Refused: []db.W3CRefusal{}}
	if err := v.RequireSignIn(); err != nil {
		return rep, err
	}
	switch opts.Visibility {
	case "":
		opts.Visibility = db.ImportKeep
	case db.ImportKeep, db.ImportPrivate, db.ImportPublic:
	case db.ImportGroup:
		if opts.GroupID <= 0 {
			return rep, db.Errorf(db.EINVALID, "Choose the group the imported annotations are shared with.")
		}
		if err := v.Write(db.Shared, opts.GroupID); err != nil {
			return rep, err
		}
	default:
		return rep, db.Errorf(db.EINVALID, "%q is not a visibility for imported annotations: choose keep, private, group or public.", opts.Visibility)
	}
	switch {
	case len(items) == 0:
		return rep, db.Errorf(db.EINVALID, "The file holds no annotations.")
	case len(items) > db.MaxW3CImportItems:
		return rep, db.Errorf(db.EINVALID, "The file holds %d annotations; one import takes at most %d: split it, by article or by group.", len(items), db.MaxW3CImportItems)
	}
	imp := &w3cImporter{db: store, ctx: ctx, v: v, opts: opts, byKey: map[string]int{},
		state: make([]int8, len(items)), articles: map[string]*importArticle{}, groups: map[int64]string{}}
	for i, raw := range items {
		it := readW3CItem(opts.Base, i, raw)
		if it.key != "" && it.err == nil {
			if j, dup := imp.byKey[it.key]; dup {
				it.err = db.Errorf(db.EINVALID, "Its id %s is already used by item %d.", it.from, j)
			} else {
				imp.byKey[it.key] = i
			}
		}
		imp.items = append(imp.items, it)
	}
	err := store.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		imp.ctx, imp.tx = ctx, tx
		for i := range imp.items {
			if err := imp.place(i); err != nil {
				return err
			}
		}
		for _, it := range imp.items {
			if it.stored != nil {
				rep.Ready++
			} else {
				rep.Refused = append(rep.Refused, db.W3CRefusal{Index: it.index, From: it.from, Code: db.ErrorCode(it.err), Reason: db.ErrorMessage(it.err)})
			}
		}
		if rep.Ready == 0 || (len(rep.Refused) > 0 && !opts.Partial) {
			return errImportRollback
		}
		return nil
	})
	if err != nil && !errors.Is(err, errImportRollback) {
		return rep, err
	}
	if rep.Stored = err == nil; !rep.Stored {
		return rep, nil
	}
	rep.Taken = rep.Ready
	for _, it := range imp.items {
		a := it.stored
		switch {
		case a == nil:
		case it.note:
			rep.Created = append(rep.Created, db.W3CImported{Index: it.index, From: it.from, ID: db.NoteIRI(opts.Base, a.ArticleSlug, a.ID),
				NoteID: a.ID, ArticleSlug: a.ArticleSlug, Visibility: string(a.Visibility), GroupID: a.GroupID,
				OriginalCreator: it.creator, Notes: it.notes})
		default:
			rep.Created = append(rep.Created, db.W3CImported{Index: it.index, From: it.from, ID: db.AnnotationIRI(opts.Base, a.ID),
				AnnotationID: a.ID, ArticleSlug: a.ArticleSlug, Visibility: string(a.Visibility), GroupID: a.GroupID,
				OriginalCreator: it.creator, Notes: it.notes})
		}
	}
	sort.Slice(rep.Created, func(i, j int) bool { return rep.Created[i].Index < rep.Created[j].Index })
	return rep, nil
}

// place stores item i, its parent first when it is a reply. Refusals are
// recorded on the item; only internal errors are returned.
func (imp *w3cImporter) place(i int) error {
	if imp.state[i] != 0 {
		return nil
	}
	imp.state[i] = 1
	defer func() { imp.state[i] = 2 }()
	it := imp.items[i]
	if it.err != nil {
		return imp.refuse(it, it.err)
	}
	if it.in.ParentID == 0 && it.in.ArticleSlug != "" && !it.in.HasSelector {
		return imp.refuse(it, imp.storeNote(it))
	}
	if it.in.ParentID == 0 {
		return imp.refuse(it, imp.storeAnnotation(it))
	}
	p, ok := imp.byKey[it.parent]
	if !ok {
		return imp.refuse(it, db.Errorf(db.EINVALID, "It replies to %s, which is not in this file: a reply is imported only with the annotation it answers.", it.parentIRI))
	}
	if err := imp.place(p); err != nil {
		return err
	}
	parent := imp.items[p]
	switch {
	case imp.state[p] == 1:
		return imp.refuse(it, db.Errorf(db.EINVALID, "Its replies form a cycle: item %d answers it, directly or not.", p))
	case parent.stored == nil:
		return imp.refuse(it, db.Errorf(db.EINVALID, "It replies to item %d (%s), which was refused.", p, parent.from))
	}
	return imp.refuse(it, imp.storeReply(it, parent.stored))
}

// refuse records a refusal on the item (a coded error) or passes an
// internal error on.
func (imp *w3cImporter) refuse(it *w3cItem, err error) error {
	if err == nil {
		return nil
	}
	if db.ErrorCode(err) == db.EINTERNAL {
		return err
	}
	it.refused, it.err, it.stored, it.note, it.notes = true, err, nil, false, nil
	return nil
}

// savepoint runs fn so that a refusal undoes only this item.
func (imp *w3cImporter) savepoint(fn func() error) error {
	if _, err := imp.tx.ExecContext(imp.ctx, `SAVEPOINT w3c_item`); err != nil {
		return err
	}
	if err := fn(); err != nil {
		if _, rerr := imp.tx.ExecContext(imp.ctx, `ROLLBACK TO w3c_item`); rerr != nil {
			return rerr
		}
		if _, rerr := imp.tx.ExecContext(imp.ctx, `RELEASE w3c_item`); rerr != nil {
			return rerr
		}
		return err
	}
	_, err := imp.tx.ExecContext(imp.ctx, `RELEASE w3c_item`)
	return err
}

func (imp *w3cImporter) storeAnnotation(it *w3cItem) error {
	in := it.in
	switch {
	case in.ArticleSlug == "":
		return db.Errorf(db.EINVALID, "The target has no “source”: name the article as {base}/articles/{slug}.")
	case !in.HasSelector:
		return db.Errorf(db.EINVALID, "The target names the article %q but no passage: send a TextQuoteSelector (and a TextPositionSelector).", in.ArticleSlug)
	}
	art, err := imp.article(in.ArticleSlug)
	if err != nil {
		return err
	}
	if it.sha256 != "" && it.sha256 != art.rev.sha256 {
		if in.Annotation.Exact == "" {
			return db.Errorf(db.EINVALID, "The text of %q here differs from the file's (gloss:sourceSha256), and the target has only a position: send a TextQuoteSelector.", in.ArticleSlug)
		}
		in.Annotation.Start, in.Annotation.End = -1, -1
		it.notes = append(it.notes, "The article's text here differs from the exported one (gloss:sourceSha256): anchored by the quote, not the position.")
	}
	vis, groupID, err := imp.audience(it)
	if err != nil {
		return err
	}
	in.Annotation.Visibility, in.Annotation.Group = string(vis), strconv.FormatInt(groupID, 10)
	d, err := db.PrepareAnnotation(imp.v, in.Annotation)
	if err != nil {
		return err
	}
	var id int64
	err = imp.savepoint(func() error {
		if id, err = imp.db.insertAnnotation(imp.ctx, imp.tx, imp.v, art.id, art.rev, in.Annotation, d); err != nil {
			return err
		}
		return imp.db.importEvidence(imp.ctx, imp.tx, id, in.Evidence) // evidence.go
	})
	if err != nil {
		return err
	}
	it.stored = &db.Annotation{ID: id, ArticleID: art.id, ArticleSlug: in.ArticleSlug, Visibility: d.Vis, GroupID: d.GroupID}
	return nil
}

// storeNote stores an item that targets a whole article, with no
// selector: a note beside the article, as the notes form would make it.
func (imp *w3cImporter) storeNote(it *w3cItem) error {
	in := it.in
	switch {
	case len(in.TagList) > 0:
		return db.Errorf(db.EINVALID, "It targets the whole article %q, which makes it a note, and a note cannot carry tags: send a TextQuoteSelector to annotate a passage.", in.ArticleSlug)
	case in.Evidence.Kind != "":
		return db.Errorf(db.EINVALID, "It targets the whole article %q, which makes it a note, and a note has no gloss:kind: send a TextQuoteSelector to annotate a passage.", in.ArticleSlug)
	}
	art, err := imp.article(in.ArticleSlug)
	if err != nil {
		return err
	}
	vis, groupID, err := imp.audience(it)
	if err != nil {
		return err
	}
	body, vis, groupID, err := db.NoteInput{Body: in.Annotation.Body, Visibility: string(vis), Group: strconv.FormatInt(groupID, 10)}.Validate(imp.v)
	if err != nil {
		return err
	}
	var id int64
	err = imp.savepoint(func() error {
		id, err = imp.db.insertNote(imp.ctx, imp.tx, imp.db.now(), art.id, imp.v.UserID, body, vis, groupID)
		return err
	})
	if err != nil {
		return err
	}
	it.stored, it.note = &db.Annotation{ID: id, ArticleID: art.id, ArticleSlug: in.ArticleSlug, Visibility: vis, GroupID: groupID}, true
	return nil
}

func (imp *w3cImporter) storeReply(it *w3cItem, parent *db.Annotation) error {
	if len(it.in.TagList) > 0 {
		return db.Errorf(db.EINVALID, "A reply cannot carry tags: tag the annotation it answers instead.")
	}
	body, err := db.PrepareReply(imp.v, parent, it.in.Annotation.Body)
	if err != nil {
		return err
	}
	if err := it.in.Annotation.Provenance.Check(); err != nil {
		return err
	}
	var id int64
	err = imp.savepoint(func() error {
		id, err = imp.db.insertReply(imp.ctx, imp.tx, imp.v, parent, body, it.in.Annotation.Provenance)
		return err
	})
	if err != nil {
		return err
	}
	it.stored = &db.Annotation{ID: id, ArticleID: parent.ArticleID, ArticleSlug: parent.ArticleSlug, ParentID: parent.ID,
		Visibility: parent.Visibility, GroupID: parent.GroupID}
	return nil
}

// article finds an article by slug with its current text, once per import.
func (imp *w3cImporter) article(slug string) (*importArticle, error) {
	if a, ok := imp.articles[slug]; ok {
		if a == nil {
			return nil, db.Errorf(db.ENOTFOUND, "There is no article %q here: import the article first (Gloss matches articles by slug).", slug)
		}
		return a, nil
	}
	a := &importArticle{}
	err := imp.tx.QueryRowContext(imp.ctx, `SELECT id FROM articles WHERE slug = ?`, slug).Scan(&a.id)
	if errors.Is(err, sql.ErrNoRows) {
		imp.articles[slug] = nil
		return imp.article(slug)
	} else if err != nil {
		return nil, fmt.Errorf("db: import: article %s: %w", slug, err)
	}
	if a.rev, err = currentText(imp.ctx, imp.tx, a.id); err != nil {
		return nil, fmt.Errorf("db: import: text of %s: %w", slug, err)
	}
	imp.articles[slug] = a
	return a, nil
}

// audience decides a top-level item's visibility from the importer's
// choice; with ImportKeep, the file's when the importer may write it here,
// else private (with a note saying why).
func (imp *w3cImporter) audience(it *w3cItem) (db.Visibility, int64, error) {
	switch imp.opts.Visibility {
	case db.ImportPrivate:
		return db.Private, 0, nil
	case db.ImportPublic:
		return db.Public, 0, nil
	case db.ImportGroup:
		return db.Shared, imp.opts.GroupID, nil
	}
	if it.vis != db.Shared {
		return it.vis, 0, nil
	}
	private := func(format string, args ...any) (db.Visibility, int64, error) {
		it.notes = append(it.notes, fmt.Sprintf(format, args...)+" Imported as private.")
		return db.Private, 0, nil
	}
	g := it.localGroup
	switch {
	case it.groupIRI == "":
		return private("It was shared with a group but names none (gloss:group).")
	case g == 0:
		return private("Its group %s is not on this server.", it.groupIRI)
	case imp.v.WriteInGroup(g) != nil:
		return private("You cannot write in the group %s here.", it.groupIRI)
	}
	name, ok := imp.groups[g]
	if !ok {
		err := imp.tx.QueryRowContext(imp.ctx, `SELECT name FROM groups WHERE id = ?`, g).Scan(&name)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return "", 0, fmt.Errorf("db: import: group %d: %w", g, err)
		}
		imp.groups[g] = name
	}
	if it.groupName != "" && it.groupName != name {
		return private("The group %s here is “%s”, not the file's “%s”.", it.groupIRI, name, it.groupName)
	}
	return db.Shared, g, nil
}

package exchange

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"

	"gloss/db"
	"gloss/db/sqlstore/internal/content"
)

// importItem is one item of the file and what became of it.
type importItem struct {
	db.ImportItem
	index int
	err   error // why it was refused

	stored *db.Annotation // ID, ArticleID, Visibility and GroupID
	note   bool           // stored is a note (its ID a note's)
	notes  []string
}

// importer stores one file's items in one transaction.
type importer struct {
	db    *Exchange
	ctx   context.Context
	tx    *sql.Tx
	v     db.Viewer
	opts  db.ImportOptions
	items []*importItem
	byKey map[string]int
	state []int8 // 0 to do, 1 being placed, 2 placed

	articles map[string]*importArticle
	groups   map[int64]string
}

type importArticle struct {
	id  int64
	rev content.RevisionText
}

var errImportRollback = errors.New("db: import refused")

// ImportAnnotations stores the items of a file (read by the web side:
// handlers/w3c) as the viewer's own, through the same validation and anchoring as the
// browser, in one transaction: all or nothing, unless opts.Partial. Replies
// are stored after the annotation they answer, which must be in the file.
// Refused items are reported, not returned as errors; an error is a
// problem with the whole request.
func (store *Exchange) ImportAnnotations(ctx context.Context, v db.Viewer, items []db.ImportItem, opts db.ImportOptions) (db.ImportReport, error) {
	rep := db.ImportReport{Total: len(items), Partial: opts.Partial, Created: []db.Imported{}, Refused: []db.ImportRefusal{}}
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
	case len(items) > db.MaxImportItems:
		return rep, db.Errorf(db.EINVALID, "The file holds %d annotations; one import takes at most %d: split it, by article or by group.", len(items), db.MaxImportItems)
	}
	imp := &importer{db: store, ctx: ctx, v: v, opts: opts, byKey: map[string]int{},
		state: make([]int8, len(items)), articles: map[string]*importArticle{}, groups: map[int64]string{}}
	for i, item := range items {
		it := &importItem{ImportItem: item, index: i, err: item.Err}
		if it.Key != "" && it.err == nil {
			if j, dup := imp.byKey[it.Key]; dup {
				it.err = db.Errorf(db.EINVALID, "Its id %s is already used by item %d.", it.From, j)
			} else {
				imp.byKey[it.Key] = i
			}
		}
		imp.items = append(imp.items, it)
	}
	err := store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
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
				rep.Refused = append(rep.Refused, db.ImportRefusal{Index: it.index, From: it.From, Code: db.ErrorCode(it.err), Reason: db.ErrorMessage(it.err)})
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
			rep.Created = append(rep.Created, db.Imported{Index: it.index, From: it.From,
				NoteID: a.ID, ArticleSlug: a.ArticleSlug, Visibility: string(a.Visibility), GroupID: a.GroupID,
				OriginalCreator: it.Creator, Notes: it.notes})
		default:
			rep.Created = append(rep.Created, db.Imported{Index: it.index, From: it.From,
				AnnotationID: a.ID, ArticleSlug: a.ArticleSlug, Visibility: string(a.Visibility), GroupID: a.GroupID,
				OriginalCreator: it.Creator, Notes: it.notes})
		}
	}
	sort.Slice(rep.Created, func(i, j int) bool { return rep.Created[i].Index < rep.Created[j].Index })
	return rep, nil
}

// place stores item i, its parent first when it is a reply. Refusals are
// recorded on the item; only internal errors are returned.
func (imp *importer) place(i int) error {
	if imp.state[i] != 0 {
		return nil
	}
	imp.state[i] = 1
	defer func() { imp.state[i] = 2 }()
	it := imp.items[i]
	if it.err != nil {
		return imp.refuse(it, it.err)
	}
	if it.Parent == "" && it.ArticleSlug != "" && !it.HasSelector {
		return imp.refuse(it, imp.storeNote(it))
	}
	if it.Parent == "" {
		return imp.refuse(it, imp.storeAnnotation(it))
	}
	p, ok := imp.byKey[it.Parent]
	if !ok {
		return imp.refuse(it, db.Errorf(db.EINVALID, "It replies to %s, which is not in this file: a reply is imported only with the annotation it answers.", it.ParentIRI))
	}
	if err := imp.place(p); err != nil {
		return err
	}
	parent := imp.items[p]
	switch {
	case imp.state[p] == 1:
		return imp.refuse(it, db.Errorf(db.EINVALID, "Its replies form a cycle: item %d answers it, directly or not.", p))
	case parent.stored == nil:
		return imp.refuse(it, db.Errorf(db.EINVALID, "It replies to item %d (%s), which was refused.", p, parent.From))
	}
	return imp.refuse(it, imp.storeReply(it, parent.stored))
}

// refuse records a refusal on the item (a coded error) or passes an
// internal error on.
func (imp *importer) refuse(it *importItem, err error) error {
	if err == nil {
		return nil
	}
	if db.ErrorCode(err) == db.EINTERNAL {
		return err
	}
	it.err, it.stored, it.note, it.notes = err, nil, false, nil
	return nil
}

// savepoint runs fn so that a refusal undoes only this item.
func (imp *importer) savepoint(fn func() error) error {
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

func (imp *importer) storeAnnotation(it *importItem) error {
	in := it.ImportItem
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
	if in.SHA256 != "" && in.SHA256 != art.rev.Sha256 {
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
		if id, err = imp.db.InsertAnnotation(imp.ctx, imp.tx, imp.v, art.id, art.rev, in.Annotation, d); err != nil {
			return err
		}
		return imp.db.ImportEvidence(imp.ctx, imp.tx, id, in.Evidence) // evidence.go
	})
	if err != nil {
		return err
	}
	it.stored = &db.Annotation{ID: id, ArticleID: art.id, ArticleSlug: in.ArticleSlug, Visibility: d.Vis, GroupID: d.GroupID}
	return nil
}

// storeNote stores an item that targets a whole article, with no
// selector: a note beside the article, as the notes form would make it.
func (imp *importer) storeNote(it *importItem) error {
	in := it.ImportItem
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
		id, err = imp.db.InsertNote(imp.ctx, imp.tx, imp.db.NowText(), art.id, imp.v.UserID, body, vis, groupID)
		return err
	})
	if err != nil {
		return err
	}
	it.stored, it.note = &db.Annotation{ID: id, ArticleID: art.id, ArticleSlug: in.ArticleSlug, Visibility: vis, GroupID: groupID}, true
	return nil
}

func (imp *importer) storeReply(it *importItem, parent *db.Annotation) error {
	if len(it.TagList) > 0 {
		return db.Errorf(db.EINVALID, "A reply cannot carry tags: tag the annotation it answers instead.")
	}
	body, err := db.PrepareReply(imp.v, parent, it.Annotation.Body)
	if err != nil {
		return err
	}
	if err := it.Annotation.Provenance.Check(); err != nil {
		return err
	}
	var id int64
	err = imp.savepoint(func() error {
		id, err = imp.db.InsertReply(imp.ctx, imp.tx, imp.v, parent, body, it.Annotation.Provenance)
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
func (imp *importer) article(slug string) (*importArticle, error) {
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
	if a.rev, err = content.CurrentText(imp.ctx, imp.tx, a.id); err != nil {
		return nil, fmt.Errorf("db: import: text of %s: %w", slug, err)
	}
	imp.articles[slug] = a
	return a, nil
}

// audience decides a top-level item's visibility from the importer's
// choice; with ImportKeep, the file's when the importer may write it here,
// else private (with a note saying why).
func (imp *importer) audience(it *importItem) (db.Visibility, int64, error) {
	switch imp.opts.Visibility {
	case db.ImportPrivate:
		return db.Private, 0, nil
	case db.ImportPublic:
		return db.Public, 0, nil
	case db.ImportGroup:
		return db.Shared, imp.opts.GroupID, nil
	}
	if it.Visibility != db.Shared {
		return it.Visibility, 0, nil
	}
	private := func(format string, args ...any) (db.Visibility, int64, error) {
		it.notes = append(it.notes, fmt.Sprintf(format, args...)+" Imported as private.")
		return db.Private, 0, nil
	}
	g := it.LocalGroup
	switch {
	case it.GroupIRI == "":
		return private("It was shared with a group but names none (gloss:group).")
	case g == 0:
		return private("Its group %s is not on this server.", it.GroupIRI)
	case imp.v.WriteInGroup(g) != nil:
		return private("You cannot write in the group %s here.", it.GroupIRI)
	}
	name, ok := imp.groups[g]
	if !ok {
		err := imp.tx.QueryRowContext(imp.ctx, `SELECT name FROM groups WHERE id = ?`, g).Scan(&name)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return "", 0, fmt.Errorf("db: import: group %d: %w", g, err)
		}
		imp.groups[g] = name
	}
	if it.GroupName != "" && it.GroupName != name {
		return private("The group %s here is “%s”, not the file's “%s”.", it.GroupIRI, name, it.GroupName)
	}
	return db.Shared, g, nil
}

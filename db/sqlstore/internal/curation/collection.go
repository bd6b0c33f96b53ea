package curation

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"gloss/db"
	"gloss/db/anchor"
	"gloss/db/markdown"
	"gloss/db/sqlstore/internal/content"
	"gloss/db/sqlstore/internal/core"
)

const collectionSelect = `
	SELECT c.id, c.owner_id, u.name, COALESCE(c.group_id, 0), COALESCE(g.name, ''), c.title, c.intro, c.intro_html,
	       c.names, c.share_hash IS NOT NULL, COALESCE(c.shared_by, 0), COALESCE(c.shared_at, ''), c.created_at, c.updated_at,
	       (SELECT COUNT(*) FROM collection_items WHERE collection_id = c.id), c.example
	FROM collections c
	JOIN users u ON u.id = c.owner_id
	LEFT JOIN groups g ON g.id = c.group_id`

func scanCollection(row interface{ Scan(...any) error }) (db.Collection, error) {
	var c db.Collection
	var sharedAt, created, updated string
	err := row.Scan(&c.ID, &c.OwnerID, &c.OwnerName, &c.GroupID, &c.GroupName, &c.Title, &c.Intro, &c.IntroHTML,
		&c.Names, &c.Shared, &c.SharedBy, &sharedAt, &created, &updated, &c.ItemCount, &c.Example)
	c.SharedAt, c.CreatedAt, c.UpdatedAt = core.ParseTime(sharedAt), core.ParseTime(created), core.ParseTime(updated)
	return c, err
}

func collectionByID(ctx context.Context, q core.Querier, id int64) (db.Collection, error) {
	c, err := scanCollection(q.QueryRowContext(ctx, collectionSelect+` WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, db.ErrNoSuchCollection
	} else if err != nil {
		return c, fmt.Errorf("db: collection %d: %w", id, err)
	}
	return c, nil
}

// CollectionInfo returns a collection without its items, if the viewer may
// see it.
func (store *Curation) CollectionInfo(ctx context.Context, v db.Viewer, id int64) (db.Collection, error) {
	if err := v.RequireSignIn(); err != nil {
		return db.Collection{}, err
	}
	c, err := collectionByID(ctx, store.Reads(ctx), id)
	if err != nil {
		return c, err
	}
	return c, v.ViewCollection(c.Access())
}

// CollectionByID returns a collection with its items, showing under each
// passage only the chosen annotations the viewer may read anyway.
func (store *Curation) CollectionByID(ctx context.Context, v db.Viewer, id int64) (db.Collection, error) {
	c, err := store.CollectionInfo(ctx, v, id)
	if err != nil {
		return c, err
	}
	err = store.loadItems(ctx, &c, v.CanReadThread)
	return c, err
}

// SharedCollection returns the collection published at a share link, with
// only what a link may show (SharedLinkShows). A wrong, replaced or
// withdrawn token finds nothing.
func (store *Curation) SharedCollection(ctx context.Context, token string) (db.Collection, error) {
	notFound := db.Errorf(db.ENOTFOUND, "This link does not open anything: it may have been replaced or withdrawn. Ask whoever sent it for a new one.")
	if !strings.HasPrefix(token, db.ShareTokenPrefix) {
		return db.Collection{}, notFound
	}
	c, err := scanCollection(store.QueryRow(ctx, collectionSelect+` WHERE c.share_hash = ?`, db.HashSecret(token)))
	if errors.Is(err, sql.ErrNoRows) {
		return c, notFound
	} else if err != nil {
		return c, fmt.Errorf("db: shared collection: %w", err)
	}
	publisherOwns, err := linkShowsGroup(ctx, store.Reads(ctx), c)
	if err != nil {
		return c, err
	}
	err = store.loadItems(ctx, &c, func(chain []db.ThreadItem) bool {
		return db.ThreadAllows(chain, func(a db.ThreadItem) bool {
			return db.SharedLinkShows(a.Visibility, a.GroupID, a.Hidden, c.GroupID, publisherOwns)
		})
	})
	return c, err
}

// Collections lists the collections the viewer may see (their own and
// their groups'), most recently changed first, without items.
func (store *Curation) Collections(ctx context.Context, v db.Viewer) ([]db.Collection, error) {
	if err := v.RequireSignIn(); err != nil {
		return nil, err
	}
	cond, args := core.CollectionsVisibleSQL(v, "c")
	rows, err := store.Query(ctx, collectionSelect+` WHERE `+cond+` ORDER BY c.updated_at DESC, c.id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("db: collections: %w", err)
	}
	return core.ScanAll(rows, scanCollection)
}

// loadItems reads a collection's items, locates its passages in the
// current text, and hangs under each the chosen annotations keep allows.
//
// Passages are located on read rather than re-anchored when a revision is
// imported: anchor.Locate on the few passages of one collection costs
// microseconds when the text has not moved, and the article import stays
// the one writer of annotation anchors.
func (store *Curation) loadItems(ctx context.Context, c *db.Collection, keep func(chain []db.ThreadItem) bool) error {
	rows, err := store.Query(ctx, `
		SELECT ci.id, ci.position, ci.kind, COALESCE(ci.article_id, 0), COALESCE(ar.slug, ''), COALESCE(ar.title, ''),
		       COALESCE(ar.publication, ''), COALESCE(ar.published_on, ''), COALESCE(ar.dek, ''),
		       ci.heading, ci.commentary, ci.commentary_html, COALESCE(ci.revision_id, 0), COALESCE(rv.number, 0),
		       COALESCE(ci.pos_start, 0), COALESCE(ci.pos_end, 0), COALESCE(ci.exact, ''), COALESCE(ci.prefix, ''), COALESCE(ci.suffix, '')
		FROM collection_items ci
		LEFT JOIN articles ar ON ar.id = ci.article_id
		LEFT JOIN article_revisions rv ON rv.id = ci.revision_id
		WHERE ci.collection_id = ? ORDER BY ci.position, ci.id`, c.ID)
	if err != nil {
		return fmt.Errorf("db: items of collection %d: %w", c.ID, err)
	}
	items, err := core.ScanAll(rows, func(r core.RowScanner) (*db.CollectionItem, error) {
		it := &db.CollectionItem{}
		s := &it.Source
		err := r.Scan(&it.ID, &it.Position, &it.Kind, &s.ArticleID, &s.Slug, &s.Title, &s.Publication, &s.PublishedOn, &s.Dek,
			&it.Heading, &it.Commentary, &it.CommentaryHTML, &it.RevisionID, &it.RevisionNumber,
			&it.Selector.Start, &it.Selector.End, &it.Selector.Exact, &it.Selector.Prefix, &it.Selector.Suffix)
		return it, err
	})
	if err != nil {
		return err
	}
	byID := map[int64]*db.CollectionItem{}
	articles := map[int64][]*db.CollectionItem{}
	for _, it := range items {
		c.Items = append(c.Items, it)
		byID[it.ID] = it
		if it.Source.ArticleID != 0 {
			articles[it.Source.ArticleID] = append(articles[it.Source.ArticleID], it)
		}
	}
	c.ItemCount = len(c.Items)
	for articleID, items := range articles {
		if err := store.placeItems(ctx, articleID, items); err != nil {
			return err
		}
	}
	return store.loadChosen(ctx, c.ID, byID, keep)
}

// placeItems fills the authors of an article's items and locates its
// passages in the current revision.
func (store *Curation) placeItems(ctx context.Context, articleID int64, items []*db.CollectionItem) error {
	rows, err := store.Query(ctx, `SELECT name FROM article_authors WHERE article_id = ? ORDER BY position`, articleID)
	if err != nil {
		return fmt.Errorf("db: authors of %d: %w", articleID, err)
	}
	authors, err := core.ScanColumn[string](rows)
	if err != nil {
		return err
	}
	var revID int64
	var revNumber int
	var text string
	if err := store.QueryRow(ctx, `SELECT id, number, body FROM article_revisions WHERE article_id = ? ORDER BY number DESC LIMIT 1`,
		articleID).Scan(&revID, &revNumber, &text); err != nil {
		return fmt.Errorf("db: current text of %d: %w", articleID, err)
	}
	var t *anchor.Text
	for _, it := range items {
		it.Source.Authors = authors
		if it.Kind != db.ItemPassage {
			continue
		}
		it.CurrentRevision = revNumber
		if it.RevisionID == revID {
			it.Anchor = anchor.Match{Start: it.Selector.Start, End: it.Selector.End, Status: anchor.Anchored, Score: 1}
			it.Current = it.Selector.Exact
			continue
		}
		if t == nil {
			t = anchor.NewText(text)
		}
		it.Anchor = t.Locate(it.Selector)
		if it.Anchor.Status != anchor.Orphaned {
			it.Current = string([]rune(text)[it.Anchor.Start:it.Anchor.End])
		}
	}
	return nil
}

// loadChosen hangs the chosen annotations under their items, keeping only
// those keep allows, given each one's thread: the annotation, then its
// ancestors up to the top (the thread rule of policy.go). A reply in a
// thread whose root (or any ancestor) was hidden by moderation is shown
// marked hidden to those who still see it.
func (store *Curation) loadChosen(ctx context.Context, collectionID int64, items map[int64]*db.CollectionItem, keep func(chain []db.ThreadItem) bool) error {
	const chosen = `SELECT cia.annotation_id FROM collection_item_annotations cia
		JOIN collection_items ci ON ci.id = cia.item_id WHERE ci.collection_id = ?`
	rows, err := store.Query(ctx, content.AnnotationSelect+` WHERE a.id IN (`+chosen+`)`, collectionID)
	if err != nil {
		return fmt.Errorf("db: chosen annotations of %d: %w", collectionID, err)
	}
	anns, err := core.ScanAll(rows, content.ScanAnnotation)
	if err != nil {
		return err
	}
	byID := map[int64]*db.Annotation{}
	chains := map[int64][]db.ThreadItem{}
	for _, a := range anns {
		byID[a.ID] = a
		chains[a.ID] = []db.ThreadItem{{AuthorID: a.AuthorID, Visibility: a.Visibility, GroupID: a.GroupID, Hidden: a.Hidden}}
	}
	if len(byID) == 0 {
		return nil
	}
	list := slices.Collect(maps.Values(byID))
	if err := store.LoadTags(ctx, list); err != nil {
		return err
	}
	// Their kinds, so that a figure says its values wherever the
	// collection is shown.
	if err := store.AttachEvidence(ctx, list...); err != nil {
		return err
	}
	rows, err = store.Query(ctx, `
		WITH RECURSIVE up(id, ancestor, depth) AS (
			SELECT a.id, a.parent_id, 1 FROM annotations a WHERE a.id IN (`+chosen+`) AND a.parent_id IS NOT NULL
			UNION ALL
			SELECT up.id, a.parent_id, up.depth + 1 FROM up JOIN annotations a ON a.id = up.ancestor WHERE a.parent_id IS NOT NULL)
		SELECT up.id, h.author_id, h.visibility, COALESCE(h.group_id, 0), h.hidden_at IS NOT NULL
		FROM up JOIN annotations h ON h.id = up.ancestor ORDER BY up.id, up.depth`, collectionID)
	if err != nil {
		return fmt.Errorf("db: threads of %d: %w", collectionID, err)
	}
	if err := core.EachRow(rows, func(r *sql.Rows) error {
		var id int64
		var t db.ThreadItem
		if err := r.Scan(&id, &t.AuthorID, &t.Visibility, &t.GroupID, &t.Hidden); err != nil {
			return err
		}
		chains[id] = append(chains[id], t)
		if t.Hidden {
			byID[id].Hidden = true
		}
		return nil
	}); err != nil {
		return err
	}
	rows, err = store.Query(ctx, `SELECT cia.item_id, cia.annotation_id FROM collection_item_annotations cia
		JOIN collection_items ci ON ci.id = cia.item_id WHERE ci.collection_id = ? ORDER BY cia.item_id, cia.position`, collectionID)
	if err != nil {
		return fmt.Errorf("db: chosen annotations of %d: %w", collectionID, err)
	}
	return core.EachRow(rows, func(r *sql.Rows) error {
		var itemID, annID int64
		if err := r.Scan(&itemID, &annID); err != nil {
			return err
		}
		if a, it := byID[annID], items[itemID]; a != nil && it != nil && keep(chains[annID]) {
			it.Annotations = append(it.Annotations, a)
		}
		return nil
	})
}

// linkShowsGroup reports whether the collection's share link shows its
// group's annotations: it is shared, kept in a group, and the person who
// made the link owns that group (SharedLinkShows).
func linkShowsGroup(ctx context.Context, q core.Querier, c db.Collection) (bool, error) {
	if !c.Shared || c.GroupID == 0 || c.SharedBy == 0 {
		return false, nil
	}
	var role db.Role
	err := q.QueryRowContext(ctx, `SELECT role FROM group_members WHERE group_id = ? AND user_id = ?`, c.GroupID, c.SharedBy).Scan(&role)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("db: shared collection publisher: %w", err)
	}
	return role == db.RoleOwner, nil
}

// mayChoose checks that the viewer may choose these annotations for the
// collection, as its share link stands (Viewer.ChooseForLink).
func mayChoose(ctx context.Context, tx *sql.Tx, v db.Viewer, c db.Collection, chosen []*db.Annotation) error {
	shows, err := linkShowsGroup(ctx, tx, c)
	if err != nil || !shows {
		return err
	}
	for _, a := range chosen {
		if err := v.ChooseForLink(a.AuthorID, a.Visibility, a.GroupID, c.GroupID, shows); err != nil {
			return err
		}
	}
	return nil
}

// editable loads a collection in a write transaction and checks that the
// viewer may change it.
func editable(ctx context.Context, tx *sql.Tx, v db.Viewer, id int64) (db.Collection, error) {
	if err := v.RequireSignIn(); err != nil {
		return db.Collection{}, err
	}
	c, err := collectionByID(ctx, tx, id)
	if err != nil {
		return c, err
	}
	return c, v.EditCollection(c.Access())
}

// editableNow checks, outside a transaction, that the viewer may change
// the collection, so that a refusal comes before any other complaint.
func (store *Curation) editableNow(ctx context.Context, v db.Viewer, id int64) (db.Collection, error) {
	if err := v.RequireSignIn(); err != nil {
		return db.Collection{}, err
	}
	c, err := collectionByID(ctx, store.Reads(ctx), id)
	if err != nil {
		return c, err
	}
	return c, v.EditCollection(c.Access())
}

func (store *Curation) touchCollection(ctx context.Context, tx *sql.Tx, v db.Viewer, id int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE collections SET updated_at = ? WHERE id = ?`, store.NowText(), id); err != nil {
		return err
	}
	return store.changed(ctx, tx, v)
}

// changed stores the event that a collection changed: pages kept whole
// (a share link's) are read again.
func (store *Curation) changed(ctx context.Context, tx *sql.Tx, v db.Viewer) error {
	return store.AppendEvent(ctx, tx, db.Event{Kind: db.CollectionChanged, UserID: v.UserID, ActorID: v.UserID})
}

// CreateCollection makes a collection owned by the viewer.
func (store *Curation) CreateCollection(ctx context.Context, v db.Viewer, in db.CollectionInput) (int64, error) {
	id, _, err := store.createCollection(ctx, v, in, nil)
	return id, err
}

// CreateCollectionWith makes a collection owned by the viewer with a first
// item, in one transaction: nothing is made when either is refused.
func (store *Curation) CreateCollectionWith(ctx context.Context, v db.Viewer, in db.CollectionInput, item db.ItemInput) (int64, db.AddedItem, error) {
	return store.createCollection(ctx, v, in, &item)
}

func (store *Curation) createCollection(ctx context.Context, v db.Viewer, in db.CollectionInput, first *db.ItemInput) (int64, db.AddedItem, error) {
	title, intro, groupID, names, err := in.Clean()
	if err != nil {
		return 0, db.AddedItem{}, err
	}
	if err := v.PlaceCollection(groupID); err != nil {
		return 0, db.AddedItem{}, err
	}
	var it *db.CollectionItem
	if first != nil {
		if it, err = store.NewItem(ctx, v, *first); err != nil {
			return 0, db.AddedItem{}, err
		}
	}
	var id int64
	err = store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		now := store.NowText()
		var err error
		id, err = InsertCollection(ctx, tx, db.Collection{OwnerID: v.UserID, GroupID: groupID, Title: title, Intro: intro, Names: names}, now)
		if err != nil || it == nil {
			return err
		}
		return InsertItem(ctx, tx, id, it, now)
	})
	return id, added(it), err
}

func InsertCollection(ctx context.Context, tx *sql.Tx, c db.Collection, now string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO collections (owner_id, group_id, title, intro, intro_html, names, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.OwnerID, core.NullID(c.GroupID), c.Title, c.Intro, markdown.HTML(c.Intro), c.Names, now, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("db: create collection: %w", err)
	}
	return id, nil
}

// UpdateCollection changes the title, introduction, naming and group. Only
// the owner moves a collection between groups.
func (store *Curation) UpdateCollection(ctx context.Context, v db.Viewer, id int64, in db.CollectionInput) error {
	return store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		c, err := editable(ctx, tx, v, id)
		if err != nil {
			return err
		}
		title, intro, groupID, names, err := in.Clean()
		if err != nil {
			return err
		}
		if groupID != c.GroupID {
			if v.UserID != c.OwnerID {
				return db.Errorf(db.EFORBIDDEN, "Only the collection's owner can move it to another group.")
			}
			if err := v.PlaceCollection(groupID); err != nil {
				return err
			}
		}
		if _, err = tx.ExecContext(ctx, `UPDATE collections SET title = ?, intro = ?, intro_html = ?, names = ?, group_id = ?, updated_at = ? WHERE id = ?`,
			title, intro, markdown.HTML(intro), names, core.NullID(groupID), store.NowText(), id); err != nil {
			return err
		}
		return store.changed(ctx, tx, v)
	})
}

// DeleteCollection removes a collection; only its owner may.
func (store *Curation) DeleteCollection(ctx context.Context, v db.Viewer, id int64) (db.Collection, error) {
	var c db.Collection
	err := store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var err error
		if c, err = editable(ctx, tx, v, id); err != nil {
			return err
		}
		if err := v.EditOwn(c.OwnerID); err != nil {
			return db.Errorf(db.EFORBIDDEN, "Only the collection's owner can delete it.")
		}
		if _, err = tx.ExecContext(ctx, `DELETE FROM collections WHERE id = ?`, id); err != nil {
			return err
		}
		return store.changed(ctx, tx, v)
	})
	return c, err
}

// DuplicateCollection copies a collection the viewer may see into a new one
// they own: in the same group when they may keep one there, else personal.
// It copies the chosen annotations the viewer may read, and never the
// share link.
func (store *Curation) DuplicateCollection(ctx context.Context, v db.Viewer, id int64) (int64, error) {
	c, err := store.CollectionByID(ctx, v, id)
	if err != nil {
		return 0, err
	}
	groupID := c.GroupID
	if v.PlaceCollection(groupID) != nil {
		groupID = 0
	}
	title := "Copy of " + c.Title
	if r := []rune(title); len(r) > db.MaxCollectionTitleLen {
		title = string(r[:db.MaxCollectionTitleLen])
	}
	var newID int64
	err = store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		now := store.NowText()
		var err error
		newID, err = InsertCollection(ctx, tx, db.Collection{OwnerID: v.UserID, GroupID: groupID, Title: title, Intro: c.Intro, Names: c.Names}, now)
		if err != nil {
			return err
		}
		for _, it := range c.Items {
			if err := InsertItem(ctx, tx, newID, it, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("db: duplicate collection %d: %w", id, err)
	}
	return newID, nil
}

// InsertItem appends an item, with its chosen annotations, at the end of a
// collection.
func InsertItem(ctx context.Context, tx *sql.Tx, collectionID int64, it *db.CollectionItem, now string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM collection_items WHERE collection_id = ?`, collectionID).Scan(&n); err != nil {
		return err
	}
	if n >= db.MaxCollectionItems {
		return db.Errorf(db.EINVALID, "A collection holds at most %d items: start another one.", db.MaxCollectionItems)
	}
	var revision, start, end, exact, prefix, suffix any
	if it.Kind == db.ItemPassage {
		revision, start, end = it.RevisionID, it.Selector.Start, it.Selector.End
		exact, prefix, suffix = it.Selector.Exact, it.Selector.Prefix, it.Selector.Suffix
	}
	err := tx.QueryRowContext(ctx, `
		INSERT INTO collection_items (collection_id, position, kind, article_id, heading, commentary, commentary_html,
		    revision_id, pos_start, pos_end, exact, prefix, suffix, created_at)
		VALUES (?, (SELECT COALESCE(MAX(position), 0) + 1 FROM collection_items WHERE collection_id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		collectionID, collectionID, it.Kind, core.NullID(it.Source.ArticleID), it.Heading, it.Commentary, markdown.HTML(it.Commentary),
		revision, start, end, exact, prefix, suffix, now).Scan(&it.ID)
	if err != nil {
		return fmt.Errorf("db: add item: %w", err)
	}
	for i, a := range it.Annotations {
		if _, err := tx.ExecContext(ctx, `INSERT INTO collection_item_annotations (item_id, annotation_id, position) VALUES (?, ?, ?)`,
			it.ID, a.ID, i+1); err != nil {
			return fmt.Errorf("db: choose annotation: %w", err)
		}
	}
	return nil
}

// AddItem appends an item to a collection the viewer may change.
func (store *Curation) AddItem(ctx context.Context, v db.Viewer, collectionID int64, in db.ItemInput) (db.AddedItem, error) {
	if _, err := store.editableNow(ctx, v, collectionID); err != nil {
		return db.AddedItem{}, err
	}
	it, err := store.NewItem(ctx, v, in)
	if err != nil {
		return db.AddedItem{}, err
	}
	err = store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		c, err := editable(ctx, tx, v, collectionID)
		if err != nil {
			return err
		}
		if err := mayChoose(ctx, tx, v, c, it.Annotations); err != nil {
			return err
		}
		if err := InsertItem(ctx, tx, collectionID, it, store.NowText()); err != nil {
			return err
		}
		return store.touchCollection(ctx, tx, v, collectionID)
	})
	return added(it), err
}

func added(it *db.CollectionItem) db.AddedItem {
	if it == nil {
		return db.AddedItem{}
	}
	out := db.AddedItem{ID: it.ID}
	for _, a := range it.Annotations {
		out.PrivateChosen = out.PrivateChosen || a.Visibility == db.Private
	}
	return out
}

// NewItem validates an ItemInput into an item, reading what it refers to
// as the viewer sees it.
func (store *Curation) NewItem(ctx context.Context, v db.Viewer, in db.ItemInput) (*db.CollectionItem, error) {
	it := &db.CollectionItem{Kind: db.ItemKind(in.Kind)}
	var err error
	if it.Heading, err = db.CleanText("The heading", in.Heading, 0, db.MaxHeadingLen, false); err != nil {
		return nil, err
	}
	if it.Commentary, err = db.CleanText("The commentary", in.Commentary, 0, db.MaxCommentLen, true); err != nil {
		return nil, err
	}
	switch {
	case in.AnnotationID != 0:
		it.Kind = db.ItemPassage
		a, err := store.AnnotationByID(ctx, v, in.AnnotationID)
		if err != nil {
			return nil, err
		}
		// A reply is shown under its thread's passage, after the
		// annotation it answers.
		root := a
		for root.ParentID != 0 {
			if root, err = store.AnnotationByID(ctx, v, root.ParentID); err != nil {
				return nil, err
			}
		}
		it.Source.ArticleID, it.RevisionID, it.Selector = root.ArticleID, root.RevisionID, root.Selector
		it.Annotations = []*db.Annotation{&root}
		if a.ID != root.ID {
			it.Annotations = append(it.Annotations, &a)
		}
	case it.Kind == db.ItemArticle || it.Kind == db.ItemPassage:
		art, err := store.ArticleBySlug(ctx, in.ArticleSlug)
		if db.ErrorCode(err) == db.ENOTFOUND {
			// A mistyped address: a form to correct, not a missing page.
			return nil, db.Errorf(db.EINVALID, "There is no article %q in the library: check its address, or add it from its page.", in.ArticleSlug)
		}
		if err != nil {
			return nil, err
		}
		it.Source.ArticleID = art.ID
		if it.Kind == db.ItemPassage {
			if !utf8.ValidString(in.Exact + in.Prefix + in.Suffix) {
				return nil, db.Errorf(db.EINVALID, "The passage contains characters that are not valid text.")
			}
			sel, err := db.ResolveTarget(art.Body, db.AnnotationInput{Start: in.Start, End: in.End, Exact: in.Exact, Prefix: in.Prefix, Suffix: in.Suffix})
			if err != nil {
				return nil, err
			}
			if utf8.RuneCountInString(sel.Exact) > db.MaxQuoteLen {
				return nil, db.Errorf(db.EINVALID, "The passage is longer than %d characters: choose a shorter one.", db.MaxQuoteLen)
			}
			it.RevisionID, it.Selector = art.RevisionID, sel
		}
	case it.Kind == db.ItemText:
		if it.Heading == "" && it.Commentary == "" {
			return nil, db.Errorf(db.EINVALID, "Write a heading or some commentary.")
		}
	default:
		return nil, db.Errorf(db.EINVALID, "Choose what to add: a whole article, a passage, or a heading and commentary.")
	}
	return it, nil
}

// UpdateItem changes an item's heading, commentary and chosen annotations.
// Chosen annotations the editor cannot see (another editor's private
// ones) stay chosen: an editor changes only what they can see.
func (store *Curation) UpdateItem(ctx context.Context, v db.Viewer, collectionID, itemID int64, in db.ItemUpdate) error {
	return store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		c, err := editable(ctx, tx, v, collectionID)
		if err != nil {
			return err
		}
		heading, err := db.CleanText("The heading", in.Heading, 0, db.MaxHeadingLen, false)
		if err != nil {
			return err
		}
		commentary, err := db.CleanText("The commentary", in.Commentary, 0, db.MaxCommentLen, true)
		if err != nil {
			return err
		}
		var kind db.ItemKind
		var articleID int64
		err = tx.QueryRowContext(ctx, `SELECT kind, COALESCE(article_id, 0) FROM collection_items WHERE id = ? AND collection_id = ?`,
			itemID, collectionID).Scan(&kind, &articleID)
		if errors.Is(err, sql.ErrNoRows) {
			return errNoSuchItem
		} else if err != nil {
			return err
		}
		if kind == db.ItemText && heading == "" && commentary == "" {
			return db.Errorf(db.EINVALID, "Write a heading or some commentary, or remove this item.")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE collection_items SET heading = ?, commentary = ?, commentary_html = ? WHERE id = ?`,
			heading, commentary, markdown.HTML(commentary), itemID); err != nil {
			return err
		}
		if in.Choose && kind == db.ItemPassage {
			if err := store.chooseAnnotations(ctx, tx, v, c, itemID, articleID, in.Annotations); err != nil {
				return err
			}
		}
		return store.touchCollection(ctx, tx, v, collectionID)
	})
}

var errNoSuchItem = db.Errorf(db.ENOTFOUND, "There is no such item in this collection.")

func (store *Curation) chooseAnnotations(ctx context.Context, tx *sql.Tx, v db.Viewer, c db.Collection, itemID, articleID int64, wanted []int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT annotation_id FROM collection_item_annotations WHERE item_id = ? ORDER BY position`, itemID)
	if err != nil {
		return err
	}
	before, err := core.ScanColumn[int64](rows)
	if err != nil {
		return err
	}
	var after []int64
	var added []*db.Annotation // newly chosen, checked against the share link
	seen := map[int64]bool{}
	for _, id := range wanted {
		if seen[id] {
			continue
		}
		seen[id] = true
		a, err := store.AnnotationByID(ctx, v, id)
		if err != nil {
			return err
		}
		if a.ArticleID != articleID {
			return db.Errorf(db.EINVALID, "Annotation %d is on another article than this passage.", id)
		}
		if !slices.Contains(before, id) {
			added = append(added, &a)
		}
		after = append(after, id)
	}
	if err := mayChoose(ctx, tx, v, c, added); err != nil {
		return err
	}
	for _, id := range before {
		if seen[id] {
			continue
		}
		if _, err := store.AnnotationByID(ctx, v, id); db.ErrorCode(err) == db.ENOTFOUND {
			after = append(after, id) // not the editor's to drop
		} else if err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM collection_item_annotations WHERE item_id = ?`, itemID); err != nil {
		return err
	}
	for i, id := range after {
		if _, err := tx.ExecContext(ctx, `INSERT INTO collection_item_annotations (item_id, annotation_id, position) VALUES (?, ?, ?)`,
			itemID, id, i+1); err != nil {
			return err
		}
	}
	return nil
}

// itemOrder is a collection's item ids in order.
func itemOrder(ctx context.Context, tx *sql.Tx, collectionID int64) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM collection_items WHERE collection_id = ? ORDER BY position, id`, collectionID)
	if err != nil {
		return nil, err
	}
	return core.ScanColumn[int64](rows)
}

func setOrder(ctx context.Context, tx *sql.Tx, ids []int64) error {
	for i, id := range ids {
		if _, err := tx.ExecContext(ctx, `UPDATE collection_items SET position = ? WHERE id = ?`, i+1, id); err != nil {
			return err
		}
	}
	return nil
}

// MoveItem moves an item by delta places (-1 up, +1 down), within bounds,
// and returns its new position.
func (store *Curation) MoveItem(ctx context.Context, v db.Viewer, collectionID, itemID int64, delta int) (int, error) {
	pos := 0
	err := store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := editable(ctx, tx, v, collectionID); err != nil {
			return err
		}
		ids, err := itemOrder(ctx, tx, collectionID)
		if err != nil {
			return err
		}
		i := indexOf(ids, itemID)
		if i < 0 {
			return errNoSuchItem
		}
		j := min(max(i+delta, 0), len(ids)-1)
		item := ids[i]
		ids = append(ids[:i], ids[i+1:]...)
		ids = append(ids[:j], append([]int64{item}, ids[j:]...)...)
		pos = j + 1
		if err := setOrder(ctx, tx, ids); err != nil {
			return err
		}
		return store.touchCollection(ctx, tx, v, collectionID)
	})
	return pos, err
}

// ReorderItems puts a collection's items in the given order, which must
// name each of them once (else the page was stale: ECONFLICT).
func (store *Curation) ReorderItems(ctx context.Context, v db.Viewer, collectionID int64, order []int64) error {
	return store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := editable(ctx, tx, v, collectionID); err != nil {
			return err
		}
		ids, err := itemOrder(ctx, tx, collectionID)
		if err != nil {
			return err
		}
		same := len(ids) == len(order)
		seen := map[int64]bool{}
		for _, id := range order {
			if seen[id] || indexOf(ids, id) < 0 {
				same = false
			}
			seen[id] = true
		}
		if !same {
			return db.Errorf(db.ECONFLICT, "The collection changed since this page was loaded: reload it and try again.")
		}
		if err := setOrder(ctx, tx, order); err != nil {
			return err
		}
		return store.touchCollection(ctx, tx, v, collectionID)
	})
}

// RemoveItem takes an item out of a collection.
func (store *Curation) RemoveItem(ctx context.Context, v db.Viewer, collectionID, itemID int64) error {
	return store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := editable(ctx, tx, v, collectionID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM collection_items WHERE id = ? AND collection_id = ?`, itemID, collectionID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errNoSuchItem
		}
		ids, err := itemOrder(ctx, tx, collectionID)
		if err != nil {
			return err
		}
		if err := setOrder(ctx, tx, ids); err != nil {
			return err
		}
		return store.touchCollection(ctx, tx, v, collectionID)
	})
}

func indexOf(ids []int64, id int64) int {
	for i, x := range ids {
		if x == id {
			return i
		}
	}
	return -1
}

// ShareCollection publishes a collection at a new share link and returns
// its token (shown once: only its hash is kept). An earlier link stops
// working: sharing again rotates the link.
func (store *Curation) ShareCollection(ctx context.Context, v db.Viewer, id int64) (string, error) {
	raw, hash := db.NewSecret(db.ShareTokenPrefix)
	err := store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := editable(ctx, tx, v, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE collections SET share_hash = ?, shared_by = ?, shared_at = ? WHERE id = ?`,
			hash, v.UserID, store.NowText(), id); err != nil {
			return err
		}
		return store.changed(ctx, tx, v)
	})
	if err != nil {
		return "", err
	}
	return raw, nil
}

// UnshareCollection withdraws the share link.
func (store *Curation) UnshareCollection(ctx context.Context, v db.Viewer, id int64) error {
	return store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := editable(ctx, tx, v, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE collections SET share_hash = NULL, shared_by = NULL, shared_at = NULL WHERE id = ?`, id); err != nil {
			return err
		}
		return store.changed(ctx, tx, v)
	})
}

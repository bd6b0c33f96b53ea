package content

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"gloss/db"
	"gloss/db/anchor"
	"gloss/db/sqlstore/internal/core"
)

// CreateAnnotation anchors and stores a new annotation on an article's
// current revision. Offsets are never trusted: the quote must be at them,
// or is found in the text, or the annotation is refused.
//
// The anchoring (and the Markdown) is done before the write transaction,
// on the current revision as a reader sees it, so the single writer is not
// held for it; the transaction only checks that the revision is still the
// current one, and anchors again inside it when it is not (a new revision
// arrived meanwhile) or when the first try failed.
func (store *Content) CreateAnnotation(ctx context.Context, v db.Viewer, articleID int64, in db.AnnotationInput) (db.Annotation, error) {
	id, err := store.addAnnotation(ctx, v, articleID, in, nil)
	if err != nil {
		return db.Annotation{}, err
	}
	return store.AnnotationByID(ctx, v, id)
}

// addAnnotation is CreateAnnotation returning only the new id; also, when
// not nil, stores more in the same transaction (an annotation's kind).
func (store *Content) addAnnotation(ctx context.Context, v db.Viewer, articleID int64, in db.AnnotationInput, also func(ctx context.Context, tx *sql.Tx, id int64) error) (int64, error) {
	d, err := db.PrepareAnnotation(v, in)
	if err != nil {
		return 0, err
	}
	var sel anchor.Selector
	rev, err := store.currentTextRead(ctx, articleID)
	if err == nil {
		sel, err = db.ResolveTarget(rev.Text, in)
	}
	if err != nil {
		rev.id = 0 // anchor inside the transaction, which has the last word
	}
	var id int64
	err = store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var cur int64
		err := store.Stmt(ctx, tx, qCurrentRevisionID).QueryRowContext(ctx, articleID).Scan(&cur)
		if errors.Is(err, sql.ErrNoRows) {
			return db.Errorf(db.ENOTFOUND, "There is no such article.")
		} else if err != nil {
			return err
		}
		at, revID := sel, rev.id
		if cur != rev.id {
			r, err := CurrentText(ctx, tx, articleID)
			if err != nil {
				return err
			}
			if at, err = db.ResolveTarget(r.Text, in); err != nil {
				return err
			}
			revID = r.id
		}
		if id, err = store.storeAnnotation(ctx, tx, v, articleID, revID, at, d); err != nil {
			return err
		}
		if also != nil {
			if err := also(ctx, tx, id); err != nil {
				return err
			}
		}
		return store.rememberAudience(ctx, tx, v, d.Vis, d.GroupID)
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// The statements of an annotation's creation, prepared once (stmt.go).
var (
	qCurrentRevisionID = core.WriteStatement(`SELECT id FROM article_revisions WHERE article_id = ? ORDER BY number DESC LIMIT 1`)
	qNextAnnotationID  = core.WriteStatement(`UPDATE id_counters SET last = CASE WHEN last >= (SELECT COALESCE(MAX(id), 0) FROM annotations)
		THEN last ELSE (SELECT COALESCE(MAX(id), 0) FROM annotations) END + 1
		WHERE name = 'annotations' RETURNING last`)
	qInsertAnnotation = core.WriteStatement(`
		INSERT INTO annotations (id, article_id, author_id, body, body_html, visibility, group_id,
		    revision_id, pos_start, pos_end, exact, prefix, suffix,
		    anchor_revision_id, anchor_start, anchor_end, anchor_status, created_at, updated_at, canonical, via)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'anchored', ?, ?, ?, ?)`)
	qRememberAudience = core.WriteStatement(`UPDATE users SET last_visibility = ?, last_group_id = ?
		WHERE id = ? AND (last_visibility IS NOT ? OR last_group_id IS NOT ?)`)
)

// rememberAudience makes an annotation's or note's audience the author's
// default for the next one (a no-op write when it already is). Public is
// never remembered: it is chosen for each save, so a quick highlight after
// a public comment does not become public unasked.
func (store *Content) rememberAudience(ctx context.Context, tx *sql.Tx, v db.Viewer, vis db.Visibility, groupID int64) error {
	if vis == db.Public {
		return nil
	}
	_, err := store.Stmt(ctx, tx, qRememberAudience).ExecContext(ctx, vis, core.NullID(groupID), v.UserID, vis, core.NullID(groupID))
	return err
}

// RevisionText is an article's current revision.
type RevisionText struct {
	id     int64
	Text   string
	Sha256 string
}

// CurrentText reads an article's current revision inside tx.
func CurrentText(ctx context.Context, tx *sql.Tx, articleID int64) (RevisionText, error) {
	var r RevisionText
	err := tx.QueryRowContext(ctx, `SELECT id, body, sha256 FROM article_revisions WHERE article_id = ? ORDER BY number DESC LIMIT 1`, articleID).Scan(&r.id, &r.Text, &r.Sha256)
	if errors.Is(err, sql.ErrNoRows) {
		return r, db.Errorf(db.ENOTFOUND, "There is no such article.")
	}
	return r, err
}

// currentTextRead reads an article's current revision through the read
// pool (outside any write transaction).
func (store *Content) currentTextRead(ctx context.Context, articleID int64) (RevisionText, error) {
	var r RevisionText
	err := store.QueryRow(ctx, `SELECT id, body, sha256 FROM article_revisions WHERE article_id = ? ORDER BY number DESC LIMIT 1`, articleID).Scan(&r.id, &r.Text, &r.Sha256)
	if errors.Is(err, sql.ErrNoRows) {
		return r, db.Errorf(db.ENOTFOUND, "There is no such article.")
	}
	return r, err
}

// InsertAnnotation anchors a prepared annotation on rev and stores it with
// its tags, inside tx.
func (store *Content) InsertAnnotation(ctx context.Context, tx *sql.Tx, v db.Viewer, articleID int64, rev RevisionText, in db.AnnotationInput, d db.AnnotationDraft) (int64, error) {
	sel, err := db.ResolveTarget(rev.Text, in)
	if err != nil {
		return 0, err
	}
	return store.storeAnnotation(ctx, tx, v, articleID, rev.id, sel, d)
}

// storeAnnotation stores a prepared annotation anchored at sel on
// revision revID, with its tags, inside tx.
func (store *Content) storeAnnotation(ctx context.Context, tx *sql.Tx, v db.Viewer, articleID, revID int64, sel anchor.Selector, d db.AnnotationDraft) (int64, error) {
	now := store.NowText()
	chain := []db.ThreadItem{{AuthorID: v.UserID, Visibility: d.Vis, GroupID: d.GroupID}}
	mentions, err := resolveMentions(ctx, tx, v.UserID, d.Body, chain)
	if err != nil {
		return 0, err
	}
	if len(mentions) > 0 {
		d.HTML = mentionHTML(d.Body, mentions)
	}
	id, err := store.nextAnnotationID(ctx, tx)
	if err != nil {
		return 0, err
	}
	if _, err := store.Stmt(ctx, tx, qInsertAnnotation).ExecContext(ctx,
		id, articleID, v.UserID, d.Body, d.HTML, d.Vis, core.NullID(d.GroupID),
		revID, sel.Start, sel.End, sel.Exact, sel.Prefix, sel.Suffix,
		revID, sel.Start, sel.End, now, now, nullString(d.From.Canonical), nullString(d.From.Via)); err != nil {
		return 0, fmt.Errorf("db: create annotation: %w", err)
	}
	if err := store.setAnnotationTags(ctx, tx, id, d.Tags); err != nil {
		return 0, err
	}
	e := db.Event{Kind: db.AnnotationCreated, ArticleID: articleID, AnnotationID: id, ActorID: v.UserID, Audience: chain}
	n := notice{actorID: v.UserID, articleID: articleID, annotationID: id, threadID: id, chain: chain}
	if d.Vis == db.Shared {
		e.GroupID, n.groupID = d.GroupID, d.GroupID
	}
	if err := store.recordMentions(ctx, tx, n, mentions); err != nil {
		return 0, err
	}
	if n.groupID != 0 {
		n.kind = db.NotifyGroupAnnotation
		if err := store.notifyFollowers(ctx, tx, n); err != nil {
			return 0, err
		}
	}
	return id, store.AppendEvent(ctx, tx, e)
}

// nextAnnotationID takes the next annotation id, never one used before
// (ids are public IRIs; see migration 0006).
func (store *Content) nextAnnotationID(ctx context.Context, tx *sql.Tx) (int64, error) {
	var id int64
	err := store.Stmt(ctx, tx, qNextAnnotationID).QueryRowContext(ctx).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("db: next annotation id: %w", err)
	}
	return id, nil
}

// AnnotationSelect reads annotations with their author, group and article.
const AnnotationSelect = `
	SELECT a.id, a.article_id, ar.slug, ar.title, a.author_id, u.name, COALESCE(a.parent_id, 0),
	       a.body, a.body_html, a.visibility, COALESCE(a.group_id, 0), COALESCE(g.name, ''),
	       COALESCE(a.revision_id, 0), COALESCE(a.pos_start, 0), COALESCE(a.pos_end, 0),
	       COALESCE(a.exact, ''), COALESCE(a.prefix, ''), COALESCE(a.suffix, ''),
	       COALESCE(a.anchor_start, 0), COALESCE(a.anchor_end, 0), COALESCE(a.anchor_status, ''),
	       a.hidden_at IS NOT NULL, a.created_at, a.updated_at, COALESCE(a.canonical, ''), COALESCE(a.via, '')
	FROM annotations a
	JOIN users u ON u.id = a.author_id
	JOIN articles ar ON ar.id = a.article_id
	LEFT JOIN groups g ON g.id = a.group_id`

func ScanAnnotation(row interface{ Scan(...any) error }) (*db.Annotation, error) {
	a := &db.Annotation{}
	var created, updated, status string
	err := row.Scan(&a.ID, &a.ArticleID, &a.ArticleSlug, &a.ArticleTitle, &a.AuthorID, &a.AuthorName, &a.ParentID,
		&a.Body, &a.BodyHTML, &a.Visibility, &a.GroupID, &a.GroupName,
		&a.RevisionID, &a.Selector.Start, &a.Selector.End, &a.Selector.Exact, &a.Selector.Prefix, &a.Selector.Suffix,
		&a.Anchor.Start, &a.Anchor.End, &status, &a.Hidden, &created, &updated, &a.Canonical, &a.Via)
	a.Anchor.Status = anchor.Status(status)
	a.CreatedAt, a.UpdatedAt = core.ParseTime(created), core.ParseTime(updated)
	return a, err
}

// AnnotationByID returns one annotation the viewer may see (ENOTFOUND
// otherwise: what you may not see does not exist for you).
func (store *Content) AnnotationByID(ctx context.Context, v db.Viewer, id int64) (db.Annotation, error) {
	cond, args := core.VisibleWhere(v, "a")
	a, err := ScanAnnotation(store.QueryRow(ctx, AnnotationSelect+` WHERE a.id = ? AND `+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return db.Annotation{}, db.Errorf(db.ENOTFOUND, "There is no such annotation, or you may not see it.")
	} else if err != nil {
		return db.Annotation{}, fmt.Errorf("db: annotation %d: %w", id, err)
	}
	if err := store.LoadTags(ctx, []*db.Annotation{a}); err != nil {
		return db.Annotation{}, err
	}
	return *a, nil
}

// ArticleAnnotations returns the top-level annotations on an article that
// the viewer may see, in text order, each with its visible replies
// threaded beneath it. Orphans come last.
func (store *Content) ArticleAnnotations(ctx context.Context, v db.Viewer, articleID int64, f db.AnnotationFilter) ([]*db.Annotation, error) {
	cond, args := annotationFilterSQL(v, articleID, f)
	rows, err := store.Query(ctx, AnnotationSelect+` WHERE `+cond+` ORDER BY a.created_at, a.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("db: annotations of %d: %w", articleID, err)
	}
	return store.threads(ctx, rows)
}

// threads reads annotations (AnnotationSelect's columns) with their tags
// and hangs them in threads (Thread).
func (store *Content) threads(ctx context.Context, rows *sql.Rows) ([]*db.Annotation, error) {
	all, err := core.ScanAll(rows, ScanAnnotation)
	if err != nil {
		return nil, err
	}
	if err := store.LoadTags(ctx, all); err != nil {
		return nil, err
	}
	return Thread(all), nil
}

// Thread hangs replies under their parents (dropping replies whose parent
// the viewer cannot see) and sorts the top level in text order.
func Thread(all []*db.Annotation) []*db.Annotation {
	byID := make(map[int64]*db.Annotation, len(all))
	for _, a := range all {
		byID[a.ID] = a
	}
	var roots []*db.Annotation
	for _, a := range all {
		if a.ParentID == 0 {
			roots = append(roots, a)
		} else if p, ok := byID[a.ParentID]; ok {
			p.Replies = append(p.Replies, a)
		}
	}
	sort.SliceStable(roots, func(i, j int) bool {
		oi, oj := roots[i].Anchor.Status == anchor.Orphaned, roots[j].Anchor.Status == anchor.Orphaned
		if oi != oj {
			return oj
		}
		if roots[i].Anchor.Start != roots[j].Anchor.Start {
			return roots[i].Anchor.Start < roots[j].Anchor.Start
		}
		return roots[i].Anchor.End > roots[j].Anchor.End
	})
	return roots
}

// LoadTags fills Tags for the given annotations in one query.
func (store *Content) LoadTags(ctx context.Context, list []*db.Annotation) error {
	if len(list) == 0 {
		return nil
	}
	byID := make(map[int64]*db.Annotation, len(list))
	args := make([]any, 0, len(list))
	for _, a := range list {
		byID[a.ID] = a
		args = append(args, a.ID)
	}
	// SQLite allows 32766 parameters; an article's annotations stay far below.
	q := `SELECT at.annotation_id, t.name FROM annotation_tags at JOIN tags t ON t.id = at.tag_id
		WHERE at.annotation_id IN (` + core.Placeholders(len(list)) + `) ORDER BY t.name`
	query := store.Reads(ctx).QueryContext
	if len(list) == 1 {
		query = store.Query // one annotation's tags: a statement worth keeping
	}
	rows, err := query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("db: annotation tags: %w", err)
	}
	return core.EachRow(rows, func(r *sql.Rows) error {
		var id int64
		var name string
		if err := r.Scan(&id, &name); err != nil {
			return err
		}
		byID[id].Tags = append(byID[id].Tags, name)
		return nil
	})
}

// CreateReply answers an annotation the viewer can read (in a thread none
// of whose annotations is hidden from them: a member cannot reply into a
// thread an owner hid). A reply takes the narrowest audience in its thread
// (ReplyAudience), and keeps it: it is never shown to more people than
// that, even if the thread is later widened.
func (store *Content) CreateReply(ctx context.Context, v db.Viewer, parentID int64, body string) (db.Annotation, error) {
	return store.CreateReplyFrom(ctx, v, parentID, body, db.Provenance{})
}

// CreateReplyFrom is CreateReply keeping where the reply came from (the
// protocol's canonical and via).
func (store *Content) CreateReplyFrom(ctx context.Context, v db.Viewer, parentID int64, body string, from db.Provenance) (db.Annotation, error) {
	if err := from.Check(); err != nil {
		return db.Annotation{}, err
	}
	parent, err := store.AnnotationByID(ctx, v, parentID)
	if err != nil {
		return db.Annotation{}, err
	}
	if parent.Visibility, parent.GroupID, err = store.ReplyAudience(ctx, parent.ID); err != nil {
		return db.Annotation{}, err
	}
	if body, err = db.PrepareReply(v, &parent, body); err != nil {
		return db.Annotation{}, err
	}
	var id int64
	err = store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		id, err = store.InsertReply(ctx, tx, v, &parent, body, from)
		return err
	})
	if err != nil {
		return db.Annotation{}, fmt.Errorf("db: reply: %w", err)
	}
	return store.AnnotationByID(ctx, v, id)
}

// ReplyAudience is the audience a reply to the annotation gets: the
// narrowest along its thread, from it up to the top (private, else the
// nearest group, else public).
func (store *Content) ReplyAudience(ctx context.Context, parentID int64) (db.Visibility, int64, error) {
	rows, err := store.Query(ctx, `
		WITH RECURSIVE up(id, depth) AS (
			SELECT CAST(? AS BIGINT), 0
			UNION ALL SELECT a.parent_id, up.depth + 1 FROM annotations a JOIN up ON a.id = up.id WHERE a.parent_id IS NOT NULL)
		SELECT h.visibility, COALESCE(h.group_id, 0) FROM up JOIN annotations h ON h.id = up.id ORDER BY up.depth`, parentID)
	if err != nil {
		return "", 0, fmt.Errorf("db: thread of %d: %w", parentID, err)
	}
	chain, err := core.ScanAll(rows, func(r core.RowScanner) (db.ThreadItem, error) {
		var t db.ThreadItem
		err := r.Scan(&t.Visibility, &t.GroupID)
		return t, err
	})
	if err != nil {
		return "", 0, err
	}
	if len(chain) == 0 {
		return "", 0, db.Errorf(db.ENOTFOUND, "There is no such annotation, or you may not see it.")
	}
	aud := chain[0]
	for _, t := range chain[1:] {
		aud = core.Narrower(aud, t)
	}
	return aud.Visibility, aud.GroupID, nil
}

// InsertReply stores a prepared reply inside tx; parent needs ID,
// ArticleID, Visibility and GroupID.
func (store *Content) InsertReply(ctx context.Context, tx *sql.Tx, v db.Viewer, parent *db.Annotation, body string, from db.Provenance) (int64, error) {
	now := store.NowText()
	up, err := core.ThreadChain(ctx, tx, parent.ID)
	if err != nil {
		return 0, err
	}
	chain := append([]db.ThreadItem{{AuthorID: v.UserID, Visibility: parent.Visibility, GroupID: parent.GroupID}}, up...)
	mentions, err := resolveMentions(ctx, tx, v.UserID, body, chain)
	if err != nil {
		return 0, err
	}
	id, err := store.nextAnnotationID(ctx, tx)
	if err != nil {
		return 0, err
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO annotations (id, article_id, author_id, parent_id, body, body_html, visibility, group_id, created_at, updated_at, canonical, via)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, parent.ArticleID, v.UserID, parent.ID, body, mentionHTML(body, mentions), parent.Visibility, core.NullID(parent.GroupID), now, now,
		nullString(from.Canonical), nullString(from.Via))
	if err != nil {
		return 0, err
	}
	root, err := threadRoot(ctx, tx, parent.ID)
	if err != nil {
		return 0, err
	}
	n := notice{actorID: v.UserID, articleID: parent.ArticleID, annotationID: id, threadID: root, chain: chain}
	if parent.Visibility == db.Shared {
		n.groupID = parent.GroupID
	}
	if err := store.recordMentions(ctx, tx, n, mentions); err != nil {
		return 0, err
	}
	// The authors of the annotation answered and of the thread's top hear
	// of the reply (unless the reply mentions them: they heard of that).
	var told []int64
	for _, t := range []db.ThreadItem{up[0], up[len(up)-1]} {
		if !slices.ContainsFunc(mentions, func(m resolvedMention) bool { return m.userID == t.AuthorID }) {
			told = append(told, t.AuthorID)
		}
	}
	n.kind = db.NotifyReply
	if err := store.notify(ctx, tx, n, told); err != nil {
		return 0, err
	}
	reply := db.Annotation{ID: id, ArticleID: parent.ArticleID, ParentID: parent.ID, Visibility: parent.Visibility, GroupID: parent.GroupID}
	return id, store.AnnotationEvent(ctx, tx, db.AnnotationCreated, reply, v.UserID, nil)
}

// threadRoot is the id of the top of an annotation's thread.
func threadRoot(ctx context.Context, q core.Querier, id int64) (int64, error) {
	var root int64
	err := q.QueryRowContext(ctx, `
		WITH RECURSIVE up(id, parent) AS (SELECT id, parent_id FROM annotations WHERE id = ?
			UNION ALL SELECT a.id, a.parent_id FROM annotations a JOIN up ON a.id = up.parent)
		SELECT id FROM up WHERE parent IS NULL`, id).Scan(&root)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, db.Errorf(db.ENOTFOUND, "There is no such annotation.")
	}
	return root, err
}

// nullString stores "" as NULL.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// UpdateAnnotation changes the author's own annotation. A reply's
// visibility follows its thread, so only its body changes; changing a
// top-level annotation's visibility carries along the author's own replies
// in its thread, and no one else's: their replies keep the audience they
// were written for, and the thread rule (policy.go) shows each reply only
// to those who may read both it and the thread, so widening a thread never
// shows someone's reply to more people than they chose.
func (store *Content) UpdateAnnotation(ctx context.Context, v db.Viewer, id int64, in db.AnnotationUpdate) (db.Annotation, error) {
	a, err := store.AnnotationByID(ctx, v, id)
	if err != nil {
		return db.Annotation{}, err
	}
	if err := v.EditOwn(a.AuthorID); err != nil {
		return db.Annotation{}, err
	}
	body, err := db.CleanBody(in.Body)
	if err != nil {
		return db.Annotation{}, db.About("body", err)
	}
	vis, groupID := a.Visibility, a.GroupID
	var tags []string
	if a.ParentID == 0 {
		if vis, groupID, err = db.Audience(in.Visibility, in.Group); err != nil {
			return db.Annotation{}, db.About("group", err)
		}
		if err := v.Write(vis, groupID); err != nil {
			return db.Annotation{}, err
		}
		if tags, err = db.ParseTags(in.Tags); err != nil {
			return db.Annotation{}, db.About("tags", err)
		}
	} else if strings.TrimSpace(body) == "" {
		return db.Annotation{}, db.FieldErrorf("body", "A reply cannot be empty: delete it instead.")
	}
	var ev *db.EvidenceDraft
	if in.Evidence != nil && a.ParentID == 0 {
		d, err := db.PrepareEvidence(*in.Evidence)
		if err != nil {
			return db.Annotation{}, err
		}
		ev = &d
	}
	err = store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) (err error) {
		prev, err := unchangedSince(ctx, tx, id, in.IfUnchangedSince)
		if err != nil {
			return err
		}
		before, err := core.ThreadChain(ctx, tx, id)
		if err != nil {
			return err
		}
		after := a
		after.Visibility, after.GroupID = vis, groupID
		// What it will be: a top-level annotation in its new audience; a
		// reply where it is.
		chain := before
		if a.ParentID == 0 && len(before) > 0 {
			chain = []db.ThreadItem{{AuthorID: a.AuthorID, Visibility: vis, GroupID: groupID, Hidden: before[0].Hidden}}
		}
		mentions, err := resolveMentions(ctx, tx, v.UserID, body, chain)
		if err != nil {
			return err
		}
		defer func() {
			if err != nil {
				return
			}
			root, rerr := threadRoot(ctx, tx, id)
			if rerr != nil {
				err = rerr
				return
			}
			n := notice{actorID: v.UserID, articleID: a.ArticleID, annotationID: id, threadID: root, chain: chain}
			if vis == db.Shared {
				n.groupID = groupID
			}
			if err = store.recordMentions(ctx, tx, n, mentions); err != nil {
				return
			}
			if err = store.touchNotified(ctx, tx, id, 0); err != nil {
				return
			}
			err = store.AnnotationEvent(ctx, tx, db.AnnotationUpdated, after, v.UserID, before)
		}()
		// Each version gets its own time, so an If-Match names one version
		// even when two changes come within a millisecond.
		now := store.NowText()
		if t := core.ParseTime(now); !t.After(prev) {
			now = prev.Add(time.Millisecond).UTC().Format(core.TimeFormat)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE annotations SET body = ?, body_html = ?, updated_at = ? WHERE id = ?`,
			body, mentionHTML(body, mentions), now, id); err != nil {
			return err
		}
		if a.ParentID != 0 {
			return nil
		}
		if err := store.setAnnotationTags(ctx, tx, id, tags); err != nil {
			return err
		}
		if ev != nil {
			if err := replaceEvidence(ctx, tx, now, id, *ev); err != nil {
				return err
			}
		}
		// The annotation and its author's own replies in the thread move to
		// the new audience; other people's replies keep theirs.
		_, err = tx.ExecContext(ctx, `
			WITH RECURSIVE thread(id) AS (SELECT CAST(? AS BIGINT) UNION ALL SELECT r.id FROM annotations r JOIN thread t ON r.parent_id = t.id)
			UPDATE annotations SET visibility = ?, group_id = ? WHERE id IN (SELECT id FROM thread) AND author_id = ?`,
			id, vis, core.NullID(groupID), a.AuthorID)
		return err
	})
	if err != nil {
		return db.Annotation{}, fmt.Errorf("db: update annotation %d: %w", id, err)
	}
	return store.AnnotationByID(ctx, v, id)
}

// DeleteAnnotation removes the author's own annotation with its replies.
func (store *Content) DeleteAnnotation(ctx context.Context, v db.Viewer, id int64) (db.Annotation, error) {
	return store.DeleteAnnotationIfUnchanged(ctx, v, id, time.Time{})
}

// DeleteAnnotationIfUnchanged is DeleteAnnotation, refused with
// EPRECONDITION when the annotation was changed after since (its UpdatedAt
// when the caller read it); a zero since deletes whatever it holds now.
func (store *Content) DeleteAnnotationIfUnchanged(ctx context.Context, v db.Viewer, id int64, since time.Time) (db.Annotation, error) {
	a, err := store.AnnotationByID(ctx, v, id)
	if err != nil {
		return a, err
	}
	if err := v.EditOwn(a.AuthorID); err != nil {
		return a, err
	}
	return a, store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := unchangedSince(ctx, tx, id, since); err != nil {
			return err
		}
		before, err := core.ThreadChain(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := store.touchNotified(ctx, tx, id, 0); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM annotations WHERE id = ?`, id); err != nil {
			return err
		}
		return store.AnnotationEvent(ctx, tx, db.AnnotationDeleted, a, v.UserID, before)
	})
}

// unchangedSince refuses, inside a write, a change to an annotation that
// was changed after since (zero: no condition), and returns when it was
// last changed. Every change of what an annotation says moves updated_at.
func unchangedSince(ctx context.Context, tx *sql.Tx, id int64, since time.Time) (time.Time, error) {
	var at string
	err := tx.QueryRowContext(ctx, `SELECT updated_at FROM annotations WHERE id = ?`, id).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, db.Errorf(db.ENOTFOUND, "There is no such annotation: it was deleted meanwhile.")
	} else if err != nil {
		return time.Time{}, err
	}
	if !since.IsZero() && !core.ParseTime(at).Equal(since) {
		return time.Time{}, db.Errorf(db.EPRECONDITION, "The annotation changed since you read it: read it again and reapply your change.")
	}
	return core.ParseTime(at), nil
}

// SetHidden hides or shows a group annotation (moderation by the group's
// owners), and logs who did it.
func (store *Content) SetHidden(ctx context.Context, v db.Viewer, id int64, hidden bool) (db.Annotation, error) {
	a, err := store.AnnotationByID(ctx, v, id)
	if err != nil {
		return a, err
	}
	if err := v.Moderate(a.Visibility, a.GroupID); err != nil {
		return a, err
	}
	action := "unhide"
	if hidden {
		action = "hide"
	}
	err = store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		now := store.NowText()
		var hiddenAt, hiddenBy any
		if hidden {
			hiddenAt, hiddenBy = now, v.UserID
		}
		before, err := core.ThreadChain(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE annotations SET hidden_at = ?, hidden_by = ? WHERE id = ?`, hiddenAt, hiddenBy, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO moderation_log (annotation_id, actor_id, action, created_at) VALUES (?, ?, ?, ?)`,
			id, v.UserID, action, now); err != nil {
			return err
		}
		kind := db.AnnotationUnhidden
		if hidden {
			kind = db.AnnotationHidden
		}
		if err := store.touchNotified(ctx, tx, id, 0); err != nil {
			return err
		}
		after, err := core.ThreadChain(ctx, tx, id)
		if err != nil {
			return err
		}
		root, err := threadRoot(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := store.notify(ctx, tx, notice{kind: db.NotifyModeration, actorID: v.UserID, articleID: a.ArticleID, groupID: a.GroupID,
			annotationID: id, threadID: root, detail: action, chain: after}, []int64{a.AuthorID}); err != nil {
			return err
		}
		return store.AnnotationEvent(ctx, tx, kind, a, v.UserID, before)
	})
	if err != nil {
		return a, fmt.Errorf("db: moderate %d: %w", id, err)
	}
	a.Hidden = hidden
	return a, nil
}

// ModerationLog lists the moderation of one annotation, oldest first.
func (store *Content) ModerationLog(ctx context.Context, annotationID int64) ([]db.ModerationEntry, error) {
	rows, err := store.Query(ctx, `SELECT m.annotation_id, COALESCE(u.name, 'a former member'), m.action, m.created_at
		FROM moderation_log m LEFT JOIN users u ON u.id = m.actor_id WHERE m.annotation_id = ? ORDER BY m.id`, annotationID)
	if err != nil {
		return nil, err
	}
	return core.ScanAll(rows, func(r core.RowScanner) (db.ModerationEntry, error) {
		var e db.ModerationEntry
		var at string
		if err := r.Scan(&e.AnnotationID, &e.ActorName, &e.Action, &at); err != nil {
			return e, err
		}
		e.At = core.ParseTime(at)
		return e, nil
	})
}

// TagAnnotations lists every top-level annotation with a tag, across the
// corpus, that the viewer may see: newest articles first, text order within.
func (store *Content) TagAnnotations(ctx context.Context, v db.Viewer, tag string) ([]*db.Annotation, error) {
	cond, args := core.VisibleWhere(v, "a")
	rows, err := store.Query(ctx, AnnotationSelect+`
		WHERE a.parent_id IS NULL AND `+cond+`
		  AND a.id IN (SELECT at.annotation_id FROM annotation_tags at JOIN tags t ON t.id = at.tag_id WHERE t.name = ?)
		ORDER BY ar.published_on DESC, ar.id, a.anchor_start, a.id`, append(args, tag)...)
	if err != nil {
		return nil, fmt.Errorf("db: tag %q: %w", tag, err)
	}
	out, err := core.ScanAll(rows, ScanAnnotation)
	if err != nil {
		return nil, err
	}
	return out, store.LoadTags(ctx, out)
}

// ArticleCounts counts, for each of the given articles, the annotations
// (replies included) and notes the viewer may see, in one query: the work is
// proportional to the listed articles' annotations, not the library's.
// Articles with nothing visible are absent from the map (zero counts).
func (store *Content) ArticleCounts(ctx context.Context, v db.Viewer, articleIDs []int64) (map[int64]db.Counts, error) {
	out := make(map[int64]db.Counts, len(articleIDs))
	if len(articleIDs) == 0 {
		return out, nil
	}
	cond, args := core.VisibleWhere(v, "a")
	ncond, nargs := core.VisibleSQL(v, "n")
	args = append(args, nargs...)
	for _, id := range articleIDs {
		args = append(args, id)
	}
	rows, err := store.Query(ctx, `
		SELECT p.id,
		       (SELECT COUNT(*) FROM annotations a WHERE a.article_id = p.id AND `+cond+`),
		       (SELECT COUNT(*) FROM notes n WHERE n.article_id = p.id AND `+ncond+`)
		FROM articles p WHERE p.id IN (`+core.Placeholders(len(articleIDs))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("db: count annotations: %w", err)
	}
	err = core.EachRow(rows, func(r *sql.Rows) error {
		var id int64
		var c db.Counts
		if err := r.Scan(&id, &c.Annotations, &c.Notes); err != nil {
			return fmt.Errorf("db: count annotations: %w", err)
		}
		if c != (db.Counts{}) {
			out[id] = c
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PreferencesOf returns the visibility a user chose last (private at first).
func (store *Content) PreferencesOf(ctx context.Context, userID int64) (db.Preferences, error) {
	var p db.Preferences
	var g sql.NullInt64
	err := store.QueryRow(ctx, `SELECT last_visibility, last_group_id FROM users WHERE id = ?`, userID).Scan(&p.Visibility, &g)
	p.GroupID = g.Int64
	if errors.Is(err, sql.ErrNoRows) {
		return db.Preferences{Visibility: db.Private}, nil
	}
	return p, err
}

// reanchor places every annotation of an article on a new revision: the
// stored position first, then the quote with its context, fuzzily as a last
// resort; what cannot be found with confidence is orphaned, never guessed.
func reanchor(ctx context.Context, tx *sql.Tx, articleID, revisionID int64, text string) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, pos_start, pos_end, exact, prefix, suffix FROM annotations
		WHERE article_id = ? AND parent_id IS NULL`, articleID)
	if err != nil {
		return err
	}
	type placed struct {
		id int64
		m  anchor.Match
	}
	t := anchor.NewText(text)
	todo, err := core.ScanAll(rows, func(r core.RowScanner) (placed, error) {
		var id int64
		var sel anchor.Selector
		if err := r.Scan(&id, &sel.Start, &sel.End, &sel.Exact, &sel.Prefix, &sel.Suffix); err != nil {
			return placed{}, err
		}
		return placed{id, t.Locate(sel)}, nil
	})
	if err != nil {
		return err
	}
	for _, p := range todo {
		if _, err := tx.ExecContext(ctx, `UPDATE annotations SET anchor_revision_id = ?, anchor_start = ?, anchor_end = ?, anchor_status = ? WHERE id = ?`,
			revisionID, p.m.Start, p.m.End, string(p.m.Status), p.id); err != nil {
			return fmt.Errorf("db: re-anchor %d: %w", p.id, err)
		}
	}
	return nil
}

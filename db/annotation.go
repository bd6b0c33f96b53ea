package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"gloss/db/anchor"
	"gloss/db/markdown"
)

// Limits on annotations.
const (
	MaxQuoteLen   = 5000  // code points
	MaxCommentLen = 20000 // code points of Markdown
)

// Annotation is a highlight or comment on a passage, or a reply to one.
type Annotation struct {
	ID           int64
	ArticleID    int64
	ArticleSlug  string
	ArticleTitle string
	AuthorID     int64
	AuthorName   string
	ParentID     int64 // 0 for a top-level annotation
	Body         string
	BodyHTML     string // sanitized
	Visibility   Visibility
	GroupID      int64
	GroupName    string
	RevisionID   int64           // the revision the selector was made on
	Selector     anchor.Selector // empty on replies
	Anchor       anchor.Match    // where it lies in the current revision
	Tags         []string
	Hidden       bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Replies      []*Annotation
	Evidence     *Evidence // the kind's fields; filled by the exports and AttachEvidence (evidence.go)
	Provenance
}

// Provenance is where an annotation came from when a client or a file
// named it (the Web Annotation model's canonical and via): kept as sent,
// never changed.
type Provenance struct {
	Canonical string // the annotation's canonical IRI, everywhere
	Via       string // the IRI it had where it came from
}

// MaxIRILen bounds canonical and via.
const MaxIRILen = 2000

// check validates both as absolute IRIs.
func (p Provenance) check() error {
	for _, f := range []struct{ name, iri string }{{"canonical", p.Canonical}, {"via", p.Via}} {
		if f.iri == "" {
			continue
		}
		u, err := url.Parse(f.iri)
		if !utf8.ValidString(f.iri) || len(f.iri) > MaxIRILen || err != nil || u.Scheme == "" || strings.ContainsFunc(f.iri, unicode.IsSpace) {
			return Errorf(EINVALID, "“%s” must be an absolute IRI of at most %d characters, like urn:uuid:… or https://….", f.name, MaxIRILen)
		}
	}
	return nil
}

// Highlight reports whether it is a bare highlight (no comment).
func (a *Annotation) Highlight() bool { return a.Body == "" && a.ParentID == 0 }

// AnnotationInput is what the create form and the API send. Start and End
// are code-point offsets into the current text, or -1 when not given (the
// no-JavaScript form, where only the quote is typed).
type AnnotationInput struct {
	Start, End     int
	Exact          string
	Prefix, Suffix string
	Body           string
	Tags           string
	Visibility     string
	Group          string // group id, for group visibility
	Provenance            // canonical and via, from the protocol and imports
}

// audience validates a visibility and group choice.
func audience(vis, group string) (Visibility, int64, error) {
	v, err := ParseVisibility(vis)
	if err != nil {
		return "", 0, err
	}
	if v != Shared {
		return v, 0, nil
	}
	id, err := strconv.ParseInt(strings.TrimSpace(group), 10, 64)
	if err != nil || id <= 0 {
		return "", 0, Errorf(EINVALID, "Choose the group that may see this.")
	}
	return v, id, nil
}

func cleanBody(body string) (string, error) {
	return cleanText("The comment", body, 0, MaxCommentLen, true)
}

// CreateAnnotation anchors and stores a new annotation on an article's
// current revision. Offsets are never trusted: the quote must be at them,
// or is found in the text, or the annotation is refused.
//
// The anchoring (and the Markdown) is done before the write transaction,
// on the current revision as a reader sees it, so the single writer is not
// held for it; the transaction only checks that the revision is still the
// current one, and anchors again inside it when it is not (a new revision
// arrived meanwhile) or when the first try failed.
func (db *DB) CreateAnnotation(ctx context.Context, v Viewer, articleID int64, in AnnotationInput) (Annotation, error) {
	id, err := db.addAnnotation(ctx, v, articleID, in, nil)
	if err != nil {
		return Annotation{}, err
	}
	return db.AnnotationByID(ctx, v, id)
}

// addAnnotation is CreateAnnotation returning only the new id; also, when
// not nil, stores more in the same transaction (an annotation's kind).
func (db *DB) addAnnotation(ctx context.Context, v Viewer, articleID int64, in AnnotationInput, also func(ctx context.Context, tx *sql.Tx, id int64) error) (int64, error) {
	d, err := prepareAnnotation(v, in)
	if err != nil {
		return 0, err
	}
	var sel anchor.Selector
	rev, err := db.currentTextRead(ctx, articleID)
	if err == nil {
		sel, err = resolveTarget(rev.text, in)
	}
	if err != nil {
		rev.id = 0 // anchor inside the transaction, which has the last word
	}
	var id int64
	err = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var cur int64
		err := db.stmt(ctx, tx, qCurrentRevisionID).QueryRowContext(ctx, articleID).Scan(&cur)
		if errors.Is(err, sql.ErrNoRows) {
			return Errorf(ENOTFOUND, "There is no such article.")
		} else if err != nil {
			return err
		}
		at, revID := sel, rev.id
		if cur != rev.id {
			r, err := currentText(ctx, tx, articleID)
			if err != nil {
				return err
			}
			if at, err = resolveTarget(r.text, in); err != nil {
				return err
			}
			revID = r.id
		}
		if id, err = db.storeAnnotation(ctx, tx, v, articleID, revID, at, d); err != nil {
			return err
		}
		if also != nil {
			if err := also(ctx, tx, id); err != nil {
				return err
			}
		}
		return db.rememberAudience(ctx, tx, v, d.vis, d.groupID)
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// The statements of an annotation's creation, prepared once (stmt.go).
var (
	qCurrentRevisionID = writeStatement(`SELECT id FROM article_revisions WHERE article_id = ? ORDER BY number DESC LIMIT 1`)
	qNextAnnotationID  = writeStatement(`UPDATE id_counters SET last = MAX(last, (SELECT COALESCE(MAX(id), 0) FROM annotations)) + 1
		WHERE name = 'annotations' RETURNING last`)
	qInsertAnnotation = writeStatement(`
		INSERT INTO annotations (id, article_id, author_id, body, body_html, visibility, group_id,
		    revision_id, pos_start, pos_end, exact, prefix, suffix,
		    anchor_revision_id, anchor_start, anchor_end, anchor_status, created_at, updated_at, canonical, via)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'anchored', ?, ?, ?, ?)`)
	qRememberAudience = writeStatement(`UPDATE users SET last_visibility = ?, last_group_id = ?
		WHERE id = ? AND (last_visibility IS NOT ? OR last_group_id IS NOT ?)`)
)

// rememberAudience makes an annotation's or note's audience the author's
// default for the next one (a no-op write when it already is). Public is
// never remembered: it is chosen for each save, so a quick highlight after
// a public comment does not become public unasked.
func (db *DB) rememberAudience(ctx context.Context, tx *sql.Tx, v Viewer, vis Visibility, groupID int64) error {
	if vis == Public {
		return nil
	}
	_, err := db.stmt(ctx, tx, qRememberAudience).ExecContext(ctx, vis, nullID(groupID), v.UserID, vis, nullID(groupID))
	return err
}

// annotationDraft is an AnnotationInput checked against the policy and the
// limits, before it meets the text.
type annotationDraft struct {
	vis     Visibility
	groupID int64
	body    string
	html    string // body rendered, before the transaction
	tags    []string
	from    Provenance
}

// prepareAnnotation checks what CreateAnnotation checks before opening its
// transaction: audience and permission, comment, tags, quote encoding.
func prepareAnnotation(v Viewer, in AnnotationInput) (annotationDraft, error) {
	var d annotationDraft
	var err error
	if d.vis, d.groupID, err = audience(in.Visibility, in.Group); err != nil {
		return d, about("group", err)
	}
	if err := v.Write(d.vis, d.groupID); err != nil {
		return d, err
	}
	if d.body, err = cleanBody(in.Body); err != nil {
		return d, about("body", err)
	}
	d.html = markdown.HTML(d.body)
	if d.tags, err = ParseTags(in.Tags); err != nil {
		return d, about("tags", err)
	}
	if !utf8.ValidString(in.Exact + in.Prefix + in.Suffix) {
		return d, FieldErrorf("exact", "The quoted passage contains characters that are not valid text.")
	}
	if err := in.Provenance.check(); err != nil {
		return d, err
	}
	d.from = in.Provenance
	return d, nil
}

// revisionText is an article's current revision.
type revisionText struct {
	id     int64
	text   string
	sha256 string
}

// currentText reads an article's current revision inside tx.
func currentText(ctx context.Context, tx *sql.Tx, articleID int64) (revisionText, error) {
	var r revisionText
	err := tx.QueryRowContext(ctx, `SELECT id, body, sha256 FROM article_revisions WHERE article_id = ? ORDER BY number DESC LIMIT 1`, articleID).Scan(&r.id, &r.text, &r.sha256)
	if errors.Is(err, sql.ErrNoRows) {
		return r, Errorf(ENOTFOUND, "There is no such article.")
	}
	return r, err
}

// currentTextRead reads an article's current revision through the read
// pool (outside any write transaction).
func (db *DB) currentTextRead(ctx context.Context, articleID int64) (revisionText, error) {
	var r revisionText
	err := db.queryRow(ctx, `SELECT id, body, sha256 FROM article_revisions WHERE article_id = ? ORDER BY number DESC LIMIT 1`, articleID).Scan(&r.id, &r.text, &r.sha256)
	if errors.Is(err, sql.ErrNoRows) {
		return r, Errorf(ENOTFOUND, "There is no such article.")
	}
	return r, err
}

// insertAnnotation anchors a prepared annotation on rev and stores it with
// its tags, inside tx.
func (db *DB) insertAnnotation(ctx context.Context, tx *sql.Tx, v Viewer, articleID int64, rev revisionText, in AnnotationInput, d annotationDraft) (int64, error) {
	sel, err := resolveTarget(rev.text, in)
	if err != nil {
		return 0, err
	}
	return db.storeAnnotation(ctx, tx, v, articleID, rev.id, sel, d)
}

// storeAnnotation stores a prepared annotation anchored at sel on
// revision revID, with its tags, inside tx.
func (db *DB) storeAnnotation(ctx context.Context, tx *sql.Tx, v Viewer, articleID, revID int64, sel anchor.Selector, d annotationDraft) (int64, error) {
	now := db.now()
	id, err := db.nextAnnotationID(ctx, tx)
	if err != nil {
		return 0, err
	}
	if _, err := db.stmt(ctx, tx, qInsertAnnotation).ExecContext(ctx,
		id, articleID, v.UserID, d.body, d.html, d.vis, nullID(d.groupID),
		revID, sel.Start, sel.End, sel.Exact, sel.Prefix, sel.Suffix,
		revID, sel.Start, sel.End, now, now, nullString(d.from.Canonical), nullString(d.from.Via)); err != nil {
		return 0, fmt.Errorf("db: create annotation: %w", err)
	}
	return id, db.setAnnotationTags(ctx, tx, id, d.tags)
}

// nextAnnotationID takes the next annotation id, never one used before
// (ids are public IRIs; see migration 0006).
func (db *DB) nextAnnotationID(ctx context.Context, tx *sql.Tx) (int64, error) {
	var id int64
	err := db.stmt(ctx, tx, qNextAnnotationID).QueryRowContext(ctx).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("db: next annotation id: %w", err)
	}
	return id, nil
}

// resolveTarget turns what the client sent into a selector on text. The
// stored text is NFC (the W3C rule for offsets), so the quote and its
// context are too before they are looked for: "cafe\u0301" finds "café",
// from a form, the protocol or a file alike.
func resolveTarget(text string, in AnnotationInput) (anchor.Selector, error) {
	in.Exact, in.Prefix, in.Suffix = norm.NFC.String(in.Exact), norm.NFC.String(in.Prefix), norm.NFC.String(in.Suffix)
	runes := []rune(text)
	exact := in.Exact
	if in.Start >= 0 && in.End > in.Start && in.End <= len(runes) {
		at := string(runes[in.Start:in.End])
		if exact == "" || at == exact {
			return anchor.FromRange(text, in.Start, in.End)
		}
	}
	if strings.TrimSpace(exact) == "" {
		return anchor.Selector{}, FieldErrorf("exact", "Select a passage in the text, or type or paste the words you want to annotate.")
	}
	if utf8.RuneCountInString(exact) > MaxQuoteLen {
		return anchor.Selector{}, FieldErrorf("exact", "The passage is longer than %d characters: annotate a shorter one.", MaxQuoteLen)
	}
	if in.Start >= 0 || in.Prefix != "" || in.Suffix != "" {
		// The client had a position or context: trust only an exact find.
		m := anchor.Locate(text, anchor.Selector{Start: max(in.Start, 0), End: max(in.End, 0), Exact: exact, Prefix: in.Prefix, Suffix: in.Suffix})
		if m.Status == anchor.Anchored || m.Status == anchor.Moved {
			return anchor.FromRange(text, m.Start, m.End)
		}
	}
	starts, length := findQuote(runes, []rune(exact))
	switch len(starts) {
	case 0:
		return anchor.Selector{}, FieldErrorf("exact", "The passage “%s” is not in this article's text. Check it was copied exactly.", clipQuote(exact))
	case 1:
		return anchor.FromRange(text, starts[0], starts[0]+length[0])
	}
	return anchor.Selector{}, FieldErrorf("exact", "The passage “%s” occurs %d times in this article: quote a few more words so Gloss can tell which one you mean.", clipQuote(exact), len(starts))
}

// findQuote finds every occurrence of quote in text, treating any run of
// white space as equal to any other (pasted text rarely keeps line breaks)
// and ignoring white space at the quote's ends. It returns each match's
// start and length in code points of text.
func findQuote(text, quote []rune) (starts, lengths []int) {
	q := strings.Fields(string(quote))
	if len(q) == 0 {
		return nil, nil
	}
	// Normalized text: words joined by one space, with a map back to runes.
	var norm []rune
	var back []int
	inSpace := true
	for i, r := range text {
		if unicode.IsSpace(r) {
			if !inSpace {
				norm = append(norm, ' ')
				back = append(back, i)
			}
			inSpace = true
			continue
		}
		inSpace = false
		norm = append(norm, r)
		back = append(back, i)
	}
	pat := []rune(strings.Join(q, " "))
	for i := 0; i+len(pat) <= len(norm); i++ {
		if slices.Equal(norm[i:i+len(pat)], pat) {
			s, e := back[i], back[i+len(pat)-1]+1
			starts = append(starts, s)
			lengths = append(lengths, e-s)
		}
	}
	return starts, lengths
}

func clipQuote(s string) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return string(r)
}

// annotationSelect reads annotations with their author, group and article.
const annotationSelect = `
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

func scanAnnotation(row interface{ Scan(...any) error }) (*Annotation, error) {
	a := &Annotation{}
	var created, updated, status string
	err := row.Scan(&a.ID, &a.ArticleID, &a.ArticleSlug, &a.ArticleTitle, &a.AuthorID, &a.AuthorName, &a.ParentID,
		&a.Body, &a.BodyHTML, &a.Visibility, &a.GroupID, &a.GroupName,
		&a.RevisionID, &a.Selector.Start, &a.Selector.End, &a.Selector.Exact, &a.Selector.Prefix, &a.Selector.Suffix,
		&a.Anchor.Start, &a.Anchor.End, &status, &a.Hidden, &created, &updated, &a.Canonical, &a.Via)
	a.Anchor.Status = anchor.Status(status)
	a.CreatedAt, a.UpdatedAt = parseTime(created), parseTime(updated)
	return a, err
}

// visibleWhere is the full condition for what a viewer may read of
// annotations: the thread rule of policy.go (readableSQL).
func (v Viewer) visibleWhere(alias string) (string, []any) {
	return v.readableSQL(alias)
}

// AnnotationByID returns one annotation the viewer may see (ENOTFOUND
// otherwise: what you may not see does not exist for you).
func (db *DB) AnnotationByID(ctx context.Context, v Viewer, id int64) (Annotation, error) {
	cond, args := v.visibleWhere("a")
	a, err := scanAnnotation(db.queryRow(ctx, annotationSelect+` WHERE a.id = ? AND `+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return Annotation{}, Errorf(ENOTFOUND, "There is no such annotation, or you may not see it.")
	} else if err != nil {
		return Annotation{}, fmt.Errorf("db: annotation %d: %w", id, err)
	}
	if err := db.loadTags(ctx, []*Annotation{a}); err != nil {
		return Annotation{}, err
	}
	return *a, nil
}

// Annotation scopes for AnnotationFilter.Scope.
const (
	ScopeAll    = ""       // everything the viewer may see
	ScopeMine   = "mine"   // written by the viewer
	ScopeGroups = "groups" // shared with the viewer's groups
	ScopePublic = "public" // public ones
)

// AnnotationFilter narrows the annotations on an article.
type AnnotationFilter struct {
	Scope    string
	Tag      string
	AuthorID int64
}

// ArticleAnnotations returns the top-level annotations on an article that
// the viewer may see, in text order, each with its visible replies
// threaded beneath it. Orphans come last.
func (db *DB) ArticleAnnotations(ctx context.Context, v Viewer, articleID int64, f AnnotationFilter) ([]*Annotation, error) {
	cond, args := v.visibleWhere("a")
	where := []string{"a.article_id = ?", cond}
	args = append([]any{articleID}, args...)
	// Filters apply to the top-level annotations; replies follow their parent.
	top := []string{}
	switch f.Scope {
	case ScopeMine:
		top = append(top, "a.author_id = ?")
		args = append(args, v.UserID)
	case ScopeGroups:
		top = append(top, "a.visibility = 'group'")
	case ScopePublic:
		top = append(top, "a.visibility = 'public'")
	}
	if f.Tag != "" {
		top = append(top, "a.id IN (SELECT at.annotation_id FROM annotation_tags at JOIN tags t ON t.id = at.tag_id WHERE t.name = ?)")
		args = append(args, f.Tag)
	}
	if f.AuthorID != 0 {
		top = append(top, "a.author_id = ?")
		args = append(args, f.AuthorID)
	}
	if len(top) > 0 {
		where = append(where, "(a.parent_id IS NOT NULL OR ("+strings.Join(top, " AND ")+"))")
	}
	rows, err := db.query(ctx, annotationSelect+` WHERE `+strings.Join(where, " AND ")+` ORDER BY a.created_at, a.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("db: annotations of %d: %w", articleID, err)
	}
	defer rows.Close()
	var all []*Annotation
	for rows.Next() {
		a, err := scanAnnotation(rows)
		if err != nil {
			return nil, err
		}
		all = append(all, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := db.loadTags(ctx, all); err != nil {
		return nil, err
	}
	return thread(all), nil
}

// thread hangs replies under their parents (dropping replies whose parent
// the viewer cannot see) and sorts the top level in text order.
func thread(all []*Annotation) []*Annotation {
	byID := make(map[int64]*Annotation, len(all))
	for _, a := range all {
		byID[a.ID] = a
	}
	var roots []*Annotation
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

// loadTags fills Tags for the given annotations in one query.
func (db *DB) loadTags(ctx context.Context, list []*Annotation) error {
	if len(list) == 0 {
		return nil
	}
	byID := make(map[int64]*Annotation, len(list))
	args := make([]any, 0, len(list))
	for _, a := range list {
		byID[a.ID] = a
		args = append(args, a.ID)
	}
	// SQLite allows 32766 parameters; an article's annotations stay far below.
	q := `SELECT at.annotation_id, t.name FROM annotation_tags at JOIN tags t ON t.id = at.tag_id
		WHERE at.annotation_id IN (` + placeholders(len(list)) + `) ORDER BY t.name`
	query := db.read.QueryContext
	if len(list) == 1 {
		query = db.query // one annotation's tags: a statement worth keeping
	}
	rows, err := query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("db: annotation tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return err
		}
		byID[id].Tags = append(byID[id].Tags, name)
	}
	return rows.Err()
}

// CreateReply answers an annotation the viewer can read (in a thread none
// of whose annotations is hidden from them: a member cannot reply into a
// thread an owner hid). A reply takes the narrowest audience in its thread
// (ReplyAudience), and keeps it: it is never shown to more people than
// that, even if the thread is later widened.
func (db *DB) CreateReply(ctx context.Context, v Viewer, parentID int64, body string) (Annotation, error) {
	return db.CreateReplyFrom(ctx, v, parentID, body, Provenance{})
}

// CreateReplyFrom is CreateReply keeping where the reply came from (the
// protocol's canonical and via).
func (db *DB) CreateReplyFrom(ctx context.Context, v Viewer, parentID int64, body string, from Provenance) (Annotation, error) {
	if err := from.check(); err != nil {
		return Annotation{}, err
	}
	parent, err := db.AnnotationByID(ctx, v, parentID)
	if err != nil {
		return Annotation{}, err
	}
	if parent.Visibility, parent.GroupID, err = db.ReplyAudience(ctx, parent.ID); err != nil {
		return Annotation{}, err
	}
	if body, err = prepareReply(v, &parent, body); err != nil {
		return Annotation{}, err
	}
	var id int64
	err = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		id, err = db.insertReply(ctx, tx, v, &parent, body, from)
		return err
	})
	if err != nil {
		return Annotation{}, fmt.Errorf("db: reply: %w", err)
	}
	return db.AnnotationByID(ctx, v, id)
}

// ReplyAudience is the audience a reply to the annotation gets: the
// narrowest along its thread, from it up to the top (private, else the
// nearest group, else public).
func (db *DB) ReplyAudience(ctx context.Context, parentID int64) (Visibility, int64, error) {
	rows, err := db.query(ctx, `
		WITH RECURSIVE up(id, depth) AS (
			SELECT ?, 0
			UNION ALL SELECT a.parent_id, up.depth + 1 FROM annotations a JOIN up ON a.id = up.id WHERE a.parent_id IS NOT NULL)
		SELECT h.visibility, COALESCE(h.group_id, 0) FROM up JOIN annotations h ON h.id = up.id ORDER BY up.depth`, parentID)
	if err != nil {
		return "", 0, fmt.Errorf("db: thread of %d: %w", parentID, err)
	}
	defer rows.Close()
	var aud ThreadItem
	n := 0
	for rows.Next() {
		var t ThreadItem
		if err := rows.Scan(&t.Visibility, &t.GroupID); err != nil {
			return "", 0, err
		}
		if n == 0 {
			aud = t
		} else {
			aud = narrower(aud, t)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return "", 0, err
	}
	if n == 0 {
		return "", 0, Errorf(ENOTFOUND, "There is no such annotation, or you may not see it.")
	}
	return aud.Visibility, aud.GroupID, nil
}

// prepareReply checks a reply to parent: the viewer may write in its
// thread's audience, and says something. It returns the cleaned body.
func prepareReply(v Viewer, parent *Annotation, body string) (string, error) {
	if err := v.Write(parent.Visibility, parent.GroupID); err != nil {
		return "", err
	}
	body, err := cleanBody(body)
	if err != nil {
		return "", about("body", err)
	}
	if strings.TrimSpace(body) == "" {
		return "", FieldErrorf("body", "Write something to reply.")
	}
	return body, nil
}

// insertReply stores a prepared reply inside tx; parent needs ID,
// ArticleID, Visibility and GroupID.
func (db *DB) insertReply(ctx context.Context, tx *sql.Tx, v Viewer, parent *Annotation, body string, from Provenance) (int64, error) {
	now := db.now()
	id, err := db.nextAnnotationID(ctx, tx)
	if err != nil {
		return 0, err
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO annotations (id, article_id, author_id, parent_id, body, body_html, visibility, group_id, created_at, updated_at, canonical, via)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, parent.ArticleID, v.UserID, parent.ID, body, markdown.HTML(body), parent.Visibility, nullID(parent.GroupID), now, now,
		nullString(from.Canonical), nullString(from.Via))
	return id, err
}

// nullString stores "" as NULL.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// AnnotationUpdate is what an author may change.
type AnnotationUpdate struct {
	Body       string
	Tags       string
	Visibility string
	Group      string
	Evidence   *EvidenceInput // its kind and fields; nil leaves them as they are
	// IfUnchangedSince, when set, is the UpdatedAt of the version the
	// caller read (the protocol's If-Match): a change made meanwhile
	// refuses the update with EPRECONDITION, checked inside the write.
	IfUnchangedSince time.Time
}

// UpdateAnnotation changes the author's own annotation. A reply's
// visibility follows its thread, so only its body changes; changing a
// top-level annotation's visibility carries along the author's own replies
// in its thread, and no one else's: their replies keep the audience they
// were written for, and the thread rule (policy.go) shows each reply only
// to those who may read both it and the thread, so widening a thread never
// shows someone's reply to more people than they chose.
func (db *DB) UpdateAnnotation(ctx context.Context, v Viewer, id int64, in AnnotationUpdate) (Annotation, error) {
	a, err := db.AnnotationByID(ctx, v, id)
	if err != nil {
		return Annotation{}, err
	}
	if err := v.EditOwn(a.AuthorID); err != nil {
		return Annotation{}, err
	}
	body, err := cleanBody(in.Body)
	if err != nil {
		return Annotation{}, about("body", err)
	}
	vis, groupID := a.Visibility, a.GroupID
	var tags []string
	if a.ParentID == 0 {
		if vis, groupID, err = audience(in.Visibility, in.Group); err != nil {
			return Annotation{}, about("group", err)
		}
		if err := v.Write(vis, groupID); err != nil {
			return Annotation{}, err
		}
		if tags, err = ParseTags(in.Tags); err != nil {
			return Annotation{}, about("tags", err)
		}
	} else if strings.TrimSpace(body) == "" {
		return Annotation{}, FieldErrorf("body", "A reply cannot be empty: delete it instead.")
	}
	var ev *evidenceDraft
	if in.Evidence != nil && a.ParentID == 0 {
		d, err := prepareEvidence(*in.Evidence)
		if err != nil {
			return Annotation{}, err
		}
		ev = &d
	}
	err = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		prev, err := unchangedSince(ctx, tx, id, in.IfUnchangedSince)
		if err != nil {
			return err
		}
		// Each version gets its own time, so an If-Match names one version
		// even when two changes come within a millisecond.
		now := db.now()
		if t := parseTime(now); !t.After(prev) {
			now = prev.Add(time.Millisecond).UTC().Format(timeFormat)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE annotations SET body = ?, body_html = ?, updated_at = ? WHERE id = ?`,
			body, markdown.HTML(body), now, id); err != nil {
			return err
		}
		if a.ParentID != 0 {
			return nil
		}
		if err := db.setAnnotationTags(ctx, tx, id, tags); err != nil {
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
			WITH RECURSIVE thread(id) AS (SELECT ? UNION ALL SELECT r.id FROM annotations r JOIN thread t ON r.parent_id = t.id)
			UPDATE annotations SET visibility = ?, group_id = ? WHERE id IN (SELECT id FROM thread) AND author_id = ?`,
			id, vis, nullID(groupID), a.AuthorID)
		return err
	})
	if err != nil {
		return Annotation{}, fmt.Errorf("db: update annotation %d: %w", id, err)
	}
	return db.AnnotationByID(ctx, v, id)
}

// DeleteAnnotation removes the author's own annotation with its replies.
func (db *DB) DeleteAnnotation(ctx context.Context, v Viewer, id int64) (Annotation, error) {
	return db.DeleteAnnotationIfUnchanged(ctx, v, id, time.Time{})
}

// DeleteAnnotationIfUnchanged is DeleteAnnotation, refused with
// EPRECONDITION when the annotation was changed after since (its UpdatedAt
// when the caller read it); a zero since deletes whatever it holds now.
func (db *DB) DeleteAnnotationIfUnchanged(ctx context.Context, v Viewer, id int64, since time.Time) (Annotation, error) {
	a, err := db.AnnotationByID(ctx, v, id)
	if err != nil {
		return a, err
	}
	if err := v.EditOwn(a.AuthorID); err != nil {
		return a, err
	}
	return a, db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := unchangedSince(ctx, tx, id, since); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM annotations WHERE id = ?`, id)
		return err
	})
}

// unchangedSince refuses, inside a write, a change to an annotation that
// was changed after since (zero: no condition), and returns when it was
// last changed. Every change of what an annotation says moves updated_at.
func unchangedSince(ctx context.Context, tx *sql.Tx, id int64, since time.Time) (time.Time, error) {
	var at string
	err := tx.QueryRowContext(ctx, `SELECT updated_at FROM annotations WHERE id = ?`, id).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, Errorf(ENOTFOUND, "There is no such annotation: it was deleted meanwhile.")
	} else if err != nil {
		return time.Time{}, err
	}
	if !since.IsZero() && !parseTime(at).Equal(since) {
		return time.Time{}, Errorf(EPRECONDITION, "The annotation changed since you read it: read it again and reapply your change.")
	}
	return parseTime(at), nil
}

// SetHidden hides or shows a group annotation (moderation by the group's
// owners), and logs who did it.
func (db *DB) SetHidden(ctx context.Context, v Viewer, id int64, hidden bool) (Annotation, error) {
	a, err := db.AnnotationByID(ctx, v, id)
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
	err = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		now := db.now()
		var hiddenAt, hiddenBy any
		if hidden {
			hiddenAt, hiddenBy = now, v.UserID
		}
		if _, err := tx.ExecContext(ctx, `UPDATE annotations SET hidden_at = ?, hidden_by = ? WHERE id = ?`, hiddenAt, hiddenBy, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO moderation_log (annotation_id, actor_id, action, created_at) VALUES (?, ?, ?, ?)`,
			id, v.UserID, action, now)
		return err
	})
	if err != nil {
		return a, fmt.Errorf("db: moderate %d: %w", id, err)
	}
	a.Hidden = hidden
	return a, nil
}

// ModerationEntry is one hide or unhide.
type ModerationEntry struct {
	AnnotationID int64
	ActorName    string
	Action       string
	At           time.Time
}

// ModerationLog lists the moderation of one annotation, oldest first.
func (db *DB) ModerationLog(ctx context.Context, annotationID int64) ([]ModerationEntry, error) {
	rows, err := db.query(ctx, `SELECT m.annotation_id, COALESCE(u.name, 'a former member'), m.action, m.created_at
		FROM moderation_log m LEFT JOIN users u ON u.id = m.actor_id WHERE m.annotation_id = ? ORDER BY m.id`, annotationID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ModerationEntry
	for rows.Next() {
		var e ModerationEntry
		var at string
		if err := rows.Scan(&e.AnnotationID, &e.ActorName, &e.Action, &at); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// TagAnnotations lists every top-level annotation with a tag, across the
// corpus, that the viewer may see: newest articles first, text order within.
func (db *DB) TagAnnotations(ctx context.Context, v Viewer, tag string) ([]*Annotation, error) {
	cond, args := v.visibleWhere("a")
	rows, err := db.query(ctx, annotationSelect+`
		WHERE a.parent_id IS NULL AND `+cond+`
		  AND a.id IN (SELECT at.annotation_id FROM annotation_tags at JOIN tags t ON t.id = at.tag_id WHERE t.name = ?)
		ORDER BY ar.published_on DESC, ar.id, a.anchor_start, a.id`, append(args, tag)...)
	if err != nil {
		return nil, fmt.Errorf("db: tag %q: %w", tag, err)
	}
	defer rows.Close()
	var out []*Annotation
	for rows.Next() {
		a, err := scanAnnotation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, db.loadTags(ctx, out)
}

// Counts is how many annotations and notes on an article a viewer may see.
type Counts struct {
	Annotations int
	Notes       int
}

// ArticleCounts counts, for each of the given articles, the annotations
// (replies included) and notes the viewer may see, in one query: the work is
// proportional to the listed articles' annotations, not the library's.
// Articles with nothing visible are absent from the map (zero counts).
func (db *DB) ArticleCounts(ctx context.Context, v Viewer, articleIDs []int64) (map[int64]Counts, error) {
	out := make(map[int64]Counts, len(articleIDs))
	if len(articleIDs) == 0 {
		return out, nil
	}
	cond, args := v.visibleWhere("a")
	ncond, nargs := v.visibleSQL("n")
	args = append(args, nargs...)
	for _, id := range articleIDs {
		args = append(args, id)
	}
	rows, err := db.query(ctx, `
		SELECT p.id,
		       (SELECT COUNT(*) FROM annotations a WHERE a.article_id = p.id AND `+cond+`),
		       (SELECT COUNT(*) FROM notes n WHERE n.article_id = p.id AND `+ncond+`)
		FROM articles p WHERE p.id IN (`+placeholders(len(articleIDs))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("db: count annotations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var c Counts
		if err := rows.Scan(&id, &c.Annotations, &c.Notes); err != nil {
			return nil, fmt.Errorf("db: count annotations: %w", err)
		}
		if c != (Counts{}) {
			out[id] = c
		}
	}
	return out, rows.Err()
}

// Preferences are a user's defaults for new annotations.
type Preferences struct {
	Visibility Visibility
	GroupID    int64
}

// PreferencesOf returns the visibility a user chose last (private at first).
func (db *DB) PreferencesOf(ctx context.Context, userID int64) (Preferences, error) {
	var p Preferences
	var g sql.NullInt64
	err := db.queryRow(ctx, `SELECT last_visibility, last_group_id FROM users WHERE id = ?`, userID).Scan(&p.Visibility, &g)
	p.GroupID = g.Int64
	if errors.Is(err, sql.ErrNoRows) {
		return Preferences{Visibility: Private}, nil
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
	var todo []placed
	t := anchor.NewText(text)
	for rows.Next() {
		var id int64
		var sel anchor.Selector
		if err := rows.Scan(&id, &sel.Start, &sel.End, &sel.Exact, &sel.Prefix, &sel.Suffix); err != nil {
			rows.Close()
			return err
		}
		todo = append(todo, placed{id, t.Locate(sel)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
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

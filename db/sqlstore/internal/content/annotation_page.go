package content

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"gloss/db"
	"gloss/db/anchor"
	"gloss/db/sqlstore/internal/core"
)

// The reader's margin in pages: every visible annotation's highlight, but
// the cards of one page only. An article a class works on holds a thousand
// annotations; reading their bodies, tags and evidence for every page
// view, when a screen shows a dozen, was most of the reader's cost.

// annotationFilterSQL is the condition of ArticleAnnotations and of the
// margin's reads: what the viewer may read on the article, with the
// filters applying to the top-level annotations and replies following
// their parent (Thread drops replies whose top-level annotation is
// filtered away).
func annotationFilterSQL(v db.Viewer, articleID int64, f db.AnnotationFilter) (string, []any) {
	cond, args := core.VisibleWhere(v, "a")
	where := []string{"a.article_id = ?", cond}
	args = append([]any{articleID}, args...)
	top := []string{}
	switch f.Scope {
	case db.ScopeMine:
		top = append(top, "a.author_id = ?")
		args = append(args, v.UserID)
	case db.ScopeGroups:
		top = append(top, "a.visibility = 'group'")
	case db.ScopePublic:
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
	return strings.Join(where, " AND "), args
}

// MarginSpans returns the top-level annotations on an article that the
// viewer may see, in ArticleAnnotations' order (text order, orphans last),
// each with what its highlight needs and the ids of its visible replies:
// no bodies, tags (but the first) or evidence.
func (store *Content) MarginSpans(ctx context.Context, v db.Viewer, articleID int64, f db.AnnotationFilter) ([]db.MarginSpan, error) {
	cond, args := annotationFilterSQL(v, articleID, f)
	// Only a top-level annotation's first tag colours its highlight.
	rows, err := store.Query(ctx, `
		SELECT a.id, COALESCE(a.parent_id, 0), a.author_id, u.name, a.body = '',
		       COALESCE(a.anchor_start, 0), COALESCE(a.anchor_end, 0), COALESCE(a.anchor_status, ''),
		       CASE WHEN a.parent_id IS NULL THEN
		         (SELECT MIN(t.name) FROM annotation_tags at JOIN tags t ON t.id = at.tag_id WHERE at.annotation_id = a.id)
		       END
		FROM annotations a
		JOIN users u ON u.id = a.author_id
		WHERE `+cond+` ORDER BY a.created_at, a.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("db: margin of %d: %w", articleID, err)
	}
	all, err := core.ScanAll(rows, func(r core.RowScanner) (*db.Annotation, error) {
		a := &db.Annotation{}
		var status string
		var empty bool
		var tag sql.NullString
		err := r.Scan(&a.ID, &a.ParentID, &a.AuthorID, &a.AuthorName, &empty,
			&a.Anchor.Start, &a.Anchor.End, &status, &tag)
		a.Anchor.Status = anchor.Status(status)
		if !empty {
			a.Body = "-" // only whether there is one matters here
		}
		if tag.Valid {
			a.Tags = []string{tag.String}
		}
		return a, err
	})
	if err != nil {
		return nil, err
	}
	roots := Thread(all)
	out := make([]db.MarginSpan, len(roots))
	for i, a := range roots {
		out[i] = db.MarginSpan{ID: a.ID, Anchor: a.Anchor, AuthorID: a.AuthorID, AuthorName: a.AuthorName, Highlight: a.Highlight()}
		if len(a.Tags) > 0 {
			out[i].FirstTag = a.Tags[0]
		}
		out[i].Replies = replyIDs(out[i].Replies, a.Replies)
	}
	return out, nil
}

// MarginPosition counts the top-level annotations before id's thread in
// MarginSpans' order (Thread's: anchored before orphaned, then by start,
// longer first, then as created), the viewer's to see: what a redirect
// to the margin's page holding a card needs, without reading every span
// (each no-JS write redirects to its card's page).
func (store *Content) MarginPosition(ctx context.Context, v db.Viewer, articleID, id int64) (int, bool, error) {
	vis, args := core.VisibleWhere(v, "a")
	tvis, targs := core.VisibleWhere(v, "t")
	// The margin's order as one row value: orphaned last, by start, longer
	// first (the end negated), then as created.
	order := func(x string) string {
		return "(CASE WHEN " + x + ".anchor_status = '" + string(anchor.Orphaned) + "' THEN 1 ELSE 0 END, " +
			"COALESCE(" + x + ".anchor_start, 0), -COALESCE(" + x + ".anchor_end, 0), " + x + ".created_at, " + x + ".id)"
	}
	before := order("t") + " < " + order("r")
	q := `
		WITH RECURSIVE up(id, parent_id) AS (
			SELECT a.id, a.parent_id FROM annotations a WHERE a.id = ? AND a.article_id = ? AND ` + vis + `
			UNION ALL SELECT p.id, p.parent_id FROM annotations p JOIN up ON p.id = up.parent_id)
		SELECT (SELECT COUNT(*) FROM annotations t
		        WHERE t.article_id = r.article_id AND t.parent_id IS NULL AND ` + tvis + ` AND ` + before + `)
		FROM up JOIN annotations r ON r.id = up.id WHERE up.parent_id IS NULL`
	all := append([]any{id, articleID}, args...)
	all = append(all, targs...)
	var n int
	err := store.Reads(ctx).QueryRowContext(ctx, q, all...).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("db: margin position of %d: %w", id, err)
	}
	return n, true, nil
}

// replyIDs appends the ids of a thread's replies, depth first.
func replyIDs(out []int64, replies []*db.Annotation) []int64 {
	for _, r := range replies {
		out = replyIDs(append(out, r.ID), r.Replies)
	}
	return out
}

// AnnotationThreads returns the top-level annotations with the given ids
// on an article that the viewer may see, as ArticleAnnotations does: in
// text order, each with its visible replies threaded beneath it and tags.
// Ids of replies, of annotations on other articles or of what the viewer
// may not see are left out.
func (store *Content) AnnotationThreads(ctx context.Context, v db.Viewer, articleID int64, ids []int64) ([]*db.Annotation, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	cond, args := core.VisibleWhere(v, "a")
	head := make([]any, 0, len(ids)+1)
	for _, id := range ids {
		head = append(head, id)
	}
	head = append(head, articleID)
	// A page's ids differ from page to page: not a statement to keep.
	rows, err := store.Reads(ctx).QueryContext(ctx, `
		WITH RECURSIVE sub(id) AS (
			SELECT t.id FROM annotations t WHERE t.id IN (`+core.Placeholders(len(ids))+`) AND t.parent_id IS NULL AND t.article_id = ?
			UNION ALL SELECT r.id FROM annotations r JOIN sub ON r.parent_id = sub.id)
		`+AnnotationSelect+` WHERE a.id IN (SELECT id FROM sub) AND `+cond+` ORDER BY a.created_at, a.id`,
		append(head, args...)...)
	if err != nil {
		return nil, fmt.Errorf("db: threads on %d: %w", articleID, err)
	}
	return store.threads(ctx, rows)
}

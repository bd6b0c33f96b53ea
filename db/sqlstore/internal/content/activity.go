package content

import (
	"context"
	"fmt"

	"gloss/db"
	"gloss/db/markdown"
	"gloss/db/sqlstore/internal/core"
)

// GroupActivity lists what was written in a group (annotations, replies
// and notes shared with it), newest first, for its owners (db.Activity).
func (store *Content) GroupActivity(ctx context.Context, v db.Viewer, groupID int64, f db.ActivityFilter, page, perPage int) (db.ActivityPage, error) {
	var out db.ActivityPage
	if err := v.ViewActivity(groupID); err != nil {
		return out, err
	}
	if page < 1 {
		page = 1
	}
	read, rargs := core.ReadableSQL(v, "a")
	seen, sargs := core.VisibleSQL(v, "n")
	args := append([]any{groupID}, rargs...)
	args = append(args, f.MemberID, f.MemberID, f.ArticleID, f.ArticleID, groupID)
	args = append(args, sargs...)
	args = append(args, f.MemberID, f.MemberID, f.ArticleID, f.ArticleID, perPage+1, pageOffset(page, perPage))
	rows, err := store.Reads(ctx).QueryContext(ctx, `
		SELECT x.kind, x.id, x.slug, x.title, x.author_id, x.name, x.quote, x.qs, x.qe, x.body, x.hidden, x.created_at FROM (
			SELECT CASE WHEN a.parent_id IS NOT NULL THEN 'reply' WHEN a.body = '' THEN 'highlight' ELSE 'annotation' END AS kind,
			       a.id AS id, ar.slug AS slug, ar.title AS title, a.author_id AS author_id, u.name AS name,
			       COALESCE(a.exact, p.exact, '') AS quote, COALESCE(a.anchor_start, p.anchor_start, 0) AS qs,
			       COALESCE(a.anchor_end, p.anchor_end, 0) AS qe, a.body AS body, a.hidden_at IS NOT NULL AS hidden, a.created_at AS created_at
			FROM annotations a JOIN users u ON u.id = a.author_id JOIN articles ar ON ar.id = a.article_id
			LEFT JOIN annotations p ON p.id = a.parent_id
			WHERE a.visibility = 'group' AND a.group_id = ? AND `+read+`
			  AND (CAST(? AS BIGINT) = 0 OR a.author_id = ?) AND (CAST(? AS BIGINT) = 0 OR a.article_id = ?)
			UNION ALL
			SELECT 'note', n.id, ar.slug, ar.title, n.author_id, u.name, '', 0, 0, n.body, 0 = 1, n.created_at
			FROM notes n JOIN users u ON u.id = n.author_id JOIN articles ar ON ar.id = n.article_id
			WHERE n.visibility = 'group' AND n.group_id = ? AND `+seen+`
			  AND (CAST(? AS BIGINT) = 0 OR n.author_id = ?) AND (CAST(? AS BIGINT) = 0 OR n.article_id = ?)
		) x ORDER BY x.created_at DESC, x.id DESC LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return out, fmt.Errorf("db: activity of group %d: %w", groupID, err)
	}
	out.Items, err = core.ScanAll(rows, func(r core.RowScanner) (db.ActivityItem, error) {
		var it db.ActivityItem
		var body, at string
		err := r.Scan(&it.Kind, &it.ID, &it.ArticleSlug, &it.ArticleTitle, &it.AuthorID, &it.AuthorName, &it.Quote, &it.Start, &it.End,
			&body, &it.Hidden, &at)
		it.Excerpt = clipText(markdown.Text(body), 200)
		it.CreatedAt = core.ParseTime(at)
		return it, err
	})
	if err != nil {
		return out, err
	}
	if len(out.Items) > perPage {
		out.Items, out.More = out.Items[:perPage], true
	}
	arows, err := store.Reads(ctx).QueryContext(ctx, `
		SELECT ar.id, ar.slug, ar.title FROM articles ar WHERE ar.id IN (
			SELECT a.article_id FROM annotations a WHERE a.visibility = 'group' AND a.group_id = ?
			UNION SELECT n.article_id FROM notes n WHERE n.visibility = 'group' AND n.group_id = ?)
		ORDER BY ar.title, ar.id`, groupID, groupID)
	if err != nil {
		return out, fmt.Errorf("db: activity of group %d: %w", groupID, err)
	}
	out.Articles, err = core.ScanAll(arows, func(r core.RowScanner) (db.ArticleRef, error) {
		var a db.ArticleRef
		err := r.Scan(&a.ID, &a.Slug, &a.Title)
		return a, err
	})
	return out, err
}

package exchange

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gloss/db"
	"gloss/db/sqlstore/internal/content"
	"gloss/db/sqlstore/internal/core"
)

// ArticleRefBySlug finds an article without loading its text.
func (store *Exchange) ArticleRefBySlug(ctx context.Context, slug string) (db.ArticleRef, error) {
	r := db.ArticleRef{Slug: slug}
	err := store.QueryRow(ctx, `SELECT id, title FROM articles WHERE slug = ?`, slug).Scan(&r.ID, &r.Title)
	if errors.Is(err, sql.ErrNoRows) {
		return r, db.Errorf(db.ENOTFOUND, "There is no article called %q.", slug)
	} else if err != nil {
		return r, fmt.Errorf("db: find article %s: %w", slug, err)
	}
	return r, nil
}

// AnnotationsPage returns one page, in id order, of the annotations the
// viewer may see (replies included) on an article, or on every article
// when articleID is 0, with how many there are in all. A limit of 0 only
// counts. Count and page come from one snapshot.
func (store *Exchange) AnnotationsPage(ctx context.Context, v db.Viewer, articleID int64, offset, limit int) ([]*db.Annotation, int, error) {
	cond, args := core.VisibleWhere(v, "a")
	if articleID != 0 {
		cond += " AND a.article_id = ?"
		args = append(args, articleID)
	}
	tx, end, err := store.BeginRead(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, 0, fmt.Errorf("db: annotations page: %w", err)
	}
	defer end()
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM annotations a WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("db: count annotations: %w", err)
	}
	if limit <= 0 || offset >= total {
		return nil, total, nil
	}
	rows, err := tx.QueryContext(ctx, content.AnnotationSelect+` WHERE `+cond+` ORDER BY a.id LIMIT ? OFFSET ?`,
		append(args, limit, max(offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("db: annotations page: %w", err)
	}
	defer rows.Close()
	var out []*db.Annotation
	for rows.Next() {
		a, err := content.ScanAnnotation(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return out, total, store.LoadTags(ctx, out)
}

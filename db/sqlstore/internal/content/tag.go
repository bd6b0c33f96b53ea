package content

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gloss/db"
	"gloss/db/sqlstore/internal/core"
)

// setAnnotationTags replaces an annotation's tags, creating tags as needed.
func (store *Content) setAnnotationTags(ctx context.Context, tx *sql.Tx, annotationID int64, tags []string) error {
	if _, err := store.Stmt(ctx, tx, qClearAnnotationTags).ExecContext(ctx, annotationID); err != nil {
		return err
	}
	for _, t := range tags {
		id, err := store.TagID(ctx, tx, t)
		if err != nil {
			return err
		}
		if _, err := store.Stmt(ctx, tx, qTagAnnotation).ExecContext(ctx, annotationID, id); err != nil {
			return fmt.Errorf("db: tag annotation: %w", err)
		}
	}
	return nil
}

var qClearAnnotationTags = core.WriteStatement(`DELETE FROM annotation_tags WHERE annotation_id = ?`)

var qTagAnnotation = core.WriteStatement(`INSERT INTO annotation_tags (annotation_id, tag_id) VALUES (?, ?)`)

var qFindTag = core.WriteStatement(`SELECT id FROM tags WHERE name = ?`)

var qMakeTag = core.WriteStatement(`INSERT INTO tags (name) VALUES (?) RETURNING id`)

// TagID returns the id of the tag called name, making it if needed. Most
// tags exist already: looking first spares a write of the tag's row (and
// its page in the journal) each time it is used.
func (store *Content) TagID(ctx context.Context, tx *sql.Tx, name string) (int64, error) {
	var id int64
	err := store.Stmt(ctx, tx, qFindTag).QueryRowContext(ctx, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		err = store.Stmt(ctx, tx, qMakeTag).QueryRowContext(ctx, name).Scan(&id)
	}
	if err != nil {
		return 0, fmt.Errorf("db: tag %q: %w", name, err)
	}
	return id, nil
}

// TagArticle adds tags to an article (library metadata, public; who may:
// Viewer.TagArticles).
func (store *Content) TagArticle(ctx context.Context, v db.Viewer, articleID int64, list string) error {
	if err := v.TagArticles(); err != nil {
		return err
	}
	tags, err := db.ParseTags(list)
	if err != nil {
		return err
	}
	if len(tags) == 0 {
		return db.Errorf(db.EINVALID, "Type at least one tag.")
	}
	return store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, t := range tags {
			id, err := store.TagID(ctx, tx, t)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO article_tags (article_id, tag_id, added_by) VALUES (?, ?, ?)
				ON CONFLICT DO NOTHING`, articleID, id, v.UserID); err != nil {
				return err
			}
		}
		return store.AppendEvent(ctx, tx, db.Event{Kind: db.ArticleTagged, ArticleID: articleID, ActorID: v.UserID})
	})
}

// UntagArticle removes one tag from an article: its adder or an
// administrator (Viewer.UntagArticle).
func (store *Content) UntagArticle(ctx context.Context, v db.Viewer, articleID int64, tag string) error {
	if err := v.RequireSignIn(); err != nil {
		return err
	}
	return store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var addedBy sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT x.added_by FROM article_tags x JOIN tags t ON t.id = x.tag_id
			WHERE x.article_id = ? AND t.name = ?`, articleID, tag).Scan(&addedBy)
		if errors.Is(err, sql.ErrNoRows) {
			return db.Errorf(db.ENOTFOUND, "The article has no tag %q.", tag)
		} else if err != nil {
			return err
		}
		if err := v.UntagArticle(addedBy.Int64); err != nil {
			return err
		}
		if _, err = tx.ExecContext(ctx, `DELETE FROM article_tags WHERE article_id = ? AND tag_id = (SELECT id FROM tags WHERE name = ?)`, articleID, tag); err != nil {
			return err
		}
		return store.AppendEvent(ctx, tx, db.Event{Kind: db.ArticleTagged, ArticleID: articleID, ActorID: v.UserID})
	})
}

// ArticleTags lists an article's tags.
func (store *Content) ArticleTags(ctx context.Context, articleID int64) ([]db.ArticleTag, error) {
	rows, err := store.Query(ctx, `SELECT t.name, COALESCE(a.added_by, 0) FROM article_tags a JOIN tags t ON t.id = a.tag_id
		WHERE a.article_id = ? ORDER BY t.name`, articleID)
	if err != nil {
		return nil, fmt.Errorf("db: tags of article %d: %w", articleID, err)
	}
	return core.ScanAll(rows, func(r core.RowScanner) (db.ArticleTag, error) {
		var t db.ArticleTag
		err := r.Scan(&t.Name, &t.AddedBy)
		return t, err
	})
}

// VisibleTags lists tag names the viewer can see in use: on articles, and
// on annotations they may read (a tag on a private annotation, or only on
// annotations hidden by moderation, stays unseen).
func (store *Content) VisibleTags(ctx context.Context, v db.Viewer) ([]string, error) {
	cond, args := core.VisibleWhere(v, "a")
	// Per tag, stop at its first visible use (through annotation_tags_tag_idx):
	// joining every tagged annotation took a second on a million annotations.
	return store.strings(ctx, `
		SELECT t.name FROM tags t WHERE EXISTS (SELECT 1 FROM article_tags x WHERE x.tag_id = t.id)
		   OR EXISTS (SELECT 1 FROM annotation_tags at JOIN annotations a ON a.id = at.annotation_id
		              WHERE at.tag_id = t.id AND `+cond+`)
		ORDER BY t.name`, args...)
}

func (store *Content) strings(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := store.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("db: %w", err)
	}
	return core.ScanColumn[string](rows)
}

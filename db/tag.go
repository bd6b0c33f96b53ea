package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Tag limits.
const (
	MaxTagLen  = 60
	MaxTagsPer = 20
)

// ParseTags splits a comma-separated list into normalized tags: trimmed,
// lowercased, inner spaces folded, duplicates dropped. A tag may use
// letters, digits, spaces and - _ / . : (a slash makes a hierarchy).
func ParseTags(list string) ([]string, error) {
	if !utf8.ValidString(list) {
		return nil, Errorf(EINVALID, "The tags contain characters that are not valid text.")
	}
	var out []string
	seen := map[string]bool{}
	for _, raw := range strings.Split(list, ",") {
		t := strings.ToLower(strings.Join(strings.Fields(norm.NFC.String(raw)), " "))
		if t == "" || seen[t] {
			continue
		}
		if err := visibleOnly(fmt.Sprintf("The tag %q", t), t); err != nil {
			return nil, err
		}
		if utf8.RuneCountInString(t) > MaxTagLen {
			return nil, Errorf(EINVALID, "The tag %q is longer than %d characters.", t, MaxTagLen)
		}
		for _, r := range t {
			if !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || strings.ContainsRune(" -_/.:", r)) {
				return nil, Errorf(EINVALID, "The tag %q contains %q: use letters, digits, spaces and - _ / . :", t, r)
			}
		}
		seen[t] = true
		out = append(out, t)
	}
	if len(out) > MaxTagsPer {
		return nil, Errorf(EINVALID, "At most %d tags per annotation.", MaxTagsPer)
	}
	return out, nil
}

// setAnnotationTags replaces an annotation's tags, creating tags as needed.
func (db *DB) setAnnotationTags(ctx context.Context, tx *sql.Tx, annotationID int64, tags []string) error {
	if _, err := db.stmt(ctx, tx, qClearAnnotationTags).ExecContext(ctx, annotationID); err != nil {
		return err
	}
	for _, t := range tags {
		id, err := db.tagID(ctx, tx, t)
		if err != nil {
			return err
		}
		if _, err := db.stmt(ctx, tx, qTagAnnotation).ExecContext(ctx, annotationID, id); err != nil {
			return fmt.Errorf("db: tag annotation: %w", err)
		}
	}
	return nil
}

var (
	qClearAnnotationTags = writeStatement(`DELETE FROM annotation_tags WHERE annotation_id = ?`)
	qTagAnnotation       = writeStatement(`INSERT INTO annotation_tags (annotation_id, tag_id) VALUES (?, ?)`)
	qFindTag             = writeStatement(`SELECT id FROM tags WHERE name = ?`)
	qMakeTag             = writeStatement(`INSERT INTO tags (name) VALUES (?) RETURNING id`)
)

// tagID returns the id of the tag called name, making it if needed. Most
// tags exist already: looking first spares a write of the tag's row (and
// its page in the journal) each time it is used.
func (db *DB) tagID(ctx context.Context, tx *sql.Tx, name string) (int64, error) {
	var id int64
	err := db.stmt(ctx, tx, qFindTag).QueryRowContext(ctx, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		err = db.stmt(ctx, tx, qMakeTag).QueryRowContext(ctx, name).Scan(&id)
	}
	if err != nil {
		return 0, fmt.Errorf("db: tag %q: %w", name, err)
	}
	return id, nil
}

// TagArticle adds tags to an article (library metadata, public; who may:
// Viewer.TagArticles).
func (db *DB) TagArticle(ctx context.Context, v Viewer, articleID int64, list string) error {
	if err := v.TagArticles(); err != nil {
		return err
	}
	tags, err := ParseTags(list)
	if err != nil {
		return err
	}
	if len(tags) == 0 {
		return Errorf(EINVALID, "Type at least one tag.")
	}
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, t := range tags {
			id, err := db.tagID(ctx, tx, t)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO article_tags (article_id, tag_id, added_by) VALUES (?, ?, ?)
				ON CONFLICT DO NOTHING`, articleID, id, v.UserID); err != nil {
				return err
			}
		}
		return nil
	})
}

// UntagArticle removes one tag from an article: its adder or an
// administrator (Viewer.UntagArticle).
func (db *DB) UntagArticle(ctx context.Context, v Viewer, articleID int64, tag string) error {
	if err := v.RequireSignIn(); err != nil {
		return err
	}
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var addedBy sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT x.added_by FROM article_tags x JOIN tags t ON t.id = x.tag_id
			WHERE x.article_id = ? AND t.name = ?`, articleID, tag).Scan(&addedBy)
		if errors.Is(err, sql.ErrNoRows) {
			return Errorf(ENOTFOUND, "The article has no tag %q.", tag)
		} else if err != nil {
			return err
		}
		if err := v.UntagArticle(addedBy.Int64); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM article_tags WHERE article_id = ? AND tag_id = (SELECT id FROM tags WHERE name = ?)`, articleID, tag)
		return err
	})
}

// ArticleTag is a tag on an article and who added it (0: an account since
// deleted, or the import).
type ArticleTag struct {
	Name    string
	AddedBy int64
}

// ArticleTags lists an article's tags.
func (db *DB) ArticleTags(ctx context.Context, articleID int64) ([]ArticleTag, error) {
	rows, err := db.query(ctx, `SELECT t.name, COALESCE(a.added_by, 0) FROM article_tags a JOIN tags t ON t.id = a.tag_id
		WHERE a.article_id = ? ORDER BY t.name`, articleID)
	if err != nil {
		return nil, fmt.Errorf("db: tags of article %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []ArticleTag
	for rows.Next() {
		var t ArticleTag
		if err := rows.Scan(&t.Name, &t.AddedBy); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// VisibleTags lists tag names the viewer can see in use: on articles, and
// on annotations they may read (a tag on a private annotation, or only on
// annotations hidden by moderation, stays unseen).
func (db *DB) VisibleTags(ctx context.Context, v Viewer) ([]string, error) {
	cond, args := v.visibleWhere("a")
	// Per tag, stop at its first visible use (through annotation_tags_tag_idx):
	// joining every tagged annotation took a second on a million annotations.
	return db.strings(ctx, `
		SELECT t.name FROM tags t WHERE EXISTS (SELECT 1 FROM article_tags x WHERE x.tag_id = t.id)
		   OR EXISTS (SELECT 1 FROM annotation_tags at JOIN annotations a ON a.id = at.annotation_id
		              WHERE at.tag_id = t.id AND `+cond+`)
		ORDER BY t.name`, args...)
}

func (db *DB) strings(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("db: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

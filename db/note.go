package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"gloss/db/markdown"
)

// Note is a thought about a whole article, kept beside its text.
type Note struct {
	ID         int64
	ArticleID  int64
	AuthorID   int64
	AuthorName string
	Body       string
	BodyHTML   string
	Visibility Visibility
	GroupID    int64
	GroupName  string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// NoteInput is what the notes form sends.
type NoteInput struct {
	Body       string
	Visibility string
	Group      string
}

func (in NoteInput) validate(v Viewer) (string, Visibility, int64, error) {
	vis, groupID, err := audience(in.Visibility, in.Group)
	if err != nil {
		return "", "", 0, about("group", err)
	}
	if err := v.Write(vis, groupID); err != nil {
		return "", "", 0, err
	}
	body, err := cleanText("The note", in.Body, 1, MaxCommentLen, true)
	if err != nil {
		return "", "", 0, about("body", err)
	}
	return body, vis, groupID, nil
}

// CreateNote adds a note to an article.
func (db *DB) CreateNote(ctx context.Context, v Viewer, articleID int64, in NoteInput) (Note, error) {
	body, vis, groupID, err := in.validate(v)
	if err != nil {
		return Note{}, err
	}
	var id int64
	err = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if id, err = insertNote(ctx, tx, db.now(), articleID, v.UserID, body, vis, groupID); err != nil {
			return err
		}
		return db.rememberAudience(ctx, tx, v, vis, groupID)
	})
	if err != nil {
		return Note{}, err
	}
	return db.NoteByID(ctx, v, id)
}

// insertNote stores a validated note inside tx.
func insertNote(ctx context.Context, tx *sql.Tx, now string, articleID, authorID int64, body string, vis Visibility, groupID int64) (int64, error) {
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO notes (article_id, author_id, body, body_html, visibility, group_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		articleID, authorID, body, markdown.HTML(body), vis, nullID(groupID), now, now).Scan(&id); err != nil {
		return 0, fmt.Errorf("db: create note: %w", err)
	}
	return id, nil
}

const noteSelect = `SELECT n.id, n.article_id, n.author_id, u.name, n.body, n.body_html, n.visibility,
	COALESCE(n.group_id, 0), COALESCE(g.name, ''), n.created_at, n.updated_at
	FROM notes n JOIN users u ON u.id = n.author_id LEFT JOIN groups g ON g.id = n.group_id`

func scanNote(row interface{ Scan(...any) error }) (Note, error) {
	var n Note
	var created, updated string
	err := row.Scan(&n.ID, &n.ArticleID, &n.AuthorID, &n.AuthorName, &n.Body, &n.BodyHTML, &n.Visibility,
		&n.GroupID, &n.GroupName, &created, &updated)
	n.CreatedAt, n.UpdatedAt = parseTime(created), parseTime(updated)
	return n, err
}

// scanNotes reads every row of a noteSelect query and closes rows.
func scanNotes(rows *sql.Rows) ([]Note, error) {
	defer rows.Close()
	var out []Note
	for rows.Next() {
		n, err := scanNote(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// NoteByID returns a note the viewer may see.
func (db *DB) NoteByID(ctx context.Context, v Viewer, id int64) (Note, error) {
	cond, args := v.visibleSQL("n")
	n, err := scanNote(db.queryRow(ctx, noteSelect+` WHERE n.id = ? AND `+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return n, Errorf(ENOTFOUND, "There is no such note, or you may not see it.")
	}
	return n, err
}

// ArticleNotes lists the notes on an article the viewer may see, oldest first.
func (db *DB) ArticleNotes(ctx context.Context, v Viewer, articleID int64, f AnnotationFilter) ([]Note, error) {
	cond, args := v.visibleSQL("n")
	where := []string{"n.article_id = ?", cond}
	args = append([]any{articleID}, args...)
	switch f.Scope {
	case ScopeMine:
		where = append(where, "n.author_id = ?")
		args = append(args, v.UserID)
	case ScopeGroups:
		where = append(where, "n.visibility = 'group'")
	case ScopePublic:
		where = append(where, "n.visibility = 'public'")
	}
	if f.AuthorID != 0 {
		where = append(where, "n.author_id = ?")
		args = append(args, f.AuthorID)
	}
	rows, err := db.query(ctx, noteSelect+` WHERE `+strings.Join(where, " AND ")+` ORDER BY n.created_at, n.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("db: notes: %w", err)
	}
	return scanNotes(rows)
}

// UpdateNote changes the author's own note.
func (db *DB) UpdateNote(ctx context.Context, v Viewer, id int64, in NoteInput) (Note, error) {
	n, err := db.NoteByID(ctx, v, id)
	if err != nil {
		return n, err
	}
	if err := v.EditOwn(n.AuthorID); err != nil {
		return n, err
	}
	body, vis, groupID, err := in.validate(v)
	if err != nil {
		return n, err
	}
	err = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE notes SET body = ?, body_html = ?, visibility = ?, group_id = ?, updated_at = ? WHERE id = ?`,
			body, markdown.HTML(body), vis, nullID(groupID), db.now(), id)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("db: update note: %w", err)
	}
	return db.NoteByID(ctx, v, id)
}

// DeleteNote removes the author's own note.
func (db *DB) DeleteNote(ctx context.Context, v Viewer, id int64) (Note, error) {
	n, err := db.NoteByID(ctx, v, id)
	if err != nil {
		return n, err
	}
	if err := v.EditOwn(n.AuthorID); err != nil {
		return n, err
	}
	return n, db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM notes WHERE id = ?`, id)
		return err
	})
}

package content

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"gloss/db"
	"gloss/db/sqlstore/internal/core"
)

// CreateNote adds a note to an article.
func (store *Content) CreateNote(ctx context.Context, v db.Viewer, articleID int64, in db.NoteInput) (db.Note, error) {
	body, vis, groupID, err := in.Validate(v)
	if err != nil {
		return db.Note{}, err
	}
	var id int64
	err = store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if id, err = store.InsertNote(ctx, tx, store.NowText(), articleID, v.UserID, body, vis, groupID); err != nil {
			return err
		}
		return store.rememberAudience(ctx, tx, v, vis, groupID)
	})
	if err != nil {
		return db.Note{}, err
	}
	return store.NoteByID(ctx, v, id)
}

// InsertNote stores a validated note inside tx.
func (store *Content) InsertNote(ctx context.Context, tx *sql.Tx, now string, articleID, authorID int64, body string, vis db.Visibility, groupID int64) (int64, error) {
	var id int64
	n := db.Note{ArticleID: articleID, AuthorID: authorID, Visibility: vis, GroupID: groupID}
	mentions, err := resolveMentions(ctx, tx, authorID, body, core.NoteAudience(n))
	if err != nil {
		return 0, err
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO notes (article_id, author_id, body, body_html, visibility, group_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		articleID, authorID, body, mentionHTML(body, mentions), vis, core.NullID(groupID), now, now).Scan(&id); err != nil {
		return 0, fmt.Errorf("db: create note: %w", err)
	}
	n.ID = id
	if err := store.recordMentions(ctx, tx, noteNotice(n, authorID), mentions); err != nil {
		return 0, err
	}
	return id, store.NoteEvent(ctx, tx, db.NoteCreated, n, authorID, nil)
}

// noteNotice is a notification about a note.
func noteNotice(n db.Note, actorID int64) notice {
	out := notice{actorID: actorID, articleID: n.ArticleID, noteID: n.ID, chain: core.NoteAudience(n)}
	if n.Visibility == db.Shared {
		out.groupID = n.GroupID
	}
	return out
}

const NoteSelect = `SELECT n.id, n.article_id, n.author_id, u.name, n.body, n.body_html, n.visibility,
	COALESCE(n.group_id, 0), COALESCE(g.name, ''), n.created_at, n.updated_at
	FROM notes n JOIN users u ON u.id = n.author_id LEFT JOIN groups g ON g.id = n.group_id`

func scanNote(row interface{ Scan(...any) error }) (db.Note, error) {
	var n db.Note
	var created, updated string
	err := row.Scan(&n.ID, &n.ArticleID, &n.AuthorID, &n.AuthorName, &n.Body, &n.BodyHTML, &n.Visibility,
		&n.GroupID, &n.GroupName, &created, &updated)
	n.CreatedAt, n.UpdatedAt = core.ParseTime(created), core.ParseTime(updated)
	return n, err
}

// ScanNotes reads every row of a NoteSelect query and closes rows.
func ScanNotes(rows *sql.Rows) ([]db.Note, error) {
	return core.ScanAll(rows, scanNote)
}

// NoteByID returns a note the viewer may see.
func (store *Content) NoteByID(ctx context.Context, v db.Viewer, id int64) (db.Note, error) {
	cond, args := core.VisibleSQL(v, "n")
	n, err := scanNote(store.QueryRow(ctx, NoteSelect+` WHERE n.id = ? AND `+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return n, db.Errorf(db.ENOTFOUND, "There is no such note, or you may not see it.")
	}
	return n, err
}

// ArticleNotes lists the notes on an article the viewer may see, oldest first.
func (store *Content) ArticleNotes(ctx context.Context, v db.Viewer, articleID int64, f db.AnnotationFilter) ([]db.Note, error) {
	cond, args := core.VisibleSQL(v, "n")
	where := []string{"n.article_id = ?", cond}
	args = append([]any{articleID}, args...)
	switch f.Scope {
	case db.ScopeMine:
		where = append(where, "n.author_id = ?")
		args = append(args, v.UserID)
	case db.ScopeGroups:
		where = append(where, "n.visibility = 'group'")
	case db.ScopePublic:
		where = append(where, "n.visibility = 'public'")
	}
	if f.AuthorID != 0 {
		where = append(where, "n.author_id = ?")
		args = append(args, f.AuthorID)
	}
	rows, err := store.Query(ctx, NoteSelect+` WHERE `+strings.Join(where, " AND ")+` ORDER BY n.created_at, n.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("db: notes: %w", err)
	}
	return ScanNotes(rows)
}

// UpdateNote changes the author's own note.
func (store *Content) UpdateNote(ctx context.Context, v db.Viewer, id int64, in db.NoteInput) (db.Note, error) {
	n, err := store.NoteByID(ctx, v, id)
	if err != nil {
		return n, err
	}
	if err := v.EditOwn(n.AuthorID); err != nil {
		return n, err
	}
	body, vis, groupID, err := in.Validate(v)
	if err != nil {
		return n, err
	}
	err = store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		after := n
		after.Visibility, after.GroupID = vis, groupID
		mentions, err := resolveMentions(ctx, tx, v.UserID, body, core.NoteAudience(after))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE notes SET body = ?, body_html = ?, visibility = ?, group_id = ?, updated_at = ? WHERE id = ?`,
			body, mentionHTML(body, mentions), vis, core.NullID(groupID), store.NowText(), id); err != nil {
			return err
		}
		if err := store.recordMentions(ctx, tx, noteNotice(after, v.UserID), mentions); err != nil {
			return err
		}
		if err := store.touchNotified(ctx, tx, 0, id); err != nil {
			return err
		}
		return store.NoteEvent(ctx, tx, db.NoteUpdated, after, v.UserID, core.NoteAudience(n))
	})
	if err != nil {
		return n, fmt.Errorf("db: update note: %w", err)
	}
	return store.NoteByID(ctx, v, id)
}

// DeleteNote removes the author's own note.
func (store *Content) DeleteNote(ctx context.Context, v db.Viewer, id int64) (db.Note, error) {
	n, err := store.NoteByID(ctx, v, id)
	if err != nil {
		return n, err
	}
	if err := v.EditOwn(n.AuthorID); err != nil {
		return n, err
	}
	return n, store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := store.touchNotified(ctx, tx, 0, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM notes WHERE id = ?`, id); err != nil {
			return err
		}
		return store.NoteEvent(ctx, tx, db.NoteDeleted, n, v.UserID, core.NoteAudience(n))
	})
}

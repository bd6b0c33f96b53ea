package accounts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gloss/db"
	"gloss/db/sqlstore/internal/core"
)

// CreateUserSession records a sign-in and returns its session id, which
// the caller keeps in the session cookie's data.
func (store *Accounts) CreateUserSession(ctx context.Context, userID int64, userAgent, ip string) (string, error) {
	sid, _ := db.NewSecret("")
	if len(userAgent) > 300 {
		userAgent = userAgent[:300]
	}
	err := store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		now := store.NowText()
		// Sessions idle longer than any cookie lives are dead: forget them.
		stale := store.Now().Add(-db.SessionMaxAge).Format(core.TimeFormat)
		if _, err := tx.ExecContext(ctx, `DELETE FROM user_sessions WHERE user_id = ? AND last_seen_at < ?`, userID, stale); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO user_sessions (sid, user_id, user_agent, ip, created_at, last_seen_at)
			VALUES (?, ?, ?, ?, ?, ?)`, sid, userID, userAgent, ip, now, now)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("db: create session: %w", err)
	}
	return sid, nil
}

// UserBySession returns the user of a live session id, or EUNAUTHORIZED
// when it was revoked or never existed.
func (store *Accounts) UserBySession(ctx context.Context, userID int64, sid string) (db.User, error) {
	var (
		u        db.User
		created  string
		lastSeen string
		id       int64
	)
	err := store.QueryRow(ctx, `
		SELECT u.id, u.email, u.name, u.is_admin, u.created_at, s.id, s.last_seen_at
		FROM user_sessions s JOIN users u ON u.id = s.user_id
		WHERE s.sid = ? AND s.user_id = ?`, sid, userID).
		Scan(&u.ID, &u.Email, &u.Name, &u.Admin, &created, &id, &lastSeen)
	if errors.Is(err, sql.ErrNoRows) {
		return db.User{}, db.Errorf(db.EUNAUTHORIZED, "Your session has ended. Please sign in again.")
	} else if err != nil {
		return db.User{}, fmt.Errorf("db: session: %w", err)
	}
	u.CreatedAt = core.ParseTime(created)
	if store.Now().Sub(core.ParseTime(lastSeen)) > touchInterval {
		if err := store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE user_sessions SET last_seen_at = ? WHERE id = ?`, store.NowText(), id)
			return err
		}); err != nil {
			return db.User{}, err
		}
	}
	return u, nil
}

// UserSessions lists a user's signed-in browsers, most recent first.
func (store *Accounts) UserSessions(ctx context.Context, userID int64) ([]db.UserSession, error) {
	rows, err := store.Query(ctx, `SELECT id, sid, user_agent, ip, created_at, last_seen_at FROM user_sessions
		WHERE user_id = ? ORDER BY last_seen_at DESC, id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("db: list sessions: %w", err)
	}
	return core.ScanAll(rows, func(r core.RowScanner) (db.UserSession, error) {
		var s db.UserSession
		var created, seen string
		if err := r.Scan(&s.ID, &s.SID, &s.UserAgent, &s.IP, &created, &seen); err != nil {
			return s, err
		}
		s.CreatedAt, s.LastSeenAt = core.ParseTime(created), core.ParseTime(seen)
		return s, nil
	})
}

// RevokeUserSession signs out one of the user's sessions.
func (store *Accounts) RevokeUserSession(ctx context.Context, userID, id int64) error {
	return store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM user_sessions WHERE id = ? AND user_id = ?`, id, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return db.Errorf(db.ENOTFOUND, "There is no such session.")
		}
		return store.AppendEvent(ctx, tx, db.Event{Kind: db.SessionEnded, UserID: userID, ActorID: userID})
	})
}

// EndUserSession forgets a session id (signing out).
func (store *Accounts) EndUserSession(ctx context.Context, sid string) error {
	return store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var userID int64
		err := tx.QueryRowContext(ctx, `DELETE FROM user_sessions WHERE sid = ? RETURNING user_id`, sid).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		return store.AppendEvent(ctx, tx, db.Event{Kind: db.SessionEnded, UserID: userID, ActorID: userID})
	})
}

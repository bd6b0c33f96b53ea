package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// UserSession is one signed-in browser, as its owner sees it.
type UserSession struct {
	ID         int64
	SID        string
	UserAgent  string
	IP         string
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// Session lifetimes: a session ends after SessionIdle without use, and
// after SessionMaxAge whatever happens.
const (
	SessionIdle   = 7 * 24 * time.Hour
	SessionMaxAge = 30 * 24 * time.Hour
)

// CreateUserSession records a sign-in and returns its session id, which
// the caller keeps in the session cookie's data.
func (db *DB) CreateUserSession(ctx context.Context, userID int64, userAgent, ip string) (string, error) {
	sid, _ := newSecret("")
	if len(userAgent) > 300 {
		userAgent = userAgent[:300]
	}
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		now := db.now()
		// Sessions idle longer than any cookie lives are dead: forget them.
		stale := db.Now().Add(-SessionMaxAge).Format(timeFormat)
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
func (db *DB) UserBySession(ctx context.Context, userID int64, sid string) (User, error) {
	var (
		u        User
		created  string
		lastSeen string
		id       int64
	)
	err := db.queryRow(ctx, `
		SELECT u.id, u.email, u.name, u.is_admin, u.created_at, s.id, s.last_seen_at
		FROM user_sessions s JOIN users u ON u.id = s.user_id
		WHERE s.sid = ? AND s.user_id = ?`, sid, userID).
		Scan(&u.ID, &u.Email, &u.Name, &u.Admin, &created, &id, &lastSeen)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, Errorf(EUNAUTHORIZED, "Your session has ended. Please sign in again.")
	} else if err != nil {
		return User{}, fmt.Errorf("db: session: %w", err)
	}
	u.CreatedAt = parseTime(created)
	if db.Now().Sub(parseTime(lastSeen)) > touchInterval {
		if err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE user_sessions SET last_seen_at = ? WHERE id = ?`, db.now(), id)
			return err
		}); err != nil {
			return User{}, err
		}
	}
	return u, nil
}

// UserSessions lists a user's signed-in browsers, most recent first.
func (db *DB) UserSessions(ctx context.Context, userID int64) ([]UserSession, error) {
	rows, err := db.query(ctx, `SELECT id, sid, user_agent, ip, created_at, last_seen_at FROM user_sessions
		WHERE user_id = ? ORDER BY last_seen_at DESC, id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("db: list sessions: %w", err)
	}
	defer rows.Close()
	var out []UserSession
	for rows.Next() {
		var s UserSession
		var created, seen string
		if err := rows.Scan(&s.ID, &s.SID, &s.UserAgent, &s.IP, &created, &seen); err != nil {
			return nil, err
		}
		s.CreatedAt, s.LastSeenAt = parseTime(created), parseTime(seen)
		out = append(out, s)
	}
	return out, rows.Err()
}

// RevokeUserSession signs out one of the user's sessions.
func (db *DB) RevokeUserSession(ctx context.Context, userID, id int64) error {
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM user_sessions WHERE id = ? AND user_id = ?`, id, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Errorf(ENOTFOUND, "There is no such session.")
		}
		return nil
	})
}

// EndUserSession forgets a session id (signing out).
func (db *DB) EndUserSession(ctx context.Context, sid string) error {
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM user_sessions WHERE sid = ?`, sid)
		return err
	})
}

package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// APIToken is a personal token for scripts; the secret itself is shown once.
type APIToken struct {
	ID         int64
	Name       string
	CreatedAt  time.Time
	LastUsedAt time.Time // zero if never used
}

// tokenPrefix marks Gloss API tokens, so a leaked one is easy to recognise.
const tokenPrefix = "gls_"

// MaxTokensPerUser keeps token lists readable and abuse bounded.
const MaxTokensPerUser = 50

// CreateAPIToken makes a token for the user and returns its secret.
func (db *DB) CreateAPIToken(ctx context.Context, userID int64, name string) (string, APIToken, error) {
	name, err := cleanText("Token name", name, 1, MaxNameLen, false)
	if err != nil {
		return "", APIToken{}, err
	}
	raw, hash := newSecret(tokenPrefix)
	t := APIToken{Name: name}
	err = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM api_tokens WHERE user_id = ?`, userID).Scan(&n); err != nil {
			return err
		}
		if n >= MaxTokensPerUser {
			return Errorf(ECONFLICT, "You have %d tokens already: revoke some first.", n)
		}
		var created string
		if err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)
			RETURNING id, created_at`, userID, name, hash, db.now()).Scan(&t.ID, &created); err != nil {
			return fmt.Errorf("db: create token: %w", err)
		}
		t.CreatedAt = parseTime(created)
		return nil
	})
	if err != nil {
		return "", APIToken{}, err
	}
	return raw, t, nil
}

// APITokens lists a user's tokens, newest first.
func (db *DB) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := db.query(ctx, `SELECT id, name, created_at, COALESCE(last_used_at, '') FROM api_tokens
		WHERE user_id = ? ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("db: list tokens: %w", err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		var created, used string
		if err := rows.Scan(&t.ID, &t.Name, &created, &used); err != nil {
			return nil, err
		}
		t.CreatedAt, t.LastUsedAt = parseTime(created), parseTime(used)
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAPIToken deletes one of the user's tokens.
func (db *DB) RevokeAPIToken(ctx context.Context, userID, tokenID int64) error {
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM api_tokens WHERE id = ? AND user_id = ?`, tokenID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Errorf(ENOTFOUND, "There is no such token.")
		}
		return nil
	})
}

// touchInterval limits bookkeeping writes: last-used times are kept to
// the minute, not rewritten on every request.
const touchInterval = time.Minute

// UserByAPIToken authenticates a bearer token.
func (db *DB) UserByAPIToken(ctx context.Context, raw string) (User, error) {
	if !strings.HasPrefix(raw, tokenPrefix) {
		return User{}, Errorf(EUNAUTHORIZED, "The API token is not valid.")
	}
	var (
		u       User
		tokenID int64
		created string
		used    string
	)
	err := db.queryRow(ctx, `
		SELECT u.id, u.email, u.name, u.is_admin, u.created_at, t.id, COALESCE(t.last_used_at, '')
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`, hashSecret(raw)).
		Scan(&u.ID, &u.Email, &u.Name, &u.Admin, &created, &tokenID, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, Errorf(EUNAUTHORIZED, "The API token is not valid, or was revoked.")
	} else if err != nil {
		return User{}, fmt.Errorf("db: token: %w", err)
	}
	u.CreatedAt = parseTime(created)
	if db.Now().Sub(parseTime(used)) > touchInterval {
		if err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, db.now(), tokenID)
			return err
		}); err != nil {
			return User{}, err
		}
	}
	return u, nil
}

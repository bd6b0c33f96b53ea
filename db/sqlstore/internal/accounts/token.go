package accounts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"gloss/db"
	"gloss/db/sqlstore/internal/core"
)

// tokenPrefix marks Gloss API tokens, so a leaked one is easy to recognise.
const tokenPrefix = "gls_"

// CreateAPIToken makes a token for the user and returns its secret.
func (store *Accounts) CreateAPIToken(ctx context.Context, userID int64, name string) (string, db.APIToken, error) {
	name, err := db.CleanText("Token name", name, 1, db.MaxNameLen, false)
	if err != nil {
		return "", db.APIToken{}, err
	}
	raw, hash := db.NewSecret(tokenPrefix)
	t := db.APIToken{Name: name}
	err = store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM api_tokens WHERE user_id = ?`, userID).Scan(&n); err != nil {
			return err
		}
		if n >= db.MaxTokensPerUser {
			return db.Errorf(db.ECONFLICT, "You have %d tokens already: revoke some first.", n)
		}
		var created string
		if err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)
			RETURNING id, created_at`, userID, name, hash, store.NowText()).Scan(&t.ID, &created); err != nil {
			return fmt.Errorf("db: create token: %w", err)
		}
		t.CreatedAt = core.ParseTime(created)
		return nil
	})
	if err != nil {
		return "", db.APIToken{}, err
	}
	return raw, t, nil
}

// APITokens lists a user's tokens, newest first.
func (store *Accounts) APITokens(ctx context.Context, userID int64) ([]db.APIToken, error) {
	rows, err := store.Query(ctx, `SELECT id, name, created_at, COALESCE(last_used_at, '') FROM api_tokens
		WHERE user_id = ? ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("db: list tokens: %w", err)
	}
	return core.ScanAll(rows, func(r core.RowScanner) (db.APIToken, error) {
		var t db.APIToken
		var created, used string
		if err := r.Scan(&t.ID, &t.Name, &created, &used); err != nil {
			return t, err
		}
		t.CreatedAt, t.LastUsedAt = core.ParseTime(created), core.ParseTime(used)
		return t, nil
	})
}

// RevokeAPIToken deletes one of the user's tokens.
func (store *Accounts) RevokeAPIToken(ctx context.Context, userID, tokenID int64) error {
	return store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM api_tokens WHERE id = ? AND user_id = ?`, tokenID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return db.Errorf(db.ENOTFOUND, "There is no such token.")
		}
		return store.AppendEvent(ctx, tx, db.Event{Kind: db.SessionEnded, UserID: userID, ActorID: userID})
	})
}

// touchInterval limits bookkeeping writes: last-used times are kept to
// the minute, not rewritten on every request.
const touchInterval = time.Minute

// UserByAPIToken authenticates a bearer token.
func (store *Accounts) UserByAPIToken(ctx context.Context, raw string) (db.User, error) {
	if !strings.HasPrefix(raw, tokenPrefix) {
		return db.User{}, db.Errorf(db.EUNAUTHORIZED, "The API token is not valid.")
	}
	var (
		u       db.User
		tokenID int64
		created string
		used    string
	)
	err := store.QueryRow(ctx, `
		SELECT u.id, u.email, u.name, u.is_admin, u.created_at, t.id, COALESCE(t.last_used_at, '')
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`, db.HashSecret(raw)).
		Scan(&u.ID, &u.Email, &u.Name, &u.Admin, &created, &tokenID, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return db.User{}, db.Errorf(db.EUNAUTHORIZED, "The API token is not valid, or was revoked.")
	} else if err != nil {
		return db.User{}, fmt.Errorf("db: token: %w", err)
	}
	u.CreatedAt = core.ParseTime(created)
	if store.Now().Sub(core.ParseTime(used)) > touchInterval {
		if err := store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, store.NowText(), tokenID)
			return err
		}); err != nil {
			return db.User{}, err
		}
	}
	return u, nil
}

package core

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gloss/db"
)

// Throttle changes one key's sign-in throttle counts in a write of its
// own: the writer (one per instance, and on PostgreSQL a lock across
// instances) runs one at a time, so a read, a change and a write cannot
// interleave with another's. Counts past their time are forgotten on the
// way.
func (store *Core) Throttle(ctx context.Context, key string, change func(c *db.ThrottleCounts, now time.Time) time.Time) error {
	err := store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		now := store.Now().UTC()
		stamp := now.Format(TimeFormat)
		if _, err := tx.ExecContext(ctx, `DELETE FROM sign_in_throttles WHERE forget_at <= ?`, stamp); err != nil {
			return err
		}
		var (
			c         db.ThrottleCounts
			until, at string
		)
		err := tx.QueryRowContext(ctx, `SELECT failures, inflight, tokens, until, at FROM sign_in_throttles WHERE key = ?`, key).
			Scan(&c.Failures, &c.Inflight, &c.Tokens, &until, &at)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		default:
			c.Until, c.At = ParseTime(until), ParseTime(at)
		}
		forget := change(&c, now)
		if !forget.After(now) {
			_, err := tx.ExecContext(ctx, `DELETE FROM sign_in_throttles WHERE key = ?`, key)
			return err
		}
		_, err = tx.ExecContext(ctx, `
			INSERT INTO sign_in_throttles (key, failures, inflight, tokens, until, at, forget_at) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, inflight = excluded.inflight, tokens = excluded.tokens,
			    until = excluded.until, at = excluded.at, forget_at = excluded.forget_at`,
			key, c.Failures, c.Inflight, c.Tokens, c.Until.UTC().Format(TimeFormat), c.At.UTC().Format(TimeFormat), forget.UTC().Format(TimeFormat))
		return err
	})
	if err != nil {
		return fmt.Errorf("db: sign-in throttle: %w", err)
	}
	return nil
}

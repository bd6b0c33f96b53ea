package content

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gloss/db"
	"gloss/db/sqlstore/internal/core"
)

// DueDigests finds the people to email now (db.Mail).
func (store *Content) DueDigests(ctx context.Context, now time.Time, gap, wait time.Duration) ([]db.Digest, error) {
	stale := now.Add(-24 * time.Hour).UTC().Format(core.TimeFormat)
	// Older than a day (email was off then, or the server down): not sent.
	if err := store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE notifications SET email_state = 'none' WHERE email_state = 'due' AND (created_at < ? OR read_at IS NOT NULL)`, stale)
		return err
	}); err != nil {
		return nil, fmt.Errorf("db: due emails: %w", err)
	}
	rows, err := store.Reads(ctx).QueryContext(ctx, `
		SELECT u.id, u.email, u.name, COALESCE(s.token, '') FROM users u LEFT JOIN email_settings s ON s.user_id = u.id
		WHERE COALESCE(s.enabled, 1) = 1 AND (s.last_sent_at IS NULL OR s.last_sent_at <= ?)
		  AND EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = u.id AND n.email_state = 'due')
		  AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = u.id AND n.email_state = 'due' AND n.created_at > ?)
		ORDER BY u.id LIMIT 100`,
		now.Add(-gap).UTC().Format(core.TimeFormat), now.Add(-wait).UTC().Format(core.TimeFormat))
	if err != nil {
		return nil, fmt.Errorf("db: due emails: %w", err)
	}
	people, err := core.ScanAll(rows, func(r core.RowScanner) (db.Digest, error) {
		var d db.Digest
		err := r.Scan(&d.UserID, &d.Email, &d.Name, &d.Token)
		return d, err
	})
	if err != nil {
		return nil, err
	}
	var out []db.Digest
	for _, d := range people {
		if d.Token == "" {
			if d.Token, err = store.EmailToken(ctx, d.UserID); err != nil {
				return nil, err
			}
		}
		v, err := store.ViewerFor(ctx, db.User{ID: d.UserID, Name: d.Name, Email: d.Email})
		if err != nil {
			return nil, err
		}
		rows, err := store.Reads(ctx).QueryContext(ctx, `SELECT id FROM notifications WHERE user_id = ? AND email_state = 'due' ORDER BY id`, d.UserID)
		if err != nil {
			return nil, err
		}
		ids, err := core.ScanColumn[int64](rows)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			n, err := store.NotificationByID(ctx, v, id)
			if db.ErrorCode(err) == db.ENOTFOUND {
				continue // no longer theirs to see: never emailed
			} else if err != nil {
				return nil, err
			}
			d.Items = append(d.Items, n)
		}
		if len(d.Items) == 0 {
			if err := store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, `UPDATE notifications SET email_state = 'none' WHERE user_id = ? AND email_state = 'due'`, d.UserID)
				return err
			}); err != nil {
				return nil, err
			}
			continue
		}
		out = append(out, d)
	}
	return out, nil
}

// EmailToken is a person's unsubscribe token, made on first use.
func (store *Content) EmailToken(ctx context.Context, userID int64) (string, error) {
	var token string
	err := store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var err error
		token, err = store.emailToken(ctx, tx, userID)
		return err
	})
	return token, err
}

// QueueDigest stores a digest's message and marks its notifications
// emailed, unless another took them first (db.Mail).
func (store *Content) QueueDigest(ctx context.Context, d db.Digest, m db.OutMessage) error {
	return store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, n := range d.Items {
			res, err := tx.ExecContext(ctx, `UPDATE notifications SET email_state = 'queued' WHERE id = ? AND email_state = 'due'`, n.ID)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 0 {
				return db.Errorf(db.ECONFLICT, "notification %d was emailed already", n.ID)
			}
		}
		if _, err := store.emailToken(ctx, tx, d.UserID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE email_settings SET last_sent_at = ? WHERE user_id = ?`, store.NowText(), d.UserID); err != nil {
			return err
		}
		return insertOutbox(ctx, tx, m, store.NowText())
	})
}

func insertOutbox(ctx context.Context, tx *sql.Tx, m db.OutMessage, now string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox (user_id, to_addr, subject, body, unsubscribe, created_at, next_attempt_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, core.NullID(m.UserID), m.To, m.Subject, m.Body, m.Unsubscribe, now, now)
	if err != nil {
		return fmt.Errorf("db: queue email: %w", err)
	}
	return nil
}

// QueueMail stores a message (db.Mail).
func (store *Content) QueueMail(ctx context.Context, m db.OutMessage) error {
	return store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return insertOutbox(ctx, tx, m, store.NowText())
	})
}

// ClaimMail takes the messages due for sending, marking them as being sent
// (db.Mail). A message being sent keeps, in next_attempt_at, when it was
// claimed (RecoverMail).
func (store *Content) ClaimMail(ctx context.Context, now time.Time, limit int) ([]db.OutMessage, error) {
	var out []db.OutMessage
	err := store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, COALESCE(user_id, 0), to_addr, subject, body, unsubscribe, attempts FROM outbox
			WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`, now.UTC().Format(core.TimeFormat), limit)
		if err != nil {
			return err
		}
		out, err = core.ScanAll(rows, func(r core.RowScanner) (db.OutMessage, error) {
			var m db.OutMessage
			err := r.Scan(&m.ID, &m.UserID, &m.To, &m.Subject, &m.Body, &m.Unsubscribe, &m.Attempts)
			return m, err
		})
		if err != nil {
			return err
		}
		for i := range out {
			out[i].Attempts++
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'sending', attempts = attempts + 1, next_attempt_at = ? WHERE id = ?`,
				now.UTC().Format(core.TimeFormat), out[i].ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("db: claim email: %w", err)
	}
	return out, nil
}

// MailSent records a message as sent (db.Mail).
func (store *Content) MailSent(ctx context.Context, id int64) error {
	return store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'sent', sent_at = ?, last_error = '' WHERE id = ?`, store.NowText(), id)
		return err
	})
}

// MailFailed records a failed attempt (db.Mail).
func (store *Content) MailFailed(ctx context.Context, id int64, reason string, retryAt time.Time) error {
	return store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if retryAt.IsZero() {
			_, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'failed', last_error = ? WHERE id = ?`, reason, id)
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'pending', last_error = ?, next_attempt_at = ? WHERE id = ?`,
			reason, retryAt.UTC().Format(core.TimeFormat), id)
		return err
	})
}

// RecoverMail marks what was claimed for sending before before and never
// finished (db.Mail): only those, as another instance may be sending what
// was claimed since.
func (store *Content) RecoverMail(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'unknown',
			last_error = 'the server stopped while sending it: not sent again, to be sure it is not sent twice'
			WHERE state = 'sending' AND next_attempt_at < ?`, before.UTC().Format(core.TimeFormat))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// Unsubscribe turns a person's emails off by their token (db.Mail).
func (store *Content) Unsubscribe(ctx context.Context, token string) (string, error) {
	var name string
	err := store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT u.name FROM email_settings s JOIN users u ON u.id = s.user_id WHERE s.token = ?`, token).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return db.Errorf(db.ENOTFOUND, "This unsubscribe link is not known: it may be from another Gloss.")
		} else if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE email_settings SET enabled = 0 WHERE token = ?`, token)
		return err
	})
	return name, err
}

// OutboxStates counts the outbox by state (db.Mail).
func (store *Content) OutboxStates(ctx context.Context) (map[string]int, error) {
	rows, err := store.Reads(ctx).QueryContext(ctx, `SELECT state, COUNT(*) FROM outbox GROUP BY state`)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	err = core.EachRow(rows, func(r *sql.Rows) error {
		var s string
		var n int
		if err := r.Scan(&s, &n); err != nil {
			return err
		}
		out[s] = n
		return nil
	})
	return out, err
}

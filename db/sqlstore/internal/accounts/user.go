package accounts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"

	"gloss/db"
	"gloss/db/password"
	"gloss/db/sqlstore/internal/core"
)

const userColumns = `id, email, name, is_admin, created_at`

func scanUser(row interface{ Scan(...any) error }) (db.User, error) {
	var u db.User
	var created string
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Admin, &created)
	u.CreatedAt = core.ParseTime(created)
	return u, err
}

// CreateUser creates an account. The email must be new.
func (store *Accounts) CreateUser(ctx context.Context, in db.NewUser) (db.User, error) {
	if err := in.Validate(); err != nil {
		return db.User{}, err
	}
	hash, err := password.Hash(in.Password)
	if err != nil {
		return db.User{}, err
	}
	var u db.User
	err = store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		u, err = CreateUser(ctx, tx, in, hash, store.NowText())
		return err
	})
	return u, err
}

func CreateUser(ctx context.Context, tx *sql.Tx, in db.NewUser, hash, now string) (db.User, error) {
	var exists bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE email = ?)`, in.Email).Scan(&exists); err != nil {
		return db.User{}, fmt.Errorf("db: create user: %w", err)
	}
	if exists {
		return db.User{}, db.Errorf(db.ECONFLICT, "There is already an account for %s.", in.Email)
	}
	u, err := scanUser(tx.QueryRowContext(ctx, `
		INSERT INTO users (email, name, password_hash, is_admin, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING `+userColumns,
		in.Email, in.Name, hash, in.Admin, now, now))
	if err != nil {
		return db.User{}, fmt.Errorf("db: create user: %w", err)
	}
	return u, nil
}

// UserByEmail returns the user with that address.
func (store *Accounts) UserByEmail(ctx context.Context, email string) (db.User, error) {
	u, err := scanUser(store.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`,
		strings.ToLower(strings.TrimSpace(email))))
	if errors.Is(err, sql.ErrNoRows) {
		return u, db.Errorf(db.ENOTFOUND, "There is no account for %s.", email)
	}
	return u, err
}

// UserByID returns an account by its id.
func (store *Accounts) UserByID(ctx context.Context, id int64) (db.User, error) {
	u, err := scanUser(store.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, db.Errorf(db.ENOTFOUND, "There is no such person.")
	}
	return u, err
}

// Users lists every account, for administrators.
func (store *Accounts) Users(ctx context.Context) ([]db.User, error) {
	rows, err := store.Query(ctx, `SELECT `+userColumns+` FROM users ORDER BY name COLLATE NOCASE, id`)
	if err != nil {
		return nil, fmt.Errorf("db: list users: %w", err)
	}
	return core.ScanAll(rows, scanUser)
}

var dummyOnce sync.Once

var dummyHash string

// errBadCredentials is the one answer to a failed sign-in, whichever part
// was wrong, so the answer does not reveal who has an account.
var errBadCredentials = db.Errorf(db.EUNAUTHORIZED, "The email or password is not right.")

// Authenticate checks an email and password. For an unknown email it still
// checks the password against a dummy hash, so timing reveals nothing.
func (store *Accounts) Authenticate(ctx context.Context, email, pw string) (db.User, error) {
	dummyOnce.Do(func() { dummyHash, _ = password.Hash("gloss dummy password for timing") })
	var (
		u    db.User
		hash string
	)
	var created string
	err := store.QueryRow(ctx, `SELECT id, email, name, is_admin, created_at, password_hash FROM users WHERE email = ?`,
		strings.ToLower(strings.TrimSpace(email))).Scan(&u.ID, &u.Email, &u.Name, &u.Admin, &created, &hash)
	u.CreatedAt = core.ParseTime(created)
	if errors.Is(err, sql.ErrNoRows) {
		_, _ = password.Check(pw, dummyHash)
		return db.User{}, errBadCredentials
	} else if err != nil {
		return db.User{}, fmt.Errorf("db: authenticate: %w", err)
	}
	if hash == NoPassword {
		// A system account (the starter set's): nobody signs in as it.
		_, _ = password.Check(pw, dummyHash)
		return db.User{}, errBadCredentials
	}
	ok, err := password.Check(pw, hash)
	if err != nil {
		return db.User{}, fmt.Errorf("db: authenticate %d: %w", u.ID, err)
	}
	if !ok {
		return db.User{}, errBadCredentials
	}
	if password.NeedsRehash(hash) {
		store.rehash(ctx, u.ID, hash, pw)
	}
	return u, nil
}

// rehash stores a hash of pw made with password.Default in place of old,
// the one it was just checked against: raising Default takes effect as
// people sign in. It is best effort, so a full disk does not stop sign-in;
// the next sign-in tries again.
func (store *Accounts) rehash(ctx context.Context, id int64, old, pw string) {
	hash, err := password.Hash(pw)
	if err != nil {
		return
	}
	_ = store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?`, hash, id, old)
		return err
	})
}

// UpdateUserName changes a display name.
func (store *Accounts) UpdateUserName(ctx context.Context, id int64, name string) error {
	name, err := db.ValidateName(name)
	if err != nil {
		return err
	}
	return store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET name = ?, updated_at = ? WHERE id = ?`, name, store.NowText(), id); err != nil {
			return err
		}
		// Their name is on their cards everywhere: a site-wide event.
		return store.AppendEvent(ctx, tx, db.Event{Kind: db.UserRenamed, ActorID: id})
	})
}

// ChangePassword replaces a password after checking the current one, and
// signs out every other session; with revokeTokens it also deletes the
// account's API tokens (a password may be changed because someone else
// had it, who may have made one), and says how many. keepSID is the
// session that made the change.
func (store *Accounts) ChangePassword(ctx context.Context, id int64, current, next, keepSID string, revokeTokens bool) (int, error) {
	var hash string
	if err := store.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = ?`, id).Scan(&hash); err != nil {
		return 0, fmt.Errorf("db: change password: %w", err)
	}
	if ok, err := password.Check(current, hash); err != nil {
		return 0, err
	} else if !ok {
		return 0, db.Errorf(db.EINVALID, "The current password is not right.")
	}
	if err := db.ValidatePassword(next); err != nil {
		return 0, err
	}
	newHash, err := password.Hash(next)
	if err != nil {
		return 0, err
	}
	var revoked int64
	err = store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, newHash, store.NowText(), id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM user_sessions WHERE user_id = ? AND sid <> ?`, id, keepSID); err != nil {
			return err
		}
		if err := store.AppendEvent(ctx, tx, db.Event{Kind: db.SessionEnded, UserID: id, ActorID: id}); err != nil {
			return err
		}
		if !revokeTokens {
			return nil
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM api_tokens WHERE user_id = ?`, id)
		if err != nil {
			return err
		}
		revoked, err = res.RowsAffected()
		return err
	})
	return int(revoked), err
}

// NoPassword is the password hash of an account that cannot sign in (the
// starter set's people, a generated corpus without a password).
const NoPassword = ""

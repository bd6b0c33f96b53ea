package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"gloss/db/password"
)

// User is a person with an account.
type User struct {
	ID        int64
	Email     string
	Name      string
	Admin     bool
	CreatedAt time.Time
}

// NewUser is what creating an account takes.
type NewUser struct {
	Email    string
	Name     string
	Password string
	Admin    bool
}

// Validate checks and normalizes the input.
func (in *NewUser) Validate() error {
	var err error
	if in.Email, err = NormalizeEmail(in.Email); err != nil {
		return err
	}
	if in.Name, err = ValidateName(in.Name); err != nil {
		return err
	}
	return ValidatePassword(in.Password)
}

const userColumns = `id, email, name, is_admin, created_at`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	var created string
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Admin, &created)
	u.CreatedAt = parseTime(created)
	return u, err
}

// CreateUser creates an account. The email must be new.
func (db *DB) CreateUser(ctx context.Context, in NewUser) (User, error) {
	if err := in.Validate(); err != nil {
		return User{}, err
	}
	hash, err := password.Hash(in.Password)
	if err != nil {
		return User{}, err
	}
	var u User
	err = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		u, err = createUser(ctx, tx, in, hash, db.now())
		return err
	})
	return u, err
}

func createUser(ctx context.Context, tx *sql.Tx, in NewUser, hash, now string) (User, error) {
	var exists bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE email = ?)`, in.Email).Scan(&exists); err != nil {
		return User{}, fmt.Errorf("db: create user: %w", err)
	}
	if exists {
		return User{}, Errorf(ECONFLICT, "There is already an account for %s.", in.Email)
	}
	u, err := scanUser(tx.QueryRowContext(ctx, `
		INSERT INTO users (email, name, password_hash, is_admin, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING `+userColumns,
		in.Email, in.Name, hash, in.Admin, now, now))
	if err != nil {
		return User{}, fmt.Errorf("db: create user: %w", err)
	}
	return u, nil
}

// UserByID returns one user.
func (db *DB) UserByID(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, Errorf(ENOTFOUND, "There is no such person.")
	}
	return u, err
}

// UserByEmail returns the user with that address.
func (db *DB) UserByEmail(ctx context.Context, email string) (User, error) {
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`,
		strings.ToLower(strings.TrimSpace(email))))
	if errors.Is(err, sql.ErrNoRows) {
		return u, Errorf(ENOTFOUND, "There is no account for %s.", email)
	}
	return u, err
}

// Users lists every account, for administrators.
func (db *DB) Users(ctx context.Context) ([]User, error) {
	rows, err := db.query(ctx, `SELECT `+userColumns+` FROM users ORDER BY name COLLATE NOCASE, id`)
	if err != nil {
		return nil, fmt.Errorf("db: list users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

var (
	dummyOnce sync.Once
	dummyHash string
)

// errBadCredentials is the one answer to a failed sign-in, whichever part
// was wrong, so the answer does not reveal who has an account.
var errBadCredentials = Errorf(EUNAUTHORIZED, "The email or password is not right.")

// Authenticate checks an email and password. For an unknown email it still
// checks the password against a dummy hash, so timing reveals nothing.
func (db *DB) Authenticate(ctx context.Context, email, pw string) (User, error) {
	dummyOnce.Do(func() { dummyHash, _ = password.Hash("gloss dummy password for timing") })
	var (
		u    User
		hash string
	)
	var created string
	err := db.queryRow(ctx, `SELECT id, email, name, is_admin, created_at, password_hash FROM users WHERE email = ?`,
		strings.ToLower(strings.TrimSpace(email))).Scan(&u.ID, &u.Email, &u.Name, &u.Admin, &created, &hash)
	u.CreatedAt = parseTime(created)
	if errors.Is(err, sql.ErrNoRows) {
		_, _ = password.Check(pw, dummyHash)
		return User{}, errBadCredentials
	} else if err != nil {
		return User{}, fmt.Errorf("db: authenticate: %w", err)
	}
	ok, err := password.Check(pw, hash)
	if err != nil {
		return User{}, fmt.Errorf("db: authenticate %d: %w", u.ID, err)
	}
	if !ok {
		return User{}, errBadCredentials
	}
	if password.NeedsRehash(hash) {
		db.rehash(ctx, u.ID, hash, pw)
	}
	return u, nil
}

// rehash stores a hash of pw made with password.Default in place of old,
// the one it was just checked against: raising Default takes effect as
// people sign in. It is best effort, so a full disk does not stop sign-in;
// the next sign-in tries again.
func (db *DB) rehash(ctx context.Context, id int64, old, pw string) {
	hash, err := password.Hash(pw)
	if err != nil {
		return
	}
	_ = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?`, hash, id, old)
		return err
	})
}

// UpdateUserName changes a display name.
func (db *DB) UpdateUserName(ctx context.Context, id int64, name string) error {
	name, err := ValidateName(name)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE users SET name = ?, updated_at = ? WHERE id = ?`, name, db.now(), id)
		return err
	})
}

// ChangePassword replaces a password after checking the current one, and
// signs out every other session and deletes no API token (those are revoked
// separately). keepSID is the session that made the change.
func (db *DB) ChangePassword(ctx context.Context, id int64, current, next, keepSID string) error {
	var hash string
	if err := db.queryRow(ctx, `SELECT password_hash FROM users WHERE id = ?`, id).Scan(&hash); err != nil {
		return fmt.Errorf("db: change password: %w", err)
	}
	if ok, err := password.Check(current, hash); err != nil {
		return err
	} else if !ok {
		return Errorf(EINVALID, "The current password is not right.")
	}
	if err := ValidatePassword(next); err != nil {
		return err
	}
	newHash, err := password.Hash(next)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, newHash, db.now(), id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM user_sessions WHERE user_id = ? AND sid <> ?`, id, keepSID)
		return err
	})
}

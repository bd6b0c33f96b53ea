package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gloss/db/password"
)

// Invitation limits.
const (
	InviteTTL         = 7 * 24 * time.Hour
	MaxInviteUses     = 500
	MaxInviteLifetime = 30 * 24 * time.Hour
)

// Invite is a link that creates an account (GroupID 0) or joins a group.
type Invite struct {
	ID        int64
	GroupID   int64
	GroupName string
	Role      Role
	Email     string
	MaxUses   int
	Uses      int
	CreatedBy int64
	ExpiresAt time.Time
	// AllowsSignup: a group invitation with which someone without an
	// account may make one (and join with it).
	AllowsSignup bool
}

// NewInvite describes a link to make. For an account invite leave GroupID 0.
type NewInvite struct {
	GroupID   int64
	Role      Role
	Email     string // optional: the address the account must use
	MaxUses   int    // 0 means 1
	ExpiresIn time.Duration
	CreatedBy int64
	// AllowsSignup lets someone without an account make one with a group
	// invitation (its owners decide).
	AllowsSignup bool
}

// CreateInvite stores an invitation and returns its secret token, which is
// shown once and never stored.
func (db *DB) CreateInvite(ctx context.Context, in NewInvite) (string, Invite, error) {
	if in.MaxUses == 0 {
		in.MaxUses = 1
	}
	if in.ExpiresIn == 0 {
		in.ExpiresIn = InviteTTL
	}
	if in.Role == "" {
		in.Role = RoleMember
	}
	if _, err := ParseRole(string(in.Role)); err != nil {
		return "", Invite{}, err
	}
	switch {
	case in.MaxUses < 1 || in.MaxUses > MaxInviteUses:
		return "", Invite{}, Errorf(EINVALID, "An invitation can be used from 1 to %d times.", MaxInviteUses)
	case in.ExpiresIn < time.Hour || in.ExpiresIn > MaxInviteLifetime:
		return "", Invite{}, Errorf(EINVALID, "An invitation must last between an hour and %d days.", int(MaxInviteLifetime.Hours()/24))
	}
	if in.Email != "" {
		var err error
		if in.Email, err = NormalizeEmail(in.Email); err != nil {
			return "", Invite{}, err
		}
	}
	if in.AllowsSignup && in.GroupID == 0 {
		return "", Invite{}, Errorf(EINVALID, "Only a group invitation can also let people make an account: an account invitation always does.")
	}
	raw, hash := newSecret("inv_")
	inv := Invite{GroupID: in.GroupID, Role: in.Role, Email: in.Email, MaxUses: in.MaxUses, CreatedBy: in.CreatedBy,
		ExpiresAt: db.Now().Add(in.ExpiresIn).UTC().Truncate(time.Millisecond), AllowsSignup: in.AllowsSignup}
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var group any
		if in.GroupID != 0 {
			group = in.GroupID
		}
		return tx.QueryRowContext(ctx, `
			INSERT INTO invites (token_hash, group_id, role, email, max_uses, created_by, created_at, expires_at, allows_signup)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			hash, group, in.Role, in.Email, in.MaxUses, in.CreatedBy, db.now(), inv.ExpiresAt.Format(timeFormat), in.AllowsSignup).Scan(&inv.ID)
	})
	if err != nil {
		return "", Invite{}, fmt.Errorf("db: create invite: %w", err)
	}
	return raw, inv, nil
}

// InviteByToken returns a usable invitation, or EGONE when it has expired,
// been used up or revoked, or ENOTFOUND when the token is unknown.
func (db *DB) InviteByToken(ctx context.Context, token string) (Invite, error) {
	return db.usableInvite(ctx, db.read, token)
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (db *DB) usableInvite(ctx context.Context, q queryer, token string) (Invite, error) {
	var (
		inv       Invite
		groupID   sql.NullInt64
		groupName sql.NullString
		expires   string
		revoked   sql.NullString
	)
	err := q.QueryRowContext(ctx, `
		SELECT i.id, i.group_id, g.name, i.role, i.email, i.max_uses, i.uses, i.created_by, i.expires_at, i.revoked_at, i.allows_signup
		FROM invites i LEFT JOIN groups g ON g.id = i.group_id
		WHERE i.token_hash = ?`, hashSecret(token)).
		Scan(&inv.ID, &groupID, &groupName, &inv.Role, &inv.Email, &inv.MaxUses, &inv.Uses, &inv.CreatedBy, &expires, &revoked, &inv.AllowsSignup)
	if errors.Is(err, sql.ErrNoRows) {
		return inv, Errorf(ENOTFOUND, "This invitation link is not valid. Check that it was copied whole.")
	} else if err != nil {
		return inv, fmt.Errorf("db: find invite: %w", err)
	}
	inv.GroupID, inv.GroupName, inv.ExpiresAt = groupID.Int64, groupName.String, parseTime(expires)
	switch {
	case revoked.Valid:
		return inv, Errorf(EGONE, "This invitation was withdrawn. Ask for a new one.")
	case !db.Now().Before(inv.ExpiresAt):
		return inv, Errorf(EGONE, "This invitation has expired. Ask for a new one.")
	case inv.Uses >= inv.MaxUses:
		return inv, Errorf(EGONE, "This invitation has already been used. Ask for a new one.")
	}
	return inv, nil
}

// AcceptAccountInvite creates the invited account and uses up the invite,
// all in one transaction.
func (db *DB) AcceptAccountInvite(ctx context.Context, token string, in NewUser) (User, error) {
	if err := in.Validate(); err != nil {
		return User{}, err
	}
	hash, err := password.Hash(in.Password)
	if err != nil {
		return User{}, err
	}
	in.Admin = false
	var u User
	err = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		inv, err := db.usableInvite(ctx, tx, token)
		if err != nil {
			return err
		}
		if inv.GroupID != 0 {
			return Errorf(EINVALID, "This link invites you to a group: sign in or create an account first.")
		}
		if inv.Email != "" && inv.Email != in.Email {
			return Errorf(EINVALID, "This invitation is for %s.", inv.Email)
		}
		if u, err = createUser(ctx, tx, in, hash, db.now()); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE invites SET uses = uses + 1 WHERE id = ?`, inv.ID)
		return err
	})
	return u, err
}

// AcceptGroupInvite adds the user to the invite's group with its role. A
// person already in the group keeps their role and the invite is not used.
func (db *DB) AcceptGroupInvite(ctx context.Context, token string, userID int64) (Group, error) {
	var groupID int64
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		inv, err := db.usableInvite(ctx, tx, token)
		if err != nil {
			return err
		}
		groupID = inv.GroupID
		return joinWithInvite(ctx, tx, inv, userID, db.now())
	})
	if err != nil {
		return Group{}, err
	}
	return db.GroupByID(ctx, groupID)
}

// joinWithInvite adds the user to a usable invite's group and uses it up
// by one, inside tx.
func joinWithInvite(ctx context.Context, tx *sql.Tx, inv Invite, userID int64, now string) error {
	if inv.GroupID == 0 {
		return Errorf(EINVALID, "This link is for creating an account, and you already have one.")
	}
	if _, err := memberRole(ctx, tx, inv.GroupID, userID); err == nil {
		return Errorf(ECONFLICT, "You are already a member of %s.", inv.GroupName)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO group_members (group_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)`,
		inv.GroupID, userID, inv.Role, now); err != nil {
		return fmt.Errorf("db: join group: %w", err)
	}
	_, err := tx.ExecContext(ctx, `UPDATE invites SET uses = uses + 1 WHERE id = ?`, inv.ID)
	return err
}

// SignupWithGroupInvite creates an account with a group invitation whose
// owners allowed it, and joins the group with it, in one transaction and
// one use of the link: the account exists only by that invitation.
func (db *DB) SignupWithGroupInvite(ctx context.Context, token string, in NewUser) (User, Group, error) {
	if err := in.Validate(); err != nil {
		return User{}, Group{}, err
	}
	hash, err := password.Hash(in.Password)
	if err != nil {
		return User{}, Group{}, err
	}
	in.Admin = false
	var u User
	var groupID int64
	err = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		inv, err := db.usableInvite(ctx, tx, token)
		if err != nil {
			return err
		}
		if inv.GroupID == 0 || !inv.AllowsSignup {
			return Errorf(EFORBIDDEN, "This invitation does not create accounts: sign in to join, or ask the group's owners for a link that lets you make an account.")
		}
		now := db.now()
		if u, err = createUser(ctx, tx, in, hash, now); err != nil {
			return err
		}
		groupID = inv.GroupID
		return joinWithInvite(ctx, tx, inv, u.ID, now)
	})
	if err != nil {
		return User{}, Group{}, err
	}
	g, err := db.GroupByID(ctx, groupID)
	return u, g, err
}

// GroupInvites lists a group's invitations that can still be used.
func (db *DB) GroupInvites(ctx context.Context, groupID int64) ([]Invite, error) {
	rows, err := db.query(ctx, `
		SELECT id, role, max_uses, uses, created_by, expires_at, allows_signup FROM invites
		WHERE group_id = ? AND revoked_at IS NULL AND uses < max_uses AND expires_at > ?
		ORDER BY expires_at`, groupID, db.now())
	if err != nil {
		return nil, fmt.Errorf("db: invites of %d: %w", groupID, err)
	}
	defer rows.Close()
	var out []Invite
	for rows.Next() {
		inv := Invite{GroupID: groupID}
		var expires string
		if err := rows.Scan(&inv.ID, &inv.Role, &inv.MaxUses, &inv.Uses, &inv.CreatedBy, &expires, &inv.AllowsSignup); err != nil {
			return nil, err
		}
		inv.ExpiresAt = parseTime(expires)
		out = append(out, inv)
	}
	return out, rows.Err()
}

// RevokeInvite withdraws a group's invitation.
func (db *DB) RevokeInvite(ctx context.Context, groupID, inviteID int64) error {
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE invites SET revoked_at = ? WHERE id = ? AND group_id IS ? AND revoked_at IS NULL`,
			db.now(), inviteID, nullID(groupID))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Errorf(ENOTFOUND, "There is no such invitation.")
		}
		return nil
	})
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

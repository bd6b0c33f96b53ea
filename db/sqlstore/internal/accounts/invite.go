package accounts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gloss/db"
	"gloss/db/password"
	"gloss/db/sqlstore/internal/core"
)

// CreateInvite stores an invitation and returns its secret token, which is
// shown once and never stored.
func (store *Accounts) CreateInvite(ctx context.Context, in db.NewInvite) (string, db.Invite, error) {
	if in.MaxUses == 0 {
		in.MaxUses = 1
	}
	if in.ExpiresIn == 0 {
		in.ExpiresIn = db.InviteTTL
	}
	if in.Role == "" {
		in.Role = db.RoleMember
	}
	if _, err := db.ParseRole(string(in.Role)); err != nil {
		return "", db.Invite{}, err
	}
	switch {
	case in.MaxUses < 1 || in.MaxUses > db.MaxInviteUses:
		return "", db.Invite{}, db.Errorf(db.EINVALID, "An invitation can be used from 1 to %d times.", db.MaxInviteUses)
	case in.ExpiresIn < time.Hour || in.ExpiresIn > db.MaxInviteLifetime:
		return "", db.Invite{}, db.Errorf(db.EINVALID, "An invitation must last between an hour and %d days.", int(db.MaxInviteLifetime.Hours()/24))
	}
	if in.Email != "" {
		var err error
		if in.Email, err = db.NormalizeEmail(in.Email); err != nil {
			return "", db.Invite{}, err
		}
	}
	if in.AllowsSignup && in.GroupID == 0 {
		return "", db.Invite{}, db.Errorf(db.EINVALID, "Only a group invitation can also let people make an account: an account invitation always does.")
	}
	raw, hash := db.NewSecret("inv_")
	inv := db.Invite{GroupID: in.GroupID, Role: in.Role, Email: in.Email, MaxUses: in.MaxUses, CreatedBy: in.CreatedBy,
		ExpiresAt: store.Now().Add(in.ExpiresIn).UTC().Truncate(time.Millisecond), AllowsSignup: in.AllowsSignup}
	err := store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var group any
		if in.GroupID != 0 {
			group = in.GroupID
		}
		return tx.QueryRowContext(ctx, `
			INSERT INTO invites (token_hash, group_id, role, email, max_uses, created_by, created_at, expires_at, allows_signup)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			hash, group, in.Role, in.Email, in.MaxUses, in.CreatedBy, store.NowText(), inv.ExpiresAt.Format(core.TimeFormat), in.AllowsSignup).Scan(&inv.ID)
	})
	if err != nil {
		return "", db.Invite{}, fmt.Errorf("db: create invite: %w", err)
	}
	return raw, inv, nil
}

// InviteByToken returns a usable invitation, or EGONE when it has expired,
// been used up or revoked, or ENOTFOUND when the token is unknown.
func (store *Accounts) InviteByToken(ctx context.Context, token string) (db.Invite, error) {
	return store.usableInvite(ctx, store.Reads(ctx), token)
}

func (store *Accounts) usableInvite(ctx context.Context, q core.Querier, token string) (db.Invite, error) {
	var (
		inv       db.Invite
		groupID   sql.NullInt64
		groupName sql.NullString
		expires   string
		revoked   sql.NullString
	)
	err := q.QueryRowContext(ctx, `
		SELECT i.id, i.group_id, g.name, i.role, i.email, i.max_uses, i.uses, i.created_by, i.expires_at, i.revoked_at, i.allows_signup
		FROM invites i LEFT JOIN groups g ON g.id = i.group_id
		WHERE i.token_hash = ?`, db.HashSecret(token)).
		Scan(&inv.ID, &groupID, &groupName, &inv.Role, &inv.Email, &inv.MaxUses, &inv.Uses, &inv.CreatedBy, &expires, &revoked, &inv.AllowsSignup)
	if errors.Is(err, sql.ErrNoRows) {
		return inv, db.Errorf(db.ENOTFOUND, "This invitation link is not valid. Check that it was copied whole.")
	} else if err != nil {
		return inv, fmt.Errorf("db: find invite: %w", err)
	}
	inv.GroupID, inv.GroupName, inv.ExpiresAt = groupID.Int64, groupName.String, core.ParseTime(expires)
	switch {
	case revoked.Valid:
		return inv, db.Errorf(db.EGONE, "This invitation was withdrawn. Ask for a new one.")
	case !store.Now().Before(inv.ExpiresAt):
		return inv, db.Errorf(db.EGONE, "This invitation has expired. Ask for a new one.")
	case inv.Uses >= inv.MaxUses:
		return inv, db.Errorf(db.EGONE, "This invitation has already been used. Ask for a new one.")
	}
	return inv, nil
}

// AcceptAccountInvite creates the invited account and uses up the invite,
// all in one transaction.
func (store *Accounts) AcceptAccountInvite(ctx context.Context, token string, in db.NewUser) (db.User, error) {
	if err := in.Validate(); err != nil {
		return db.User{}, err
	}
	hash, err := password.Hash(in.Password)
	if err != nil {
		return db.User{}, err
	}
	in.Admin = false
	var u db.User
	err = store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		inv, err := store.usableInvite(ctx, tx, token)
		if err != nil {
			return err
		}
		if inv.GroupID != 0 {
			return db.Errorf(db.EINVALID, "This link invites you to a group: sign in or create an account first.")
		}
		if inv.Email != "" && inv.Email != in.Email {
			return db.Errorf(db.EINVALID, "This invitation is for %s.", inv.Email)
		}
		if u, err = CreateUser(ctx, tx, in, hash, store.NowText()); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE invites SET uses = uses + 1 WHERE id = ?`, inv.ID)
		return err
	})
	return u, err
}

// AcceptGroupInvite adds the user to the invite's group with its role. A
// person already in the group keeps their role and the invite is not used.
func (store *Accounts) AcceptGroupInvite(ctx context.Context, token string, userID int64) (db.Group, error) {
	var groupID int64
	err := store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		inv, err := store.usableInvite(ctx, tx, token)
		if err != nil {
			return err
		}
		groupID = inv.GroupID
		return store.joinWithInvite(ctx, tx, inv, userID, store.NowText())
	})
	if err != nil {
		return db.Group{}, err
	}
	return store.GroupByID(ctx, groupID)
}

// joinWithInvite adds the user to a usable invite's group and uses it up
// by one, inside tx.
func (store *Accounts) joinWithInvite(ctx context.Context, tx *sql.Tx, inv db.Invite, userID int64, now string) error {
	if inv.GroupID == 0 {
		return db.Errorf(db.EINVALID, "This link is for creating an account, and you already have one.")
	}
	if _, err := memberRole(ctx, tx, inv.GroupID, userID); err == nil {
		return db.Errorf(db.ECONFLICT, "You are already a member of %s.", inv.GroupName)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO group_members (group_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)`,
		inv.GroupID, userID, inv.Role, now); err != nil {
		return fmt.Errorf("db: join group: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE invites SET uses = uses + 1 WHERE id = ?`, inv.ID); err != nil {
		return err
	}
	if err := store.NotifyOwnersOfMember(ctx, tx, inv.GroupID, userID); err != nil {
		return err
	}
	return store.AppendEvent(ctx, tx, db.Event{Kind: db.MemberAdded, GroupID: inv.GroupID, UserID: userID, ActorID: userID})
}

// SignupWithGroupInvite creates an account with a group invitation whose
// owners allowed it, and joins the group with it, in one transaction and
// one use of the link: the account exists only by that invitation.
func (store *Accounts) SignupWithGroupInvite(ctx context.Context, token string, in db.NewUser) (db.User, db.Group, error) {
	if err := in.Validate(); err != nil {
		return db.User{}, db.Group{}, err
	}
	hash, err := password.Hash(in.Password)
	if err != nil {
		return db.User{}, db.Group{}, err
	}
	in.Admin = false
	var u db.User
	var groupID int64
	err = store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		inv, err := store.usableInvite(ctx, tx, token)
		if err != nil {
			return err
		}
		if inv.GroupID == 0 || !inv.AllowsSignup {
			return db.Errorf(db.EFORBIDDEN, "This invitation does not create accounts: sign in to join, or ask the group's owners for a link that lets you make an account.")
		}
		now := store.NowText()
		if u, err = CreateUser(ctx, tx, in, hash, now); err != nil {
			return err
		}
		groupID = inv.GroupID
		return store.joinWithInvite(ctx, tx, inv, u.ID, now)
	})
	if err != nil {
		return db.User{}, db.Group{}, err
	}
	g, err := store.GroupByID(ctx, groupID)
	return u, g, err
}

// GroupInvites lists a group's invitations that can still be used.
func (store *Accounts) GroupInvites(ctx context.Context, groupID int64) ([]db.Invite, error) {
	rows, err := store.Query(ctx, `
		SELECT id, role, max_uses, uses, created_by, expires_at, allows_signup FROM invites
		WHERE group_id = ? AND revoked_at IS NULL AND uses < max_uses AND expires_at > ?
		ORDER BY expires_at`, groupID, store.NowText())
	if err != nil {
		return nil, fmt.Errorf("db: invites of %d: %w", groupID, err)
	}
	return core.ScanAll(rows, func(r core.RowScanner) (db.Invite, error) {
		inv := db.Invite{GroupID: groupID}
		var expires string
		if err := r.Scan(&inv.ID, &inv.Role, &inv.MaxUses, &inv.Uses, &inv.CreatedBy, &expires, &inv.AllowsSignup); err != nil {
			return inv, err
		}
		inv.ExpiresAt = core.ParseTime(expires)
		return inv, nil
	})
}

// RevokeInvite withdraws a group's invitation.
func (store *Accounts) RevokeInvite(ctx context.Context, groupID, inviteID int64) error {
	return store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE invites SET revoked_at = ? WHERE id = ? AND group_id IS ? AND revoked_at IS NULL`,
			store.NowText(), inviteID, core.NullID(groupID))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return db.Errorf(db.ENOTFOUND, "There is no such invitation.")
		}
		return nil
	})
}

package accounts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"gloss/db"
	"gloss/db/sqlstore/internal/content"
	"gloss/db/sqlstore/internal/core"
)

// CreateGroup makes a group with its creator as owner.
func (store *Accounts) CreateGroup(ctx context.Context, creatorID int64, name, description string) (db.Group, error) {
	name, err := db.CleanName("Group name", name, 1, db.MaxNameLen)
	if err != nil {
		return db.Group{}, err
	}
	if description, err = db.CleanText("Description", description, 0, db.MaxDescLen, true); err != nil {
		return db.Group{}, err
	}
	g := db.Group{Name: name, Description: description, Members: 1, Role: db.RoleOwner}
	err = store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		now := store.NowText()
		var created string
		if err := tx.QueryRowContext(ctx, `INSERT INTO groups (name, description, created_by, created_at) VALUES (?, ?, ?, ?)
			RETURNING id, created_at`, name, description, creatorID, now).Scan(&g.ID, &created); err != nil {
			return fmt.Errorf("db: create group: %w", err)
		}
		g.CreatedAt = core.ParseTime(created)
		if _, err := tx.ExecContext(ctx, `INSERT INTO group_members (group_id, user_id, role, joined_at) VALUES (?, ?, 'owner', ?)`,
			g.ID, creatorID, now); err != nil {
			return err
		}
		return store.AppendEvent(ctx, tx, db.Event{Kind: db.MemberAdded, GroupID: g.ID, UserID: creatorID, ActorID: creatorID})
	})
	return g, err
}

// GroupByID returns a group with its member count.
func (store *Accounts) GroupByID(ctx context.Context, id int64) (db.Group, error) {
	var g db.Group
	var created string
	err := store.QueryRow(ctx, `
		SELECT g.id, g.name, g.description, g.created_at, (SELECT COUNT(*) FROM group_members WHERE group_id = g.id)
		FROM groups g WHERE g.id = ?`, id).Scan(&g.ID, &g.Name, &g.Description, &created, &g.Members)
	if errors.Is(err, sql.ErrNoRows) {
		return g, db.Errorf(db.ENOTFOUND, "There is no such group.")
	} else if err != nil {
		return g, fmt.Errorf("db: group %d: %w", id, err)
	}
	g.CreatedAt = core.ParseTime(created)
	return g, nil
}

// GroupsOf lists the groups a user belongs to, with their role in each.
func (store *Accounts) GroupsOf(ctx context.Context, userID int64) ([]db.Group, error) {
	rows, err := store.Query(ctx, `
		SELECT g.id, g.name, g.description, g.created_at, m.role,
		       (SELECT COUNT(*) FROM group_members WHERE group_id = g.id)
		FROM group_members m JOIN groups g ON g.id = m.group_id
		WHERE m.user_id = ? ORDER BY g.name COLLATE NOCASE, g.id`, userID)
	if err != nil {
		return nil, fmt.Errorf("db: groups of %d: %w", userID, err)
	}
	return core.ScanAll(rows, func(r core.RowScanner) (db.Group, error) {
		var g db.Group
		var created string
		if err := r.Scan(&g.ID, &g.Name, &g.Description, &created, &g.Role, &g.Members); err != nil {
			return g, err
		}
		g.CreatedAt = core.ParseTime(created)
		return g, nil
	})
}

// GroupMembers lists a group's members, owners first.
func (store *Accounts) GroupMembers(ctx context.Context, groupID int64) ([]db.Member, error) {
	rows, err := store.Query(ctx, `
		SELECT u.id, u.name, u.email, m.role, m.joined_at
		FROM group_members m JOIN users u ON u.id = m.user_id
		WHERE m.group_id = ?
		ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'member' THEN 1 ELSE 2 END, u.name COLLATE NOCASE`, groupID)
	if err != nil {
		return nil, fmt.Errorf("db: members of %d: %w", groupID, err)
	}
	return core.ScanAll(rows, func(r core.RowScanner) (db.Member, error) {
		var m db.Member
		var joined string
		if err := r.Scan(&m.UserID, &m.Name, &m.Email, &m.Role, &joined); err != nil {
			return m, err
		}
		m.JoinedAt = core.ParseTime(joined)
		return m, nil
	})
}

// SetMemberRole changes a member's role. A group always keeps an owner.
func (store *Accounts) SetMemberRole(ctx context.Context, groupID, userID int64, role db.Role) error {
	if _, err := db.ParseRole(string(role)); err != nil {
		return err
	}
	return store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		current, err := memberRole(ctx, tx, groupID, userID)
		if err != nil {
			return err
		}
		if current == db.RoleOwner && role != db.RoleOwner {
			if err := keepAnOwner(ctx, tx, groupID); err != nil {
				return err
			}
		}
		if _, err = tx.ExecContext(ctx, `UPDATE group_members SET role = ? WHERE group_id = ? AND user_id = ?`, role, groupID, userID); err != nil {
			return err
		}
		if current == role {
			return nil
		}
		return store.AppendEvent(ctx, tx, db.Event{Kind: db.MemberRoleChanged, GroupID: groupID, UserID: userID})
	})
}

// RemoveMember takes a person out of a group (leaving, or removed by an
// owner). The last owner cannot go.
func (store *Accounts) RemoveMember(ctx context.Context, groupID, userID int64) error {
	return store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		current, err := memberRole(ctx, tx, groupID, userID)
		if err != nil {
			return err
		}
		if current == db.RoleOwner {
			if err := keepAnOwner(ctx, tx, groupID); err != nil {
				return err
			}
		}
		if _, err = tx.ExecContext(ctx, `DELETE FROM group_members WHERE group_id = ? AND user_id = ?`, groupID, userID); err != nil {
			return err
		}
		return store.AppendEvent(ctx, tx, db.Event{Kind: db.MemberRemoved, GroupID: groupID, UserID: userID})
	})
}

func memberRole(ctx context.Context, tx *sql.Tx, groupID, userID int64) (db.Role, error) {
	var r db.Role
	err := tx.QueryRowContext(ctx, `SELECT role FROM group_members WHERE group_id = ? AND user_id = ?`, groupID, userID).Scan(&r)
	if errors.Is(err, sql.ErrNoRows) {
		return "", db.Errorf(db.ENOTFOUND, "That person is not a member of this group.")
	}
	return r, err
}

func keepAnOwner(ctx context.Context, tx *sql.Tx, groupID int64) error {
	var owners int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM group_members WHERE group_id = ? AND role = 'owner'`, groupID).Scan(&owners); err != nil {
		return err
	}
	if owners <= 1 {
		return db.Errorf(db.ECONFLICT, "A group needs at least one owner: make someone else an owner first.")
	}
	return nil
}

// SameNameIn lists, by name, the groups of the user (only groupID when
// not 0) in which someone else goes by the same display name, compared
// without regard to case, width or spacing: the person is warned, since
// the others could take one of them for the other.
func (store *Accounts) SameNameIn(ctx context.Context, userID, groupID int64) ([]string, error) {
	rows, err := store.Query(ctx, `
		SELECT g.name, me_u.name, u.name FROM group_members me
		JOIN users me_u ON me_u.id = me.user_id
		JOIN group_members other ON other.group_id = me.group_id AND other.user_id <> me.user_id
		JOIN users u ON u.id = other.user_id
		JOIN groups g ON g.id = me.group_id
		WHERE me.user_id = ? AND (? = 0 OR me.group_id = ?)
		ORDER BY g.name COLLATE NOCASE, g.id`, userID, groupID, groupID)
	if err != nil {
		return nil, fmt.Errorf("db: names in the groups of %d: %w", userID, err)
	}
	var out []string
	err = core.EachRow(rows, func(r *sql.Rows) error {
		var group, mine, theirs string
		if err := r.Scan(&group, &mine, &theirs); err != nil {
			return err
		}
		if content.FoldName(mine) == content.FoldName(theirs) && !slices.Contains(out, group) {
			out = append(out, group)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

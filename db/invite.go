package db

import "time"

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

package db

import "time"

// Role is what a member may do in a group.
type Role string

const (
	RoleOwner  Role = "owner"  // manage members, moderate, and everything a member does
	RoleMember Role = "member" // annotate, reply, tag, note
	RoleViewer Role = "viewer" // read the group's annotations only
)

// Roles lists the roles from most to least powerful.
var Roles = []Role{RoleOwner, RoleMember, RoleViewer}

// ParseRole accepts only the three known roles.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", Errorf(EINVALID, "%q is not a role: choose owner, member or viewer.", s)
}

// Group is a set of people who share annotations.
type Group struct {
	ID          int64
	Name        string
	Description string
	CreatedAt   time.Time
	Members     int  // number of members
	Role        Role // the asking user's role, when listed for a user
}

// Member is one person's place in a group.
type Member struct {
	UserID   int64
	Name     string
	Email    string
	Role     Role
	JoinedAt time.Time
}

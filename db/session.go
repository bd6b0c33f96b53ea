package db

import "time"

// UserSession is one signed-in browser, as its owner sees it.
type UserSession struct {
	ID         int64
	SID        string
	UserAgent  string
	IP         string
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// Session lifetimes: a session ends after SessionIdle without use, and
// after SessionMaxAge whatever happens.
const (
	SessionIdle   = 7 * 24 * time.Hour
	SessionMaxAge = 30 * 24 * time.Hour
)

package db

import "time"

// APIToken is a personal token for scripts; the secret itself is shown once.
type APIToken struct {
	ID         int64
	Name       string
	CreatedAt  time.Time
	LastUsedAt time.Time // zero if never used
}

// MaxTokensPerUser keeps token lists readable and abuse bounded.
const MaxTokensPerUser = 50

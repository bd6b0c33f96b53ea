// Package accounts is who uses Gloss: users, groups and their members,
// invitations, sessions and API tokens.
package accounts

import (
	"gloss/db/sqlstore/internal/content"
	"gloss/db/sqlstore/internal/core"
)

// Accounts holds the spine and the content it builds on; the store (db/sqlstore) embeds it.
type Accounts struct {
	*core.Core
	*content.Content // a group's owners hear of a new member
}

// Package exchange is annotations in and out: the W3C import, the
// exports (nested and flat) and the protocol's pages.
package exchange

import (
	"gloss/db/sqlstore/internal/content"
	"gloss/db/sqlstore/internal/core"
)

// Exchange holds the spine and the content it builds on; the store (db/sqlstore) embeds it.
type Exchange struct {
	*core.Core
	*content.Content
}

// Package content is what people write and what it sets off: articles,
// annotations and their threads, notes, tags, evidence, notifications
// and their mail, and activity. Annotations and notifications call each
// other (a reply notifies; a notification reads its annotation), so they
// share the package.
package content

import (
	"gloss/db/sqlstore/internal/core"
)

// Content holds the spine; the store (db/sqlstore) embeds it.
type Content struct {
	*core.Core
}

// Package curation is what people gather from annotations: collections,
// codebooks and evidence suggestions.
package curation

import (
	"gloss/db/sqlstore/internal/content"
	"gloss/db/sqlstore/internal/core"
)

// Curation holds the spine and the content it builds on; the store (db/sqlstore) embeds it.
type Curation struct {
	*core.Core
	*content.Content
}

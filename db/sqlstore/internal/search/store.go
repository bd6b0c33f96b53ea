// Package search is the store's full-text search: the index kept by a
// queue the writes fill (search_index.go), the windowed queries (FTS5 on
// SQLite, search.go; tsvector on PostgreSQL, search_postgres.go) and the
// suggestions as one types (search_suggest.go).
package search

import (
	"gloss/db/sqlstore/internal/core"
)

// Index holds the spine; the store (db/sqlstore) embeds it.
type Index struct {
	*core.Core
}

package sqlstore

import (
	"context"
	"errors"

	"gloss/db"
)

// PostgreSQL's search: written once the query language settles (issue 20).

var errNoPGSearch = errors.New("db: search on PostgreSQL is not built yet")

func (store *Store) pgSearch(ctx context.Context, v db.Viewer, q string, f db.SearchFilter, page, perPage int) (db.SearchResults, error) {
	return db.SearchResults{}, errNoPGSearch
}

func (store *Store) pgReindex(ctx context.Context) (int, error) { return 0, errNoPGSearch }

func (store *Store) pgCheckSearchIndex(ctx context.Context) error { return nil }

func (store *Store) pgCheckQuery(ctx context.Context, q string) error { return nil }

// Package search is the store's full-text search: the index kept by a
// queue the writes fill (search_index.go), the windowed queries (FTS5 on
// SQLite, search.go; tsvector on PostgreSQL, search_postgres.go) and the
// suggestions as one types (search_suggest.go).
package search

import (
	"context"
	"sync"

	"gloss/db/sqlstore/internal/core"
)

// Index holds the spine; the store (db/sqlstore) embeds it.
type Index struct {
	*core.Core

	slotsOnce sync.Once
	slots     turns // searches under way (searching); nil: no bound

	ranks rankCache // what ranking rows needs, per query (rank_cache.go)
}

// searching waits for a turn to search and returns its end. A search holds
// a read connection for all its queries (one transaction, 10–200 ms on a
// large library), so at most half the read pool searches at once: the
// many quick reads (a reader page's half dozen) are not left queuing
// behind searches for a connection (on the 1M corpus's mixed load, 51 of
// 58 reader requests caught were waiting for one). A search in a View
// runs on the View's connection, which it holds already, and takes no
// turn: waiting for one while holding a connection, behind searches
// waiting for a connection, could wait for ever.
func (store *Index) searching(ctx context.Context) (done func(), err error) {
	if core.InView(ctx) {
		return func() {}, nil
	}
	store.slotsOnce.Do(func() {
		if n := store.Reader().Stats().MaxOpenConnections; n > 0 {
			store.slots = make(turns, max(1, n/2))
		}
	})
	return store.slots.take(ctx)
}

// turns bounds how many do something at once (its capacity); nil: no bound.
type turns chan struct{}

// take waits for a turn, or for ctx to end, and returns the turn's end.
func (t turns) take(ctx context.Context) (done func(), err error) {
	if t == nil {
		return func() {}, nil
	}
	select {
	case t <- struct{}{}:
		return func() { <-t }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

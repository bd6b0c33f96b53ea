package sqlstore

import (
	"context"
)

// New makes the store over an engine's pools: it prepares the write
// statements on the writer, brings the search index up to date with
// anything left queued, and starts the writer.
func New(ctx context.Context, e Engine, opts Options) (*Store, error) {
	store, err := newStore(ctx, e, opts.Observer, opts.Reindexing)
	if err != nil {
		return nil, err
	}
	if err := store.FlushSearch(ctx); err != nil {
		return nil, err
	}
	store.start(store.flushSearch)
	return store, nil
}

package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
)

// BulkLoad runs fill on the writer's database, for a bulk load that writes
// raw rows instead of going through the store's methods (the synthetic
// corpus: db/sqlstore/gencorpus). fill runs its own transactions and calls
// flush in each before it commits, so the search index's queue (filled by
// triggers) is applied. Afterwards the engine catches up with what fill
// wrote.
func (store *Store) BulkLoad(ctx context.Context, fill func(ctx context.Context, w *sql.DB, flush func(context.Context, *sql.Tx) error) error) error {
	if err := fill(ctx, store.write, store.flushSearch); err != nil {
		return err
	}
	// Bulk rows bring their own ids: PostgreSQL's sequences move past them.
	if store.dialect == Postgres {
		if err := soloTx(ctx, store.write, resetIdentities); err != nil {
			return fmt.Errorf("db: after a bulk load: %w", err)
		}
	}
	// SQLite folds the large WAL into the file, so the first reader does
	// not pay.
	if store.eng.AfterBulk != nil {
		if err := store.eng.AfterBulk(ctx); err != nil {
			return fmt.Errorf("db: after a bulk load: %w", err)
		}
	}
	return nil
}

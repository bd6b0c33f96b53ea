package core

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
func (store *Core) BulkLoad(ctx context.Context, fill func(ctx context.Context, w *sql.DB, flush func(context.Context, *sql.Tx) error) error) error {
	err := fill(ctx, store.write, store.searchFlush)
	if store.searchSettle != nil {
		store.searchSettle()
	}
	if err != nil {
		return err
	}
	// Bulk rows bring their own ids: PostgreSQL's sequences move past them.
	if store.dialect == Postgres {
		if err := SoloTx(ctx, store.write, ResetIdentities); err != nil {
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

// ResetIdentities moves each identity column's sequence past the ids
// copied, so that the next row gets a new one.
func ResetIdentities(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND is_identity = 'YES'`)
	if err != nil {
		return err
	}
	type col struct{ table, column string }
	var cols []col
	err = EachRow(rows, func(r *sql.Rows) error {
		var c col
		if err := r.Scan(&c.table, &c.column); err != nil {
			return err
		}
		cols = append(cols, c)
		return nil
	})
	if err != nil {
		return err
	}
	for _, c := range cols {
		// Names come from the catalogue, not input.
		if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+c.table+`', '`+c.column+`'),
			COALESCE((SELECT MAX(`+c.column+`) FROM `+c.table+`), 0) + 1, false)`); err != nil {
			return fmt.Errorf("db: copy: sequence of %s: %w", c.table, err)
		}
	}
	return nil
}

package db

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
)

// Prepared statements. Parsing and planning a statement costs more than
// running most of Gloss's (a quarter of the server's time when creating
// annotations under load went to sqlite3_prepare), so the statements of
// the busy paths are prepared once and kept.
//
// Write statements are prepared on the writer connection when the store
// opens: inside a write transaction the single writer connection is taken,
// so a statement could not be prepared on it then. A transaction uses one
// through db.stmt, which binds it to the transaction without preparing it
// again.

// writeQuery names a statement prepared on the writer connection.
type writeQuery int

var writeQueries []string

// writeStatement registers q to be prepared when a store opens
// (package-level variables only: the list is read by Open).
func writeStatement(q string) writeQuery {
	writeQueries = append(writeQueries, q)
	return writeQuery(len(writeQueries) - 1)
}

// prepareWrites prepares every registered write statement on the writer.
func (db *DB) prepareWrites(ctx context.Context) error {
	db.wstmts = make([]*sql.Stmt, len(writeQueries))
	for i, q := range writeQueries {
		s, err := db.write.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("db: prepare %q: %w", q, err)
		}
		db.wstmts[i] = s
	}
	return nil
}

// stmt returns the prepared statement q for use in tx.
func (db *DB) stmt(ctx context.Context, tx *sql.Tx, q writeQuery) *sql.Stmt {
	return tx.StmtContext(ctx, db.wstmts[q])
}

// readStmts caches statements prepared on the read pool, by their text
// (each is prepared on a connection the first time it runs there).
type readStmts struct {
	m sync.Map // string -> *sql.Stmt
	n atomic.Int32
}

// maxReadStmts bounds the cache: statements whose text varies (a list of
// group ids in a policy condition) could otherwise fill it without end.
const maxReadStmts = 256

// queryRow runs a one-row query on the read pool with a cached prepared
// statement. Use it for statements run often; it is the same as
// db.read.QueryRowContext otherwise.
func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if s := db.readStmt(ctx, q); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return db.read.QueryRowContext(ctx, q, args...)
}

// query is queryRow for many rows.
func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if s := db.readStmt(ctx, q); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return db.read.QueryContext(ctx, q, args...)
}

// readStmt returns q prepared on the read pool, or nil when the cache is
// full or q does not prepare (the caller then runs it unprepared, and sees
// the error there).
func (db *DB) readStmt(ctx context.Context, q string) *sql.Stmt {
	if s, ok := db.rstmts.m.Load(q); ok {
		return s.(*sql.Stmt)
	}
	if db.rstmts.n.Load() >= maxReadStmts {
		return nil
	}
	s, err := db.read.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	if old, loaded := db.rstmts.m.LoadOrStore(q, s); loaded {
		s.Close()
		return old.(*sql.Stmt)
	}
	db.rstmts.n.Add(1)
	return s
}

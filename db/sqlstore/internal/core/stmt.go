package core

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
)

// WriteQuery names a statement prepared on the writer connection.
type WriteQuery int

var writeQueries []struct {
	sql  string
	only *Dialect // nil: every engine
}

// WriteStatement registers q to be prepared when a store opens
// (package-level variables only: the list is read by New).
func WriteStatement(q string) WriteQuery {
	writeQueries = append(writeQueries, struct {
		sql  string
		only *Dialect
	}{sql: q})
	return WriteQuery(len(writeQueries) - 1)
}

// DialectStatement is WriteStatement for a statement of one engine's
// (SQLite's search queue): the others do not prepare it.
func DialectStatement(d Dialect, q string) WriteQuery {
	id := WriteStatement(q)
	writeQueries[id].only = &d
	return id
}

// WriteSQL is the text of the write statement q.
func WriteSQL(q WriteQuery) string { return writeQueries[q].sql }

// StatementsPrepared says whether the write statements are prepared (a
// store with only its writer, during a migration, has none).
func (store *Core) StatementsPrepared() bool { return store.wstmts != nil }

// prepareWrites prepares every registered write statement of the store's
// engine on the writer.
func (store *Core) prepareWrites(ctx context.Context) error {
	store.wstmts = make([]*sql.Stmt, len(writeQueries))
	for i, wq := range writeQueries {
		if wq.only != nil && *wq.only != store.dialect {
			continue
		}
		q := wq.sql
		s, err := store.write.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("db: prepare %q: %w", q, err)
		}
		store.wstmts[i] = s
	}
	return nil
}

// Stmt returns the prepared statement q for use in tx.
func (store *Core) Stmt(ctx context.Context, tx *sql.Tx, q WriteQuery) *sql.Stmt {
	return tx.StmtContext(ctx, store.wstmts[q])
}

// readStmts caches statements prepared on the read pool, by their text
// (each is prepared on a connection the first time it runs there).
type readStmts struct {
	m          sync.Map // string -> *sql.Stmt
	n          atomic.Int32
	preparing  sync.Map       // string -> true: being prepared in the background
	background sync.WaitGroup // those preparations (Close waits for them)
	mu         sync.Mutex     // closed, and starting one of them
	closed     bool           // the store is closing: start none
}

// maxReadStmts bounds the cache: statements whose text varies (a list of
// group ids in a policy condition) could otherwise fill it without end.
const maxReadStmts = 256

// QueryRow runs a one-row query with a cached prepared statement, on the
// read pool or in the View ctx is in. Use it for statements run often; it
// is the same as Reads(ctx).QueryRowContext otherwise.
func (store *Core) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if s := store.prepared(ctx, q); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return store.Reads(ctx).QueryRowContext(ctx, q, args...)
}

// Query is QueryRow for many rows.
func (store *Core) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if s := store.prepared(ctx, q); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return store.Reads(ctx).QueryContext(ctx, q, args...)
}

// prepared is q's cached statement where ctx's reads run: on the read
// pool, or as prepared on the View's connection (database/sql prepares it
// there the first time); nil: run q unprepared (Reads).
func (store *Core) prepared(ctx context.Context, q string) *sql.Stmt {
	s := store.readStmt(ctx, q)
	if s == nil {
		return nil
	}
	if v := inView(ctx); v != nil {
		tx, err := v.current()
		if err != nil {
			return nil
		}
		return tx.StmtContext(ctx, s)
	}
	return s
}

// readStmt returns q prepared on the read pool, or nil when the cache is
// full or q does not prepare (the caller then runs it unprepared, and sees
// the error there). Preparing on the pool takes a connection of the pool's:
// in a View, which holds one already, q is prepared in the background
// (waiting for a connection while holding one could wait for ever), and
// this once runs unprepared.
func (store *Core) readStmt(ctx context.Context, q string) *sql.Stmt {
	if s, ok := store.rstmts.m.Load(q); ok {
		return s.(*sql.Stmt)
	}
	if store.rstmts.n.Load() >= maxReadStmts {
		return nil
	}
	if inView(ctx) != nil {
		if _, busy := store.rstmts.preparing.LoadOrStore(q, true); !busy {
			store.rstmts.mu.Lock()
			if !store.rstmts.closed {
				store.rstmts.background.Go(func() {
					defer store.rstmts.preparing.Delete(q)
					store.prepareRead(context.Background(), q)
				})
			}
			store.rstmts.mu.Unlock()
		}
		return nil
	}
	return store.prepareRead(ctx, q)
}

// prepareRead prepares q on the read pool and caches it (readStmt).
func (store *Core) prepareRead(ctx context.Context, q string) *sql.Stmt {
	s, err := store.read.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	if old, loaded := store.rstmts.m.LoadOrStore(q, s); loaded {
		s.Close()
		return old.(*sql.Stmt)
	}
	store.rstmts.n.Add(1)
	return s
}

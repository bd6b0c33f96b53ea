package db

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps prepared statements by their SQL text. modernc's driver
// parses a query's SQL on every call; under load that parsing was a fifth
// of the server's CPU (a reader page runs a dozen queries, several with the
// long visibility condition). A *sql.Stmt is prepared once per pooled
// connection and reused from then on. Queries are built from a fixed set of
// fragments (visibility lists grow with a viewer's groups), so the set of
// texts is small; past maxStmts it starts again.
type stmtCache struct {
	pool *sql.DB

	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

const maxStmts = 1000

func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, m: map[string]*sql.Stmt{}}
}

func (c *stmtCache) get(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.RLock()
	st, ok := c.m[query]
	c.mu.RUnlock()
	if ok {
		return st, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st, nil
	}
	st, err := c.pool.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if len(c.m) >= maxStmts {
		// Statements in use finish first: Close waits for them.
		old := c.m
		c.m = map[string]*sql.Stmt{}
		go closeAll(old)
	}
	c.m[query] = st
	return st, nil
}

func closeAll(m map[string]*sql.Stmt) {
	for _, st := range m {
		st.Close()
	}
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	closeAll(c.m)
	c.m = map[string]*sql.Stmt{}
}

// query runs a read through the read pool with a cached statement.
func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := db.reads.get(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// queryRow is query for one row.
func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := db.reads.get(ctx, query)
	if err != nil {
		// The same error, carried by a Row as callers expect.
		return db.read.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

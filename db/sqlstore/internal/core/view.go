package core

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// A view is the connection and read transaction a page's reads share
// (View).
type view struct {
	conn *sql.Conn
	opts *sql.TxOptions
	ctx  context.Context // the View's: its transactions live as long as it
	done atomic.Bool     // View has returned: its connection is back in the pool

	mu    sync.Mutex
	tx    *sql.Tx   // nil: none yet, or ended by a write made in the View
	began time.Time // before tx began: its snapshot is no older
}

type viewKey struct{}

// inView is the View ctx is in, or nil.
func inView(ctx context.Context) *view {
	if v, _ := ctx.Value(viewKey{}).(*view); v != nil && !v.done.Load() {
		return v
	}
	return nil
}

// current is the View's read transaction, begun on its connection if
// there is none (at the start, or after a write), with the View's context
// (not that of the read that asks: one read's shorter deadline must not
// end the transaction under the reads after it).
func (v *view) current() (*sql.Tx, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.tx == nil {
		began := time.Now()
		tx, err := v.conn.BeginTx(v.ctx, v.opts)
		if err != nil {
			return nil, fmt.Errorf("db: begin reading: %w", err)
		}
		v.tx, v.began = tx, began
	}
	return v.tx, nil
}

// wrote ends the View's snapshot after a write made in it: the next read
// begins another, which sees the write. Rows still open from the View's
// transaction end with it: a write belongs between reads, not inside a
// loop over rows.
func (v *view) wrote() {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.tx != nil {
		v.tx.Rollback()
		v.tx = nil
	}
}

// View runs fn with every read it makes through the store (Query,
// QueryRow, Reads, BeginRead, given fn's ctx) on one connection of the
// read pool, in one read transaction:
//   - a page waits for a connection once, not at each of its dozen
//     reads, and a connection serves one page to its end rather than a
//     query of each of many pages in turn;
//   - its reads see one snapshot (on PostgreSQL, repeatable read), so
//     a count and the list it counts agree;
//   - SQLite checks whether the file changed, and drops the
//     connection's page cache if it did, once per page instead of at
//     every read after a write.
//
// A View inside a View is the outer one. A write made with fn's ctx
// (InTx) runs on the writer as always, and ends the snapshot: fn's reads
// after it see it, in a new transaction on the same connection. fn must
// not read through the store on another goroutine, or after it returns:
// a read that outlives the View goes to the pool, but one under way when
// the View ends fails.
func (store *Core) View(ctx context.Context, fn func(ctx context.Context) error) error {
	if inView(ctx) != nil {
		return fn(ctx)
	}
	conn, err := store.read.Conn(ctx)
	if err != nil {
		return fmt.Errorf("db: begin reading: %w", err)
	}
	v := &view{conn: conn, opts: &sql.TxOptions{ReadOnly: true}, ctx: ctx}
	if store.dialect == Postgres {
		v.opts.Isolation = sql.LevelRepeatableRead
	}
	defer func() {
		v.done.Store(true)
		v.wrote() // it only read: nothing to keep
		conn.Close()
	}()
	if _, err := v.current(); err != nil {
		return err
	}
	return fn(context.WithValue(ctx, viewKey{}, v))
}

// OutOfView is ctx without the View it may be in: for work that goes on
// apart from it (the writer's transactions, a background task).
func OutOfView(ctx context.Context) context.Context {
	if v, _ := ctx.Value(viewKey{}).(*view); v != nil {
		return context.WithValue(ctx, viewKey{}, (*view)(nil))
	}
	return ctx
}

// InView reports whether ctx's reads share a View's connection.
func InView(ctx context.Context) bool { return inView(ctx) != nil }

// ReadsSince is a time no later than the snapshot ctx's reads see was
// taken: now, or when the View's transaction began (what is kept from
// those reads must not outlive a change made since: the search's rank
// cache).
func ReadsSince(ctx context.Context) time.Time {
	if v := inView(ctx); v != nil {
		v.mu.Lock()
		defer v.mu.Unlock()
		if v.tx != nil {
			return v.began
		}
	}
	return time.Now()
}

// Reads is where a read given ctx runs: the View's transaction ctx is
// in, or else the read pool. Every read of the store's goes through it
// (or Query, QueryRow and BeginRead, which do): a read that took a
// connection of its own inside a View would hold two at once, and pages
// each holding one while waiting for another would wait for ever.
func (store *Core) Reads(ctx context.Context) Querier {
	if v := inView(ctx); v != nil {
		if tx, err := v.current(); err == nil {
			return tx
		}
		return v.conn // the read says why the connection fails
	}
	return store.read
}

// BeginRead begins a read transaction on the read pool, or, in a View,
// gives the View's: end is then the View's to do, and the end returned
// does nothing. Call end when done (it rolls back: a read keeps nothing).
func (store *Core) BeginRead(ctx context.Context, opts *sql.TxOptions) (tx *sql.Tx, end func(), err error) {
	if v := inView(ctx); v != nil {
		tx, err := v.current()
		return tx, func() {}, err
	}
	tx, err = store.read.BeginTx(ctx, opts)
	if err != nil {
		return nil, nil, err
	}
	return tx, func() { tx.Rollback() }, nil
}

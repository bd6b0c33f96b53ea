// Package core is the store's spine, shared by the concern packages
// beside it: the pools and the Dialect, the writer and its group commit
// (writer.go), prepared statements (stmt.go), the row helpers, the
// migration runner, the permission rules as SQL (policy.go), the clock,
// the event log's appends, throttles and bulk loads. Being internal to
// db/sqlstore, what it exports is for those packages only.
package core

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"gloss/db"
)

// Core is the store's spine. Writes go through one connection (SQLite allows one
// writer at a time, and queuing in Go beats SQLITE_BUSY; PostgreSQL's
// writers take a lock across instances, Engine.BeginBatch), reads through
// a pool.
type Core struct {
	path       string // what the store is, for messages: a file, a server
	dialect    Dialect
	eng        Engine
	write      *sql.DB
	read       *sql.DB
	WriteGroup *writer // runs InTx's transactions, grouping concurrent ones (writer.go)

	wstmts []*sql.Stmt // write statements, prepared on the writer (stmt.go)
	rstmts readStmts   // read statements, prepared on the read pool

	created bool // the file had no schema before Open: a first start

	obs db.Observer // nil: nobody listens (Options)

	reindexing func(index string, done, total int) // Options.Reindexing

	// searchFlush applies the search index's queue in a write transaction
	// (the search's, given to start: the writer calls it before each commit).
	searchFlush func(ctx context.Context, tx *sql.Tx) error
	// searchSettle runs after a transaction searchFlush ended has
	// committed (or not: it only forgets what the search index kept).
	searchSettle func()

	clock func() time.Time // Now's; tests replace it (SetClock)

	// eventsStored: the transaction in hand appended events (event.go);
	// committed wakes the broker after its commit.
	eventsStored   atomic.Bool
	lastEvent      atomic.Int64 // the last event the transaction in hand stored
	committedEvent atomic.Int64 // the last event this process committed (CommittedEvent)
	committed      chan struct{}
	closeCommitted sync.Once
}

// Stats is a snapshot of the writer, read when asked (by a metrics
// scrape; the pools' own are Reader().Stats() and Writer().Stats()).
type Stats struct {
	WriteQueue   int   // writes waiting for the writer
	WriteBatches int64 // transactions the writer has run
}

// Stats reports the writer's state now.
func (store *Core) Stats() Stats {
	var st Stats
	if store.WriteGroup != nil {
		st.WriteQueue = int(store.WriteGroup.queued.Load())
		st.WriteBatches = store.WriteGroup.Batches.Load()
	}
	return st
}

// Close stops the writer (after the transaction in hand) and closes both
// pools, and what else the engine holds.
func (store *Core) Close() error {
	if store.WriteGroup != nil {
		store.WriteGroup.close()
		store.closeCommitted.Do(func() { close(store.committed) })
	}
	var err error
	store.rstmts.mu.Lock()
	store.rstmts.closed = true
	store.rstmts.mu.Unlock()
	store.rstmts.background.Wait()
	if store.read != nil {
		err = store.read.Close()
	}
	if werr := store.write.Close(); werr != nil {
		err = werr
	}
	if store.eng.Close != nil {
		if cerr := store.eng.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}
	return err
}

// Created reports whether Open found an empty database (a first start).
func (store *Core) Created() bool { return store.created }

// Ping checks that the database answers a query.
func (store *Core) Ping(ctx context.Context) error {
	var one int
	if err := store.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("db: ping: %w", err)
	}
	return nil
}

// Writer returns the single write connection pool (an engine's session
// storage, tests).
func (store *Core) Writer() *sql.DB { return store.write }

// Reader returns the pool of read connections (an engine's session
// storage, metrics), so reads do not queue behind writes.
func (store *Core) Reader() *sql.DB { return store.read }

// Name says what the store is, for messages (Engine.Name).
func (store *Core) Name() string { return store.path }

// Observer hears about the store's work (Options.Observer); nil: nobody.
func (store *Core) Observer() db.Observer { return store.obs }

// Reindexing hears how far a rebuild of the search index got
// (Options.Reindexing); nil: nobody.
func (store *Core) Reindexing() func(index string, done, total int) { return store.reindexing }

// NewEarly is a store with only its writer, for a rebuild of the search
// index during a migration (the indexer prepares on the migration's
// transaction).
func NewEarly(path string, dialect Dialect, write *sql.DB, reindexing func(index string, done, total int)) *Core {
	return &Core{path: path, dialect: dialect, write: write, reindexing: reindexing}
}

// Dialect says which engine's SQL the store speaks where they differ.
func (store *Core) Dialect() Dialect { return store.dialect }

// InTx runs fn in a write transaction (BEGIN IMMEDIATE): all of fn or
// nothing of it. Concurrent calls share one transaction, each in a savepoint
// of its own (writer.go): fn's error undoes only fn, and InTx returns nil
// only once the transaction holding fn's writes has committed; in a View
// (View), the View's reads after it see fn's writes. fn must use
// only tx for the database and the ctx it is given (not cancelled once fn
// runs: see writer.go), and may run on another goroutine.
func (store *Core) InTx(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	err := store.WriteGroup.do(ctx, fn)
	if v := inView(ctx); v != nil {
		v.wrote() // the View's reads after this one see it
	}
	return err
}

// SoloTx runs fn in a transaction of its own on pool.
func SoloTx(ctx context.Context, pool *sql.DB, fn func(ctx context.Context, tx *sql.Tx) error) error {
	tx, err := pool.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("db: begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(ctx, tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("db: commit: %w", err)
	}
	return nil
}

// TimeFormat is how times are stored: sortable text, UTC, portable to Postgres.
const TimeFormat = "2006-01-02T15:04:05.000Z"

// Now is the store's clock: the time it stamps on what it writes.
func (store *Core) Now() time.Time { return store.clock() }

// SetClock replaces the store's clock (tests).
func (store *Core) SetClock(now func() time.Time) { store.clock = now }

// NowText is Now as the store writes it (TimeFormat).
func (store *Core) NowText() string { return store.Now().UTC().Format(TimeFormat) }

func ParseTime(s string) time.Time {
	t, _ := time.Parse(TimeFormat, s)
	return t
}

// Exec runs a statement with ? parameters behind the store's back, for
// the contract suite's few checks (storetest.Engine); not for Gloss's own
// use, which goes through the store's methods.
func (store *Core) Exec(ctx context.Context, query string, args ...any) error {
	_, err := store.write.ExecContext(ctx, query, args...)
	return err
}

// QueryInts runs a query whose rows are one integer each (storetest.Engine).
func (store *Core) QueryInts(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := store.write.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return ScanColumn[int64](rows)
}

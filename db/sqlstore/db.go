// Package sqlstore is the store both engines run: every method of the
// store contract (package db), written once in the SQL that SQLite and
// PostgreSQL both understand, with SQLite's placeholders (the PostgreSQL
// engine's driver rewrites them, db/postgres). One writer connection
// groups concurrent writes into one transaction (writer.go), a pool of
// readers keeps prepared statements (stmt.go), and the permission rules
// are SQL here (policy.go). What differs between the engines is supplied
// by the engine (Engine) or chosen by its Dialect: search (FTS5 here,
// search.go; tsvector for PostgreSQL, search_postgres.go), migrations,
// sessions, backups. The SQLite engine's own parts live here too
// (sqlite.go, backup.go), so that this package's tests run on SQLite;
// package db/sqlite is its public face.
package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"gloss/db"
)

// Store is the store. Writes go through one connection (SQLite allows one
// writer at a time, and queuing in Go beats SQLITE_BUSY; PostgreSQL's
// writers take a lock across instances, Engine.BeginBatch), reads through
// a pool.
type Store struct {
	path    string // what the store is, for messages: a file, a server
	dialect Dialect
	eng     Engine
	write   *sql.DB
	read    *sql.DB
	w       *writer // runs inTx's transactions, grouping concurrent ones (writer.go)

	wstmts []*sql.Stmt // write statements, prepared on the writer (stmt.go)
	rstmts readStmts   // read statements, prepared on the read pool

	created bool // the file had no schema before Open: a first start

	obs db.Observer // nil: nobody listens (Options)

	reindexing func(index string, done, total int) // Options.Reindexing

	// searchFlush applies the search index's queue in a write transaction
	// (the search's, given to start: the writer calls it before each commit).
	searchFlush func(ctx context.Context, tx *sql.Tx) error

	clock func() time.Time // Now's; tests replace it (SetClock)

	// eventsStored: the transaction in hand appended events (event.go);
	// committed wakes the broker after its commit.
	eventsStored   atomic.Bool
	lastEvent      atomic.Int64 // the last event the transaction in hand stored
	committedEvent atomic.Int64 // the last event this process committed (CommittedEvent)
	committed      chan struct{}
	closeCommitted sync.Once
}

// Options are what a caller may add to an engine's defaults.
type Options struct {
	// Observer hears about the store's work as it happens (metrics); nil:
	// nobody does, at the cost of a nil check.
	Observer db.Observer
	// Migrating is called before each migration that Open applies, with
	// its number and file name (progress for the logs: a migration of a
	// large library may take a while).
	Migrating func(version int, name string)
	// Reindexing is told how far a rebuild of the search index got (a
	// migration's, or Reindex's), about every tenth of each index.
	Reindexing func(index string, done, total int)
	// Logger hears what an engine does in the background (PostgreSQL's
	// connection for other instances' events, lost and found again); nil:
	// nobody does.
	Logger *slog.Logger
}

// Stats is a snapshot of the writer, read when asked (by a metrics
// scrape; the pools' own are Reader().Stats() and Writer().Stats()).
type Stats struct {
	WriteQueue   int   // writes waiting for the writer
	WriteBatches int64 // transactions the writer has run
}

// Stats reports the writer's state now.
func (store *Store) Stats() Stats {
	var st Stats
	if store.w != nil {
		st.WriteQueue = int(store.w.queued.Load())
		st.WriteBatches = store.w.batches.Load()
	}
	return st
}

// Close stops the writer (after the transaction in hand) and closes both
// pools, and what else the engine holds.
func (store *Store) Close() error {
	if store.w != nil {
		store.w.close()
		store.closeCommitted.Do(func() { close(store.committed) })
	}
	var err error
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
func (store *Store) Created() bool { return store.created }

// Ping checks that the database answers a query.
func (store *Store) Ping(ctx context.Context) error {
	var one int
	if err := store.queryRow(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("db: ping: %w", err)
	}
	return nil
}

// Writer returns the single write connection pool (an engine's session
// storage, tests).
func (store *Store) Writer() *sql.DB { return store.write }

// Reader returns the pool of read connections (an engine's session
// storage, metrics), so reads do not queue behind writes.
func (store *Store) Reader() *sql.DB { return store.read }

// Name says what the store is, for messages (Engine.Name).
func (store *Store) Name() string { return store.path }

// Observer hears about the store's work (Options.Observer); nil: nobody.
func (store *Store) Observer() db.Observer { return store.obs }

// Reindexing hears how far a rebuild of the search index got
// (Options.Reindexing); nil: nobody.
func (store *Store) Reindexing() func(index string, done, total int) { return store.reindexing }

// newEarly is a store with only its writer, for a rebuild of the search
// index during a migration (the indexer prepares on the migration's
// transaction).
func newEarly(path string, dialect Dialect, write *sql.DB, reindexing func(index string, done, total int)) *Store {
	return &Store{path: path, dialect: dialect, write: write, reindexing: reindexing}
}

// Dialect says which engine's SQL the store speaks where they differ.
func (store *Store) Dialect() Dialect { return store.dialect }

// inTx runs fn in a write transaction (BEGIN IMMEDIATE): all of fn or
// nothing of it. Concurrent calls share one transaction, each in a savepoint
// of its own (writer.go): fn's error undoes only fn, and inTx returns nil
// only once the transaction holding fn's writes has committed. fn must use
// only tx for the database and the ctx it is given (not cancelled once fn
// runs: see writer.go), and may run on another goroutine.
func (store *Store) inTx(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	return store.w.do(ctx, fn)
}

// soloTx runs fn in a transaction of its own on pool.
func soloTx(ctx context.Context, pool *sql.DB, fn func(ctx context.Context, tx *sql.Tx) error) error {
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

// timeFormat is how times are stored: sortable text, UTC, portable to Postgres.
const timeFormat = "2006-01-02T15:04:05.000Z"

// Now is the store's clock: the time it stamps on what it writes.
func (store *Store) Now() time.Time { return store.clock() }

// SetClock replaces the store's clock (tests).
func (store *Store) SetClock(now func() time.Time) { store.clock = now }

func (store *Store) now() string { return store.Now().UTC().Format(timeFormat) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeFormat, s)
	return t
}

// Store is the whole contract.
var _ db.Store = (*Store)(nil)

// Exec runs a statement with ? parameters behind the store's back, for
// the contract suite's few checks (storetest.Engine); not for Gloss's own
// use, which goes through the store's methods.
func (store *Store) Exec(ctx context.Context, query string, args ...any) error {
	_, err := store.write.ExecContext(ctx, query, args...)
	return err
}

// QueryInts runs a query whose rows are one integer each (storetest.Engine).
func (store *Store) QueryInts(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := store.write.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return scanColumn[int64](rows)
}

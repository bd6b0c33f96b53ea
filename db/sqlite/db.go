// Package sqlite is Gloss's SQLite engine, the default: one file, opened
// with the pragmas Gloss needs (WAL, foreign keys, a busy timeout), one
// writer connection that groups concurrent writes into one transaction
// (writer.go), a pool of readers with prepared statements (stmt.go), the
// embedded migrations (migrate.go), the permission rules as SQL
// (policy.go), FTS5 search (search.go) and backups (backup.go). It
// implements the store contract of package db.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"runtime"
	"sync"
	"time"

	"gloss/db"

	"github.com/alexedwards/scs/sqlite3store"
)

// Store is the SQLite store. Writes go through one connection (SQLite allows one
// writer at a time; queuing in Go beats SQLITE_BUSY), reads through a pool.
type Store struct {
	path  string
	write *sql.DB
	read  *sql.DB
	w     *writer // runs inTx's transactions, grouping concurrent ones (writer.go)

	wstmts []*sql.Stmt // write statements, prepared on the writer (stmt.go)
	rstmts readStmts   // read statements, prepared on the read pool

	created bool // the file had no schema before Open: a first start

	obs db.Observer // nil: nobody listens (Options)

	reindexing func(index string, done, total int) // Options.Reindexing

	sessionsOnce                sync.Once
	sessionReads, sessionWrites *sqlite3store.SQLite3Store // session.go

	clock func() time.Time // Now's; tests replace it (SetClock)
}

// dsn builds a modernc.org/sqlite DSN with the pragmas every connection needs.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
		// The writer's savepoints (one per write in a group commit,
		// writer.go) journal the pages each write changes; in a temporary
		// file past 64 KiB, which cost a write system call per page. A
		// batch's journal is a few MiB at most: keep it in memory.
		q.Add("_pragma", "temp_store(MEMORY)")
	}
	return "file:" + path + "?" + q.Encode()
}

// Options are what a caller of OpenWith may add to the defaults.
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

// Open opens (creating if needed) the database at path and migrates it to the
// newest schema. It refuses a database whose schema is newer than this binary.
func Open(ctx context.Context, path string) (*Store, error) {
	return OpenWith(ctx, path, Options{})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, path string, opts Options) (*Store, error) {
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	write, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("db: open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)

	store := &Store{path: path, write: write, obs: opts.Observer, reindexing: opts.Reindexing,
		clock: func() time.Time { return time.Now().UTC() }}
	// The writer must exist and be migrated (which also switches the file to
	// WAL) before readers open it with query_only.
	if err := store.migrate(ctx, opts.Migrating); err != nil {
		write.Close()
		return nil, err
	}
	read, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("db: open %s for reading: %w", path, err)
	}
	// Reads are CPU-bound: two connections a core keep the cores busy, and
	// each connection more holds its own page cache and prepared
	// statements (8 on 2 cores: 207 MiB resident under load; 4: the same
	// throughput in less memory).
	readers := max(4, 2*runtime.GOMAXPROCS(0))
	read.SetMaxOpenConns(readers)
	read.SetMaxIdleConns(readers)
	store.read = read
	if err := store.prepareWrites(ctx); err != nil {
		read.Close()
		write.Close()
		return nil, err
	}
	// Whatever a migration or a tool left queued for the search index.
	if err := store.FlushSearch(ctx); err != nil {
		read.Close()
		write.Close()
		return nil, err
	}
	var observe func(int)
	if store.obs != nil {
		observe = store.obs.WriteBatch
	}
	store.w = startWriter(write, store.flushSearch, observe)
	return store, nil
}

// createPrivate creates the database file, if it is missing, readable and
// writable by its owner only (0600, whatever the umask): it holds password
// hashes and sessions. SQLite gives the -wal and -shm files it creates
// beside it the same mode. A file that exists keeps the mode it has.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("db: create %s: %w", path, err)
	}
	defer f.Close()
	if err := f.Chmod(0o600); err != nil { // the umask may have taken bits off, never added them; be explicit anyway
		return fmt.Errorf("db: create %s: %w", path, err)
	}
	return nil
}

// Close stops the writer (after the transaction in hand) and closes both
// pools.
func (store *Store) Close() error {
	if store.w != nil {
		store.w.close()
	}
	var err error
	if store.read != nil {
		err = store.read.Close()
	}
	if werr := store.write.Close(); werr != nil {
		err = werr
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

// Writer returns the single write connection pool, for libraries that keep
// their own tables in the same file (the session store).
func (store *Store) Writer() *sql.DB { return store.write }

// Reader returns the pool of read-only connections, for libraries that
// read their own tables in the same file (the session store), so reads do
// not queue behind writes.
func (store *Store) Reader() *sql.DB { return store.read }

// inTx runs fn in a write transaction (BEGIN IMMEDIATE): all of fn or
// nothing of it. Concurrent calls share one transaction, each in a savepoint
// of its own (writer.go): fn's error undoes only fn, and inTx returns nil
// only once the transaction holding fn's writes has committed. fn must use
// only tx for the database and the ctx it is given (not cancelled once fn
// runs: see writer.go), and may run on another goroutine.
func (store *Store) inTx(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	if store.w == nil { // during Open: migrations run alone
		return store.soloTx(ctx, fn)
	}
	return store.w.do(ctx, fn)
}

// soloTx runs fn in a transaction of its own.
func (store *Store) soloTx(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	tx, err := store.write.BeginTx(ctx, nil)
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
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

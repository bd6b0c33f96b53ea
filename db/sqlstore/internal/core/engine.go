package core

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gloss/db"
)

// Dialect names an engine's SQL where the shared queries cannot serve
// both: search (FTS5 or tsvector) and a few statements of its own.
type Dialect int

const (
	SQLite Dialect = iota
	Postgres
)

func (d Dialect) String() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

// Engine is what an engine package supplies to New: its two pools, already
// migrated, and what it does its own way.
type Engine struct {
	Dialect Dialect
	// Name says what the store is, for messages ("/var/lib/gloss/gloss.db",
	// "postgres on db.example:5432/gloss").
	Name string
	// Write is the writer's pool of one connection (group commit, writer.go);
	// Read a pool for reads.
	Write, Read *sql.DB
	// Created: the engine found no schema and made it (a first start).
	Created bool
	// Version is the schema's version and the newest this binary knows.
	Version func(ctx context.Context) (current, known int, err error)
	// BeginBatch, when not nil, runs first in each write transaction
	// (PostgreSQL: the lock that keeps writers of every instance in turn).
	BeginBatch func(ctx context.Context, tx *sql.Tx) error
	// Sessions is the session manager's storage.
	Sessions SessionData
	// Backup, SnapshotTo: the engine's consistent snapshots (backups.go);
	// or NoBackups, the error that says what to use instead.
	Backup     func(ctx context.Context, dst string, force bool) (db.Snapshot, error)
	SnapshotTo func(ctx context.Context) (db.Snapshot, func(), error)
	NoBackups  error
	// EventsStored, when not nil, runs last in each write transaction that
	// stored events, with the last one's Seq (PostgreSQL: a notice to every
	// instance, delivered if and when the transaction commits); Waker hears
	// of other instances' (db.EventLog's EventWaker).
	EventsStored func(ctx context.Context, tx *sql.Tx, last int64) error
	Waker        db.EventWaker
	// AfterBulk, when not nil, runs after a bulk load (BulkLoad).
	AfterBulk func(ctx context.Context) error
	// Close, when not nil, closes what else the engine holds.
	Close func() error
}

// SessionData is the session manager's storage, as the engine keeps it.
type SessionData interface {
	FindSession(key string) ([]byte, bool, error)
	CommitSession(key string, data []byte, expiry time.Time) error
	DeleteSession(key string) error
}

// New makes the store's spine over an engine's pools and prepares
// the write statements on the writer; start starts the writer.
func New(ctx context.Context, e Engine, obs db.Observer, reindexing func(index string, done, total int)) (*Core, error) {
	store := &Core{path: e.Name, dialect: e.Dialect, eng: e, write: e.Write, read: e.Read,
		created: e.Created, obs: obs, reindexing: reindexing, clock: func() time.Time { return time.Now().UTC() },
		committed: make(chan struct{}, 1)}
	if err := store.prepareWrites(ctx); err != nil {
		return nil, err
	}
	return store, nil
}

// Start starts the writer; flushSearch ends each of its transactions
// (the search index's queue, beforeCommit), and settleSearch runs after
// each commit.
func (store *Core) Start(flushSearch func(ctx context.Context, tx *sql.Tx) error, settleSearch func()) {
	store.searchFlush, store.searchSettle = flushSearch, settleSearch
	var observe func(int)
	if store.obs != nil {
		observe = store.obs.WriteBatch
	}
	store.WriteGroup = startWriter(store.write, store.beginBatch, store.beforeCommit, store.afterCommit, observe)
}

// beginBatch runs the engine's BeginBatch, if any.
func (store *Core) beginBatch(ctx context.Context, tx *sql.Tx) error {
	store.lastEvent.Store(0)
	if store.eng.BeginBatch == nil {
		return nil
	}
	return store.eng.BeginBatch(ctx, tx)
}

// beforeCommit ends each write transaction: the search index's queue,
// then the engine's notice of the events it stored, if any.
func (store *Core) beforeCommit(ctx context.Context, tx *sql.Tx) error {
	if err := store.searchFlush(ctx, tx); err != nil {
		return err
	}
	if last := store.lastEvent.Load(); last > 0 && store.eng.EventsStored != nil {
		if err := store.eng.EventsStored(ctx, tx, last); err != nil {
			return fmt.Errorf("db: notice of events: %w", err)
		}
	}
	return nil
}

// SchemaVersion returns the version the database is at and the newest this
// binary knows.
func (store *Core) SchemaVersion(ctx context.Context) (current, known int, err error) {
	return store.eng.Version(ctx)
}

// FindSession, CommitSession and DeleteSession keep the session manager's
// data in the engine's storage (db.Sessions).
func (store *Core) FindSession(key string) ([]byte, bool, error) {
	return store.eng.Sessions.FindSession(key)
}

func (store *Core) CommitSession(key string, data []byte, expiry time.Time) error {
	return store.eng.Sessions.CommitSession(key, data, expiry)
}

func (store *Core) DeleteSession(key string) error {
	return store.eng.Sessions.DeleteSession(key)
}

// Backup writes a checked snapshot of the store to dst (db.Backups).
func (store *Core) Backup(ctx context.Context, dst string, force bool) (db.Snapshot, error) {
	if err := store.TakesBackups(); err != nil {
		return db.Snapshot{}, err
	}
	return store.eng.Backup(ctx, dst, force)
}

// SnapshotTo writes a checked snapshot into a new temporary directory and
// returns it with a cleanup that removes it (db.Backups).
func (store *Core) SnapshotTo(ctx context.Context) (db.Snapshot, func(), error) {
	if err := store.TakesBackups(); err != nil {
		return db.Snapshot{}, func() {}, err
	}
	return store.eng.SnapshotTo(ctx)
}

// TakesBackups says whether the engine takes snapshots (nil), or what to
// use instead (db.Backups).
func (store *Core) TakesBackups() error {
	switch {
	case store.eng.NoBackups != nil:
		return store.eng.NoBackups
	case store.eng.Backup == nil || store.eng.SnapshotTo == nil:
		return fmt.Errorf("db: this engine takes no backups")
	}
	return nil
}

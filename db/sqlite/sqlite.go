// Package sqlite is Gloss's default engine: one SQLite file beside the
// binary, nothing else to run. It opens the file with the pragmas Gloss
// needs (WAL, foreign keys, a busy timeout, synchronous NORMAL), applies
// the migrations of migrations/sqlite, and hands the store (db/sqlstore,
// whose queries both engines share) its pools, its FTS5 search, its
// sessions and its backups.
package sqlite

import (
	"context"
	"time"

	"gloss/db"
	"gloss/db/sqlstore"
)

// Store is the SQLite store.
type Store = sqlstore.Store

// Options are what a caller may add to the defaults (an observer for
// metrics, progress of migrations).
type Options = sqlstore.Options

// Stats is a snapshot of the writer (its queue, its batches).
type Stats = sqlstore.Stats

// Open opens (creating if needed) the database at path and migrates it to
// the newest schema. It refuses a database whose schema is newer than this
// binary.
func Open(ctx context.Context, path string) (*Store, error) {
	return sqlstore.OpenSQLite(ctx, path, Options{})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, path string, opts Options) (*Store, error) {
	return sqlstore.OpenSQLite(ctx, path, opts)
}

// BackupFile snapshots the database file at src without migrating or
// otherwise changing it: the command-line backup, safe while a server runs.
func BackupFile(ctx context.Context, src, dst string, force bool) (db.Snapshot, error) {
	return sqlstore.BackupFile(ctx, src, dst, force)
}

// VerifyFile checks that path is a sound Gloss database this binary can use.
func VerifyFile(ctx context.Context, path string) (db.Snapshot, error) {
	return sqlstore.VerifyFile(ctx, path)
}

// Restore replaces the database at dbPath with the backup at src, after
// checking it; the server must be stopped.
func Restore(ctx context.Context, dbPath, src string, now time.Time) (db.Restored, error) {
	return sqlstore.Restore(ctx, dbPath, src, now)
}

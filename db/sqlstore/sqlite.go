package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"runtime"
	"time"

	"github.com/alexedwards/scs/sqlite3store"
	"modernc.org/sqlite"

	"gloss/db"
	"gloss/db/sqlstore/internal/core"
	"gloss/db/sqlstore/internal/search"
)

// The SQLite engine's own parts: the file, its pragmas, its pools, its
// migrations (PRAGMA user_version), its sessions (scs's sqlite3store),
// its backups (backup.go) and what a full disk looks like.

func init() { db.RegisterCannotWrite(sqliteCannotWrite) }

// OpenSQLite opens (creating if needed) the SQLite file at path and
// migrates it to the newest schema. It refuses a database whose schema is
// newer than this binary.
func OpenSQLite(ctx context.Context, path string, opts Options) (*Store, error) {
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
	// The writer must be migrated (which also switches the file to WAL)
	// before readers open it with query_only.
	// A rebuild of the search index during a migration goes through a store
	// that has only its writer yet (the indexer prepares on the migration's
	// transaction).
	early := &search.Index{Core: core.NewEarly(path, core.SQLite, write, opts.Reindexing)}
	created, err := core.MigrateSQLite(ctx, write, path, opts.Migrating, func(ctx context.Context, tx *sql.Tx) error {
		_, err := early.RebuildSearch(ctx, tx, opts.Reindexing)
		return err
	})
	if err != nil {
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
	store, err := New(ctx, core.Engine{
		Dialect: core.SQLite, Name: path, Write: write, Read: read, Created: created,
		Version:  func(ctx context.Context) (int, int, error) { return core.SQLiteVersion(ctx, write) },
		Sessions: &sqliteSessions{reads: sqlite3store.NewWithCleanupInterval(read, 0), writes: sqlite3store.NewWithCleanupInterval(write, 0)},
		Backup: func(ctx context.Context, dst string, force bool) (db.Snapshot, error) {
			return backupWith(ctx, write, dst, force)
		},
		SnapshotTo: func(ctx context.Context) (db.Snapshot, func(), error) { return snapshotTo(ctx, write) },
		AfterBulk: func(ctx context.Context) error {
			_, err := write.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
			return err
		},
	}, opts)
	if err != nil {
		read.Close()
		write.Close()
		return nil, err
	}
	return store, nil
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

// sqliteSessions is the session manager's storage: scs's sqlite3store
// over the same file, reading through the read pool (a signed-in page view
// never queues behind a write) and writing through the writer. Expired
// rows are deleted at each sign-in (CreateUserSession), so neither runs a
// cleanup goroutine.
type sqliteSessions struct{ reads, writes *sqlite3store.SQLite3Store }

func (s *sqliteSessions) FindSession(key string) ([]byte, bool, error) { return s.reads.Find(key) }
func (s *sqliteSessions) CommitSession(key string, data []byte, expiry time.Time) error {
	return s.writes.Commit(key, data, expiry)
}
func (s *sqliteSessions) DeleteSession(key string) error { return s.writes.Delete(key) }

// SQLite's primary result codes for a database that cannot take a write.
const (
	sqliteReadOnly = 8
	sqliteIOErr    = 10
	sqliteFull     = 13
)

// sqliteCannotWrite says why, when err is SQLite refusing a write because
// of the file or disk rather than the statement: "" otherwise. The
// transaction was rolled back, so nothing was half-written.
func sqliteCannotWrite(err error) string {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return ""
	}
	switch se.Code() & 0xff {
	case sqliteFull:
		return "the server's disk is full"
	case sqliteReadOnly:
		return "its database file is read-only"
	case sqliteIOErr:
		return "its disk reported an error"
	}
	return ""
}

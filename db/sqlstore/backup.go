package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gloss/db"
	"gloss/db/sqlstore/internal/core"
	"gloss/migrations"

	"modernc.org/sqlite"
)

// sqliteBusy is SQLITE_BUSY, the primary result code for a lock held elsewhere.
const sqliteBusy = 5

// sqliteHeader opens every SQLite 3 database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// knownSchema is the newest schema version this binary can migrate to.
func knownSchema() (int, error) {
	ms, err := core.LoadMigrations(migrations.SQLite)
	return len(ms), err
}

// BackupFile snapshots the database file at src without migrating or
// otherwise changing it: the command-line backup, safe while a server runs.
func BackupFile(ctx context.Context, src, dst string, force bool) (db.Snapshot, error) {
	if _, err := os.Stat(src); err != nil {
		return db.Snapshot{}, db.Errorf(db.EINVALID, "There is no database at %s.", src)
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Set("mode", "rw") // never create an empty database by mistake
	conn, err := sql.Open("sqlite", "file:"+src+"?"+q.Encode())
	if err != nil {
		return db.Snapshot{}, fmt.Errorf("db: open %s: %w", src, err)
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	return backupWith(ctx, conn, dst, force)
}

func backupWith(ctx context.Context, conn *sql.DB, dst string, force bool) (db.Snapshot, error) {
	if dst == "" {
		return db.Snapshot{}, db.Errorf(db.EINVALID, "Say where to write the backup.")
	}
	if fi, err := os.Stat(dst); err == nil {
		if fi.IsDir() {
			return db.Snapshot{}, db.Errorf(db.EINVALID, "%s is a directory: give the backup's file name.", dst)
		}
		if !force {
			return db.Snapshot{}, db.Errorf(db.ECONFLICT, "%s exists already: choose another name, or use -force to replace it.", dst)
		}
	}
	// Write into a fresh directory beside dst, check, then move into place:
	// a failed or interrupted backup never leaves a half-written dst.
	tmpDir, err := os.MkdirTemp(filepath.Dir(dst), ".gloss-backup-")
	if err != nil {
		return db.Snapshot{}, fmt.Errorf("db: backup: %w", err)
	}
	defer os.RemoveAll(tmpDir)
	tmp := filepath.Join(tmpDir, "snapshot.db")
	if err := vacuumInto(ctx, conn, tmp); err != nil {
		return db.Snapshot{}, err
	}
	snap, err := VerifyFile(ctx, tmp)
	if err != nil {
		return db.Snapshot{}, fmt.Errorf("db: the new backup failed its check: %w", err)
	}
	if force {
		err = os.Rename(tmp, dst)
	} else if err = os.Link(tmp, dst); errors.Is(err, fs.ErrExist) {
		// Link refuses to replace, so a file that appeared meanwhile is safe.
		return db.Snapshot{}, db.Errorf(db.ECONFLICT, "%s exists already: choose another name, or use -force to replace it.", dst)
	} else if err != nil {
		// A file system without hard links: we checked above that dst was free.
		err = os.Rename(tmp, dst)
	}
	if err != nil {
		return db.Snapshot{}, fmt.Errorf("db: backup: %w", err)
	}
	if err := syncDir(filepath.Dir(dst)); err != nil {
		return db.Snapshot{}, err
	}
	snap.Path = dst
	return snap, nil
}

// vacuumInto writes a compact, consistent copy of the database to path
// (which must not exist) and flushes it to disk: VACUUM INTO itself does
// not fsync its output.
func vacuumInto(ctx context.Context, conn *sql.DB, path string) error {
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("db: snapshot into %s: %w", path, err)
	}
	// A backup holds password hashes and sessions: for its owner only.
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("db: snapshot: %w", err)
	}
	return syncFile(path)
}

// SnapshotTo writes a checked snapshot into a new temporary directory (in
// $TMPDIR) and returns its path with a cleanup that removes it. The admin
// download uses it.
func snapshotTo(ctx context.Context, write *sql.DB) (db.Snapshot, func(), error) {
	dir, err := os.MkdirTemp("", "gloss-snapshot-")
	if err != nil {
		return db.Snapshot{}, func() {}, fmt.Errorf("db: snapshot: %w", err)
	}
	cleanup := func() { os.RemoveAll(dir) }
	path := filepath.Join(dir, "gloss.db")
	if err := vacuumInto(ctx, write, path); err != nil {
		cleanup()
		return db.Snapshot{}, func() {}, err
	}
	snap, err := VerifyFile(ctx, path)
	if err != nil {
		cleanup()
		return db.Snapshot{}, func() {}, fmt.Errorf("db: the snapshot failed its check: %w", err)
	}
	return snap, cleanup, nil
}

// VerifyFile checks that path is a sound Gloss database this binary can
// use: an SQLite file that passes PRAGMA integrity_check, with the Gloss
// schema at a version no newer than this binary knows (older is fine: it
// is migrated when opened). It opens the file read-only.
func VerifyFile(ctx context.Context, path string) (db.Snapshot, error) {
	return verifyFile(ctx, path, path)
}

// verifyFile checks the file at path, naming it name in messages.
func verifyFile(ctx context.Context, path, name string) (db.Snapshot, error) {
	snap := db.Snapshot{Path: path}
	known, err := knownSchema()
	if err != nil {
		return snap, err
	}
	snap.KnownVersion = known
	f, err := os.Open(path)
	if err != nil {
		return snap, db.Errorf(db.EINVALID, "Cannot read %s: %v.", name, errors.Unwrap(err))
	}
	head := make([]byte, len(sqliteHeader))
	_, rerr := io.ReadFull(f, head)
	fi, serr := f.Stat()
	f.Close()
	if rerr != nil || !bytes.Equal(head, sqliteHeader) {
		return snap, db.Errorf(db.EINVALID, "%s is not an SQLite database.", name)
	}
	if serr != nil {
		return snap, serr
	}
	snap.Size = fi.Size()

	q := url.Values{}
	q.Set("mode", "ro")
	q.Add("_pragma", "busy_timeout(10000)")
	conn, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return snap, fmt.Errorf("db: open %s: %w", path, err)
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)

	rows, err := conn.QueryContext(ctx, `PRAGMA integrity_check(20)`)
	if err != nil {
		return snap, db.Errorf(db.EINVALID, "%s is damaged: %v.", name, err)
	}
	problems, err := core.ScanColumn[string](rows)
	if err != nil {
		return snap, db.Errorf(db.EINVALID, "%s is damaged: %v.", name, err)
	}
	if len(problems) != 1 || problems[0] != "ok" {
		return snap, db.Errorf(db.EINVALID, "%s failed the integrity check: %s.", name, strings.Join(problems, "; "))
	}

	if err := conn.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&snap.SchemaVersion); err != nil {
		return snap, fmt.Errorf("db: read schema version of %s: %w", path, err)
	}
	var tables int
	if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('articles', 'article_revisions')`).Scan(&tables); err != nil {
		return snap, fmt.Errorf("db: read schema of %s: %w", path, err)
	}
	switch {
	case snap.SchemaVersion == 0 || tables != 2:
		return snap, db.Errorf(db.EINVALID, "%s is an SQLite database but not a Gloss one.", name)
	case snap.SchemaVersion > known:
		return snap, db.Errorf(db.EINVALID, "%s has schema version %d, newer than this Gloss knows (%d): restore it with a newer Gloss.", name, snap.SchemaVersion, known)
	}
	return snap, nil
}

// Restore replaces the database file at dbPath with the snapshot at src.
// It checks src first and changes nothing if the check fails. It refuses
// while any process (a running server) has the database open. The current
// file is kept as dbPath.before-restore-<UTC time>; the new one is copied
// beside it, flushed to disk and renamed into place, so dbPath is always
// either the old database or the new one.
func Restore(ctx context.Context, dbPath, src string, now time.Time) (db.Restored, error) {
	var res db.Restored
	absDB, err1 := filepath.Abs(dbPath)
	absSrc, err2 := filepath.Abs(src)
	if err1 == nil && err2 == nil && absDB == absSrc {
		return res, db.Errorf(db.EINVALID, "%s is the database itself: name a backup file.", src)
	}
	if fi, err := os.Stat(src); err != nil {
		return res, db.Errorf(db.EINVALID, "Cannot read %s: %v.", src, errors.Unwrap(err))
	} else if !fi.Mode().IsRegular() {
		return res, db.Errorf(db.EINVALID, "%s is not a file.", src)
	}
	dir := filepath.Dir(dbPath)
	tmpDir, err := os.MkdirTemp(dir, ".gloss-restore-")
	if err != nil {
		return res, fmt.Errorf("db: restore: %w", err)
	}
	defer os.RemoveAll(tmpDir)
	tmp := filepath.Join(tmpDir, "restore.db")
	if err := copyFile(src, tmp); err != nil {
		return res, fmt.Errorf("db: restore: copy %s: %w", src, err)
	}
	// Check the copy, in a directory of our own: it is what goes into place.
	snap, err := verifyFile(ctx, tmp, src)
	if err != nil {
		return res, err
	}
	res.Snapshot = snap
	res.Path = src

	fi, statErr := os.Stat(dbPath)
	exists := statErr == nil
	if exists {
		// The restored file keeps the current one's permissions.
		if err := os.Chmod(tmp, fi.Mode().Perm()); err != nil {
			return res, fmt.Errorf("db: restore: %w", err)
		}
		release, err := lockForRestore(ctx, dbPath)
		if err != nil {
			return res, err
		}
		// The lock is held until the new file is in place, so no server can
		// start on the old one meanwhile.
		defer release()
		stamp := now.UTC().Format("20060102-150405")
		res.Previous = dbPath + ".before-restore-" + stamp
		for i := 2; ; i++ {
			err = os.Link(dbPath, res.Previous)
			if !errors.Is(err, fs.ErrExist) {
				break
			}
			res.Previous = fmt.Sprintf("%s.before-restore-%s-%d", dbPath, stamp, i)
		}
		if err != nil {
			// No hard links here: keep a copy instead.
			if err := copyFile(dbPath, res.Previous); err != nil {
				return res, fmt.Errorf("db: restore: keep the current database: %w", err)
			}
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		return res, fmt.Errorf("db: restore: %w", err)
	}
	for _, stale := range []string{dbPath + "-wal", dbPath + "-shm", dbPath + "-journal"} {
		if err := os.Remove(stale); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return res, fmt.Errorf("db: restore: remove %s: %w", stale, err)
		}
	}
	return res, syncDir(dir)
}

// lockForRestore takes the database for itself, or reports that something
// holds it. Leaving WAL mode needs every other connection closed, so it
// fails at once while a server (in any process) has the file open; once
// out of WAL mode the file is complete on its own (no -wal to lose), and
// EXCLUSIVE locking mode keeps every other connection out until release.
func lockForRestore(ctx context.Context, path string) (func(), error) {
	q := url.Values{}
	q.Set("mode", "rw")
	q.Add("_pragma", "busy_timeout(1000)")
	q.Add("_pragma", "locking_mode(EXCLUSIVE)")
	conn, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("db: open %s: %w", path, err)
	}
	conn.SetMaxOpenConns(1)
	inUse := db.Errorf(db.ECONFLICT, "%s is in use (is the server running?): stop the server, then restore.", path)
	var mode string
	if err := conn.QueryRowContext(ctx, `PRAGMA journal_mode = DELETE`).Scan(&mode); err != nil {
		conn.Close()
		var se *sqlite.Error
		if errors.As(err, &se) && se.Code()&0xff == sqliteBusy {
			return nil, inUse
		}
		// A damaged database cannot be locked, and is what a restore is for;
		// but only a person can tell it is not in use.
		return nil, db.Errorf(db.EINVALID, "The current database %s cannot be opened (%v): if no server is using it, move it aside (e.g. mv %s %s.broken) and restore again.", path, err, path, path)
	}
	if mode != "delete" {
		conn.Close()
		return nil, inUse
	}
	// A write transaction takes the EXCLUSIVE lock, which locking_mode keeps.
	if _, err := conn.ExecContext(ctx, `BEGIN EXCLUSIVE; COMMIT`); err != nil {
		conn.Close()
		return nil, inUse
	}
	// In EXCLUSIVE mode SQLite keeps its rollback journal and deletes it by
	// name on close, when a new database may be in place: with no journal,
	// closing touches no file. (Restore removes the old, empty journal.)
	if err := conn.QueryRowContext(ctx, `PRAGMA journal_mode = OFF`).Scan(&mode); err != nil || mode != "off" {
		conn.Close()
		return nil, fmt.Errorf("db: lock %s: journal mode %q: %v", path, mode, err)
	}
	return func() { conn.Close() }, nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("db: sync %s: %w", path, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("db: sync %s: %w", path, err)
	}
	return nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("db: sync %s: %w", dir, err)
	}
	defer d.Close()
	// Some file systems cannot sync a directory; the rename stands anyway.
	_ = d.Sync()
	return nil
}

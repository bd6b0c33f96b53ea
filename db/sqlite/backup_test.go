package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gloss/db"
	"gloss/db/sqlite"
)

// openAt opens (creating) the database at path and closes it after the test.
func openAt(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	d, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func importN(t *testing.T, d *sqlite.Store, prefix string, n int) {
	t.Helper()
	for i := range n {
		if _, err := d.ImportArticle(context.Background(), db.ArticleInput{
			Slug: fmt.Sprintf("%s-%d", prefix, i), Title: "T", Body: strings.Repeat("Some words of text. ", 400),
		}); err != nil {
			t.Fatal(err)
		}
	}
}

// slugsIn lists the article slugs in a database file, opened read-only.
func slugsIn(t *testing.T, path string) map[string]bool {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(`SELECT slug FROM articles`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out[s] = true
	}
	return out
}

func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "gloss.db")
	d := openAt(t, src)
	importN(t, d, "before", 3)

	// A writer commits one article after another while backups are taken,
	// from the server's own connection and from a second one (the command).
	var committed atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := d.ImportArticle(ctx, db.ArticleInput{Slug: fmt.Sprintf("during-%d", i), Title: "T", Body: strings.Repeat("word ", 2000)}); err != nil {
				t.Error(err)
				return
			}
			committed.Store(int64(i + 1))
		}
	}()
	defer func() { close(stop); wg.Wait() }()
	for committed.Load() < 5 {
		time.Sleep(time.Millisecond)
	}

	for i, backup := range []func(dst string) (db.Snapshot, error){
		func(dst string) (db.Snapshot, error) { return d.Backup(ctx, dst, false) },
		func(dst string) (db.Snapshot, error) { return sqlite.BackupFile(ctx, src, dst, false) },
	} {
		before := committed.Load()
		dst := filepath.Join(dir, fmt.Sprintf("backup-%d.db", i))
		snap, err := backup(dst)
		if err != nil {
			t.Fatal(err)
		}
		if snap.Path != dst || snap.SchemaVersion != snap.KnownVersion || snap.Size == 0 {
			t.Errorf("snapshot %+v", snap)
		}
		if _, err := sqlite.VerifyFile(ctx, dst); err != nil {
			t.Errorf("backup %d fails its check: %v", i, err)
		}
		slugs := slugsIn(t, dst)
		for j := range before {
			if !slugs[fmt.Sprintf("during-%d", j)] {
				t.Errorf("backup %d lacks during-%d, committed before it began", i, j)
			}
		}
		for j := range 3 {
			if !slugs[fmt.Sprintf("before-%d", j)] {
				t.Errorf("backup %d lacks before-%d", i, j)
			}
		}
		// The snapshot opens as a database of its own.
		copyDB := filepath.Join(dir, fmt.Sprintf("open-%d.db", i))
		if err := os.Link(dst, copyDB); err != nil {
			t.Fatal(err)
		}
		o := openAt(t, copyDB)
		if n, err := o.ArticleCount(ctx); err != nil || n < 3+int(before) {
			t.Errorf("backup %d opened: %d articles, %v", i, n, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "backup-0.db-wal")); err == nil {
		t.Error("a backup left a -wal file")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".gloss-backup-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestBackupExisting(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := openAt(t, filepath.Join(dir, "gloss.db"))
	dst := filepath.Join(dir, "b.db")
	if err := os.WriteFile(dst, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Backup(ctx, dst, false); db.ErrorCode(err) != db.ECONFLICT {
		t.Errorf("over an existing file without force: %v", err)
	}
	if b, _ := os.ReadFile(dst); string(b) != "keep me" {
		t.Error("the existing file was changed")
	}
	if _, err := d.Backup(ctx, dst, true); err != nil {
		t.Errorf("with force: %v", err)
	}
	if _, err := sqlite.VerifyFile(ctx, dst); err != nil {
		t.Error(err)
	}
	if fi, _ := os.Stat(dst); fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v: it holds password hashes", fi.Mode().Perm())
	}
	if _, err := sqlite.BackupFile(ctx, filepath.Join(dir, "missing.db"), filepath.Join(dir, "c.db"), false); db.ErrorCode(err) != db.EINVALID {
		t.Errorf("backup of a missing database: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Error("backing up a missing database created it")
	}
}

func TestRestore(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

	// setup makes a database with article keep-0 and a backup of it, then
	// adds article later-0 to the database, and closes it.
	setup := func(t *testing.T) (dbPath, backup string) {
		dir := t.TempDir()
		dbPath = filepath.Join(dir, "gloss.db")
		d, err := sqlite.Open(ctx, dbPath)
		if err != nil {
			t.Fatal(err)
		}
		importN(t, d, "keep", 1)
		backup = filepath.Join(dir, "backup.db")
		if _, err := d.Backup(ctx, backup, false); err != nil {
			t.Fatal(err)
		}
		importN(t, d, "later", 1)
		d.Close()
		return dbPath, backup
	}
	// unchanged checks a refused restore left the database alone.
	unchanged := func(t *testing.T, dbPath string) {
		t.Helper()
		if s := slugsIn(t, dbPath); !s["later-0"] {
			t.Error("a refused restore changed the database")
		}
		if left, _ := filepath.Glob(dbPath + ".before-restore-*"); len(left) > 0 {
			t.Errorf("a refused restore kept a copy: %v", left)
		}
	}

	t.Run("OK", func(t *testing.T) {
		dbPath, backup := setup(t)
		res, err := sqlite.Restore(ctx, dbPath, backup, now)
		if err != nil {
			t.Fatal(err)
		}
		if want := dbPath + ".before-restore-20250304-050607"; res.Previous != want {
			t.Errorf("previous kept as %q, want %q", res.Previous, want)
		}
		if s := slugsIn(t, dbPath); !s["keep-0"] || s["later-0"] {
			t.Errorf("after restore: %v", s)
		}
		if s := slugsIn(t, res.Previous); !s["later-0"] {
			t.Errorf("the previous database lost data: %v", s)
		}
		for _, stale := range []string{"-wal", "-shm", "-journal"} {
			if _, err := os.Stat(dbPath + stale); err == nil {
				t.Errorf("stale %s left", stale)
			}
		}
		d := openAt(t, dbPath)
		if _, err := d.ArticleBySlug(ctx, "keep-0"); err != nil {
			t.Error(err)
		}
		// A second restore in the same second keeps both earlier files.
		d.Close()
		res2, err := sqlite.Restore(ctx, dbPath, backup, now)
		if err != nil {
			t.Fatal(err)
		}
		if res2.Previous == res.Previous {
			t.Errorf("the second restore overwrote %s", res.Previous)
		}
	})
	t.Run("ErrInUse", func(t *testing.T) {
		dbPath, backup := setup(t)
		d := openAt(t, dbPath) // a running server
		if _, err := d.ArticleCount(ctx); err != nil {
			t.Fatal(err)
		}
		_, err := sqlite.Restore(ctx, dbPath, backup, now)
		if db.ErrorCode(err) != db.ECONFLICT || !strings.Contains(db.ErrorMessage(err), "in use") {
			t.Fatalf("restore under a running server: %v", err)
		}
		if _, err := d.ImportArticle(ctx, db.ArticleInput{Slug: "still-works", Title: "T", Body: "x"}); err != nil {
			t.Errorf("the server's database broke: %v", err)
		}
		d.Close()
		unchanged(t, dbPath)
	})
	for name, tc := range map[string]struct {
		spoil func(t *testing.T, backup string)
		want  string
	}{
		"ErrCorrupt": {func(t *testing.T, backup string) {
			b, err := os.ReadFile(backup)
			if err != nil {
				t.Fatal(err)
			}
			if len(b) < 8*4096 {
				t.Fatalf("backup too small to corrupt a middle page: %d bytes", len(b))
			}
			for i := 4 * 4096; i < 6*4096; i++ {
				b[i] = 0xA5
			}
			if err := os.WriteFile(backup, b, 0o600); err != nil {
				t.Fatal(err)
			}
		}, "damaged|integrity|malformed"},
		"ErrTruncated": {func(t *testing.T, backup string) {
			fi, _ := os.Stat(backup)
			if err := os.Truncate(backup, fi.Size()/2); err != nil {
				t.Fatal(err)
			}
		}, "damaged|integrity|malformed"},
		"ErrNotSQLite": {func(t *testing.T, backup string) {
			os.WriteFile(backup, []byte("name,quote\nAda,hello\n"), 0o600)
		}, "not an SQLite database"},
		"ErrEmptyFile": {func(t *testing.T, backup string) {
			os.WriteFile(backup, nil, 0o600)
		}, "not an SQLite database"},
		"ErrNewerSchema": {func(t *testing.T, backup string) {
			conn, err := sql.Open("sqlite", "file:"+backup)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := conn.Exec(`PRAGMA user_version = 9999`); err != nil {
				t.Fatal(err)
			}
		}, "schema version 9999, newer"},
		"ErrNotGloss": {func(t *testing.T, backup string) {
			os.Remove(backup)
			conn, _ := sql.Open("sqlite", "file:"+backup)
			defer conn.Close()
			if _, err := conn.Exec(`CREATE TABLE t (x)`); err != nil {
				t.Fatal(err)
			}
		}, "not a Gloss one"},
		"ErrMissing": {func(t *testing.T, backup string) { os.Remove(backup) }, "Cannot read"},
	} {
		t.Run(name, func(t *testing.T) {
			dbPath, backup := setup(t)
			tc.spoil(t, backup)
			_, err := sqlite.Restore(ctx, dbPath, backup, now)
			if db.ErrorCode(err) != db.EINVALID || !matchesAny(db.ErrorMessage(err), tc.want) {
				t.Fatalf("got %v, want a message matching %q", err, tc.want)
			}
			t.Log(db.ErrorMessage(err))
			unchanged(t, dbPath)
			if left, _ := filepath.Glob(filepath.Join(filepath.Dir(dbPath), ".gloss-restore-*")); len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
	t.Run("ErrCurrentDamaged", func(t *testing.T) {
		dbPath, backup := setup(t)
		os.WriteFile(dbPath, []byte("garbage, not a database at all, long enough to have a header......"), 0o600)
		_, err := sqlite.Restore(ctx, dbPath, backup, now)
		if db.ErrorCode(err) != db.EINVALID || !strings.Contains(db.ErrorMessage(err), "move it aside") {
			t.Fatalf("restore over a damaged database: %v", err)
		}
		// Moved aside as told, the restore goes ahead.
		if err := os.Rename(dbPath, dbPath+".broken"); err != nil {
			t.Fatal(err)
		}
		if _, err := sqlite.Restore(ctx, dbPath, backup, now); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrItself", func(t *testing.T) {
		dbPath, _ := setup(t)
		if _, err := sqlite.Restore(ctx, dbPath, dbPath, now); db.ErrorCode(err) != db.EINVALID {
			t.Errorf("restoring the database onto itself: %v", err)
		}
	})
	t.Run("NoDatabaseYet", func(t *testing.T) {
		_, backup := setup(t)
		fresh := filepath.Join(t.TempDir(), "new.db")
		res, err := sqlite.Restore(ctx, fresh, backup, now)
		if err != nil || res.Previous != "" {
			t.Fatalf("%+v %v", res, err)
		}
		if !slugsIn(t, fresh)["keep-0"] {
			t.Error("not restored")
		}
	})
}

func matchesAny(s, alternatives string) bool {
	for _, a := range strings.Split(alternatives, "|") {
		if strings.Contains(s, a) {
			return true
		}
	}
	return false
}

func TestSnapshotTo(t *testing.T) {
	d := MustOpenDB(t)
	snap, cleanup, err := d.SnapshotTo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(snap.Path); err != nil {
		t.Fatal(err)
	}
	cleanup()
	if _, err := os.Stat(filepath.Dir(snap.Path)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("cleanup left %s: %v", filepath.Dir(snap.Path), err)
	}
}

package sqlite_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"gloss/db/sqlite"
)

// MustOpenDB opens a fresh database file in a temporary directory.
func MustOpenDB(tb testing.TB) *sqlite.Store {
	tb.Helper()
	d, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "gloss.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { d.Close() })
	return d
}

func TestOpen(t *testing.T) {
	ctx := context.Background()
	t.Run("Pragmas", func(t *testing.T) {
		d := MustOpenDB(t)
		for pragma, want := range map[string]string{
			"journal_mode": "wal",
			"foreign_keys": "1",
			"synchronous":  "1", // NORMAL
			"busy_timeout": "10000",
			"temp_store":   "2", // MEMORY, on the writer
		} {
			var got string
			if err := d.Writer().QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("PRAGMA %s = %s, want %s", pragma, got, want)
			}
		}
	})
	t.Run("MigratesOnceAndReopens", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "gloss.db")
		d, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if !d.Created() {
			t.Error("a new file should report Created")
		}
		current, known, err := d.SchemaVersion(ctx)
		if err != nil || current != known || known < 1 {
			t.Fatalf("schema version %d of %d (%v)", current, known, err)
		}
		d.Close()
		d, err = sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		if d.Created() {
			t.Error("a migrated file should not report Created")
		}
	})
	t.Run("ErrSchemaNewer", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "gloss.db")
		d, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Writer().ExecContext(ctx, "PRAGMA user_version = 9999"); err != nil {
			t.Fatal(err)
		}
		d.Close()
		_, err = sqlite.Open(ctx, path)
		if err == nil || !strings.Contains(err.Error(), "9999") {
			t.Fatalf("Open on a newer schema: err = %v, want a refusal naming the version", err)
		}
	})
	t.Run("Ping", func(t *testing.T) {
		if err := MustOpenDB(t).Ping(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

package postgres_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"gloss/db/postgres/pgtest"
	"gloss/db/sqlite"
	"gloss/db/sqlstore"
	"gloss/db/storetest"
	"gloss/db/storetest/evidencetest"
	"gloss/db/storetest/searchtest"
)

// TestContract runs the store contract on PostgreSQL: storetest's suite, then
// evidencetest's and searchtest's.
func TestContract(t *testing.T) {
	storetest.Run(t, opener)
	evidencetest.Run(t, opener)
	searchtest.Run(t, opener)
}

// FuzzSearch runs the search fuzzer on PostgreSQL: any input is a valid
// query for its tsquery too.
func FuzzSearch(f *testing.F) { searchtest.FuzzSearch(f, opener) }

// TestCopy copies a library from SQLite to PostgreSQL and back (web
// copy-db, both directions).
func TestCopy(t *testing.T) {
	sqliteFile := func(tb testing.TB) *sqlstore.Store {
		s, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "gloss.db"))
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { s.Close() })
		return s
	}
	pg := pgtest.Open
	t.Run("SQLiteToPostgreSQL", func(t *testing.T) { storetest.CopyBetween(t, sqliteFile, pg) })
	t.Run("PostgreSQLToSQLite", func(t *testing.T) { storetest.CopyBetween(t, pg, sqliteFile) })
}

// TestMain drops the template database the tests copied.
func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Cleanup()
	os.Exit(code)
}

// opener makes a database of its own for each test (pgtest).
func opener(tb testing.TB) storetest.Engine { return pgtest.Open(tb) }

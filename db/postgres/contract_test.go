package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"gloss/db/postgres"
	"gloss/db/sqlite"
	"gloss/db/sqlstore"
	"gloss/db/storetest"
)

// TestContract runs the store contract on PostgreSQL.
func TestContract(t *testing.T) { storetest.Run(t, opener) }

// FuzzSearch runs the search fuzzer on PostgreSQL: any input is a valid
// query for its tsquery too.
func FuzzSearch(f *testing.F) { storetest.FuzzSearch(f, opener) }

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
	pg := func(tb testing.TB) *sqlstore.Store { return opener(tb).(*sqlstore.Store) }
	t.Run("SQLiteToPostgreSQL", func(t *testing.T) { storetest.CopyBetween(t, sqliteFile, pg) })
	t.Run("PostgreSQLToSQLite", func(t *testing.T) { storetest.CopyBetween(t, pg, sqliteFile) })
}

// TestMain drops the template database the tests copied.
func TestMain(m *testing.M) {
	code := m.Run()
	if admin != nil && tmplName != "" {
		admin.Exec(`DROP DATABASE ` + tmplName + ` WITH (FORCE)`)
	}
	os.Exit(code)
}

// opener makes a database of its own for each test, from a template
// migrated once, and drops it when the test ends.
func opener(tb testing.TB) storetest.Engine {
	tb.Helper()
	admin := adminDB(tb)
	name := "gloss_t_" + randomHex(6)
	if _, err := admin.Exec(`CREATE DATABASE ` + name + ` TEMPLATE ` + template(tb)); err != nil {
		tb.Fatal(err)
	}
	store, err := postgres.Open(context.Background(), withDatabase(tb, name), sqlstore.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		store.Close()
		admin.Exec(`DROP DATABASE ` + name + ` WITH (FORCE)`)
	})
	return store
}

var (
	adminOnce sync.Once
	admin     *sql.DB
	tmplOnce  sync.Once
	tmplName  string
	tmplErr   error
)

// adminDB is a connection to the server GLOSS_TEST_POSTGRES names, to
// make and drop the tests' databases; the test skips without one.
func adminDB(tb testing.TB) *sql.DB {
	tb.Helper()
	dsn := os.Getenv("GLOSS_TEST_POSTGRES")
	if dsn == "" {
		tb.Skip("GLOSS_TEST_POSTGRES is not set: no PostgreSQL to test against (.ci/run starts one)")
	}
	adminOnce.Do(func() {
		var err error
		if admin, err = sql.Open("pgx", dsn); err != nil {
			panic(err)
		}
	})
	return admin
}

// template is a database migrated once, which each test's database copies.
func template(tb testing.TB) string {
	tmplOnce.Do(func() {
		tmplName = "gloss_template_" + randomHex(4)
		if _, tmplErr = admin.Exec(`CREATE DATABASE ` + tmplName); tmplErr != nil {
			return
		}
		var s *sqlstore.Store
		if s, tmplErr = postgres.Open(context.Background(), withDatabase(tb, tmplName), sqlstore.Options{}); tmplErr == nil {
			s.Close()
		}
	})
	if tmplErr != nil {
		tb.Fatal(tmplErr)
	}
	return tmplName
}

func withDatabase(tb testing.TB, name string) string {
	u, err := url.Parse(os.Getenv("GLOSS_TEST_POSTGRES"))
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

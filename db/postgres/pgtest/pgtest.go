// Package pgtest gives tests a PostgreSQL database of their own, on the
// server GLOSS_TEST_POSTGRES names (.ci/run starts one): a copy of a
// template migrated once per test binary, dropped when the test ends.
// Without the variable, a test that asks for one is skipped, with the
// reason in one line.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the admin connection

	"gloss/db/postgres"
	"gloss/db/sqlstore"
)

// Env is the variable that names the test server.
const Env = "GLOSS_TEST_POSTGRES"

// SkipReason is what a test without a server says.
const SkipReason = Env + " is not set: no PostgreSQL to test against (.ci/run starts one)"

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error
	tmplOnce  sync.Once
	tmplName  string
	tmplErr   error
)

// Available reports whether a test server is named.
func Available() bool { return os.Getenv(Env) != "" }

// DSN makes a new, migrated database for the test and returns its
// address; the database is dropped when the test ends.
func DSN(tb testing.TB) string {
	tb.Helper()
	a := adminDB(tb)
	name := "gloss_t_" + randomHex(6)
	if _, err := a.Exec(`CREATE DATABASE ` + name + ` TEMPLATE ` + template(tb)); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { a.Exec(`DROP DATABASE ` + name + ` WITH (FORCE)`) })
	return WithDatabase(tb, name)
}

// Open opens a new database of the test's own (see DSN).
func Open(tb testing.TB) *sqlstore.Store {
	tb.Helper()
	return OpenWith(tb, sqlstore.Options{})
}

// OpenWith is Open with options.
func OpenWith(tb testing.TB, opts sqlstore.Options) *sqlstore.Store {
	tb.Helper()
	store, err := postgres.Open(context.Background(), DSN(tb), opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { store.Close() })
	return store
}

// Admin is a connection to the test server's maintenance database, to
// make and drop databases; the test is skipped without a server.
func Admin(tb testing.TB) *sql.DB {
	tb.Helper()
	return adminDB(tb)
}

func adminDB(tb testing.TB) *sql.DB {
	tb.Helper()
	dsn := os.Getenv(Env)
	if dsn == "" {
		tb.Skip(SkipReason)
	}
	adminOnce.Do(func() { admin, adminErr = sql.Open("pgx", dsn) })
	if adminErr != nil {
		tb.Fatal(adminErr)
	}
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
		if s, tmplErr = postgres.Open(context.Background(), WithDatabase(tb, tmplName), sqlstore.Options{}); tmplErr == nil {
			s.Close()
		}
	})
	if tmplErr != nil {
		tb.Fatal(tmplErr)
	}
	return tmplName
}

// Cleanup drops the template; call it from TestMain after the tests.
func Cleanup() {
	if admin != nil && tmplName != "" {
		admin.Exec(`DROP DATABASE ` + tmplName + ` WITH (FORCE)`)
	}
}

// WithDatabase is the test server's address for the database name.
func WithDatabase(tb testing.TB, name string) string {
	u, err := url.Parse(os.Getenv(Env))
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

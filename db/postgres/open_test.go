package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"net"
	"net/url"
	"strings"
	"testing"

	"gloss/db/postgres"
	"gloss/db/postgres/pgtest"
	"gloss/db/sqlstore"
)

// TestOpenSaysWhatIsWrong: each way a start on PostgreSQL fails gets one
// line that says which and how to fix it.
func TestOpenSaysWhatIsWrong(t *testing.T) {
	admin := pgtest.Admin(t)
	ctx := context.Background()
	// A port nothing listens on.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()

	role := "gloss_t_norights_" + strings.ToLower(rand.Text()[:6])
	if _, err := admin.Exec(`CREATE ROLE ` + role + ` LOGIN`); err != nil {
		t.Fatal(err)
	}
	dbName := "gloss_t_" + strings.ToLower(rand.Text()[:10])
	if _, err := admin.Exec(`CREATE DATABASE ` + dbName); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec(`DROP DATABASE ` + dbName + ` WITH (FORCE)`)
		admin.Exec(`DROP ROLE ` + role)
	})
	asRole := withUser(t, pgtest.WithDatabase(t, dbName), url.User(role))

	for _, c := range []struct {
		name, dsn string
		want      []string
	}{
		{"unreachable", "postgres://gloss:secret@" + closed + "/gloss?sslmode=disable", []string{"cannot reach", closed, "connection refused", "host and port"}},
		{"no such database", pgtest.WithDatabase(t, "gloss_t_missing"), []string{"does not exist", "createdb"}},
		{"no such user", withUser(t, pgtest.WithDatabase(t, "postgres"), url.UserPassword("gloss_t_nobody", "secret")), []string{"refused the user", "gloss_t_nobody"}},
		{"no rights", asRole, []string{"lacks the rights", "OWNER TO"}},
		{"not an address", "postgres://gl oss@[::1", []string{"is not a PostgreSQL address", "postgres://user:password@host"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := postgres.Open(ctx, c.dsn, sqlstore.Options{})
			if err == nil {
				s.Close()
				t.Fatal("opened")
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("more than one line: %q", msg)
			}
			if strings.Contains(msg, "secret") {
				t.Errorf("the password is in the message: %q", msg)
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("%q does not say %q", msg, w)
				}
			}
		})
	}
}

// withUser is dsn with its user (and password) replaced.
func withUser(tb testing.TB, dsn string, user *url.Userinfo) string {
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	u.User = user
	return u.String()
}

// TestJITOff: Gloss's connections run without PostgreSQL's JIT compiler
// (it cost a library page about 200 ms and saved nothing), unless the
// address asks for it.
func TestJITOff(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	for _, c := range []struct{ dsn, want string }{
		{dsn, "off"},
		{dsn + "&jit=on", "on"},
	} {
		s, err := postgres.Open(ctx, c.dsn, sqlstore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for name, conn := range map[string]interface {
			QueryRowContext(context.Context, string, ...any) *sql.Row
		}{"read": s.Reader(), "write": s.Writer()} {
			var jit string
			if err := conn.QueryRowContext(ctx, `SHOW jit`).Scan(&jit); err != nil {
				t.Fatal(err)
			}
			if jit != c.want {
				t.Errorf("%s: jit = %s on a %s connection, want %s", c.dsn, jit, name, c.want)
			}
		}
		s.Close()
	}
}

package main

import (
	"bytes"
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// TestCopyDBCommand: web copy-db copies a seeded library with an account
// into a new database and says what it copied and verified; a second copy
// into it is refused without -force; and the usage is checked.
func TestCopyDBCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "gloss.db")
	var out bytes.Buffer
	web := func(args ...string) error {
		out.Reset()
		return run(ctx, args, noEnv, strings.NewReader("a long enough password\n"), &out)
	}
	if err := web("seed", "-db", src); err != nil {
		t.Fatal(err)
	}
	if err := web("user", "add", "-db", src, "-email", "ana@example.org", "-name", "Ana"); err != nil {
		t.Fatal(err)
	}
	targets := []string{filepath.Join(dir, "copy.db")}
	if dsn := os.Getenv("GLOSS_TEST_POSTGRES"); dsn != "" {
		targets = append(targets, newPostgresDatabase(t, dsn))
	} else {
		t.Log("GLOSS_TEST_POSTGRES is not set: copying to PostgreSQL is not tested here (.ci/run starts one)")
	}
	for _, dst := range targets {
		if err := web("copy-db", "-from", src, "-to", dst); err != nil {
			t.Fatalf("copy-db to %s: %v\n%s", dst, err, out.String())
		}
		for _, want := range []string{"annotations", "42", "search index: articles", "verified: each of the 25 tables", "JSON-LD exports are the same", "sign-ins were not copied"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("copy-db to %s does not say %q:\n%s", dst, want, out.String())
			}
		}
		if strings.Contains(out.String(), "secret") {
			t.Errorf("a password in the output:\n%s", out.String())
		}
		if err := web("copy-db", "-from", src, "-to", dst); err == nil || !strings.Contains(err.Error(), "-force") {
			t.Errorf("a second copy without -force: %v", err)
		}
		if err := web("copy-db", "-from", src, "-to", dst, "-force"); err != nil {
			t.Errorf("a second copy with -force: %v", err)
		}
	}
	for _, args := range [][]string{{"copy-db"}, {"copy-db", "-from", src}, {"copy-db", "-from", src, "-to", src}} {
		if err := web(args...); err == nil || !strings.Contains(err.Error(), "copy-db") {
			t.Errorf("%v: %v", args, err)
		}
	}
}

// newPostgresDatabase makes an empty database on the server dsn names,
// dropped when the test ends, and returns its address with a password
// (the server may ignore it) so that the output can be checked for it.
func newPostgresDatabase(t *testing.T, dsn string) string {
	t.Helper()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	name := "gloss_t_copy_" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "_"))
	admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec(`DROP DATABASE ` + name + ` WITH (FORCE)`) })
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	if u.User != nil {
		if _, ok := u.User.Password(); !ok {
			u.User = url.UserPassword(u.User.Username(), "secret")
		}
	}
	return u.String()
}

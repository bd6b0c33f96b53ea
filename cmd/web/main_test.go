package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gloss/db"
	"gloss/db/sqlite"
	"gloss/seeds"
)

// startServer runs the whole program on a random loopback port against a
// database in a temporary directory, with any extra flags, and returns its
// base URL once it serves. A new database gets the seed articles without
// the starter set (removed, as an administrator would), so that each test
// sees only what it writes; startFresh keeps a fresh install's starter set.
func startServer(t *testing.T, dbPath string, flags ...string) string {
	t.Helper()
	if _, err := os.Stat(dbPath); errors.Is(err, fs.ErrNotExist) {
		ctx := context.Background()
		store, err := sqlite.Open(ctx, dbPath)
		if err != nil {
			t.Fatal(err)
		}
		err = seeds.Import(ctx, store, nil)
		if err == nil {
			_, err = store.RemoveStarter(ctx, db.Viewer{UserID: 1 << 40, Name: "the tests", Admin: true})
		}
		if cerr := store.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return startFresh(t, dbPath, flags...)
}

// startFresh is startServer on the database as it is: a path with no
// database is a fresh install, which imports the seeds and the starter set.
func startFresh(t *testing.T, dbPath string, flags ...string) string {
	t.Helper()
	args := append([]string{"-addr", "127.0.0.1:0", "-db", dbPath}, flags...)
	return runServer(t, args...).wait("gloss listening")["url"]
}

func noEnv(string) string { return "" }

func TestServe(t *testing.T) {
	base := startServer(t, filepath.Join(t.TempDir(), "gloss.db"))
	for path, want := range map[string]string{
		"/":        "Help the Refugees Who Reach China",
		"/healthz": `"status":"ok"`,
		"/articles/desperate-n-koreans-seek-asylum-in-china":     "Antoaneta Bezlova",
		"/articles/desperate-n-koreans-seek-asylum-in-china.txt": "UNCHR office",
	} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: status %d, body lacks %q", path, resp.StatusCode, want)
		}
	}
}

func TestSecondStartAddsNothing(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "gloss.db")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"seed", "-db", dbPath}, noEnv, nil, &out); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(out.String(), "outcome=created"); got != 5 {
		t.Fatalf("first seed created %d articles, want 5:\n%s", got, out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"-db", dbPath, "seed"}, noEnv, nil, &out); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(out.String(), "outcome=unchanged"); got != 5 {
		t.Fatalf("second seed: want 5 unchanged:\n%s", out.String())
	}
}

func TestCommands(t *testing.T) {
	ctx := context.Background()
	t.Run("Migrate", func(t *testing.T) {
		var out bytes.Buffer
		dbPath := filepath.Join(t.TempDir(), "gloss.db")
		if err := run(ctx, []string{"migrate", "-db", dbPath}, noEnv, nil, &out); err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`schema at version (\d+) of (\d+)`).MatchString(out.String()) {
			t.Errorf("output %q", out.String())
		}
	})
	t.Run("EnvFallback", func(t *testing.T) {
		dbPath := filepath.Join(t.TempDir(), "from-env.db")
		env := func(k string) string {
			return map[string]string{"GLOSS_DB": dbPath}[k]
		}
		var out bytes.Buffer
		if err := run(ctx, []string{"migrate"}, env, nil, &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), dbPath) {
			t.Errorf("GLOSS_DB ignored: %q", out.String())
		}
	})
	t.Run("FlagBeatsEnv", func(t *testing.T) {
		cfg, _, err := parseConfig([]string{"-addr", ":9999"}, func(k string) string {
			return map[string]string{"GLOSS_ADDR": ":7777"}[k]
		}, io.Discard)
		if err != nil || cfg.Addr != ":9999" {
			t.Errorf("addr %q, %v", cfg.Addr, err)
		}
	})
	t.Run("Defaults", func(t *testing.T) {
		cfg, rest, err := parseConfig(nil, noEnv, io.Discard)
		if err != nil || cfg.Addr != "localhost:8080" || cfg.DB != "gloss.db" || len(rest) != 0 {
			t.Errorf("defaults %+v %q %v", cfg, rest, err)
		}
	})
	t.Run("ErrUnknownCommand", func(t *testing.T) {
		err := run(ctx, []string{"frobnicate"}, noEnv, nil, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "frobnicate") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("ErrListen", func(t *testing.T) {
		err := run(ctx, []string{"-addr", "256.0.0.1:1", "-db", filepath.Join(t.TempDir(), "x.db")}, noEnv, nil, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "listen") {
			t.Errorf("err = %v", err)
		}
	})
}

// TestREADMEConfigTable keeps the README's configuration table true.
func TestREADMEConfigTable(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg config
	for _, s := range cfg.settings() {
		def := "`" + s.def + "`"
		if s.def == "" {
			def = "none"
		}
		row := fmt.Sprintf("| `-%s` | `%s` | %s |", s.name, s.env, def)
		if !strings.Contains(string(readme), row) {
			t.Errorf("README lacks the row %q", row)
		}
	}
}

func TestReindexCommand(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "gloss.db")
	if err := run(context.Background(), []string{"seed", "-db", dbPath}, noEnv, nil, io.Discard); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"reindex", "-db", dbPath}, noEnv, nil, &out); err != nil {
		t.Fatal(err)
	}
	// The five articles and the starter set's 42 public annotations.
	if !strings.Contains(out.String(), "search index rebuilt, 47 items") {
		t.Errorf("output %q", out.String())
	}
	// With progress, each index to its end.
	for _, line := range []string{"search index: articles 5 of 5", "search index: annotations 42 of 42", "search index: notes 0 of 0"} {
		if !strings.Contains(out.String(), line) {
			t.Errorf("no %q in %q", line, out.String())
		}
	}
}

// TestProfilerOnlyOnLoopback: GLOSS_PPROF is refused unless only this
// machine can reach it (":6060" listens on every interface).
func TestProfilerOnlyOnLoopback(t *testing.T) {
	for host, want := range map[string]bool{"127.0.0.1": true, "::1": true, "localhost": true, "127.0.0.2": true,
		"": false, "0.0.0.0": false, "10.0.0.5": false, "example.org": false} {
		if got := isLoopback(host); got != want {
			t.Errorf("isLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}

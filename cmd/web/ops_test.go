package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"gloss/db/sqlite"
	"gloss/handlers"
)

// TestMetricsListener: -metrics-addr serves Prometheus metrics on a
// listener of its own, never on the site; without it nothing listens.
func TestMetricsListener(t *testing.T) {
	srv := runServer(t, "-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "gloss.db"), "-metrics-addr", "127.0.0.1:0")
	site := srv.wait("gloss listening")["url"]
	metricsURL := srv.wait("metrics listening")["url"]
	for _, p := range []string{"/", "/articles/desperate-n-koreans-seek-asylum-in-china", "/search?q=refugees"} {
		resp, err := http.Get(site + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	wants := []string{
		`gloss_http_requests_total{code="200",method="GET",route="/articles/:slug"} 1`,
		`gloss_search_window_matches_count{index="articles"} 1`,
		`go_sql_max_open_connections{db_name="read"}`,
		`gloss_db_write_queue 0`,
		`go_goroutines `,
		`process_resident_memory_bytes `,
	}
	// A request is counted once its handler has returned, which can be
	// just after the client has read the whole answer: ask again for a
	// moment before calling a metric missing.
	var body []byte
	for try := 0; ; try++ {
		resp, err := http.Get(metricsURL)
		if err != nil {
			t.Fatal(err)
		}
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		missing := slices.IndexFunc(wants, func(w string) bool { return !strings.Contains(string(body), w) })
		if missing < 0 {
			break
		}
		if try == 50 {
			t.Fatalf("metrics lack %q:\n%s", wants[missing], grepLines(string(body), "gloss_http_requests_total"))
		}
		time.Sleep(20 * time.Millisecond)
	}
	resp, err := http.Get(site + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("the site answers /metrics with %d, want 404", resp.StatusCode)
	}
}

// TestLogFormatJSON: -log-format json writes one JSON object a line.
func TestLogFormatJSON(t *testing.T) {
	srv := runServer(t, "-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "gloss.db"), "-log-format", "json")
	line := srv.wait("gloss listening")
	if line["format"] != "json" || line["level"] != "INFO" || !strings.HasPrefix(line["url"], "http://127.0.0.1:") {
		t.Errorf("log line %v, want JSON with level and url", line)
	}
	if _, err := http.Get(line["url"] + "/healthz"); err != nil {
		t.Fatal(err)
	}
}

func TestVersionOf(t *testing.T) {
	v := versionOf(&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "gloss", Version: "v1.2.3"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.time", Value: "2026-12-01T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}})
	if want := (handlers.Version{Module: "v1.2.3", Commit: "abc123", Time: "2026-12-01T10:00:00Z", Dirty: true, Go: "go1.26.8"}); v != want {
		t.Errorf("versionOf = %+v, want %+v", v, want)
	}
	if v := versionOf(&debug.BuildInfo{GoVersion: "go1.26.8"}); v.Module != "(devel)" || v.Commit != "" || v.Dirty {
		t.Errorf("without a stamp: %+v", v)
	}
}

// TestVersion: the binary built from this checkout says its commit, and
// whether the tree was modified, in `web version` and /healthz. Go stamps
// the commit only in a checkout whose .git is a directory (not in a git
// worktree, whose .git is a file).
func TestVersion(t *testing.T) {
	if fi, err := os.Stat(filepath.Join("..", "..", ".git")); err != nil || !fi.IsDir() {
		t.Skip("no .git directory at the module's root (a worktree or an export): go build stamps no commit")
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skip("git does not answer here: no commit to compare with")
	}
	bin := buildWeb(t)
	commit := strings.TrimSpace(string(head))
	status, _ := exec.Command("git", "status", "--porcelain").Output()
	dirty := len(bytes.TrimSpace(status)) > 0

	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	want := "commit " + commit
	if dirty {
		want += " (modified)"
	}
	if !strings.Contains(string(out), want+"\n") || !strings.HasPrefix(string(out), "gloss ") {
		t.Errorf("web version printed:\n%s\nwant a line %q", out, want)
	}

	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "gloss.db"), "-log-format", "json")
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	dec := json.NewDecoder(stdout)
	var base string
	for base == "" {
		var line map[string]any
		if err := dec.Decode(&line); err != nil {
			t.Fatalf("reading the log: %v", err)
		}
		if line["msg"] == "gloss listening" {
			base, _ = line["url"].(string)
		}
	}
	code, body := getHealth(t, base+"/healthz")
	v, _ := body["version"].(map[string]any)
	if code != http.StatusOK || v["commit"] != commit || v["dirty"] != dirty || !strings.HasPrefix(fmt.Sprint(v["go"]), "go") {
		t.Errorf("/healthz: %d %v, want version.commit %s, dirty %v", code, body, commit, dirty)
	}
}

// TestNewerDatabaseRefused: a database a newer Gloss migrated stops this
// one at start, exit status 1, with one line that says what to do; and
// the roll-back docs/operations.md gives works: this (older) Gloss restores
// the backup made before the upgrade and serves it.
func TestNewerDatabaseRefused(t *testing.T) {
	bin := buildWeb(t)
	dir := t.TempDir()
	dbPath, backup := filepath.Join(dir, "gloss.db"), filepath.Join(dir, "before-upgrade.db")
	if err := run(context.Background(), []string{"seed", "-db", dbPath}, noEnv, nil, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"backup", "-db", dbPath, backup}, noEnv, nil, io.Discard); err != nil {
		t.Fatal(err)
	}
	// The upgrade: a newer Gloss migrates the database past what this one knows.
	store, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	_, known, _ := store.SchemaVersion(context.Background())
	store.Close()
	raw, err := sql.Open("sqlite", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(fmt.Sprintf("PRAGMA user_version = %d", known+1)); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-db", dbPath)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("run: %v, want exit status 1", err)
	}
	want := fmt.Sprintf("has schema version %d but this Gloss knows only up to %d: upgrade Gloss or restore a backup", known+1, known)
	if msg := stderr.String(); !strings.Contains(msg, want) || strings.Count(msg, "\n") != 1 {
		t.Errorf("stderr %q, want one line with %q", msg, want)
	}

	// The roll-back: restore the backup, start again.
	var out bytes.Buffer
	if err := run(context.Background(), []string{"restore", "-db", dbPath, backup}, noEnv, nil, &out); err != nil {
		t.Fatalf("restore: %v\n%s", err, out.String())
	}
	srv := runServer(t, "-addr", "127.0.0.1:0", "-db", dbPath)
	if code, body := getHealth(t, srv.wait("gloss listening")["url"]+"/readyz"); code != http.StatusOK {
		t.Errorf("after the roll-back /readyz: %d %v", code, body)
	}
}

// TestHealthcheckCommand: `web healthcheck` (the Dockerfile's) passes
// against a running server and fails without one.
func TestHealthcheckCommand(t *testing.T) {
	srv := runServer(t, "-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "gloss.db"))
	addr := strings.TrimPrefix(srv.wait("gloss listening")["url"], "http://")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"healthcheck", "-addr", addr}, noEnv, nil, &out); err != nil || !strings.Contains(out.String(), ": ok") {
		t.Errorf("healthcheck: %v %q", err, out.String())
	}
	srv.stop()
	if err := run(context.Background(), []string{"healthcheck", "-addr", addr}, noEnv, nil, io.Discard); err == nil {
		t.Error("healthcheck passed with no server")
	}
}

// grepLines is the lines of s that contain sub, for a failure message.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

package main

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"
	"time"
)

// getJSON fetches a health endpoint and returns its status code and body.
func getHealth(t *testing.T, u string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	return resp.StatusCode, body
}

// TestReadyz: /readyz fails while the database is migrated at start
// (a migration held by a test hook stands for a long one) and while the
// server drains at shutdown; /healthz says the process is alive
// throughout, and other pages say to come back.
func TestReadyz(t *testing.T) {
	held, release := make(chan struct{}), make(chan struct{})
	testHookMigration = func(version int, name string) {
		if version == 2 {
			close(held)
			<-release
		}
	}
	defer func() { testHookMigration = nil }()

	srv := runServer(t, "-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "gloss.db"))
	base := srv.wait("gloss starting")["url"]
	select {
	case <-held:
	case <-time.After(30 * time.Second):
		t.Fatal("the migration never started")
	}

	t.Run("DuringMigration", func(t *testing.T) {
		if code, body := getHealth(t, base+"/readyz"); code != http.StatusServiceUnavailable || body["status"] != "starting" {
			t.Errorf("/readyz: %d %v, want 503 starting", code, body)
		}
		if code, body := getHealth(t, base+"/healthz"); code != http.StatusOK || body["status"] != "starting" || body["version"] == nil {
			t.Errorf("/healthz: %d %v, want 200 starting with the version", code, body)
		}
		resp, err := http.Get(base + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("GET /: %d Retry-After %q, want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	})
	close(release)
	srv.wait("gloss listening")

	t.Run("Ready", func(t *testing.T) {
		if code, body := getHealth(t, base+"/readyz"); code != http.StatusOK || body["status"] != "ready" {
			t.Errorf("/readyz: %d %v, want 200 ready", code, body)
		}
	})

	t.Run("Draining", func(t *testing.T) {
		// SIGTERM, held in -drain-delay's wait: /readyz fails, the site
		// still answers; then the server stops accepting.
		drained, done := make(chan struct{}), make(chan struct{})
		testHookDrain = func() {
			close(drained)
			<-done
		}
		defer func() { testHookDrain = nil }()
		srv.cancel()
		<-drained
		if code, body := getHealth(t, base+"/readyz"); code != http.StatusServiceUnavailable || body["status"] != "draining" {
			t.Errorf("/readyz while draining: %d %v, want 503 draining", code, body)
		}
		if code, body := getHealth(t, base+"/healthz"); code != http.StatusOK {
			t.Errorf("/healthz while draining: %d %v, want 200", code, body)
		}
		resp, err := http.Get(base + "/articles/desperate-n-koreans-seek-asylum-in-china")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("a page while draining: %d, want 200", resp.StatusCode)
		}
		close(done)
		if err := srv.stop(); err != nil {
			t.Fatal(err)
		}
		if _, err := http.Get(base + "/readyz"); err == nil {
			t.Error("still accepting connections after the drain")
		}
	})
}

package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"gloss/handlers"
)

func TestHealthAndReadiness(t *testing.T) {
	v := handlers.Version{Module: "v1.2.3", Commit: "abc123", Dirty: true, Go: "go1.26.8"}
	phase := new(handlers.Phase)
	e, _ := newAppWith(t, handlers.Config{Version: v, Phase: phase})
	decode := func(t *testing.T, h http.Handler, path string) (int, map[string]any) {
		t.Helper()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		var body map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatalf("%s: %v: %q", path, err, rec.Body.String())
		}
		return rec.Code, body
	}
	wantVersion := map[string]any{"module": "v1.2.3", "commit": "abc123", "dirty": true, "go": "go1.26.8"}
	sameVersion := func(got any) bool {
		m, _ := got.(map[string]any)
		for k, want := range wantVersion {
			if m[k] != want {
				return false
			}
		}
		return true
	}

	t.Run("Starting", func(t *testing.T) {
		h := handlers.Starting(phase, v)
		if code, body := decode(t, h, "/healthz"); code != http.StatusOK || body["status"] != "starting" || !sameVersion(body["version"]) {
			t.Errorf("/healthz: %d %v", code, body)
		}
		if code, body := decode(t, h, "/readyz"); code != http.StatusServiceUnavailable || body["status"] != "starting" {
			t.Errorf("/readyz: %d %v", code, body)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/login", nil))
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
			t.Errorf("POST /login while starting: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
		}
	})
	t.Run("NotYetServing", func(t *testing.T) {
		if code, body := decode(t, e, "/readyz"); code != http.StatusServiceUnavailable || body["status"] != "starting" {
			t.Errorf("/readyz: %d %v", code, body)
		}
	})
	t.Run("Serving", func(t *testing.T) {
		phase.Serve()
		if code, body := decode(t, e, "/readyz"); code != http.StatusOK || body["status"] != "ready" || !sameVersion(body["version"]) {
			t.Errorf("/readyz: %d %v", code, body)
		}
		if code, body := decode(t, e, "/healthz"); code != http.StatusOK || body["status"] != "ok" || !sameVersion(body["version"]) {
			t.Errorf("/healthz: %d %v", code, body)
		}
	})
	t.Run("Draining", func(t *testing.T) {
		phase.Drain()
		if code, body := decode(t, e, "/readyz"); code != http.StatusServiceUnavailable || body["status"] != "draining" {
			t.Errorf("/readyz: %d %v", code, body)
		}
		if code, _ := decode(t, e, "/healthz"); code != http.StatusOK {
			t.Errorf("/healthz while draining: %d, want 200 (alive)", code)
		}
	})
}

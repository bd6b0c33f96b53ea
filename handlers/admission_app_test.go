package handlers_test

import (
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"gloss/handlers"
)

// heardWaits is a handlers.Metrics that records what the line at the
// door (handlers/admission) tells it.
type heardWaits struct {
	mu     sync.Mutex
	events []string
}

func (h *heardWaits) Request(string, string, int, time.Duration) {}
func (h *heardWaits) SignInThrottle(string, string)              {}
func (h *heardWaits) LiveStream(string)                          {}
func (h *heardWaits) Admission(event string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, event)
}

// TestLiveStreamsTakeNoTurn: with a single turn, live streams held open
// (a reader's and the bell's) hold none, so a page, a static file and the
// health checks are answered without waiting in line. (Streams skip the
// line, and a turn would end at their header anyway: either keeps this
// true.)
func TestLiveStreamsTakeNoTurn(t *testing.T) {
	heard := &heardWaits{}
	e, store := newAppWith(t, handlers.Config{Concurrency: 1, Metrics: heard})
	mustUser(t, store, "reader@example.org", "Reader", false)
	cl := signedIn(t, e, "reader@example.org")
	for _, path := range []string{"/articles/" + slug + "/events", "/events"} {
		s := cl.stream(path)
		if s.status != http.StatusOK {
			t.Fatalf("%s: %d", path, s.status)
		}
		defer s.close()
	}
	css := parse(t, cl.get("/")).Find(`link[rel="stylesheet"]`).AttrOr("href", "")
	for _, path := range []string{"/", "/articles/" + slug, css, "/healthz", "/readyz"} {
		if rec := cl.get(path); rec.Code != http.StatusOK {
			t.Errorf("%s: %d", path, rec.Code)
		}
	}
	heard.mu.Lock()
	defer heard.mu.Unlock()
	if slices.Contains(heard.events, "waiting") {
		t.Errorf("a request waited for a turn while only live streams were open: %v", heard.events)
	}
}

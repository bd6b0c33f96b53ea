package admission

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
)

// TestAdmission: requests beyond the turns wait, and go in the order they
// came; a turn ends when the response's header is written; streams,
// static files and health checks never wait; a client that leaves while
// waiting runs nothing; and a line stuck past the bound goes ahead.
func TestAdmission(t *testing.T) {
	// world is an app with one turn whose /work/:n handlers record their
	// start and wait for their release.
	type world struct {
		e       *echo.Echo
		a       *Line
		heard   *heardWaits
		mu      sync.Mutex
		started []string
		release map[string]chan struct{}
	}
	newWorld := func(wait time.Duration) *world {
		heard := &heardWaits{}
		w := &world{e: echo.New(), a: New(1, heard, skipped), heard: heard, release: map[string]chan struct{}{}}
		w.a.wait = wait
		for _, n := range []string{"1", "2", "3", "header"} {
			w.release[n] = make(chan struct{})
		}
		w.e.Use(w.a.Middleware)
		handler := func(c echo.Context) error {
			n := c.Param("n")
			w.mu.Lock()
			w.started = append(w.started, n)
			w.mu.Unlock()
			if n == "header" {
				c.Response().WriteHeader(http.StatusOK)
			}
			<-w.release[n]
			return c.NoContent(http.StatusOK)
		}
		w.e.GET("/work/:n", handler)
		for _, p := range []string{"/events", "/articles/a/events", "/static/x.css", "/healthz", "/readyz"} {
			w.e.GET(p, func(c echo.Context) error { return c.NoContent(http.StatusOK) })
		}
		return w
	}
	// serve sends a request in the background; its recorder arrives on done.
	serve := func(w *world, ctx context.Context, path string) chan *httptest.ResponseRecorder {
		done := make(chan *httptest.ResponseRecorder, 1)
		go func() {
			rec := httptest.NewRecorder()
			w.e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil).WithContext(ctx))
			done <- rec
		}()
		return done
	}
	eventually := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("never: %s", what)
			}
		}
	}
	started := func(w *world) []string {
		w.mu.Lock()
		defer w.mu.Unlock()
		return append([]string(nil), w.started...)
	}
	ctx := context.Background()

	t.Run("InTurnAndInOrder", func(t *testing.T) {
		w := newWorld(time.Minute)
		one := serve(w, ctx, "/work/1")
		eventually("the first request starts", func() bool { return len(started(w)) == 1 })
		two := serve(w, ctx, "/work/2")
		eventually("the second waits", func() bool { return w.a.waiting.Load() == 1 })
		three := serve(w, ctx, "/work/3")
		eventually("the third waits", func() bool { return w.a.waiting.Load() == 2 })
		if got := started(w); len(got) != 1 {
			t.Fatalf("started %v with one turn held", got)
		}
		close(w.release["1"])
		<-one
		eventually("the second starts", func() bool { return len(started(w)) == 2 })
		close(w.release["2"])
		<-two
		eventually("the third starts", func() bool { return len(started(w)) == 3 })
		close(w.release["3"])
		<-three
		if got := started(w); got[1] != "2" || got[2] != "3" {
			t.Errorf("started in the order %v, want 1 2 3", got)
		}
		if got := w.heard.list(); !slices.Equal(got, []string{"waiting", "waiting", "turn", "turn"}) {
			t.Errorf("the metrics heard %v", got)
		}
	})
	t.Run("HeaderEndsTheTurn", func(t *testing.T) {
		w := newWorld(time.Minute)
		held := serve(w, ctx, "/work/header") // writes its header, then waits
		eventually("it starts", func() bool { return len(started(w)) == 1 })
		next := serve(w, ctx, "/work/1")
		eventually("the next starts while the first is still sending", func() bool { return len(started(w)) == 2 })
		close(w.release["1"])
		close(w.release["header"])
		<-next
		<-held
	})
	t.Run("StreamsStaticAndHealthDoNotWait", func(t *testing.T) {
		w := newWorld(time.Minute)
		held := serve(w, ctx, "/work/1")
		eventually("it starts", func() bool { return len(started(w)) == 1 })
		for _, p := range []string{"/events", "/articles/a/events", "/static/x.css", "/healthz", "/readyz"} {
			select {
			case rec := <-serve(w, ctx, p):
				if rec.Code != http.StatusOK {
					t.Errorf("%s: %d", p, rec.Code)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("%s waited for a turn", p)
			}
		}
		close(w.release["1"])
		<-held
	})
	t.Run("ClientLeavesWhileWaiting", func(t *testing.T) {
		w := newWorld(time.Minute)
		held := serve(w, ctx, "/work/1")
		eventually("it starts", func() bool { return len(started(w)) == 1 })
		leaving, leave := context.WithCancel(ctx)
		left := serve(w, leaving, "/work/2")
		eventually("the second waits", func() bool { return w.a.waiting.Load() == 1 })
		leave()
		<-left
		close(w.release["1"])
		<-held
		if got := started(w); len(got) != 1 {
			t.Errorf("started %v: the request whose client left ran", got)
		}
		if got := w.heard.list(); !slices.Equal(got, []string{"waiting", "left"}) {
			t.Errorf("the metrics heard %v", got)
		}
		if n := len(w.a.turns); n != 0 {
			t.Errorf("%d turns still held", n)
		}
	})
	t.Run("StuckLineGoesAhead", func(t *testing.T) {
		w := newWorld(50 * time.Millisecond)
		held := serve(w, ctx, "/work/1")
		eventually("it starts", func() bool { return len(started(w)) == 1 })
		ahead := serve(w, ctx, "/work/2")
		eventually("the second goes ahead past the bound", func() bool { return len(started(w)) == 2 })
		close(w.release["2"])
		<-ahead
		close(w.release["1"])
		<-held
		if n := len(w.a.turns); n != 0 {
			t.Errorf("%d turns still held", n)
		}
		if got := w.heard.list(); !slices.Equal(got, []string{"waiting", "ahead"}) {
			t.Errorf("the metrics heard %v", got)
		}
	})
	t.Run("NoLimit", func(t *testing.T) {
		if a := New(-1, &heardWaits{}, nil); a != nil {
			t.Fatalf("New(-1) = %+v, want none", a)
		}
		if a := New(0, &heardWaits{}, nil); cap(a.turns) < 4 {
			t.Errorf("the default admits %d at once", cap(a.turns))
		}
	})
}

// heardWaits is a Metrics that records what the line tells it.
type heardWaits struct {
	mu     sync.Mutex
	events []string
}

func (h *heardWaits) Admission(event string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, event)
}

func (h *heardWaits) list() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.events)
}

// skipped is what the handlers let in without a turn (handlers/routes.go).
func skipped(c echo.Context) bool {
	p := c.Request().URL.Path
	return p == "/events" || strings.HasSuffix(p, "/events") || strings.HasPrefix(p, "/static/") || p == "/healthz" || p == "/readyz"
}

package handlers

import (
	"encoding/json"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/labstack/echo/v4"
)

// Version is what the binary knows of its build (from the Go build info),
// reported by `web version`, /healthz and the metrics.
type Version struct {
	Module string `json:"module"`           // the module's version: v1.2.3, a pseudo-version, or (devel)
	Commit string `json:"commit,omitempty"` // the VCS revision it was built from
	Time   string `json:"time,omitempty"`   // that revision's time
	Dirty  bool   `json:"dirty"`            // built from a tree with uncommitted changes
	Go     string `json:"go"`               // the Go toolchain
}

// Phase is where the server is in its life, as /readyz reports it:
// starting (migrations, seeds), serving, or draining (shutting down). The
// zero value is starting.
type Phase struct {
	v         atomic.Int32
	once      sync.Once
	closeOnce sync.Once
	ch        chan struct{} // closed by Drain
}

const (
	phaseStarting int32 = iota
	phaseServing
	phaseDraining
)

// Serve marks the server ready for traffic.
func (p *Phase) Serve() { p.v.Store(phaseServing) }

// Drain marks the server as shutting down: it finishes what is in flight
// and should be sent nothing new.
func (p *Phase) Drain() {
	p.v.Store(phaseDraining)
	p.closeOnce.Do(func() { close(p.draining()) })
}

// draining is closed when the server starts to shut down: live streams
// end then, so they do not hold the shutdown.
func (p *Phase) draining() chan struct{} {
	p.once.Do(func() { p.ch = make(chan struct{}) })
	return p.ch
}

func (p *Phase) String() string {
	switch p.v.Load() {
	case phaseServing:
		return "ready"
	case phaseDraining:
		return "draining"
	}
	return "starting"
}

// health answers 200 when the database answers a query, 503 otherwise
// (liveness: a draining server is still alive).
func (s *Server) health(c echo.Context) error {
	if err := s.db.Ping(c.Request().Context()); err != nil {
		s.log.Error("health check", "err", err)
		return c.JSON(http.StatusServiceUnavailable, healthBody{Status: "unavailable", Database: "unreachable", Version: s.cfg.Version})
	}
	return c.JSON(http.StatusOK, healthBody{Status: "ok", Database: "ok", Version: s.cfg.Version})
}

// ready answers 200 only when the server should be sent traffic: started,
// not draining, and the database answers.
func (s *Server) ready(c echo.Context) error {
	if s.cfg.Phase != nil && s.cfg.Phase.v.Load() != phaseServing {
		return c.JSON(http.StatusServiceUnavailable, healthBody{Status: s.cfg.Phase.String(), Version: s.cfg.Version})
	}
	if err := s.db.Ping(c.Request().Context()); err != nil {
		return c.JSON(http.StatusServiceUnavailable, healthBody{Status: "unavailable", Database: "unreachable", Version: s.cfg.Version})
	}
	return c.JSON(http.StatusOK, healthBody{Status: "ready", Database: "ok", Version: s.cfg.Version})
}

type healthBody struct {
	Status   string  `json:"status"`
	Database string  `json:"database,omitempty"`
	Version  Version `json:"version"`
}

// Starting answers while the store is being opened (migrations, the seed
// import), before New can be called: /healthz says the process is alive
// and starting (200, so a supervisor does not kill a long migration),
// /readyz says not yet (503), and every other request gets a 503 with
// Retry-After.
func Starting(phase *Phase, v Version) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-store")
		switch r.URL.Path {
		case "/healthz":
			writeJSON(w, http.StatusOK, healthBody{Status: phase.String(), Database: "starting", Version: v})
		case "/readyz":
			writeJSON(w, http.StatusServiceUnavailable, healthBody{Status: phase.String(), Version: v})
		default:
			h.Set("Retry-After", "5")
			http.Error(w, "Gloss is starting: its database is being brought up to date. Try again in a moment.", http.StatusServiceUnavailable)
		}
	})
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

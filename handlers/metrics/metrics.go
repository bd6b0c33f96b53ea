// Package metrics turns what the HTTP layer and the store report into
// Prometheus metrics, served on a listener of their own (-metrics-addr).
package metrics

import (
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"gloss/db"
	"gloss/handlers"
)

// Metrics is the registry and the metrics Gloss keeps. It implements
// handlers.Metrics and db.Observer. Label values are route patterns,
// methods, status codes and fixed words only.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	throttle *prometheus.CounterVec
	batches  prometheus.Histogram
	windows  *prometheus.HistogramVec
	streams  prometheus.Gauge
	refused  prometheus.Counter
	waiting  prometheus.Gauge
	waits    *prometheus.CounterVec
}

var (
	_ handlers.Metrics = (*Metrics)(nil)
	_ db.Observer      = (*Metrics)(nil)
)

// New makes the metrics with the Go runtime's and the process's, and the
// build's version as gloss_build_info.
func New(v handlers.Version) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gloss_http_requests_total",
			Help: "HTTP requests answered, by method, route pattern and status code.",
		}, []string{"method", "route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gloss_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by method and route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
		throttle: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gloss_signin_throttle_events_total",
			Help: "Sign-in throttling: a key locked after repeated failures, or a try refused while locked; by scope (ip, account).",
		}, []string{"scope", "event"}),
		batches: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "gloss_db_write_batch_writes",
			Help:    "Writes per transaction of the group-committing writer.",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 64},
		}),
		windows: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gloss_search_window_matches",
			Help:    "Matches a search read from an index (its window, capped at one more than the count cap), by index.",
			Buckets: []float64{0, 1, 10, 50, 100, 250, 500, 1000, float64(db.SearchCountCap + 1)},
		}, []string{"index"}),
		streams: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "gloss_live_streams",
			Help: "Live pages' event streams open now (readers, the bell, group activity).",
		}),
		refused: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "gloss_live_streams_refused_total",
			Help: "Live streams refused by the limits on a person's and an address's open streams.",
		}),
		waiting: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "gloss_http_waiting_requests",
			Help: "Requests waiting now for a turn to be worked on (a few at once, the others in line).",
		}),
		waits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gloss_http_waits_total",
			Help: "Requests that waited for a turn, by how the wait ended: turn, ahead (past the bound, without one) or left (the client went away).",
		}, []string{"outcome"}),
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "gloss_build_info",
		Help:        "The running build: its module version, commit and whether the tree was modified.",
		ConstLabels: prometheus.Labels{"version": v.Module, "commit": v.Commit, "dirty": strconv.FormatBool(v.Dirty), "goversion": v.Go},
	})
	build.Set(1)
	m.reg.MustRegister(m.requests, m.latency, m.throttle, m.batches, m.windows, m.streams, m.refused, m.waiting, m.waits, build,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Store adds the store's gauges, read at each scrape: the read pool's
// connections (go_sql_*{db_name="read"}) and the writer's queue (writeQueue
// says how many writes wait for it).
func (m *Metrics) Store(readPool *sql.DB, writeQueue func() int) {
	m.reg.MustRegister(
		collectors.NewDBStatsCollector(readPool, "read"),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "gloss_db_write_queue",
			Help: "Writes waiting for the database writer.",
		}, func() float64 { return float64(writeQueue()) }),
	)
}

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Request implements handlers.Metrics.
func (m *Metrics) Request(method, route string, status int, took time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(method, route).Observe(took.Seconds())
}

// SignInThrottle implements handlers.Metrics.
func (m *Metrics) SignInThrottle(scope, event string) {
	m.throttle.WithLabelValues(scope, event).Inc()
}

// LiveStream implements handlers.Metrics.
func (m *Metrics) LiveStream(event string) {
	switch event {
	case "opened":
		m.streams.Inc()
	case "closed":
		m.streams.Dec()
	case "refused":
		m.refused.Inc()
	}
}

// Admission implements handlers.Metrics.
func (m *Metrics) Admission(event string) {
	switch event {
	case "waiting":
		m.waiting.Inc()
	case "turn", "ahead", "left":
		m.waiting.Dec()
		m.waits.WithLabelValues(event).Inc()
	}
}

// WriteBatch implements db.Observer.
func (m *Metrics) WriteBatch(writes int) { m.batches.Observe(float64(writes)) }

// SearchWindow implements db.Observer.
func (m *Metrics) SearchWindow(index string, matches int) {
	m.windows.WithLabelValues(index).Observe(float64(matches))
}

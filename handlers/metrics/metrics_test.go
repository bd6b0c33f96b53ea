package metrics

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"gloss/db"
	"gloss/db/sqlite"
	"gloss/handlers"
	"gloss/seeds"
)

// marker stands for every id and slug in the requests: no label may
// carry it.
const marker = "zq98765"

// TestMetrics drives every route with ids and slugs in its path, unknown
// paths too, sign-in failures and searches, through the real handlers and
// store, then reads the registry: the metrics the issue names are there,
// routes are labelled by pattern, and no label value holds an id, a slug
// or a raw path.
func TestMetrics(t *testing.T) {
	ctx := context.Background()
	m := New(handlers.Version{Module: "(devel)", Go: "go1.x"})
	store, err := sqlite.OpenWith(ctx, filepath.Join(t.TempDir(), "gloss.db"), sqlite.Options{Observer: m})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := seeds.Import(ctx, store, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateUser(ctx, db.NewUser{Email: "m@example.org", Name: "M", Password: "a long enough password"}); err != nil {
		t.Fatal(err)
	}
	e, err := handlers.New(store, handlers.Config{Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	m.Store(store.Reader(), func() int { return store.Stats().WriteQueue })

	serve := func(method, target string, form url.Values) int {
		var req *http.Request
		if form != nil {
			req = httptest.NewRequest(method, target, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		} else {
			req = httptest.NewRequest(method, target, nil)
		}
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		return rec.Code
	}
	patterns := map[string]bool{}
	param := regexp.MustCompile(`:[a-z]+|\*`)
	for _, r := range e.Routes() {
		patterns[r.Path] = true
		if r.Method == "echo_route_not_found" {
			continue
		}
		serve(r.Method, param.ReplaceAllString(r.Path, marker), url.Values{"x": {marker}})
	}
	for _, raw := range []string{"/" + marker, "/articles/" + marker + "/more/" + marker, "/static/" + marker + ".css"} {
		serve(http.MethodGet, raw, nil)
	}
	serve(http.MethodHead, "/articles/"+marker, nil)
	serve(http.MethodGet, "/search?q=refugees", nil)
	serve(http.MethodGet, "/search?q="+marker, nil)
	for range 7 { // 5 failures are free, the 6th locks, the 7th is refused
		serve(http.MethodPost, "/login", url.Values{"email": {"m@example.org"}, "password": {"wrong password " + marker}})
	}
	if code := serve(http.MethodPost, "/login", url.Values{"email": {"m@example.org"}, "password": {"a long enough password"}}); code != http.StatusTooManyRequests {
		t.Errorf("sign-in while locked: %d, want 429", code)
	}

	families, err := m.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*dto.MetricFamily{}
	for _, f := range families {
		byName[f.GetName()] = f
		for _, metric := range f.GetMetric() {
			for _, l := range metric.GetLabel() {
				v := l.GetValue()
				if strings.Contains(v, marker) || strings.Contains(v, "?") || regexp.MustCompile(`/\d+(/|$)`).MatchString(v) {
					t.Errorf("%s: label %s=%q holds an id, a slug or a raw path", f.GetName(), l.GetName(), v)
				}
				if l.GetName() == "route" && v != "unmatched" && !patterns[v] {
					t.Errorf("%s: route %q is not a registered pattern", f.GetName(), v)
				}
			}
		}
	}
	for _, name := range []string{
		"gloss_http_requests_total", "gloss_http_request_duration_seconds",
		"gloss_db_write_batch_writes", "gloss_db_write_queue", "gloss_search_window_matches",
		"gloss_signin_throttle_events_total", "gloss_build_info", "gloss_http_waiting_requests",
		"go_sql_in_use_connections", "go_sql_idle_connections", "go_sql_wait_count_total", "go_sql_max_open_connections",
		"go_goroutines", "go_memstats_heap_alloc_bytes", "process_resident_memory_bytes",
	} {
		if byName[name] == nil {
			t.Errorf("no metric %s", name)
		}
	}

	count := func(family string, labels map[string]string) float64 {
		var n float64
	metrics:
		for _, metric := range byName[family].GetMetric() {
			for _, l := range metric.GetLabel() {
				if want, ok := labels[l.GetName()]; ok && want != l.GetValue() {
					continue metrics
				}
			}
			switch {
			case metric.Counter != nil:
				n += metric.Counter.GetValue()
			case metric.Histogram != nil:
				n += float64(metric.Histogram.GetSampleCount())
			}
		}
		return n
	}
	for _, c := range []struct {
		family string
		labels map[string]string
	}{
		{"gloss_http_requests_total", map[string]string{"method": "GET", "route": "/articles/:slug", "code": "404"}},
		{"gloss_http_requests_total", map[string]string{"method": "HEAD", "route": "/articles/:slug"}},
		{"gloss_http_requests_total", map[string]string{"route": "unmatched", "code": "404"}},
		{"gloss_http_requests_total", map[string]string{"method": "POST", "route": "/login", "code": "429"}},
		{"gloss_http_request_duration_seconds", map[string]string{"method": "GET", "route": "/search"}},
		{"gloss_signin_throttle_events_total", map[string]string{"scope": "account", "event": "locked"}},
		{"gloss_signin_throttle_events_total", map[string]string{"scope": "account", "event": "refused"}},
		{"gloss_search_window_matches", map[string]string{"index": "articles"}},
		{"gloss_search_window_matches", map[string]string{"index": "annotations"}},
		{"gloss_db_write_batch_writes", nil},
	} {
		if count(c.family, c.labels) == 0 {
			t.Errorf("%s%v: nothing counted", c.family, c.labels)
		}
	}
}

// TestLiveStreams opens live streams through a real listener: the gauge
// counts the open ones, goes back down when a page leaves, and a stream
// over the address's limit is counted as refused.
func TestLiveStreams(t *testing.T) {
	ctx := context.Background()
	m := New(handlers.Version{Module: "(devel)", Go: "go1.x"})
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "gloss.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := seeds.Import(ctx, store, nil); err != nil {
		t.Fatal(err)
	}
	arts, err := seeds.Load()
	if err != nil {
		t.Fatal(err)
	}
	e, err := handlers.New(store, handlers.Config{Metrics: m, StreamsPerIP: 2})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close) // after the streams' own cleanups

	open := func() (status int, stop func()) {
		ctx, cancel := context.WithCancel(ctx)
		t.Cleanup(cancel) // a failed test leaves no stream for Close to wait on
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/articles/"+arts[0].Slug+"/events", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept", "text/event-stream")
		res, err := srv.Client().Do(req)
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		return res.StatusCode, func() { cancel(); res.Body.Close() }
	}
	value := func(name string) float64 {
		families, err := m.reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range families {
			if f.GetName() == name {
				if g := f.GetMetric()[0].GetGauge(); g != nil {
					return g.GetValue()
				}
				return f.GetMetric()[0].GetCounter().GetValue()
			}
		}
		t.Fatalf("no metric %s", name)
		return 0
	}
	// waitFor polls: a stream is counted when its handler has started and
	// uncounted when it has noticed the client left.
	waitFor := func(name string, want float64) {
		t.Helper()
		for range 200 {
			if value(name) == want {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatalf("%s = %v, want %v", name, value(name), want)
	}

	code1, stop1 := open()
	code2, stop2 := open()
	if code1 != http.StatusOK || code2 != http.StatusOK {
		t.Fatalf("streams answered %d and %d", code1, code2)
	}
	waitFor("gloss_live_streams", 2)
	code3, stop3 := open() // over the address's limit of 2
	stop3()
	if code3 == http.StatusOK {
		t.Errorf("a third stream from one address was accepted")
	}
	waitFor("gloss_live_streams_refused_total", 1)
	stop1()
	waitFor("gloss_live_streams", 1)
	stop2()
	waitFor("gloss_live_streams", 0)
}

// TestWaits: the gauge counts the requests waiting for a turn now, and
// the counter how each wait ended.
func TestWaits(t *testing.T) {
	m := New(handlers.Version{Module: "(devel)", Go: "go1.x"})
	for _, e := range []string{"waiting", "waiting", "waiting", "turn", "ahead", "waiting", "left"} {
		m.Admission(e)
	}
	value := func(c prometheus.Metric) float64 {
		t.Helper()
		var d dto.Metric
		if err := c.Write(&d); err != nil {
			t.Fatal(err)
		}
		return d.GetGauge().GetValue() + d.GetCounter().GetValue()
	}
	if got := value(m.waiting); got != 1 {
		t.Errorf("waiting now: %v, want 1", got)
	}
	for outcome, want := range map[string]float64{"turn": 1, "ahead": 1, "left": 1} {
		if got := value(m.waits.WithLabelValues(outcome)); got != want {
			t.Errorf("waits ended %s: %v, want %v", outcome, got, want)
		}
	}
}

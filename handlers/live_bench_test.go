package handlers_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gloss/db"
	"gloss/handlers"
)

// benchStreams is how many live readers BenchmarkLiveFanout opens.
const benchStreams = 1000

// BenchmarkLiveFanout opens 1,000 live readers of one article (signed
// out: public annotations reach them all) over real HTTP connections from
// a second process, so that this one's memory is the server's alone. It
// then makes b.N public annotations one after another and times, for each
// stream, from the moment the create is called to the event's arrival
// (both processes read the same wall clock). It reports the p50 and p99
// of those times, the server's memory per open stream (heap and stacks
// after GC), and creates per second with no streams, with the 1,000 open
// (the client process reading every event on the same cores), and with
// none again.
//
//	go test ./handlers -run '^$' -bench LiveFanout -benchtime 20x
func BenchmarkLiveFanout(b *testing.B) {
	e, store := newAppWith(b, handlers.Config{StreamsPerIP: benchStreams + 10, StreamsPerUser: benchStreams + 10})
	srv := httptest.NewServer(e)
	defer srv.Close()
	ctx := context.Background()
	u := mustUser(b, store, "writer@example.org", "Writer", false)
	v, _ := store.ViewerFor(ctx, u)
	art, err := store.ArticleBySlug(ctx, slug)
	if err != nil {
		b.Fatal(err)
	}
	create := func() int64 {
		a, err := store.CreateAnnotation(ctx, v, art.ID, db.AnnotationInput{Start: -1, End: -1, Exact: "hush-hush", Body: "live", Visibility: "public"})
		if err != nil {
			b.Fatal(err)
		}
		return a.ID
	}
	createRate := func(n int) float64 {
		start := time.Now()
		for range n {
			create()
		}
		return float64(n) / time.Since(start).Seconds()
	}
	rateWithout := createRate(200)

	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)

	// The client process: it prints "ready" once every stream is open,
	// then one line "annotation unix-nanoseconds" per arrival.
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(cctx, os.Args[0], "-test.run=^TestLiveBenchClient$", "-test.v=false")
	cmd.Env = append(os.Environ(), "GLOSS_LIVE_BENCH_URL="+srv.URL+"/articles/"+slug+"/events", "GLOSS_TEST_POSTGRES=")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer cmd.Wait()
	type arrival struct {
		id int64
		at time.Time
	}
	arrivals := make(chan arrival, 4096)
	ready := make(chan struct{})
	go func() {
		defer close(arrivals)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if sc.Text() == "ready" {
				close(ready)
				continue
			}
			f := strings.Fields(sc.Text())
			if len(f) != 2 {
				continue
			}
			id, _ := strconv.ParseInt(f[0], 10, 64)
			ns, _ := strconv.ParseInt(f[1], 10, 64)
			arrivals <- arrival{id, time.Unix(0, ns)}
		}
	}()
	select {
	case <-ready:
	case <-time.After(2 * time.Minute):
		b.Fatal("the client process did not open its streams")
	}
	time.Sleep(200 * time.Millisecond) // every stream subscribed
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	perStream := float64(int64(after.HeapInuse+after.StackInuse)-int64(before.HeapInuse+before.StackInuse)) / benchStreams / 1024

	// Creates one after another, each timed to its arrival at every stream.
	sent := map[int64]time.Time{}
	var lat []time.Duration
	got := map[int64]int{}
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		id := create()
		sent[id] = t0
		for got[id] < benchStreams {
			select {
			case a, ok := <-arrivals:
				if !ok {
					b.Fatal("the client process ended")
				}
				if t, ok := sent[a.id]; ok {
					lat = append(lat, a.at.Sub(t))
					got[a.id]++
				}
			case <-time.After(30 * time.Second):
				b.Fatalf("annotation %d reached %d of %d streams", id, got[id], benchStreams)
			}
		}
	}
	b.StopTimer()
	// Creates with the streams open: the client still reads every event,
	// nobody here waits for them.
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		for range arrivals {
		}
	}()
	rateWith := createRate(200)
	cancel()
	<-drained
	time.Sleep(200 * time.Millisecond) // the server sees the streams go
	rateWithoutAgain := createRate(200)

	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
	b.ReportMetric(perStream, "server-KiB/stream")
	b.ReportMetric(rateWith, "creates/s-1000-streams")
	b.ReportMetric((rateWithout+rateWithoutAgain)/2, "creates/s-no-streams")
	b.Logf("%s: %d streams, %d creates: p50 %.1f ms, p99 %.1f ms, max %.1f ms; server %.1f KiB a stream; creates/s %.0f without streams, %.0f with, %.0f without again",
		engine, benchStreams, b.N, pct(0.5), pct(0.99), float64(lat[len(lat)-1].Microseconds())/1000, perStream, rateWithout, rateWith, rateWithoutAgain)
}

// TestLiveBenchClient is BenchmarkLiveFanout's client process: it runs
// only when the benchmark starts it (GLOSS_LIVE_BENCH_URL), opens
// benchStreams streams there, and prints each change's arrival.
func TestLiveBenchClient(t *testing.T) {
	url := os.Getenv("GLOSS_LIVE_BENCH_URL")
	if url == "" {
		t.Skip("BenchmarkLiveFanout's client process: it runs only when the benchmark starts it")
	}
	lines := make(chan string, 4096)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchStreams, DisableCompression: true}}
	var opened sync.WaitGroup
	opened.Add(benchStreams)
	for range benchStreams {
		go func() {
			res, err := client.Get(url)
			if err != nil || res.StatusCode != http.StatusOK {
				fmt.Fprintln(os.Stderr, "live bench client: stream refused:", err, res)
				os.Exit(1)
			}
			opened.Done()
			sc := bufio.NewScanner(res.Body)
			change := false
			for sc.Scan() {
				line := sc.Text()
				switch {
				case line == "event: change":
					change = true
				case change && strings.HasPrefix(line, "data: "):
					at := time.Now().UnixNano()
					var d struct{ Annotation int64 }
					if json.Unmarshal([]byte(line[6:]), &d) == nil {
						lines <- fmt.Sprintf("%d %d", d.Annotation, at)
					}
					change = false
				case line == "":
					change = false
				}
			}
			os.Exit(0) // the server went: the benchmark is over
		}()
	}
	opened.Wait()
	w := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(w, "ready")
	w.Flush()
	for l := range lines {
		fmt.Fprintln(w, l)
		if len(lines) == 0 {
			w.Flush()
		}
	}
}

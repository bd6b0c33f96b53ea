// Command loadgen runs a realistic mix of requests against a running Gloss
// as many signed-in people at once, for a bounded time, and prints
// throughput, latency percentiles and error counts per kind of request.
//
// It expects a corpus made by web gen-corpus with a password:
//
//	web -db load.db gen-corpus -articles 10000 -annotations 1000000 -users 2000 -groups 50 -password 'load test password'
//	web -db load.db -addr 127.0.0.1:8080 &
//	go run ./cmd/loadgen -url http://127.0.0.1:8080 -c 32 -d 30s -pid $!
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/signal"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

type options struct {
	base       string
	conc       int
	dur        time.Duration
	users      int
	password   string
	articles   int
	hot        int // writes go to the first hot articles (a class reads the same few)
	mix        map[string]int
	pid        int
	requestCap int
	rate       float64 // requests per second in all (open loop); 0: each client asks again at once
	inflate    bool    // decompress gzip answers (a browser's work, on the server's cores here)
}

// defaultMix is a class at work: mostly reading, searching now and then,
// writing in bursts.
const defaultMix = "reader=35,library=10,search=15,create=25,reply=10,edit=5"

func parseOptions(args []string, out io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&o.base, "url", "http://127.0.0.1:8080", "the server (loopback only)")
	fs.IntVar(&o.conc, "c", 32, "concurrent clients, each signed in as its own user")
	fs.DurationVar(&o.dur, "d", 20*time.Second, "how long to run")
	fs.IntVar(&o.users, "users", 2000, "generated users to sign in as (user1@example.org ...)")
	fs.StringVar(&o.password, "password", "load test password", "their password (web gen-corpus -password)")
	fs.IntVar(&o.articles, "articles", 10000, "articles in the corpus (bench-00001 ...)")
	fs.IntVar(&o.hot, "hot", 50, "writes go to this many articles")
	mix := fs.String("mix", defaultMix, "kind=weight,...: reader, library, search, create, reply, edit; "+
		"or one type of search: search-word, search-phrase, search-prefix, search-tag, search-group")
	fs.IntVar(&o.pid, "pid", 0, "the server's process id: report its peak resident memory")
	fs.IntVar(&o.requestCap, "n", 0, "stop after this many requests, or at -d, whichever comes first (0: only -d)")
	fs.BoolVar(&o.inflate, "inflate", false, "decompress gzip answers as a browser would; by default they are read as sent, "+
		"as wrk reads them: on the server's own cores, inflating reader pages cost more CPU than serving them")
	fs.Float64Var(&o.rate, "rate", 0, "open loop: start this many requests per second in all, spread over the -c clients, "+
		"and time each from when it was due (0: closed loop, each client asks again as soon as answered)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	u, err := url.Parse(o.base)
	if err != nil || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost" && u.Hostname() != "::1") {
		return o, fmt.Errorf("-url %q: only loopback servers", o.base)
	}
	if o.conc < 1 || o.dur <= 0 || o.dur > 10*time.Minute || o.users < 1 || o.articles < 1 || o.hot < 1 || o.rate < 0 || o.rate > 100_000 {
		return o, errors.New("-c, -users, -articles, -hot must be positive, -d between 0 and 10m and -rate from 0 to 100000")
	}
	o.mix = map[string]int{}
	for _, kv := range strings.Split(*mix, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		n, err := strconv.Atoi(v)
		if !ok || err != nil || n < 0 || !slices.Contains(kinds, k) {
			return o, fmt.Errorf("-mix %q: want kind=weight with kinds %v", *mix, kinds)
		}
		o.mix[k] = n
	}
	return o, nil
}

var kinds = []string{"reader", "library", "search", "create", "reply", "edit",
	"search-word", "search-phrase", "search-prefix", "search-tag", "search-group"}

var searchWords = []string{"refugees", "asylum", "north", `"north korean"`, "refug*", "embassy OR consulate",
	"famine", "unhcr", "beijing", "defectors", "crackdown", "border", "china -south", "mongolia"}

// The search-* kinds time one type of query each (docs/performance.md):
// single words, phrases, prefixes, a word with a tag filter (the tags
// gen-corpus makes), and a word within one of the signed-in user's groups.
var (
	singleWords   = []string{"refugees", "asylum", "north", "famine", "unhcr", "beijing", "defectors", "crackdown", "border", "mongolia"}
	phraseQueries = []string{`"north korean"`, `"asylum seekers"`, `"human rights"`, `"south korea"`, `"the border"`}
	prefixQueries = []string{"refug*", "ch*", "deport*", "emb*", "def*"}
	tagFilters    = []string{"numbers", "actors/ngo", "border", "themes/hunger", "todo"}
)

// sample is one request's outcome.
type sample struct {
	kind   string
	d      time.Duration
	status int // 0: a transport error
}

type worker struct {
	o     options
	cl    *http.Client
	rng   *rand.Rand
	mine  []string // annotation ids this user made
	texts *textCache
	group string // a group of the user's, for search-group ("" when none)
}

func run(ctx context.Context, args []string, out io.Writer) error {
	o, err := parseOptions(args, out)
	if err != nil {
		return err
	}
	// The timed requests ask for gzip themselves (do): the transport then
	// leaves the body as sent unless -inflate. Other requests (an article's
	// text, the search page read for a group) come plain.
	tr := &http.Transport{MaxIdleConns: o.conc * 2, MaxIdleConnsPerHost: o.conc * 2, IdleConnTimeout: time.Minute, DisableCompression: !o.inflate}
	texts := &textCache{m: map[string][]rune{}}
	fmt.Fprintf(out, "signing in %d clients...\n", o.conc)
	workers := make([]*worker, o.conc)
	var wg sync.WaitGroup
	errs := make(chan error, o.conc)
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			jar, _ := cookiejar.New(nil)
			w := &worker{o: o, rng: rand.New(rand.NewPCG(uint64(i), 99)), texts: texts, cl: &http.Client{
				Transport: tr, Jar: jar, Timeout: 30 * time.Second,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			}}
			// Spread people over the corpus: user 11.. are group members. The
			// address is gencorpus.UserEmail's (kept apart, as slug is).
			email := fmt.Sprintf("user%d@example.org", 11+(i*7919)%max(1, o.users-10))
			if o.users <= 10 {
				email = fmt.Sprintf("user%d@example.org", 1+i%o.users)
			}
			if err := w.signIn(ctx, email); err != nil {
				errs <- fmt.Errorf("%s: %w", email, err)
				return
			}
			if o.mix["search-group"] > 0 {
				if err := w.findGroup(ctx); err != nil || w.group == "" {
					errs <- fmt.Errorf("%s: no group to search in (%v)", email, err)
					return
				}
			}
			workers[i] = w
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return fmt.Errorf("sign in: %w (made with web gen-corpus -password?)", err)
	}

	var peakRSS int64
	stopRSS, rssDone := make(chan struct{}), make(chan struct{})
	if o.pid > 0 {
		go func() {
			defer close(rssDone)
			for {
				peakRSS = max(peakRSS, rssKiB(o.pid))
				select {
				case <-stopRSS:
					return
				case <-time.After(100 * time.Millisecond):
				}
			}
		}()
	}

	loop := "closed loop"
	if o.rate > 0 {
		loop = fmt.Sprintf("open loop at %g requests/s", o.rate)
	}
	fmt.Fprintf(out, "running %s with %d clients, %s, mix %s\n", o.dur, o.conc, loop, mixString(o.mix))
	runCtx, cancel := context.WithTimeout(ctx, o.dur)
	defer cancel()
	results := make([][]sample, o.conc)
	start := time.Now()
	due := schedule(runCtx, start, o.rate)
	var total int64
	var mu sync.Mutex
	for i, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for runCtx.Err() == nil {
				var late time.Duration
				if due != nil {
					select {
					case t := <-due:
						late = max(0, time.Since(t)) // queued behind busy clients: part of the latency
					case <-runCtx.Done():
						return
					}
				}
				if o.requestCap > 0 {
					mu.Lock()
					total++
					over := total > int64(o.requestCap)
					mu.Unlock()
					if over {
						return
					}
				}
				kind := w.pick()
				s := w.do(runCtx, kind)
				s.d += late
				if runCtx.Err() != nil && s.status == 0 {
					return // cut off by the end of the run, not an error
				}
				results[i] = append(results[i], s)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(stopRSS)
	if o.pid > 0 {
		<-rssDone
	}
	report(out, results, elapsed, peakRSS)
	return nil
}

// schedule sends the times requests fall due, rate per second from start,
// until ctx ends; nil for a closed loop. Times are sent whether or not a
// client is free, and each request is timed from when it was due, so a
// server that falls behind shows it in the latencies (no coordinated
// omission).
func schedule(ctx context.Context, start time.Time, rate float64) <-chan time.Time {
	if rate <= 0 {
		return nil
	}
	due := make(chan time.Time, 1<<16)
	go func() {
		for n := 0; ; n++ {
			t := start.Add(time.Duration(float64(n) / rate * float64(time.Second)))
			select {
			case <-time.After(time.Until(t)):
			case <-ctx.Done():
				return
			}
			select {
			case due <- t:
			case <-ctx.Done():
				return
			}
		}
	}()
	return due
}

func mixString(m map[string]int) string {
	var parts []string
	for _, k := range kinds {
		if m[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
		}
	}
	return strings.Join(parts, ",")
}

func (w *worker) pick() string {
	sum := 0
	for _, k := range kinds {
		sum += w.o.mix[k]
	}
	n := w.rng.IntN(max(1, sum))
	for _, k := range kinds {
		if n < w.o.mix[k] {
			if (k == "reply" || k == "edit") && len(w.mine) == 0 {
				return "create"
			}
			return k
		}
		n -= w.o.mix[k]
	}
	return "library"
}

// slug names generated article i as gencorpus.Slug does (kept apart so the
// load generator does not link the database driver).
func (w *worker) slug(hot bool) string {
	n := w.o.articles
	if hot {
		n = min(n, w.o.hot)
	}
	return fmt.Sprintf("bench-%05d", 1+w.rng.IntN(n))
}

var locationID = regexp.MustCompile(`#a-(\d+)$`)

// do makes one request of the kind and times it (preparation, such as
// fetching an article's text to choose a passage, is not timed).
func (w *worker) do(ctx context.Context, kind string) sample {
	var method, path string
	var form url.Values
	switch kind {
	case "library":
		method, path = http.MethodGet, "/"
		if w.rng.IntN(3) == 0 {
			path = "/?sort=title"
		}
	case "reader":
		method, path = http.MethodGet, "/articles/"+w.slug(w.rng.IntN(2) == 0)
	case "search":
		method, path = http.MethodGet, "/search?q="+url.QueryEscape(searchWords[w.rng.IntN(len(searchWords))])
	case "search-word":
		method, path = http.MethodGet, "/search?q="+url.QueryEscape(w.any(singleWords))
	case "search-phrase":
		method, path = http.MethodGet, "/search?q="+url.QueryEscape(w.any(phraseQueries))
	case "search-prefix":
		method, path = http.MethodGet, "/search?q="+url.QueryEscape(w.any(prefixQueries))
	case "search-tag":
		method, path = http.MethodGet, "/search?q="+url.QueryEscape(w.any(singleWords))+"&tag="+url.QueryEscape(w.any(tagFilters))
	case "search-group":
		method, path = http.MethodGet, "/search?q="+url.QueryEscape(w.any(singleWords))+"&group="+w.group
	case "create":
		slug := w.slug(true)
		text, err := w.texts.get(ctx, w.cl, w.o.base, slug)
		if err != nil {
			return sample{kind: kind}
		}
		start, end := passage(w.rng, text)
		form = url.Values{
			"start": {strconv.Itoa(start)}, "end": {strconv.Itoa(end)}, "exact": {string(text[start:end])},
			"body": {fmt.Sprintf("Load test comment %d on *this* passage.", w.rng.IntN(1e6))},
			"tags": {"load, class"}, "visibility": {"public"},
		}
		method, path = http.MethodPost, "/articles/"+slug+"/annotations"
	case "reply":
		form = url.Values{"body": {"A reply from the load test."}}
		method, path = http.MethodPost, "/annotations/"+w.mine[w.rng.IntN(len(w.mine))]+"/replies"
	case "edit":
		form = url.Values{"body": {fmt.Sprintf("Edited %d.", w.rng.IntN(1e6))}, "tags": {"load"}, "visibility": {"public"}}
		method, path = http.MethodPost, "/annotations/"+w.mine[w.rng.IntN(len(w.mine))]+"/edit"
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequestWithContext(ctx, method, w.o.base+path, body)
	if !w.o.inflate {
		req.Header.Set("Accept-Encoding", "gzip") // read as sent
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", w.o.base)
	}
	t0 := time.Now()
	resp, err := w.cl.Do(req)
	if err != nil {
		return sample{kind: kind, d: time.Since(t0)}
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	d := time.Since(t0)
	if err != nil {
		return sample{kind: kind, d: d}
	}
	if kind == "create" && resp.StatusCode == http.StatusSeeOther {
		if m := locationID.FindStringSubmatch(resp.Header.Get("Location")); m != nil && len(w.mine) < 1000 {
			w.mine = append(w.mine, m[1])
		}
	}
	return sample{kind: kind, d: d, status: resp.StatusCode}
}

func (w *worker) any(list []string) string { return list[w.rng.IntN(len(list))] }

// groupOption is a group in the search page's group filter.
var groupOption = regexp.MustCompile(`<option value="(\d+)"[^>]*>Group \d+</option>`)

// findGroup reads the first of the user's groups from the search page.
func (w *worker) findGroup(ctx context.Context) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, w.o.base+"/search", nil)
	resp, err := w.cl.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if m := groupOption.FindSubmatch(b); m != nil {
		w.group = string(m[1])
	}
	return nil
}

// passage picks 3 to 20 words of the text, in code points.
func passage(rng *rand.Rand, text []rune) (int, int) {
	for range 20 {
		start := rng.IntN(max(1, len(text)-200))
		for start > 0 && !unicode.IsSpace(text[start-1]) {
			start--
		}
		for start < len(text) && unicode.IsSpace(text[start]) {
			start++
		}
		end, words := start, 3+rng.IntN(18)
		for end < len(text) && words > 0 {
			end++
			if end == len(text) || unicode.IsSpace(text[end]) {
				words--
			}
		}
		if end > start {
			return start, end
		}
	}
	return 0, min(len(text), 10)
}

func (w *worker) signIn(ctx context.Context, email string) error {
	form := url.Values{"email": {email}, "password": {w.o.password}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, w.o.base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", w.o.base)
	resp, err := w.cl.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// textCache holds articles' plain text, fetched once.
type textCache struct {
	mu sync.Mutex
	m  map[string][]rune
}

func (tc *textCache) get(ctx context.Context, cl *http.Client, base, slug string) ([]rune, error) {
	tc.mu.Lock()
	t, ok := tc.m[slug]
	tc.mu.Unlock()
	if ok {
		return t, nil
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/articles/"+slug+".txt", nil)
	resp, err := cl.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s.txt: status %d %v", slug, resp.StatusCode, err)
	}
	t = []rune(string(b))
	tc.mu.Lock()
	tc.m[slug] = t
	tc.mu.Unlock()
	return t, nil
}

// rssKiB reads a process's resident memory from /proc (Linux).
func rssKiB(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

func report(out io.Writer, results [][]sample, elapsed time.Duration, peakRSS int64) {
	byKind := map[string][]time.Duration{}
	errs := map[string]map[int]int{}
	n := 0
	for _, rs := range results {
		for _, s := range rs {
			n++
			byKind[s.kind] = append(byKind[s.kind], s.d)
			if s.status == 0 || s.status >= 400 {
				if errs[s.kind] == nil {
					errs[s.kind] = map[int]int{}
				}
				errs[s.kind][s.status]++
				if errs["all"] == nil {
					errs["all"] = map[int]int{}
				}
				errs["all"][s.status]++
			}
		}
	}
	fmt.Fprintf(out, "\n%d requests in %s: %.0f/s\n", n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds())
	fmt.Fprintf(out, "%-8s %8s %8s %9s %9s %9s %9s  %s\n", "kind", "count", "per s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors")
	for _, k := range append(slices.Clone(kinds), "") {
		ds := byKind[k]
		if k == "" {
			for _, v := range byKind {
				ds = append(ds, v...)
			}
			k = "all"
		}
		if len(ds) == 0 {
			continue
		}
		slices.Sort(ds)
		pct := func(p float64) float64 {
			return float64(ds[min(len(ds)-1, int(p*float64(len(ds))))].Microseconds()) / 1000
		}
		e := "0"
		if m := errs[k]; len(m) > 0 {
			var parts []string
			for st, c := range m {
				name := strconv.Itoa(st)
				if st == 0 {
					name = "transport"
				}
				parts = append(parts, fmt.Sprintf("%d×%s", c, name))
			}
			slices.Sort(parts)
			e = strings.Join(parts, " ")
		}
		fmt.Fprintf(out, "%-8s %8d %8.0f %9.1f %9.1f %9.1f %9.1f  %s\n", k, len(ds), float64(len(ds))/elapsed.Seconds(),
			pct(0.50), pct(0.95), pct(0.99), float64(ds[len(ds)-1].Microseconds())/1000, e)
	}
	if peakRSS > 0 {
		fmt.Fprintf(out, "server peak resident memory: %d MiB\n", peakRSS/1024)
	}
}

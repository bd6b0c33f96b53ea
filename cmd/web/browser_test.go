package main

// The browser test harness: one headless Chromium for the whole test
// package, a new tab per test against the real program (startServer), and
// checks that every test gets for free: no console error, no uncaught
// exception, no browser log error (CSP violations and failed loads land
// there). axe-core from testdata/axe checks accessibility.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

var screenshotDir = flag.String("screenshots", "",
	"write full-page PNGs of the pages the browser tests visit, at desktop and phone sizes, into this `dir`")

const (
	defaultChromium = "/usr/bin/chromium"
	// tabTimeout bounds one browser test (a tab and all its subtests) and
	// waitTimeout one wait for an element; both are generous because a
	// 2-core CI machine may be busy, not because a test should take long.
	tabTimeout  = 4 * time.Minute
	waitTimeout = time.Minute
)

// viewport is a screen the tests emulate.
type viewport struct {
	name          string
	width, height int64
	mobile        bool
}

var (
	desktop = viewport{name: "desktop", width: 1280, height: 900}
	phone   = viewport{name: "phone", width: 390, height: 844, mobile: true}
)

func TestMain(m *testing.M) {
	code := m.Run()
	chromium.close()
	if webBinDir != "" {
		os.RemoveAll(webBinDir)
	}
	os.Exit(code)
}

// chromium is the one browser of the test package, started by the first
// test that asks for a tab.
var chromium sharedBrowser

type sharedBrowser struct {
	once    sync.Once
	ctx     context.Context // tabs are children of this context
	cancel  []context.CancelFunc
	dataDir string
	skip    string // why browser tests skip, if they do
	err     error
}

// get returns the browser's context, starting the browser on first use.
func (b *sharedBrowser) get(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests do not run under -short")
	}
	b.once.Do(b.start)
	if b.skip != "" {
		t.Skip(b.skip)
	}
	if b.err != nil {
		t.Fatalf("start Chromium: %v", b.err)
	}
	return b.ctx
}

func (b *sharedBrowser) start() {
	path := os.Getenv("GLOSS_CHROMIUM")
	if path == "" {
		path = defaultChromium
	}
	if _, err := os.Stat(path); err != nil {
		b.skip = fmt.Sprintf("Chromium not found at %s: install it with `apt-get update && apt-get install -y chromium` to run the browser tests", path)
		return
	}
	// The profile outlives any one test, so it is not in a t.TempDir.
	b.dataDir, b.err = os.MkdirTemp("", "gloss-chromium-")
	if b.err != nil {
		return
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // tests run as root in CI
		chromedp.UserDataDir(b.dataDir),
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.WindowSize(int(desktop.width), int(desktop.height)),
	)
	ctx, cancel := chromedp.NewContext(allocCtx)
	b.cancel = []context.CancelFunc{cancel, cancelAlloc}
	// The first Do starts the browser and ties it to ctx, so it gets no
	// timeout of its own; the timer only stops a hung start.
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(ctx) }()
	select {
	case b.err = <-done:
	case <-time.After(waitTimeout):
		b.err = errors.New("Chromium did not start within " + waitTimeout.String())
	}
	b.ctx = ctx
}

// close stops the browser, if it ran, and removes its profile.
func (b *sharedBrowser) close() {
	for _, cancel := range b.cancel {
		cancel()
	}
	if b.dataDir != "" {
		os.RemoveAll(b.dataDir)
	}
}

// tab is one browser tab on a fresh server, for one test.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string // the server's base URL
	view viewport

	mu       sync.Mutex
	problems []string // console errors, exceptions and log errors, in order
	allowed  []string // URLs whose failed load a test expects
}

// newTab starts the program on a new database and opens a tab for it. The
// test fails if the page logs an error, throws, or breaks its CSP.
func newTab(t *testing.T) *tab {
	t.Helper()
	chromium.get(t) // skip before starting a server when there is no browser
	return newTabAt(t, startServer(t, filepath.Join(t.TempDir(), "gloss.db")))
}

// newTabAt opens a tab, in a browser context of its own, on a server that
// is already running (several people on one Gloss).
func newTabAt(t *testing.T, base string) *tab {
	t.Helper()
	browserCtx := chromium.get(t)
	b := &tab{t: t, base: base, view: desktop}
	ctx, cancelTimeout := context.WithTimeout(browserCtx, tabTimeout)
	// A browser context of its own isolates the test's cookies and cache,
	// and disposing of it closes its sockets, so the server can shut down
	// at once instead of waiting out a preconnected, unused connection.
	ctx, cancelTab := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext(), chromedp.WithListener(b.listen))
	b.ctx = ctx
	t.Cleanup(func() {
		cancelTab()
		cancelTimeout()
		b.checkProblems()
	})
	b.run(
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			// chromedp enables the log domain already; enabling it again is
			// harmless and keeps this harness correct if that changes.
			if _, err := cdp.Call(ctx, t, cdplog.Enable, cdp.Empty{}); err != nil {
				return err
			}
			// Keep focus and :focus-visible working in a background tab.
			_, err := cdp.Call(ctx, t, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
			return err
		}),
		emulate(desktop),
	)
	return b
}

// listen runs on chromedp's reading goroutine: it only records.
func (b *tab) listen(ev any) {
	var problem string
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		problem = fmt.Sprintf("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, msg)
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		var args []string
		for _, a := range ev.Args {
			switch {
			case len(a.Value) > 0:
				args = append(args, strings.Trim(string(a.Value), `"`))
			default:
				args = append(args, a.Description)
			}
		}
		problem = fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " "))
	case *cdplog.EventEntryAdded:
		e := ev.Entry
		if e.Level != cdplog.EntryLevelError {
			return
		}
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, u := range b.allowed {
			if e.Source == cdplog.EntrySourceNetwork && e.URL == u {
				return
			}
		}
		b.problems = append(b.problems, fmt.Sprintf("browser log (%s): %s %s", e.Source, e.Text, e.URL))
		return
	default:
		return
	}
	b.mu.Lock()
	b.problems = append(b.problems, problem)
	b.mu.Unlock()
}

func (b *tab) checkProblems() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		b.t.Errorf("browser reported an error: %s", p)
	}
}

// run runs the actions in the tab and stops the test on the first error.
func (b *tab) run(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

// value runs one action that returns a value and stops the test on error.
func value[T any](b *tab, a chromedp.Action[T]) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, a)
	if err != nil {
		b.t.Fatalf("browser: %v", err)
	}
	return v
}

// eval evaluates a JavaScript expression in the page and decodes its value.
// Right after a new tab's first navigation, chromedp may still name the
// blank page's execution context, which Chromium refuses ("Cannot find
// context with specified id"): nothing ran, so it asks again.
func eval[T any](b *tab, expr string) T {
	b.t.Helper()
	for try := 0; ; try++ {
		v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
		if err == nil {
			return v
		}
		if try == 40 || !strings.Contains(err.Error(), "Cannot find context with specified id") {
			b.t.Fatalf("browser: %v", err)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// waitFor waits until the JavaScript expression is truthy.
func (b *tab) waitFor(expr string) {
	b.t.Helper()
	b.run(chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(waitTimeout)))
}

// navigate opens path on the server and requires a 200.
func (b *tab) navigate(path string) {
	b.t.Helper()
	b.navigateStatus(path, 200)
}

// navigateStatus opens path on the server and requires the given status.
// For a 4xx or 5xx, Chromium logs the failed load of the page itself as
// an error; that one is expected, so it is not reported.
func (b *tab) navigateStatus(path string, status int64) {
	b.t.Helper()
	if status >= 400 {
		b.mu.Lock()
		b.allowed = append(b.allowed, b.base+path)
		b.mu.Unlock()
	}
	resp := value(b, chromedp.NavigateResponse(b.base+path))
	if resp == nil {
		b.t.Fatalf("GET %s: no response", path)
	}
	if resp.Status != status {
		b.t.Fatalf("GET %s: status %d, want %d", path, resp.Status, status)
	}
}

// clickAndLoad clicks the element and waits for the page it leads to.
func (b *tab) clickAndLoad(sel string) {
	b.t.Helper()
	value(b, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel))))
}

// path is the current URL without the server's base.
func (b *tab) path() string {
	b.t.Helper()
	return strings.TrimPrefix(value(b, chromedp.Location()), b.base)
}

// setViewport switches the tab to the screen v.
func (b *tab) setViewport(v viewport) {
	b.t.Helper()
	b.run(emulate(v))
	b.view = v
}

func emulate(v viewport) chromedp.Action[chromedp.Void] {
	if v.mobile {
		return chromedp.EmulateViewport(v.width, v.height, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2))
	}
	return chromedp.EmulateViewport(v.width, v.height)
}

// screenshot writes full-page PNGs of the current page at desktop and
// phone sizes into the -screenshots directory, as NAME-desktop.png and
// NAME-phone.png. Without the flag it does nothing.
func (b *tab) screenshot(name string) {
	b.t.Helper()
	if *screenshotDir == "" {
		return
	}
	if err := os.MkdirAll(*screenshotDir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	was := b.view
	for _, v := range []viewport{desktop, phone} {
		b.setViewport(v)
		png := value(b, chromedp.FullScreenshot(100))
		file := filepath.Join(*screenshotDir, name+"-"+v.name+".png")
		if err := os.WriteFile(file, png, 0o644); err != nil {
			b.t.Fatal(err)
		}
	}
	b.setViewport(was)
}

// axeSource is axe-core, read once. It is a test asset, never embedded.
var axeSource = sync.OnceValues(func() ([]byte, error) {
	return os.ReadFile(filepath.Join("testdata", "axe", "axe.min.js"))
})

type axeViolation struct {
	ID     string    `json:"id"`
	Impact string    `json:"impact"`
	Help   string    `json:"help"`
	URL    string    `json:"helpUrl"`
	Nodes  []axeNode `json:"nodes"`
}

type axeNode struct {
	Target  []string `json:"target"`  // CSS selectors, one per frame
	Summary string   `json:"summary"` // axe's "Fix any of the following: ..."
}

type axeResult struct {
	Violations []axeViolation `json:"violations"`
	Incomplete []string       `json:"incomplete"`
	Passes     int            `json:"passes"`
}

// axeRun runs axe on the document for WCAG 2.0 and 2.1, levels A and AA,
// and hands back only what a failure message needs.
const axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
.then(r => ({
	violations: r.violations.map(v => ({
		id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({
			target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : String(t)),
			summary: n.failureSummary || '',
		})),
	})),
	incomplete: r.incomplete.map(v => v.id),
	passes: r.passes.length,
}))`

// axe checks the current page with axe-core and fails the test for each
// violation. axe goes in through Runtime.evaluate, which Chromium exempts
// from the page's CSP (TestBrowserHarnessReportsErrors checks this), so the
// app keeps its strict policy and the page's own violations still count.
func (b *tab) axe(pageName string) {
	b.t.Helper()
	src, err := axeSource()
	if err != nil {
		b.t.Fatalf("read axe-core: %v", err)
	}
	if !eval[bool](b, `typeof window.axe === 'object'`) {
		b.run(chromedp.Evaluate[chromedp.Void](string(src)))
	}
	res := value(b, chromedp.Evaluate[axeResult](axeRun, chromedp.EvalAwaitPromise))
	if res.Passes == 0 && len(res.Violations) == 0 {
		b.t.Fatalf("axe: %s page: axe checked nothing", pageName)
	}
	for _, v := range res.Violations {
		var targets []string
		for _, n := range v.Nodes {
			targets = append(targets, strings.Join(n.Target, " "))
		}
		b.t.Errorf("axe: %s page: %s (%s): %s\n  elements: %s\n  %s\n  more: %s",
			pageName, v.ID, v.Impact, v.Help, strings.Join(targets, ", "), firstLine(v.Nodes), v.URL)
	}
	if len(res.Incomplete) > 0 {
		b.t.Logf("axe: %s page: for a person to review: %s", pageName, strings.Join(res.Incomplete, ", "))
	}
}

// firstLine is the fix axe suggests for the first element.
func firstLine(nodes []axeNode) string {
	if len(nodes) == 0 {
		return ""
	}
	return strings.ReplaceAll(nodes[0].Summary, "\n", "\n  ")
}

// takeProblems returns the errors recorded so far and forgets them; only
// the harness's own test uses it.
func (b *tab) takeProblems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	p := b.problems
	b.problems = nil
	return p
}

// TestBrowserHarnessReportsErrors checks the harness itself: what the page
// does against its CSP, a missing resource, an exception and console.error
// are all caught, while Runtime.evaluate (which axe needs) is not blocked.
func TestBrowserHarnessReportsErrors(t *testing.T) {
	b := newTab(t)
	b.navigate("/")
	// Code run through Runtime.evaluate is exempt from the page's CSP,
	// even its eval, which is why axe can run under script-src 'self'.
	if got := eval[int](b, `eval('1 + 1')`); got != 2 {
		t.Errorf("eval through Runtime.evaluate gave %d", got)
	}
	b.run(chromedp.Evaluate[chromedp.Void](`(() => {
		const s = document.createElement('script');
		s.textContent = 'window.inlineRan = true';
		document.body.append(s);
		document.body.setAttribute('onclick', 'window.handlerRan = true');
		document.body.click();
		document.body.removeAttribute('onclick');
		console.error('deliberate console error');
	})()`))
	// Wait for the page to see the failed load and the thrown exception, so
	// that their reports arrive before the reply to this evaluation.
	b.run(chromedp.Evaluate[chromedp.Void](`new Promise(done => {
		const img = new Image();
		img.onerror = img.onload = done;
		img.src = '/static/no-such-image.png';
		document.body.append(img);
		setTimeout(() => { throw new Error('deliberate exception') });
	}).then(() => new Promise(done => setTimeout(done)))`, chromedp.EvalAwaitPromise))
	if eval[bool](b, `window.inlineRan === true || window.handlerRan === true`) {
		t.Error("inline script ran: the CSP was not in force")
	}
	got := strings.Join(b.takeProblems(), "\n")
	for _, want := range []string{
		"Executing inline script violates the following Content Security Policy directive",
		"Executing inline event handler violates the following Content Security Policy directive",
		"status of 404 (Not Found) " + b.base + "/static/no-such-image.png",
		"console.error: deliberate console error",
		"uncaught exception",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("harness missed %q; it recorded:\n%s", want, got)
		}
	}
}

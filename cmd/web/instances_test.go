package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"gloss/db/postgres/pgtest"
)

// instance is a real Gloss process started by a test.
type instance struct {
	url string
	cmd *exec.Cmd
}

// startInstance starts the built binary on dsn, on a random port, and
// stops it (SIGTERM, then waits) when the test ends.
func startInstance(t *testing.T, bin, dsn string) *instance {
	t.Helper()
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-db", dsn, "-drain-delay", "0s")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	inst := &instance{cmd: cmd}
	var mu sync.Mutex
	var log strings.Builder
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				mu.Lock()
				t.Errorf("an instance ended with %v:\n%s", err, log.String())
				mu.Unlock()
			}
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			t.Error("an instance did not stop")
		}
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			mu.Lock()
			log.WriteString(sc.Text() + "\n")
			mu.Unlock()
			if l := parseLogLine(sc.Text()); l["msg"] == "gloss listening" {
				found <- l["url"]
			}
		}
		close(found)
	}()
	select {
	case inst.url = <-found:
	case <-time.After(60 * time.Second):
	}
	if inst.url == "" {
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("an instance did not start:\n%s", log.String())
	}
	return inst
}

// browserless is a person's cookies and a client for them, for requests
// to any instance (the instances share the database, and so sign-ins).
type browserless struct {
	t      *testing.T
	client *http.Client
}

func newBrowserless(t *testing.T) *browserless {
	jar, _ := cookiejar.New(nil)
	return &browserless{t: t, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// on sends a request to inst with the person's cookies (the cookie jar
// keys them by host, and every instance is 127.0.0.1).
func (b *browserless) on(inst *instance, method, path string, form url.Values) (int, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, inst.url+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(page)
}

// TestTwoInstancesOnPostgreSQL starts two Gloss processes on one
// PostgreSQL database and checks what a load balancer in front of them
// needs: a session made on one is valid on the other; sign-in throttling
// counts across both; a write on one is read on the next request to the
// other; and a reader connected to one hears live of a write on the other.
func TestTwoInstancesOnPostgreSQL(t *testing.T) {
	bin := buildWeb(t)
	dsn := pgtest.DSN(t)
	ctx := context.Background()
	var out strings.Builder
	pw := "a long enough password"
	if err := run(ctx, []string{"user", "add", "-db", dsn, "-email", "ana@example.org", "-name", "Ana"}, noEnv, strings.NewReader(pw+"\n"), &out); err != nil {
		t.Fatalf("user add: %v\n%s", err, out.String())
	}
	// The first start of the two migrates and imports the seeds; the
	// second waits for the first's lock and finds the work done.
	var a, b *instance
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a = startInstance(t, bin, dsn) }()
	go func() { defer wg.Done(); b = startInstance(t, bin, dsn) }()
	wg.Wait()
	if a == nil || b == nil {
		t.FailNow()
	}
	const slug = "help-the-refugees-who-reach-china"

	t.Run("SessionOnEither", func(t *testing.T) {
		ana := newBrowserless(t)
		if code, _ := ana.on(a, "POST", "/login", url.Values{"email": {"ana@example.org"}, "password": {pw}}); code != http.StatusSeeOther {
			t.Fatalf("sign-in on A: %d", code)
		}
		if code, page := ana.on(b, "GET", "/account", nil); code != http.StatusOK || !strings.Contains(page, "ana@example.org") {
			t.Errorf("the session made on A, on B: %d", code)
		}
		if code, _ := ana.on(b, "POST", "/logout", url.Values{}); code != http.StatusSeeOther {
			t.Errorf("sign-out on B: %d", code)
		}
		if code, _ := ana.on(a, "GET", "/account", nil); code != http.StatusSeeOther {
			t.Errorf("after signing out on B, A still knows the session: %d", code)
		}
	})

	t.Run("ReadYourWriteOnTheOther", func(t *testing.T) {
		ana := newBrowserless(t)
		ana.on(b, "POST", "/login", url.Values{"email": {"ana@example.org"}, "password": {pw}})
		for i := range 5 {
			body := fmt.Sprintf("Written on A, read on B (%d)", i)
			code, _ := ana.on(a, "POST", "/articles/"+slug+"/annotations", url.Values{
				"exact": {"Some 50,000 North Koreans are in China"}, "body": {body}, "visibility": {"private"}})
			if code != http.StatusSeeOther {
				t.Fatalf("annotating on A: %d", code)
			}
			if _, page := ana.on(b, "GET", "/articles/"+slug, nil); !strings.Contains(page, body) {
				t.Errorf("B's next page does not show what A just saved (%d)", i)
			}
			if _, page := ana.on(b, "GET", "/search?q=%22read+on+B%22", nil); !strings.Contains(page, fmt.Sprintf("(%d)", i)) {
				t.Errorf("B's search does not find what A just saved (%d)", i)
			}
		}
	})

	t.Run("LiveOnEither", func(t *testing.T) {
		// A reader connected to B hears of an annotation saved on A: the
		// event A stores wakes B's hub (PostgreSQL NOTIFY), which reads it
		// from the log and sends it down B's stream.
		sctx, cancel := context.WithCancel(ctx)
		defer cancel()
		req, _ := http.NewRequestWithContext(sctx, "GET", b.url+"/articles/"+slug+"/events", nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("the reader's stream on B: %d", res.StatusCode)
		}
		lines := make(chan string, 64)
		go func() {
			defer close(lines)
			sc := bufio.NewScanner(res.Body)
			for sc.Scan() {
				lines <- sc.Text()
			}
		}()
		// The stream is open once it has said how long to wait to retry.
		for l := range lines {
			if strings.HasPrefix(l, "retry:") {
				break
			}
		}
		ana := newBrowserless(t)
		ana.on(a, "POST", "/login", url.Values{"email": {"ana@example.org"}, "password": {pw}})
		saved := time.Now()
		if code, _ := ana.on(a, "POST", "/articles/"+slug+"/annotations", url.Values{
			"exact": {"Some 50,000 North Koreans are in China"}, "body": {"Live from A"}, "visibility": {"public"}}); code != http.StatusSeeOther {
			t.Fatalf("annotating on A: %d", code)
		}
		timeout := time.After(20 * time.Second)
		change := false
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatal("B's stream ended before the annotation made on A reached it")
				}
				switch {
				case l == "event: change":
					change = true
				case change && strings.HasPrefix(l, "data: "):
					if strings.Contains(l, `"kind":"annotation.created"`) && strings.Contains(l, "Ana added an annotation.") {
						t.Logf("the annotation saved on A reached the reader on B %v after A was asked", time.Since(saved).Round(time.Millisecond))
						return
					}
					change = false
				}
			case <-timeout:
				t.Fatal("the annotation saved on A never reached the reader connected to B")
			}
		}
	})

	t.Run("SignedOutPageOnEither", func(t *testing.T) {
		// Each instance keeps the signed-out reader page until an event:
		// the instance that made the change shows it on the next request;
		// the other as soon as its hub hears of the event (NOTIFY).
		anon := newBrowserless(t)
		for _, inst := range []*instance{a, b, a, b} {
			if code, _ := anon.on(inst, "GET", "/articles/"+slug, nil); code != http.StatusOK {
				t.Fatalf("signed-out page: %d", code)
			}
		}
		ana := newBrowserless(t)
		ana.on(a, "POST", "/login", url.Values{"email": {"ana@example.org"}, "password": {pw}})
		const body = "Public on A, read signed out on both"
		saved := time.Now()
		if code, _ := ana.on(a, "POST", "/articles/"+slug+"/annotations", url.Values{
			"exact": {"Some 50,000 North Koreans are in China"}, "body": {body}, "visibility": {"public"}}); code != http.StatusSeeOther {
			t.Fatalf("annotating on A: %d", code)
		}
		if _, page := anon.on(a, "GET", "/articles/"+slug, nil); !strings.Contains(page, body) {
			t.Error("A's next signed-out page is the one it kept before its own write")
		}
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			if _, page := anon.on(b, "GET", "/articles/"+slug, nil); strings.Contains(page, body) {
				t.Logf("B's signed-out page showed it %v after A was asked", time.Since(saved).Round(time.Millisecond))
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("B still serves the signed-out page it kept from before A's write")
			}
		}
	})

	t.Run("ThrottleCountsAcrossInstances", func(t *testing.T) {
		// Wrong passwords, alternately on A and B, each from an address of
		// its own: the account gets six checks in all, not six each.
		checked := 0
		for i := range 14 {
			inst := []*instance{a, b}[i%2]
			code, _ := newBrowserless(t).on(inst, "POST", "/login", url.Values{"email": {"ana@example.org"}, "password": {"not the password"}})
			switch code {
			case http.StatusUnauthorized:
				checked++
			case http.StatusTooManyRequests:
			default:
				t.Fatalf("wrong password %d: %d", i+1, code)
			}
		}
		if checked > 6 {
			t.Errorf("%d wrong passwords were checked across two instances; one would have checked at most 6", checked)
		}
		for _, inst := range []*instance{a, b} {
			if code, _ := newBrowserless(t).on(inst, "POST", "/login", url.Values{"email": {"ana@example.org"}, "password": {pw}}); code != http.StatusTooManyRequests {
				t.Errorf("the right password on a locked account: %d", code)
			}
		}
	})
}

package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestShutdownDrains stops the server (as SIGTERM does: main cancels the
// context) while a sign-in is half sent: the server stops taking new
// connections at once, finishes that request, answers it, and returns
// without error.
func TestShutdownDrains(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "gloss.db")
	const pw = "correct horse battery staple"
	if err := run(context.Background(), []string{"-db", dbPath, "user", "add", "-email", "drain@example.org", "-name", "Drain"},
		noEnv, strings.NewReader(pw+"\n"), io.Discard); err != nil {
		t.Fatal(err)
	}

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	pr, logw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-db", dbPath}, noEnv, strings.NewReader(""), logw)
		logw.Close()
	}()
	addrc := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`msg="gloss listening" url=http://(\S+)`)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				addrc <- m[1]
			}
		}
	}()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("server stopped early: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("server did not start")
	}

	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := url.Values{"email": {"drain@example.org"}, "password": {pw}}.Encode()
	half := len(body) / 2
	// Expect: 100-continue makes the server say when the handler starts
	// reading the body: from then on the request is in flight (before, the
	// connection might still wait in the listener's queue).
	fmt.Fprintf(conn, "POST /login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n",
		addr, len(body))
	br := bufio.NewReader(conn)
	interim, err := http.ReadResponse(br, nil)
	if err != nil || interim.StatusCode != http.StatusContinue {
		t.Fatalf("no 100 Continue: %v %v", interim, err)
	}
	io.WriteString(conn, body[:half])

	stop() // SIGTERM
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			break // no longer listening
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the server still takes new connections after shutdown began")
		}
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case err := <-done:
		t.Fatalf("the server stopped (%v) before the request in flight was answered", err)
	default:
	}

	if _, err := io.WriteString(conn, body[half:]); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("the request in flight got no answer: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Set-Cookie"), "gloss_session=") {
		t.Errorf("the sign-in in flight: %d, cookie %q", resp.StatusCode, resp.Header.Get("Set-Cookie"))
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run after draining: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Error("the server did not stop after its last request")
	}
}

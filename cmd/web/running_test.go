package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// running is the whole program started by a test (run, in this process),
// with its log read line by line, in text or JSON.
type running struct {
	t      *testing.T
	cancel context.CancelFunc
	done   chan error // run's result, once

	mu     sync.Mutex
	lines  []map[string]string
	notify chan struct{} // closed and replaced at each line
	result error
	ended  bool
}

// runServer starts run with args and stops it (as SIGTERM does) when the
// test ends, checking that it returned without error.
func runServer(t *testing.T, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{t: t, cancel: cancel, done: make(chan error, 1), notify: make(chan struct{})}
	pr, pw := io.Pipe()
	go func() {
		err := run(ctx, args, noEnv, strings.NewReader(""), pw)
		pw.Close()
		r.done <- err
	}()
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			r.add(parseLogLine(sc.Text()))
		}
		err := <-r.done
		r.mu.Lock()
		r.result, r.ended = err, true
		close(r.notify)
		r.mu.Unlock()
	}()
	t.Cleanup(func() {
		if err := r.stop(); err != nil {
			t.Errorf("run returned %v after shutdown", err)
		}
	})
	return r
}

func (r *running) add(line map[string]string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, line)
	close(r.notify)
	r.notify = make(chan struct{})
}

// wait returns the attributes of the first log line whose message is msg,
// waiting for it; the test fails if the program ends first.
func (r *running) wait(msg string) map[string]string {
	r.t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		r.mu.Lock()
		for _, l := range r.lines {
			if l["msg"] == msg {
				r.mu.Unlock()
				return l
			}
		}
		ended, result, notify := r.ended, r.result, r.notify
		r.mu.Unlock()
		if ended {
			r.t.Fatalf("the server ended (%v) before logging %q", result, msg)
		}
		select {
		case <-notify:
		case <-deadline:
			r.t.Fatalf("no %q in the log after a minute", msg)
		}
	}
}

// stop cancels the program's context and returns what run returned.
func (r *running) stop() error {
	r.cancel()
	deadline := time.After(15 * time.Second)
	for {
		r.mu.Lock()
		ended, result, notify := r.ended, r.result, r.notify
		r.mu.Unlock()
		if ended {
			return result
		}
		select {
		case <-notify:
		case <-deadline:
			r.t.Fatal("the server did not stop")
		}
	}
}

var logPair = regexp.MustCompile(`(\w+)=("(?:[^"\\]|\\.)*"|\S+)`)

// parseLogLine reads a slog line, text or JSON, into its attributes.
func parseLogLine(line string) map[string]string {
	out := map[string]string{}
	if strings.HasPrefix(line, "{") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil {
			for k, v := range m {
				if s, ok := v.(string); ok {
					out[k] = s
				} else {
					b, _ := json.Marshal(v)
					out[k] = string(b)
				}
			}
			out["format"] = "json"
			return out
		}
	}
	for _, m := range logPair.FindAllStringSubmatch(line, -1) {
		v := m[2]
		if u, err := strconv.Unquote(v); err == nil {
			v = u
		}
		out[m[1]] = v
	}
	out["format"] = "text"
	return out
}

// builtWeb is the real binary, built once for the tests that need it
// (exit codes, the VCS stamp), into webBinDir (removed by TestMain).
var (
	builtWeb     sync.Once
	webBin       string
	webBuildErr  error
	webBinDir    string
	webBuildLogs []byte
)

func buildWeb(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the real binary")
	}
	builtWeb.Do(func() {
		webBinDir, webBuildErr = os.MkdirTemp("", "gloss-web-bin")
		if webBuildErr != nil {
			return
		}
		webBin = filepath.Join(webBinDir, "web")
		// -buildvcs=auto: stamp the commit where Go can (GOFLAGS may say
		// false), never fail for want of it.
		webBuildLogs, webBuildErr = exec.Command("go", "build", "-buildvcs=auto", "-o", webBin, ".").CombinedOutput()
	})
	if webBuildErr != nil {
		t.Fatalf("go build: %v\n%s", webBuildErr, webBuildLogs)
	}
	return webBin
}

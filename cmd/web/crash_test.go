package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// TestCrashSafety builds the real binary, runs concurrent writers against
// it, kills it with SIGKILL at a random moment, restarts it, and checks
// that every acknowledged (2xx) write is there whole, that whatever else
// is there is whole too (an annotation with both its tags, a reply with
// its parent), and that PRAGMA integrity_check says ok.
//
// By default it does 3 kills (a few seconds); GLOSS_CRASH=N does N:
//
//	GLOSS_CRASH=50 go test ./cmd/web -run CrashSafety -v
func TestCrashSafety(t *testing.T) {
	rounds := 3
	if v := os.Getenv("GLOSS_CRASH"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("GLOSS_CRASH=%q: want a number of rounds", v)
		}
		rounds = n
	}
	if testing.Short() {
		t.Skip("builds and kills the real binary")
	}
	dir := t.TempDir()
	bin := buildWeb(t)
	dbPath := filepath.Join(dir, "gloss.db")
	cmd := exec.Command(bin, "-db", dbPath, "user", "add", "-email", "w@example.org", "-name", "Writer")
	cmd.Stdin = strings.NewReader("a long enough password\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "-db", dbPath, "token", "create", "-email", "w@example.org", "-name", "crash").Output()
	if err != nil {
		t.Fatalf("token create: %v", err)
	}
	auth := "Bearer " + strings.TrimSpace(string(out))

	acked := map[string]string{} // marker -> what was acknowledged ("ann" or "reply")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	for round := range rounds {
		proc, base := startBinary(t, bin, dbPath)
		// Writers: each makes annotations with two tags, and a reply to
		// each, as fast as it can, until the kill.
		var mu sync.Mutex
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cl := &http.Client{Timeout: 5 * time.Second}
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					marker := fmt.Sprintf("crash-r%d-w%d-i%d", round, w, i)
					id, ok := postCrashAnnotation(cl, base, auth, marker)
					if !ok {
						continue
					}
					mu.Lock()
					acked[marker] = "ann"
					mu.Unlock()
					if postCrashReply(cl, base, auth, id, marker+"-reply") {
						mu.Lock()
						acked[marker+"-reply"] = "reply"
						mu.Unlock()
					}
				}
			}()
		}
		time.Sleep(time.Duration(50+rng.IntN(400)) * time.Millisecond)
		if err := proc.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		proc.Wait()
		close(stop)
		wg.Wait()

		// Restart: it must come up and serve, then be stopped cleanly.
		proc, base = startBinary(t, bin, dbPath)
		resp, err := http.Get(base + "/healthz")
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("round %d: after the kill the server does not answer: %v", round, err)
		}
		resp.Body.Close()
		proc.Process.Signal(syscall.SIGTERM)
		proc.Wait()

		checkCrashDB(t, dbPath, acked, round)
	}
	t.Logf("%d kills, %d acknowledged writes, all there", rounds, len(acked))
}

func startBinary(t *testing.T, bin, dbPath string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-db", dbPath)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	urlc := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`msg="gloss listening" url=(\S+)`)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				urlc <- m[1]
			}
		}
	}()
	select {
	case u := <-urlc:
		return cmd, u
	case <-time.After(20 * time.Second):
		t.Fatal("the binary did not start")
	}
	return nil, ""
}

const crashSlug = "desperate-n-koreans-seek-asylum-in-china"

var locationID = regexp.MustCompile(`/annotations/(\d+)$`)

func postCrashAnnotation(cl *http.Client, base, auth, marker string) (string, bool) {
	doc := `{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Annotation","motivation":"commenting",` +
		`"body":[{"type":"TextualBody","value":"` + marker + `","format":"text/markdown"},` +
		`{"type":"TextualBody","value":"crash","purpose":"tagging"},{"type":"TextualBody","value":"` + marker + `","purpose":"tagging"}],` +
		`"target":{"source":"` + base + `/articles/` + crashSlug + `","selector":{"type":"TextQuoteSelector","exact":"UNCHR office"}}}`
	resp, ok := crashPost(cl, base+"/annotations/", auth, doc)
	if !ok {
		return "", false
	}
	m := locationID.FindStringSubmatch(resp.Header.Get("Location"))
	if m == nil {
		return "", false
	}
	return m[1], true
}

func postCrashReply(cl *http.Client, base, auth, parent, marker string) bool {
	doc := `{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Annotation","motivation":"replying",` +
		`"body":{"type":"TextualBody","value":"` + marker + `","format":"text/markdown"},"target":"` + base + `/annotations/` + parent + `"}`
	_, ok := crashPost(cl, base+"/annotations/", auth, doc)
	return ok
}

// crashPost reports whether the server acknowledged the write: a 2xx
// response read to the end.
func crashPost(cl *http.Client, url, auth, doc string) (*http.Response, bool) {
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, url, strings.NewReader(doc))
	req.Header.Set("Content-Type", "application/ld+json")
	req.Header.Set("Authorization", auth)
	resp, err := cl.Do(req)
	if err != nil {
		return nil, false
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return nil, false
	}
	return resp, resp.StatusCode/100 == 2
}

// checkCrashDB opens the file after a crash and restart and checks it.
func checkCrashDB(t *testing.T, dbPath string, acked map[string]string, round int) {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+dbPath+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var integrity string
	if err := conn.QueryRow(`PRAGMA integrity_check`).Scan(&integrity); err != nil || integrity != "ok" {
		t.Fatalf("round %d: integrity_check: %q %v", round, integrity, err)
	}
	rows, err := conn.Query(`PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	if rows.Next() {
		t.Errorf("round %d: foreign_key_check finds dangling rows", round)
	}
	rows.Close()

	// Everything there is whole: each crash annotation has both its tags;
	// each reply's parent is there.
	present := map[string]bool{}
	rows, err = conn.Query(`SELECT a.body, a.parent_id IS NOT NULL,
		(SELECT count(*) FROM annotation_tags t WHERE t.annotation_id = a.id),
		a.parent_id IS NULL OR EXISTS (SELECT 1 FROM annotations p WHERE p.id = a.parent_id)
		FROM annotations a WHERE a.body LIKE 'crash-%'`)
	if err != nil {
		t.Fatal(err)
	}
	var bad bytes.Buffer
	for rows.Next() {
		var body string
		var reply, parentThere bool
		var tags int
		if err := rows.Scan(&body, &reply, &tags, &parentThere); err != nil {
			t.Fatal(err)
		}
		present[body] = true
		if !reply && tags != 2 {
			fmt.Fprintf(&bad, "%s has %d of its 2 tags; ", body, tags)
		}
		if !parentThere {
			fmt.Fprintf(&bad, "%s has lost its parent; ", body)
		}
	}
	rows.Close()
	if bad.Len() > 0 {
		t.Errorf("round %d: half-written: %s", round, bad.String())
	}
	var lost []string
	for m := range acked {
		if !present[m] {
			lost = append(lost, m)
		}
	}
	if len(lost) > 0 {
		t.Errorf("round %d: %d acknowledged writes are missing, e.g. %v", round, len(lost), lost[:min(5, len(lost))])
	}
	// The search index agrees with the table it indexes, with nothing
	// committed still waiting in its queue (it is applied before COMMIT).
	if _, err := conn.Exec(`INSERT INTO search_annotations (search_annotations, rank) VALUES ('integrity-check', 1)`); err != nil {
		t.Errorf("round %d: search index: %v", round, err)
	}
	var queued int
	if err := conn.QueryRow(`SELECT COUNT(*) FROM search_queue`).Scan(&queued); err != nil || queued != 0 {
		t.Errorf("round %d: %d index changes committed but not applied (%v)", round, queued, err)
	}
}

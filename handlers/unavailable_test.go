package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"gloss/db/sqlite"
)

// TestDiskFull: when the database cannot grow, saving answers 503 with a
// page that says why and keeps what was typed; reading goes on; once space
// is freed, saving works again. (On PostgreSQL, whose disk the test cannot
// fill, the writer's session turns read-only, which Gloss answers alike.)
func TestDiskFull(t *testing.T) {
	w := newAnnotationWorld(t)
	first := url.Values{"exact": {"an estimated 100,000 North Koreans in China"}, "body": {"Whose estimate?"}, "visibility": {"public"}}
	if rec := w.member.post("/articles/"+slug+"/annotations", first); rec.Code != http.StatusSeeOther {
		t.Fatalf("create: %d", rec.Code)
	}
	var parent int64
	if err := w.store.Reader().QueryRow(`SELECT max(id) FROM annotations`).Scan(&parent); err != nil {
		t.Fatal(err)
	}
	free, says := fillDisk(t, w.store)
	comment := "Which estimate is right? " + strings.Repeat("More thoughts on the figures. ", 200)
	form := url.Values{"exact": {"an estimated 100,000 North Koreans in China"}, "body": {comment}, "visibility": {"public"}}
	var rec = w.member.post("/articles/"+slug+"/annotations", form)
	for i := 0; i < 200 && rec.Code == http.StatusSeeOther; i++ {
		rec = w.member.post("/articles/"+slug+"/annotations", form)
	}
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("saving with a full disk: %d", rec.Code)
	}
	doc := parse(t, rec)
	if msg := doc.Find(`[data-testid="form-error"]`).Text(); !strings.Contains(msg, says) {
		t.Errorf("the message is %q", msg)
	}
	if got := doc.Find(`textarea[name="body"]`).Text(); got != comment {
		t.Errorf("the comment typed is not in the form again (%d of %d bytes)", len(got), len(comment))
	}
	if rec := w.anonymous.get("/articles/" + slug); rec.Code != http.StatusOK {
		t.Errorf("reading with a full disk: %d", rec.Code)
	}

	// A reply's error goes through the error page: the same words, and
	// when to retry.
	reply := fmt.Sprintf("/annotations/%d/replies", parent)
	rec = w.owner.post(reply, url.Values{"body": {comment}})
	for i := 0; i < 200 && rec.Code == http.StatusSeeOther; i++ {
		rec = w.owner.post(reply, url.Values{"body": {comment}})
	}
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" ||
		!strings.Contains(parse(t, rec).Find("main").Text(), says) {
		t.Errorf("a reply with a full disk: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}

	free()
	if rec := w.member.post("/articles/"+slug+"/annotations", form); rec.Code != http.StatusSeeOther {
		t.Errorf("saving after space was freed: %d", rec.Code)
	}
}

// TestClientGone: a request whose client went away is not a server error.
func TestClientGone(t *testing.T) {
	w := newAnnotationWorld(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest(http.MethodGet, "/articles/"+slug, nil).WithContext(ctx)
	rec := httptest.NewRecorder()
	w.e.ServeHTTP(rec, req)
	if rec.Code != 499 {
		t.Errorf("a request its client abandoned: %d, want 499", rec.Code)
	}
}

// fillDisk stops the store's writes: SQLite's file may not grow past its
// pages; PostgreSQL's writer turns read-only. It returns what undoes it,
// and what the error page says.
func fillDisk(t *testing.T, store *sqlite.Store) (free func(), says string) {
	t.Helper()
	exec := func(q string) {
		t.Helper()
		if _, err := store.Writer().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if engine == "postgres" {
		exec(`SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY`)
		return func() { exec(`SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE`) }, "read-only"
	}
	var pages int
	if err := store.Writer().QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	exec(fmt.Sprint(`PRAGMA max_page_count = `, pages))
	return func() { exec(`PRAGMA max_page_count = 1073741823`) }, "disk is full"
}

package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gloss/db"
	"gloss/db/hub"
	"gloss/db/sqlite"
	"gloss/handlers"
	"gloss/seeds"
)

// TestReaderReadsInOneConnection: a reader page's reads share one read
// transaction (db.Lifecycle.View). With a read pool of one connection, a
// read that took a connection of its own inside the View would wait for
// ever. So every form of the reader page (whole, in place, its cards
// alone, filtered, with suggestions, a search's passage), for every kind
// of viewer, the first time (statements not yet prepared) and again, must
// come back, and show what the viewer may see; so must the library and the
// reader's answers to a change, whose reads are Views too.
func TestReaderReadsInOneConnection(t *testing.T) {
	w := newAnnotationWorld(t)
	ctx := context.Background()
	public := w.annotate(t, w.owner, url.Values{"start": {"0"}, "end": {"20"}, "body": {"open to all"}, "tags": {"figures"}, "visibility": {"public"}})
	w.annotate(t, w.member, url.Values{"start": {"30"}, "end": {"60"}, "body": {"for the seminar"}, "tags": {"figures"}, "visibility": {"group"}, "group": {fmt.Sprint(w.group.ID)}})
	w.annotate(t, w.outsider, url.Values{"start": {"70"}, "end": {"90"}, "body": {"mine alone"}, "visibility": {"private"}})
	if rec := w.member.post(fmt.Sprintf("/annotations/%d/replies", public), url.Values{"body": {"an answer"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("reply: %d", rec.Code)
	}
	if rec := w.owner.post("/articles/"+slug+"/notes", url.Values{"body": {"a note beside the text"}, "visibility": {"public"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("note: %d", rec.Code)
	}
	owner := mustViewer(t, w.store, "owner@example.org")
	if n, err := w.store.UnreadCount(ctx, owner); err != nil || n == 0 {
		t.Fatalf("the owner's unread notifications: %d, %v (want the reply's)", n, err)
	}

	w.store.Reader().SetMaxOpenConns(1)
	// get answers path as cl would, or fails the test if nothing answers
	// in time: a read waiting for a second connection.
	do := func(cl *client, method, path string, form url.Values, header ...string) *httptest.ResponseRecorder {
		t.Helper()
		ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		rec := cl.doContext(ctx, method, path, form, header...)
		if ctx.Err() != nil {
			t.Fatalf("%s %s %v: no answer in 20 s (a read outside the page's View waiting for the pool's only connection?)", method, path, header)
		}
		return rec
	}
	get := func(cl *client, path string, header ...string) *httptest.ResponseRecorder {
		t.Helper()
		return do(cl, http.MethodGet, path, nil, header...)
	}
	paths := []string{
		"/articles/" + slug,
		"/articles/" + slug + "?show=mine",
		"/articles/" + slug + "?tag=figures&highlights=off",
		"/articles/" + slug + "?suggestions=on",
		"/articles/" + slug + "?at=0-20",
		"/articles/" + slug + "?part=cards",
	}
	clients := map[string]struct {
		cl   *client
		sees bool // the group's annotation
	}{
		"owner": {w.owner, true}, "member": {w.member, true}, "viewer": {w.viewer, true},
		"outsider": {w.outsider, false}, "admin": {w.admin, false}, "anonymous": {w.anonymous, false},
	}
	for round := range 2 {
		for name, c := range clients {
			for _, path := range paths {
				for _, header := range [][]string{nil, {"HX-Request", "true"}} {
					rec := get(c.cl, path, header...)
					if rec.Code != http.StatusOK {
						t.Fatalf("round %d, %s: GET %s %v: %d\n%s", round, name, path, header, rec.Code, rec.Body)
					}
					body := rec.Body.String()
					if sees := strings.Contains(body, "for the seminar"); path == "/articles/"+slug && sees != c.sees {
						t.Errorf("%s: GET %s %v shows the group's annotation: %v, want %v", name, path, header, sees, c.sees)
					}
					if strings.Contains(body, "mine alone") && name != "outsider" {
						t.Errorf("%s: GET %s %v shows the outsider's private annotation", name, path, header)
					}
				}
			}
		}
	}
	// The library, and the reader's answers to a change (a redirect to the
	// card's page without JavaScript, the reader's parts in place), read in
	// Views too.
	for _, path := range []string{"/", "/?sort=title"} {
		if rec := get(w.member, path); rec.Code != http.StatusOK {
			t.Errorf("GET %s: %d", path, rec.Code)
		}
	}
	form := url.Values{"start": {"100"}, "end": {"120"}, "body": {"one more"}, "visibility": {"public"}}
	if rec := do(w.member, http.MethodPost, "/articles/"+slug+"/annotations", form); rec.Code != http.StatusSeeOther || !strings.Contains(rec.Header().Get("Location"), "#a-") {
		t.Errorf("create without JavaScript: %d → %q", rec.Code, rec.Header().Get("Location"))
	}
	rec := do(w.outsider, http.MethodPost, fmt.Sprintf("/annotations/%d/replies", public), url.Values{"body": {"in place"}}, "HX-Request", "true")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "in place") {
		t.Errorf("reply in place: %d, shows the reply: %v", rec.Code, strings.Contains(rec.Body.String(), "in place"))
	}
	// The rest of the app still reads through the one connection.
	if rec := get(w.owner, "/notifications"); rec.Code != http.StatusOK {
		t.Errorf("notifications: %d", rec.Code)
	}
	if _, err := w.store.ArticleNotes(ctx, db.Anonymous, w.articleID, db.AnnotationFilter{}); err != nil {
		t.Error(err)
	}
}

// gatedEntities is a store whose first KnownEntities waits at a gate.
type gatedEntities struct {
	*sqlite.Store
	once          sync.Once
	entered, gate chan struct{}
}

func (g *gatedEntities) KnownEntities(ctx context.Context, v db.Viewer) ([]db.Entity, error) {
	first := false
	g.once.Do(func() { first = true })
	if first {
		close(g.entered)
		<-g.gate
	}
	return g.Store.KnownEntities(ctx, v)
}

// TestSuggestionsReadEntitiesOutsideTheirLock: the suggestions' list of
// known entities is read without their lock held. A reader page reads it
// inside its View, holding a read connection; a request holding the lock
// while it waited for a connection would have every page wait for it.
// Here the first read of the list stops at a gate (a count of suggestions,
// outside a View), and a reader page must still come back.
func TestSuggestionsReadEntitiesOutsideTheirLock(t *testing.T) {
	store := openStore(t)
	if err := seeds.Import(context.Background(), store, nil); err != nil {
		t.Fatal(err)
	}
	gated := &gatedEntities{Store: store, entered: make(chan struct{}), gate: make(chan struct{})}
	e, err := handlers.New(gated, handlers.Config{})
	if err != nil {
		t.Fatal(err)
	}
	mustUser(t, store, "reader@example.org", "Reader", false)
	cl := signedIn(t, e, "reader@example.org")

	counted := make(chan *httptest.ResponseRecorder, 1)
	go func() { counted <- cl.get("/articles/" + slug + "/suggestions/count") }()
	<-gated.entered
	page := make(chan *httptest.ResponseRecorder, 1)
	go func() { page <- cl.get("/articles/" + slug + "?suggestions=on") }()
	select {
	case rec := <-page:
		if rec.Code != http.StatusOK {
			t.Errorf("reader page: %d", rec.Code)
		}
	case <-time.After(10 * time.Second):
		t.Error("the reader page waited for the count's read of the known entities")
		defer func() { <-page }()
	}
	close(gated.gate)
	if rec := <-counted; rec.Code != http.StatusOK {
		t.Errorf("count: %d", rec.Code)
	}
}

// writesWhileReading is a store that, once armed, has another person
// annotate right after the next ArticleBySlug (the View's first read,
// which takes its snapshot), and waits until the hub has handed the
// event out.
type writesWhileReading struct {
	*sqlite.Store
	hub    *hub.Hub
	armed  atomic.Bool
	writer db.Viewer
	wrote  atomic.Int64 // the event of the write made
}

func (w *writesWhileReading) ArticleBySlug(ctx context.Context, slug string) (db.Article, error) {
	a, err := w.Store.ArticleBySlug(ctx, slug)
	if err != nil || !w.armed.CompareAndSwap(true, false) {
		return a, err
	}
	bg := context.Background()
	if _, err := w.Store.CreateAnnotation(bg, w.writer, a.ID, db.AnnotationInput{Start: 0, End: 10, Body: "written meanwhile", Visibility: "public"}); err != nil {
		return a, err
	}
	seq := w.Store.CommittedEvent()
	w.wrote.Store(seq)
	w.hub.Reach(bg, seq)
	return a, nil
}

// TestLiveSinceBeforeTheSnapshot: the reader page names the last event
// it shows for its live stream, read before its View's snapshot. An
// annotation committed (and heard) after the snapshot is not on the page,
// so the page must name an event before it, for the stream to bring it.
func TestLiveSinceBeforeTheSnapshot(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	if err := seeds.Import(ctx, store, nil); err != nil {
		t.Fatal(err)
	}
	h := hub.New(store, hub.Options{})
	if err := h.Start(ctx); err != nil {
		t.Fatal(err)
	}
	u := mustUser(t, store, "writer@example.org", "Writer", false)
	writer, err := store.ViewerFor(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	w := &writesWhileReading{Store: store, hub: h, writer: writer}
	e, err := handlers.New(w, handlers.Config{Broker: h})
	if err != nil {
		t.Fatal(err)
	}
	mustUser(t, store, "reader@example.org", "Reader", false)
	for name, cl := range map[string]*client{"signed out": newClient(t, e), "signed in": signedIn(t, e, "reader@example.org")} {
		w.armed.Store(true)
		rec := cl.get("/articles/" + slug)
		if rec.Code != http.StatusOK || w.armed.Load() {
			t.Fatalf("%s: %d, write made: %v", name, rec.Code, !w.armed.Load())
		}
		since, err := strconv.ParseInt(parse(t, rec).Find("[data-since]").AttrOr("data-since", ""), 10, 64)
		if err != nil {
			t.Fatalf("%s: no data-since: %v", name, err)
		}
		if strings.Contains(rec.Body.String(), "written meanwhile") {
			t.Fatalf("%s: the page shows what was written after its snapshot", name)
		}
		if since >= w.wrote.Load() {
			t.Errorf("%s: the page lacks the annotation of event %d and names event %d: its stream would never bring it", name, w.wrote.Load(), since)
		}
	}
}

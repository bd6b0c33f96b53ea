package hub_test

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"gloss/db"
	"gloss/db/hub"
	"gloss/db/sqlite"
)

// world is a store with an article, a person and a group, and a hub on it.
type world struct {
	store   *sqlite.Store
	hub     *hub.Hub
	v       db.Viewer
	article int64
	group   int64
}

func newWorld(t *testing.T, opts hub.Options) *world {
	t.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "gloss.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := store.ImportArticle(ctx, db.ArticleInput{Slug: "a", Title: "A", Body: "Some words to annotate here."}); err != nil {
		t.Fatal(err)
	}
	a, _ := store.ArticleBySlug(ctx, "a")
	u, err := store.CreateUser(ctx, db.NewUser{Email: "ana@example.org", Name: "Ana", Password: "a long enough password"})
	if err != nil {
		t.Fatal(err)
	}
	g, err := store.CreateGroup(ctx, u.ID, "Seminar", "")
	if err != nil {
		t.Fatal(err)
	}
	v, _ := store.ViewerFor(ctx, u)
	h := hub.New(store, opts)
	if err := h.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	return &world{store: store, hub: h, v: v, article: a.ID, group: g.ID}
}

func (w *world) annotate(t *testing.T, vis string) db.Annotation {
	t.Helper()
	in := db.AnnotationInput{Start: -1, End: -1, Exact: "words", Visibility: vis}
	if vis == "group" {
		in.Group = strconv.FormatInt(w.group, 10)
	}
	a, err := w.store.CreateAnnotation(context.Background(), w.v, w.article, in)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func next(t *testing.T, s db.Subscription) db.Event {
	t.Helper()
	select {
	case e := <-s.Events():
		return *e
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5s")
	}
	return db.Event{}
}

func TestHubDeliversByTopicOnce(t *testing.T) {
	w := newWorld(t, hub.Options{Poll: time.Hour}) // only the commit wakes it
	both := w.hub.Subscribe(db.ArticleTopic(w.article), db.GroupTopic(w.group))
	other := w.hub.Subscribe(db.ArticleTopic(w.article + 1))
	a := w.annotate(t, "group")
	e := next(t, both)
	if e.Kind != db.AnnotationCreated || e.AnnotationID != a.ID || e.Seq <= both.Since() {
		t.Errorf("event %+v", e)
	}
	b := w.annotate(t, "private")
	if e := next(t, both); e.AnnotationID != b.ID {
		t.Errorf("an event with two followed topics came twice, or out of order: %+v", e)
	}
	select {
	case e := <-other.Events():
		t.Errorf("another article's subscriber got %+v", e)
	default:
	}
	both.Close()
	w.annotate(t, "public")
	time.Sleep(50 * time.Millisecond)
	select {
	case e := <-both.Events():
		t.Errorf("a closed subscription got %+v", e)
	default:
	}
}

func TestHubLagAndCatchUp(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, hub.Options{Buffer: 2, Poll: time.Hour})
	slow := w.hub.Subscribe(db.ArticleTopic(w.article))
	start := slow.Since()
	var ids []int64
	for range 4 {
		ids = append(ids, w.annotate(t, "public").ID)
	}
	select {
	case <-slow.Lagged():
	case <-time.After(5 * time.Second):
		t.Fatal("a subscriber that fell behind was not told")
	}
	// Catching up from the log gives exactly the article's events. The
	// hub may tell of the lag before it has read the fourth event: wait
	// until it has read to the end of the log.
	_, last, err := w.store.EventBounds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); w.hub.Seq() < last; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the hub read to %d, the log ends at %d", w.hub.Seq(), last)
		}
	}
	evs, refresh, err := hub.CatchUp(ctx, w.store, []db.Topic{db.ArticleTopic(w.article)}, start, w.hub.Seq(), 100)
	if err != nil || refresh || len(evs) != 4 || evs[0].AnnotationID != ids[0] || evs[3].AnnotationID != ids[3] {
		t.Fatalf("catch-up %d events, refresh %v, %v", len(evs), refresh, err)
	}
	if _, refresh, _ := hub.CatchUp(ctx, w.store, []db.Topic{db.ArticleTopic(w.article)}, start, w.hub.Seq(), 3); !refresh {
		t.Error("more than max events did not ask for a refresh")
	}
	if _, refresh, _ := hub.CatchUp(ctx, w.store, nil, w.hub.Seq()+1000, w.hub.Seq(), 100); !refresh {
		t.Error("an id past the end of the log did not ask for a refresh")
	}
	if _, err := w.store.PruneEvents(ctx, time.Now().Add(time.Hour), 1); err != nil {
		t.Fatal(err)
	}
	if _, refresh, _ := hub.CatchUp(ctx, w.store, nil, start, w.hub.Seq(), 100); !refresh {
		t.Error("an id before the pruned events did not ask for a refresh")
	}
}

func TestHubStopsWithTheStore(t *testing.T) {
	w := newWorld(t, hub.Options{})
	w.store.Close()
	done := make(chan struct{})
	go func() { w.hub.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the hub did not stop")
	}
}

// TestHubWatchAndReach: a watcher hears every event before Seq says it
// was handed out; Reach waits for an event this process committed, and
// gives up when its context ends.
func TestHubWatchAndReach(t *testing.T) {
	w := newWorld(t, hub.Options{Poll: time.Hour}) // only a commit or Reach wakes it
	var heard []db.EventKind
	var seqAtWatch int64
	from := w.hub.Watch(func(e *db.Event) {
		heard = append(heard, e.Kind) // with the hub locked: no race with Seq
		seqAtWatch = e.Seq
	})
	if from != w.hub.Seq() {
		t.Fatalf("Watch returned %d, the hub is at %d", from, w.hub.Seq())
	}
	w.annotate(t, "private")
	committed := w.store.CommittedEvent()
	if committed <= from {
		t.Fatalf("the annotation stored no event (%d, hub at %d)", committed, from)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if !w.hub.Reach(ctx, committed) {
		t.Fatal("Reach gave up on an event that was committed")
	}
	if w.hub.Seq() < committed || seqAtWatch != committed || len(heard) != 1 || heard[0] != db.AnnotationCreated {
		t.Errorf("after Reach: hub at %d, watcher heard %v up to %d, want %d", w.hub.Seq(), heard, seqAtWatch, committed)
	}
	short, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if w.hub.Reach(short, committed+1) {
		t.Error("Reach reported an event nobody stored")
	}
}

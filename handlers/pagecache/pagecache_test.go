package pagecache

import (
	"bytes"
	"container/list"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"gloss/db"
)

// testCache is a page cache whose events are told by hand: heard is the
// hub's last event, committed this process's.
func testCache(max int64) (pc *Cache, heard, committed *int64) {
	heard, committed = new(int64), new(int64)
	pc = &Cache{max: max, order: list.New(), pages: map[string]*list.Element{},
		heard: func() int64 { return *heard }, committed: func() int64 { return *committed },
		scopes: scopes{articles: map[int64]int64{}, users: map[int64]int64{}}, bells: map[int64]keptCount{}, flights: map[string]*flight{}}
	return pc, heard, committed
}

// TestPageCacheBound: kept pages stay within their bytes, the least
// recently used going first, and a late render does not replace a newer
// page.
func TestPageCacheBound(t *testing.T) {
	pc, _, _ := testCache(4 * (1000 + 160))
	page := func(key string, seq int64) *keptPage {
		return &keptPage{key: key, seq: seq, body: bytes.Repeat([]byte{'x'}, 1000-len(key))}
	}
	for i := range 4 {
		pc.put(page(fmt.Sprintf("k%d", i), 1))
	}
	if _, ok := pc.get("k0", 3, true); !ok { // k0 is now the most recent
		t.Fatal("k0 not kept")
	}
	pc.put(page("k4", 1))
	if _, ok := pc.get("k1", 3, true); ok {
		t.Error("the least recently used page (k1) was not dropped")
	}
	for _, k := range []string{"k0", "k2", "k3", "k4"} {
		if _, ok := pc.get(k, 3, true); !ok {
			t.Errorf("%s dropped", k)
		}
	}
	if pc.size > pc.max || len(pc.pages) != pc.order.Len() {
		t.Errorf("size %d over %d, or %d pages in the map and %d in the list", pc.size, pc.max, len(pc.pages), pc.order.Len())
	}
	pc.put(page("k2", 3))
	pc.put(page("k2", 2)) // a slow render finishing late
	if p, ok := pc.get("k2", 3, true); !ok || p.seq != 3 {
		t.Error("a late render replaced a newer page")
	}
	pc.put(&keptPage{key: "huge", seq: 3, body: make([]byte, pc.max)})
	if _, ok := pc.get("huge", 3, true); ok {
		t.Error("a page larger than a quarter of the cache was kept")
	}
	before := pc.size
	for k := range pc.pages {
		pc.remove(pc.pages[k])
	}
	if pc.size != 0 || before == 0 {
		t.Errorf("size %d after removing everything (was %d)", pc.size, before)
	}
}

// TestPageCacheScopes: a kept page goes when an event of its article, its
// viewer or the whole site comes after it was rendered, and only then; no
// page is served while this process has committed an event the hub has
// not handed out yet.
func TestPageCacheScopes(t *testing.T) {
	pc, heard, committed := testCache(1 << 20)
	const articleA, articleB, member, other = 1, 2, 7, 8
	keep := func() {
		*heard, *committed = 10, 10
		pc.scopes = scopes{site: 10, articles: map[int64]int64{}, users: map[int64]int64{}}
		pc.put(&keptPage{key: "out", seq: 10, article: articleA, body: []byte("signed out")})
		pc.put(&keptPage{key: "member", seq: 10, article: articleA, user: member, body: []byte("member")})
		pc.put(&keptPage{key: "other", seq: 10, article: articleA, user: other, body: []byte("other")})
		pc.put(&keptPage{key: "share", seq: 10, collection: true, body: []byte("a share link's page")})
	}
	hear := func(e db.Event) {
		*heard++
		*committed = *heard
		e.Seq = *heard
		pc.scopes.hear(&e)
	}
	for _, tc := range []struct {
		name  string
		event db.Event
		gone  []string // the pages the event drops; the others stay
	}{
		// A collection may hold any article's annotations: its page goes too.
		{"AnotherArticle", db.Event{Kind: db.AnnotationCreated, ArticleID: articleB}, []string{"share"}},
		{"TheArticle", db.Event{Kind: db.AnnotationUpdated, ArticleID: articleA}, []string{"out", "member", "other", "share"}},
		{"TheViewerActsElsewhere", db.Event{Kind: db.AnnotationCreated, ArticleID: articleB, ActorID: member}, []string{"member", "share"}},
		{"TheViewersNotifications", db.Event{Kind: db.NotificationsMoved, UserID: member}, []string{"member"}},
		{"AnotherSessionEnds", db.Event{Kind: db.SessionEnded, UserID: other, ActorID: other}, []string{"other"}},
		{"TheSite", db.Event{Kind: db.MemberAdded, GroupID: 3, UserID: other}, []string{"out", "member", "other", "share"}},
		{"TagRenamed", db.Event{Kind: db.TagChanged, ActorID: other}, []string{"out", "member", "other", "share"}},
		{"ACollection", db.Event{Kind: db.CollectionChanged, UserID: other, ActorID: other}, []string{"other", "share"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			keep()
			hear(tc.event)
			for _, key := range []string{"out", "member", "other", "share"} {
				_, ok := pc.get(key, *heard, true)
				if gone := contains(tc.gone, key); ok == gone {
					t.Errorf("%s: served %t, want %t", key, ok, !gone)
				}
			}
		})
	}
	t.Run("CommittedNotHeard", func(t *testing.T) {
		keep()
		*committed = 11 // written here, not handed out yet: what it changed is unknown
		if _, ok := pc.get("out", *heard, pcNow(pc)); ok {
			t.Error("a kept page was served before the hub heard this process's write")
		}
		*heard = 11 // about another article
		if _, ok := pc.get("out", *heard, pcNow(pc)); !ok {
			t.Error("the page went once the write turned out to be elsewhere")
		}
	})
	t.Run("FarBehind", func(t *testing.T) {
		// Events elsewhere only, but so many that the page's live stream
		// would have to read them all to catch up.
		keep()
		if _, ok := pc.get("out", 10+MaxLag, true); !ok {
			t.Fatal("a page as far behind as allowed was dropped")
		}
		if _, ok := pc.get("out", 11+MaxLag, true); ok {
			t.Error("a page further behind was served")
		}
	})
	t.Run("WrittenThroughAnotherInstance", func(t *testing.T) {
		// A signed-in person's write through another process is in the
		// log before this hub hears of it: their kept page is not served.
		keep()
		stored := int64(11)
		pc.stored = func(context.Context) (int64, error) { return stored, nil }
		defer func() { pc.stored = nil }()
		if _, allHeard := pc.now(context.Background(), false, true); allHeard {
			t.Error("a write in the log the hub has not heard of counted as heard")
		}
		if _, allHeard := pc.now(context.Background(), false, false); !allHeard {
			t.Error("a signed-out page asked the log (it may lag by a moment, as documented)")
		}
		stored = 10
		if _, allHeard := pc.now(context.Background(), false, true); !allHeard {
			t.Error("nothing new in the log, yet not all heard")
		}
	})
	t.Run("ChangedWhileRendering", func(t *testing.T) {
		keep()
		hear(db.Event{Kind: db.NoteCreated, ArticleID: articleB})
		hear(db.Event{Kind: db.NoteCreated, ArticleID: articleA})
		pc.put(&keptPage{key: "late", seq: *heard - 1, article: articleA, body: []byte("late")})
		if _, ok := pc.get("late", 3, true); ok {
			t.Error("a page rendered before an event of its article was kept after it")
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func pcNow(pc *Cache) bool {
	_, allHeard := pc.now(context.Background(), true, false)
	return allHeard
}

// TestPageCacheSingleFlight: requests for a page arriving while it is
// being rendered wait for that rendering instead of rendering it too;
// one that has heard of a later event renders its own.
func TestPageCacheSingleFlight(t *testing.T) {
	pc, heard, committed := testCache(1 << 20)
	*heard, *committed = 5, 5
	e := echo.New()
	release := make(chan struct{})
	var renders atomic.Int32
	render := func(bool) (Rendered, error) {
		renders.Add(1)
		<-release
		return Rendered{Body: []byte("<p>the page</p>"), Article: 1, Release: func() {}, Keep: true}, nil
	}
	serve := func() *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		if err := pc.Serve(e.NewContext(httptest.NewRequest(http.MethodGet, "/articles/a", nil), rec), render); err != nil {
			t.Error(err)
		}
		return rec
	}
	var wg sync.WaitGroup
	recs := make([]*httptest.ResponseRecorder, 20)
	for i := range recs {
		wg.Go(func() { recs[i] = serve() })
	}
	for renders.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond) // the others board meanwhile
	// One that heard of a later event does not wait for the older page.
	pc.mu.Lock()
	pc.scopes.hear(&db.Event{Seq: 6, Kind: db.NoteCreated, ArticleID: 2})
	pc.mu.Unlock()
	*heard, *committed = 6, 6
	wg.Go(func() { serve() })
	for renders.Load() < 2 {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if n := renders.Load(); n != 2 {
		t.Errorf("%d renders for 21 requests, want 2 (one per event heard)", n)
	}
	for i, rec := range recs {
		if rec.Code != http.StatusOK || rec.Body.String() != "<p>the page</p>" {
			t.Errorf("request %d: %d %q", i, rec.Code, rec.Body.String())
		}
	}
	if len(pc.flights) != 0 {
		t.Errorf("%d flights left", len(pc.flights))
	}
}

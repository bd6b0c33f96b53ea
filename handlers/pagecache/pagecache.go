// Package pagecache keeps whole pages as sent, for everyone they may go
// to, until an event could change them.
package pagecache

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/handlers/web"
	"gloss/views"
)

// The page cache keeps whole pages as sent (compressed or not), with
// their ETags: a reader page signed out, the same for every signed-out
// reader, and each signed-in viewer's own; a share link's page (a
// collection's, which changes with any collection or article). A kept
// page is served until
// something happens that could change it. Every committed write that
// changes what a page shows stores an event (db.Event), and the hub hands
// each event to the cache as it hands it out (hub.Watch), so the cache
// knows, for each article and each person and for the whole site, the
// last event that could change their pages (scopes.hear). A page is kept
// with the last event it shows for sure, read before its rendering began
// (the greater of the last heard and the last this process committed,
// which is known before the write is acknowledged, so the next request
// after a write never gets the page from before it); it is served only
// while no event of its article, its viewer or the site came after, and
// only when the hub has heard every event this process committed (until
// then the cache cannot tell what they changed). Other processes' writes (PostgreSQL)
// reach the hub by NOTIFY within milliseconds, or by its poll within a
// second.
//
// What else decides a page is in its key: the address as asked (path and
// query: the article, its filters, ?at=), whether it is compressed, and
// for a signed-in viewer everything the request's own reads put in the
// page: who they are, their groups and roles, and the bell's count. What
// a page shows that may change without an event is not in a kept page:
// the reader's tag suggestions arrive apart (paths.TagSuggestions), and a
// page whose Suggestions switch has no count yet (the suggestions not
// computed in this process) is not kept.
//
// Never kept: a page with a one-time message (flash), a request with an
// API token, a page of the reader's script (HX-Request, which the gzip
// middleware compresses as before), a signed-in page with the suggestions
// panel or a suggestion being accepted, anything but 200.

// defaultPageCacheBytes bounds the kept pages' bytes.
const defaultPageCacheBytes = 32 << 20

// Cache is the page cache.
type Cache struct {
	max       int64
	committed func() int64                         // the last event this process committed
	heard     func() int64                         // the last event the hub handed out
	reach     func(context.Context, int64) bool    // waits for the hub to hand it out
	stored    func(context.Context) (int64, error) // the last event in the log, any process's

	mu      sync.Mutex
	size    int64
	order   *list.List // of *keptPage, the most recently used first
	pages   map[string]*list.Element
	scopes  scopes
	bells   map[int64]keptCount // each person's unread count (Unread)
	flights map[string]*flight  // the pages being rendered, by key
}

// A flight is one rendering of a page that requests for the same page,
// arriving meanwhile, wait for rather than render it too: after an event,
// a class asking for the article at once renders it once.
type flight struct {
	seq  int64 // the last event the rendering shows for sure (now)
	done chan struct{}
	page *keptPage // once done; nil: not kept, and each waiter renders its own
}

// board returns the flight rendering key as of seq, joining it (leader
// false) or starting it (leader true); nil when one as of another event
// is under way (the page it renders may be older than this request).
func (pc *Cache) board(key string, seq int64) (f *flight, leader bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if f, ok := pc.flights[key]; ok {
		if f.seq == seq {
			return f, false
		}
		return nil, false
	}
	f = &flight{seq: seq, done: make(chan struct{})}
	pc.flights[key] = f
	return f, true
}

// land ends a flight with the page it kept (nil: none).
func (pc *Cache) land(key string, f *flight, p *keptPage) {
	pc.mu.Lock()
	if pc.flights[key] == f {
		delete(pc.flights, key)
	}
	pc.mu.Unlock()
	f.page = p
	close(f.done)
}

// keptCount is a count and the last event it shows for sure (now).
type keptCount struct{ seq, n int64 }

// maxBells bounds the counts kept; beyond it they are forgotten at once.
const maxBells = 10_000

// Unread is the person's bell count, kept until an event that could
// change it is heard: one about their notifications (the store tells each
// person notified about an annotation or note when it is edited, hidden,
// narrowed or deleted, db.NotificationsMoved) or their sessions, or one
// about the whole site (a membership, which widens or narrows what they
// may read). The annotations written meanwhile on any article leave it
// kept.
func (pc *Cache) Unread(ctx context.Context, v db.Viewer, count func(context.Context, db.Viewer) (int, error)) (int, error) {
	if pc == nil {
		return count(ctx, v)
	}
	seq, allHeard := pc.now(ctx, false, false) // counting beats waiting
	pc.mu.Lock()
	k, ok := pc.bells[v.UserID]
	if ok && allHeard && !pc.scopes.changedSince(k.seq, 0, v.UserID, false) {
		pc.mu.Unlock()
		return int(k.n), nil
	}
	pc.mu.Unlock()
	n, err := count(ctx, v)
	if err != nil {
		return n, err
	}
	pc.mu.Lock()
	if len(pc.bells) >= maxBells {
		clear(pc.bells)
	}
	pc.bells[v.UserID] = keptCount{seq: seq, n: int64(n)}
	pc.mu.Unlock()
	return n, nil
}

// scopes are, for each kind of page, the last event that could change it
// (Cache.mu).
type scopes struct {
	site        int64           // every page: a tag renamed, a member added…
	articles    map[int64]int64 // an article's pages
	users       map[int64]int64 // a person's own pages
	anyArticle  int64           // a collection's pages: any article's annotations may be in it
	collections int64           // a collection's pages: any collection changed
}

// hear notes what e could change. An event about an article changes its
// pages; its actor's own pages change too (the annotate form remembers
// their last audience). An event about one person's notifications or
// sessions changes their pages; any other changes every page (a person
// renamed shows on each of their cards, a membership on each page of
// the group's members).
func (s *scopes) hear(e *db.Event) {
	switch {
	case e.Kind == db.NotificationsMoved || e.Kind == db.SessionEnded || e.Kind == db.SuggestionsChanged:
		s.users[e.UserID] = e.Seq
	case e.Kind == db.CollectionChanged:
		s.collections = e.Seq
	case e.ArticleID != 0:
		s.articles[e.ArticleID] = e.Seq
		s.anyArticle = e.Seq
	default:
		s.site = e.Seq
	}
	if e.ActorID != 0 {
		s.users[e.ActorID] = e.Seq
	}
}

// changedSince reports whether an event after seq could change a page of
// article (or of a collection, which may hold any article's annotations)
// for user (0: signed out).
func (s *scopes) changedSince(seq, article, user int64, collection bool) bool {
	return s.site > seq || s.articles[article] > seq || (user != 0 && s.users[user] > seq) ||
		(collection && (s.collections > seq || s.anyArticle > seq))
}

type keptPage struct {
	key     string
	seq     int64 // the last event it shows for sure (now, before rendering)
	article int64
	user    int64 // the viewer it is for; 0: signed out
	// collection: it shows a collection (a share link's page)
	collection bool
	etag       string // quoted, with web.ETagGzip when compressed
	gzip       bool
	body       []byte
}

// Hub is what the cache follows: the process's event hub (db/hub.Hub).
type Hub interface {
	Seq() int64                        // the last event handed out
	Watch(func(*db.Event)) int64       // hear every event as it is handed out
	Reach(context.Context, int64) bool // wait for an event to be handed out
}

// New keeps up to limit bytes of pages (0: the default; negative: none)
// following the hub h; committed is the last event this process committed
// (db/sqlstore's CommittedEvent), stored the last event any process
// committed (the store's event log: another instance's, on PostgreSQL).
// Without a hub (another broker) nothing is kept: the cache would not
// hear of changes. A nil Cache keeps nothing.
func New(limit int64, committed func() int64, stored func(context.Context) (int64, error), h Hub) *Cache {
	if limit < 0 || committed == nil || h == nil {
		return nil
	}
	if limit == 0 {
		limit = defaultPageCacheBytes
	}
	pc := &Cache{max: limit, order: list.New(), pages: map[string]*list.Element{},
		committed: committed, stored: stored, heard: h.Seq, reach: h.Reach,
		scopes: scopes{articles: map[int64]int64{}, users: map[int64]int64{}}, bells: map[int64]keptCount{}, flights: map[string]*flight{}}
	pc.scopes.site = h.Watch(func(e *db.Event) {
		pc.mu.Lock()
		pc.scopes.hear(e)
		pc.mu.Unlock()
	})
	return pc
}

// hearWait bounds how long a request waits for the hub to hear this
// process's last write (it reads the log when woken: well under a
// millisecond, unless the machine is swamped).
const hearWait = 50 * time.Millisecond

// now is the last event a page rendered from now on shows for sure (the
// greater of the last event heard and the last committed: events are
// numbered in the order they commit, so every event up to it is
// committed), and whether every event committed has been heard. If not
// (after waiting a moment for the hub, when wait), the cache does not know
// yet what the latest writes changed, and no kept page may be served; a
// page rendered now may still be kept. Committed is this process's last,
// and when strict (a kept page about to be served that must not lag: a
// signed-in viewer's, a share link's) the log's last too: a person who
// wrote through another instance (PostgreSQL behind a load balancer) reads
// their write here at once, and a link withdrawn there stops here.
func (pc *Cache) now(ctx context.Context, wait, strict bool) (seq int64, allHeard bool) {
	heard, committed := pc.heard(), pc.committed()
	if strict && pc.stored != nil {
		if last, err := pc.stored(ctx); err == nil {
			committed = max(committed, last)
		} else {
			return max(heard, committed), false // unknown: render
		}
	}
	if committed > heard && wait && pc.reach != nil {
		ctx, cancel := context.WithTimeout(ctx, hearWait)
		defer cancel()
		if pc.reach(ctx, committed) {
			heard = pc.heard()
		}
	}
	return max(heard, committed), committed <= heard
}

// MaxLag is how many events (about anything) a kept page may be
// behind the last one heard. A page tells its live stream where to start
// (views.ReaderPage.LiveSince), and the stream reads every event since to
// find the page's (up to maxCatchUp, beyond which it has the page
// reloaded): a page kept for long on a busy site would cost each reader
// a long read, and beyond maxCatchUp reload itself for ever.
// (handlers' maxCatchUp is 5,000: a handlers test keeps the two apart.)
const MaxLag = 1000

// get returns the page kept for key if nothing that could change it has
// happened since it was rendered (and it is not too far behind seq, the
// last event heard); a page something changed is dropped.
func (pc *Cache) get(key string, seq int64, allHeard bool) (*keptPage, bool) {
	if !allHeard {
		return nil, false
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	el, ok := pc.pages[key]
	if !ok {
		return nil, false
	}
	p := el.Value.(*keptPage)
	if pc.scopes.changedSince(p.seq, p.article, p.user, p.collection) || seq-p.seq > MaxLag {
		pc.remove(el)
		return nil, false
	}
	pc.order.MoveToFront(el)
	return p, true
}

// holds reports whether a page is kept for key (perhaps out of date), and
// whether it is one to serve only once the log's last event is heard: a
// signed-in viewer's (their own writes through another instance) or a
// share link's (withdrawn through another instance).
func (pc *Cache) holds(key string) (held, strict bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	el, ok := pc.pages[key]
	if !ok {
		return false, false
	}
	p := el.Value.(*keptPage)
	return true, p.user != 0 || p.collection
}

// put keeps p, dropping the least recently used pages beyond the bound.
// A page rendered before one kept for its key (a slow render finishing
// late) does not replace it.
func (pc *Cache) put(p *keptPage) {
	size := pageSize(p)
	if size > pc.max/4 {
		return // one page would crowd out the rest
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.scopes.changedSince(p.seq, p.article, p.user, p.collection) {
		return // already out of date
	}
	if el, ok := pc.pages[p.key]; ok {
		old := el.Value.(*keptPage)
		if old.seq > p.seq {
			return
		}
		pc.remove(el)
	}
	pc.pages[p.key] = pc.order.PushFront(p)
	pc.size += size
	for pc.size > pc.max {
		pc.remove(pc.order.Back())
	}
}

func pageSize(p *keptPage) int64 { return int64(len(p.body) + len(p.key) + 160) }

func (pc *Cache) remove(el *list.Element) {
	p := pc.order.Remove(el).(*keptPage)
	delete(pc.pages, p.key)
	pc.size -= pageSize(p)
}

// keepable reports whether the response to this request may be kept: a
// plain GET (HEAD is one here) of the page, not the reader script's, with
// no one-time message and no API token; signed in, without the
// suggestions panel or a suggestion being accepted (computed here, at
// the request's pace).
func keepable(r *http.Request) bool {
	if r.Method != http.MethodGet || views.ChromeOf(r.Context()).Flash != "" || web.InPlace(r) || r.Header.Get("Authorization") != "" {
		return false
	}
	if web.Viewer(r).SignedIn() {
		q := r.URL.Query()
		return !q.Has("suggestions") && !q.Has("accept")
	}
	return true
}

// pageKey is what decides a kept page besides the events: the address, the
// encoding, and for a signed-in viewer what the request's own reads put in
// the page (the layout's and the viewer's).
func pageKey(r *http.Request, gz bool) string {
	var b strings.Builder
	if gz {
		b.WriteString("gzip ")
	} else {
		b.WriteString("identity ")
	}
	b.WriteString(r.URL.RequestURI())
	if v := web.Viewer(r); v.SignedIn() {
		fmt.Fprintf(&b, "\x00%d\x00%s\x00%s\x00%t", v.UserID, v.Name, v.Email, v.Admin)
		groups := slices.Sorted(maps.Keys(v.Roles))
		for _, g := range groups {
			fmt.Fprintf(&b, "\x00%d:%s", g, v.Roles[g])
		}
		if u := views.ChromeOf(r.Context()).User; u != nil {
			fmt.Fprintf(&b, "\x00%s\x00%t\x00%d", u.Name, u.Admin, u.Unread)
		}
	}
	return b.String()
}

// Rendered is a page as its handler rendered it: the bytes (valid until
// Release), what it shows (an article, a collection), and whether it may
// be kept at all.
type Rendered struct {
	Body    []byte
	Article int64
	Release func()
	Keep    bool // false: what it shows may change without an event
	// Collection: it shows a collection (a share link's page), which
	// changes with the collection and with any article's annotations.
	Collection bool
}

// Serve answers with the page render makes: from the cache when it
// holds it and nothing changed it since, else rendered (and kept when the
// request allows it, which render is told); a request whose If-None-Match
// names the page gets 304.
func (pc *Cache) Serve(c echo.Context, render func(keep bool) (Rendered, error)) error {
	r := c.Request()
	gz := strings.Contains(r.Header.Get(echo.HeaderAcceptEncoding), "gzip")
	h := c.Response().Header()
	h.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
	if pc == nil || !keepable(r) {
		page, err := render(false)
		if err != nil {
			return err
		}
		defer page.Release()
		return sendPage(c, &keptPage{gzip: gz, body: compressed(page.Body, gz)})
	}
	key := pageKey(r, gz)
	// Read before rendering: a write during it comes after. The hub is
	// waited for only when a kept page could be served; under writes it
	// is often a moment behind, and rendering beats waiting.
	held, strict := pc.holds(key)
	seq, allHeard := pc.now(r.Context(), held, strict)
	if p, ok := pc.get(key, seq, allHeard); ok {
		return sendPage(c, p)
	}
	// A rendering as of the same event shows this request's own writes.
	var kept *keptPage
	f, leader := pc.board(key, seq)
	switch {
	case leader:
		defer func() { pc.land(key, f, kept) }()
	case f != nil:
		select {
		case <-f.done:
			if f.page != nil {
				return sendPage(c, f.page)
			}
		case <-r.Context().Done():
			return nil // the client left
		}
	}
	page, err := render(true)
	if err != nil {
		return err
	}
	defer page.Release()
	if !page.Keep {
		return sendPage(c, &keptPage{gzip: gz, body: compressed(page.Body, gz)})
	}
	sum := sha256.Sum256(page.Body)
	etag := `"p-` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
	if gz {
		etag = web.WithETagSuffix(etag, web.ETagGzip)
	}
	kept = &keptPage{key: key, seq: seq, article: page.Article, collection: page.Collection, user: web.Viewer(r).UserID,
		etag: etag, gzip: gz, body: compressed(page.Body, gz)}
	pc.put(kept)
	return sendPage(c, kept)
}

// sendPage writes a page as kept; with an ETag, conditionally.
func sendPage(c echo.Context, p *keptPage) error {
	h := c.Response().Header()
	if p.etag != "" {
		h.Set("ETag", p.etag)
		// Browsers keep it and ask again each time; shared caches do not
		// keep it (the same address signed in is another page). A page that
		// said otherwise (a share link's: no-store) keeps its word.
		if h.Get("Cache-Control") == "" {
			h.Set("Cache-Control", "private, no-cache")
		}
		if !strings.Contains(strings.Join(h.Values(echo.HeaderVary), ","), "Cookie") {
			h.Add(echo.HeaderVary, "Cookie")
		}
		if etagMatches(c.Request().Header.Get("If-None-Match"), p.etag) {
			return c.NoContent(http.StatusNotModified)
		}
	}
	if p.gzip {
		h.Set(echo.HeaderContentEncoding, "gzip")
	}
	return c.Blob(http.StatusOK, echo.MIMETextHTMLCharsetUTF8, p.body)
}

// etagMatches: If-None-Match's list names etag (weak comparison, as the
// header asks; "*" matches any).
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// compressed is body gzipped at the level the middleware uses (1), when
// the client takes it; a copy either way (render's buffer is reused).
func compressed(body []byte, gz bool) []byte {
	if !gz {
		return bytes.Clone(body)
	}
	var buf bytes.Buffer
	buf.Grow(len(body) / 6)
	w := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(w)
	w.Reset(&buf)
	_, _ = w.Write(body)
	_ = w.Close()
	return buf.Bytes()
}

var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, 1)
	return w
}}

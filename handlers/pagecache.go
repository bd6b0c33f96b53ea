package handlers

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"gloss/handlers/web"
	"gloss/views"
)

// The page cache keeps whole responses that are the same for everyone
// they may go to: today the signed-out reader page, as sent (compressed or
// not), with its ETag. A kept page is served until anything happens that
// could change it: every committed write that changes what a page shows
// stores an event (db.Event), and a page is kept under the generation it
// was rendered in, read before rendering began: the greater of the last
// event this process committed (known before the write is acknowledged,
// so the next request after a write never gets the page from before it)
// and the last event the broker handed out (other processes' writes: on
// PostgreSQL, another instance's commit reaches it by NOTIFY within
// milliseconds, or by the broker's poll within a second). Any event
// drops every kept page; what decides the page besides the generation is
// in the key: the address as asked (path and query: the article, its
// filters, ?at=) and whether it is compressed. The article's revision is
// not read for the key: a revision stores an event (article.revised).
//
// Never kept: a signed-in viewer's page, a page with a one-time message
// (flash), a page of the reader's script (HX-Request, which the gzip
// middleware compresses as before), anything but 200.

// defaultPageCacheBytes bounds the kept pages' bytes.
const defaultPageCacheBytes = 32 << 20

// eventCounter is what the store must offer for pages to be kept: the
// last event this process committed (db/sqlstore's CommittedEvent).
type eventCounter interface{ CommittedEvent() int64 }

// generation is what a kept page is valid for: the last event committed
// as far as this process knows, read before the page is rendered. Events
// are numbered in the order they commit, so a page rendered after reading
// it shows every change up to it, and a later change makes it greater.
type generation int64

type pageCache struct {
	max int64
	gen func() generation

	mu    sync.Mutex
	size  int64
	order *list.List // of *keptPage, the most recently used first
	pages map[string]*list.Element
}

type keptPage struct {
	key  string
	gen  generation
	etag string // quoted, with web.ETagGzip when compressed
	gzip bool
	body []byte
}

// newPageCache keeps up to limit bytes of pages (0: the default; negative:
// none) when the store counts its commits and the broker is this
// process's hub; otherwise nothing is kept.
func newPageCache(limit int64, store any, l *live) *pageCache {
	counter, ok := store.(eventCounter)
	if limit < 0 || !ok || l.seq == nil {
		return nil
	}
	if limit == 0 {
		limit = defaultPageCacheBytes
	}
	return &pageCache{max: limit, order: list.New(), pages: map[string]*list.Element{},
		gen: func() generation { return generation(max(counter.CommittedEvent(), l.seq())) }}
}

// get returns the page kept for key in generation g; one from another
// generation is dropped.
func (pc *pageCache) get(key string, g generation) (*keptPage, bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	el, ok := pc.pages[key]
	if !ok {
		return nil, false
	}
	p := el.Value.(*keptPage)
	if p.gen != g {
		pc.remove(el)
		return nil, false
	}
	pc.order.MoveToFront(el)
	return p, true
}

// put keeps p, dropping the least recently used pages beyond the bound.
// A page rendered in an older generation than one kept for its key (a
// slow render finishing late) does not replace it.
func (pc *pageCache) put(p *keptPage) {
	size := int64(len(p.body) + len(p.key) + 128)
	if size > pc.max/4 {
		return // one page would crowd out the rest
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if el, ok := pc.pages[p.key]; ok {
		old := el.Value.(*keptPage)
		if old.gen > p.gen {
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

func (pc *pageCache) remove(el *list.Element) {
	p := pc.order.Remove(el).(*keptPage)
	delete(pc.pages, p.key)
	pc.size -= int64(len(p.body) + len(p.key) + 128)
}

// sharedPage reports whether the response to this request may be kept and
// served to others: a signed-out viewer, no one-time message, a plain GET
// (HEAD is one here) of the page, not the reader script's.
func sharedPage(r *http.Request) bool {
	return r.Method == http.MethodGet && !web.Viewer(r).SignedIn() && views.ChromeOf(r.Context()).Flash == "" &&
		!inPlace(r) && r.Header.Get("Authorization") == ""
}

// selfCompressed: the page handlers that compress their own responses
// (sendPage), so that a kept page is compressed once. The gzip middleware
// skips them.
func selfCompressed(c echo.Context) bool {
	r := c.Request()
	return r.Method == http.MethodGet && c.Path() == "/articles/:slug" && !inPlace(r) &&
		!strings.HasSuffix(c.Param("slug"), ".txt")
}

// servePage answers with the page render makes: for a shared request
// from the cache when it holds it for this generation, else rendered and
// kept; a request whose If-None-Match names the page gets 304.
func (s *Server) servePage(c echo.Context, render func() (body []byte, release func(), err error)) error {
	r := c.Request()
	gz := strings.Contains(r.Header.Get(echo.HeaderAcceptEncoding), "gzip")
	h := c.Response().Header()
	h.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
	pc := s.pages
	if pc == nil || !sharedPage(r) {
		body, release, err := render()
		if err != nil {
			return err
		}
		defer release()
		return sendPage(c, &keptPage{gzip: gz, body: compressed(body, gz)})
	}
	key := "identity " + r.URL.RequestURI()
	if gz {
		key = "gzip " + r.URL.RequestURI()
	}
	g := pc.gen() // before rendering: a write during it makes a new one
	if p, ok := pc.get(key, g); ok {
		return sendPage(c, p)
	}
	body, release, err := render()
	if err != nil {
		return err
	}
	defer release()
	sum := sha256.Sum256(body)
	etag := `"p-` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
	if gz {
		etag = web.WithETagSuffix(etag, web.ETagGzip)
	}
	p := &keptPage{key: key, gen: g, etag: etag, gzip: gz, body: compressed(body, gz)}
	pc.put(p)
	return sendPage(c, p)
}

// sendPage writes a page as kept; with an ETag, conditionally.
func sendPage(c echo.Context, p *keptPage) error {
	h := c.Response().Header()
	if p.etag != "" {
		h.Set("ETag", p.etag)
		// Browsers keep it and ask again each time; shared caches do not
		// keep it (the same address signed in is another page).
		h.Set("Cache-Control", "private, no-cache")
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

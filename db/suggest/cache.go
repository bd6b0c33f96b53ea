package suggest

import (
	"container/list"
	"hash/fnv"
	"strings"
	"sync"
)

// Cache keeps the suggestions of the articles read most recently, each
// computed once for a revision of its text and a set of known entities: a
// new revision, or entities that changed, compute it again. It holds at
// most its size's worth of articles (the least recently read go first)
// and is safe for concurrent use.
type Cache struct {
	mu      sync.Mutex
	size    int
	byID    map[int64]*list.Element // of *cacheEntry
	recency *list.List              // front: read last
	misses  int
}

type cacheEntry struct {
	article  int64
	version  Version
	list     []Suggestion
	computed chan struct{} // closed once list is set
}

// Version is what an article's suggestions are computed from, besides
// its id: the revision of its text and a fingerprint of the entities known
// (Fingerprint).
type Version struct {
	Revision int
	Entities uint64
}

// NewCache makes a cache for at most size articles (at least one).
func NewCache(size int) *Cache {
	return &Cache{size: max(size, 1), byID: map[int64]*list.Element{}, recency: list.New()}
}

// Get returns the suggestions of an article at version v, calling compute
// when they are not kept (once: a caller asking meanwhile waits for it).
// The list returned is shared: callers must not change it.
func (c *Cache) Get(article int64, v Version, compute func() []Suggestion) []Suggestion {
	c.mu.Lock()
	if el, ok := c.byID[article]; ok {
		e := el.Value.(*cacheEntry)
		if e.version == v {
			c.recency.MoveToFront(el)
			c.mu.Unlock()
			<-e.computed
			return e.list
		}
		c.recency.Remove(el)
		delete(c.byID, article)
	}
	e := &cacheEntry{article: article, version: v, computed: make(chan struct{})}
	c.byID[article] = c.recency.PushFront(e)
	c.misses++
	for c.recency.Len() > c.size {
		old := c.recency.Back()
		c.recency.Remove(old)
		delete(c.byID, old.Value.(*cacheEntry).article)
	}
	c.mu.Unlock()
	defer close(e.computed)
	e.list = compute()
	return e.list
}

// Peek returns the suggestions of an article at version v if they are
// kept (and computed), without computing them or counting as a read.
func (c *Cache) Peek(article int64, v Version) ([]Suggestion, bool) {
	c.mu.Lock()
	el, ok := c.byID[article]
	c.mu.Unlock()
	if !ok {
		return nil, false
	}
	e := el.Value.(*cacheEntry)
	if e.version != v {
		return nil, false
	}
	select {
	case <-e.computed:
		return e.list, true
	default:
		return nil, false
	}
}

// Len is how many articles the cache holds.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.recency.Len()
}

// Misses is how many times Get computed suggestions.
func (c *Cache) Misses() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.misses
}

// Fingerprint sums up a list of known entities (names, types, aliases, in
// the order given), for a Version.
func Fingerprint(ents []Entity) uint64 {
	h := fnv.New64a()
	for _, e := range ents {
		h.Write([]byte(e.Name + "\x00" + e.Type + "\x00" + strings.Join(e.Aliases, "\x00") + "\x01"))
	}
	return h.Sum64()
}

package search

import (
	"context"
	"slices"
	"sync"
	"time"

	"gloss/db/sqlstore/internal/core"
)

// ranks keeps, per row of what people wrote and per query, what ranking
// the row needs: its terms' weighted counts and its length (bm25). Ranking
// a window read each of its rows' text from the table and counted the
// terms in it: 60% of a search on the 1M corpus. A class searches the same
// few words, and a window holds the newest matches, which the next search
// for them holds again; so each row is read and counted once per query
// until it changes.
//
// A row's entry goes when the search index is told the row changed
// (FlushQueued, before the write commits) and again once the write has
// committed (settle): a search whose snapshot was taken in between read
// the text from before the change. A search puts what it counted for a row
// only if the row has not changed since the search began (recent), so what
// it read from an older snapshot is never kept after the drop that followed.
//
// Only the counts are kept: what a search may see is checked in SQL every
// time, and results show the rows as read then. Bounded: two generations
// of rankCacheRows rows each; the older is dropped when the newer fills.
//
// Articles are ranked by FTS5's bm25() instead, whose cost grows with the
// matches (every article, for a common word: 10% of the CPU of the 1M
// corpus's mixed load). Their window is the same for everyone who asks
// (articles have no audience), so the windows of searches without
// filters on articles are kept whole, keyed by the match and by the
// index's structure record, which every change to an article's entry
// changes, whichever process made it (searchSQL.articles): a window read
// from a snapshot before a change is never asked for after it.
//
// The rows' counts assume this process is the only one writing the file,
// as the page cache does: another process's edit of the text of a row
// already counted (web seed only adds what is new, or changes a starter
// annotation it imported) would leave its rank, never what is found or who
// may see it, as it was until the row changes here or the server restarts.
type rankCache struct {
	mu       sync.Mutex
	cur, old map[rankRow][]rankCounts
	recent   map[rankRow]time.Time // when a row last changed, for rankSearchMax
	pending  []rankRow             // dropped before a commit, to drop again after it
	all      bool                  // too many pending: drop everything after it
	allAt    time.Time             // when everything was dropped last

	articles map[string][]candidate // articles' windows, by key
}

// articleWindows bounds the articles' windows kept (up to 1,001 hits of
// 32 bytes each).
const articleWindows = 64

// rankSearchMax is how long a search may run and still keep what it
// counted: changes are remembered that long.
const rankSearchMax = time.Minute

// rankCacheRows bounds each generation: on the 1M corpus's mixed load,
// 14 queries' windows hold about 28,000 rows, a few MiB.
const rankCacheRows = 20000

// rankPendingMax bounds the ids remembered between a flush and its
// commit; beyond (a bulk load), everything is dropped after it instead.
const rankPendingMax = 10000

// rankRow is a row of a table of what people wrote.
type rankRow struct {
	table string // "annotations" or "notes"
	id    int64
}

// rankCounts is what a row holds of one query's terms.
type rankCounts struct {
	query string // searchquery.Counter.Key
	freq  []float64
	words int
}

// begin is when a search begins, before its snapshot (in a View, when the
// View began).
func (c *rankCache) begin(ctx context.Context) time.Time { return core.ReadsSince(ctx) }

// articleWindow returns the articles' window kept for key (a copy).
func (c *rankCache) articleWindow(key string) ([]candidate, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	w, ok := c.articles[key]
	return slices.Clone(w), ok
}

// keepArticleWindow keeps the articles' window for key.
func (c *rankCache) keepArticleWindow(key string, w []candidate) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.articles == nil || len(c.articles) >= articleWindows {
		c.articles = make(map[string][]candidate)
	}
	c.articles[key] = slices.Clone(w)
}

// get returns what row holds of query's terms, if kept.
func (c *rankCache) get(row rankRow, query string) (freq []float64, words int, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, m := range []map[rankRow][]rankCounts{c.cur, c.old} {
		for _, rc := range m[row] {
			if rc.query == query {
				if i == 1 { // in use: keep it in the newer generation
					c.keep(row, rc)
				}
				return rc.freq, rc.words, true
			}
		}
	}
	return nil, 0, false
}

// put keeps what row holds of query's terms, counted by a search that
// began at began: unless the row has changed since.
func (c *rankCache) put(began time.Time, row rankRow, query string, freq []float64, words int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(began) > rankSearchMax || !c.allAt.Before(began) || !c.recent[row].Before(began) {
		return
	}
	c.keep(row, rankCounts{query: query, freq: freq, words: words})
}

// keep adds rc to the newer generation (c.mu held).
func (c *rankCache) keep(row rankRow, rc rankCounts) {
	if c.cur == nil || len(c.cur) >= rankCacheRows {
		c.old, c.cur = c.cur, make(map[rankRow][]rankCounts)
	}
	for _, have := range c.cur[row] {
		if have.query == rc.query {
			return
		}
	}
	c.cur[row] = append(c.cur[row], rc)
}

// changed drops the rows of table with ids, about to change in a write
// that has not committed yet; settle drops them again once it has.
func (c *rankCache) changed(table string, ids []int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if table == "articles" {
		if len(ids) > 0 {
			c.articles = nil // keyed by what is gone once this commits
		}
		return
	}
	if len(c.pending)+len(ids) > rankPendingMax {
		c.all, c.pending = true, nil
	}
	now := time.Now()
	for _, id := range ids {
		row := rankRow{table, id}
		if c.all {
			delete(c.cur, row)
			delete(c.old, row)
			continue
		}
		c.drop(row, now)
		c.pending = append(c.pending, row)
	}
}

// changedAll drops everything, as every row is about to change (the index
// rebuilt); settle drops everything again after the commit.
func (c *rankCache) changedAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cur, c.old, c.all, c.pending = nil, nil, true, nil
	c.articles = nil
}

// settle runs after a write has committed: the rows it changed are
// dropped again (a search may have read them from the snapshot before).
func (c *rankCache) settle() {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	if c.all {
		c.cur, c.old, c.recent, c.all, c.allAt = nil, nil, nil, false, now
	}
	for _, row := range c.pending {
		c.drop(row, now)
	}
	c.pending = c.pending[:0]
}

// drop forgets row, changed at now (c.mu held). Changes older than any
// search that may still keep what it counted are forgotten too.
func (c *rankCache) drop(row rankRow, now time.Time) {
	delete(c.cur, row)
	delete(c.old, row)
	if c.recent == nil {
		c.recent = make(map[rankRow]time.Time)
	}
	if len(c.recent) >= rankPendingMax {
		for r, at := range c.recent {
			if now.Sub(at) > rankSearchMax {
				delete(c.recent, r)
			}
		}
	}
	c.recent[row] = now
}

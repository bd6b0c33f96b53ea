package search

import (
	"context"
	"strconv"
	"testing"
	"time"
)

func TestRankCache(t *testing.T) {
	row := rankRow{"annotations", 7}
	has := func(c *rankCache, row rankRow, query string) bool {
		_, _, ok := c.get(row, query)
		return ok
	}
	// after is a search beginning a moment after the last change (the
	// clock may not have moved between two calls).
	after := func(c *rankCache) time.Time { time.Sleep(time.Millisecond); return c.begin(context.Background()) }

	t.Run("KeptPerRowAndQuery", func(t *testing.T) {
		var c rankCache
		c.put(c.begin(context.Background()), row, "q1", []float64{2}, 9)
		if freq, words, ok := c.get(row, "q1"); !ok || freq[0] != 2 || words != 9 {
			t.Errorf("got %v %d %v", freq, words, ok)
		}
		if has(&c, row, "q2") || has(&c, rankRow{"notes", 7}, "q1") {
			t.Error("another query's or table's counts were given")
		}
	})

	t.Run("AChangeDropsTheRow", func(t *testing.T) {
		var c rankCache
		c.put(c.begin(context.Background()), row, "q", []float64{1}, 3)
		c.changed("annotations", []int64{7})
		if has(&c, row, "q") {
			t.Error("a row about to change is still kept")
		}
	})

	// A search that began before a change may have read the text from
	// before it: what it counted is not kept, for that row.
	t.Run("NotFromBeforeTheChange", func(t *testing.T) {
		var c rankCache
		began := c.begin(context.Background())
		time.Sleep(time.Millisecond)
		c.changed("annotations", []int64{7})
		c.settle()
		c.put(began, row, "q", []float64{1}, 3)
		if has(&c, row, "q") {
			t.Error("counts read before the change were kept")
		}
		c.put(began, rankRow{"annotations", 8}, "q", []float64{1}, 3)
		if !has(&c, rankRow{"annotations", 8}, "q") {
			t.Error("a row that did not change was not kept")
		}
	})

	// Between the index's flush and the commit, a new search still reads
	// the old text: the commit drops what it kept, and refuses what it
	// keeps after.
	t.Run("DroppedAgainAfterTheCommit", func(t *testing.T) {
		var c rankCache
		c.changed("annotations", []int64{7})
		began := after(&c)
		c.put(began, row, "q", []float64{1}, 3)
		c.settle()
		if has(&c, row, "q") {
			t.Error("counts read before the commit outlived it")
		}
		c.put(began, row, "q", []float64{1}, 3)
		if has(&c, row, "q") {
			t.Error("a search from before the commit kept counts after it")
		}
		c.put(after(&c), row, "q", []float64{5}, 3)
		if freq, _, ok := c.get(row, "q"); !ok || freq[0] != 5 {
			t.Error("a search after the commit did not keep its counts")
		}
	})

	t.Run("ABulkChangeDropsEverything", func(t *testing.T) {
		var c rankCache
		began := c.begin(context.Background())
		c.put(began, rankRow{"notes", 1}, "q", []float64{1}, 3)
		ids := make([]int64, rankPendingMax+1)
		for i := range ids {
			ids[i] = int64(1000 + i)
		}
		c.changed("annotations", ids)
		if len(c.pending) != 0 || len(c.recent) > rankPendingMax {
			t.Errorf("a bulk change is remembered row by row: %d pending, %d recent", len(c.pending), len(c.recent))
		}
		c.settle()
		if has(&c, rankRow{"notes", 1}, "q") {
			t.Error("after a bulk change, other rows' counts are kept")
		}
		c.put(began, rankRow{"notes", 2}, "q", []float64{1}, 3)
		if has(&c, rankRow{"notes", 2}, "q") {
			t.Error("a search from before a bulk change kept counts")
		}
	})

	t.Run("Bounded", func(t *testing.T) {
		var c rankCache
		began := c.begin(context.Background())
		for i := range 2*rankCacheRows + 1 {
			c.put(began, rankRow{"notes", int64(i)}, "q", nil, 1)
		}
		if n := len(c.cur) + len(c.old); n > 2*rankCacheRows {
			t.Errorf("%d rows kept", n)
		}
		if has(&c, rankRow{"notes", 0}, "q") {
			t.Error("the oldest generation was not dropped")
		}
	})
	// Whether a window is still true is its key's business (the index's
	// structure record: TestSearchSeesAnotherProcess, the contract's
	// revisions); the cache gives copies and forgets what a change made
	// old.
	t.Run("ArticleWindows", func(t *testing.T) {
		var c rankCache
		w := []candidate{{kind: "article", id: 1, rank: -2}, {kind: "article", id: 2, rank: -1}}
		c.keepArticleWindow("q", w)
		got, ok := c.articleWindow("q")
		if !ok || len(got) != 2 || got[0] != w[0] {
			t.Fatalf("got %v %v", got, ok)
		}
		got[0].id = 9 // a caller sorts and cuts what it is given
		if again, _ := c.articleWindow("q"); again[0].id != 1 {
			t.Error("the kept window changed with the copy given out")
		}
		c.changed("annotations", []int64{5})
		c.settle()
		if _, ok := c.articleWindow("q"); !ok {
			t.Error("a change to an annotation dropped the articles' windows")
		}
		c.changed("articles", []int64{5})
		if _, ok := c.articleWindow("q"); ok {
			t.Error("the windows outlived a change to an article's entry")
		}
		for i := range articleWindows + 1 {
			c.keepArticleWindow(strconv.Itoa(i), w)
		}
		if len(c.articles) > articleWindows {
			t.Errorf("%d windows kept", len(c.articles))
		}
	})
}

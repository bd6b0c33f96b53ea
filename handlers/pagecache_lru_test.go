package handlers

import (
	"bytes"
	"container/list"
	"fmt"
	"testing"
)

// TestPageCacheBound: kept pages stay within their bytes, the least
// recently used going first; a page of another generation is never
// served, and a late render does not replace a newer page.
func TestPageCacheBound(t *testing.T) {
	pc := &pageCache{max: 4 * (1000 + 128 + 6), order: list.New(), pages: map[string]*list.Element{}}
	page := func(key string, g generation) *keptPage {
		return &keptPage{key: key, gen: g, body: bytes.Repeat([]byte{'x'}, 1000-len(key))}
	}
	for i := range 4 {
		pc.put(page(fmt.Sprintf("k%d", i), 1))
	}
	if _, ok := pc.get("k0", 1); !ok { // k0 is now the most recent
		t.Fatal("k0 not kept")
	}
	pc.put(page("k4", 1))
	if _, ok := pc.get("k1", 1); ok {
		t.Error("the least recently used page (k1) was not dropped")
	}
	for _, k := range []string{"k0", "k2", "k3", "k4"} {
		if _, ok := pc.get(k, 1); !ok {
			t.Errorf("%s dropped", k)
		}
	}
	if pc.size > pc.max || len(pc.pages) != pc.order.Len() {
		t.Errorf("size %d over %d, or %d pages in the map and %d in the list", pc.size, pc.max, len(pc.pages), pc.order.Len())
	}
	if _, ok := pc.get("k0", 2); ok {
		t.Error("a page of generation 1 was served in generation 2")
	}
	if _, ok := pc.pages["k0"]; ok {
		t.Error("a stale page stayed")
	}
	pc.put(page("k2", 3))
	pc.put(page("k2", 2)) // a slow render finishing late
	if p, ok := pc.get("k2", 3); !ok || p.gen != 3 {
		t.Error("a late render replaced a newer page")
	}
	pc.put(&keptPage{key: "huge", gen: 3, body: make([]byte, pc.max)})
	if _, ok := pc.get("huge", 3); ok {
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

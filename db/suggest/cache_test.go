package suggest

import (
	"strings"
	"sync"
	"testing"
)

func TestCache(t *testing.T) {
	c := NewCache(2)
	calls := 0
	compute := func(n int) func() []Suggestion {
		return func() []Suggestion {
			calls++
			return make([]Suggestion, n)
		}
	}
	v1 := Version{Revision: 1}
	t.Run("OncePerVersion", func(t *testing.T) {
		if _, ok := c.Peek(1, v1); ok {
			t.Fatal("Peek found what was never computed")
		}
		if got := c.Get(1, v1, compute(3)); len(got) != 3 {
			t.Fatalf("got %d", len(got))
		}
		if got := c.Get(1, v1, compute(5)); len(got) != 3 || calls != 1 {
			t.Fatalf("computed %d times, got %d suggestions", calls, len(got))
		}
		if got, ok := c.Peek(1, v1); !ok || len(got) != 3 {
			t.Errorf("Peek: %d, %v", len(got), ok)
		}
		if _, ok := c.Peek(1, Version{Revision: 2}); ok {
			t.Error("Peek found another revision's")
		}
	})
	t.Run("NewRevisionOrEntities", func(t *testing.T) {
		if got := c.Get(1, Version{Revision: 2}, compute(4)); len(got) != 4 || calls != 2 {
			t.Fatalf("a new revision: computed %d times, got %d", calls, len(got))
		}
		if got := c.Get(1, Version{Revision: 2, Entities: 9}, compute(6)); len(got) != 6 || calls != 3 {
			t.Fatalf("new entities: computed %d times, got %d", calls, len(got))
		}
		if c.Len() != 1 {
			t.Errorf("an article is kept once, not per version: %d entries", c.Len())
		}
	})
	t.Run("Bounded", func(t *testing.T) {
		c.Get(2, v1, compute(1))
		c.Get(3, v1, compute(1)) // pushes out article 1, read least recently
		if c.Len() != 2 {
			t.Fatalf("%d entries, want 2", c.Len())
		}
		before := calls
		c.Get(3, v1, compute(1))
		c.Get(2, v1, compute(1))
		if calls != before {
			t.Errorf("articles 2 and 3 were computed again")
		}
		c.Get(1, Version{Revision: 2, Entities: 9}, compute(6))
		if calls != before+1 {
			t.Errorf("article 1 was kept beyond the cache's size")
		}
		if c.Misses() != calls {
			t.Errorf("misses %d, computations %d", c.Misses(), calls)
		}
	})
	t.Run("ConcurrentReadersComputeOnce", func(t *testing.T) {
		c := NewCache(4)
		var mu sync.Mutex
		n := 0
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				got := c.Get(7, v1, func() []Suggestion {
					mu.Lock()
					n++
					mu.Unlock()
					return make([]Suggestion, 2)
				})
				if len(got) != 2 {
					t.Errorf("got %d", len(got))
				}
			})
		}
		wg.Wait()
		if n != 1 {
			t.Errorf("computed %d times", n)
		}
	})
}

func TestFingerprint(t *testing.T) {
	a := []Entity{{Name: "UNHCR", Type: "organization", Aliases: []string{"UN refugee agency"}}}
	b := []Entity{{Name: "UNHCR", Type: "organization"}}
	if Fingerprint(a) == Fingerprint(b) || Fingerprint(a) != Fingerprint([]Entity{a[0]}) {
		t.Error("an alias added does not change the fingerprint, or the same list gives another")
	}
}

func TestKeys(t *testing.T) {
	text := "About 5,000 people fled. Smith said it. Later 5,000 people returned, Smith said."
	list := Extract(text, Options{})
	keys := map[string]Suggestion{}
	for _, s := range list {
		if !ValidKey(s.Key) || !strings.HasPrefix(s.Key, s.Kind+"-") {
			t.Errorf("key %q of %s %q", s.Key, s.Kind, s.Text)
		}
		if o, dup := keys[s.Key]; dup {
			t.Errorf("%q and %q share the key %s", o.Text, s.Text, s.Key)
		}
		keys[s.Key] = s
	}
	// A revision that moves the passages keeps their keys.
	moved := Extract("A new first sentence. "+text, Options{})
	if len(moved) != len(list) {
		t.Fatalf("%d suggestions after the move, %d before", len(moved), len(list))
	}
	for i := range list {
		if moved[i].Key != list[i].Key || moved[i].Start == list[i].Start {
			t.Errorf("%q: key %s at %d, moved: %s at %d", list[i].Text, list[i].Key, list[i].Start, moved[i].Key, moved[i].Start)
		}
	}
	for _, bad := range []string{"", "figure", "figure-", "comment-0123456789abcdef", "figure-0123456789ABCDEF", "figure-0123456789abcdeg", "figure-0123456789abcdef0"} {
		if ValidKey(bad) {
			t.Errorf("ValidKey(%q)", bad)
		}
	}
}

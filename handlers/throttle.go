package handlers

import (
	"sync"
	"time"
)

// throttle slows down password guessing. After `free` failures for a key
// (an IP address or an account), each further failure locks the key for
// twice as long as the last, from `base` up to `max`. Success resets it.
type throttle struct {
	mu      sync.Mutex
	now     func() time.Time
	free    int
	base    time.Duration
	max     time.Duration
	entries map[string]*strikes
}

type strikes struct {
	failures int
	until    time.Time
	last     time.Time
}

func newThrottle(free int, base, max time.Duration) *throttle {
	return &throttle{now: time.Now, free: free, base: base, max: max, entries: map[string]*strikes{}}
}

// wait returns how long the key must wait before its next try (0: go ahead).
func (t *throttle) wait(key string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	if s, ok := t.entries[key]; ok {
		if d := s.until.Sub(t.now()); d > 0 {
			return d
		}
	}
	return 0
}

// fail records a failed try and says whether it locked the key.
func (t *throttle) fail(key string) (locked bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.prune(now)
	s, ok := t.entries[key]
	if !ok {
		s = &strikes{}
		t.entries[key] = s
	}
	s.failures++
	s.last = now
	if over := s.failures - t.free; over > 0 {
		lock := t.base << min(over-1, 20)
		if lock > t.max || lock <= 0 {
			lock = t.max
		}
		s.until = now.Add(lock)
		return true
	}
	return false
}

// reset forgets a key's failures.
func (t *throttle) reset(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.entries, key)
}

// prune drops keys that are unlocked and quiet for a day, so memory stays
// bounded by recent activity.
func (t *throttle) prune(now time.Time) {
	if len(t.entries) < 10_000 {
		return
	}
	for k, s := range t.entries {
		if now.After(s.until) && now.Sub(s.last) > 24*time.Hour {
			delete(t.entries, k)
		}
	}
}

package handlers

import (
	"sync"
	"time"
)

// Sign-in throttling, in two parts. Each account gets a few password
// checks, then a lock that doubles with each further failure; the checks
// are reserved before they run, so parallel requests cannot get more of
// them than one after another would. Each address (a school's NAT may put
// a class behind one) has a bucket of failures that refills steadily: a
// typo costs one token for a while, not a lock for everyone behind it.

// attempts counts password checks per account. After `free` failures, each
// further failure locks the key for twice as long as the last, from `base`
// up to `max`; while locked, or while the free checks are all in flight, a
// request gets no check. Success resets the key.
type attempts struct {
	mu      sync.Mutex
	now     func() time.Time
	free    int
	base    time.Duration
	max     time.Duration
	entries map[string]*strikes
}

type strikes struct {
	failures int
	inflight int // checks reserved and not yet ended
	until    time.Time
	last     time.Time
}

// busyWait is what a request is told to wait when its account's checks are
// all in flight (it is not locked: the answer comes within a second).
const busyWait = time.Second

func newAttempts(free int, base, max time.Duration) *attempts {
	return &attempts{now: time.Now, free: free, base: base, max: max, entries: map[string]*strikes{}}
}

// begin reserves a password check for key and returns 0, or returns how
// long to wait without reserving anything. A reservation must be ended
// (end or release).
func (a *attempts) begin(key string) time.Duration {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	a.prune(now)
	s, ok := a.entries[key]
	if !ok {
		s = &strikes{}
		a.entries[key] = s
	}
	if d := s.until.Sub(now); d > 0 {
		return d
	}
	// The free checks, then (once they failed and any lock is over) one at
	// a time.
	if s.failures+s.inflight < a.free || s.inflight == 0 {
		s.inflight++
		s.last = now
		return 0
	}
	return busyWait
}

// end ends a reservation with the check's outcome: success forgets the
// key; a failure counts, and with strict (the request came from an address
// past its budget) leaves the account no free checks, so the next failure
// locks it at once.
func (a *attempts) end(key string, ok, strict bool) (locked bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.entries[key]
	if s == nil {
		return false
	}
	s.inflight = max(0, s.inflight-1)
	if ok {
		if s.inflight == 0 {
			delete(a.entries, key)
		} else {
			s.failures, s.until = 0, time.Time{}
		}
		return false
	}
	now := a.now()
	s.failures++
	if strict {
		s.failures = max(s.failures, a.free+1)
	}
	s.last = now
	if over := s.failures - a.free; over > 0 {
		lock := a.base << min(over-1, 20)
		if lock > a.max || lock <= 0 {
			lock = a.max
		}
		s.until = now.Add(lock)
		return true
	}
	return false
}

// release ends a reservation whose check did not happen (an error that is
// not a wrong password).
func (a *attempts) release(key string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if s := a.entries[key]; s != nil {
		s.inflight = max(0, s.inflight-1)
	}
}

// prune drops keys that are unlocked, idle and quiet for a day, so memory
// stays bounded by recent activity.
func (a *attempts) prune(now time.Time) {
	if len(a.entries) < 10_000 {
		return
	}
	for k, s := range a.entries {
		if s.inflight == 0 && now.After(s.until) && now.Sub(s.last) > 24*time.Hour {
			delete(a.entries, k)
		}
	}
}

// bucket is a token bucket per key (an address): it holds up to capacity
// tokens, gains one every refill, and each failed sign-in takes one.
type bucket struct {
	mu       sync.Mutex
	now      func() time.Time
	capacity float64
	refill   time.Duration
	entries  map[string]*level
}

type level struct {
	tokens float64
	at     time.Time
}

func newBucket(capacity int, refill time.Duration) *bucket {
	return &bucket{now: time.Now, capacity: float64(capacity), refill: refill, entries: map[string]*level{}}
}

// fill brings a key's tokens up to now, creating it full.
func (b *bucket) fill(key string, now time.Time) *level {
	l, ok := b.entries[key]
	if !ok {
		b.prune(now)
		l = &level{tokens: b.capacity, at: now}
		b.entries[key] = l
		return l
	}
	if gained := float64(now.Sub(l.at)) / float64(b.refill); gained > 0 {
		l.tokens = min(b.capacity, l.tokens+gained)
	}
	l.at = now
	return l
}

// take takes a token for a sign-in about to be checked, or, when the
// bucket is empty, returns false and how long until a token is back.
func (b *bucket) take(key string) (bool, time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	l := b.fill(key, now)
	if l.tokens >= 1 {
		l.tokens--
		return true, 0
	}
	return false, time.Duration((1 - l.tokens) * float64(b.refill))
}

// give returns a token taken for a check that did not fail.
func (b *bucket) give(key string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	l := b.fill(key, b.now())
	l.tokens = min(b.capacity, l.tokens+1)
}

// prune drops keys whose bucket has been full for a day.
func (b *bucket) prune(now time.Time) {
	if len(b.entries) < 10_000 {
		return
	}
	full := time.Duration(b.capacity * float64(b.refill))
	for k, l := range b.entries {
		if now.Sub(l.at) > full+24*time.Hour {
			delete(b.entries, k)
		}
	}
}

package handlers

import (
	"context"
	"time"

	"gloss/db"
)

// Sign-in throttling, in two parts. Each account gets a few password
// checks, then a lock that doubles with each further failure; the checks
// are reserved before they run, so parallel requests cannot get more of
// them than one after another would. Each address (a school's NAT may put
// a class behind one) has a bucket of failures that refills steadily: a
// typo costs one token for a while, not a lock for everyone behind it.
//
// The counts live in the store (db.Throttles), which changes one key at a
// time for every instance of Gloss on the database: several instances
// behind a load balancer count one account's sign-ins together.

// attempts counts password checks per account. After `free` failures, each
// further failure locks the key for twice as long as the last, from `base`
// up to `max`; while locked, or while the free checks are all in flight, a
// request gets no check. Success resets the key.
type attempts struct {
	store db.Throttles
	free  int
	base  time.Duration
	max   time.Duration
}

// busyWait is what a request is told to wait when its account's checks are
// all in flight (it is not locked: the answer comes within a second).
const busyWait = time.Second

// staleReservation is how long a reserved check may stay in flight with
// nothing else happening to its account: past it, the instance that
// reserved it is taken to have stopped before ending it.
const staleReservation = time.Minute

// forgetAfter is how long a key's counts outlive its last failure or lock.
const forgetAfter = 24 * time.Hour

func newAttempts(store db.Throttles, free int, base, max time.Duration) *attempts {
	return &attempts{store: store, free: free, base: base, max: max}
}

// forget is when an account's counts may be forgotten: at once when there
// are none, else a day after the later of the last change and the lock.
func (a *attempts) forget(c *db.ThrottleCounts, now time.Time) time.Time {
	if c.Failures == 0 && c.Inflight == 0 {
		return now
	}
	last := c.At
	if c.Until.After(last) {
		last = c.Until
	}
	return last.Add(forgetAfter)
}

// begin reserves a password check for key and returns 0, or returns how
// long to wait without reserving anything. A reservation must be ended
// (end or release).
func (a *attempts) begin(ctx context.Context, key string) (time.Duration, error) {
	var wait time.Duration
	err := a.store.Throttle(ctx, key, func(c *db.ThrottleCounts, now time.Time) time.Time {
		wait = 0
		if now.Sub(c.At) > staleReservation {
			c.Inflight = 0
		}
		if d := c.Until.Sub(now); d > 0 {
			wait = d
			return a.forget(c, now)
		}
		// The free checks, then (once they failed and any lock is over)
		// one at a time.
		if c.Failures+c.Inflight < a.free || c.Inflight == 0 {
			c.Inflight++
			c.At = now
		} else {
			wait = busyWait
		}
		return a.forget(c, now)
	})
	return wait, err
}

// end ends a reservation with the check's outcome: success forgets the
// failures; a failure counts, and with strict (the request came from an
// address past its budget) leaves the account no free checks, so the next
// failure locks it at once. It says whether the failure locked the key.
func (a *attempts) end(ctx context.Context, key string, ok, strict bool) (locked bool, err error) {
	err = a.store.Throttle(ctx, key, func(c *db.ThrottleCounts, now time.Time) time.Time {
		locked = false
		c.Inflight = max(0, c.Inflight-1)
		c.At = now
		if ok {
			c.Failures, c.Until = 0, time.Time{}
			return a.forget(c, now)
		}
		c.Failures++
		if strict {
			c.Failures = max(c.Failures, a.free+1)
		}
		if over := c.Failures - a.free; over > 0 {
			lock := a.base << min(over-1, 20)
			if lock > a.max || lock <= 0 {
				lock = a.max
			}
			c.Until = now.Add(lock)
			locked = true
		}
		return a.forget(c, now)
	})
	return locked, err
}

// release ends a reservation whose check did not happen (an error that is
// not a wrong password).
func (a *attempts) release(ctx context.Context, key string) error {
	return a.store.Throttle(ctx, key, func(c *db.ThrottleCounts, now time.Time) time.Time {
		c.Inflight = max(0, c.Inflight-1)
		return a.forget(c, now)
	})
}

// bucket is a token bucket per key (an address): it holds up to capacity
// tokens, gains one every refill, and each failed sign-in takes one. A
// full bucket is not stored: a key the store does not hold is full.
type bucket struct {
	store    db.Throttles
	capacity float64
	refill   time.Duration
}

func newBucket(store db.Throttles, capacity int, refill time.Duration) *bucket {
	return &bucket{store: store, capacity: float64(capacity), refill: refill}
}

// fill brings a key's tokens up to now (a new key is full).
func (b *bucket) fill(c *db.ThrottleCounts, now time.Time) {
	if c.At.IsZero() {
		c.Tokens = b.capacity
	} else if gained := float64(now.Sub(c.At)) / float64(b.refill); gained > 0 {
		c.Tokens = min(b.capacity, c.Tokens+gained)
	}
	c.At = now
}

// forget is when the bucket is full again, and so may be forgotten.
func (b *bucket) forget(c *db.ThrottleCounts, now time.Time) time.Time {
	return now.Add(time.Duration((b.capacity - c.Tokens) * float64(b.refill)))
}

// take takes a token for a sign-in about to be checked, or, when the
// bucket is empty, returns false and how long until a token is back.
func (b *bucket) take(ctx context.Context, key string) (ok bool, wait time.Duration, err error) {
	err = b.store.Throttle(ctx, key, func(c *db.ThrottleCounts, now time.Time) time.Time {
		b.fill(c, now)
		ok, wait = c.Tokens >= 1, 0
		if ok {
			c.Tokens--
		} else {
			wait = time.Duration((1 - c.Tokens) * float64(b.refill))
		}
		return b.forget(c, now)
	})
	return ok, wait, err
}

// give returns a token taken for a check that did not fail.
func (b *bucket) give(ctx context.Context, key string) error {
	return b.store.Throttle(ctx, key, func(c *db.ThrottleCounts, now time.Time) time.Time {
		b.fill(c, now)
		c.Tokens = min(b.capacity, c.Tokens+1)
		return b.forget(c, now)
	})
}

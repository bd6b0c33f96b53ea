package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"gloss/db"
)

// TestThrottles: a key's counts change one write at a time, however many
// ask at once (the sign-in throttles reserve checks with them), and are
// forgotten when their change says so.
func TestThrottles(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	d.SetClock(func() time.Time { return now })
	keep := func(c *db.ThrottleCounts, now time.Time) time.Time { return now.Add(time.Hour) }
	read := func(key string) db.ThrottleCounts {
		t.Helper()
		var got db.ThrottleCounts
		if err := d.Throttle(ctx, key, func(c *db.ThrottleCounts, now time.Time) time.Time {
			got = *c
			return keep(c, now)
		}); err != nil {
			t.Fatal(err)
		}
		return got
	}

	if got := read("account:new"); got != (db.ThrottleCounts{}) {
		t.Errorf("a key never seen: %+v, want zero counts", got)
	}

	// Fifty at once, each adding one: fifty.
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := d.Throttle(ctx, "account:busy", func(c *db.ThrottleCounts, now time.Time) time.Time {
				c.Inflight++
				c.Failures += 2
				c.Tokens += 0.5
				return keep(c, now)
			}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := read("account:busy"); got.Inflight != 50 || got.Failures != 100 || got.Tokens != 25 {
		t.Errorf("after 50 changes at once: %+v", got)
	}

	// Times come back as they went in (to the millisecond), in UTC.
	until := now.Add(90 * time.Second)
	if err := d.Throttle(ctx, "ip:school", func(c *db.ThrottleCounts, now time.Time) time.Time {
		c.Until, c.At, c.Tokens = until.In(time.FixedZone("KST", 9*3600)), now, 2.25
		return keep(c, now)
	}); err != nil {
		t.Fatal(err)
	}
	if got := read("ip:school"); !got.Until.Equal(until) || !got.At.Equal(now) || got.Tokens != 2.25 {
		t.Errorf("times and tokens: %+v", got)
	}

	// A change that says "forget now" forgets; counts past their time are
	// forgotten too.
	if err := d.Throttle(ctx, "ip:school", func(c *db.ThrottleCounts, now time.Time) time.Time { return now }); err != nil {
		t.Fatal(err)
	}
	if got := read("ip:school"); got != (db.ThrottleCounts{}) {
		t.Errorf("forgotten key: %+v", got)
	}
	now = now.Add(2 * time.Hour)
	if got := read("account:busy"); got != (db.ThrottleCounts{}) {
		t.Errorf("a key past its time: %+v", got)
	}
}

package handlers

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"gloss/db/sqlite"
)

// throttleStore is a store whose clock the test sets, for the throttles'
// counts.
func throttleStore(t *testing.T, now *time.Time) *sqlite.Store {
	t.Helper()
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "gloss.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	store.SetClock(func() time.Time { return *now })
	return store
}

// must fails the test on a throttle's error and returns its value.
func must[T any](t *testing.T) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// TestIPBucketDecays (issue 15, finding 4): an address's failures drain a
// bucket that refills with time, so after a burst one typo costs one token,
// not another lock for everyone behind the address.
func TestIPBucketDecays(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	b := newBucket(throttleStore(t, &now), 30, 30*time.Second)
	ctx := context.Background()
	take := func(key string) (bool, time.Duration) {
		t.Helper()
		ok, wait, err := b.take(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		return ok, wait
	}
	for i := 0; i < 30; i++ {
		if ok, _ := take("ip:school"); !ok {
			t.Fatalf("failure %d refused: the bucket holds 30", i+1)
		}
	}
	ok, wait := take("ip:school")
	if ok || wait != 30*time.Second {
		t.Fatalf("an empty bucket: %v, wait %v", ok, wait)
	}
	// A minute on: two tokens are back, not the whole lock again.
	now = now.Add(time.Minute)
	for i := 0; i < 2; i++ {
		if ok, _ := take("ip:school"); !ok {
			t.Fatalf("token %d after a minute refused", i+1)
		}
	}
	if ok, _ := take("ip:school"); ok {
		t.Error("a third token after a minute")
	}
	// Fifteen quiet minutes fill it again; a success gives its token back.
	now = now.Add(15 * time.Minute)
	for i := 0; i < 30; i++ {
		ok, _ := take("ip:school")
		if !ok {
			t.Fatalf("after 15 minutes, failure %d refused", i+1)
		}
		if err := b.give(ctx, "ip:school"); err != nil {
			t.Fatal(err)
		}
	}
	if ok, _ := take("ip:other"); !ok {
		t.Error("another address shares the school's bucket")
	}
}

// TestAccountAttemptsAreReserved (issue 15, finding 3): checks are reserved
// before they run, so five in flight leave none for a sixth; once they
// fail one more is allowed, alone; then the account locks.
func TestAccountAttemptsAreReserved(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	a := newAttempts(throttleStore(t, &now), 5, time.Second, 15*time.Minute)
	ctx := context.Background()
	begin := func(key string) time.Duration { t.Helper(); return must[time.Duration](t)(a.begin(ctx, key)) }
	end := func(key string, ok, strict bool) { t.Helper(); must[bool](t)(a.end(ctx, key, ok, strict)) }
	for i := 0; i < 5; i++ {
		if w := begin("account:ada"); w != 0 {
			t.Fatalf("check %d refused", i+1)
		}
	}
	if w := begin("account:ada"); w == 0 {
		t.Fatal("a sixth check while five are in flight")
	}
	for i := 0; i < 5; i++ {
		end("account:ada", false, false)
	}
	if w := begin("account:ada"); w != 0 {
		t.Fatal("after five failures, one more check is allowed")
	}
	if w := begin("account:ada"); w == 0 {
		t.Fatal("two checks at once after the free ones")
	}
	end("account:ada", false, false)
	if w := begin("account:ada"); w != time.Second {
		t.Fatalf("the sixth failure locks for a second: wait %v", w)
	}
	// From an address past its budget, an account gets no free checks.
	if w := begin("account:bo"); w != 0 {
		t.Fatal("a fresh account refused")
	}
	end("account:bo", false, true)
	if w := begin("account:bo"); w == 0 {
		t.Error("a strict failure left the account free checks")
	}
	// Success forgets the failures.
	now = now.Add(time.Hour)
	if w := begin("account:ada"); w != 0 {
		t.Fatal("the lock did not end")
	}
	end("account:ada", true, false)
	for i := 0; i < 5; i++ {
		if w := begin("account:ada"); w != 0 {
			t.Fatalf("after a success, check %d refused", i+1)
		}
	}
}

// TestStaleReservationsLapse: checks reserved by an instance that stopped
// before ending them do not keep the account waiting for ever.
func TestStaleReservationsLapse(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	a := newAttempts(throttleStore(t, &now), 5, time.Second, 15*time.Minute)
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		if w := must[time.Duration](t)(a.begin(ctx, "account:ada")); w != 0 {
			t.Fatalf("check %d refused", i+1)
		}
	}
	if w := must[time.Duration](t)(a.begin(ctx, "account:ada")); w != busyWait {
		t.Fatalf("a sixth check while five are in flight: wait %v", w)
	}
	now = now.Add(staleReservation + time.Second)
	if w := must[time.Duration](t)(a.begin(ctx, "account:ada")); w != 0 {
		t.Errorf("reservations a minute old still block the account: wait %v", w)
	}
}

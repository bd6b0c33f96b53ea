package handlers

import (
	"testing"
	"time"
)

// TestIPBucketDecays (issue 15, finding 4): an address's failures drain a
// bucket that refills with time, so after a burst one typo costs one token,
// not another lock for everyone behind the address.
func TestIPBucketDecays(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	b := newBucket(30, 30*time.Second)
	b.now = func() time.Time { return now }
	for i := 0; i < 30; i++ {
		if ok, _ := b.take("ip:school"); !ok {
			t.Fatalf("failure %d refused: the bucket holds 30", i+1)
		}
	}
	ok, wait := b.take("ip:school")
	if ok || wait != 30*time.Second {
		t.Fatalf("an empty bucket: %v, wait %v", ok, wait)
	}
	// A minute on: two tokens are back, not the whole lock again.
	now = now.Add(time.Minute)
	for i := 0; i < 2; i++ {
		if ok, _ := b.take("ip:school"); !ok {
			t.Fatalf("token %d after a minute refused", i+1)
		}
	}
	if ok, _ := b.take("ip:school"); ok {
		t.Error("a third token after a minute")
	}
	// Fifteen quiet minutes fill it again; a success gives its token back.
	now = now.Add(15 * time.Minute)
	for i := 0; i < 30; i++ {
		ok, _ := b.take("ip:school")
		if !ok {
			t.Fatalf("after 15 minutes, failure %d refused", i+1)
		}
		b.give("ip:school")
	}
	if ok, _ := b.take("ip:other"); !ok {
		t.Error("another address shares the school's bucket")
	}
}

// TestAccountAttemptsAreReserved (issue 15, finding 3): checks are reserved
// before they run, so five in flight leave none for a sixth; once they
// fail one more is allowed, alone; then the account locks.
func TestAccountAttemptsAreReserved(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	a := newAttempts(5, time.Second, 15*time.Minute)
	a.now = func() time.Time { return now }
	for i := 0; i < 5; i++ {
		if w := a.begin("account:ada"); w != 0 {
			t.Fatalf("check %d refused", i+1)
		}
	}
	if w := a.begin("account:ada"); w == 0 {
		t.Fatal("a sixth check while five are in flight")
	}
	for i := 0; i < 5; i++ {
		a.end("account:ada", false, false)
	}
	if w := a.begin("account:ada"); w != 0 {
		t.Fatal("after five failures, one more check is allowed")
	}
	if w := a.begin("account:ada"); w == 0 {
		t.Fatal("two checks at once after the free ones")
	}
	a.end("account:ada", false, false)
	if w := a.begin("account:ada"); w != time.Second {
		t.Fatalf("the sixth failure locks for a second: wait %v", w)
	}
	// From an address past its budget, an account gets no free checks.
	if w := a.begin("account:bo"); w != 0 {
		t.Fatal("a fresh account refused")
	}
	a.end("account:bo", false, true)
	if w := a.begin("account:bo"); w == 0 {
		t.Error("a strict failure left the account free checks")
	}
	// Success forgets the failures.
	now = now.Add(time.Hour)
	if w := a.begin("account:ada"); w != 0 {
		t.Fatal("the lock did not end")
	}
	a.end("account:ada", true, false)
	for i := 0; i < 5; i++ {
		if w := a.begin("account:ada"); w != 0 {
			t.Fatalf("after a success, check %d refused", i+1)
		}
	}
}

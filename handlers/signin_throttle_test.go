package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
)

// TestSignInThrottleCountsParallelAttempts (issue 15, finding 3): 100
// wrong passwords for one account sent at once, from as many addresses,
// get at most the account's allowed checks (five, then one more before the
// lock); every other request waits (429), and none is a 5xx.
func TestSignInThrottleCountsParallelAttempts(t *testing.T) {
	e, store := newApp(t)
	mustUser(t, store, "ada@example.org", "Ada", false)
	const n = 100
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cl := newClient(t, e)
			cl.ip = fmt.Sprintf("198.51.100.%d", i+1)
			codes[i] = cl.post("/login", url.Values{"email": {"ada@example.org"}, "password": {"wrong password!!"}}).Code
		}()
	}
	wg.Wait()
	count := map[int]int{}
	for _, c := range codes {
		count[c]++
	}
	if count[http.StatusUnauthorized] < 1 || count[http.StatusUnauthorized] > 6 || count[http.StatusTooManyRequests] != n-count[http.StatusUnauthorized] {
		t.Errorf("100 parallel wrong passwords: %v; want at most 6 checked (401), the rest 429", count)
	}
	// One more wrong password locks it (unless the sixth check happened
	// already); then even the right password waits.
	cl := newClient(t, e)
	cl.ip = "203.0.113.9"
	if rec := cl.post("/login", url.Values{"email": {"ada@example.org"}, "password": {"wrong password!!"}}); count[http.StatusUnauthorized]+btoi(rec.Code == http.StatusUnauthorized) > 6 {
		t.Errorf("a seventh check: %d", rec.Code)
	}
	if rec := cl.post("/login", url.Values{"email": {"ada@example.org"}, "password": {testPassword}}); rec.Code != http.StatusTooManyRequests {
		t.Errorf("the right password on a locked account: %d", rec.Code)
	}
}

// TestClassroomBehindOneAddress (issue 15, finding 4): a class signs in from
// one address after some of them mistyped, so many that the address is past
// its budget. Everyone who types the right password for an account that is
// not locked signs in, in parallel too; a wrong password from there is
// answered 429, and locks that account at once.
func TestClassroomBehindOneAddress(t *testing.T) {
	e, store := newApp(t)
	const class = 12
	for i := range class {
		mustUser(t, store, fmt.Sprintf("pupil%d@example.org", i), fmt.Sprintf("Pupil %d", i), false)
	}
	school := newClient(t, e)
	school.ip = "192.0.2.77"
	// 31 typos, spread over accounts that do not lock (5 each at most).
	for i := 0; i < 31; i++ {
		school.post("/login", url.Values{"email": {fmt.Sprintf("typo%d@example.org", i)}, "password": {"wrong password!!"}})
	}
	codes := make([]int, class)
	var wg sync.WaitGroup
	for i := range class {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cl := newClient(t, e)
			cl.ip = school.ip
			codes[i] = cl.post("/login", url.Values{"email": {fmt.Sprintf("pupil%d@example.org", i)}, "password": {testPassword}}).Code
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusSeeOther {
			t.Errorf("pupil %d with the right password, behind a busy address: %d", i, c)
		}
	}
	// A wrong password from the address past its budget: 429, and that
	// account has no free checks left.
	rec := school.post("/login", url.Values{"email": {"pupil0@example.org"}, "password": {"wrong password!!"}})
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Errorf("a wrong password from the busy address: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	other := newClient(t, e)
	other.ip = "203.0.113.50"
	if rec := other.post("/login", url.Values{"email": {"pupil0@example.org"}, "password": {testPassword}}); rec.Code != http.StatusTooManyRequests {
		t.Errorf("after a wrong password from the busy address the account is not locked: %d", rec.Code)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

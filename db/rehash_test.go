package db_test

import (
	"context"
	"strings"
	"testing"

	"gloss/db/password"
)

// TestAuthenticateRehashes checks that a sign-in replaces a hash made with
// weaker costs than password.Default, and leaves a current one alone.
func TestAuthenticateRehashes(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	u := mustUser(t, d, "ada@example.org", "Ada", false)
	stored := func() string {
		t.Helper()
		var h string
		if err := d.Writer().QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = ?`, u.ID).Scan(&h); err != nil {
			t.Fatal(err)
		}
		return h
	}
	current := stored()
	if _, err := d.Authenticate(ctx, u.Email, "a long enough password"); err != nil {
		t.Fatal(err)
	}
	if got := stored(); got != current {
		t.Errorf("a current hash was replaced at sign-in: %q, then %q", current, got)
	}

	// The same password hashed with one pass (argon2id, 8 KiB, 16-byte salt).
	weak := "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$V5ghpxzzJNFbeg6FWhhKRePBFzGIMAu7fosG4jjHA8s"
	if ok, err := password.Check("a long enough password", weak); !ok || err != nil {
		t.Fatalf("the weak fixture does not check: %v, %v", ok, err)
	}
	if _, err := d.Writer().ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, weak, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Authenticate(ctx, u.Email, "wrong password!!"); err == nil {
		t.Fatal("a wrong password signed in")
	}
	if got := stored(); got != weak {
		t.Errorf("a failed sign-in rehashed: %q", got)
	}
	if _, err := d.Authenticate(ctx, u.Email, "a long enough password"); err != nil {
		t.Fatal(err)
	}
	got := stored()
	if !strings.HasPrefix(got, "$argon2id$v=19$m=19456,t=2,p=1$") || password.NeedsRehash(got) {
		t.Errorf("after sign-in the hash is %q, want one with password.Default's costs", got)
	}
	if ok, err := password.Check("a long enough password", got); !ok || err != nil {
		t.Errorf("the new hash does not check: %v, %v", ok, err)
	}
	if _, err := d.Authenticate(ctx, u.Email, "a long enough password"); err != nil {
		t.Errorf("sign-in after the rehash: %v", err)
	}
}

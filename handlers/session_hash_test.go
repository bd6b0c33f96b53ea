package handlers_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"testing"
)

// TestSessionTokensStoredHashed (issue 15, finding 10): the sessions table
// holds a SHA-256 of each cookie's token, never the token, so a token read
// from a stolen database file signs no one in.
func TestSessionTokensStoredHashed(t *testing.T) {
	e, store := newApp(t)
	mustUser(t, store, "ada@example.org", "Ada", false)
	cl := signedIn(t, e, "ada@example.org")
	cookie := cl.sessionCookie()
	if cookie == "" {
		t.Fatal("no session cookie")
	}
	rows, err := store.Reader().QueryContext(context.Background(), `SELECT token FROM sessions`)
	if err != nil {
		t.Fatal(err)
	}
	var stored []string
	for rows.Next() {
		var tok string
		if err := rows.Scan(&tok); err != nil {
			t.Fatal(err)
		}
		stored = append(stored, tok)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	sum := sha256.Sum256([]byte(cookie))
	hashed := false
	for _, tok := range stored {
		if tok == cookie {
			t.Error("the session's token is stored as it is in the cookie")
		}
		hashed = hashed || tok == hex.EncodeToString(sum[:])
	}
	if !hashed {
		t.Errorf("no stored session is the cookie's SHA-256: %q", stored)
	}
	// Whoever copies a stored value into a cookie is not signed in.
	for _, tok := range stored {
		thief := newClient(t, e)
		thief.jar, _ = cookiejar.New(nil)
		u, _ := url.Parse(origin)
		thief.jar.SetCookies(u, []*http.Cookie{{Name: "gloss_session", Value: tok, Path: "/"}})
		if rec := thief.get("/account"); rec.Code == http.StatusOK {
			t.Error("a token read from the database signed someone in")
		}
	}
	if rec := cl.get("/account"); rec.Code != http.StatusOK {
		t.Errorf("the real cookie no longer works: %d", rec.Code)
	}
}

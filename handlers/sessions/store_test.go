package sessions

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"gloss/db/sqlite"

	"github.com/alexedwards/scs/v2"
)

func TestSessionStoreSkipsUnchangedCommits(t *testing.T) {
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "gloss.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	s := NewStore(store)
	var codec scs.GobCodec
	deadline := time.Now().Add(24 * time.Hour).UTC()
	data, _ := codec.Encode(deadline, map[string]any{"user_id": int64(7), "sid": "abc"})
	expiry := time.Now().Add(7 * 24 * time.Hour).UTC()

	if err := s.Commit("tok", data, expiry); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Find("tok")
	if err != nil || !ok || string(got) != string(data) {
		t.Fatalf("Find after Commit: %v %v", ok, err)
	}
	// Take the row away behind the store's back: a commit that only moves
	// the expiry a little must not write it again.
	if err := store.DeleteSession(storedToken("tok")); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit("tok", data, expiry.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Find("tok"); ok {
		t.Error("an unchanged session was written again")
	}
	// Changed data, or an expiry moved by more than sessionTouch, is written.
	if err := s.Commit("tok", data, expiry.Add(2*sessionTouch)); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Find("tok"); !ok {
		t.Error("a session whose expiry moved by hours was not written")
	}
	changed, _ := codec.Encode(deadline, map[string]any{"user_id": int64(8), "sid": "abc"})
	if err := s.Commit("tok", changed, expiry.Add(2*sessionTouch)); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := s.Find("tok"); string(got) != string(changed) {
		t.Error("changed session data was not written")
	}
	if err := s.Delete("tok"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Find("tok"); ok {
		t.Error("deleted session still found")
	}
}

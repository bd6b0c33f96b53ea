package sessions

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"reflect"
	"sync"
	"time"

	"gloss/db"

	"github.com/alexedwards/scs/v2"
)

// Store keeps scs's sessions in the store (db.Sessions), keyed by
// a hash of the cookie's token (storedToken). With an idle timeout, scs
// commits every session on every request just to push its expiry on; this
// store skips a commit whose data is unchanged and whose expiry moves by
// less than sessionTouch, so a signed-in page view is a read, not a write
// that queues behind every other write. The idle timeout is kept to within
// sessionTouch.
type Store struct {
	store db.Sessions

	mu   sync.Mutex
	last map[string]storedSession // what this process last wrote for each token
}

type storedSession struct {
	data   []byte
	expiry time.Time
}

// sessionTouch is how stale a stored expiry may get before it is written.
const sessionTouch = time.Hour

// sessionMemory bounds the map; past it the map starts again (a forgotten
// session just costs one write).
const sessionMemory = 100_000

func NewStore(store db.Sessions) *Store {
	return &Store{store: store, last: map[string]storedSession{}}
}

// storedToken is what the sessions table keeps of a cookie's token: its
// SHA-256, so a copy of the database signs no one in (the cookie holds the
// token itself, 256 random bits, which no one can find from its hash).
func storedToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func (s *Store) Find(token string) ([]byte, bool, error) {
	return s.store.FindSession(storedToken(token))
}

func (s *Store) Commit(token string, b []byte, expiry time.Time) error {
	token = storedToken(token)
	s.mu.Lock()
	prev, ok := s.last[token]
	s.mu.Unlock()
	if ok && expiry.Sub(prev.expiry) < sessionTouch && !expiry.Before(prev.expiry.Add(-time.Second)) && sameSession(prev.data, b) {
		return nil
	}
	if err := s.store.CommitSession(token, b, expiry); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.last) >= sessionMemory {
		s.last = map[string]storedSession{}
	}
	s.last[token] = storedSession{data: b, expiry: expiry}
	return nil
}

func (s *Store) Delete(token string) error {
	token = storedToken(token)
	s.mu.Lock()
	delete(s.last, token)
	s.mu.Unlock()
	return s.store.DeleteSession(token)
}

// sameSession compares two encoded sessions by what they hold (gob writes
// a map's keys in any order, so equal sessions may differ as bytes).
func sameSession(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	var codec scs.GobCodec
	da, va, err1 := codec.Decode(a)
	db, vb, err2 := codec.Decode(b)
	return err1 == nil && err2 == nil && da.Equal(db) && reflect.DeepEqual(va, vb)
}

package sessions

import (
	"bytes"
	"maps"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
)

// The keys handlers/session.go keeps a session's values under.
const (
	keyUserID = "user_id"
	keySID    = "sid"
	keyFlash  = "flash"
)

// TestSessionCodec: what Gloss keeps in a session comes back as it went in,
// types included (scs's GetInt64 asserts int64); a value of another type
// still goes through gob; and a session gob wrote (before this codec) is
// read as before, so an upgrade signs no one out.
func TestSessionCodec(t *testing.T) {
	deadline := time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC)
	for name, values := range map[string]map[string]any{
		"ours":    {keyUserID: int64(42), keySID: "sid-1", keyFlash: "Saved.", "__rememberMe": true},
		"empty":   {},
		"another": {keyUserID: int64(7), "ratio": 1.5},
	} {
		t.Run(name, func(t *testing.T) {
			b, err := Codec{}.Encode(deadline, values)
			if err != nil {
				t.Fatal(err)
			}
			d, got, err := Codec{}.Decode(b)
			if err != nil || !d.Equal(deadline) || !maps.EqualFunc(got, values, func(a, b any) bool { return a == b }) {
				t.Errorf("decoded %v %v (%v), want %v %v", d, got, err, deadline, values)
			}
		})
	}
	t.Run("WrittenByGob", func(t *testing.T) {
		values := map[string]any{keyUserID: int64(42), keySID: "sid-1"}
		b, err := scs.GobCodec{}.Encode(deadline, values)
		if err != nil {
			t.Fatal(err)
		}
		d, got, err := Codec{}.Decode(b)
		if err != nil || !d.Equal(deadline) || got[keyUserID] != int64(42) || got[keySID] != "sid-1" {
			t.Errorf("a gob session decoded as %v %v (%v)", d, got, err)
		}
	})
	t.Run("TheSameBytesEachTime", func(t *testing.T) {
		// The session store skips writing a session whose bytes did not
		// change (sessionstore.go); gob writes a map in a random order, so
		// a quarter of the signed-in requests with three values wrote.
		values := map[string]any{keyUserID: int64(42), keySID: "sid-1", keyFlash: "Saved.", "__rememberMe": true}
		first, _ := Codec{}.Encode(deadline, values)
		for range 50 {
			if b, _ := (Codec{}).Encode(deadline, values); !bytes.Equal(b, first) {
				t.Fatal("the same session encoded to other bytes")
			}
		}
	})
	t.Run("Garbled", func(t *testing.T) {
		if _, _, err := (Codec{}).Decode(append(append([]byte{}, codecMarker...), "{not json"...)); err == nil {
			t.Error("a garbled session decoded")
		}
	})
}

// BenchmarkSessionCodec: a signed-in request decodes its session once and
// encodes it once (scs commits it to push the idle timeout on).
func BenchmarkSessionCodec(b *testing.B) {
	values := map[string]any{keyUserID: int64(42), keySID: "0123456789abcdef0123456789abcdef"}
	deadline := time.Now()
	for name, c := range map[string]scs.Codec{"gob": scs.GobCodec{}, "gloss": Codec{}} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				enc, _ := c.Encode(deadline, values)
				if _, _, err := c.Decode(enc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

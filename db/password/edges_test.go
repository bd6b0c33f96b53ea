package password

import (
	"errors"
	"strings"
	"testing"
)

// Salts and keys of given lengths, base64 without padding.
func b64Of(n int) string { return b64.EncodeToString([]byte(strings.Repeat("k", n))) }

// TestDecodeEdges pins every bound decode enforces, each alone: a hash
// that is valid but for one field, at the last accepted and the first
// refused value. The refused ones use tiny costs, so a check that let
// one through would still run quickly and report a plain mismatch.
func TestDecodeEdges(t *testing.T) {
	salt, key := b64Of(16), b64Of(32)
	hash := func(version, params, salt, key string) string {
		return "$argon2id$" + version + "$" + params + "$" + salt + "$" + key
	}
	for _, c := range []struct {
		name, enc string
		ok        bool
	}{
		{"smallest costs", hash("v=19", "m=8,t=1,p=1", salt, key), true},
		{"no memory", hash("v=19", "m=0,t=1,p=1", salt, key), false},
		{"memory at the cap", hash("v=19", "m=65536,t=1,p=1", salt, key), true},
		{"memory over the cap", hash("v=19", "m=65537,t=1,p=1", salt, key), false},
		{"the old cap of 2 GiB", hash("v=19", "m=2097152,t=1,p=1", salt, key), false},
		{"no passes", hash("v=19", "m=8,t=0,p=1", salt, key), false},
		{"passes at the cap", hash("v=19", "m=8,t=16,p=1", salt, key), true},
		{"passes over the cap", hash("v=19", "m=8,t=17,p=1", salt, key), false},
		{"no lanes", hash("v=19", "m=8,t=1,p=0", salt, key), false},
		{"lanes at the cap", hash("v=19", "m=128,t=1,p=16", salt, key), true},
		{"lanes over the cap", hash("v=19", "m=136,t=1,p=17", salt, key), false},
		{"lanes beyond a byte", hash("v=19", "m=8,t=1,p=256", salt, key), false},
		{"costs unreadable", hash("v=19", "m=8,t=x,p=1", salt, key), false},
		{"argon2 version 1.0", hash("v=16", "m=8,t=1,p=1", salt, key), false},
		{"version with trailing junk", hash("v=19x", "m=8,t=1,p=1", salt, key), false},
		{"no version", hash("19", "m=8,t=1,p=1", salt, key), false},
		{"argon2i", strings.Replace(hash("v=19", "m=8,t=1,p=1", salt, key), "argon2id", "argon2i", 1), false},
		{"a field too many", hash("v=19", "m=8,t=1,p=1", salt, key) + "$", false},
		{"salt of 8 bytes", hash("v=19", "m=8,t=1,p=1", b64Of(8), key), true},
		{"salt of 7 bytes", hash("v=19", "m=8,t=1,p=1", b64Of(7), key), false},
		{"salt of 64 bytes", hash("v=19", "m=8,t=1,p=1", b64Of(64), key), true},
		{"salt of 65 bytes", hash("v=19", "m=8,t=1,p=1", b64Of(65), key), false},
		// DecodeString returns what it read before a bad byte: 12 bytes here.
		{"salt not base64 after 16 chars", hash("v=19", "m=8,t=1,p=1", b64Of(12)+"!!", key), false},
		{"key of 16 bytes", hash("v=19", "m=8,t=1,p=1", salt, b64Of(16)), true},
		{"key of 15 bytes", hash("v=19", "m=8,t=1,p=1", salt, b64Of(15)), false},
		{"key of 64 bytes", hash("v=19", "m=8,t=1,p=1", salt, b64Of(64)), true},
		{"key of 65 bytes", hash("v=19", "m=8,t=1,p=1", salt, b64Of(65)), false},
		{"key not base64 after 24 chars", hash("v=19", "m=8,t=1,p=1", salt, b64Of(18)+"!!"), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			ok, err := Check("pw", c.enc)
			if ok {
				t.Fatalf("Check(%q) matched a password it was never made from", c.enc)
			}
			if c.ok && err != nil {
				t.Errorf("Check(%q) = %v, want a plain mismatch", c.enc, err)
			}
			if !c.ok && !errors.Is(err, ErrMalformed) {
				t.Errorf("Check(%q) = %v, want ErrMalformed", c.enc, err)
			}
			if got := NeedsRehash(c.enc); got != true {
				t.Errorf("NeedsRehash(%q) = false: every hash here is weaker than Default or unreadable", c.enc)
			}
		})
	}
}

// TestCheckAtTheCaps checks a real hash made with costs at every cap: the
// caps refuse only what is beyond them.
func TestCheckAtTheCaps(t *testing.T) {
	p := Params{Memory: maxMemory, Time: 1, Threads: maxThreads, SaltLen: maxSaltLen, KeyLen: maxKeyLen}
	salt := []byte(strings.Repeat("s", int(p.SaltLen)))
	enc := "$argon2id$v=19$m=65536,t=1,p=16$" + b64.EncodeToString(salt) + "$" +
		b64.EncodeToString(idKey([]byte("pw"), salt, p.Time, p.Memory, p.Threads, p.KeyLen))
	if ok, err := Check("pw", enc); !ok || err != nil {
		t.Errorf("Check at the caps = %v, %v; want a match", ok, err)
	}
	if ok, err := Check("pW", enc); ok || err != nil {
		t.Errorf("Check of another password at the caps = %v, %v; want a mismatch", ok, err)
	}
}

// TestNeedsRehash compares a hash's costs with Default's, one at a time.
func TestNeedsRehash(t *testing.T) {
	salt, key := b64Of(16), b64Of(32)
	for params, want := range map[string]bool{
		"m=19456,t=2,p=1": false, // Default
		"m=19455,t=2,p=1": true,  // a KiB less memory
		"m=19456,t=1,p=1": true,  // a pass less
		"m=19457,t=2,p=1": false, // stronger
		"m=19456,t=3,p=1": false,
		"m=65536,t=1,p=1": true, // more memory does not make up for a pass
		"m=8,t=16,p=1":    true, // nor more passes for memory
		"m=19456,t=2,p=4": false,
	} {
		enc := "$argon2id$v=19$" + params + "$" + salt + "$" + key
		if got := NeedsRehash(enc); got != want {
			t.Errorf("NeedsRehash(%s) = %v, want %v", params, got, want)
		}
	}
	for _, enc := range []string{"", "$argon2id$v=16$m=19456,t=2,p=1$" + salt + "$" + key} {
		if !NeedsRehash(enc) {
			t.Errorf("NeedsRehash(%q) = false for a hash Check cannot read", enc)
		}
	}
}

// Package password hashes and checks passwords with argon2id, encoded in
// the PHC string format so parameters can be raised without a migration.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id costs. Default meets OWASP's minimum recommendation
// (19 MiB of memory, 2 iterations, 1 lane).
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
	SaltLen uint32
	KeyLen  uint32
}

// Default is used for every new hash.
var Default = Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

var b64 = base64.RawStdEncoding

// ErrMalformed means a stored hash could not be read, or asks for costs
// beyond the caps below.
var ErrMalformed = errors.New("password: malformed hash")

// Caps on what a stored hash may ask for. A tampered row must not make a
// sign-in allocate gigabytes or run for minutes: argon2 allocates Memory KiB
// per check, and checks run GOMAXPROCS at a time. They leave room to raise
// Default about threefold.
const (
	maxMemory  = 64 * 1024 // KiB
	maxTime    = 16
	maxThreads = 16
	maxSaltLen = 64
	maxKeyLen  = 64
)

// Hash returns the PHC-encoded argon2id hash of pw with a fresh random salt.
func Hash(pw string) (string, error) {
	p := Default
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: salt: %w", err)
	}
	key := idKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Check reports whether pw matches the encoded hash, in constant time with
// respect to the key. A malformed hash is an error, never a match.
func Check(pw, encoded string) (bool, error) {
	p, salt, key, err := decode(encoded)
	if err != nil {
		return false, err
	}
	got := idKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// slots bounds how many hashes run at once. Each takes Memory (19 MiB) and
// a core: a class of 200 signing in together would otherwise ask for
// 3.8 GB at once; queued, they take the same total time with the CPU busy.
var slots = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))

func idKey(pw, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
	slots <- struct{}{}
	defer func() { <-slots }()
	return argon2.IDKey(pw, salt, time, memory, threads, keyLen)
}

// NeedsRehash reports whether encoded was made with weaker parameters than
// Default (less memory or fewer passes), or cannot be read: after a
// successful Check, the caller stores a fresh Hash of the password.
func NeedsRehash(encoded string) bool {
	p, _, _, err := decode(encoded)
	return err != nil || p.Memory < Default.Memory || p.Time < Default.Time
}

func decode(encoded string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, nil, nil, ErrMalformed
	}
	// Only the version this argon2 package computes: a hash of another one
	// (v=16 is argon2's first) cannot be checked, and is not silently misread.
	if parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return p, nil, nil, ErrMalformed
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, ErrMalformed
	}
	// Refuse absurd costs from a tampered row rather than allocate them.
	if p.Memory == 0 || p.Memory > maxMemory || p.Time == 0 || p.Time > maxTime || p.Threads == 0 || p.Threads > maxThreads {
		return p, nil, nil, ErrMalformed
	}
	if salt, err = b64.DecodeString(parts[4]); err != nil || len(salt) < 8 || len(salt) > maxSaltLen {
		return p, nil, nil, ErrMalformed
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < 16 || len(key) > maxKeyLen {
		return p, nil, nil, ErrMalformed
	}
	return p, salt, key, nil
}

package db

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// newSecret returns a random token (256 bits, URL-safe) with a prefix that
// tells what it is, and the hash under which it is stored. Only the hash is
// kept, so a leaked database does not leak working tokens.
func NewSecret(prefix string) (raw, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	raw = prefix + base64.RawURLEncoding.EncodeToString(b)
	return raw, HashSecret(raw)
}

func HashSecret(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(sum[:])
}

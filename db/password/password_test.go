package password

import (
	"strings"
	"testing"
)

func TestHashAndCheck(t *testing.T) {
	h, err := Hash("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q does not carry OWASP-minimum argon2id parameters", h)
	}
	if ok, err := Check("correct horse battery staple", h); err != nil || !ok {
		t.Errorf("right password: %v, %v", ok, err)
	}
	if ok, err := Check("correct horse battery stapler", h); err != nil || ok {
		t.Errorf("wrong password: %v, %v", ok, err)
	}
	h2, _ := Hash("correct horse battery staple")
	if h == h2 {
		t.Error("two hashes of one password are equal: salt not random")
	}
	if NeedsRehash(h) {
		t.Error("a fresh hash needs no rehash")
	}
}

func TestCheckMalformed(t *testing.T) {
	for _, enc := range []string{
		"", "plain", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=999999999,t=2,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=19456,t=2,p=1$!!$a2V5",
	} {
		if ok, err := Check("x", enc); ok || err == nil {
			t.Errorf("Check(%q) = %v, %v; want false and an error", enc, ok, err)
		}
	}
}

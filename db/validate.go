package db

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what people type.
const (
	MaxEmailLen    = 254
	MaxNameLen     = 80
	MinPasswordLen = 10
	MaxPasswordLen = 256
	MaxDescLen     = 2000
)

// cleanText trims s and checks it is valid UTF-8 of at most max code points
// without control characters (newlines allowed only when multiline).
func cleanText(field, s string, min, max int, multiline bool) (string, error) {
	if !utf8.ValidString(s) {
		return "", Errorf(EINVALID, "%s contains characters that are not valid text (not UTF-8).", field)
	}
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	if n < min {
		if min == 1 {
			return "", Errorf(EINVALID, "%s is required.", field)
		}
		return "", Errorf(EINVALID, "%s must be at least %d characters.", field, min)
	}
	if n > max {
		return "", Errorf(EINVALID, "%s must be at most %d characters (it has %d).", field, max, n)
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t')) {
			return "", Errorf(EINVALID, "%s contains a control character.", field)
		}
	}
	return s, nil
}

// NormalizeEmail validates an address and returns it lowercased.
func NormalizeEmail(email string) (string, error) {
	e, err := cleanText("Email", email, 1, MaxEmailLen, false)
	if err != nil {
		return "", err
	}
	addr, perr := mail.ParseAddress(e)
	if perr != nil || addr.Address != e || !strings.Contains(e[strings.LastIndexByte(e, '@')+1:], ".") {
		return "", Errorf(EINVALID, "%q is not an email address like ada@example.org.", e)
	}
	return strings.ToLower(e), nil
}

// ValidateName checks a person's display name.
func ValidateName(name string) (string, error) {
	return cleanText("Name", name, 1, MaxNameLen, false)
}

// ValidatePassword checks a new password's length. Longer is better; there
// are no composition rules (NIST SP 800-63B).
func ValidatePassword(pw string) error {
	if !utf8.ValidString(pw) {
		return Errorf(EINVALID, "The password contains characters that are not valid text.")
	}
	if n := utf8.RuneCountInString(pw); n < MinPasswordLen {
		return Errorf(EINVALID, "The password must be at least %d characters.", MinPasswordLen)
	} else if len(pw) > MaxPasswordLen {
		return Errorf(EINVALID, "The password must be at most %d bytes.", MaxPasswordLen)
	}
	return nil
}

package db

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
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
func CleanText(field, s string, min, max int, multiline bool) (string, error) {
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

// cleanName is cleanText for a name people recognise others or things by
// (a display name, a group, a tag, an entity): in NFC, and without the
// characters that make one name pass for another: bidirectional controls
// (U+202E turns "ecilA" into what reads "Alice"), zero-width and other
// invisible format characters, and the blank "letters" (Hangul fillers).
func CleanName(field, s string, min, max int) (string, error) {
	s, err := CleanText(field, norm.NFC.String(s), min, max, false)
	if err != nil {
		return "", err
	}
	if err := visibleOnly(field, s); err != nil {
		return "", err
	}
	return s, nil
}

// visibleOnly refuses text holding an invisible or direction-changing
// character, naming it.
func visibleOnly(field, s string) error {
	for _, r := range s {
		if invisible(r) {
			return Errorf(EINVALID, "%s contains an invisible or direction-changing character (U+%04X): type it with visible characters only.", field, r)
		}
	}
	return nil
}

// invisible reports a character that shows nothing, or changes how the
// text around it reads: format characters (Cf: bidirectional controls and
// marks, zero-width spaces and joiners, the byte-order mark, the soft
// hyphen) and the default-ignorable code points that are letters or marks
// (Hangul fillers, the combining grapheme joiner), and the blank Braille
// pattern.
func invisible(r rune) bool {
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) ||
		r == '\u034F' || r == '\u2800' || r == '\u3164' || r == '\u115F' || r == '\u1160' || r == '\uFFA0'
}

// NormalizeEmail validates an address and returns it lowercased.
func NormalizeEmail(email string) (string, error) {
	e, err := CleanText("Email", email, 1, MaxEmailLen, false)
	if err != nil {
		return "", err
	}
	addr, perr := mail.ParseAddress(e)
	if perr != nil || addr.Address != e || !strings.Contains(e[strings.LastIndexByte(e, '@')+1:], ".") {
		return "", Errorf(EINVALID, "%q is not an email address like ada@example.org.", e)
	}
	return strings.ToLower(e), nil
}

// ValidateName checks a person's display name (cleanName).
func ValidateName(name string) (string, error) {
	return CleanName("Name", name, 1, MaxNameLen)
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

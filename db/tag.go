package db

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Tag limits.
const (
	MaxTagLen  = 60
	MaxTagsPer = 20
)

// ParseTags splits a comma-separated list into normalized tags: trimmed,
// lowercased, inner spaces folded, duplicates dropped. A tag may use
// letters, digits, spaces and - _ / . : (a slash makes a hierarchy).
func ParseTags(list string) ([]string, error) {
	if !utf8.ValidString(list) {
		return nil, Errorf(EINVALID, "The tags contain characters that are not valid text.")
	}
	var out []string
	seen := map[string]bool{}
	for _, raw := range strings.Split(list, ",") {
		t := strings.ToLower(strings.Join(strings.Fields(norm.NFC.String(raw)), " "))
		if t == "" || seen[t] {
			continue
		}
		if err := visibleOnly(fmt.Sprintf("The tag %q", t), t); err != nil {
			return nil, err
		}
		if utf8.RuneCountInString(t) > MaxTagLen {
			return nil, Errorf(EINVALID, "The tag %q is longer than %d characters.", t, MaxTagLen)
		}
		for _, r := range t {
			if !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || strings.ContainsRune(" -_/.:", r)) {
				return nil, Errorf(EINVALID, "The tag %q contains %q: use letters, digits, spaces and - _ / . :", t, r)
			}
		}
		seen[t] = true
		out = append(out, t)
	}
	if len(out) > MaxTagsPer {
		return nil, Errorf(EINVALID, "At most %d tags per annotation.", MaxTagsPer)
	}
	return out, nil
}

// ArticleTag is a tag on an article and who added it (0: an account since
// deleted, or the import).
type ArticleTag struct {
	Name    string
	AddedBy int64
}

package searchquery

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Span is a match in a text, in code points: [Start, End).
type Span struct{ Start, End int }

// word is a token of a text as FTS5's unicode61 tokenizer (with
// remove_diacritics) sees it: a run of letters, digits and private-use
// characters, folded to lower case without diacritics.
type word struct {
	start, end int // code points
	folded     string
}

// wordRune reports whether r belongs inside a word. Combining marks do
// (they are folded away), so "Pyöngyang" typed decomposed is one word.
func wordRune(r rune) bool { return tokenRune(r) || unicode.Is(unicode.M, r) }

// fold lowercases a word and strips its diacritics.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// eachWord calls fn with each word of s in order until fn returns false.
func eachWord(s string, fn func(word) bool) {
	start, pos := -1, 0
	byteStart := 0
	for i, r := range s {
		if wordRune(r) && (start >= 0 || !unicode.Is(unicode.M, r)) {
			if start < 0 {
				start, byteStart = pos, i
			}
		} else if start >= 0 {
			if !fn(word{start, pos, fold(s[byteStart:i])}) {
				return
			}
			start = -1
		}
		pos++
	}
	if start >= 0 {
		fn(word{start, pos, fold(s[byteStart:])})
	}
}

// tokens returns the words of s.
func tokens(s string) []word {
	var out []word
	eachWord(s, func(w word) bool {
		if w.folded != "" {
			out = append(out, w)
		}
		return true
	})
	return out
}

// Find returns where the query's positive terms occur in text, as FTS5
// would match them: case and diacritics folded, phrases word by word,
// prefixes on a phrase's last word. It stops after limit matches and
// returns them sorted by start. It is best effort (FTS5's folding tables
// differ in rare letters). Spans of different terms may overlap.
func (q Query) Find(text string, limit int) []Span {
	type pattern struct {
		words  []string
		prefix bool
	}
	var pats []pattern
	longest := 0
	for _, t := range q.Terms() {
		ws := tokens(t.Text)
		p := pattern{prefix: t.Prefix}
		for _, w := range ws {
			p.words = append(p.words, w.folded)
		}
		if len(p.words) > 0 {
			pats = append(pats, p)
			longest = max(longest, len(p.words))
		}
	}
	if len(pats) == 0 || limit <= 0 {
		return nil
	}
	var out []Span
	window := make([]word, 0, longest) // the last words seen, oldest first
	eachWord(text, func(w word) bool {
		if w.folded == "" {
			return true
		}
		if len(window) == longest {
			copy(window, window[1:])
			window = window[:longest-1]
		}
		window = append(window, w)
		for _, p := range pats {
			n := len(p.words)
			if n > len(window) {
				continue
			}
			seq := window[len(window)-n:]
			ok := true
			for i, pw := range p.words {
				got := seq[i].folded
				if i == n-1 && p.prefix {
					ok = strings.HasPrefix(got, pw)
				} else {
					ok = got == pw
				}
				if !ok {
					break
				}
			}
			if ok {
				out = append(out, Span{seq[0].start, seq[n-1].end})
				if len(out) >= limit {
					return false
				}
				break // one span per end position is enough
			}
		}
		return true
	})
	slices.SortStableFunc(out, func(a, b Span) int { return a.Start - b.Start })
	return out
}

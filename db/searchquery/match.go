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
func wordRune(r rune) bool {
	if r < utf8.RuneSelf { // most text: no tables to search
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return tokenRune(r) || unicode.Is(unicode.M, r)
}

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

// Frequencies returns how often each of q.Terms() occurs in text, in the
// same order, and how many words text has: what a BM25 score needs, as
// FTS5 would count it (a phrase occurs where its words do, in order; a
// prefix counts each word it starts). To count in many texts, make a
// Counter once.
func (q Query) Frequencies(text string) (freq []int, words int) {
	c := q.Counter()
	freq = make([]int, len(c.pats))
	return freq, c.Count(text, freq)
}

// Counter counts a query's terms in texts.
type Counter struct {
	pats    [][]string // each term's folded words
	prefix  []bool
	longest int
	window  []string // the last words seen, oldest first
}

// Counter prepares to count q.Terms() in texts.
func (q Query) Counter() *Counter {
	c := &Counter{}
	for _, t := range q.Terms() {
		var p []string
		for _, w := range tokens(t.Text) {
			p = append(p, w.folded)
		}
		c.pats = append(c.pats, p)
		c.prefix = append(c.prefix, t.Prefix)
		c.longest = max(c.longest, len(p))
	}
	c.window = make([]string, 0, c.longest)
	return c
}

// Count adds to freq[i] how often term i occurs in text and returns how
// many words text has. freq has one element per term.
func (c *Counter) Count(text string, freq []int) (words int) {
	c.window = c.window[:0]
	if isASCII(text) {
		// Most text: words are runs of letters and digits, folded by
		// lowering ASCII, compared in place.
		for i := 0; i < len(text); {
			for i < len(text) && !asciiWordByte(text[i]) {
				i++
			}
			if i == len(text) {
				break
			}
			j := i
			for j < len(text) && asciiWordByte(text[j]) {
				j++
			}
			words++
			c.next(text[i:j], freq)
			i = j
		}
		return words
	}
	eachWord(text, func(w word) bool {
		if w.folded != "" {
			words++
			c.next(w.folded, freq)
		}
		return true
	})
	return words
}

// next takes the next word of a text (folded, or ASCII in any case) and
// counts the terms that end on it.
func (c *Counter) next(w string, freq []int) {
	if c.longest == 0 {
		return
	}
	if len(c.window) == c.longest {
		copy(c.window, c.window[1:])
		c.window = c.window[:c.longest-1]
	}
	c.window = append(c.window, w)
	for i, p := range c.pats {
		n := len(p)
		if n == 0 || n > len(c.window) {
			continue
		}
		seq := c.window[len(c.window)-n:]
		ok := true
		for j, pw := range p {
			got := seq[j]
			if j == n-1 && c.prefix[i] && len(got) > len(pw) {
				got = got[:len(pw)] // a prefix matches the start of a word
			}
			if ok = foldedEqual(got, pw); !ok {
				break
			}
		}
		if ok {
			freq[i]++
		}
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func asciiWordByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

// foldedEqual reports whether the word w (folded, or ASCII in any case)
// is the folded word f.
func foldedEqual(w, f string) bool {
	if len(w) != len(f) {
		return false
	}
	for i := 0; i < len(w); i++ {
		b := w[i]
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if b != f[i] {
			return false
		}
	}
	return true
}

// Fragment picks what a search result shows of text: the stretch of at
// most n words holding the most matches of the query (the first such,
// with the matches near its middle), or all of text when it has at most n
// words. It returns the stretch's code-point bounds and the matches
// inside it, sorted. Text with no match gives its first n words.
func (q Query) Fragment(text string, n int) (start, end int, matches []Span) {
	ws := tokens(text)
	size := utf8.RuneCountInString(text)
	spans := q.Find(text, maxFragmentMatches)
	if len(ws) <= n || n <= 0 {
		return 0, size, spans
	}
	// Each match as word indexes [first, last].
	type at struct{ first, last int }
	idx := make([]at, len(spans))
	for i, s := range spans {
		first, _ := slices.BinarySearchFunc(ws, s.Start, func(w word, pos int) int { return w.start - pos })
		last, _ := slices.BinarySearchFunc(ws, s.End, func(w word, pos int) int { return w.end - pos })
		idx[i] = at{first, min(last, len(ws)-1)}
	}
	best, bestScore := 0, -1
	for _, cand := range idx {
		score := 0
		for _, m := range idx {
			if m.first >= cand.first && m.last < cand.first+n {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = cand.first, score
		}
	}
	// Centre what the stretch holds: move back by half the words left
	// after its last match.
	lastWord := best
	for _, m := range idx {
		if m.first >= best && m.last < best+n {
			lastWord = max(lastWord, m.last)
		}
	}
	best = max(0, best-(best+n-1-lastWord)/2)
	best = min(best, len(ws)-n)
	start, end = 0, size
	if best > 0 {
		start = ws[best].start
	}
	if best+n < len(ws) {
		end = ws[best+n-1].end
	}
	for _, s := range spans {
		if s.Start >= start && s.End <= end {
			matches = append(matches, s)
		}
	}
	return start, end, matches
}

// maxFragmentMatches bounds the matches Fragment weighs in a long text.
const maxFragmentMatches = 1000

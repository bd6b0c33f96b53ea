package searchquery

import (
	"slices"
	"strings"
)

// Span is a match in a text, in code points: [Start, End).
type Span struct{ Start, End int }

// pattern is a term made ready to match a text's tokens.
type pattern struct {
	words, stems []string
	exact        bool // compare Words, not Stems
	prefix       bool // the last token's Word starts with the last word
}

func patternOf(t Term) pattern {
	p := pattern{exact: t.Exact(), prefix: t.Prefix}
	for _, tk := range t.Tokens() {
		p.words = append(p.words, tk.Word)
		p.stems = append(p.stems, tk.Stem)
	}
	return p
}

// match reports whether the tokens seq (as long as p) match p, and
// whether they are its words as written. stemIs says whether a token's
// stem is a word (nil: compare the tokens' Stem).
func (p pattern) match(seq []Token, stemIs func(Token, string) bool) (ok, asWritten bool) {
	asWritten = true
	last := len(p.words) - 1
	for i, tk := range seq {
		switch {
		case i == last && p.prefix:
			if !strings.HasPrefix(tk.Word, p.words[i]) {
				return false, false
			}
		case tk.Word == p.words[i]:
		case p.exact:
			return false, false
		case stemIs == nil && tk.Stem != p.stems[i], stemIs != nil && !stemIs(tk, p.stems[i]):
			return false, false
		default:
			asWritten = false
		}
	}
	return true, asWritten
}

// Find returns where the query's positive terms occur in text, as an
// index matches them (stems, phrases as written, prefixes, CJK pairs),
// each span the words as they appear. It stops after limit matches and
// returns them sorted by start. Spans of different terms may overlap.
func (q Query) Find(text string, limit int) []Span {
	var pats []pattern
	longest := 0
	for _, t := range q.Terms() {
		if p := patternOf(t); len(p.words) > 0 {
			pats = append(pats, p)
			longest = max(longest, len(p.words))
		}
	}
	if len(pats) == 0 || limit <= 0 {
		return nil
	}
	var out []Span
	window := make([]Token, 0, longest) // the last tokens seen, oldest first
	c := &Counter{stems: map[string]string{}}
	eachToken(text, false, func(tk Token) bool {
		if len(window) == longest {
			copy(window, window[1:])
			window = window[:longest-1]
		}
		window = append(window, tk)
		for _, p := range pats {
			n := len(p.words)
			if n > len(window) {
				continue
			}
			seq := window[len(window)-n:]
			if ok, _ := p.match(seq, c.stemIs); ok {
				out = append(out, Span{seq[0].Start, seq[n-1].End})
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
// same order (an occurrence as written counting twice, see Counter), and
// how many tokens text has: what a BM25 score needs. To count in many
// texts, make a Counter once.
func (q Query) Frequencies(text string) (freq []int, words int) {
	c := q.Counter()
	freq = make([]int, len(c.pats))
	return freq, c.Count(text, freq)
}

// Counter counts a query's terms in texts.
type Counter struct {
	pats    []pattern
	longest int
	window  []Token
	stems   map[string]string // stems computed so far
}

// Counter prepares to count q.Terms() in texts.
func (q Query) Counter() *Counter {
	c := &Counter{stems: map[string]string{}}
	for _, t := range q.Terms() {
		p := patternOf(t)
		c.pats = append(c.pats, p)
		c.longest = max(c.longest, len(p.words))
	}
	c.window = make([]Token, 0, c.longest)
	return c
}

// Key names what Count counts: two Counters with the same Key count the
// same in any text (a cache of counts is keyed by it).
func (c *Counter) Key() string {
	var b strings.Builder
	for _, p := range c.pats {
		b.WriteByte('|')
		if p.exact {
			b.WriteByte('=')
		}
		if p.prefix {
			b.WriteByte('*')
		}
		for i := range p.words {
			b.WriteString(p.words[i])
			b.WriteByte(' ')
			b.WriteString(p.stems[i])
			b.WriteByte(0)
		}
	}
	return b.String()
}

// Count adds to freq[i] how often term i occurs in text, an occurrence of
// its words as written counting 2 and one of their stems only 1 (so exact
// forms rank higher), and returns how many tokens text has. freq has one
// element per term.
func (c *Counter) Count(text string, freq []int) (words int) {
	c.window = c.window[:0]
	if isASCII(text) {
		// Most text: words are runs of letters and digits, folded by
		// lowering ASCII; stems are computed only where they may match.
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
			c.next(Token{Word: lowerASCII(text[i:j])}, freq)
			i = j
		}
		return words
	}
	eachToken(text, false, func(tk Token) bool {
		words++
		c.next(tk, freq)
		return true
	})
	return words
}

// next takes the next token of a text (its Stem may be left empty, to be
// computed when needed) and counts the terms that end on it.
func (c *Counter) next(tk Token, freq []int) {
	if c.longest == 0 {
		return
	}
	if len(c.window) == c.longest {
		copy(c.window, c.window[1:])
		c.window = c.window[:c.longest-1]
	}
	c.window = append(c.window, tk)
	for i, p := range c.pats {
		n := len(p.words)
		if n == 0 || n > len(c.window) {
			continue
		}
		seq := c.window[len(c.window)-n:]
		if ok, asWritten := p.match(seq, c.stemIs); ok {
			freq[i]++
			if asWritten {
				freq[i]++
			}
		}
	}
}

// stemIs reports whether tk's stem is want. A stem is its word with at
// most its last four letters replaced, and never longer: most words are
// ruled out before they are stemmed.
func (c *Counter) stemIs(tk Token, want string) bool {
	if tk.Stem != "" || tk.CJK {
		return tk.Stem == want
	}
	w := tk.Word
	if len(w) < len(want) || !strings.HasPrefix(w, want[:max(0, len(want)-4)]) {
		return false
	}
	s, ok := c.stems[w]
	if !ok {
		s = Stem(w)
		c.stems[w] = s
	}
	return s == want
}

func asciiWordByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

// Fragment picks what a search result shows of text: the stretch of at
// most n tokens (words; in CJK, characters) holding the most matches of
// the query (the first such, with the matches near its middle), or all of
// text when it has at most n tokens. It returns the stretch's code-point
// bounds and the matches inside it, sorted. Text with no match gives its
// first n tokens. Bounds fall between characters, never inside one.
func (q Query) Fragment(text string, n int) (start, end int, matches []Span) {
	var ws []Token
	eachToken(text, false, func(t Token) bool {
		ws = append(ws, t)
		return true
	})
	size := len([]rune(text))
	spans := q.Find(text, maxFragmentMatches)
	if len(ws) <= n || n <= 0 {
		return 0, size, spans
	}
	// Each match as token indexes [first, last].
	type at struct{ first, last int }
	idx := make([]at, len(spans))
	for i, s := range spans {
		first, _ := slices.BinarySearchFunc(ws, s.Start, func(w Token, pos int) int { return w.Start - pos })
		last, _ := slices.BinarySearchFunc(ws, s.End, func(w Token, pos int) int { return w.End - pos })
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
	// Centre what the stretch holds: move back by half the tokens left
	// after its last match.
	lastTok := best
	for _, m := range idx {
		if m.first >= best && m.last < best+n {
			lastTok = max(lastTok, m.last)
		}
	}
	best = max(0, best-(best+n-1-lastTok)/2)
	best = min(best, len(ws)-n)
	start, end = 0, size
	if best > 0 {
		start = ws[best].Start
	}
	if best+n < len(ws) {
		end = ws[best+n-1].End
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

// Package searchquery turns what people type in a search box into a safe
// SQLite FTS5 MATCH expression, and finds the query's words in a text.
// It is pure (no I/O) and never fails: any input gives a Query.
//
// The syntax is a web search box's:
//
//	refugees china        both words (AND is the default)
//	"north korean"        an exact phrase
//	deport*               words starting with "deport"
//	embassy OR consulate  either (OR in capitals; binds tighter than AND)
//	-china, NOT china     without this word
//
// Everything else is text: unbalanced quotes close at the end, stray
// operators, parentheses, punctuation and control characters are dropped,
// invalid UTF-8 is treated as a space, and a query of only negations is
// Empty (FTS5 needs something to subtract from).
package searchquery

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits on what Parse keeps, so a pasted essay cannot make a slow query.
const (
	MaxInputRunes = 1000 // the rest of the input is ignored
	MaxTerms      = 32   // positive and negative terms together
	MaxTermRunes  = 200  // a longer term is cut
	// MinPrefixRunes is the shortest prefix searched as a prefix: "a*"
	// would match half the dictionary, so it is searched as the word "a".
	// CJK and Hangul prefixes are exempt (one syllable is meaningful).
	MinPrefixRunes = 2
)

// Term is one word or phrase.
type Term struct {
	Text   string // NFC, as typed, without quotes or operators
	Phrase bool   // typed in double quotes
	Prefix bool   // matches words starting with the term's last word
}

// Query is a parsed search: every group must match (AND), a group matches
// when any of its terms does (OR), and no Not term may match.
type Query struct {
	groups [][]Term
	not    []Term
}

// Empty reports whether nothing searchable remains: no input, only
// operators or punctuation, or only negations.
func (q Query) Empty() bool { return len(q.groups) == 0 }

// Terms returns the positive terms, each once, in the order typed: what to
// highlight in a result.
func (q Query) Terms() []Term {
	var out []Term
	seen := map[Term]bool{}
	for _, g := range q.groups {
		for _, t := range g {
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// Excluded returns the negated terms.
func (q Query) Excluded() []Term { return append([]Term(nil), q.not...) }

// FTS5 renders the query as an FTS5 MATCH expression, or "" when Empty.
// Every term is a double-quoted string (quotes doubled inside), so no input
// can use FTS5 syntax (columns, NEAR, ^, bare operators).
func (q Query) FTS5() string {
	if q.Empty() {
		return ""
	}
	var b strings.Builder
	if len(q.not) > 0 {
		b.WriteByte('(')
	}
	for i, g := range q.groups {
		if i > 0 {
			b.WriteString(" AND ")
		}
		writeAlternatives(&b, g)
	}
	if len(q.not) > 0 {
		b.WriteString(") NOT ")
		writeAlternatives(&b, q.not)
	}
	return b.String()
}

// FTS5 renders one term as an FTS5 MATCH expression of its own.
func (t Term) FTS5() string {
	var b strings.Builder
	writeAlternatives(&b, []Term{t})
	return b.String()
}

func writeAlternatives(b *strings.Builder, terms []Term) {
	if len(terms) > 1 {
		b.WriteByte('(')
	}
	for i, t := range terms {
		if i > 0 {
			b.WriteString(" OR ")
		}
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(t.Text, `"`, `""`))
		b.WriteByte('"')
		if t.Prefix {
			b.WriteByte('*')
		}
	}
	if len(terms) > 1 {
		b.WriteByte(')')
	}
}

// String renders the query in the search-box syntax, canonically: Parse of
// the result gives the same query. Handy to show "results for …".
func (q Query) String() string {
	var parts []string
	for _, g := range q.groups {
		alts := make([]string, len(g))
		for i, t := range g {
			alts[i] = t.String()
		}
		parts = append(parts, strings.Join(alts, " OR "))
	}
	for _, t := range q.not {
		parts = append(parts, "-"+t.String())
	}
	return strings.Join(parts, " ")
}

// String renders one term as it would be typed.
func (t Term) String() string {
	s := t.Text
	if t.Phrase || !bareWord(s) {
		s = `"` + strings.ReplaceAll(s, `"`, "") + `"`
	}
	if t.Prefix {
		s += "*"
	}
	return s
}

// bareWord reports whether s lexes back as this word when typed bare.
func bareWord(s string) bool {
	if s == "" || s == "OR" || s == "AND" || s == "NOT" || s == "|" || strings.HasSuffix(s, "*") ||
		s[0] == '-' || s[0] == '+' {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool { return separator(r) || r == '"' })
}

// separator reports whether r ends a bare word.
func separator(r rune) bool { return unicode.IsSpace(r) || r == '(' || r == ')' }

// tokenRune reports whether FTS5's unicode61 tokenizer keeps r in a token
// (its default categories L*, N* and Co; combining marks join the letter
// they follow and are folded away with remove_diacritics).
func tokenRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r)
}

// cjk reports scripts written without spaces between words (or, for
// Korean, with particles glued to words): FTS5 sees a whole run as one
// token, so a word typed alone is searched as a prefix of such a run.
func cjk(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// clean makes any input safe to lex: valid UTF-8 (bad bytes become
// spaces), no control or format characters, NFC, at most MaxInputRunes.
func clean(input string) string {
	if len(input) > 4*MaxInputRunes {
		input = input[:4*MaxInputRunes] // a cut rune becomes a space below
	}
	input = strings.ToValidUTF8(input, " ")
	input = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError || unicode.Is(unicode.Cs, r) {
			return ' '
		}
		return r
	}, input)
	input = norm.NFC.String(input)
	if utf8.RuneCountInString(input) > MaxInputRunes {
		input = string([]rune(input)[:MaxInputRunes])
	}
	return input
}

// token is one lexed item of the input.
type token struct {
	op     string // "OR", "NOT", or "" for a term
	neg    bool   // a term typed with a leading '-'
	phrase bool
	prefix bool
	text   string
}

func lex(s string) []token {
	var out []token
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case separator(r):
			i++
			continue
		case r == '"':
			t, n := lexPhrase(rs[i+1:])
			out = append(out, t)
			i += 1 + n
			continue
		}
		neg := false
		if (r == '-' || r == '+') && i+1 < len(rs) && !separator(rs[i+1]) {
			neg = r == '-'
			i++
			if rs[i] == '"' {
				t, n := lexPhrase(rs[i+1:])
				t.neg = neg
				out = append(out, t)
				i += 1 + n
				continue
			}
		}
		j := i
		for j < len(rs) && !separator(rs[j]) && rs[j] != '"' {
			j++
		}
		word := string(rs[i:j])
		i = j
		if !neg && (word == "OR" || word == "NOT" || word == "AND") {
			out = append(out, token{op: word})
			continue
		}
		if word == "|" {
			out = append(out, token{op: "OR"})
			continue
		}
		t := token{neg: neg, text: strings.TrimRight(word, "*")}
		t.prefix = t.text != word
		out = append(out, t)
	}
	return out
}

// lexPhrase reads a quoted phrase after its opening quote, up to the
// closing quote or the end, and a '*' right after it. It returns the
// phrase and how many runes it used.
func lexPhrase(rs []rune) (token, int) {
	end := 0
	for end < len(rs) && rs[end] != '"' {
		end++
	}
	t := token{phrase: true, text: strings.Join(strings.Fields(string(rs[:end])), " ")}
	n := end
	if end < len(rs) {
		n++ // the closing quote
		if n < len(rs) && rs[n] == '*' {
			t.prefix = true
			for n < len(rs) && rs[n] == '*' {
				n++
			}
		}
	}
	return t, n
}

// Parse reads a search. It never fails: whatever cannot be understood is
// dropped or taken as text.
func Parse(input string) Query {
	var q Query
	toks := lex(clean(input))
	count := 0
	negNext, orNext := false, false
	for _, tk := range toks {
		switch tk.op {
		case "NOT":
			negNext = true
			continue
		case "OR":
			orNext = len(q.groups) > 0
			continue
		case "AND":
			orNext = false
			continue
		}
		t, ok := makeTerm(tk)
		neg := tk.neg || negNext
		or := orNext
		negNext, orNext = false, false
		if !ok || count >= MaxTerms {
			continue
		}
		count++
		switch {
		case neg:
			// OR with a negation is read as AND NOT: "a OR -b" is "a -b".
			q.not = appendNew(q.not, t)
		case or:
			last := len(q.groups) - 1
			q.groups[last] = appendNew(q.groups[last], t)
		default:
			if !slices.ContainsFunc(q.groups, func(g []Term) bool { return len(g) == 1 && g[0] == t }) {
				q.groups = append(q.groups, []Term{t})
			}
		}
	}
	return q
}

func appendNew(list []Term, t Term) []Term {
	for _, x := range list {
		if x == t {
			return list
		}
	}
	return append(list, t)
}

// makeTerm turns a lexed term into a Term, or reports that it has nothing
// FTS5 would index (punctuation, symbols, emoji only).
func makeTerm(tk token) (Term, bool) {
	text := tk.text
	if utf8.RuneCountInString(text) > MaxTermRunes {
		text = string([]rune(text)[:MaxTermRunes])
	}
	if tk.phrase {
		// A quote inside a phrase cannot have been typed; a cut may leave space.
		text = strings.TrimSpace(text)
	}
	words := tokens(text)
	if len(words) == 0 {
		return Term{}, false
	}
	t := Term{Text: text, Phrase: tk.phrase, Prefix: tk.prefix}
	last := []rune(words[len(words)-1].folded)
	lastCJK := cjk(last[len(last)-1])
	if t.Prefix && len(last) < MinPrefixRunes && !lastCJK {
		t.Prefix = false
	}
	if !t.Phrase && lastCJK {
		t.Prefix = true
	}
	return t, true
}

// MaxExpansion is how many words a prefix may stand for in ExpandPrefixes.
const MaxExpansion = 64

// ExpandPrefixes returns q with each prefix term replaced by the words it
// stands for, as alternatives. FTS5 answers a prefix by merging the lists
// of every word it starts, whole, before its first match; alternatives it
// reads lazily and can stop early. words returns the indexed words that
// start with a folded prefix, and false when there are more than
// MaxExpansion: that term stays a prefix. A prefix that starts no word
// matches nothing: a group left without terms makes the whole query match
// nothing, and then the result is Empty.
func (q Query) ExpandPrefixes(words func(prefix string) ([]string, bool)) Query {
	expand := func(terms []Term) []Term {
		var out []Term
		for _, t := range terms {
			ws := tokens(t.Text)
			if !t.Prefix || len(ws) == 0 {
				out = append(out, t)
				continue
			}
			// Folding decomposes (to drop accents); the index holds composed
			// text (Hangul syllables, say).
			found, ok := words(norm.NFC.String(ws[len(ws)-1].folded))
			if !ok {
				out = append(out, t)
				continue
			}
			lead := ""
			for _, w := range ws[:len(ws)-1] {
				lead += norm.NFC.String(w.folded) + " "
			}
			for _, w := range found {
				out = append(out, Term{Text: lead + w, Phrase: t.Phrase || lead != ""})
			}
		}
		return out
	}
	var out Query
	for _, g := range q.groups {
		alts := expand(g)
		if len(alts) == 0 {
			return Query{}
		}
		out.groups = append(out.groups, alts)
	}
	out.not = expand(q.not)
	return out
}

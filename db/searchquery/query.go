// Package searchquery is the one search syntax of Gloss: it parses what
// people type into a query tree, says what each part matches (for every
// engine), renders the tree as an SQLite FTS5 MATCH expression, and finds
// a query's words in a text (snippets, ranking). It is pure (no I/O) and
// never fails: any input gives a Query.
//
// The syntax is a web search box's. What each part matches, for an engine
// to implement (the index holds each field's Tokens, see Token):
//
//	refugee               a word: matches a word of the same stem (Porter,
//	                      case and diacritics folded): refugee, refugees.
//	                      Searched in an item's text, and in the names of
//	                      its tags and of the entities its evidence names
//	                      (their aliases too), and a figure's "counted"
//	                      and unit. Words in CJK scripts match inside runs
//	                      (탈북자 in 탈북자들은, 难民 in 北朝鲜难民).
//	"north korean"        a phrase: its words as written (folded), in
//	                      order, next to each other; "deported" in quotes
//	                      does not match deportation.
//	deport*               words starting with "deport", as written (a
//	                      prefix of one letter is the word itself, except
//	                      in CJK).
//	embassy OR consulate  either (OR in capitals, or |; binds tighter
//	                      than AND: a b OR c is a AND (b OR c)).
//	refugees china        both (AND is the default; AND may be typed).
//	-china, NOT china     without this word (or phrase, or prefix).
//	tag:actors/ngo        carries the tag (exactly this name, folded to
//	                      lower case; quote a name with spaces:
//	                      tag:"human rights"). An article carries its own
//	                      tags; an annotation its tags, and a reply the
//	                      tags of the annotations above it in its thread;
//	                      notes carry none. Several tag: all must hold;
//	                      -tag:x leaves out what carries x.
//	kind:figure           of this kind: article, annotation, reply, note,
//	                      or an annotation's evidence kind (entity, quote,
//	                      figure, event; plurals accepted). Several kind:
//	                      any of them. An unknown kind is ignored and said
//	                      (Ignored).
//
// A query needs a word, phrase, prefix, tag: or kind: to match anything
// (a query of only exclusions is Empty). Everything else is text:
// unbalanced quotes close at the end, stray operators, parentheses,
// punctuation and control characters are dropped, invalid UTF-8 is a
// space. Ranking, for engines that rank: a word matched as written
// counts twice as much as one matched only by its stem.
package searchquery

import (
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits on what Parse keeps, so a pasted essay cannot make a slow query.
const (
	MaxInputRunes = 1000 // the rest of the input is ignored
	MaxTerms      = 32   // positive and negative terms together, with tag: and kind:
	MaxTermRunes  = 200  // a longer term is cut
	// MinPrefixRunes is the shortest prefix searched as a prefix: "a*"
	// would match half the dictionary, so it is searched as the word "a".
	// CJK prefixes are exempt (one character is meaningful).
	MinPrefixRunes = 2
)

// Kinds that kind: accepts: what a result is, and an annotation's
// evidence kind.
var (
	ResultKinds   = []string{"article", "annotation", "reply", "note"}
	EvidenceKinds = []string{"entity", "quote", "figure", "event"}
)

// Term is one word or phrase.
type Term struct {
	Text   string // NFC, as typed, without quotes or operators
	Phrase bool   // typed in double quotes: matched as written
	Prefix bool   // matches words starting with the term's last word
}

// Exact reports whether the term matches words as written rather than by
// their stems: phrases, and prefixes (the start of a word as written).
func (t Term) Exact() bool { return t.Phrase || t.Prefix }

// Tokens returns the term's tokens: what it matches, in order.
func (t Term) Tokens() []Token { return Tokens(t.Text) }

// Query is a parsed search: every group must match (AND), a group matches
// when any of its terms does (OR), no Not term may match, the item must
// carry every tag of Tags and none of NotTags, and be of one of Kinds when
// there are any.
type Query struct {
	groups  [][]Term
	not     []Term
	tags    []string
	notTags []string
	kinds   []string
	ignored []string
}

// Empty reports whether nothing can match: no input, only operators or
// punctuation, or only exclusions.
func (q Query) Empty() bool { return len(q.groups) == 0 && len(q.tags) == 0 && len(q.kinds) == 0 }

// HasText reports whether the query has words, phrases or prefixes to
// match (not only tag: and kind:).
func (q Query) HasText() bool { return len(q.groups) > 0 }

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

// Tags returns the tags an item must carry (tag:), NotTags those it must
// not (-tag:), Kinds the kinds it may be of (kind:, none: any), each
// folded as the index holds them.
func (q Query) Tags() []string    { return slices.Clone(q.tags) }
func (q Query) NotTags() []string { return slices.Clone(q.notTags) }
func (q Query) Kinds() []string   { return slices.Clone(q.kinds) }

// Ignored returns the operators that were not understood, as typed
// ("kind:banana"), for the page to say so.
func (q Query) Ignored() []string { return slices.Clone(q.ignored) }

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
		parts = append(parts, "-"+t.typed(true))
	}
	for _, t := range q.tags {
		parts = append(parts, "tag:"+fieldValue(t))
	}
	for _, t := range q.notTags {
		parts = append(parts, "-tag:"+fieldValue(t))
	}
	for _, k := range q.kinds {
		parts = append(parts, "kind:"+k)
	}
	return strings.Join(parts, " ")
}

func fieldValue(v string) string {
	if strings.ContainsFunc(v, func(r rune) bool { return separator(r) || r == '"' }) {
		return `"` + strings.ReplaceAll(v, `"`, "") + `"`
	}
	return v
}

// String renders one term as it would be typed.
func (t Term) String() string { return t.typed(false) }

// typed renders the term as it would be typed, after a '-' when neg. A
// word typed bare is matched by its stem, so a word is quoted only when
// it would not lex back as itself.
func (t Term) typed(neg bool) string {
	s := t.Text
	switch {
	case t.Phrase || !bareWord(s, t.Prefix, neg):
		s = `"` + strings.ReplaceAll(s, `"`, "") + `"`
	case !neg && (s[0] == '-' || s[0] == '+'):
		s = "+" + s // "+-x" is the word "-x"; "-x" would leave x out
	}
	if t.Prefix {
		s += "*"
	}
	return s
}

// bareWord reports whether s (with a '*' when prefix) lexes back as this
// word when typed bare, after a '-' when neg (where OR, AND and NOT are
// words).
func bareWord(s string, prefix, neg bool) bool {
	if s == "" || s == "|" || strings.HasSuffix(s, "*") || !neg && (s == "OR" || s == "AND" || s == "NOT") {
		return false
	}
	typed := s
	if prefix {
		typed += "*"
	}
	if name, ok := field(typed); ok && len(typed) > len(name)+1 {
		return false // tag:x is an operator; tag: alone is a word
	}
	return !strings.ContainsFunc(s, func(r rune) bool { return separator(r) || r == '"' })
}

// separator reports whether r ends a bare word.
func separator(r rune) bool { return unicode.IsSpace(r) || r == '(' || r == ')' }

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
	field  string // "tag" or "kind": an operator with its value in text
	neg    bool   // typed with a leading '-'
	phrase bool
	prefix bool
	text   string
}

// field reports whether a bare word starts with an operator's name
// ("tag:", "kind:", in any case) and returns the name.
func field(word string) (string, bool) {
	name, _, ok := strings.Cut(word, ":")
	if !ok {
		return "", false
	}
	name = strings.ToLower(name)
	return name, name == "tag" || name == "kind"
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
		if name, ok := field(word); ok {
			value := word[len(name)+1:]
			if value == "" && i < len(rs) && rs[i] == '"' {
				t, n := lexPhrase(rs[i+1:])
				value = t.text
				i += 1 + n
			}
			if value != "" {
				out = append(out, token{field: name, neg: neg, text: value})
				continue
			}
		}
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
		neg := tk.neg || negNext
		or := orNext
		negNext, orNext = false, false
		if tk.field != "" {
			// An operator is a condition of its own: OR next to it is AND.
			if count < MaxTerms && q.addField(tk.field, tk.text, neg) {
				count++
			}
			continue
		}
		t, ok := makeTerm(tk)
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

// addField adds tag: or kind: with its value and reports whether it was
// kept.
func (q *Query) addField(name, value string, neg bool) bool {
	value = strings.TrimSpace(value)
	if utf8.RuneCountInString(value) > MaxTermRunes {
		value = string([]rune(value)[:MaxTermRunes])
	}
	switch name {
	case "tag":
		tag := strings.ToLower(strings.Join(strings.Fields(value), " "))
		if tag == "" {
			return false
		}
		if neg {
			q.notTags = appendNewString(q.notTags, tag)
		} else {
			q.tags = appendNewString(q.tags, tag)
		}
		return true
	case "kind":
		k := strings.ToLower(value)
		if !slices.Contains(ResultKinds, k) && !slices.Contains(EvidenceKinds, k) {
			k = strings.TrimSuffix(k, "s") // kind:figures, kind:notes
			if k == "entitie" || k == "replie" {
				k = k[:len(k)-2] + "y"
			}
		}
		if neg || (!slices.Contains(ResultKinds, k) && !slices.Contains(EvidenceKinds, k)) {
			q.ignored = appendNewString(q.ignored, map[bool]string{true: "-", false: ""}[neg]+"kind:"+value)
			return false
		}
		q.kinds = appendNewString(q.kinds, k)
		return true
	}
	return false
}

func appendNewString(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
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
// an index would hold (punctuation, symbols, emoji only).
func makeTerm(tk token) (Term, bool) {
	text := tk.text
	if utf8.RuneCountInString(text) > MaxTermRunes {
		text = string([]rune(text)[:MaxTermRunes])
	}
	if tk.phrase {
		// A quote inside a phrase cannot have been typed; a cut may leave space.
		text = strings.TrimSpace(text)
	}
	toks := Tokens(text)
	if len(toks) == 0 {
		return Term{}, false
	}
	t := Term{Text: text, Phrase: tk.phrase, Prefix: tk.prefix}
	last := toks[len(toks)-1]
	switch {
	case last.CJK && last.End-last.Start > 1:
		// Pairs of characters match inside words already.
		t.Prefix = false
	case last.CJK:
	case t.Prefix && last.End-last.Start < MinPrefixRunes:
		t.Prefix = false
	}
	return t, true
}

// Keys an index holds for each item, beside its words, so that an engine
// can narrow a search by them as by words (an engine may instead join its
// tables: the meaning is Query's).
func TagKey(tag string) string               { return "tag" + hex.EncodeToString([]byte(tag)) }
func KindKey(kind string) string             { return "k" + kind }
func GroupKey(id int64) string               { return "g" + strconv.FormatInt(id, 10) }
func AuthorKey(id int64) string              { return "u" + strconv.FormatInt(id, 10) }
func VisibilityKey(visibility string) string { return "v" + visibility }

// Columns names an FTS5 table's columns for FTS5: those holding each
// field's Words, those holding their Stems, and the one holding keys.
type Columns struct {
	Words, Stems []string
	Keys         string
	// Boost also matches each stemmed word as written, for bm25() to rank
	// exact forms higher; it matches nothing more.
	Boost bool
}

// FTS5 renders the query as an FTS5 MATCH expression for a table with
// columns c, with the keys of must required too, or "" when Empty and no
// keys are required. Every token is a double-quoted string, so no input
// can use FTS5 syntax (columns, NEAR, ^, bare operators).
func (q Query) FTS5(c Columns, must ...string) string {
	var conds []string
	for _, g := range q.groups {
		conds = append(conds, alternatives(c, g))
	}
	for _, t := range q.tags {
		must = append(must, TagKey(t))
	}
	for _, k := range must {
		conds = append(conds, "{"+c.Keys+"} : "+quote(k))
	}
	if len(q.kinds) > 0 {
		var ks []string
		for _, k := range q.kinds {
			ks = append(ks, quote(KindKey(k)))
		}
		conds = append(conds, "{"+c.Keys+"} : ("+strings.Join(ks, " OR ")+")")
	}
	if len(conds) == 0 {
		return ""
	}
	expr := strings.Join(conds, " AND ")
	var not []string
	if len(q.not) > 0 {
		not = append(not, alternatives(c, q.not))
	}
	for _, t := range q.notTags {
		not = append(not, "{"+c.Keys+"} : "+quote(TagKey(t)))
	}
	if len(not) > 0 {
		expr = "(" + expr + ") NOT (" + strings.Join(not, " OR ") + ")"
	}
	return expr
}

// FTS5 renders one term as an FTS5 MATCH expression of its own.
func (t Term) FTS5(c Columns) string { return alternatives(c, []Term{t}) }

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func alternatives(c Columns, terms []Term) string {
	var alts []string
	for _, t := range terms {
		toks := t.Tokens()
		words, stems := make([]string, len(toks)), make([]string, len(toks))
		for i, tk := range toks {
			words[i], stems[i] = tk.Word, tk.Stem
		}
		exact := "{" + strings.Join(c.Words, " ") + "} : " + quote(strings.Join(words, " "))
		switch {
		case t.Prefix:
			alts = append(alts, exact+"*")
		case t.Phrase:
			alts = append(alts, exact)
		case c.Boost:
			alts = append(alts, "{"+strings.Join(c.Stems, " ")+"} : "+quote(strings.Join(stems, " ")), exact)
		default:
			alts = append(alts, "{"+strings.Join(c.Stems, " ")+"} : "+quote(strings.Join(stems, " ")))
		}
	}
	return "(" + strings.Join(alts, " OR ") + ")"
}

// MaxExpansion is how many words a prefix may stand for in ExpandPrefixes.
const MaxExpansion = 64

// ExpandPrefixes returns q with each prefix term replaced by the words it
// stands for, as alternatives matched as written. FTS5 answers a prefix
// by merging the lists of every word it starts, whole, before its first
// match; alternatives it reads lazily and can stop early. words returns
// the indexed words that start with a folded prefix, and false when
// there are more than MaxExpansion: that term stays a prefix. A prefix
// that starts no word matches nothing: a group left without terms makes
// the whole query match nothing, and then the result is Empty.
func (q Query) ExpandPrefixes(words func(prefix string) ([]string, bool)) Query {
	expand := func(terms []Term) []Term {
		var out []Term
		for _, t := range terms {
			toks := t.Tokens()
			if !t.Prefix || len(toks) == 0 {
				out = append(out, t)
				continue
			}
			found, ok := words(toks[len(toks)-1].Word)
			if !ok {
				out = append(out, t)
				continue
			}
			lead := ""
			for _, w := range toks[:len(toks)-1] {
				lead += w.Word + " "
			}
			for _, w := range found {
				out = append(out, Term{Text: lead + w, Phrase: true})
			}
		}
		return out
	}
	out := Query{tags: q.tags, notTags: q.notTags, kinds: q.kinds, ignored: q.ignored}
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

// Alone returns a query of t alone.
func (t Term) Alone() Query { return Query{groups: [][]Term{{t}}} }

package searchquery

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestTermString pins how each kind of term is typed back: bare when it
// lexes back as itself, quoted otherwise, with a '*' for a prefix.
func TestTermString(t *testing.T) {
	for _, c := range []struct {
		term Term
		want string
	}{
		{Term{Text: "refugees"}, `refugees`},
		{Term{Text: "deport", Prefix: true}, `deport*`},
		{Term{Text: "north korea", Phrase: true}, `"north korea"`},
		{Term{Text: "north kor", Phrase: true, Prefix: true}, `"north kor"*`},
		{Term{Text: "korea", Phrase: true}, `"korea"`}, // a phrase stays one
		{Term{Text: "a b"}, `"a b"`},
		{Term{Text: "a\tb"}, `"a` + "\t" + `b"`},
		{Term{Text: "(a"}, `"(a"`},
		{Term{Text: "a)"}, `"a)"`},
		{Term{Text: `a"b`}, `"ab"`}, // a quote cannot be typed inside a quote
		{Term{Text: "OR"}, `"OR"`},
		{Term{Text: "AND"}, `"AND"`},
		{Term{Text: "NOT"}, `"NOT"`},
		{Term{Text: "|"}, `"|"`},
		{Term{Text: "or"}, `or`}, // only capitals are operators
		{Term{Text: "ORE"}, `ORE`},
		{Term{Text: "a*"}, `"a*"`},
		{Term{Text: "a*b"}, `a*b`},
		// A word starting with - or + is typed after a +: quoted, it would
		// be matched as written, not by its stem.
		{Term{Text: "-x"}, `+-x`},
		{Term{Text: "+x"}, `++x`},
		{Term{Text: "-x", Prefix: true}, `+-x*`},
		{Term{Text: "-x", Phrase: true}, `"-x"`},
		{Term{Text: "tag:"}, `tag:`}, // an operator without a value is a word
		{Term{Text: "tag:x"}, `"tag:x"`},
		{Term{Text: "tag:", Prefix: true}, `"tag:"*`}, // tag:* is the tag "*"
		{Term{Text: "Kind:", Phrase: true}, `"Kind:"`},
		{Term{Text: "x-y+z"}, `x-y+z`},
		{Term{Text: "北朝鲜", Prefix: true}, `北朝鲜*`},
		{Term{}, `""`},
	} {
		if got := c.term.String(); got != c.want {
			t.Errorf("%+v.String() = %q, want %q", c.term, got, c.want)
		}
	}
}

// TestStringRoundTripExact: Parse of String gives the same query (what
// was not understood aside), every term with the same flags; an excluded
// word is typed after its '-' as a positive one would not be.
func TestStringRoundTripExact(t *testing.T) {
	for _, in := range []string{
		`refugees "north korean" deport* OR exile -china`, `a --x`, `a -+x`, `+-x`, `++x`, `a --x*`, `+-x*`,
		`a -OR`, `a -AND -NOT`, `"OR"`, `-"OR" a`, `a -"|"`, `北朝鲜 中*`, `a*b`, `"x"*`, `"a"b`, `foo-*`,
		`tag:`, `kind:`, `Tag: x`, `tag:"a(b"`, `tag:"Human  Rights" -tag:"x y"`, `kind:figures kind:note x`,
		`x OR "y z"* OR -w`, `"a b"-c`, `"north k"*`, `"a 中"*`, `don't`, `x-y+z`, `(a OR b) c`,
		`'; DROP TABLE x; --`, `NEAR(a b, 2)`, `a -tag:`, `tag:* x`,
	} {
		q := Parse(in)
		q.ignored = nil
		again := Parse(q.String())
		if !reflect.DeepEqual(q, again) {
			t.Errorf("Parse(%q) = %#v\nString %q reparses to %#v", in, q, q.String(), again)
		}
	}
}

// TestQueryString pins the canonical form of whole queries.
func TestQueryString(t *testing.T) {
	for in, want := range map[string]string{
		`refugees  "north korean"  deport*`:     `refugees "north korean" deport*`,
		`embassy OR consulate | legation china`: `embassy OR consulate OR legation china`,
		`a -b NOT "c d" -ex* -y*`:               `a -b -"c d" -ex* -y`,
		`"OR" AND x`:                            `"OR" x`,
		`-"OR" a`:                               `a -"OR"`,
		`-x`:                                    `-x`,
		``:                                      ``,
	} {
		if got := Parse(in).String(); got != want {
			t.Errorf("Parse(%q).String() = %q, want %q", in, got, want)
		}
	}
}

// TestPlainTermIsWholeWord: only a prefix term, and only its last word,
// matches the start of a longer word; a plain term matches the words of
// its stem (counting 1, and 2 as written), a phrase only its words as
// written.
func TestPlainTermIsWholeWord(t *testing.T) {
	text := "deportation deport deported northern korea north korean"
	for _, c := range []struct {
		q     string
		spans []Span
		freq  []int
	}{
		{"deport", []Span{{0, 11}, {12, 18}, {19, 27}}, []int{4}},
		{"north", []Span{{43, 48}}, []int{2}}, // "northern" is another stem
		{"deport*", []Span{{0, 11}, {12, 18}, {19, 27}}, []int{6}},
		{`"deported"`, []Span{{19, 27}}, []int{2}},
		{`"north korea"`, nil, []int{0}},
		{`"north korea"*`, []Span{{43, 55}}, []int{2}},
		{`"nor korea"*`, nil, []int{0}},
	} {
		q := Parse(c.q)
		if got := q.Find(text, 10); !reflect.DeepEqual(got, c.spans) {
			t.Errorf("Find(%q) = %v, want %v", c.q, got, c.spans)
		}
		if got, words := q.Frequencies(text); !reflect.DeepEqual(got, c.freq) || words != 7 {
			t.Errorf("Frequencies(%q) = %v, %d words; want %v, 7", c.q, got, words, c.freq)
		}
	}
}

func TestTokensEdges(t *testing.T) {
	type w struct {
		start, end int
		folded     string
	}
	for in, want := range map[string][]w{
		"az AZ 09 a z A Z 0 9": {{0, 2, "az"}, {3, 5, "az"}, {6, 8, "09"}, {9, 10, "a"}, {11, 12, "z"}, {13, 14, "a"}, {15, 16, "z"}, {17, 18, "0"}, {19, 20, "9"}},
		"@`[{/:":               nil,                          // the neighbours of a-z, A-Z and 0-9
		"e\u0301te x":          {{0, 4, "ete"}, {5, 6, "x"}}, // a mark at offset 1 stays in the word that starts at 0
		"\u0301e":              {{1, 2, "e"}},                // a mark cannot start a word
		"ÉCOLE Über":           {{0, 5, "ecole"}, {6, 10, "uber"}},
		"Éé":                   {{0, 2, "ee"}},
	} {
		var got []w
		for _, x := range Tokens(in) {
			got = append(got, w{x.Start, x.End, x.Word})
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Tokens(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestFindEdges(t *testing.T) {
	for _, c := range []struct {
		q, text string
		limit   int
		want    []Span
	}{
		{"china", "china", 0, nil},
		{`"north korea" china`, "china north korea", 10, []Span{{0, 5}, {6, 17}}},
		// One span per end: the first term that ends there.
		{`korea "north korea"`, "north korea", 10, []Span{{6, 11}}},
		{`"north korea" korea`, "north korea", 10, []Span{{0, 11}}},
		// Sorted by start, though found by end.
		{`b "a b c"`, "a b c", 10, []Span{{0, 5}, {2, 3}}},
	} {
		if got := Parse(c.q).Find(c.text, c.limit); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Find(%q, %q, %d) = %v, want %v", c.q, c.text, c.limit, got, c.want)
		}
	}
}

func TestFrequenciesEdges(t *testing.T) {
	for _, c := range []struct {
		q, text string
		want    []int
		words   int
	}{
		{`"north korea" china`, "china north korea", []int{2, 2}, 3},
		{"zebra", "ZEBRA zebra Zebra", []int{6}, 3},
		{"az", "a z A Z 0 9 az", []int{2}, 7},
		{"北朝鲜", "北朝鲜", []int{2}, 2}, // no ASCII at all: two pairs, 北朝 and 朝鲜
		{"école", "ÉCOLE", []int{2}, 1},
		{"refugee", "refugees refugee", []int{3}, 2}, // the stem once, as written once
	} {
		got, words := Parse(c.q).Frequencies(c.text)
		if !reflect.DeepEqual(got, c.want) || words != c.words {
			t.Errorf("Frequencies(%q, %q) = %v, %d; want %v, %d", c.q, c.text, got, words, c.want, c.words)
		}
	}
}

// TestFragmentEdges places matches among 30 words w0..w29 and checks the
// stretch of 10 words chosen: the first stretch holding the most matches,
// moved back by half the words left after its last match, kept inside
// the text.
func TestFragmentEdges(t *testing.T) {
	text := func(hits ...int) string {
		var b strings.Builder
		for i := range 30 {
			if i > 0 {
				b.WriteByte(' ')
			}
			if slices.Contains(hits, i) {
				b.WriteString("hit")
			} else {
				fmt.Fprintf(&b, "w%d", i)
			}
		}
		return b.String()
	}
	for _, c := range []struct {
		name     string
		text     string
		n        int
		from, to string // the stretch's first and last word
		matches  int
	}{
		{"centred", text(10, 12), 10, "w7", "w16", 2},
		{"one match", text(20), 10, "w16", "w25", 1},
		{"first of equals", text(5, 25), 10, "w1", "w10", 1},
		{"a match one past the stretch", text(0, 10, 11), 10, "w6", "w15", 2},
		{"kept inside the end", text(29), 10, "w20", "hit", 1},
		{"matches at both ends", text(0, 9), 10, "hit", "hit", 2},
	} {
		s, e, m := Parse("hit").Fragment(c.text, c.n)
		got := strings.Fields(string([]rune(c.text)[s:e]))
		if len(got) != c.n || got[0] != c.from || got[len(got)-1] != c.to || len(m) != c.matches {
			t.Errorf("%s: fragment %q with %d matches, want %s..%s with %d", c.name, got, len(m), c.from, c.to, c.matches)
		}
	}
	// Phrases: matches of several words, and two matches with one start.
	words := func(at map[int]string) string {
		var w []string
		for i := 0; i < 30; i++ {
			if s, ok := at[i]; ok {
				w = append(w, s)
				i += len(strings.Fields(s)) - 1
				continue
			}
			w = append(w, fmt.Sprintf("w%d", i))
		}
		return strings.Join(w, " ")
	}
	for _, c := range []struct {
		name, q, text string
		from, to      string
	}{
		// Centred on the phrase's last word (7), not its first.
		{"a phrase", `"north korea today"`, words(map[int]string{5: "north korea today"}), "w2", "w11"},
		// w5 starts two matches: it holds 2, as many as w20, and comes first.
		{"one start, two matches", `north "north korea"`, words(map[int]string{5: "north korea", 20: "north", 21: "north"}), "w1", "w10"},
		// The match at 20 is one past the stretch from 10: it does not pull it on.
		{"one past", "hit", text(10, 20), "w6", "w15"},
	} {
		s, e, _ := Parse(c.q).Fragment(c.text, 10)
		got := strings.Fields(string([]rune(c.text)[s:e]))
		if got[0] != c.from || got[len(got)-1] != c.to {
			t.Errorf("%s: fragment %q, want %s..%s", c.name, got, c.from, c.to)
		}
	}
	// The whole text: no more words than asked for, or a size of 0.
	whole := text(3)
	for _, n := range []int{0, -1, 30} {
		if s, e, m := Parse("hit").Fragment(whole, n); s != 0 || e != utf8.RuneCountInString(whole) || len(m) != 1 {
			t.Errorf("Fragment(n=%d) = %d..%d %v, want the whole text", n, s, e, m)
		}
	}
	// Punctuation before the first word and after the last belongs to the
	// stretch that reaches them.
	first, last := "— "+text(0)+".", "— "+text(29)+"."
	if s, _, _ := Parse("hit").Fragment(first, 10); s != 0 {
		t.Errorf("a stretch from the first word starts at %d, want 0", s)
	}
	if _, e, _ := Parse("hit").Fragment(last, 10); e != utf8.RuneCountInString(last) {
		t.Errorf("a stretch to the last word ends at %d, want %d", e, utf8.RuneCountInString(last))
	}
}

// edgeColumns names one column of words, one of stems and one of keys.
var edgeColumns = Columns{Words: []string{"w"}, Stems: []string{"s"}, Keys: "k"}

func TestParseStrayAnd(t *testing.T) {
	// AND between NOT and its word does not cancel the NOT.
	if got := Parse("x NOT AND y").FTS5(edgeColumns); got != `(({s} : "x")) NOT (({s} : "y"))` {
		t.Errorf(`Parse("x NOT AND y") = %s`, got)
	}
}

func TestExpandPrefixesEdges(t *testing.T) {
	index := map[string][]string{"refug": {"refugee", "refugees"}, "kor": {"korea"}}
	words := func(prefix string) ([]string, bool) {
		if prefix == "ch" {
			return nil, false
		}
		return index[prefix], true
	}
	for in, want := range map[string]string{
		`china OR refug*`:          `({s} : "china" OR {w} : "refugee" OR {w} : "refugees")`,
		`ch* OR refug*`:            `({w} : "ch"* OR {w} : "refugee" OR {w} : "refugees")`,
		`"south north kor"*`:       `({w} : "south north korea")`,
		`"kor"* OR north-kor* tea`: `({w} : "korea" OR {w} : "north korea") AND ({s} : "tea")`,
	} {
		if got := Parse(in).ExpandPrefixes(words).FTS5(edgeColumns); got != want {
			t.Errorf("%q: %s, want %s", in, got, want)
		}
	}
	// Each expansion is a phrase, so kor* adds no third term.
	want := []Term{{Text: "korea", Phrase: true}, {Text: "north korea", Phrase: true}}
	if got := Parse(`"kor"* OR north-kor* kor*`).ExpandPrefixes(words).Terms(); !reflect.DeepEqual(got, want) {
		t.Errorf("Terms = %+v, want %+v", got, want)
	}
}

// TestTokensCJKEdges pins where CJK runs start and end: a run is cut from
// the words around it where the script changes, a run of one character is
// itself, a longer one its overlapping pairs, and a combining mark (here
// an ideographic variation selector, as names in Japanese carry) stays in
// its character's pair and counts in the spans.
func TestTokensCJKEdges(t *testing.T) {
	type tok struct {
		start, end int
		word       string
		cjk        bool
	}
	for in, want := range map[string][]tok{
		"a北b":           {{0, 1, "a", false}, {1, 2, "北", true}, {2, 3, "b", false}},
		"北朝鲜x":          {{0, 2, "北朝", true}, {1, 3, "朝鲜", true}, {3, 4, "x", false}},
		"x北朝":           {{0, 1, "x", false}, {1, 3, "北朝", true}},
		"1北":            {{0, 1, "1", false}, {1, 2, "北", true}},
		"北 朝":           {{0, 1, "北", true}, {2, 3, "朝", true}},
		"北。朝鲜":          {{0, 1, "北", true}, {2, 4, "朝鲜", true}},
		"ひらカナ":          {{0, 2, "ひら", true}, {1, 3, "らカ", true}, {2, 4, "カナ", true}},
		"コーヒｰ":          {{0, 2, "コー", true}, {1, 3, "ーヒ", true}, {2, 4, "ヒｰ", true}},
		"葛\U000E0100飾区": {{0, 3, "葛\U000E0100飾", true}, {2, 4, "飾区", true}},
		"北朝\u0301":      {{0, 3, "北朝\u0301", true}},
		"北\u0301":       {{0, 2, "北\u0301", true}},
		"a\u1100":       {{0, 1, "a", false}, {1, 2, "\u1100", true}}, // U+1100, the first Hangul jamo
		"a\u10ff":       {{0, 2, "a\u10ff", false}},                   // U+10FF, a Georgian letter just below
		"\u0301北":       {{1, 2, "北", true}},
		"탈북자":           {{0, 2, "탈북", true}, {1, 3, "북자", true}},
	} {
		var got []tok
		for _, x := range Tokens(in) {
			if x.CJK && x.Stem != x.Word {
				t.Errorf("Tokens(%q): pair %q has the stem %q", in, x.Word, x.Stem)
			}
			got = append(got, tok{x.Start, x.End, x.Word, x.CJK})
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Tokens(%q) = %v, want %v", in, got, want)
		}
	}
	// A match after a variation selector is highlighted where it is.
	if got := Parse("飾区").Find("葛\U000E0100飾区", 5); !reflect.DeepEqual(got, []Span{{2, 4}}) {
		t.Errorf("Find(飾区) = %v, want [{2 4}]", got)
	}
}

// TestLexEdges pins how the lexer reads what follows a closing quote, a
// prefix's stars after a phrase, and the kinds typed in the plural.
func TestLexEdges(t *testing.T) {
	for _, c := range []struct {
		in       string
		terms    []Term
		excluded []Term
	}{
		// A word right after a closing quote starts afresh: '-' excludes it.
		{`"a b"-c`, []Term{{Text: "a b", Phrase: true}}, []Term{{Text: "c"}}},
		{`"a b"c`, []Term{{Text: "a b", Phrase: true}, {Text: "c"}}, nil},
		// The stars after a phrase make it a prefix, and are not the next word.
		{`"xy"*z`, []Term{{Text: "xy", Phrase: true, Prefix: true}, {Text: "z"}}, nil},
		{`"xy"**z`, []Term{{Text: "xy", Phrase: true, Prefix: true}, {Text: "z"}}, nil},
		{`"xy" *z`, []Term{{Text: "xy", Phrase: true}, {Text: "*z"}}, nil},
		// A prefix of one letter is the word, after other words too; one CJK
		// character stays a prefix, a pair is searched inside words anyway.
		{`"north k"*`, []Term{{Text: "north k", Phrase: true}}, nil},
		{`north-k*`, []Term{{Text: "north-k"}}, nil},
		{`north-ko*`, []Term{{Text: "north-ko", Prefix: true}}, nil},
		{`"a 中"*`, []Term{{Text: "a 中", Phrase: true, Prefix: true}}, nil},
		{`"a 中国"*`, []Term{{Text: "a 中国", Phrase: true}}, nil},
	} {
		q := Parse(c.in)
		if got := q.Terms(); !reflect.DeepEqual(got, c.terms) {
			t.Errorf("Parse(%q).Terms() = %+v, want %+v", c.in, got, c.terms)
		}
		if got := q.Excluded(); !reflect.DeepEqual(got, c.excluded) {
			t.Errorf("Parse(%q).Excluded() = %+v, want %+v", c.in, got, c.excluded)
		}
	}
	for in, want := range map[string][]string{
		"kind:entities":              {"entity"},
		"kind:replies kind:Quotes":   {"reply", "quote"},
		"kind:articles kind:article": {"article"},
		"kind:events kind:figures":   {"event", "figure"},
	} {
		if got := Parse(in).Kinds(); !reflect.DeepEqual(got, want) {
			t.Errorf("Parse(%q).Kinds() = %q, want %q", in, got, want)
		}
	}
}

// TestFieldsString: a tag with a space is quoted back, so it reparses as
// one tag.
func TestFieldsString(t *testing.T) {
	for in, want := range map[string]string{
		`tag:"Human  Rights"`:      `tag:"human rights"`,
		`x -tag:"a b"`:             `x -tag:"a b"`,
		`tag:actors/ngo kind:note`: `tag:actors/ngo kind:note`,
	} {
		q := Parse(in)
		if got := q.String(); got != want {
			t.Errorf("Parse(%q).String() = %q, want %q", in, got, want)
		}
		if again := Parse(q.String()); !reflect.DeepEqual(again.Tags(), q.Tags()) || !reflect.DeepEqual(again.NotTags(), q.NotTags()) {
			t.Errorf("Parse(%q) reparses with tags %q and %q, want %q and %q", in, again.Tags(), again.NotTags(), q.Tags(), q.NotTags())
		}
	}
}

// TestMaxTermsWithFields: tag: and kind: count towards MaxTerms with the
// words, in the order typed.
func TestMaxTermsWithFields(t *testing.T) {
	tags := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "tag:t%d ", i)
		}
		return b.String()
	}
	if got := len(Parse(tags(MaxTerms + 1)).Tags()); got != MaxTerms {
		t.Errorf("%d tags typed: %d kept, want %d", MaxTerms+1, got, MaxTerms)
	}
	if q := Parse(tags(MaxTerms) + "refugees"); q.HasText() {
		t.Errorf("a word after %d tags is kept: %v", MaxTerms, q.Terms())
	}
	if q := Parse(tags(MaxTerms-1) + "refugees"); !q.HasText() || len(q.Tags()) != MaxTerms-1 {
		t.Errorf("a word after %d tags is dropped: %v", MaxTerms-1, q.String())
	}
	// An ignored kind takes no room.
	if q := Parse("kind:banana " + tags(MaxTerms)); len(q.Tags()) != MaxTerms {
		t.Errorf("after an ignored kind: %d tags kept, want %d", len(q.Tags()), MaxTerms)
	}
}

// TestMatchEdges: a stem as long as the word it is found in, capitals
// folded however few, and a term with no word in it (a correction to
// punctuation), which matches nothing.
func TestMatchEdges(t *testing.T) {
	for _, c := range []struct {
		q     Query
		text  string
		spans []Span
		freq  []int
	}{
		{Parse("deported"), "deport", []Span{{0, 6}}, []int{1}},
		{Parse("aid"), "Aid", []Span{{0, 3}}, []int{2}},
		{Parse("zoo"), "Zoo", []Span{{0, 3}}, []int{2}},
		{Term{Text: "!!"}.Alone(), "a b !!", nil, []int{0}},
		{Parse("refugees china").Replace(Term{Text: "refugees"}, "--"), "refugees in china", []Span{{12, 17}}, []int{0, 2}},
	} {
		if got := c.q.Find(c.text, 5); !reflect.DeepEqual(got, c.spans) {
			t.Errorf("%q: Find(%q) = %v, want %v", c.q.String(), c.text, got, c.spans)
		}
		if got, _ := c.q.Frequencies(c.text); !reflect.DeepEqual(got, c.freq) {
			t.Errorf("%q: Frequencies(%q) = %v, want %v", c.q.String(), c.text, got, c.freq)
		}
	}
}

// TestDocEdges: PostgreSQL's longest lexeme (2,046 bytes) is kept, a
// longer one dropped (a stem's mark counts); keys alone make a Doc.
func TestDocEdges(t *testing.T) {
	long := strings.Repeat("a", maxLexeme)
	if doc, _ := Doc([]Field{{Text: long}}, nil); doc != "'"+long+"':1" {
		t.Errorf("a word of %d bytes: %.40s…, want it without its stem", maxLexeme, doc)
	}
	if doc, _ := Doc([]Field{{Text: long + "a"}}, nil); doc != "" {
		t.Errorf("a word of %d bytes: %.40s…, want none", maxLexeme+1, doc)
	}
	for _, fields := range [][]Field{nil, {{Text: "!!"}}} {
		if doc, words := Doc(fields, []string{KindKey("note"), GroupKey(3)}); doc != `'#knote' '#g3'` || words != nil {
			t.Errorf("Doc(%v) with keys only = %q, %q", fields, doc, words)
		}
	}
}

package searchquery

import (
	"reflect"
	"testing"
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
		{Term{Text: "-x"}, `"-x"`},
		{Term{Text: "+x"}, `"+x"`},
		{Term{Text: "x-y+z"}, `x-y+z`},
		{Term{Text: "北朝鲜", Prefix: true}, `北朝鲜*`},
		{Term{}, `""`},
	} {
		if got := c.term.String(); got != c.want {
			t.Errorf("%+v.String() = %q, want %q", c.term, got, c.want)
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
// matches the start of a longer word.
func TestPlainTermIsWholeWord(t *testing.T) {
	text := "deportation deport deported northern korea north korean"
	for _, c := range []struct {
		q     string
		spans []Span
		freq  []int
	}{
		{"deport", []Span{{12, 18}}, []int{1}},
		{"deport*", []Span{{0, 11}, {12, 18}, {19, 27}}, []int{3}},
		{`"north korea"`, nil, []int{0}},
		{`"north korea"*`, []Span{{43, 55}}, []int{1}},
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

package searchquery

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

var testColumns = Columns{Words: []string{"w"}, Stems: []string{"s"}, Keys: "k"}

func TestParseFTS5(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"", ""},
		{"   ", ""},
		{"refugees", "({s} : \"refuge\")"},
		{"refugees china", "({s} : \"refuge\") AND ({s} : \"china\")"},
		{"refugees AND china", "({s} : \"refuge\") AND ({s} : \"china\")"},
		{"\"north korean\" refugees", "({w} : \"north korean\") AND ({s} : \"refuge\")"},
		{"\"north   korean", "({w} : \"north korean\")"},
		{"deport*", "({w} : \"deport\"*)"},
		{"\"north kor\"*", "({w} : \"north kor\"*)"},
		{"embassy OR consulate", "({s} : \"embassi\" OR {s} : \"consul\")"},
		{"refugees embassy OR consulate", "({s} : \"refuge\") AND ({s} : \"embassi\" OR {s} : \"consul\")"},
		{"a OR b OR c d", "({s} : \"a\" OR {s} : \"b\" OR {s} : \"c\") AND ({s} : \"d\")"},
		{"embassy | consulate", "({s} : \"embassi\" OR {s} : \"consul\")"},
		{"refugees -china", "(({s} : \"refuge\")) NOT (({s} : \"china\"))"},
		{"refugees NOT china NOT korea", "(({s} : \"refuge\")) NOT (({s} : \"china\" OR {s} : \"korea\"))"},
		{"refugees -\"north korea\"", "(({s} : \"refuge\")) NOT (({w} : \"north korea\"))"},
		{"-china", ""},
		{"NOT china", ""},
		{"OR", ""},
		{"OR a OR", "({s} : \"a\")"},
		{"a OR -b", "(({s} : \"a\")) NOT (({s} : \"b\"))"},
		{"a OR OR b", "({s} : \"a\" OR {s} : \"b\")"},
		{"NOT", ""},
		{"*", ""},
		{"a*", "({s} : \"a\")"},
		{"é*", "({s} : \"e\")"},
		{"ab*", "({w} : \"ab\"*)"},
		{"+refugees", "({s} : \"refuge\")"},
		{"- refugees", "({s} : \"refuge\")"},
		{"or not and", "({s} : \"or\") AND ({s} : \"not\") AND ({s} : \"and\")"},
		{"say \"hi", "({s} : \"sai\") AND ({w} : \"hi\")"},
		{"a\"b\"c", "({s} : \"a\") AND ({w} : \"b\") AND ({s} : \"c\")"},
		{"\"a \"\"b\"", "({w} : \"a\") AND ({w} : \"b\")"},
		{"'; DROP TABLE annotations; --", "({s} : \"drop\") AND ({s} : \"tabl\") AND ({s} : \"annot\")"},
		{"NEAR(a b)", "({s} : \"near\") AND ({s} : \"a\") AND ({s} : \"b\")"},
		{"body:secret", "({s} : \"bodi secret\")"},
		{"^start", "({s} : \"start\")"},
		{"(a OR b) c", "({s} : \"a\" OR {s} : \"b\") AND ({s} : \"c\")"},
		{"!!! ... ---", ""},
		{"🎉", ""},
		{"x\x00y", "({s} : \"x\") AND ({s} : \"y\")"},
		{"Pyöngyang", "({s} : \"pyongyang\")"},
		{"\xff\xferefugees\xff", "({s} : \"refuge\")"},
		{"a a a", "({s} : \"a\")"},
		{"北朝鲜", "({s} : \"北朝 朝鲜\")"},
		{"\"北朝鲜\"", "({w} : \"北朝 朝鲜\")"},
		{"탈북자", "({s} : \"탈북 북자\")"},
		{"中*", "({w} : \"中\"*)"},
		{"a\"b", "({s} : \"a\") AND ({w} : \"b\")"},
		{"\"\"", ""},
		{"\"\" x", "({s} : \"x\")"},
		{"\"xy\"*z", "({w} : \"xy\"*) AND ({s} : \"z\")"},
		{"a\u200bb", "({s} : \"a\") AND ({s} : \"b\")"},
		{"don't", "({s} : \"don t\")"},
		{"-\"", ""},
		{"-", ""},
		{"he said \"x", "({s} : \"he\") AND ({s} : \"said\") AND ({w} : \"x\")"},
		// Operators.
		{"tag:numbers", `{k} : "tag6e756d62657273"`},
		{"TAG:Numbers refugees", `({s} : "refuge") AND {k} : "tag6e756d62657273"`},
		{`tag:"Human  Rights" x`, `({s} : "x") AND {k} : "tag68756d616e20726967687473"`},
		{"kind:figure", `{k} : ("kfigure")`},
		{"kind:figures kind:note x", `({s} : "x") AND {k} : ("kfigure" OR "knote")`},
		{"x -tag:todo", `(({s} : "x")) NOT ({k} : "tag746f646f")`},
		{"kind:banana", ""},
		{"-tag:todo", ""},
		{"tag:", `({s} : "tag")`},
		{"refugees OR tag:x", `({s} : "refuge") AND {k} : "tag78"`},
	} {
		got := Parse(tc.in).FTS5(testColumns)
		if got != tc.want {
			t.Errorf("Parse(%q).FTS5() = %s, want %s", tc.in, got, tc.want)
		}
		checkFTS5(t, tc.in, got)
	}
	// Keys required by filters, and bm25's boost of exact forms.
	c := testColumns
	c.Boost = true
	if got, want := Parse("refugees").FTS5(c, GroupKey(7)), `({s} : "refuge" OR {w} : "refugees") AND {k} : "g7"`; got != want {
		t.Errorf("boost and keys: %s, want %s", got, want)
	}
	if got := Parse("").FTS5(c, GroupKey(7)); got != `{k} : "g7"` {
		t.Errorf("keys alone: %s", got)
	}
}

func TestOperators(t *testing.T) {
	q := Parse(`tag:actors/ngo kind:figure -tag:todo kind:banana refugees`)
	if !reflect.DeepEqual(q.Tags(), []string{"actors/ngo"}) || !reflect.DeepEqual(q.NotTags(), []string{"todo"}) ||
		!reflect.DeepEqual(q.Kinds(), []string{"figure"}) || !reflect.DeepEqual(q.Ignored(), []string{"kind:banana"}) {
		t.Errorf("tags %v, not %v, kinds %v, ignored %v", q.Tags(), q.NotTags(), q.Kinds(), q.Ignored())
	}
	if q.Empty() || Parse("kind:note").Empty() || !Parse("-tag:x").Empty() || Parse("tag:x").HasText() {
		t.Error("Empty or HasText is wrong")
	}
	if got := q.String(); got != "refugees tag:actors/ngo -tag:todo kind:figure" {
		t.Errorf("String() = %q", got)
	}
}

func TestParseLimits(t *testing.T) {
	long := strings.Repeat("word ", 5000)
	q := Parse(long)
	if n := len(q.Terms()); n != 1 {
		t.Errorf("repeated word: %d terms", n)
	}
	var b strings.Builder
	for i := range 100 {
		b.WriteString("w")
		b.WriteString(strings.Repeat("x", i%7+1))
		b.WriteString(string(rune('a' + i%26)))
		b.WriteString(" ")
	}
	q = Parse(b.String())
	if n := len(q.Terms()) + len(q.Excluded()); n > MaxTerms {
		t.Errorf("%d terms kept, max %d", n, MaxTerms)
	}
	q = Parse(`"` + strings.Repeat("ab ", 1000))
	if n := utf8.RuneCountInString(q.Terms()[0].Text); n > MaxTermRunes {
		t.Errorf("term of %d runes kept", n)
	}
}

func TestTerms(t *testing.T) {
	q := Parse(`refugees "north korean" deport* OR refugees -china`)
	want := []Term{{Text: "refugees"}, {Text: "north korean", Phrase: true}, {Text: "deport", Prefix: true}}
	if got := q.Terms(); !reflect.DeepEqual(got, want) {
		t.Errorf("Terms() = %+v, want %+v", got, want)
	}
	if got := q.Excluded(); !reflect.DeepEqual(got, []Term{{Text: "china"}}) {
		t.Errorf("Excluded() = %+v", got)
	}
	if q.Empty() || !Parse("-x").Empty() {
		t.Error("Empty is wrong")
	}
}

func TestStringRoundTrip(t *testing.T) {
	for _, in := range []string{
		`refugees "north korean" deport* OR exile -china`,
		`--x`, `"OR"`, `-"OR" a`, `北朝鲜`, `a*b`, `"x"*`, `"a"b`, `|`, `"|"`, `foo-*`,
	} {
		q := Parse(in)
		again := Parse(q.String())
		if q.FTS5(testColumns) != again.FTS5(testColumns) {
			t.Errorf("%q: String() = %q reparses to %s, want %s", in, q.String(), again.FTS5(testColumns), q.FTS5(testColumns))
		}
	}
}

func TestFind(t *testing.T) {
	text := "North Korean refugees in China. Pyöngyang said the REFUGEES were deported; 北朝鲜难民在中国."
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"refugees", []string{"refugees", "REFUGEES"}},
		{`"korean refugees"`, []string{"Korean refugees"}},
		{"deport*", []string{"deported"}},
		{"pyongyang", []string{"Pyöngyang"}},
		{"PYÖNGYANG", []string{"Pyöngyang"}},
		{"北朝鲜", []string{"北朝鲜"}},
		{"难民", []string{"难民"}},
		{"deport", []string{"deported"}},
		{`"deport"`, nil},
		{"refugee", []string{"refugees", "REFUGEES"}},
		{"north OR china", []string{"North", "China"}},
		{"absent", nil},
		{"-refugees", nil},
	} {
		rs := []rune(text)
		var got []string
		for _, s := range Parse(tc.q).Find(text, 10) {
			got = append(got, string(rs[s.Start:s.End]))
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Find(%q) = %q, want %q", tc.q, got, tc.want)
		}
	}
	if got := Parse("refugees").Find(text, 1); len(got) != 1 {
		t.Errorf("limit 1: %v", got)
	}
	// Decomposed text folds like composed.
	if got := Parse("pyongyang").Find("in Pyo\u0308ngyang", 1); len(got) != 1 || got[0] != (Span{3, 13}) {
		t.Errorf("decomposed: %v", got)
	}
}

// checkFTS5 checks that s is in the small FTS5 grammar FTS5() emits:
// quoted strings (quotes doubled inside), an optional '*' after one, a
// column filter {a b} : before an operand,
// AND/OR/NOT between operands, balanced parentheses; NOT never first.
func checkFTS5(t *testing.T, in, s string) {
	t.Helper()
	depth := 0
	expectOperand := true
	for i := 0; i < len(s); {
		switch {
		case s[i] == ' ':
			i++
		case s[i] == '{':
			// A column filter: {a b} : before an operand.
			end := strings.Index(s[i:], "} : ")
			if !expectOperand || end < 0 {
				t.Fatalf("Parse(%q): bad column filter in %s", in, s)
			}
			i += end + len("} : ")
		case s[i] == '(':
			if !expectOperand {
				t.Fatalf("Parse(%q): '(' after an operand in %s", in, s)
			}
			depth++
			i++
		case s[i] == ')':
			if expectOperand || depth == 0 {
				t.Fatalf("Parse(%q): bad ')' in %s", in, s)
			}
			depth--
			i++
		case s[i] == '"':
			if !expectOperand {
				t.Fatalf("Parse(%q): two operands in a row in %s", in, s)
			}
			i++
			for {
				if i >= len(s) {
					t.Fatalf("Parse(%q): unterminated string in %s", in, s)
				}
				if s[i] == '"' {
					if i+1 < len(s) && s[i+1] == '"' {
						i += 2
						continue
					}
					i++
					break
				}
				i++
			}
			if i < len(s) && s[i] == '*' {
				i++
			}
			expectOperand = false
		default:
			op := ""
			for _, o := range []string{"AND", "OR", "NOT"} {
				if strings.HasPrefix(s[i:], o+" ") {
					op = o
				}
			}
			if op == "" || expectOperand {
				t.Fatalf("Parse(%q): unexpected %q in %s", in, s[i:], s)
			}
			i += len(op)
			expectOperand = true
		}
	}
	if depth != 0 || (s != "" && expectOperand) {
		t.Fatalf("Parse(%q): unbalanced %s", in, s)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", `"`, `""`, "*", "OR", "NOT", "-", "a OR", `'; DROP TABLE x; --`, `NEAR(a b, 2)`,
		"col:term", "^x", "\xff\xfe", "tag:", "a --x", "北朝鲜 难民", `a "b c"* -d OR e`, "\x00", strings.Repeat("x ", 600),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		q := Parse(in)
		s := q.FTS5(testColumns)
		if q.Empty() != (s == "") {
			t.Fatalf("Parse(%q): Empty %v but FTS5 %q", in, q.Empty(), s)
		}
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			t.Fatalf("Parse(%q): FTS5 %q is not clean text", in, s)
		}
		checkFTS5(t, in, s)
		if again := Parse(q.String()).FTS5(testColumns); again != s {
			t.Fatalf("Parse(%q): String %q reparses to %s, want %s", in, q.String(), again, s)
		}
		for _, sp := range q.Find(in, 5) {
			if sp.Start < 0 || sp.End <= sp.Start || sp.End > utf8.RuneCountInString(in) {
				t.Fatalf("Find in %q: bad span %v", in, sp)
			}
		}
		freq, words := q.Frequencies(in)
		if len(freq) != len(q.Terms()) || words < 0 {
			t.Fatalf("Frequencies in %q: %v, %d words", in, freq, words)
		}
		start, end, matches := q.Fragment(in, 3)
		if start < 0 || end < start || end > utf8.RuneCountInString(in) {
			t.Fatalf("Fragment of %q: bad bounds %d..%d", in, start, end)
		}
		for _, sp := range matches {
			if sp.Start < start || sp.End > end || sp.End <= sp.Start {
				t.Fatalf("Fragment of %q: match %v outside %d..%d", in, sp, start, end)
			}
		}
	})
}

func TestFrequencies(t *testing.T) {
	for _, tc := range []struct {
		q, text string
		want    []int
		words   int
	}{
		// As written counts 2, by stem only 1.
		{"refugees", "North Korean refugees in China. The REFUGEES were deported.", []int{4}, 9},
		{"refugee", "North Korean refugees in China. The REFUGEE were deported.", []int{3}, 9},
		{"refugees china", "Refugees, refugees; china", []int{4, 2}, 3},
		{`"korean refugees" deport*`, "korean refugees deported, Korean Refugees deportations, refugees korean", []int{4, 4}, 8},
		{"pyongyang", "Pyöngyang and PYONGYANG and pyo\u0308ngyang", []int{6}, 5},
		{"absent", "nothing here", []int{0}, 2},
		{"refugees -china", "refugees in china", []int{2}, 3}, // negations are not counted
		{"x", "", []int{0}, 0},
		{"北朝鲜", "北朝鲜难民在中国 and 北朝鲜", []int{4}, 10}, // pairs of characters are tokens
	} {
		got, words := Parse(tc.q).Frequencies(tc.text)
		if !reflect.DeepEqual(got, tc.want) || words != tc.words {
			t.Errorf("Frequencies(%q, %q) = %v, %d words; want %v, %d", tc.q, tc.text, got, words, tc.want, tc.words)
		}
	}
	// A Counter counts text after text from a clean start.
	c := Parse(`"north korea"`).Counter()
	freq := make([]int, 1)
	c.Count("the north", freq)
	c.Count("korea", freq) // not a phrase across texts
	if freq[0] != 0 {
		t.Errorf("a phrase across two texts: %v", freq)
	}
}

func TestFragment(t *testing.T) {
	short := "Seven people climbed the consulate wall in Shenyang."
	if s, e, m := Parse("shenyang").Fragment(short, 24); s != 0 || e != utf8.RuneCountInString(short) || len(m) != 1 {
		t.Errorf("short text: %d..%d %v", s, e, m)
	}
	// Forty filler words, then three matches close together, then more filler.
	var words []string
	for i := range 40 {
		words = append(words, fmt.Sprintf("w%d", i))
	}
	words = append(words, "refugees", "crossed", "refugees", "and", "refugees")
	for i := range 40 {
		words = append(words, fmt.Sprintf("v%d", i))
	}
	words = append(words[:3], append([]string{"refugees"}, words[3:]...)...) // one lone match early
	text := strings.Join(words, " ")
	rs := []rune(text)
	s, e, m := Parse("refugees").Fragment(text, 10)
	got := string(rs[s:e])
	if len(m) != 3 || strings.Count(got, "refugees") != 3 || len(strings.Fields(got)) != 10 {
		t.Errorf("fragment %q with %v", got, m)
	}
	for _, sp := range m {
		if sp.Start < s || sp.End > e || string(rs[sp.Start:sp.End]) != "refugees" {
			t.Errorf("match %v outside %d..%d or not a match", sp, s, e)
		}
	}
	if fields := strings.Fields(got); fields[0] == "refugees" {
		t.Errorf("the matches are not centred: %q", got)
	}
	// No match: the first words.
	if s, e, m := Parse("absent").Fragment(text, 5); s != 0 || string(rs[s:e]) != "w0 w1 w2 refugees w3" || m != nil {
		t.Errorf("no match: %q %v", string(rs[s:e]), m)
	}
}

func TestExpandPrefixes(t *testing.T) {
	index := map[string][]string{"refug": {"refugee", "refugees"}, "kor": {"korea", "korean"}, "depor": nil, "中": {"中国"}}
	words := func(prefix string) ([]string, bool) {
		if prefix == "ch" {
			return nil, false // too many
		}
		return index[prefix], true
	}
	for _, tc := range []struct{ in, want string }{
		{`refug* "north kor"* -depor* china`, `({w} : "refugee" OR {w} : "refugees") AND ({w} : "north korea" OR {w} : "north korean") AND ({s} : "china")`},
		{`ch* refugees`, `({w} : "ch"*) AND ({s} : "refuge")`},
		{`Réfug*`, `({w} : "refugee" OR {w} : "refugees")`},
		{`中*`, `({w} : "中国")`},
		{`depor* china`, ``}, // a prefix that starts no word: nothing matches
		{`depor* OR china`, `({s} : "china")`},
		{`refug* tag:x`, `({w} : "refugee" OR {w} : "refugees") AND {k} : "tag78"`},
	} {
		if got := Parse(tc.in).ExpandPrefixes(words).FTS5(testColumns); got != tc.want {
			t.Errorf("%q: %s, want %s", tc.in, got, tc.want)
		}
	}
}

package searchquery

import (
	"reflect"
	"slices"
	"testing"
)

// TestCorrectable: a "did you mean" corrects single bare words of three
// letters or more, typed positive; each condition alone rules a term out.
func TestCorrectable(t *testing.T) {
	for in, want := range map[string][]string{
		"refugees":                      {"refugees"},
		"abc":                           {"abc"}, // three letters: the shortest
		"ab":                            nil,
		"été":                           {"été"}, // three letters in five bytes
		"éa":                            nil,     // two letters in three bytes
		`"refugees"`:                    nil,     // a phrase
		"refugees*":                     nil,     // a prefix
		"north-korea":                   nil,     // two words
		"难\u0301民":                      nil,     // one CJK pair, of three code points with its mark
		"-refugees exile":               {"exile"},
		"refugees OR exile refugees ab": {"refugees", "exile"},
		"ab refugees":                   {"refugees"}, // after a term that is not
		"":                              nil,
	} {
		var got []string
		for _, term := range Parse(in).Correctable() {
			got = append(got, term.Text)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Parse(%q).Correctable() = %q, want %q", in, got, want)
		}
	}
}

// osaDistance is the edit distance of a and b counting a deletion,
// insertion, replacement or swap of two neighbours as one edit (optimal
// string alignment).
func osaDistance(a, b []rune) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// TestEdits compares Edits with every word, over a to z, the digits and
// the word's own letters, at an edit distance of exactly 1: the same set,
// each word once.
func TestEdits(t *testing.T) {
	for _, word := range []string{"a", "ab", "aa", "z9", "ñu"} {
		alphabet := []rune("abcdefghijklmnopqrstuvwxyz0123456789")
		for _, r := range word {
			if !slices.Contains(alphabet, r) {
				alphabet = append(alphabet, r)
			}
		}
		// Every word one letter shorter, as long or one letter longer.
		var want []string
		n := len([]rune(word))
		var walk func(prefix []rune)
		walk = func(prefix []rune) {
			if len(prefix) >= n-1 && len(prefix) > 0 && osaDistance(prefix, []rune(word)) == 1 {
				want = append(want, string(prefix))
			}
			if len(prefix) == n+1 {
				return
			}
			for _, c := range alphabet {
				walk(append(slices.Clip(prefix), c))
			}
		}
		walk(nil)
		got := Edits(word)
		sorted := slices.Clone(got)
		slices.Sort(sorted)
		slices.Sort(want)
		if !slices.Equal(sorted, want) {
			t.Errorf("Edits(%q): %d words, want %d (%q)", word, len(got), len(want), diff(sorted, want))
		}
	}
	// A few by name: each kind of edit, of a word as the index holds it.
	got := Edits("refugee")
	for _, w := range []string{"refuge", "erfugee", "refugees", "refugeg", "refugée", "refgee", "refguee"} {
		if want := w != "refugée"; slices.Contains(got, w) != want {
			t.Errorf("Edits(refugee) holds %q: %v, want %v", w, !want, want)
		}
	}
}

// diff returns the words in one of a and b only.
func diff(a, b []string) []string {
	var out []string
	for _, w := range a {
		if !slices.Contains(b, w) {
			out = append(out, "+"+w)
		}
	}
	for _, w := range b {
		if !slices.Contains(a, w) {
			out = append(out, "-"+w)
		}
	}
	return out
}

// TestReplace: a correction replaces the term wherever it was typed,
// included or excluded, as a bare word, and leaves the query it came from
// alone.
func TestReplace(t *testing.T) {
	for _, c := range []struct {
		in   string
		old  Term
		with string
		want string
	}{
		{"refugee OR exile -refugee china", Term{Text: "refugee"}, "refuge", "refuge OR exile china -refuge"},
		{`"refugee" refugee`, Term{Text: "refugee"}, "refuge", `"refugee" refuge`},
		{`"refugee" refugee`, Term{Text: "refugee", Phrase: true}, "refuge", `refuge refugee`},
		{"refugee tag:x kind:note", Term{Text: "refugee"}, "refuge", "refuge tag:x kind:note"},
		{"china", Term{Text: "refugee"}, "refuge", "china"},
	} {
		q := Parse(c.in)
		before := q.String()
		if got := q.Replace(c.old, c.with).String(); got != c.want {
			t.Errorf("Parse(%q).Replace(%+v, %q) = %q, want %q", c.in, c.old, c.with, got, c.want)
		}
		if q.String() != before {
			t.Errorf("Parse(%q).Replace changed the query to %q", c.in, q.String())
		}
	}
}

func TestTermWord(t *testing.T) {
	for _, c := range []struct {
		term Term
		want string
	}{
		{Term{Text: "Réfugiés"}, "refugies"},
		{Term{Text: "north korea", Phrase: true}, "north"},
		{Term{Text: "!!"}, ""},
		{Term{}, ""},
	} {
		if got := c.term.Word(); got != c.want {
			t.Errorf("%+v.Word() = %q, want %q", c.term, got, c.want)
		}
	}
}

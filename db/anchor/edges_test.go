package anchor

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// The scenarios below are built from a stored context P (prefix) and S
// (suffix) of 32 letters each and filler of digits, which no quote or
// context contains. Keeping the k runes of a context nearest the quote and
// turning the rest into digits gives that side an edit distance of exactly
// 32-k, so every score is known in advance: with m quote runes, e errors
// and kp, ks runes of context kept,
//
//	score = (m-e + 32*(kp+ks+max(kp,ks))/96) / (m+32).
const (
	edgeP = "sailors rested near the seawall " // 32 runes
	edgeS = " while gulls circled the old tow" // 32 runes
	edgeQ = "quiet harbour"                    // 13 runes
	edgeN = "quiet hXrbour"                    // one substitution
)

func digits(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteByte(byte('0' + i%10))
	}
	return b.String()
}

// around is quote with kp runes of P before it and ks of S after it, each
// side padded to 32 runes with digits.
func around(kp int, quote string, ks int) string {
	return digits(32-kp) + edgeP[32-kp:] + quote + edgeS[:ks] + digits(32-ks)
}

// edgeScore is the score above for a quote of m runes.
func edgeScore(m, e, kp, ks int) float64 {
	cs := float64(kp+ks+max(kp, ks)) / 96
	return (float64(m-e) + 32*cs) / float64(m+32)
}

func TestEdgeFixtures(t *testing.T) {
	for _, s := range []string{edgeP, edgeS} {
		if utf8.RuneCountInString(s) != 32 || strings.ContainsAny(s, "0123456789q") {
			t.Fatalf("%q: want 32 runes, no digit, no q", s)
		}
	}
	if utf8.RuneCountInString(edgeQ) != 13 || strings.Contains(edgeP+edgeS, "quiet") {
		t.Fatal("edgeQ")
	}
}

// TestLocateEdges pins the choices Locate makes between candidates, each
// at the edge where it would flip: the stored position against a better
// copy elsewhere, exact copies against each other and against near copies,
// ties, and a score of exactly MinScore.
func TestLocateEdges(t *testing.T) {
	stored := digits(20) + edgeP + edgeQ + edgeS + digits(20) // the quote at 52
	for _, c := range []struct {
		name     string
		original string // the text the selection was made in
		start    int    // the selection's start, edgeQ long unless quote is set
		quote    string
		edited   string
		status   Status
		at       int     // the match's start in edited
		score    float64 // 0: 1 for Anchored and Moved
	}{
		{name: "AnchoredAtStartDespiteBetterCopy",
			// Three runes of the suffix changed at 0; a perfect copy later.
			original: edgeQ + edgeS + digits(20), start: 0,
			edited: edgeQ + edgeS[:29] + "abc" + digits(10) + edgeQ + edgeS + digits(20),
			status: Anchored, at: 0},
		{name: "AnchoredAtEndDespiteBetterCopy",
			original: digits(60) + edgeP + edgeQ, start: 92,
			edited: edgeP + edgeQ + digits(15) + around(29, edgeQ, 0)[:45],
			status: Anchored, at: 92},
		{name: "AnchoredInDamagedContext",
			original: stored, start: 52,
			edited: digits(20) + around(29, edgeQ, 29) + digits(10) + edgeP + edgeQ + edgeS,
			status: Anchored, at: 52},
		{name: "ExactCopyWithBetterContext",
			// Both copies score over 0.9; the farther one is perfect.
			original: stored, start: 52,
			edited: digits(30) + around(30, edgeQ, 32) + digits(20) + around(32, edgeQ, 32) + digits(5),
			status: Moved, at: 159},
		{name: "TieGoesToTheNearerCopy",
			original: digits(200) + edgeP + edgeQ + edgeS + digits(20), start: 232,
			edited: digits(20) + edgeP + edgeQ + edgeS + digits(20) + edgeP + edgeQ + edgeS + digits(20),
			status: Moved, at: 149},
		{name: "TieAtEqualDistanceGoesToTheFirst",
			original: digits(200) + edgeP + edgeQ + edgeS + digits(20), start: 232,
			edited: digits(20) + edgeP + edgeQ + edgeS + digits(283) + edgeP + edgeQ + edgeS + digits(20),
			status: Moved, at: 52},
		{name: "NearCopyInPlaceBeatsUnrelatedExactCopy",
			original: stored, start: 52,
			edited: digits(20) + edgeP + edgeN + edgeS + digits(20) + edgeQ + digits(40),
			status: Approximate, at: 52, score: edgeScore(13, 1, 32, 32)},
		{name: "NearCopyInPlaceBeatsExactCopyInHalfItsContext",
			// The exact copy scores 0.76, the near copy 0.98: more than 0.1 better.
			original: stored, start: 52,
			edited: digits(20) + edgeP + edgeN + edgeS + digits(20) + around(0, edgeQ, 32) + digits(5),
			status: Approximate, at: 52, score: edgeScore(13, 1, 32, 32)},
		{name: "NearCopyAfterExactCopyInHalfItsContext",
			original: digits(120) + edgeP + edgeQ + edgeS + digits(20), start: 152,
			edited: digits(5) + around(0, edgeQ, 32) + digits(20) + edgeP + edgeN + edgeS + digits(20),
			status: Approximate, at: 134, score: edgeScore(13, 1, 32, 32)},
		{name: "ExactCopyBeatsNearCopyLessThanMarginBetter",
			// The exact copy scores 0.8815, the near copy 0.9778: not 0.1 better.
			original: stored, start: 52,
			edited: digits(20) + edgeP + edgeN + edgeS + digits(20) + around(16, edgeQ, 32) + digits(5),
			status: Moved, at: 149},
		{name: "NearCopyContextDecides",
			original: stored, start: 52,
			edited: digits(20) + around(0, edgeN, 0) + digits(20) + edgeP + "quiet harboXr" + edgeS + digits(20),
			status: Approximate, at: 149, score: edgeScore(13, 1, 32, 32)},
		{name: "ExactlyMinScoreMoved",
			// 4 runes, 23 of each side kept: (4 + 23) / 36 = 0.75.
			original: digits(20) + edgeP + "quay" + edgeS + digits(20), start: 52, quote: "quay",
			edited: digits(30) + around(23, "quay", 23) + digits(30),
			status: Moved, at: 62},
		{name: "ExactlyMinScoreAnchored",
			original: digits(20) + edgeP + "quay" + edgeS + digits(20), start: 52, quote: "quay",
			edited: digits(20) + around(23, "quay", 23) + digits(30),
			status: Anchored, at: 52},
	} {
		t.Run(c.name, func(t *testing.T) {
			quote := c.quote
			if quote == "" {
				quote = edgeQ
			}
			m := utf8.RuneCountInString(quote)
			sel, err := FromRange(c.original, c.start, c.start+m)
			if err != nil || sel.Exact != quote {
				t.Fatalf("fixture: selection %+v, %v", sel, err)
			}
			got := Locate(c.edited, sel)
			want := Match{Start: c.at, End: c.at + m, Status: c.status, Score: 1}
			if c.score != 0 {
				want.Score = c.score
			}
			if got.Status != want.Status || got.Start != want.Start || got.End != want.End || math.Abs(got.Score-want.Score) > 1e-9 {
				r := []rune(c.edited)
				t.Errorf("Locate = %+v (%q), want %+v", got, string(r[got.Start:got.End]), want)
			}
		})
	}
}

func TestEdgeScoreFixture(t *testing.T) {
	// The worked examples in TestLocateEdges' comments.
	for _, c := range []struct {
		got, want float64
	}{
		{edgeScore(13, 0, 0, 32), 0.7630},
		{edgeScore(13, 1, 32, 32), 0.9778},
		{edgeScore(13, 0, 16, 32), 0.8815},
		{edgeScore(4, 0, 23, 23), 0.75},
	} {
		if math.Abs(c.got-c.want) > 5e-5 {
			t.Errorf("score %v, want %v", c.got, c.want)
		}
	}
}

// TestBetterIsAStrictOrder: higher score, then nearer the hint, then
// earlier; nothing is better than its equal.
func TestBetterIsAStrictOrder(t *testing.T) {
	const hint = 12
	for _, c := range []struct {
		c, o candidate
		want bool
	}{
		{candidate{start: 40, score: 0.9}, candidate{start: 12, score: 0.8}, true},
		{candidate{start: 12, score: 0.8}, candidate{start: 40, score: 0.9}, false},
		{candidate{start: 10, score: 0.8}, candidate{start: 20, score: 0.8}, true}, // 2 from the hint, not 8
		{candidate{start: 20, score: 0.8}, candidate{start: 10, score: 0.8}, false},
		{candidate{start: 15, score: 0.8}, candidate{start: 7, score: 0.8}, true}, // 3 against 5
		{candidate{start: 7, score: 0.8}, candidate{start: 15, score: 0.8}, false},
		{candidate{start: 8, score: 0.8}, candidate{start: 16, score: 0.8}, true}, // 4 each: the earlier
		{candidate{start: 16, score: 0.8}, candidate{start: 8, score: 0.8}, false},
		{candidate{start: 8, end: 20, score: 0.8}, candidate{start: 8, end: 21, score: 0.8}, false},
		{candidate{start: 8, end: 21, score: 0.8}, candidate{start: 8, end: 20, score: 0.8}, false},
	} {
		if got := c.c.better(c.o, hint); got != c.want {
			t.Errorf("%+v.better(%+v, %d) = %v, want %v", c.c, c.o, hint, got, c.want)
		}
	}
}

// TestCombine pins the score formula on hand-worked values.
func TestCombine(t *testing.T) {
	full := newQuery(Selector{Exact: strings.Repeat("q", 10), Prefix: edgeP, Suffix: edgeS})
	bare := newQuery(Selector{Exact: strings.Repeat("q", 10)})
	oneSide := newQuery(Selector{Exact: strings.Repeat("q", 10), Suffix: edgeS[:16]})
	for _, c := range []struct {
		q           *query
		errs, dp, d int
		want        float64
	}{
		{full, 0, 0, 0, 1},
		{full, 1, 0, 0, 41.0 / 42},
		{full, 5, 0, 0, 37.0 / 42},                     // half the quote: still scored
		{full, 6, 0, 0, 0},                             // less than half: never
		{full, 0, 4, 0, (10 + 32*92.0/96) / 42},        // prefix 28 of 32, suffix 32
		{full, 0, 0, 8, (10 + 32*(32+24+32)/96.) / 42}, // the better side counts twice
		{full, 0, 32, 32, 10.0 / 42},
		{bare, 2, 0, 0, 0.8}, // no context: the quote alone
		{oneSide, 0, 0, 4, (10 + 8*(12+12)/32.) / 18},
	} {
		if got := c.q.combine(c.errs, c.dp, c.d); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("combine(%d, %d, %d) with %d+%d context = %v, want %v", c.errs, c.dp, c.d, len(c.q.prefixRev), len(c.q.suffix), got, c.want)
		}
	}
}

// TestBudget pins how many errors a fuzzy search allows, from quotes so
// short that half of them may go, to long ones that must mostly survive.
func TestBudget(t *testing.T) {
	full := func(m int) *query {
		return newQuery(Selector{Exact: strings.Repeat("q", m), Prefix: edgeP, Suffix: edgeS})
	}
	for _, c := range []struct {
		q    *query
		m    int
		want int
	}{
		{full(10), 10, 5},    // (0.75*42 - 32)/10 < 0.5: half
		{full(150), 150, 45}, // need (0.75*182 - 32)/150 = 0.6967: 150*0.3033
		{newQuery(Selector{Exact: "qqqqqqqqqq"}), 10, 2}, // no context: 25%
		{newQuery(Selector{Exact: "qqqq", Suffix: edgeS[:8]}), 4, 2},
	} {
		if got := c.q.budget(c.m); got != c.want {
			t.Errorf("budget(%d) with %v context = %d, want %d", c.m, c.q.ctxWeight, got, c.want)
		}
	}
	if w := full(10).ctxWeight; w != 32 {
		t.Errorf("ctxWeight = %v, want 32 (half of 32+32)", w)
	}
}

// TestContextCosts pins the context distances: a prefix running into the
// start of the text, a suffix into its end, and insertions within and
// beyond the slack.
func TestContextCosts(t *testing.T) {
	q := newQuery(Selector{Exact: edgeQ, Prefix: edgeP, Suffix: edgeS})
	for _, c := range []struct {
		text string
		s, e int
		pre  int
		suf  int
	}{
		{edgeP + edgeQ + edgeS, 32, 45, 0, 0},
		{edgeP[20:] + edgeQ + edgeS[:5], 12, 25, 20, 27}, // the text ends: the rest is missing
		{edgeP[:10] + "0123456789" + edgeP[10:] + edgeQ + edgeS, 42, 55, 10, 0},
		{edgeP[:10] + "01234567" + edgeP[10:] + edgeQ + edgeS, 40, 53, 8, 0},
		// Twelve runes inserted 12 from the quote: the window (32 + 8) ends
		// 4 runes short of P's start, which cost 4 more.
		{edgeP[:20] + "012345678901" + edgeP[20:] + edgeQ + edgeS, 44, 57, 16, 0},
		{edgeP[:4] + "012345678901" + edgeP[4:] + edgeQ + edgeS, 44, 57, 4, 0},
		{edgeP + edgeQ + edgeS[:10] + "012345678901" + edgeS[10:], 32, 45, 0, 16},
	} {
		q := q
		tx := NewText(c.text)
		if got := tx.prefixCost(q, c.s); got != c.pre {
			t.Errorf("prefixCost in %q at %d = %d, want %d", c.text, c.s, got, c.pre)
		}
		if got := tx.suffixCost(q, c.e); got != c.suf {
			t.Errorf("suffixCost in %q at %d = %d, want %d", c.text, c.e, got, c.suf)
		}
	}
}

// TestOccurrencesAgreesWithSearch compares the KMP search with a plain
// one on texts of a few letters, where partial matches abound.
func TestOccurrencesAgreesWithSearch(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	gen := func(alpha string, n int) []rune {
		a := []rune(alpha)
		r := make([]rune, n)
		for i := range r {
			r[i] = a[rng.IntN(len(a))]
		}
		return r
	}
	for trial := range 3000 {
		alpha := []string{"ab", "abc", "a가", "aab"}[trial%4]
		pat, text := gen(alpha, 1+rng.IntN(6)), gen(alpha, rng.IntN(40))
		var want []int
		for i := 0; i+len(pat) <= len(text); i++ {
			if slices.Equal(text[i:i+len(pat)], pat) {
				want = append(want, i)
			}
		}
		if got := occurrences(text, pat); !slices.Equal(got, want) {
			t.Fatalf("occurrences(%q, %q) = %v, want %v", string(text), string(pat), got, want)
		}
	}
	for _, c := range []struct {
		text, pat string
		want      []int
	}{
		{"abababab", "abab", []int{0, 2, 4}},
		{"aabaabaaab", "aab", []int{0, 3, 7}},
		{"xxaxxa", "a", []int{2, 5}},
		{"xxx", "a", nil},
		{"aab", "ab", []int{1}},
	} {
		if got := occurrences([]rune(c.text), []rune(c.pat)); !slices.Equal(got, c.want) {
			t.Errorf("occurrences(%q, %q) = %v, want %v", c.text, c.pat, got, c.want)
		}
	}
}

// TestAlphabetEdges: the ASCII table ends at U+007F and starts at U+0000;
// runes on either side of its edges are told apart like any others.
func TestAlphabetEdges(t *testing.T) {
	p := []rune("a\x00\x7f\u0080b\u00ff")
	for _, text := range []string{"a\x00\x7f\u0080b\u00ff", "\x00\x00\u0080\x7f", "xa\x00\x7fb", "\u0080\u0080\u0080"} {
		tr := []rune(text)
		want := naiveDistances(p, tr, false)
		newMatcher(p).scan(tr, false, false, func(i, d int) {
			if d != want[i-1] {
				t.Fatalf("%q in %q at %d: got %d, want %d", string(p), text, i, d, want[i-1])
			}
		})
	}
	a := newAlphabet(p)
	for _, r := range p {
		if a.id(r) == 0 {
			t.Errorf("rune %U of the pattern has no id", r)
		}
	}
	if a.size != 6 || a.id('c') != 0 || a.id(0x81) != 0 {
		t.Errorf("alphabet of %q: size %d", string(p), a.size)
	}
}

// TestLocateNearTheMargins: a near copy that beats an exact copy scoring
// under MinScore, though by less than preferExactMargin; and an exact copy
// at exactly MinScore that keeps its place against a near copy less than
// preferExactMargin better.
func TestLocateNearTheMargins(t *testing.T) {
	for _, c := range []struct {
		name, quote, near, edited string
		status                    Status
		at                        int
		score                     float64
	}{
		{name: "NearCopyOverExactCopyUnderMinScore", quote: edgeQ, near: edgeN,
			// exact 0.7037, near 0.7778
			edited: digits(20) + around(23, edgeN, 23) + digits(20) + around(0, edgeQ, 28) + digits(5),
			status: Approximate, at: 52, score: edgeScore(13, 1, 23, 23)},
		{name: "ExactCopyAtMinScoreOverNearCopy", quote: "quay",
			// exact 0.75, near 0.7778
			edited: digits(20) + around(25, "quXy", 25) + digits(20) + around(23, "quay", 23) + digits(5),
			status: Moved, at: 140, score: 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			original := digits(20) + edgeP + c.quote + edgeS + digits(20)
			m := utf8.RuneCountInString(c.quote)
			sel, err := FromRange(original, 52, 52+m)
			if err != nil || sel.Exact != c.quote {
				t.Fatalf("fixture: %+v, %v", sel, err)
			}
			got := Locate(c.edited, sel)
			if got.Status != c.status || got.Start != c.at || got.End != c.at+m || math.Abs(got.Score-c.score) > 1e-9 {
				t.Errorf("Locate = %+v, want %s at %d, score %v", got, c.status, c.at, c.score)
			}
		})
	}
}

// TestLocateAmongManyCopies: with more exact copies than maxCandidates,
// the window of copies scored still holds the nearest on either side.
func TestLocateAmongManyCopies(t *testing.T) {
	// 3000 copies: the window of 512 around the 1501st reaches neither end.
	text := strings.Repeat("ab cd ", 3000)
	sel, err := FromRange(text, 9003, 9005)
	if err != nil || sel.Exact != "cd" {
		t.Fatalf("fixture: %+v, %v", sel, err)
	}
	for name, c := range map[string]struct {
		edited string
		at     int
	}{
		"nearest after":  {"x" + text, 9004},
		"nearest before": {text[1:], 9002},
	} {
		if got := Locate(c.edited, sel); got.Status != Moved || got.Start != c.at {
			t.Errorf("%s: Locate = %+v, want moved to %d", name, got, c.at)
		}
	}
}

// longQuote is n runes of letters that do not repeat in pieces.
func longQuote(n int) string {
	rng := rand.New(rand.NewPCG(11, 12))
	r := make([]rune, n)
	for i := range r {
		r[i] = rune('a' + rng.IntN(26))
	}
	return string(r)
}

func edit(s string, at ...int) string {
	r := []rune(s)
	for _, i := range at {
		r[i] = '#'
	}
	return string(r)
}

// TestLocateLongQuotes: a quote of exactly maxPattern runes is still found
// by the exact fuzzy search (a transposition costs 2), and a longer one by
// its head and tail pieces, whose errors add up.
func TestLocateLongQuotes(t *testing.T) {
	q256 := longQuote(256)
	r := []rune(q256)
	r[120], r[121] = r[121], r[120]
	swapped := string(r)
	if swapped == q256 {
		t.Fatal("fixture: the swapped runes are equal")
	}
	q300 := longQuote(300)
	for _, c := range []struct {
		name          string
		quote, edited string
		errors        int
	}{
		{"MaxPatternTransposed", q256, swapped, 2},
		{"LongEditedAtBothEnds", q300, edit(q300, 50, 60, 240, 250), 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := utf8.RuneCountInString(c.quote)
			sel, err := FromRange(digits(20)+edgeP+c.quote+edgeS+digits(20), 52, 52+m)
			if err != nil {
				t.Fatal(err)
			}
			got := Locate(digits(30)+edgeP+c.edited+edgeS+digits(20), sel)
			want := Match{Start: 62, End: 62 + m, Status: Approximate, Score: edgeScore(m, c.errors, 32, 32)}
			if got.Status != want.Status || got.Start != want.Start || got.End != want.End || math.Abs(got.Score-want.Score) > 1e-9 {
				t.Errorf("Locate = %+v, want %+v", got, want)
			}
		})
	}
}

// TestApproxContract checks approx against the textbook DP on random
// texts: every candidate's errors are the distance from its start to its
// end, the least for that end, within p.k; and every local minimum of the
// distance over ends (a plateau of equal values with higher ones on both
// sides) within p.k has a candidate ending on it.
func TestApproxContract(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	gen := func(alpha []rune, n int) []rune {
		r := make([]rune, n)
		for i := range r {
			r[i] = alpha[rng.IntN(len(alpha))]
		}
		return r
	}
	for trial := range 2000 {
		alpha := [][]rune{[]rune("ab"), []rune("abcd"), []rune("ab가")}[trial%3]
		p := gen(alpha, 1+rng.IntN(13))
		text := gen(alpha, rng.IntN(60))
		k := rng.IntN(len(p)/2 + 1)
		lo := 0
		if len(text) > 0 && trial%2 == 1 {
			lo = rng.IntN(len(text))
		}
		hi := lo + rng.IntN(len(text)-lo+1)
		tx := &Text{runes: text}
		cands := tx.approx(newPiece(p, k), lo, hi, lo+rng.IntN(hi-lo+1), maxCandidates)
		window := text[lo:hi]
		best := naiveDistances(p, window, false) // best[e-1]: least errors of a piece ending at e
		covered := map[int]bool{}
		for _, c := range cands {
			if c.start < lo || c.end > hi || c.start >= c.end {
				t.Fatalf("approx(%q in %q [%d,%d) k=%d): candidate %+v outside", string(p), string(text), lo, hi, k, c)
			}
			exact := naiveDistances(p, text[c.start:c.end], true)
			if d := exact[len(exact)-1]; d != c.errors || c.errors != best[c.end-lo-1] || c.errors > k {
				t.Fatalf("approx(%q in %q [%d,%d) k=%d): candidate %+v: distance %d, least for its end %d",
					string(p), string(text), lo, hi, k, c, d, best[c.end-lo-1])
			}
			covered[c.end] = true
		}
		for i := 0; i < len(best); {
			j := i
			for j+1 < len(best) && best[j+1] == best[i] {
				j++
			}
			if best[i] <= k && (i == 0 || best[i-1] > best[i]) && (j == len(best)-1 || best[j+1] > best[i]) {
				hit := false
				for e := lo + i + 1; e <= lo+j+1; e++ {
					hit = hit || covered[e]
				}
				if !hit {
					t.Fatalf("approx(%q in %q [%d,%d) k=%d): no candidate ends in the minimum at ends %d..%d (%d errors): %+v",
						string(p), string(text), lo, hi, k, lo+i+1, lo+j+1, best[i], cands)
				}
			}
			i = j + 1
		}
	}
}

// TestApproxPlateauEnds: on a plateau of equal distances approx tries the
// perPlateau ends nearest wantEnd, kept inside the plateau.
func TestApproxPlateauEnds(t *testing.T) {
	tx := NewText(strings.Repeat("a", 20)) // "aa" ends with 0 errors at 2..20
	for wantEnd, ends := range map[int][]int{0: {2, 3, 4, 5}, 10: {8, 9, 10, 11}, 19: {17, 18, 19, 20}, 20: {17, 18, 19, 20}, 40: {17, 18, 19, 20}} {
		var got []int
		for _, c := range tx.approx(newPiece([]rune("aa"), 0), 0, 20, wantEnd, maxCandidates) {
			if c.errors != 0 || c.end-c.start != 2 {
				t.Errorf("wantEnd %d: candidate %+v", wantEnd, c)
			}
			got = append(got, c.end)
		}
		if !slices.Equal(got, ends) {
			t.Errorf("wantEnd %d: ends %v, want %v", wantEnd, got, ends)
		}
	}
}

// TestApproxKeepsTheBestMinima: past limit, approx keeps the minima with
// the fewest errors, then those nearest wantEnd, then the earliest.
func TestApproxKeepsTheBestMinima(t *testing.T) {
	// "ab" ends with 0 errors at 2, 10 and 26, with 1 at 17 and 18.
	tx := NewText("ab------ab------a-------ab")
	for limit, ends := range map[int][]int{1: {10}, 2: {10, 26}, 3: {10, 26, 2}, 4: {2, 10, 17, 18, 26}} {
		var got []int
		for _, c := range tx.approx(newPiece([]rune("ab"), 1), 0, 26, 18, limit) {
			got = append(got, c.end)
		}
		if !slices.Equal(got, ends) {
			t.Errorf("limit %d: ends %v, want %v", limit, got, ends)
		}
	}
}

// TestRefine: refine moves a candidate's ends by up to refineReach runes
// to where the quote and its context fit best, accepting up to p.k errors.
func TestRefine(t *testing.T) {
	six := "quXXXXXXrbour" // six substitutions: exactly the budget of 13 runes
	for _, c := range []struct {
		name, quote string
		from        candidate
		errors      int
	}{
		{"start 8 early", edgeN, candidate{start: 24, end: 45}, 1},
		{"start 8 late", edgeN, candidate{start: 40, end: 45}, 1},
		{"end 8 early", edgeN, candidate{start: 32, end: 37}, 1},
		{"end 8 late", edgeN, candidate{start: 32, end: 53}, 1},
		{"errors at the budget", six, candidate{start: 33, end: 45}, 6},
	} {
		t.Run(c.name, func(t *testing.T) {
			q := newQuery(Selector{Exact: edgeQ, Prefix: edgeP, Suffix: edgeS})
			p := newPiece(q.quote, q.budget(13))
			if p.k != 6 {
				t.Fatalf("budget %d, want 6", p.k)
			}
			tx := NewText(edgeP + c.quote + edgeS)
			got := tx.refine(q, p, c.from)
			want := candidate{start: 32, end: 45, errors: c.errors, score: edgeScore(13, c.errors, 32, 32)}
			if got.start != want.start || got.end != want.end || got.errors != want.errors || math.Abs(got.score-want.score) > 1e-9 {
				t.Errorf("refine(%+v) = %+v, want %+v", c.from, got, want)
			}
		})
	}
}

// TestDeleted: a candidate is taken for what is left near a deleted quote
// when the stored prefix and suffix meet, with nothing between them, within
// ContextLen of it, more closely than they fit around it (counting its
// errors), and within the MinScore share of the context (16 of 64 runes).
func TestDeleted(t *testing.T) {
	q := newQuery(Selector{Exact: edgeQ, Prefix: edgeP, Suffix: edgeS})
	hole := NewText(edgeP + edgeS) // the prefix and the suffix meet at 32
	for _, c := range []struct {
		name string
		text *Text
		c    candidate
		want bool
	}{
		{"a perfect hole, a candidate one error off", hole, candidate{start: 32, end: 32, errors: 1}, true},
		{"a hole no better than the candidate", hole, candidate{start: 32, end: 32}, false},
		{"a hole 32 runes after the candidate", hole, candidate{start: 0, end: 0, errors: 100}, true},
		{"a hole 42 runes after the candidate", NewText(digits(10) + edgeP + edgeS), candidate{start: 0, end: 0, errors: 100}, false},
		{"a hole 16 runes off", NewText(digits(16) + edgeP[16:] + edgeS), candidate{start: 32, end: 32, errors: 100}, true},
		{"a hole 17 runes off", NewText(digits(17) + edgeP[17:] + edgeS), candidate{start: 32, end: 32, errors: 100}, false},
	} {
		if got := c.text.deleted(q, c.c); got != c.want {
			t.Errorf("%s: deleted = %v, want %v", c.name, got, c.want)
		}
	}
	long := newQuery(Selector{Exact: longQuote(maxPattern), Prefix: edgeP, Suffix: edgeS})
	if !hole.deleted(long, candidate{start: 32, end: 32, errors: 1}) {
		t.Error("a quote of maxPattern runes is not checked for deletion")
	}
	longer := newQuery(Selector{Exact: longQuote(maxPattern + 1), Prefix: edgeP, Suffix: edgeS})
	if hole.deleted(longer, candidate{start: 32, end: 32, errors: 1}) {
		t.Error("a quote longer than maxPattern is checked for deletion")
	}
}

// TestRefineWithoutPrefix: where the stored prefix is gone, a start 8 runes
// into the quote would trade 8 errors for a perfect prefix if its prefix
// cost were not computed: refine computes it for every start it tries.
func TestRefineWithoutPrefix(t *testing.T) {
	quote := longQuote(40)
	q := newQuery(Selector{Exact: quote, Prefix: edgeP, Suffix: edgeS})
	p := newPiece(q.quote, q.budget(40))
	tx := NewText(digits(40) + quote + edgeS)
	got := tx.refine(q, p, candidate{start: 40, end: 80})
	want := candidate{start: 40, end: 80, errors: 0, score: q.combine(0, tx.prefixCost(q, 40), 0)}
	if got != want {
		t.Errorf("refine = %+v, want %+v", got, want)
	}
}

package anchor

import (
	"math/rand/v2"
	"testing"
)

// naiveDistances is the textbook DP that matcher.scan must reproduce.
func naiveDistances(p, text []rune, anchored bool) []int {
	prev := make([]int, len(p)+1) // column for the text consumed so far
	for i := range prev {
		prev[i] = i
	}
	out := make([]int, len(text))
	for j, c := range text {
		cur := make([]int, len(p)+1)
		if anchored {
			cur[0] = j + 1
		}
		for i := 1; i <= len(p); i++ {
			d := prev[i-1]
			if p[i-1] != c {
				d++
			}
			cur[i] = min(d, prev[i]+1, cur[i-1]+1)
		}
		out[j] = cur[len(p)]
		prev = cur
	}
	return out
}

func TestMatcherAgreesWithDP(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabets := [][]rune{[]rune("ab"), []rune("abcd "), []rune("가나다라😀é")}
	for _, m := range []int{1, 2, 5, 63, 64, 65, 127, 128, 129, 200} {
		for trial := range 20 {
			alpha := alphabets[trial%len(alphabets)]
			gen := func(n int) []rune {
				r := make([]rune, n)
				for i := range r {
					r[i] = alpha[rng.IntN(len(alpha))]
				}
				return r
			}
			p, text := gen(m), gen(rng.IntN(3*m+10))
			for _, anchored := range []bool{false, true} {
				want := naiveDistances(p, text, anchored)
				mt := newMatcher(p)
				mt.scan(text, false, anchored, func(i, d int) {
					if d != want[i-1] {
						t.Fatalf("m=%d anchored=%v i=%d: got %d, want %d", m, anchored, i, d, want[i-1])
					}
				})
				rev := make([]rune, len(text))
				for i, c := range text {
					rev[len(text)-1-i] = c
				}
				want = naiveDistances(p, rev, anchored)
				mt.scan(text, true, anchored, func(i, d int) {
					if d != want[i-1] {
						t.Fatalf("reverse m=%d anchored=%v i=%d: got %d, want %d", m, anchored, i, d, want[i-1])
					}
				})
			}
		}
	}
}

func TestPrefixDistance(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	alpha := []rune("ab 가😀")
	gen := func(n int) []rune {
		r := make([]rune, n)
		for i := range r {
			r[i] = alpha[rng.IntN(len(alpha))]
		}
		return r
	}
	for range 500 {
		p, text := gen(rng.IntN(65)), gen(rng.IntN(50))
		want := len(p) // the empty prefix of text
		if len(p) > 0 {
			for _, d := range naiveDistances(p, text, true) {
				want = min(want, d)
			}
		}
		if got := newMatcher(p).prefixDistance(text); got != want {
			t.Fatalf("prefixDistance(%q, %q) = %d, want %d", string(p), string(text), got, want)
		}
	}
}

func TestBagDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"abc", "abc", 0},
		{"abc", "cba", 0},
		{"abc", "abd", 1},
		{"abc", "", 3},
		{"", "가나", 2},
		{"가나다", "가가", 2},
	} {
		if got := newBag([]rune(tc.a)).distance([]rune(tc.b)); got != tc.want {
			t.Errorf("bag(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// Package anchor ties annotations to article text with W3C TextPosition and
// TextQuote selectors, and finds them again when the text is revised.
//
// Offsets are Unicode code points. Text and selector strings are compared as
// given: callers store and pass NFC-normalized text, as the W3C model asks.
package anchor

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sort"
)

// ContextLen is how many code points of prefix and suffix a Selector keeps.
const ContextLen = 32

// MinScore is the confidence a moved or edited quote needs to be re-attached.
//
// A candidate's score blends how much of the quote survives (1 - edit
// errors/m) with how well the text around it matches the stored prefix and
// suffix, each weighted by the evidence it carries: the quote by its length
// m, the context by half its stored length (32 for a full 32+32 context).
// Context similarity leans to the better side, since an edit usually
// touches one side only. Unrelated 32-code-point windows of English prose
// score about 0.25 on one side, so at 0.75:
//   - a one-word quote is kept if one side of its context is intact
//     (about 0.78) and orphaned when both sides are unrelated (about 0.33),
//     however often the word occurs elsewhere;
//   - an exact quote whose surroundings were both rewritten is kept from
//     about 64 code points on: a passage that long is its own evidence;
//   - an edited quote must keep at least half of itself (minQuoteSim), and
//     about 72% when it is long enough to outweigh its context.
//
// Checked on the seed articles (selections of one word to 400 code points,
// 200 random edits per case): at 0.75 every quote survived text inserted
// before it or one side of its context rewritten; after an edit inside the
// quote, 95% (short quotes) to 100% (long ones) landed within 3 code points;
// the 1-5% of deleted quotes that attached went to passages the article
// repeats. At 0.8 half the one-word quotes with one side rewritten were
// orphaned; at 0.7 more deleted short quotes attached elsewhere.
// TestLocate and TestLocateNeverGuesses pin these cases.
const MinScore = 0.75

const (
	// minQuoteSim: at least half of the quote must survive an edit, whatever
	// the context says (approx-string-match uses the same m/2 error cap).
	minQuoteSim = 0.5
	// maxPattern bounds the fuzzy search cost to O(n * maxPattern/64). Longer
	// quotes are found by their first and last pieceLen code points.
	maxPattern = 256
	pieceLen   = 128
	// maxCandidates bounds the exact or fuzzy candidates scored, so very
	// repetitive text costs O(maxCandidates * m) more at worst.
	maxCandidates = 512
	// maxLongHeads and maxLongTails bound the head pieces tried for a long
	// quote, and the tail pieces tried per head.
	maxLongHeads = 16
	maxLongTails = 4
	// preferExactMargin: an exact copy of the quote wins over a near copy
	// unless the near copy scores this much higher (it sits in the original
	// context while the exact copy is elsewhere).
	preferExactMargin = 0.1
)

// ErrRange reports a range that is empty or outside the text.
var ErrRange = errors.New("anchor: range out of bounds")

// Selector holds both W3C selectors for one annotation target.
type Selector struct {
	Start, End int    // TextPositionSelector, code points, half-open [Start, End)
	Exact      string // TextQuoteSelector
	Prefix     string
	Suffix     string
}

// FromRange builds a Selector for text[start:end) (code points) with
// ContextLen code points of prefix and suffix. Invalid UTF-8 bytes count as
// one code point each and are quoted as U+FFFD.
func FromRange(text string, start, end int) (Selector, error) {
	runes := []rune(text)
	if start < 0 || end > len(runes) || start >= end {
		return Selector{}, fmt.Errorf("%w: [%d,%d) in a text of %d code points", ErrRange, start, end, len(runes))
	}
	return Selector{
		Start:  start,
		End:    end,
		Exact:  string(runes[start:end]),
		Prefix: string(runes[max(0, start-ContextLen):start]),
		Suffix: string(runes[end:min(len(runes), end+ContextLen)]),
	}, nil
}

// Status says how a selector was found in the current text.
type Status string

const (
	Anchored    Status = "anchored"    // exact text still at the stored position
	Moved       Status = "moved"       // exact quote found elsewhere, chosen by context and distance
	Approximate Status = "approximate" // fuzzy match scoring at least MinScore (text was edited)
	Orphaned    Status = "orphaned"    // not found with enough confidence: never guess
)

// Match is where a selector lies in the current text. Score is in [0,1]:
// 1 when the exact quote was found (Anchored, Moved), the fuzzy score for
// Approximate, 0 for Orphaned (whose Start and End are 0).
type Match struct {
	Start, End int
	Status     Status
	Score      float64
}

// Text is article text decoded once, for locating many selectors in it.
type Text struct {
	runes []rune
}

// NewText prepares text for Locate.
func NewText(text string) *Text {
	return &Text{runes: []rune(text)}
}

// Locate finds sel in text: position first, then the exact quote
// (disambiguated by prefix/suffix context and proximity to the old Start),
// then a fuzzy match of the quote with its context scoring at least MinScore.
func Locate(text string, sel Selector) Match {
	return NewText(text).Locate(sel)
}

// Locate finds sel in t; see the package-level Locate.
func (t *Text) Locate(sel Selector) Match {
	q := newQuery(sel)
	m, n := len(q.quote), len(t.runes)
	if m == 0 {
		return Match{Status: Orphaned}
	}
	if s := sel.Start; s >= 0 && s <= n-m && slices.Equal(t.runes[s:s+m], q.quote) {
		if t.score(q, s, s+m, 0) >= MinScore {
			return Match{Start: s, End: s + m, Status: Anchored, Score: 1}
		}
	}

	best, found := t.bestExact(q)
	if !found || best.score < 1-preferExactMargin {
		if f, ok := t.bestFuzzy(q); ok {
			switch {
			case !found || (best.score < MinScore && f.better(best, q.hint)):
				best, found = f, true
			case f.score > best.score+preferExactMargin && (f.end <= best.start || best.end <= f.start):
				best = f
			}
		}
	}
	if !found || best.score < MinScore || t.deleted(q, best) {
		return Match{Status: Orphaned}
	}
	if slices.Equal(t.runes[best.start:best.end], q.quote) {
		st := Moved
		if best.start == sel.Start {
			st = Anchored
		}
		return Match{Start: best.start, End: best.end, Status: st, Score: 1}
	}
	return Match{Start: best.start, End: best.end, Status: Approximate, Score: best.score}
}

// query is a selector decoded for matching.
type query struct {
	quote     []rune
	prefixRev []rune // the last ContextLen runes of Prefix, reversed
	suffix    []rune // the first ContextLen runes of Suffix
	hint      int    // the stored Start
	ctxWeight float64
	pre, suf  *matcher // prefixRev and suffix, for contextCosts
}

func newQuery(sel Selector) *query {
	prefix, suffix := []rune(sel.Prefix), []rune(sel.Suffix)
	prefix = prefix[max(0, len(prefix)-ContextLen):]
	suffix = suffix[:min(len(suffix), ContextLen)]
	slices.Reverse(prefix)
	return &query{
		quote:     []rune(sel.Exact),
		prefixRev: prefix,
		suffix:    suffix,
		hint:      sel.Start,
		ctxWeight: float64(len(prefix)+len(suffix)) / 2,
		pre:       newMatcher(prefix),
		suf:       newMatcher(suffix),
	}
}

// budget is the most edit errors a fuzzy match of m runes may have and still
// reach MinScore with a perfect context, never more than m*(1-minQuoteSim).
func (q *query) budget(m int) int {
	need := (MinScore*(float64(m)+q.ctxWeight) - q.ctxWeight) / float64(m)
	return int(float64(m) * (1 - max(need, minQuoteSim)))
}

type candidate struct {
	start, end, errors int
	score              float64
}

// better orders candidates by score, then closeness to the old start, then
// position, so the choice is deterministic.
func (c candidate) better(o candidate, hint int) bool {
	if c.score != o.score {
		return c.score > o.score
	}
	if dc, do := abs(c.start-hint), abs(o.start-hint); dc != do {
		return dc < do
	}
	return c.start < o.start
}

// score rates the text [s,e) as the target of q, given its edit distance to
// the quote. See MinScore.
func (t *Text) score(q *query, s, e, errors int) float64 {
	return q.combine(errors, t.prefixCost(q, s), t.suffixCost(q, e))
}

// combine weighs the quote's errors and the prefix and suffix edit distances
// into a score. Each context side's evidence is its length minus its
// distance; the better side counts twice, since an edit usually touches one
// side only.
func (q *query) combine(errors, dp, ds int) float64 {
	m := float64(len(q.quote))
	qs := 1 - float64(errors)/m
	if qs < minQuoteSim {
		return 0
	}
	lp, ls := len(q.prefixRev), len(q.suffix)
	if lp+ls == 0 {
		return qs
	}
	ep, es := lp-dp, ls-ds
	cs := float64(ep+es+max(ep, es)) / float64(lp+ls+max(lp, ls))
	return (m*qs + q.ctxWeight*cs) / (m + q.ctxWeight)
}

// contextSlack extends the text compared with a stored context, so that a
// few runes inserted inside the context cost only themselves.
const contextSlack = ContextLen / 4

// prefixCost is the edit distance between the stored prefix and the text
// ending at s: tied at s, free at the far end.
func (t *Text) prefixCost(q *query, s int) int {
	var before [ContextLen + contextSlack]rune
	nb := 0
	for i := s - 1; i >= 0 && nb < len(q.prefixRev)+contextSlack; i-- {
		before[nb] = t.runes[i]
		nb++
	}
	return q.pre.prefixDistance(before[:nb])
}

// suffixCost is the edit distance between the stored suffix and the text
// from e: tied at e, free at the far end.
func (t *Text) suffixCost(q *query, e int) int {
	return q.suf.prefixDistance(t.runes[e:min(len(t.runes), e+len(q.suffix)+contextSlack)])
}

// bestExact scores the exact occurrences of the quote nearest the old start.
func (t *Text) bestExact(q *query) (candidate, bool) {
	starts := occurrences(t.runes, q.quote)
	if len(starts) == 0 {
		return candidate{}, false
	}
	i := sort.SearchInts(starts, q.hint)
	lo, hi := i, i // starts[lo:hi] are the nearest taken so far
	for hi-lo < maxCandidates && (lo > 0 || hi < len(starts)) {
		if hi == len(starts) || (lo > 0 && q.hint-starts[lo-1] <= starts[hi]-q.hint) {
			lo--
		} else {
			hi++
		}
	}
	var best candidate
	for k, s := range starts[lo:hi] {
		c := candidate{start: s, end: s + len(q.quote)}
		c.score = t.score(q, c.start, c.end, 0)
		if k == 0 || c.better(best, q.hint) {
			best = c
		}
	}
	return best, true
}

// occurrences lists where pat starts in text, overlaps included (KMP, so
// linear even on repetitive text).
func occurrences(text, pat []rune) []int {
	fail := make([]int, len(pat))
	for i, k := 1, 0; i < len(pat); i++ {
		for k > 0 && pat[i] != pat[k] {
			k = fail[k-1]
		}
		if pat[i] == pat[k] {
			k++
		}
		fail[i] = k
	}
	var out []int
	for i, k := 0, 0; i < len(text); i++ {
		if k == 0 {
			for i < len(text) && text[i] != pat[0] {
				i++
			}
			if i == len(text) {
				break
			}
		}
		for k > 0 && text[i] != pat[k] {
			k = fail[k-1]
		}
		if text[i] == pat[k] {
			k++
		}
		if k == len(pat) {
			out = append(out, i-len(pat)+1)
			k = fail[k-1]
		}
	}
	return out
}

// bestFuzzy finds the best approximate match of the quote and refines its
// boundaries.
func (t *Text) bestFuzzy(q *query) (candidate, bool) {
	m := len(q.quote)
	var cands []candidate
	var p piece
	if m <= maxPattern {
		p = newPiece(q.quote, q.budget(m))
		cands = t.approx(p, 0, len(t.runes), q.hint+m, maxCandidates)
	} else {
		cands = t.longCandidates(q)
	}
	var best candidate
	for i, c := range cands {
		c.score = t.score(q, c.start, c.end, c.errors)
		if i == 0 || c.better(best, q.hint) {
			best = c
		}
	}
	if len(cands) == 0 || best.score == 0 {
		return candidate{}, false
	}
	if m > maxPattern {
		return best, true
	}
	return t.refine(q, p, best), true
}

// refine moves the ends of c by up to refineReach runes where that scores
// better: the search keeps only the starts with the fewest quote errors,
// while the context may favour a start with one more.
func (t *Text) refine(q *query, p piece, c candidate) candidate {
	const refineReach = 8
	n := len(t.runes)
	s0, e0 := max(0, c.start-refineReach), max(1, c.end-refineReach)
	var prefixCosts [2*refineReach + 1]int // each context cost depends on one end only
	for s := s0; s <= min(n, c.start+refineReach); s++ {
		prefixCosts[s-s0] = t.prefixCost(q, s)
	}
	best := c
	for e := e0; e <= min(n, c.end+refineReach); e++ {
		ds := t.suffixCost(q, e)
		p.rv.scan(t.runes[max(0, e-p.fw.m-p.k):e], true, true, func(i, d int) {
			if s := e - i; d <= p.k && abs(s-c.start) <= refineReach {
				r := candidate{start: s, end: e, errors: d}
				r.score = q.combine(d, prefixCosts[s-s0], ds)
				if r.better(best, q.hint) {
					best = r
				}
			}
		})
	}
	return best
}

// deleted reports whether the stored prefix and suffix fit together well,
// with nothing between them, somewhere in or near c, and better than they
// fit around c counting the quote's errors: the quote was deleted and c is
// only a similar piece of text near the hole. Long quotes are not checked:
// finding both their ends already shows they were not deleted.
func (t *Text) deleted(q *query, c candidate) bool {
	if len(q.prefixRev)+len(q.suffix) == 0 || len(q.quote) > maxPattern {
		return false
	}
	cost := c.errors + t.prefixCost(q, c.start) + t.suffixCost(q, c.end)
	// A hole must fit on both sides: its total distance is held to the
	// plain MinScore share of the context, not the better-side blend.
	limit := min(cost-1, int(float64(len(q.prefixRev)+len(q.suffix))*(1-MinScore)))
	if limit < 0 {
		return false
	}
	for x := max(0, c.start-ContextLen); x <= min(len(t.runes), c.end+ContextLen); x++ {
		if t.prefixCost(q, x)+t.suffixCost(q, x) <= limit {
			return true
		}
	}
	return false
}

// longCandidates matches a quote longer than maxPattern by its head and tail
// pieces, found at about the quote's length apart. The middle is compared by
// bag distance (a lower bound of edit distance): linear, and enough to reject
// a passage whose middle was rewritten.
func (t *Text) longCandidates(q *query) []candidate {
	m, n := len(q.quote), len(t.runes)
	budget := q.budget(m)
	head := newPiece(q.quote[:pieceLen], pieceLen/4)
	tail := newPiece(q.quote[m-pieceLen:], pieceLen/4)
	middle := newBag(q.quote[pieceLen : m-pieceLen])
	var out []candidate
	for _, h := range t.approx(head, 0, n, q.hint+pieceLen, maxLongHeads) {
		want := h.start + m
		lo, hi := max(h.end, want-pieceLen-budget), min(n, want+budget)
		if lo >= hi {
			continue
		}
		tails := t.approx(tail, lo, hi, want, maxLongHeads)
		slices.SortFunc(tails, func(a, b candidate) int {
			return cmp.Or(cmp.Compare(a.errors, b.errors), cmp.Compare(abs(a.end-want), abs(b.end-want)))
		})
		for _, tl := range tails[:min(len(tails), maxLongTails)] {
			errs := h.errors + tl.errors + middle.distance(t.runes[h.end:tl.start])
			if errs <= budget {
				out = append(out, candidate{start: h.start, end: tl.end, errors: errs})
			}
		}
	}
	return out
}

// bag counts the runes of a piece of quote, for bag distance: the larger of
// how many runes the piece has that a text lacks and the reverse, as
// multisets. It never exceeds the edit distance.
type bag struct {
	alphabet
	count, left []int
}

func newBag(p []rune) *bag {
	b := &bag{alphabet: newAlphabet(p)}
	b.count = make([]int, b.size+1)
	b.left = make([]int, b.size+1)
	for _, c := range p {
		b.count[b.id(c)]++
	}
	return b
}

func (b *bag) distance(text []rune) int {
	copy(b.left, b.count)
	for _, c := range text {
		b.left[b.id(c)]-- // id 0 collects runes the piece lacks
	}
	var more, fewer int
	for _, v := range b.left {
		if v > 0 {
			more += v
		} else {
			fewer -= v
		}
	}
	return max(more, fewer)
}

// piece is a pattern ready for approximate search in both directions.
type piece struct {
	fw, rv *matcher
	k      int // most errors accepted
}

func newPiece(p []rune, k int) piece {
	rev := slices.Clone(p)
	slices.Reverse(rev)
	return piece{fw: newMatcher(p), rv: newMatcher(rev), k: k}
}

type plateau struct{ from, to, d int } // match ends from..to (inclusive) all at d errors

// approx finds the approximate matches of p in t.runes[lo:hi] with at most
// p.k errors: each local minimum of the error count over match ends, then
// for each end the starts reaching that minimum. At most limit minima are
// kept, fewest errors first, then nearest to wantEnd.
func (t *Text) approx(p piece, lo, hi, wantEnd, limit int) []candidate {
	var ps []plateau
	runFrom, runD, leftHigher := 0, 0, true
	p.fw.scan(t.runes[lo:hi], false, false, func(i, d int) {
		if runFrom > 0 && d == runD {
			return
		}
		if runFrom > 0 {
			if leftHigher && d > runD && runD <= p.k {
				ps = append(ps, plateau{lo + runFrom, lo + i - 1, runD})
			}
			leftHigher = runD > d
		}
		runFrom, runD = i, d
	})
	if runFrom > 0 && leftHigher && runD <= p.k {
		ps = append(ps, plateau{lo + runFrom, hi, runD})
	}
	nearest := func(pl plateau) int { return min(max(wantEnd, pl.from), pl.to) }
	if len(ps) > limit {
		slices.SortFunc(ps, func(a, b plateau) int {
			return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(abs(nearest(a)-wantEnd), abs(nearest(b)-wantEnd)), cmp.Compare(a.from, b.from))
		})
		ps = ps[:limit]
	}

	const perPlateau = 4 // ends tried on a plateau, and starts per end
	var out []candidate
	for _, pl := range ps {
		c := nearest(pl)
		from := max(pl.from, min(c-perPlateau/2, pl.to-perPlateau+1))
		for e := from; e <= min(pl.to, from+perPlateau-1); e++ {
			w := min(e-lo, p.fw.m+p.k)
			bestD, starts := p.fw.m+1, make([]int, 0, perPlateau)
			p.rv.scan(t.runes[e-w:e], true, true, func(i, d int) {
				if d < bestD {
					bestD, starts = d, starts[:0]
				}
				if d == bestD && len(starts) < perPlateau {
					starts = append(starts, e-i)
				}
			})
			for _, s := range starts {
				out = append(out, candidate{start: s, end: e, errors: bestD})
			}
		}
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

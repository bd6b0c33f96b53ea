package marks

import (
	"cmp"
	"math/bits"
	"slices"
	"unicode/utf8"
)

// Range is one annotation's highlight, in code points of the whole article text.
type Range struct {
	ID         int64
	Start, End int
	Class      string
}

// Segment is a maximal run of text covered by the same set of ranges.
type Segment struct {
	Start, End int     // code points, whole-text offsets
	Text       string  // a substring of the paragraph text
	Marks      []Range // ranges covering this run, outermost (earliest start, then longest) first; empty = plain text
}

// Segments cuts the paragraph text (which starts at code-point offset base in
// the article) at every range boundary that falls inside it. Ranges may
// overlap, nest or extend beyond the paragraph (they are clipped); empty,
// reversed and non-intersecting ranges are ignored. Marks hold the ranges as
// given, unclipped, so a renderer can tell that a highlight goes on past the
// paragraph. Ties in the outermost-first order are broken by ID, then Class,
// then input order. Empty text has no segments.
//
// Cost is O(n + k log k + k/64 per segment + output) for n bytes of text and
// k ranges, with a fixed number of allocations.
func Segments(text string, base int, ranges []Range) []Segment {
	n := utf8.RuneCountInString(text)
	if n == 0 {
		return nil
	}
	lo, hi := base, base+n

	meets := func(r *Range) bool { return r.Start < r.End && r.Start < hi && r.End > lo }
	k := 0
	for i := range ranges {
		if meets(&ranges[i]) {
			k++
		}
	}
	live := make([]Range, 0, k) // ranges meeting the paragraph, in Marks order
	for i := range ranges {
		if meets(&ranges[i]) {
			live = append(live, ranges[i])
		}
	}
	slices.SortStableFunc(live, func(a, b Range) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(b.End, a.End), cmp.Compare(a.ID, b.ID), cmp.Compare(a.Class, b.Class))
	})

	// Each live range opens and closes once, at its clipped ends; clipping
	// keeps open < close, so a rank never toggles twice at one position.
	type event struct{ pos, rank int }
	events := make([]event, 0, 2*len(live))
	for i, r := range live {
		events = append(events, event{max(r.Start, lo), i}, event{min(r.End, hi), i})
	}
	slices.SortFunc(events, func(a, b event) int { return cmp.Compare(a.pos, b.pos) })

	// Size the Marks backing array exactly: one allocation for all segments.
	total, active, nsegs := 0, 0, 0
	for i, pos := 0, lo; pos < hi; nsegs++ {
		for ; i < len(events) && events[i].pos == pos; i++ {
			if events[i].pos == max(live[events[i].rank].Start, lo) {
				active++
			} else {
				active--
			}
		}
		end := hi
		if i < len(events) {
			end = events[i].pos
		}
		total += active
		pos = end
	}

	segs := make([]Segment, 0, nsegs)
	marks := make([]Range, 0, total)
	on := make([]uint64, (len(live)+63)/64) // live ranks covering the current run
	byteAt, runeAt := 0, lo
	for i, pos := 0, lo; pos < hi; {
		for ; i < len(events) && events[i].pos == pos; i++ {
			r := events[i].rank
			on[r/64] ^= 1 << uint(r%64)
		}
		end := hi
		if i < len(events) {
			end = events[i].pos
		}
		from := byteAt
		for ; runeAt < end; runeAt++ {
			if text[byteAt] < utf8.RuneSelf {
				byteAt++
			} else {
				_, size := utf8.DecodeRuneInString(text[byteAt:])
				byteAt += size
			}
		}
		first := len(marks)
		for w, word := range on {
			for ; word != 0; word &= word - 1 {
				marks = append(marks, live[w*64+bits.TrailingZeros64(word)])
			}
		}
		var ms []Range
		if len(marks) > first {
			ms = marks[first:len(marks):len(marks)]
		}
		segs = append(segs, Segment{Start: pos, End: end, Text: text[from:byteAt], Marks: ms})
		pos = end
	}
	return segs
}

package marks

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// seg is a compact expected segment: text and the IDs of its marks.
type seg struct {
	text string
	ids  []int64
}

func TestSegments(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		base   int
		ranges []Range
		want   []seg
	}{
		{name: "Plain", text: "no marks here", want: []seg{{"no marks here", nil}}},
		{name: "Empty", text: "", ranges: []Range{{ID: 1, Start: 0, End: 3}}, want: nil},
		{name: "Nested", text: "0123456789",
			ranges: []Range{{ID: 2, Start: 2, End: 5}, {ID: 1, Start: 0, End: 10}},
			want:   []seg{{"01", []int64{1}}, {"234", []int64{1, 2}}, {"56789", []int64{1}}}},
		{name: "Overlapping", text: "0123456789",
			ranges: []Range{{ID: 1, Start: 0, End: 5}, {ID: 2, Start: 3, End: 8}},
			want:   []seg{{"012", []int64{1}}, {"34", []int64{1, 2}}, {"567", []int64{2}}, {"89", nil}}},
		{name: "Identical", text: "abcdef",
			ranges: []Range{{ID: 9, Start: 1, End: 4}, {ID: 3, Start: 1, End: 4}, {ID: 3, Start: 1, End: 4}},
			want:   []seg{{"a", nil}, {"bcd", []int64{3, 3, 9}}, {"ef", nil}}},
		{name: "Touching", text: "abcdef",
			ranges: []Range{{ID: 2, Start: 3, End: 6}, {ID: 1, Start: 0, End: 3}},
			want:   []seg{{"abc", []int64{1}}, {"def", []int64{2}}}},
		{name: "SameStartLongestFirst", text: "abcdef",
			ranges: []Range{{ID: 1, Start: 0, End: 2}, {ID: 2, Start: 0, End: 6}},
			want:   []seg{{"ab", []int64{2, 1}}, {"cdef", []int64{2}}}},
		{name: "CrossingParagraphs", text: "paragraph", base: 100,
			ranges: []Range{{ID: 1, Start: 90, End: 104}, {ID: 2, Start: 107, End: 300}, {ID: 3, Start: 0, End: 1000}},
			want:   []seg{{"para", []int64{3, 1}}, {"gra", []int64{3}}, {"ph", []int64{3, 2}}}},
		{name: "IgnoredRanges", text: "paragraph", base: 100,
			ranges: []Range{
				{ID: 1, Start: 103, End: 103}, // empty
				{ID: 2, Start: 105, End: 102}, // reversed
				{ID: 3, Start: 90, End: 100},  // ends where the paragraph starts
				{ID: 4, Start: 109, End: 120}, // starts where it ends
				{ID: 5, Start: -20, End: -5},  // out of bounds
			},
			want: []seg{{"paragraph", nil}}},
		{name: "KoreanEmoji", text: "한국어 😀👩‍👩‍👧 中文", base: 10,
			// code points: 한0 국1 어2 ' '3 😀4 👩5 ZWJ6 👩7 ZWJ8 👧9 ' '10 中11 文12
			ranges: []Range{{ID: 1, Start: 14, End: 20}, {ID: 2, Start: 21, End: 23}},
			want:   []seg{{"한국어 ", nil}, {"😀👩‍👩‍👧", []int64{1}}, {" ", nil}, {"中文", []int64{2}}}},
		{name: "InvalidUTF8", text: "a\xffb", ranges: []Range{{ID: 1, Start: 1, End: 2}},
			want: []seg{{"a", nil}, {"\xff", []int64{1}}, {"b", nil}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Segments(tc.text, tc.base, tc.ranges)
			checkSegments(t, tc.text, tc.base, tc.ranges, got)
			var gotSegs []seg
			for _, s := range got {
				var ids []int64
				for _, m := range s.Marks {
					ids = append(ids, m.ID)
				}
				gotSegs = append(gotSegs, seg{s.Text, ids})
			}
			if fmt.Sprint(gotSegs) != fmt.Sprint(tc.want) {
				t.Errorf("got  %+v\nwant %+v", gotSegs, tc.want)
			}
		})
	}
	t.Run("MarksAreUnclipped", func(t *testing.T) {
		r := Range{ID: 7, Start: 0, End: 500, Class: "note"}
		got := Segments("middle", 200, []Range{r})
		if len(got) != 1 || got[0].Start != 200 || got[0].End != 206 || !slices.Equal(got[0].Marks, []Range{r}) {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("WithParagraphs", func(t *testing.T) {
		text := "Title\n\n한국어 “quoted” 😀 text\n\nLast one"
		ranges := []Range{{ID: 1, Start: 3, End: 12}, {ID: 2, Start: 10, End: 30}}
		for _, p := range Paragraphs(text) {
			checkSegments(t, p.Text, p.Start, ranges, Segments(p.Text, p.Start, ranges))
		}
	})
}

// checkSegments verifies everything Segments promises, against a per-rune
// reference: text preserved, runs contiguous and maximal, each range
// covering exactly its clipped extent, marks in outermost-first order.
func checkSegments(t testing.TB, text string, base int, ranges []Range, got []Segment) {
	t.Helper()
	n := utf8.RuneCountInString(text)
	if n == 0 {
		if len(got) != 0 {
			t.Fatalf("empty text gave %d segments", len(got))
		}
		return
	}
	var sb strings.Builder
	pos := base
	for i, s := range got {
		sb.WriteString(s.Text)
		if s.Start != pos || s.End <= s.Start || s.End-s.Start != utf8.RuneCountInString(s.Text) {
			t.Fatalf("segment %d %+v: want start %d and end-start = %d code points", i, s, pos, utf8.RuneCountInString(s.Text))
		}
		if i > 0 && slices.Equal(s.Marks, got[i-1].Marks) {
			t.Fatalf("segments %d and %d have the same marks: not maximal", i-1, i)
		}
		if !slices.IsSortedFunc(s.Marks, func(a, b Range) int {
			return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(b.End, a.End), cmp.Compare(a.ID, b.ID), cmp.Compare(a.Class, b.Class))
		}) {
			t.Fatalf("segment %d marks out of order: %+v", i, s.Marks)
		}
		pos = s.End
	}
	if sb.String() != text {
		t.Fatalf("segments join to %q, want %q", sb.String(), text)
	}
	if pos != base+n {
		t.Fatalf("segments end at %d, want %d", pos, base+n)
	}
	// Coverage: every code point lists exactly the ranges covering it, each
	// as many times as it was given.
	for p := base; p < base+n; p++ {
		var want []Range
		for _, r := range ranges {
			if r.Start <= p && p < r.End {
				want = append(want, r)
			}
		}
		i, _ := slices.BinarySearchFunc(got, p, func(s Segment, p int) int {
			if s.End <= p {
				return -1
			}
			if s.Start > p {
				return 1
			}
			return 0
		})
		have := slices.Clone(got[i].Marks)
		key := func(a, b Range) int {
			return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), cmp.Compare(a.Class, b.Class))
		}
		slices.SortFunc(want, key)
		slices.SortFunc(have, key)
		if !slices.Equal(have, want) {
			t.Fatalf("code point %d: marks %+v, want %+v", p, have, want)
		}
	}
}

func FuzzSegments(f *testing.F) {
	f.Add("0123456789", 0, []byte{0, 5, 3, 8, 2, 2})
	f.Add("한국어 😀 中文", 10, []byte{9, 14, 12, 30, 0, 255})
	f.Add("a\xffb\n", -3, []byte{1, 1, 1, 1})
	f.Add("", 0, []byte{0, 1})
	f.Fuzz(func(t *testing.T, text string, base int, spec []byte) {
		base %= 1 << 20
		// Each byte pair is a range around the paragraph, some outside it.
		var ranges []Range
		for i := 0; i+1 < len(spec) && len(ranges) < 64; i += 2 {
			ranges = append(ranges, Range{
				ID:    int64(i % 5),
				Start: base + int(spec[i]) - 16,
				End:   base + int(spec[i+1]) - 16,
				Class: string(rune('a' + spec[i]%3)),
			})
		}
		checkSegments(t, text, base, ranges, Segments(text, base, ranges))
	})
}

// BenchmarkSegments500 renders a ~7,000-rune article in ~40 paragraphs with
// 500 overlapping highlights, one Segments call per paragraph as the reader
// does.
func BenchmarkSegments500(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("the river city council 한국어 문장 中文 段落 “quoted” 😀 budget night market a of")
	var sb strings.Builder
	for p := range 40 {
		if p > 0 {
			sb.WriteString("\n\n")
		}
		for w := range 36 {
			if w > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(words[rng.IntN(len(words))])
		}
	}
	text := sb.String()
	n := utf8.RuneCountInString(text)
	ranges := make([]Range, 500)
	for i := range ranges {
		start := rng.IntN(n)
		ranges[i] = Range{ID: int64(i), Start: start, End: min(n, start+1+rng.IntN(300)), Class: "hl"}
	}
	paras := Paragraphs(text)
	segs := 0
	for b.Loop() {
		segs = 0
		for _, p := range paras {
			segs += len(Segments(p.Text, p.Start, ranges))
		}
	}
	b.ReportMetric(float64(n), "runes")
	b.ReportMetric(float64(segs), "segments")
}

// TestSegmentsManyRanges crosses the 64 ranges one word of the bit set
// holds: 70 nested ranges, each one rune shorter at the end.
func TestSegmentsManyRanges(t *testing.T) {
	text := strings.Repeat("x", 90)
	var ranges []Range
	for i := range 70 {
		ranges = append(ranges, Range{ID: int64(i), Start: 0, End: 80 - i})
	}
	segs := Segments(text, 0, ranges)
	if len(segs) != 71 {
		t.Fatalf("%d segments, want 71", len(segs))
	}
	for i, s := range segs {
		// [0,11) under all 70, then one range fewer each rune, then [80,90) under none.
		start, end, n := 10+i, 11+i, 70-i
		switch i {
		case 0:
			start = 0
		case 70:
			end = 90
		}
		if s.Start != start || s.End != end || len(s.Marks) != n {
			t.Fatalf("segment %d = [%d,%d) with %d marks, want [%d,%d) with %d", i, s.Start, s.End, len(s.Marks), start, end, n)
		}
		for k, m := range s.Marks {
			if m.ID != int64(k) {
				t.Fatalf("segment %d mark %d is range %d, want %d (outermost first)", i, k, m.ID, k)
			}
		}
	}
	if segs[70].Marks != nil {
		t.Errorf("the unmarked tail has marks %v, want none (nil)", segs[70].Marks)
	}
}

// TestSegmentsAllocations: the doc promises a fixed number of
// allocations, however many ranges overlap.
func TestSegmentsAllocations(t *testing.T) {
	text := strings.Repeat("word ", 80)
	ranges := func(n int) []Range {
		var rs []Range
		for i := range n {
			rs = append(rs, Range{ID: int64(i), Start: i, End: i + 50})
		}
		return rs
	}
	some, many := ranges(300), ranges(600) // both past the 32 bytes Go may keep on the stack
	a := testing.AllocsPerRun(20, func() { Segments(text, 0, some) })
	b := testing.AllocsPerRun(20, func() { Segments(text, 0, many) })
	if a != b || b > 5 {
		t.Errorf("allocations: %v with 300 ranges, %v with 600; want the same, at most 5", a, b)
	}
}

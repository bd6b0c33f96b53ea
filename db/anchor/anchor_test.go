package anchor

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

const english = "The committee met on Tuesday to review the proposal. After a long debate, the members agreed " +
	"that the budget should be increased by ten percent. The chair thanked everyone for their patience " +
	"and closed the meeting at noon. Minutes will be published next week."

const korean = "서울은 대한민국의 수도이다. 한강이 도시를 가로질러 흐르며, 많은 사람들이 강변 공원에서 산책을 즐긴다. " +
	"봄에는 벚꽃이 피고 가을에는 단풍이 아름답다. 겨울에는 눈이 자주 내린다."

const chinese = "北京是中国的首都，有着悠久的历史。长城是世界上最著名的建筑之一，每年吸引数百万游客。" +
	"故宫位于城市的中心，是明清两代的皇宫。秋天的香山红叶也很有名。"

const emoji = "Launch day 🚀🚀! The family 👩‍👩‍👧 said “Gloss is finally here” — a reader for slow news 😀. " +
	"Everyone celebrated with cake and tea until late in the evening."

// at returns the code-point range of the nth (0-based) occurrence of sub in s.
func at(t *testing.T, s, sub string, nth int) (int, int) {
	t.Helper()
	from := 0
	for range nth {
		i := strings.Index(s[from:], sub)
		if i < 0 {
			t.Fatalf("%q occurs fewer than %d times", sub, nth+1)
		}
		from += i + len(sub)
	}
	i := strings.Index(s[from:], sub)
	if i < 0 {
		t.Fatalf("%q not found (occurrence %d)", sub, nth)
	}
	start := utf8.RuneCountInString(s[:from+i])
	return start, start + utf8.RuneCountInString(sub)
}

func replace(s, old, new string) string { return strings.Replace(s, old, new, 1) }

func TestFromRange(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		start, end := at(t, emoji, "Gloss", 0)
		sel, err := FromRange(emoji, start, end)
		if err != nil {
			t.Fatal(err)
		}
		if sel.Exact != "Gloss" || sel.Start != start || sel.End != end {
			t.Errorf("got %+v", sel)
		}
		if want := " day 🚀🚀! The family 👩‍👩‍👧 said “"; sel.Prefix != want {
			t.Errorf("prefix = %q, want %q", sel.Prefix, want)
		}
		if n := utf8.RuneCountInString(sel.Prefix); n != ContextLen {
			t.Errorf("prefix has %d code points, want %d", n, ContextLen)
		}
		if want := " is finally here” — a reader for"; sel.Suffix != want {
			t.Errorf("suffix = %q, want %q", sel.Suffix, want)
		}
	})
	t.Run("OKAtEdges", func(t *testing.T) {
		n := utf8.RuneCountInString(korean)
		sel, err := FromRange(korean, 0, n)
		if err != nil {
			t.Fatal(err)
		}
		if sel.Exact != korean || sel.Prefix != "" || sel.Suffix != "" {
			t.Errorf("got %+v", sel)
		}
	})
	for _, tc := range []struct {
		name       string
		start, end int
	}{
		{"ErrNegativeStart", -1, 3},
		{"ErrEndPastText", 0, utf8.RuneCountInString(chinese) + 1},
		{"ErrEmpty", 5, 5},
		{"ErrReversed", 6, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := FromRange(chinese, tc.start, tc.end); !errors.Is(err, ErrRange) {
				t.Errorf("err = %v, want ErrRange", err)
			}
		})
	}
}

func TestLocate(t *testing.T) {
	long := strings.Repeat("Rivers carry silt to the sea, and deltas grow year by year as the water slows. ", 6)
	longText := "Preface.\n\n" + long + "\n\nAfterword about other things entirely, with no rivers at all."
	twice := "First: the cat sat on the mat near the door. Second: the cat ran across the yard after a bird."

	tests := []struct {
		name   string
		text   string
		quote  string // selected in text
		nth    int    // which occurrence of quote is selected
		edit   func(string) string
		status Status
		want   string // expected match in the edited text ("" for Orphaned)
		wantN  int    // occurrence of want in the edited text
	}{
		{name: "Unchanged", text: english, quote: "the budget should be increased",
			edit: func(s string) string { return s }, status: Anchored, want: "the budget should be increased"},
		{name: "InsertedBefore", text: english, quote: "the budget should be increased",
			edit:   func(s string) string { return "Draft 2, revised after review.\n\n" + s },
			status: Moved, want: "the budget should be increased"},
		{name: "DeletedBefore", text: english, quote: "closed the meeting",
			edit:   func(s string) string { return replace(s, "After a long debate, ", "") },
			status: Moved, want: "closed the meeting"},
		{name: "TwiceContextDecides", text: twice, quote: "the cat", nth: 1,
			// After this edit the first "the cat" lies closer to the old
			// position, but only the second has the stored context.
			edit:   func(s string) string { return "An introduction of some length, added later on. " + s },
			status: Moved, want: "the cat", wantN: 1},
		{name: "TwiceFirst", text: twice, quote: "the cat", nth: 0,
			edit:   func(s string) string { return "Intro. " + s },
			status: Moved, want: "the cat", wantN: 0},
		{name: "WordChangedInside", text: english, quote: "the members agreed that the budget should be increased",
			edit:   func(s string) string { return replace(s, "members agreed", "members decided") },
			status: Approximate, want: "the members decided that the budget should be increased"},
		{name: "WordChangedAndMoved", text: english, quote: "thanked everyone for their patience",
			edit: func(s string) string {
				return "Summary first. " + replace(s, "everyone for their patience", "everybody for their patience")
			},
			status: Approximate, want: "thanked everybody for their patience"},
		{name: "ContextOneSideRewritten", text: english, quote: "noon",
			edit:   func(s string) string { return replace(s, " Minutes will be published next week.", " Lunch followed.") },
			status: Anchored, want: "noon"},
		{name: "QuoteDeleted", text: english, quote: "After a long debate, ",
			edit: func(s string) string { return replace(s, "After a long debate, ", "") }, status: Orphaned},
		{name: "CommonWordDeleted", text: english, quote: "the proposal",
			// "the" and "proposal" stay elsewhere? No: only "the" does; the
			// quote must not jump to another "the ...".
			edit: func(s string) string { return replace(s, "review the proposal", "review it") }, status: Orphaned},
		{name: "ShortWordDeleted", text: english, quote: "long",
			edit: func(s string) string { return replace(s, "a long debate", "a debate") }, status: Orphaned},
		{name: "SentenceRewritten", text: english, quote: "The chair",
			edit: func(s string) string {
				return replace(s, "The chair thanked everyone for their patience and closed the meeting at noon.",
					"Nobody asked the chair anything, and the session simply ran out of time.")
			},
			status: Orphaned},
		{name: "TextReplaced", text: english, quote: "the",
			edit:   func(string) string { return "Nothing here resembles the original article; it is another text." },
			status: Orphaned},
		{name: "KoreanInsertedBefore", text: korean, quote: "강변 공원에서 산책을",
			edit:   func(s string) string { return "개정판: 일부 내용을 고쳤다.\n\n" + s },
			status: Moved, want: "강변 공원에서 산책을"},
		{name: "KoreanWordChanged", text: korean, quote: "봄에는 벚꽃이 피고 가을에는 단풍이 아름답다",
			edit:   func(s string) string { return replace(s, "벚꽃이", "개나리가") },
			status: Approximate, want: "봄에는 개나리가 피고 가을에는 단풍이 아름답다"},
		{name: "ChineseInsertedBefore", text: chinese, quote: "每年吸引数百万游客",
			edit:   func(s string) string { return "前言。" + s },
			status: Moved, want: "每年吸引数百万游客"},
		{name: "ChineseEdited", text: chinese, quote: "故宫位于城市的中心，是明清两代的皇宫",
			edit:   func(s string) string { return replace(s, "城市的中心", "北京的中心") },
			status: Approximate, want: "故宫位于北京的中心，是明清两代的皇宫"},
		{name: "ChineseDeleted", text: chinese, quote: "长城是世界上最著名的建筑之一，",
			edit: func(s string) string { return replace(s, "长城是世界上最著名的建筑之一，", "") }, status: Orphaned},
		{name: "AfterEmojiUnchanged", text: emoji, quote: "Gloss is finally here",
			edit: func(s string) string { return s }, status: Anchored, want: "Gloss is finally here"},
		{name: "AfterEmojiInserted", text: emoji, quote: "Gloss is finally here",
			edit:   func(s string) string { return "🎉👩🏽‍💻 " + s },
			status: Moved, want: "Gloss is finally here"},
		{name: "EmojiInQuote", text: emoji, quote: "slow news 😀",
			edit:   func(s string) string { return replace(s, "Launch day", "Launch") },
			status: Moved, want: "slow news 😀"},
		{name: "CurlyQuotesEdited", text: emoji, quote: "said “Gloss is finally here”",
			edit:   func(s string) string { return replace(s, "“Gloss is finally here”", "“Gloss is here”") },
			status: Approximate, want: "said “Gloss is here”"},
		{name: "LongQuoteEditedAndMoved", text: longText, quote: long,
			edit: func(s string) string {
				s = replace(s, "deltas grow year by year", "deltas grow every single year")
				return "A new opening paragraph, added in the second revision of the text.\n\n" + s
			},
			status: Approximate, want: replace(long, "deltas grow year by year", "deltas grow every single year")},
		{name: "LongQuoteMoved", text: longText, quote: long,
			edit:   func(s string) string { return replace(s, "Preface.", "Preface, revised.") },
			status: Moved, want: long},
		{name: "LongQuoteDeleted", text: longText, quote: long,
			edit: func(s string) string { return replace(s, long, "") }, status: Orphaned},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start, end := at(t, tc.text, tc.quote, tc.nth)
			sel, err := FromRange(tc.text, start, end)
			if err != nil {
				t.Fatal(err)
			}
			edited := tc.edit(tc.text)
			got := Locate(edited, sel)
			runes := []rune(edited)
			if got.Status != tc.status {
				t.Fatalf("status = %s, want %s (match %+v = %q)", got.Status, tc.status, got, string(runes[got.Start:got.End]))
			}
			if tc.status == Orphaned {
				if got.Start != 0 || got.End != 0 || got.Score != 0 {
					t.Errorf("orphan = %+v, want zero range and score", got)
				}
				return
			}
			ws, we := at(t, edited, tc.want, tc.wantN)
			if got.Start != ws || got.End != we {
				t.Errorf("range = [%d,%d) %q, want [%d,%d) %q", got.Start, got.End, string(runes[got.Start:got.End]), ws, we, tc.want)
			}
			switch {
			case tc.status == Approximate && (got.Score < MinScore || got.Score >= 1):
				t.Errorf("score = %v, want in [MinScore, 1)", got.Score)
			case tc.status != Approximate && got.Score != 1:
				t.Errorf("score = %v, want 1", got.Score)
			}
		})
	}
	t.Run("EmptyQuote", func(t *testing.T) {
		if got := Locate(english, Selector{Start: 3, End: 3}); got.Status != Orphaned {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("PositionOnly", func(t *testing.T) {
		// A position whose quote disagrees with the text is not trusted.
		got := Locate(english, Selector{Start: 0, End: 3, Exact: "xyz"})
		if got.Status != Orphaned {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("ReuseText", func(t *testing.T) {
		doc := NewText("Preface. " + english)
		for _, q := range []string{"Tuesday", "ten percent", "closed the meeting at noon"} {
			s, e := at(t, english, q, 0)
			sel, _ := FromRange(english, s, e)
			if got := doc.Locate(sel); got.Status != Moved || got.Start != s+9 {
				t.Errorf("%q: got %+v, want moved to %d", q, got, s+9)
			}
		}
	})
}

// TestLocateNeverGuesses deletes random quotes from word salad, where the
// same words recur in unrelated contexts, and requires every one to be
// orphaned: an attachment would be a guess.
func TestLocateNeverGuesses(t *testing.T) {
	words := strings.Fields("the a of to and in is was for on that with as by at from it this be are " +
		"river city council budget night market school bridge garden winter train letter mayor harbour " +
		"공원 서울 학교 北京 长城 😀 “quoted”")
	rng := rand.New(rand.NewPCG(3, 4))
	salad := func(n int) string {
		w := make([]string, n)
		for i := range w {
			w[i] = words[rng.IntN(len(words))]
		}
		return strings.Join(w, " ")
	}
	for i := range 300 {
		before, quote, after := salad(30), salad(1+i%4), salad(30)
		if strings.HasSuffix(before, quote) || strings.HasPrefix(after, quote) {
			continue // "x x" minus either x is the same text: nothing to tell apart
		}
		text := before + " " + quote + " " + after
		start := utf8.RuneCountInString(before) + 1
		sel, err := FromRange(text, start, start+utf8.RuneCountInString(quote))
		if err != nil {
			t.Fatal(err)
		}
		if got := Locate(text, sel); got.Status != Anchored {
			t.Fatalf("unchanged text: got %+v", got)
		}
		if got := Locate(before+" "+after, sel); got.Status != Orphaned {
			r := []rune(before + " " + after)
			t.Errorf("deleted %q from %q: got %+v = %q", quote, text, got, string(r[got.Start:got.End]))
		}
	}
}

func TestOccurrences(t *testing.T) {
	got := occurrences([]rune("aaaa 가가가"), []rune("aa"))
	if want := []int{0, 1, 2}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got := occurrences([]rune("가가가"), []rune("가가")); !slices.Equal(got, []int{0, 1}) {
		t.Errorf("got %v", got)
	}
}

func FuzzLocate(f *testing.F) {
	f.Add(english, 10, 30, 5, 3, "inserted ")
	f.Add(korean, 3, 12, 0, 0, "개정판 ")
	f.Add(emoji, 12, 30, 40, 10, "😀")
	f.Add(chinese, 0, 5, 2, 2, "")
	f.Add("aaaaaaaaaaaaaaaaaaaa", 2, 6, 3, 1, "b")
	f.Add(strings.Repeat("long text ", 60), 5, 400, 200, 4, "edit")
	f.Fuzz(func(t *testing.T, text string, start, end, at, del int, insert string) {
		n := utf8.RuneCountInString(text)
		if n == 0 {
			return
		}
		start, end = mod(start, n), mod(end, n)+1
		if start >= end {
			start, end = end-1, start+1
		}
		sel, err := FromRange(text, start, end)
		if err != nil {
			t.Fatalf("FromRange(%d, %d) on %d code points: %v", start, end, n, err)
		}
		if got := Locate(text, sel); got.Status != Anchored || got.Start != start || got.End != end {
			t.Fatalf("unchanged text: got %+v, want anchored [%d,%d)", got, start, end)
		}
		runes := []rune(text)
		at = mod(at, n+1)
		del = min(mod(del, 64), n-at)
		edited := slices.Concat(runes[:at], []rune(insert), runes[at+del:])
		got := Locate(string(edited), sel)
		if got.Start < 0 || got.End < got.Start || got.End > len(edited) {
			t.Fatalf("match %+v outside text of %d code points", got, len(edited))
		}
		if got.Score < 0 || got.Score > 1 {
			t.Fatalf("score %v outside [0,1]", got.Score)
		}
		// An edit that leaves the quote and its stored context intact must
		// not lose it (unless the quote repeats beyond what is scored).
		prefixStart := start - utf8.RuneCountInString(sel.Prefix)
		suffixEnd := end + utf8.RuneCountInString(sel.Suffix)
		intact := at+del <= prefixStart || at >= suffixEnd
		if intact && got.Status != Anchored && got.Status != Moved &&
			len(occurrences(edited, []rune(sel.Exact))) < maxCandidates {
			t.Fatalf("edit at [%d,%d) outside [%d,%d) lost the quote: %+v", at, at+del, prefixStart, suffixEnd, got)
		}
		switch got.Status {
		case Anchored, Moved:
			if string(edited[got.Start:got.End]) != sel.Exact || got.Score != 1 {
				t.Fatalf("%s %+v selects %q, quote is %q", got.Status, got, string(edited[got.Start:got.End]), sel.Exact)
			}
			if got.Status == Anchored && got.Start != sel.Start {
				t.Fatalf("anchored away from the stored start: %+v, stored %d", got, sel.Start)
			}
		case Approximate:
			if got.Start >= got.End || got.Score < MinScore {
				t.Fatalf("approximate match %+v", got)
			}
		case Orphaned:
			if got.Start != 0 || got.End != 0 {
				t.Fatalf("orphan with a range: %+v", got)
			}
		default:
			t.Fatalf("unknown status %q", got.Status)
		}
	})
}

func FuzzFromRange(f *testing.F) {
	f.Add(english, 0, 3)
	f.Add(emoji, 12, 17)
	f.Add("\xff\xfe invalid", 0, 2)
	f.Add("", 0, 0)
	f.Add(korean, -1, 4)
	f.Fuzz(func(t *testing.T, text string, start, end int) {
		runes := []rune(text)
		sel, err := FromRange(text, start, end)
		if start < 0 || end > len(runes) || start >= end {
			if !errors.Is(err, ErrRange) {
				t.Fatalf("FromRange(%d, %d) on %d code points: err = %v, want ErrRange", start, end, len(runes), err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if sel.Exact != string(runes[start:end]) {
			t.Fatalf("exact = %q, want %q", sel.Exact, string(runes[start:end]))
		}
		if want := string(runes[max(0, start-ContextLen):start]); sel.Prefix != want {
			t.Fatalf("prefix = %q, want %q", sel.Prefix, want)
		}
		if want := string(runes[end:min(len(runes), end+ContextLen)]); sel.Suffix != want {
			t.Fatalf("suffix = %q, want %q", sel.Suffix, want)
		}
		if got := Locate(text, sel); got.Status != Anchored || got.Start != start || got.End != end {
			t.Fatalf("Locate on the same text = %+v, want anchored [%d,%d)", got, start, end)
		}
	})
}

func mod(x, n int) int {
	x %= n
	if x < 0 {
		x += n
	}
	return x
}

// BenchmarkLocate re-anchors in a ~100 KB article, the largest we expect.
func BenchmarkLocate(b *testing.B) {
	words := strings.Fields("the a of to and in river city council budget night market school bridge garden " +
		"winter train letter mayor harbour 공원 서울 北京 长城 “quoted” 😀 meeting proposal debate members")
	rng := rand.New(rand.NewPCG(5, 6))
	var sb strings.Builder
	for sb.Len() < 100_000 {
		sb.WriteString(words[rng.IntN(len(words))])
		sb.WriteByte(' ')
	}
	text := sb.String()
	n := utf8.RuneCountInString(text)
	start := n / 2
	sel, err := FromRange(text, start, start+60)
	if err != nil {
		b.Fatal(err)
	}
	runes := []rune(text)
	edits := []struct {
		name string
		text string
	}{
		{"Anchored", text},
		{"Moved", "A new first line. " + text},
		{"Approximate", "A new first line. " + string(runes[:start+20]) + "XYZ" + string(runes[start+23:])},
		{"Orphaned", string(runes[:start-10]) + string(runes[start+70:])},
	}
	for _, e := range edits {
		doc := NewText(e.text)
		b.Run(e.name, func(b *testing.B) {
			for b.Loop() {
				doc.Locate(sel)
			}
		})
	}
	b.Run("LongQuote", func(b *testing.B) {
		sel, _ := FromRange(text, start, start+2000)
		doc := NewText("A new first line. " + string(runes[:start+1000]) + "XYZ" + string(runes[start+1003:]))
		if got := doc.Locate(sel); got.Status != Approximate {
			b.Fatalf("got %+v", got)
		}
		for b.Loop() {
			doc.Locate(sel)
		}
	})
	b.Run("NewText", func(b *testing.B) {
		for b.Loop() {
			NewText(text)
		}
	})
}

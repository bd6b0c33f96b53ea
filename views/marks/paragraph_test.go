package marks

import (
	"testing"
	"unicode/utf8"
)

func TestParagraphs(t *testing.T) {
	text := "Title\n\nFirst line\nsame para\n\n  \n한국어 “quoted” 😀\n"
	got := Paragraphs(text)
	want := []string{"Title", "First line\nsame para", "한국어 “quoted” 😀"}
	if len(got) != len(want) {
		t.Fatalf("got %d paragraphs, want %d: %#v", len(got), len(want), got)
	}
	runes := []rune(text)
	for i, p := range got {
		if p.Text != want[i] {
			t.Errorf("paragraph %d = %q, want %q", i, p.Text, want[i])
		}
		if string(runes[p.Start:p.End]) != p.Text {
			t.Errorf("paragraph %d offsets [%d,%d) select %q, want %q", i, p.Start, p.End, string(runes[p.Start:p.End]), p.Text)
		}
	}
}

func FuzzParagraphs(f *testing.F) {
	f.Add("a\n\nb")
	f.Add("\n\n\n")
	f.Add("한국어\n \n中文 😀")
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			t.Skip()
		}
		runes := []rune(text)
		last := 0
		for _, p := range Paragraphs(text) {
			if p.Start < last || p.End < p.Start || p.End > len(runes) {
				t.Fatalf("bad offsets %+v (last %d, len %d)", p, last, len(runes))
			}
			if string(runes[p.Start:p.End]) != p.Text {
				t.Fatalf("offsets [%d,%d) select %q, paragraph says %q", p.Start, p.End, string(runes[p.Start:p.End]), p.Text)
			}
			last = p.End
		}
	})
}

// TestParagraphsExact pins the offsets at the edges the fuzz target only
// checks for consistency: a first paragraph of several lines starting at
// offset 0, indented paragraphs, CRLF line ends, blank lines of spaces and
// tabs, and text without a final newline.
func TestParagraphsExact(t *testing.T) {
	for _, c := range []struct {
		text string
		want []Paragraph
	}{
		{"a\nb", []Paragraph{{0, 3, "a\nb"}}},
		{"one\ntwo\n\nthree", []Paragraph{{0, 7, "one\ntwo"}, {9, 14, "three"}}},
		{"  indented\n  second", []Paragraph{{2, 19, "indented\n  second"}}},
		{"x\n\n\t é\n", []Paragraph{{0, 1, "x"}, {5, 6, "é"}}},
		{"a\r\n\r\nb\r\n", []Paragraph{{0, 1, "a"}, {5, 6, "b"}}},
		{"a\n \t\n  \nb", []Paragraph{{0, 1, "a"}, {8, 9, "b"}}},
		{"😀 x  \n\n", []Paragraph{{0, 3, "😀 x"}}},
		{"", nil},
		{" \n\t\n", nil},
	} {
		got := Paragraphs(c.text)
		if len(got) != len(c.want) {
			t.Errorf("Paragraphs(%q) = %+v, want %+v", c.text, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("Paragraphs(%q)[%d] = %+v, want %+v", c.text, i, got[i], c.want[i])
			}
		}
	}
}

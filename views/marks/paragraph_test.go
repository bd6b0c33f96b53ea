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

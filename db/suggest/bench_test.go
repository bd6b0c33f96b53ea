package suggest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkSeeds extracts from each seed article in turn (the reader's
// work for one article, before any cache).
func BenchmarkSeeds(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "seeds", "*.txt"))
	var texts []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, string(raw))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Extract(texts[i%len(texts)], Options{Published: "2004-07-30"})
	}
}

// BenchmarkLarge extracts from 100 seed articles' worth of text in one
// article, and from text made only of names and numbers, to show the cost
// grows with the text and not with its square.
func BenchmarkLarge(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "seeds", "*.txt"))
	var all strings.Builder
	for k := 0; k < 20; k++ {
		for _, f := range files {
			raw, _ := os.ReadFile(f)
			all.Write(raw)
			all.WriteString("\n\n")
		}
	}
	names := strings.Repeat("Hazel Smith said 'It is 5,000 people, in May,' Dr Smith (HS) said. ", 5000)
	// One line with no full stop: plural possessives, quotes, verbs, dates.
	runOn := strings.Repeat("the migrants' groups said in May that 'Lee' said 5,000 people, ", 5000)
	for _, c := range []struct{ name, text string }{{"seeds x20", all.String()}, {"names", names}, {"run-on line", runOn}} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				Extract(c.text, Options{Published: "2004-07-30"})
			}
		})
	}
}

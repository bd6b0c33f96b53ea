package sqlstore

import (
	"context"
	"path/filepath"
	"testing"

	"gloss/db/searchquery"
	"gloss/seeds"
)

// TestStemMatchesFTS5Porter checks Go's stemmer (searchquery.Stem, which
// makes the index) against SQLite FTS5's porter tokenizer on every word
// of the seed articles: the same algorithm, so another engine or a tool
// reading the index with FTS5's porter finds the same stems.
func TestStemMatchesFTS5Porter(t *testing.T) {
	ctx := context.Background()
	store, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "stem.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	arts, err := seeds.Load()
	if err != nil {
		t.Fatal(err)
	}
	words := map[string]bool{}
	for _, a := range arts {
		for _, tk := range searchquery.Tokens(a.Body) {
			if !tk.CJK {
				words[tk.Word] = true
			}
		}
	}
	if len(words) < 1000 {
		t.Fatalf("only %d words", len(words))
	}
	for _, q := range []string{
		`CREATE VIRTUAL TABLE porter_check USING fts5 (w, tokenize = 'porter ascii')`,
		`CREATE VIRTUAL TABLE porter_check_vocab USING fts5vocab (porter_check, 'row')`,
	} {
		if err := store.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	differ := 0
	for w := range words {
		if err := store.Exec(ctx, `DELETE FROM porter_check`); err != nil {
			t.Fatal(err)
		}
		if err := store.Exec(ctx, `INSERT INTO porter_check (w) VALUES (?)`, w); err != nil {
			t.Fatal(err)
		}
		var fts5 string
		if err := store.Writer().QueryRowContext(ctx, `SELECT group_concat(term, ' ') FROM porter_check_vocab`).Scan(&fts5); err != nil {
			t.Fatal(err)
		}
		if got := searchquery.Stem(w); got != fts5 {
			differ++
			if differ < 20 {
				t.Errorf("Stem(%q) = %q, FTS5's porter %q", w, got, fts5)
			}
		}
	}
	t.Logf("%d words compared", len(words))
}

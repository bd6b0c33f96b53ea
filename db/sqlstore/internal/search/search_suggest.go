package search

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"gloss/db"
	"gloss/db/searchquery"
	"gloss/db/sqlstore/internal/core"
)

// maxCorrections bounds the words a "did you mean" corrects in one query.
const maxCorrections = 3

// suggest returns q with each correctable word the indexes do not hold
// replaced by the word one edit away that most items hold, when the
// viewer finds something with it under the same filters; "" otherwise.
// The words come from the index (search_words), which holds everyone's
// words: checking that the suggestion finds what the viewer may see keeps
// a private word from being suggested to others.
func (store *Index) suggest(ctx context.Context, tx *sql.Tx, v db.Viewer, f db.SearchFilter, began time.Time, q searchquery.Query) (string, error) {
	changed := false
	out := q
	terms := q.Correctable()
	for _, t := range terms[:min(len(terms), maxCorrections)] {
		w := t.Word()
		known, err := wordsIn(ctx, tx, []string{w})
		if err != nil {
			return "", err
		}
		if len(known) > 0 {
			continue // a word of the index: nothing to correct
		}
		cands, err := wordsIn(ctx, tx, searchquery.Edits(w))
		if err != nil {
			return "", err
		}
		if len(cands) == 0 {
			continue
		}
		// The word most items hold (counted up to a bound), then the first
		// in alphabetical order.
		counts := map[string]int{}
		held := heldBy
		if store.Dialect() == core.Postgres {
			held = pgHeldBy
		}
		for _, c := range cands {
			n, err := held(ctx, tx, c)
			if err != nil {
				return "", err
			}
			counts[c] = n
		}
		slices.SortFunc(cands, func(a, b string) int { return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(a, b)) })
		out = out.Replace(t, cands[0])
		changed = true
	}
	if !changed {
		return "", nil
	}
	res := db.SearchResults{Query: out, Page: 1, PerPage: 1, CountsByKind: map[string]int{}, CappedKinds: map[string]bool{}}
	if err := store.searchIn(ctx, tx, v, f, began, &res); err != nil {
		return "", err
	}
	if res.Total == 0 {
		return "", nil
	}
	return out.String(), nil
}

// wordsIn returns those of words that the indexes hold.
func wordsIn(ctx context.Context, tx *sql.Tx, words []string) ([]string, error) {
	list, _ := json.Marshal(words)
	rows, err := tx.QueryContext(ctx, `SELECT word FROM search_words WHERE word IN (SELECT value FROM json_each(?))`, string(list))
	if err != nil {
		return nil, fmt.Errorf("db: search: words: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			return nil, fmt.Errorf("db: search: words: %w", err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// heldBy counts the items whose text holds word as written, up to 100 in
// each index.
func heldBy(ctx context.Context, tx *sql.Tx, word string) (int, error) {
	total := 0
	for i, table := range searchTables {
		cols := []searchquery.Columns{searchArticleCols, searchAnnotationCols, searchNoteCols}[i]
		expr := searchquery.Term{Text: word, Phrase: true}.FTS5(cols)
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM `+table+` WHERE `+table+` MATCH ? LIMIT 100)`, expr).Scan(&n); err != nil {
			return 0, fmt.Errorf("db: search: %s: %w", table, err)
		}
		total += n
	}
	return total, nil
}

package search

import (
	"context"
	"database/sql"
	"fmt"

	"gloss/db"
	"gloss/db/searchquery"
	"gloss/db/sqlstore/internal/core"
)

// PostgreSQL's windows of a search: the same windows as SQLite's (the
// newest SearchCountCap visible matches of each kind, with the same
// filters and the same permission SQL), over one tsvector an item
// (searchquery.Doc) that a GIN index answers the whole tsquery from, the
// filters the index holds as keys included. PostgreSQL's planner picks
// between the GIN index (a rare word) and reading the newest rows back
// until the window is full (a common one).
//
// Ranking is ts_rank over the fields' weights (an article's title above
// its body, a comment above its quote), with each stemmed word also
// matched as written, so that exact forms rank higher. Its scores are not
// SQLite's bm25; the hits, counts and windows are the same.

// Weights of ts_rank, for fields weighted D, C, B and A.
const (
	pgArticleWeights    = "{0.2, 0, 0, 1}"  // body and meta D, title A (5× as in SQLite)
	pgAnnotationWeights = "{0, 0, 0.75, 1}" // meta D (not ranked), quote B, comment A
	pgNoteWeights       = "{0, 0, 0, 1}"    // the note A
)

// tsquery is the window's query for the index, with the filters the
// index holds as keys, or "" when nothing can match.
func (s searchSQL) tsquery(written bool) string {
	if s.x.Empty() {
		return "" // a prefix that starts no word
	}
	return s.x.TSQuery(false, s.keys(written)...)
}

// rank selects a row's score (lower is better, as bm25's) when ranked, and
// its argument.
func (s searchSQL) pgRank(ranked bool, alias, weights string) (string, []any) {
	q := s.x.TSQuery(true)
	if !ranked || !s.x.HasText() || q == "" {
		return "0.0", nil
	}
	return "-ts_rank(CAST(? AS real[]), " + alias + ".doc, CAST(? AS tsquery))", []any{weights, q}
}

// pgWindow runs a window's query, whose rows are an id, whether it is a
// reply, and its score, as hits of kind (or replies).
func pgWindow(ctx context.Context, tx *sql.Tx, what, q string, args []any, kind string) ([]candidate, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("db: search %s: %w", what, err)
	}
	out := make([]candidate, 0, window)
	err = core.EachRow(rows, func(r *sql.Rows) error {
		h := candidate{kind: kind}
		var reply bool
		if err := r.Scan(&h.id, &reply, &h.rank); err != nil {
			return err
		}
		if reply {
			h.kind = db.KindReply
		}
		out = append(out, h)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("db: search %s: %w", what, err)
	}
	return out, nil
}

func (s searchSQL) pgArticles(ctx context.Context, tx *sql.Tx, ranked bool) ([]candidate, error) {
	match := s.tsquery(false)
	if match == "" {
		return nil, nil
	}
	rank, args := s.pgRank(ranked, "sa", pgArticleWeights)
	q := `SELECT sa.id, FALSE, ` + rank + ` FROM search_articles sa WHERE sa.doc @@ CAST(? AS tsquery)`
	args = append(args, match)
	cond, cargs := s.articleIn("sa.id")
	q += cond + " ORDER BY sa.id DESC LIMIT ?"
	args = append(append(args, cargs...), window)
	return pgWindow(ctx, tx, "articles", q, args, db.KindArticle)
}

func (s searchSQL) pgAnnotations(ctx context.Context, tx *sql.Tx, kind string, ranked bool) ([]candidate, error) {
	match := s.tsquery(true)
	if match == "" {
		return nil, nil
	}
	rank, args := s.pgRank(ranked, "sa", pgAnnotationWeights)
	vis, vargs := core.VisibleWhere(s.v, "a")
	q := `SELECT a.id, a.parent_id IS NOT NULL, ` + rank + `
		FROM search_annotations sa JOIN annotations a ON a.id = sa.id
		WHERE sa.doc @@ CAST(? AS tsquery) AND ` + vis
	args = append(append(args, match), vargs...)
	switch kind {
	case db.KindAnnotation:
		q += " AND a.parent_id IS NULL"
	case db.KindReply:
		q += " AND a.parent_id IS NOT NULL"
	}
	cond, cargs := s.articleIn("a.article_id")
	q += cond
	args = append(args, cargs...)
	cond, cargs = s.writtenBy("a")
	q += cond + " ORDER BY sa.id DESC LIMIT ?"
	args = append(append(args, cargs...), window)
	return pgWindow(ctx, tx, "annotations", q, args, db.KindAnnotation)
}

func (s searchSQL) pgNotes(ctx context.Context, tx *sql.Tx, ranked bool) ([]candidate, error) {
	match := s.tsquery(true)
	if match == "" {
		return nil, nil
	}
	rank, args := s.pgRank(ranked, "sn", pgNoteWeights)
	vis, vargs := core.VisibleSQL(s.v, "n")
	q := `SELECT n.id, FALSE, ` + rank + `
		FROM search_notes sn JOIN notes n ON n.id = sn.id
		WHERE sn.doc @@ CAST(? AS tsquery) AND ` + vis
	args = append(append(args, match), vargs...)
	cond, cargs := s.articleIn("n.article_id")
	q += cond
	args = append(args, cargs...)
	cond, cargs = s.writtenBy("n")
	q += cond + " ORDER BY sn.id DESC LIMIT ?"
	args = append(append(args, cargs...), window)
	return pgWindow(ctx, tx, "notes", q, args, db.KindNote)
}

// pgHeldBy counts the items whose text holds word as written, up to 100
// in each index (did you mean).
func pgHeldBy(ctx context.Context, tx *sql.Tx, word string) (int, error) {
	expr := searchquery.Term{Text: word, Phrase: true}.TSQuery()
	total := 0
	for _, table := range searchTables {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM `+table+` WHERE doc @@ CAST(? AS tsquery) LIMIT 100) AS held`, expr).Scan(&n); err != nil {
			return 0, fmt.Errorf("db: search: %s: %w", table, err)
		}
		total += n
	}
	return total, nil
}

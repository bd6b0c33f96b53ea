package search

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gloss/db"
	"gloss/db/markdown"
	"gloss/db/searchquery"
	"gloss/db/sqlstore/internal/core"
)

var _ db.Searcher = (*Index)(nil)

// normalize validates a filter and returns it cleaned.
func normalize(f db.SearchFilter) (db.SearchFilter, error) {
	clean := func(s string) string { return strings.TrimSpace(strings.ToValidUTF8(s, "")) }
	f.Article, f.Publication = clean(f.Article), clean(f.Publication)
	f.Tag = strings.ToLower(strings.Join(strings.Fields(clean(f.Tag)), " "))
	f.From, f.To, f.Visibility, f.Kind = clean(f.From), clean(f.To), clean(f.Visibility), clean(f.Kind)
	for _, d := range []string{f.From, f.To} {
		if d == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return f, db.Errorf(db.EINVALID, "The date %q is not a date like 2005-04-10.", clipRunes(d, 40))
		}
	}
	if f.From != "" && f.To != "" && f.From > f.To {
		return f, db.Errorf(db.EINVALID, "The start date %s is after the end date %s.", f.From, f.To)
	}
	if f.Visibility != "" {
		if _, err := db.ParseVisibility(f.Visibility); err != nil {
			return f, db.Errorf(db.EINVALID, "%q is not a visibility: choose private, group or public.", clipRunes(f.Visibility, 40))
		}
	}
	if f.Kind != "" && !slices.Contains(db.SearchKinds, f.Kind) {
		return f, db.Errorf(db.EINVALID, "%q is not a kind of result: choose article, annotation, reply or note.", clipRunes(f.Kind, 40))
	}
	if f.AuthorID < 0 || f.GroupID < 0 {
		return f, db.Errorf(db.EINVALID, "There is no such author or group.")
	}
	return f, nil
}

func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// Search implements Searcher with FTS5.
//
// A common word matches most of a large corpus, and ranking, filtering and
// counting every match took seconds. So each kind's results are a window:
// its newest SearchCountCap visible matches, which FTS5 finds by reading
// its index backwards and stopping there (a window costs what it holds,
// not what matches). Counts are the windows' sizes, capped; the pages
// rank and page the windows. Filters that the index holds as keys (tags,
// kinds, group, author, audience) are terms of the same MATCH, so FTS5
// skips through both lists instead of checking every match.
func (store *Index) Search(ctx context.Context, v db.Viewer, q string, f db.SearchFilter, page, perPage int) (db.SearchResults, error) {
	f, err := normalize(f)
	if err != nil {
		return db.SearchResults{}, err
	}
	if perPage <= 0 {
		perPage = db.DefaultPerPage
	}
	perPage = min(perPage, db.MaxPerPage)
	page = max(page, 1)
	res := db.SearchResults{Query: searchquery.Parse(q), Page: page, PerPage: perPage,
		CountsByKind: map[string]int{}, CappedKinds: map[string]bool{}}
	for _, k := range db.SearchKinds {
		res.CountsByKind[k], res.CappedKinds[k] = 0, false
	}
	if res.Query.Empty() {
		return res, nil
	}

	done, err := store.searching(ctx)
	if err != nil {
		return res, err
	}
	defer done()
	began := store.ranks.begin(ctx)
	// One read transaction: counts and page come from the same snapshot.
	tx, end, err := store.BeginRead(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("db: search: %w", err)
	}
	defer end()

	if err := store.searchIn(ctx, tx, v, f, began, &res); err != nil {
		return res, err
	}
	if res.Total == 0 && page == 1 {
		if res.Suggestion, err = store.suggest(ctx, tx, v, f, began, res.Query); err != nil {
			return res, err
		}
	}
	return res, nil
}

// searchIn fills in res (whose Query is parsed and not Empty) in tx.
func (store *Index) searchIn(ctx context.Context, tx *sql.Tx, v db.Viewer, f db.SearchFilter, began time.Time, res *db.SearchResults) error {
	// A prefix becomes the words it starts.
	var expandErr error
	words := func(prefix string) ([]string, bool) {
		words, ok, err := indexedWords(ctx, tx, prefix)
		expandErr = cmp.Or(expandErr, err)
		return words, ok
	}
	s := searchSQL{v: v, q: res.Query, f: f, words: words, pg: store.Dialect() == core.Postgres, ranks: &store.ranks, began: began}
	s.x = res.Query
	if hasPrefix(res.Query) {
		s.x = res.Query.ExpandPrefixes(words)
	}
	if expandErr != nil {
		return expandErr
	}
	// kind: in the query leaves out the windows that cannot match.
	kinds := res.Query.Kinds()
	may := func(kinds2 ...string) bool {
		return len(kinds) == 0 || slices.ContainsFunc(kinds, func(k string) bool { return slices.Contains(kinds2, k) })
	}
	onPage := func(kinds ...string) bool { return f.Kind == "" || slices.Contains(kinds, f.Kind) }
	var hits []candidate
	// keep counts a window's matches per kind (one kind's window, or the
	// annotations table's for both its kinds) and keeps those on the page.
	keep := func(w []candidate, kinds ...string) {
		capped := len(w) > db.SearchCountCap
		if capped {
			// The window read one match more than the cap, to know there
			// are more: drop the oldest.
			slices.SortFunc(w, func(a, b candidate) int { return cmp.Compare(b.id, a.id) })
			w = w[:db.SearchCountCap]
		}
		for _, k := range kinds {
			res.CountsByKind[k], res.CappedKinds[k] = 0, capped
		}
		for _, h := range w {
			res.CountsByKind[h.kind]++
			if onPage(h.kind) {
				hits = append(hits, h)
			}
		}
	}

	if !f.AboutWriting() && may(db.KindArticle) {
		w, err := s.articles(ctx, tx, onPage(db.KindArticle))
		if err != nil {
			return err
		}
		store.observeWindow("articles", w)
		keep(w, db.KindArticle)
	}
	// Annotations and replies share an index: one window counts both, and
	// holds the page unless the page is one of them, which gets a window
	// of its own (replies are few among the newest matches).
	if may(append([]string{db.KindAnnotation, db.KindReply}, searchquery.EvidenceKinds...)...) {
		w, err := s.annotations(ctx, tx, "", f.Kind == "")
		if err != nil {
			return err
		}
		store.observeWindow("annotations", w)
		if f.Kind == db.KindAnnotation || f.Kind == db.KindReply {
			own, err := s.annotations(ctx, tx, f.Kind, true)
			if err != nil {
				return err
			}
			store.observeWindow("annotations", own)
			keep(w, db.KindAnnotation, db.KindReply)
			hits = slices.DeleteFunc(hits, func(h candidate) bool { return h.kind == f.Kind })
			keep(own, f.Kind)
		} else {
			keep(w, db.KindAnnotation, db.KindReply)
		}
	}
	if f.Tag == "" && len(res.Query.Tags()) == 0 && may(db.KindNote) {
		w, err := s.notes(ctx, tx, onPage(db.KindNote))
		if err != nil {
			return err
		}
		store.observeWindow("notes", w)
		keep(w, db.KindNote)
	}
	for _, k := range db.SearchKinds {
		if onPage(k) {
			res.Total += res.CountsByKind[k]
			res.TotalCapped = res.TotalCapped || res.CappedKinds[k]
		}
	}

	offset := (res.Page - 1) * res.PerPage
	if res.Page > db.MaxSearchPage || offset >= len(hits) {
		return nil
	}
	// Best first; among equals (a query of only tag: or kind:), newest.
	slices.SortFunc(hits, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.kind, b.kind), cmp.Compare(b.id, a.id))
	})
	for _, h := range hits[offset:min(offset+res.PerPage, len(hits))] {
		res.Hits = append(res.Hits, db.SearchHit{Kind: h.kind, ID: h.id, Rank: h.rank})
	}
	return store.loadHits(ctx, tx, res.Query, res.Hits)
}

// observeWindow tells the observer how many matches a window read.
func (store *Index) observeWindow(index string, w []candidate) {
	if obs := store.Observer(); obs != nil {
		obs.SearchWindow(index, len(w))
	}
}

// candidate is a match in a window: enough to count, rank and page it.
type candidate struct {
	kind string
	id   int64
	rank float64
}

func hasPrefix(q searchquery.Query) bool {
	return slices.ContainsFunc(append(q.Terms(), q.Excluded()...), func(t searchquery.Term) bool { return t.Prefix })
}

// indexedWords returns the words the indexes were given that start with
// prefix (search_words, migration 0016), and false when there are more
// than searchquery.MaxExpansion.
func indexedWords(ctx context.Context, tx *sql.Tx, prefix string) ([]string, bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT word FROM search_words WHERE word >= ? AND word < ? LIMIT ?`,
		prefix, prefix+"\U0010FFFF", searchquery.MaxExpansion+1)
	if err != nil {
		return nil, false, fmt.Errorf("db: search: words starting %q: %w", prefix, err)
	}
	words, err := core.ScanColumn[string](rows)
	if err != nil {
		return nil, false, fmt.Errorf("db: search: words starting %q: %w", prefix, err)
	}
	return words, len(words) <= searchquery.MaxExpansion, nil
}

// searchSQL builds and runs the windows of one search. Permissions are
// here, in SQL, so that counts and pages hold only what the viewer may see.
type searchSQL struct {
	v     db.Viewer
	q     searchquery.Query // as parsed: what ranking and snippets weigh
	x     searchquery.Query // its prefixes expanded: what the index matches
	f     db.SearchFilter
	words func(prefix string) ([]string, bool)
	pg    bool // PostgreSQL's index (search_postgres.go)
	ranks *rankCache
	began time.Time // before the search's snapshot (rankCache)
}

// match is the query for FTS5 on an index with columns c, with the
// filters the index holds as keys (written: the index holds what people
// wrote), or "" when nothing can match.
func (s searchSQL) match(c searchquery.Columns, written bool) string {
	if s.x.Empty() {
		return "" // a prefix that starts no word
	}
	return s.x.FTS5(c, s.keys(written)...)
}

// keys are the filters the index holds as keys (written: the index holds
// what people wrote).
func (s searchSQL) keys(written bool) []string {
	var keys []string
	if s.f.Tag != "" {
		keys = append(keys, searchquery.TagKey(s.f.Tag))
	}
	if written {
		if s.f.GroupID != 0 {
			keys = append(keys, searchquery.GroupKey(s.f.GroupID))
		}
		if s.f.AuthorID != 0 {
			keys = append(keys, searchquery.AuthorKey(s.f.AuthorID))
		}
		if s.f.Visibility != "" {
			keys = append(keys, searchquery.VisibilityKey(s.f.Visibility))
		}
	}
	return keys
}

// termMatches are the FTS5 expressions of each of q.Terms() alone, its
// prefix expanded (for bm25's counts of matching rows): "" for a prefix
// that starts no word.
func (s searchSQL) termMatches(c searchquery.Columns) []string {
	var out []string
	for _, t := range s.q.Terms() {
		q := t.Alone()
		if t.Prefix {
			q = q.ExpandPrefixes(s.words)
		}
		out = append(out, q.FTS5(c))
	}
	return out
}

// window is how many matches a window reads: one more than the cap, to
// know there are more.
const window = db.SearchCountCap + 1

// articleIn narrows col (an article id) by the filters on articles.
func (s searchSQL) articleIn(col string) (string, []any) {
	var conds []string
	var args []any
	f := s.f
	if f.Article != "" {
		conds = append(conds, "ar.slug = ?")
		args = append(args, f.Article)
	}
	if f.Publication != "" {
		conds = append(conds, "ar.publication = ?")
		args = append(args, f.Publication)
	}
	if f.From != "" {
		conds = append(conds, "ar.published_on >= ?")
		args = append(args, f.From)
	}
	if f.To != "" {
		conds = append(conds, "ar.published_on <> '' AND ar.published_on <= ?")
		args = append(args, f.To)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " AND " + col + " IN (SELECT ar.id FROM articles ar WHERE " + strings.Join(conds, " AND ") + ")", args
}

// writtenBy narrows what people wrote (table alias) by author, group and
// visibility.
func (s searchSQL) writtenBy(alias string) (string, []any) {
	var conds string
	var args []any
	if s.f.AuthorID != 0 {
		conds += " AND " + alias + ".author_id = ?"
		args = append(args, s.f.AuthorID)
	}
	if s.f.GroupID != 0 {
		conds += " AND " + alias + ".group_id = ?"
		args = append(args, s.f.GroupID)
	}
	if s.f.Visibility != "" {
		conds += " AND " + alias + ".visibility = ?"
		args = append(args, s.f.Visibility)
	}
	return conds, args
}

// plus is SQLite's unary + that keeps a list of articles from driving a
// window, unless it is one article: as a constraint on an FTS5 scan it
// would run one rowid-constrained MATCH each, and on a narrow index
// (INDEXED BY) one seek per listed article for every match.
func (s searchSQL) plus() string {
	if s.f.Article != "" {
		return ""
	}
	return "+"
}

// articles is the window of article text, ranked by FTS5's bm25 when
// ranked (its cost grows with the matches, but articles are few), with
// each stemmed word also matched as written so that exact forms rank
// higher.
func (s searchSQL) articles(ctx context.Context, tx *sql.Tx, ranked bool) ([]candidate, error) {
	if s.pg {
		return s.pgArticles(ctx, tx, ranked)
	}
	c := searchArticleCols
	c.Boost = ranked
	match := s.match(c, false)
	if match == "" {
		return nil, nil
	}
	cond, cargs := s.articleIn(s.plus() + "search_articles.rowid")
	// Without filters on articles (whose columns no change to the index
	// follows), the window depends on the match and the index alone. The
	// index's structure record (its list of segments) changes with every
	// change to an article's entry (a delete and an insert, which adds a
	// segment), whichever process made it: part of the key, it keeps a
	// window from outliving a change, even one this process was not told
	// of (web seed run beside a running server).
	var key string
	if cond == "" {
		var structure []byte
		if err := tx.QueryRowContext(ctx, `SELECT block FROM search_articles_data WHERE id = 10`).Scan(&structure); err != nil && err != sql.ErrNoRows {
			return nil, fmt.Errorf("db: search articles: %w", err)
		}
		h := fnv.New64a()
		h.Write(structure)
		key = fmt.Sprintf("%t %x %s", ranked, h.Sum64(), match)
		if w, ok := s.ranks.articleWindow(key); ok {
			return w, nil
		}
	}
	rank := "0.0"
	if ranked {
		// title, body, meta, their stems, keys.
		rank = "bm25(search_articles, 5.0, 1.0, 1.0, 5.0, 1.0, 1.0, 0.0)"
	}
	q := `SELECT search_articles.rowid, ` + rank + ` FROM search_articles WHERE search_articles MATCH ?`
	args := []any{match}
	q += cond
	args = append(args, cargs...)
	q += " ORDER BY search_articles.rowid DESC LIMIT ?"
	args = append(args, window)
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("db: search articles %q: %w", match, err)
	}
	out := make([]candidate, 0, window)
	err = core.EachRow(rows, func(r *sql.Rows) error {
		h := candidate{kind: db.KindArticle}
		if err := r.Scan(&h.id, &h.rank); err != nil {
			return fmt.Errorf("db: search articles: %w", err)
		}
		out = append(out, h)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if cond == "" {
		s.ranks.keepArticleWindow(key, out)
	}
	return out, nil
}

// notes is the window of notes, ranked when ranked.
func (s searchSQL) notes(ctx context.Context, tx *sql.Tx, ranked bool) ([]candidate, error) {
	if s.pg {
		return s.pgNotes(ctx, tx, ranked)
	}
	match := s.match(searchNoteCols, true)
	if match == "" {
		return nil, nil
	}
	vis, args := core.VisibleSQL(s.v, "n")
	// The match drives, newest first; the narrow index answers the checks.
	from, order := `search_notes CROSS JOIN notes n INDEXED BY notes_search_idx ON n.id = search_notes.rowid`, "search_notes.rowid DESC"
	if s.f.Article != "" {
		from, order = `notes n CROSS JOIN search_notes ON search_notes.rowid = n.id`, "n.id DESC"
	}
	q := `SELECT n.id, 0 FROM ` + from + ` WHERE ` + vis + ` AND search_notes MATCH ?`
	args = append(args, match)
	cond, cargs := s.articleIn(s.plus() + "n.article_id")
	q += cond
	args = append(args, cargs...)
	cond, cargs = s.writtenBy("n")
	q += cond
	args = append(args, cargs...)
	q += " ORDER BY " + order + " LIMIT ?"
	args = append(args, window)
	var sc *bm25
	if ranked {
		var err error
		if sc, err = newBM25(ctx, tx, "search_notes", "notes", s.q, s.termMatches(searchNoteCols), []float64{1.0}); err != nil {
			return nil, err
		}
	}
	return s.window(ctx, tx, "notes", match, q, args, db.KindNote, sc)
}

// window runs a window's query, whose rows are an id and whether it is a
// reply, as hits of kind (or replies), ranked by sc (nil: not ranked).
// what names the table.
func (s searchSQL) window(ctx context.Context, tx *sql.Tx, what, match, q string, args []any, kind string, sc *bm25) ([]candidate, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("db: search %s %q: %w", what, match, err)
	}
	var reply bool
	var h candidate
	out := make([]candidate, 0, window)
	err = core.EachRow(rows, func(r *sql.Rows) error {
		if err := r.Scan(&h.id, &reply); err != nil {
			return err
		}
		h.kind = kind
		if reply {
			h.kind = db.KindReply
		}
		out = append(out, h)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("db: search %s %q: %w", what, match, err)
	}
	if sc != nil {
		if err := s.rank(ctx, tx, what, out, sc); err != nil {
			return nil, fmt.Errorf("db: search %s %q: %w", what, match, err)
		}
	}
	return out, nil
}

// rankTexts reads the ranked columns of a table's rows, by id (a JSON
// array): the columns bm25 weighs, in its weights' order.
var rankTexts = map[string]string{
	"annotations": `SELECT id, body, COALESCE(exact, '') FROM annotations WHERE id IN (SELECT value FROM json_each(?))`,
	"notes":       `SELECT id, body FROM notes WHERE id IN (SELECT value FROM json_each(?))`,
}

// rank scores a window's hits from table what by sc: from the counts kept
// for the rows this query has met before (rankCache), reading and
// counting the others' text, after the window's query: the visibility
// checks answered from the narrow index first, so only the rows that pass
// are read.
func (s searchSQL) rank(ctx context.Context, tx *sql.Tx, what string, w []candidate, sc *bm25) error {
	key := sc.count.Key()
	at := map[int64]int{} // the hits to read, by id
	var ids []int64
	for i := range w {
		if freq, words, ok := s.ranks.get(rankRow{what, w[i].id}, key); ok {
			w[i].rank = sc.score(freq, words)
			continue
		}
		at[w[i].id] = i
		ids = append(ids, w[i].id)
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := tx.QueryContext(ctx, rankTexts[what], jsonIDs(ids))
	if err != nil {
		return err
	}
	var id int64
	texts := make([]string, len(sc.weights))
	dest := []any{&id}
	for i := range texts {
		dest = append(dest, &texts[i])
	}
	return core.EachRow(rows, func(r *sql.Rows) error {
		if err := r.Scan(dest...); err != nil {
			return err
		}
		freq, words := sc.counts(texts)
		w[at[id]].rank = sc.score(freq, words)
		s.ranks.put(s.began, rankRow{what, id}, key, freq, words)
		return nil
	})
}

// annotations is the window of annotations and replies (kind "": both),
// ranked when ranked.
func (s searchSQL) annotations(ctx context.Context, tx *sql.Tx, kind string, ranked bool) ([]candidate, error) {
	if s.pg {
		return s.pgAnnotations(ctx, tx, kind, ranked)
	}
	match := s.match(searchAnnotationCols, true)
	if match == "" {
		return nil, nil
	}
	// The full-text match drives (CROSS JOIN), newest first, and filters
	// check each match, from the narrow index, until the window is full: a
	// filter driving would run one MATCH per candidate row, which is faster
	// only for one article's few annotations. Tags, group and author are
	// keys in the index (a reply holds its thread's tags): part of the
	// MATCH, which skips to the rows that have them.
	from, order := `search_annotations CROSS JOIN annotations a INDEXED BY annotations_search_idx ON a.id = search_annotations.rowid`, "search_annotations.rowid DESC"
	if s.f.Article != "" {
		from, order = `annotations a CROSS JOIN search_annotations ON search_annotations.rowid = a.id`, "a.id DESC"
	}
	// The thread rule (policy.go) checks each match's ancestors from the
	// narrow index: a reply under an annotation hidden from the viewer, or
	// Narrower than its thread, drops out as it does in the reader.
	// Collecting every hidden thread first would cost a seek per hidden
	// annotation however few of them a window meets.
	vis, vargs := core.VisibleWhere(s.v, "a")
	q := `
		SELECT a.id, a.parent_id IS NOT NULL
		FROM ` + from + `
		WHERE search_annotations MATCH ? AND ` + vis
	args := []any{match}
	args = append(args, vargs...)
	switch kind {
	case db.KindAnnotation:
		q += " AND a.parent_id IS NULL"
	case db.KindReply:
		q += " AND a.parent_id IS NOT NULL"
	}
	cond, cargs := s.articleIn(s.plus() + "a.article_id")
	q += cond
	args = append(args, cargs...)
	cond, cargs = s.writtenBy("a")
	q += cond
	args = append(args, cargs...)
	q += " ORDER BY " + order + " LIMIT ?"
	args = append(args, window)
	var sc *bm25
	if ranked {
		var err error
		if sc, err = newBM25(ctx, tx, "search_annotations", "annotations", s.q, s.termMatches(searchAnnotationCols), []float64{1.0, 0.75}); err != nil {
			return nil, err
		}
	}
	return s.window(ctx, tx, "annotations", match, q, args, db.KindAnnotation, sc)
}

// termSample bounds how many matches of a term bm25 counts; beyond it, the
// count is estimated from how far back in the index the sample reached.
const termSample = 1000

// bm25 ranks what people wrote. FTS5's bm25() would first read every
// match of every term in the whole index (to weigh rare terms above common
// ones): most of the index for a common word. So a window is ranked here,
// from its rows' text, by the same formula (k1 1.2, b 0.75, the negated
// score: lower is better), with the same rows and average length (the
// index's averages record) and each term's matching rows counted up to
// termSample, estimated beyond.
type bm25 struct {
	count   *searchquery.Counter
	idf     []float64 // per q.Terms()
	weights []float64 // per column
	avgdl   float64
}

// termMatches are each of q.Terms() alone for FTS5; weights are the
// ranked columns', which come first in the index.
func newBM25(ctx context.Context, tx *sql.Tx, table, content string, q searchquery.Query, termMatches []string, weights []float64) (*bm25, error) {
	sc := &bm25{count: q.Counter(), weights: weights, avgdl: 1}
	// FTS5's averages record: varints, the rows then each column's tokens.
	// Table names are our constants, not input.
	var block []byte
	if err := tx.QueryRowContext(ctx, `SELECT block FROM `+table+`_data WHERE id = 1`).Scan(&block); err != nil && err != sql.ErrNoRows {
		return sc, fmt.Errorf("db: search %s: averages: %w", table, err)
	}
	rows, n := sqliteVarint(block)
	var tokens uint64
	for col := 0; len(block[n:]) > 0 && col < len(weights); col++ {
		block = block[n:]
		var t uint64
		t, n = sqliteVarint(block)
		tokens += t
	}
	if rows > 0 && tokens > 0 {
		sc.avgdl = float64(tokens) / float64(rows)
	}
	var first, last int64 // the content's rowids, for estimates
	for i, t := range q.Terms() {
		var hits, oldest int64
		if termMatches[i] != "" {
			err := tx.QueryRowContext(ctx, `SELECT count(*), COALESCE(min(rowid), 0) FROM (
			SELECT rowid FROM `+table+` WHERE `+table+` MATCH ? ORDER BY rowid DESC LIMIT ?)`, termMatches[i], termSample).Scan(&hits, &oldest)
			if err != nil {
				return sc, fmt.Errorf("db: search %s: term %q: %w", table, t.Text, err)
			}
		}
		if hits >= termSample {
			if last == 0 {
				// Two subqueries: min and max together would read the table.
				if err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT min(rowid) FROM `+content+`), 0), COALESCE((SELECT max(rowid) FROM `+content+`), 0)`).Scan(&first, &last); err != nil {
					return sc, fmt.Errorf("db: search %s: %w", table, err)
				}
			}
			// The sample covers rowids oldest..last of first..last.
			if span := last - oldest + 1; span > 0 {
				hits = int64(float64(hits) * float64(last-first+1) / float64(span))
			}
		}
		hits = min(hits, int64(rows))
		idf := math.Log((float64(rows) - float64(hits) + 0.5) / (float64(hits) + 0.5))
		if idf <= 0 {
			idf = 1e-6
		}
		sc.idf = append(sc.idf, idf)
	}
	return sc, nil
}

// counts returns what a row holds of the query's terms, given its
// columns' text: each term's count weighted by its column's weight, and
// how many words the row has.
func (sc *bm25) counts(columns []string) (freq []float64, words int) {
	freq = make([]float64, len(sc.idf))
	counts := make([]int, len(sc.idf))
	for c, text := range columns {
		clear(counts)
		words += sc.count.Count(text, counts)
		for i, n := range counts {
			freq[i] += sc.weights[c] * float64(n)
		}
	}
	return freq, words
}

// score scores a row from its counts.
func (sc *bm25) score(freq []float64, words int) float64 {
	const k1, b = 1.2, 0.75
	score := 0.0
	for i, idf := range sc.idf {
		score += idf * freq[i] * (k1 + 1) / (freq[i] + k1*(1-b+b*float64(words)/sc.avgdl))
	}
	return -score
}

// sqliteVarint decodes one of SQLite's big-endian varints (FTS5 uses them
// in its records) and returns it with its length.
func sqliteVarint(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < len(b); i++ {
		if i == 8 {
			return v<<8 | uint64(b[i]), 9
		}
		v = v<<7 | uint64(b[i]&0x7f)
		if b[i] < 0x80 {
			return v, i + 1
		}
	}
	return v, len(b)
}

// loadHits fills in the page's hits, with snippets, in the transaction
// that found them. Snippets are cut and marked here (searchquery's
// Fragment) rather than by FTS5's snippet(), which needs a MATCH per hit:
// for a prefix query, each MATCH merges every matching word's list again.
func (store *Index) loadHits(ctx context.Context, tx *sql.Tx, q searchquery.Query, hits []db.SearchHit) error {
	if len(hits) == 0 {
		return nil
	}
	byKind := map[string][]*db.SearchHit{}
	for i := range hits {
		h := &hits[i]
		k := h.Kind
		if k == db.KindReply {
			k = db.KindAnnotation
		}
		byKind[k] = append(byKind[k], h)
	}
	if list := byKind[db.KindArticle]; len(list) > 0 {
		if err := loadArticleHits(ctx, tx, q, list); err != nil {
			return err
		}
	}
	if list := byKind[db.KindAnnotation]; len(list) > 0 {
		if err := loadAnnotationHits(ctx, tx, q, list); err != nil {
			return err
		}
	}
	if list := byKind[db.KindNote]; len(list) > 0 {
		if err := loadNoteHits(ctx, tx, q, list); err != nil {
			return err
		}
	}
	return nil
}

// idList returns "?, ?, ?" and the ids of hits, and an index by id.
func idList(hits []*db.SearchHit) (string, []any, map[int64]*db.SearchHit) {
	args := make([]any, len(hits))
	byID := make(map[int64]*db.SearchHit, len(hits))
	for i, h := range hits {
		args[i], byID[h.ID] = h.ID, h
	}
	return core.Placeholders(len(hits)), args, byID
}

func loadArticleHits(ctx context.Context, tx *sql.Tx, q searchquery.Query, hits []*db.SearchHit) error {
	in, ids, byID := idList(hits)
	rows, err := tx.QueryContext(ctx, `
		SELECT ar.id, ar.slug, ar.title, ar.publication, ar.published_on,
		       COALESCE((SELECT group_concat(name, ', ') FROM (SELECT name FROM article_authors WHERE article_id = ar.id ORDER BY position) AS names), ''),
		       d.body
		FROM search_article_docs d JOIN articles ar ON ar.id = d.id
		WHERE d.id IN (`+in+`)`, ids...)
	if err != nil {
		return fmt.Errorf("db: search articles: %w", err)
	}
	return core.EachRow(rows, func(r *sql.Rows) error {
		var id int64
		var body string
		var h db.SearchHit
		if err := r.Scan(&id, &h.ArticleSlug, &h.ArticleTitle, &h.Publication, &h.PublishedOn, &h.AuthorName, &body); err != nil {
			return fmt.Errorf("db: search articles: %w", err)
		}
		hit := byID[id]
		if hit == nil {
			return nil
		}
		h.Kind, h.Rank, h.ArticleID = hit.Kind, hit.Rank, id
		h.Snippet = snippet(q, body)
		// The first match in the text is where the reader should land.
		h.Start, h.End = -1, -1
		if m := q.Find(body, 1); len(m) > 0 {
			h.Start, h.End = m[0].Start, m[0].End
		}
		*hit = h
		return nil
	})
}

func loadAnnotationHits(ctx context.Context, tx *sql.Tx, q searchquery.Query, hits []*db.SearchHit) error {
	in, ids, byID := idList(hits)
	rows, err := tx.QueryContext(ctx, `
		SELECT a.id, COALESCE(a.parent_id, 0), a.article_id, ar.slug, ar.title, ar.publication, ar.published_on,
		       u.name, a.visibility, COALESCE(g.name, ''), a.hidden_at IS NOT NULL, a.created_at,
		       COALESCE(a.exact, p.exact, ''), COALESCE(a.anchor_status, p.anchor_status, ''),
		       COALESCE(a.anchor_start, p.anchor_start, -1), COALESCE(a.anchor_end, p.anchor_end, -1),
		       a.body, COALESCE(a.exact, '')
		FROM annotations a
		JOIN users u ON u.id = a.author_id
		JOIN articles ar ON ar.id = a.article_id
		LEFT JOIN groups g ON g.id = a.group_id
		LEFT JOIN annotations p ON p.id = a.parent_id
		WHERE a.id IN (`+in+`)`, ids...)
	if err != nil {
		return fmt.Errorf("db: search annotations: %w", err)
	}
	return core.EachRow(rows, func(r *sql.Rows) error {
		var h db.SearchHit
		var created, quote, status, body, exact string
		if err := r.Scan(&h.ID, &h.ParentID, &h.ArticleID, &h.ArticleSlug, &h.ArticleTitle, &h.Publication, &h.PublishedOn,
			&h.AuthorName, &h.Visibility, &h.GroupName, &h.Hidden, &created,
			&quote, &status, &h.Start, &h.End, &body, &exact); err != nil {
			return fmt.Errorf("db: search annotations: %w", err)
		}
		hit := byID[h.ID]
		if hit == nil {
			return nil
		}
		h.Kind, h.Rank = hit.Kind, hit.Rank
		h.CreatedAt = core.ParseTime(created)
		h.Quote = clipRunes(strings.Join(strings.Fields(quote), " "), db.MaxQuoteRunes)
		if status == "orphaned" || status == "" {
			h.Start, h.End = -1, -1
		}
		// What people wrote is Markdown: the snippet shows it as read.
		h.Snippet = snippet(q, markdown.Text(body), exact)
		*hit = h
		return nil
	})
}

func loadNoteHits(ctx context.Context, tx *sql.Tx, q searchquery.Query, hits []*db.SearchHit) error {
	in, ids, byID := idList(hits)
	rows, err := tx.QueryContext(ctx, `
		SELECT n.id, n.article_id, ar.slug, ar.title, ar.publication, ar.published_on,
		       u.name, n.visibility, COALESCE(g.name, ''), n.created_at, n.body
		FROM notes n
		JOIN users u ON u.id = n.author_id
		JOIN articles ar ON ar.id = n.article_id
		LEFT JOIN groups g ON g.id = n.group_id
		WHERE n.id IN (`+in+`)`, ids...)
	if err != nil {
		return fmt.Errorf("db: search notes: %w", err)
	}
	return core.EachRow(rows, func(r *sql.Rows) error {
		var h db.SearchHit
		var created, body string
		if err := r.Scan(&h.ID, &h.ArticleID, &h.ArticleSlug, &h.ArticleTitle, &h.Publication, &h.PublishedOn,
			&h.AuthorName, &h.Visibility, &h.GroupName, &created, &body); err != nil {
			return fmt.Errorf("db: search notes: %w", err)
		}
		hit := byID[h.ID]
		if hit == nil {
			return nil
		}
		h.Kind, h.Rank = hit.Kind, hit.Rank
		h.CreatedAt = core.ParseTime(created)
		h.Start, h.End = -1, -1
		h.Snippet = snippet(q, markdown.Text(body))
		*hit = h
		return nil
	})
}

// snippet is what a result shows of its text: about snippetTokens words
// around the matches, the matches marked, from the column with the most
// matches (the first of equals that has text), with "…" where it is cut.
func snippet(q searchquery.Query, columns ...string) []db.SnippetPart {
	text, start, end, matches := "", 0, 0, []searchquery.Span(nil)
	for i, col := range columns {
		s, e, m := q.Fragment(col, db.SnippetTokens)
		if i == 0 || len(m) > len(matches) || text == "" && col != "" && len(m) == len(matches) {
			text, start, end, matches = col, s, e, m
		}
	}
	runes := []rune(text)
	var parts []db.SnippetPart
	add := func(text string, match bool) {
		text = foldSpace(strings.Map(dropMarker, text))
		if text == "" {
			return
		}
		if n := len(parts); n > 0 && parts[n-1].Match == match {
			parts[n-1].Text += text
			return
		}
		parts = append(parts, db.SnippetPart{Text: text, Match: match})
	}
	if start > 0 {
		add("…", false)
	}
	at := start
	for _, m := range matches {
		if m.Start < at { // overlapping matches: one mark
			m.Start = at
		}
		if m.End <= m.Start {
			continue
		}
		add(string(runes[at:m.Start]), false)
		add(string(runes[m.Start:m.End]), true)
		at = m.End
	}
	add(string(runes[at:end]), false)
	if end < len(runes) {
		add("…", false)
	}
	if n := len(parts); n > 0 {
		parts[0].Text = strings.TrimLeft(parts[0].Text, " ")
		parts[n-1].Text = strings.TrimRight(parts[n-1].Text, " ")
	}
	return parts
}

// dropMarker drops private-use characters that FTS5 markers once used:
// they mean nothing in stored text, and the page should not show them.
func dropMarker(r rune) rune {
	if r >= '\uE000' && r <= '\uE003' {
		return -1
	}
	return r
}

func foldSpace(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) && r != ' ' }) && !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

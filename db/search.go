package db

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gloss/db/searchquery"
)

// Search covers article text, annotations (comment and quote), replies and
// notes. It runs on SQLite FTS5 (migrations/0004_search.sql, kept in sync
// by triggers); the rest of Gloss sees only Searcher, so another engine can
// replace it. Permissions are applied in SQL, before counting and paging:
// what a viewer may not see is neither counted nor shown.

// Kinds of search result, in the order the page groups them.
const (
	KindArticle    = "article"
	KindAnnotation = "annotation"
	KindReply      = "reply"
	KindNote       = "note"
)

// SearchKinds lists every kind of result.
var SearchKinds = []string{KindArticle, KindAnnotation, KindReply, KindNote}

// Paging limits.
const (
	DefaultPerPage = 20
	MaxPerPage     = 100
	MaxSearchPage  = 500 // deeper pages are empty: refine the search instead

	snippetTokens = 24
	maxQuoteRunes = 160
)

// Searcher is full-text search as the rest of Gloss uses it.
type Searcher interface {
	// Search finds what matches q (searchquery syntax) and f that v may see.
	// Pages count from 1 (less means 1); perPage 0 means DefaultPerPage and
	// is at most MaxPerPage. Any q is accepted; only a bad filter is an
	// error (EINVALID).
	Search(ctx context.Context, v Viewer, q string, f SearchFilter, page, perPage int) (SearchResults, error)
	// Reindex rebuilds the index from the tables and returns how many
	// items it holds.
	Reindex(ctx context.Context) (int, error)
}

var _ Searcher = (*DB)(nil)

// SearchFilter narrows a search. Zero values do not filter.
type SearchFilter struct {
	Article     string // article slug
	Publication string // exact publication name
	From, To    string // YYYY-MM-DD, inclusive, on the article's publication date
	// Tag keeps articles with the tag, annotations with it and the replies
	// in their threads. Notes carry no tags, so a tag leaves none.
	Tag string
	// AuthorID, GroupID and Visibility are about what people wrote: they
	// leave no articles.
	AuthorID   int64
	GroupID    int64
	Visibility string // private, group or public
	Kind       string // article, annotation, reply or note
}

// SnippetPart is a piece of a snippet: plain text, or text matching the
// query. Never HTML: the view escapes it like any text.
type SnippetPart struct {
	Text  string
	Match bool
}

// SearchHit is one result.
type SearchHit struct {
	Kind         string
	ID           int64 // the annotation's, reply's or note's id; 0 for an article
	ParentID     int64 // for a reply: the annotation it answers
	ArticleID    int64
	ArticleSlug  string
	ArticleTitle string
	Publication  string
	PublishedOn  string
	AuthorName   string     // who wrote it; for an article, its byline
	Visibility   Visibility // "" for an article
	GroupName    string
	Hidden       bool   // hidden by moderation (seen only by its author and the group's owners)
	Quote        string // annotations and replies: the passage of the thread, clipped
	Snippet      []SnippetPart
	// Start and End are where to land in the article's current text, in
	// code points: an annotation's anchor (a reply's: its parent's), an
	// article's first match. -1 when unknown (notes, orphaned annotations).
	Start, End int
	CreatedAt  time.Time // zero for an article
	Rank       float64   // bm25: lower is better
}

// SearchResults is one page of results.
type SearchResults struct {
	Query searchquery.Query // as understood: its Terms are what to highlight
	Hits  []SearchHit
	Total int // everything matching the query and every filter, on all pages
	// CountsByKind counts matches per kind under every filter but Kind,
	// for tabs: it always has all four kinds.
	CountsByKind map[string]int
	Page         int
	PerPage      int
}

// Pages is the number of pages.
func (r SearchResults) Pages() int {
	if r.PerPage <= 0 {
		return 0
	}
	return (r.Total + r.PerPage - 1) / r.PerPage
}

// normalize validates a filter and returns it cleaned.
func (f SearchFilter) normalize() (SearchFilter, error) {
	clean := func(s string) string { return strings.TrimSpace(strings.ToValidUTF8(s, "")) }
	f.Article, f.Publication = clean(f.Article), clean(f.Publication)
	f.Tag = strings.ToLower(strings.Join(strings.Fields(clean(f.Tag)), " "))
	f.From, f.To, f.Visibility, f.Kind = clean(f.From), clean(f.To), clean(f.Visibility), clean(f.Kind)
	for _, d := range []string{f.From, f.To} {
		if d == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return f, Errorf(EINVALID, "The date %q is not a date like 2005-04-10.", clipRunes(d, 40))
		}
	}
	if f.From != "" && f.To != "" && f.From > f.To {
		return f, Errorf(EINVALID, "The start date %s is after the end date %s.", f.From, f.To)
	}
	if f.Visibility != "" {
		if _, err := ParseVisibility(f.Visibility); err != nil {
			return f, Errorf(EINVALID, "%q is not a visibility: choose private, group or public.", clipRunes(f.Visibility, 40))
		}
	}
	if f.Kind != "" && !slices.Contains(SearchKinds, f.Kind) {
		return f, Errorf(EINVALID, "%q is not a kind of result: choose article, annotation, reply or note.", clipRunes(f.Kind, 40))
	}
	if f.AuthorID < 0 || f.GroupID < 0 {
		return f, Errorf(EINVALID, "There is no such author or group.")
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
func (db *DB) Search(ctx context.Context, v Viewer, q string, f SearchFilter, page, perPage int) (SearchResults, error) {
	f, err := f.normalize()
	if err != nil {
		return SearchResults{}, err
	}
	if perPage <= 0 {
		perPage = DefaultPerPage
	}
	perPage = min(perPage, MaxPerPage)
	page = max(page, 1)
	res := SearchResults{Query: searchquery.Parse(q), Page: page, PerPage: perPage, CountsByKind: map[string]int{}}
	for _, k := range SearchKinds {
		res.CountsByKind[k] = 0
	}
	if res.Query.Empty() {
		return res, nil
	}
	match := res.Query.FTS5()

	// One read transaction: counts and page come from the same snapshot.
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("db: search: %w", err)
	}
	defer tx.Rollback()

	query, args := searchSQL(v, match, f)
	limit, offset := perPage, (page-1)*perPage
	if page > MaxSearchPage {
		limit, offset = 0, 0 // counts only
	}
	kindCond := "1"
	if f.Kind != "" {
		kindCond = "kind = ?"
		args = append(args, f.Kind)
	}
	args = append(args, limit, offset)
	rows, err := tx.QueryContext(ctx, query+`
		SELECT kind, id, rank, 0 FROM (
		    SELECT kind, id, rank FROM hits WHERE `+kindCond+` ORDER BY rank, kind, id LIMIT ? OFFSET ?)
		UNION ALL
		SELECT kind, COUNT(*), 0, 1 FROM hits GROUP BY kind`, args...)
	if err != nil {
		return res, fmt.Errorf("db: search %q: %w", match, err)
	}
	defer rows.Close()
	for rows.Next() {
		var h SearchHit
		var isCount bool
		if err := rows.Scan(&h.Kind, &h.ID, &h.Rank, &isCount); err != nil {
			return res, fmt.Errorf("db: search: %w", err)
		}
		if isCount {
			res.CountsByKind[h.Kind] = int(h.ID)
			continue
		}
		res.Hits = append(res.Hits, h)
	}
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("db: search %q: %w", match, err)
	}
	rows.Close()
	for k, n := range res.CountsByKind {
		if f.Kind == "" || f.Kind == k {
			res.Total += n
		}
	}
	// The page's order, as in SQL (a compound SELECT does not promise it).
	slices.SortFunc(res.Hits, func(a, b SearchHit) int {
		return cmp.Or(cmp.Compare(a.Rank, b.Rank), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID))
	})
	if err := db.loadHits(ctx, tx, match, res.Hits); err != nil {
		return res, err
	}
	return res, nil
}

// searchSQL builds the common table expressions ending in hits(kind, id,
// rank): every match of every kind that the viewer may see and the filter
// (but for Kind) allows. Permissions are here, in SQL, so that counts and
// pages hold only what the viewer may see.
func searchSQL(v Viewer, match string, f SearchFilter) (string, []any) {
	var ctes, arms []string
	var args []any

	// Replies under an annotation hidden from the viewer drop out with it,
	// as they do in the reader (a hidden annotation hides its thread).
	hid, hargs := v.notHiddenSQL("h")
	ctes = append(ctes, `blocked(id) AS (
		SELECT h.id FROM annotations h WHERE h.hidden_at IS NOT NULL AND NOT `+hid+`
		UNION SELECT r.id FROM annotations r JOIN blocked b ON r.parent_id = b.id)`)
	args = append(args, hargs...)
	if f.Tag != "" {
		ctes = append(ctes, `tagged(id) AS (
			SELECT at.annotation_id FROM annotation_tags at JOIN tags t ON t.id = at.tag_id WHERE t.name = ?
			UNION SELECT r.id FROM annotations r JOIN tagged g ON r.parent_id = g.id)`)
		args = append(args, f.Tag)
	}

	// Filters on the article a hit belongs to.
	var artConds []string
	var artArgs []any
	if f.Article != "" {
		artConds = append(artConds, "ar.slug = ?")
		artArgs = append(artArgs, f.Article)
	}
	if f.Publication != "" {
		artConds = append(artConds, "ar.publication = ?")
		artArgs = append(artArgs, f.Publication)
	}
	if f.From != "" {
		artConds = append(artConds, "ar.published_on >= ?")
		artArgs = append(artArgs, f.From)
	}
	if f.To != "" {
		artConds = append(artConds, "ar.published_on <> '' AND ar.published_on <= ?")
		artArgs = append(artArgs, f.To)
	}
	articleIn := func(col string) (string, []any) {
		if len(artConds) == 0 {
			return "", nil
		}
		return " AND " + col + " IN (SELECT ar.id FROM articles ar WHERE " + strings.Join(artConds, " AND ") + ")", artArgs
	}

	// Filters on who wrote it.
	writtenBy := func(alias string) (string, []any) {
		var conds string
		var cargs []any
		if f.AuthorID != 0 {
			conds += " AND " + alias + ".author_id = ?"
			cargs = append(cargs, f.AuthorID)
		}
		if f.GroupID != 0 {
			conds += " AND " + alias + ".group_id = ?"
			cargs = append(cargs, f.GroupID)
		}
		if f.Visibility != "" {
			conds += " AND " + alias + ".visibility = ?"
			cargs = append(cargs, f.Visibility)
		}
		return conds, cargs
	}
	aboutWriting := f.AuthorID != 0 || f.GroupID != 0 || f.Visibility != ""
	oneArticle := f.Article != ""
	plus := "+"
	if oneArticle {
		plus = ""
	}
	// bm25 is most of a search's cost: skip it where only counts are needed.
	rank := func(bm25 string, kinds ...string) string {
		if f.Kind == "" || slices.Contains(kinds, f.Kind) {
			return bm25
		}
		return "0.0"
	}

	if !aboutWriting {
		arm := `SELECT 'article' AS kind, search_articles.rowid AS id, ` + rank("bm25(search_articles, 5.0, 1.0)", KindArticle) + ` AS rank
			FROM search_articles WHERE search_articles MATCH ?`
		args = append(args, match)
		// The unary + keeps a list of articles from driving the FTS5
		// scan (one rowid-constrained MATCH each), unless it is one article.
		cond, cargs := articleIn(plus + "search_articles.rowid")
		arm += cond
		args = append(args, cargs...)
		if f.Tag != "" {
			arm += " AND " + plus + "search_articles.rowid IN (SELECT at.article_id FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE t.name = ?)"
			args = append(args, f.Tag)
		}
		arms = append(arms, arm)
	}

	// The full-text match drives (CROSS JOIN) and filters check each
	// match: a filter driving would run one MATCH per candidate row,
	// which is faster only for one article's few annotations.
	vis, vargs := v.visibleWhere("a")
	from := `search_annotations CROSS JOIN annotations a ON a.id = search_annotations.rowid`
	if oneArticle {
		from = `annotations a CROSS JOIN search_annotations ON search_annotations.rowid = a.id`
	}
	arm := `SELECT CASE WHEN a.parent_id IS NULL THEN 'annotation' ELSE 'reply' END, a.id, ` + rank("bm25(search_annotations, 1.0, 0.75)", KindAnnotation, KindReply) + `
		FROM ` + from + `
		WHERE search_annotations MATCH ? AND ` + vis + ` AND a.id NOT IN (SELECT id FROM blocked)`
	args = append(args, match)
	args = append(args, vargs...)
	cond, cargs := articleIn("a.article_id")
	arm += cond
	args = append(args, cargs...)
	cond, cargs = writtenBy("a")
	arm += cond
	args = append(args, cargs...)
	if f.Tag != "" {
		arm += " AND a.id IN (SELECT id FROM tagged)"
	}
	arms = append(arms, arm)

	if f.Tag == "" {
		nvis, nargs := v.visibleSQL("n")
		from := `search_notes CROSS JOIN notes n ON n.id = search_notes.rowid`
		if oneArticle {
			from = `notes n CROSS JOIN search_notes ON search_notes.rowid = n.id`
		}
		arm := `SELECT 'note', n.id, ` + rank("bm25(search_notes)", KindNote) + `
			FROM ` + from + `
			WHERE search_notes MATCH ? AND ` + nvis
		args = append(args, match)
		args = append(args, nargs...)
		cond, cargs := articleIn("n.article_id")
		arm += cond
		args = append(args, cargs...)
		cond, cargs = writtenBy("n")
		arm += cond
		args = append(args, cargs...)
		arms = append(arms, arm)
	}

	ctes = append(ctes, "hits(kind, id, rank) AS MATERIALIZED (\n"+strings.Join(arms, "\nUNION ALL\n")+")")
	return "WITH RECURSIVE " + strings.Join(ctes, ",\n"), args
}

// loadHits fills in the page's hits, with snippets, in the transaction
// that found them.
func (db *DB) loadHits(ctx context.Context, tx *sql.Tx, match string, hits []SearchHit) error {
	if len(hits) == 0 {
		return nil
	}
	mk := newMarkers()
	byKind := map[string][]*SearchHit{}
	for i := range hits {
		h := &hits[i]
		k := h.Kind
		if k == KindReply {
			k = KindAnnotation
		}
		byKind[k] = append(byKind[k], h)
	}
	if list := byKind[KindArticle]; len(list) > 0 {
		if err := loadArticleHits(ctx, tx, match, mk, list); err != nil {
			return err
		}
	}
	if list := byKind[KindAnnotation]; len(list) > 0 {
		if err := loadAnnotationHits(ctx, tx, match, mk, list); err != nil {
			return err
		}
	}
	if list := byKind[KindNote]; len(list) > 0 {
		if err := loadNoteHits(ctx, tx, match, mk, list); err != nil {
			return err
		}
	}
	return nil
}

// idList returns "?, ?, ?" and the ids of hits, and an index by id.
func idList(hits []*SearchHit) (string, []any, map[int64]*SearchHit) {
	marks := make([]string, len(hits))
	args := make([]any, len(hits))
	byID := make(map[int64]*SearchHit, len(hits))
	for i, h := range hits {
		marks[i], args[i], byID[h.ID] = "?", h.ID, h
	}
	return strings.Join(marks, ", "), args, byID
}

func loadArticleHits(ctx context.Context, tx *sql.Tx, match string, mk markers, hits []*SearchHit) error {
	in, ids, byID := idList(hits)
	// highlight() marks every match in the whole text: the first is where
	// the reader should land, found by FTS5 itself.
	rows, err := tx.QueryContext(ctx, `
		SELECT ar.id, ar.slug, ar.title, ar.publication, ar.published_on,
		       COALESCE((SELECT group_concat(name, ', ') FROM (SELECT name FROM article_authors WHERE article_id = ar.id ORDER BY position)), ''),
		       snippet(search_articles, 1, ?, ?, '…', ?), highlight(search_articles, 1, ?, ?)
		FROM search_articles JOIN articles ar ON ar.id = search_articles.rowid
		WHERE search_articles MATCH ? AND search_articles.rowid IN (`+in+`)`,
		append([]any{mk.open, mk.close, snippetTokens, mk.open, mk.close, match}, ids...)...)
	if err != nil {
		return fmt.Errorf("db: search articles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var snippet, marked string
		var h SearchHit
		if err := rows.Scan(&id, &h.ArticleSlug, &h.ArticleTitle, &h.Publication, &h.PublishedOn, &h.AuthorName, &snippet, &marked); err != nil {
			return fmt.Errorf("db: search articles: %w", err)
		}
		hit := byID[id]
		if hit == nil {
			continue
		}
		h.Kind, h.Rank, h.ArticleID = hit.Kind, hit.Rank, id
		h.Snippet = mk.split(snippet)
		h.Start, h.End = mk.firstMatch(marked)
		*hit = h
	}
	return rows.Err()
}

func loadAnnotationHits(ctx context.Context, tx *sql.Tx, match string, mk markers, hits []*SearchHit) error {
	in, ids, byID := idList(hits)
	rows, err := tx.QueryContext(ctx, `
		SELECT a.id, COALESCE(a.parent_id, 0), a.article_id, ar.slug, ar.title, ar.publication, ar.published_on,
		       u.name, a.visibility, COALESCE(g.name, ''), a.hidden_at IS NOT NULL, a.created_at,
		       COALESCE(a.exact, p.exact, ''), COALESCE(a.anchor_status, p.anchor_status, ''),
		       COALESCE(a.anchor_start, p.anchor_start, -1), COALESCE(a.anchor_end, p.anchor_end, -1),
		       snippet(search_annotations, -1, ?, ?, '…', ?)
		FROM search_annotations
		JOIN annotations a ON a.id = search_annotations.rowid
		JOIN users u ON u.id = a.author_id
		JOIN articles ar ON ar.id = a.article_id
		LEFT JOIN groups g ON g.id = a.group_id
		LEFT JOIN annotations p ON p.id = a.parent_id
		WHERE search_annotations MATCH ? AND search_annotations.rowid IN (`+in+`)`,
		append([]any{mk.open, mk.close, snippetTokens, match}, ids...)...)
	if err != nil {
		return fmt.Errorf("db: search annotations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h SearchHit
		var created, quote, status, snippet string
		if err := rows.Scan(&h.ID, &h.ParentID, &h.ArticleID, &h.ArticleSlug, &h.ArticleTitle, &h.Publication, &h.PublishedOn,
			&h.AuthorName, &h.Visibility, &h.GroupName, &h.Hidden, &created,
			&quote, &status, &h.Start, &h.End, &snippet); err != nil {
			return fmt.Errorf("db: search annotations: %w", err)
		}
		hit := byID[h.ID]
		if hit == nil {
			continue
		}
		h.Kind, h.Rank = hit.Kind, hit.Rank
		h.CreatedAt = parseTime(created)
		h.Quote = clipRunes(strings.Join(strings.Fields(quote), " "), maxQuoteRunes)
		if status == "orphaned" || status == "" {
			h.Start, h.End = -1, -1
		}
		h.Snippet = mk.split(snippet)
		*hit = h
	}
	return rows.Err()
}

func loadNoteHits(ctx context.Context, tx *sql.Tx, match string, mk markers, hits []*SearchHit) error {
	in, ids, byID := idList(hits)
	rows, err := tx.QueryContext(ctx, `
		SELECT n.id, n.article_id, ar.slug, ar.title, ar.publication, ar.published_on,
		       u.name, n.visibility, COALESCE(g.name, ''), n.created_at,
		       snippet(search_notes, 0, ?, ?, '…', ?)
		FROM search_notes
		JOIN notes n ON n.id = search_notes.rowid
		JOIN users u ON u.id = n.author_id
		JOIN articles ar ON ar.id = n.article_id
		LEFT JOIN groups g ON g.id = n.group_id
		WHERE search_notes MATCH ? AND search_notes.rowid IN (`+in+`)`,
		append([]any{mk.open, mk.close, snippetTokens, match}, ids...)...)
	if err != nil {
		return fmt.Errorf("db: search notes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h SearchHit
		var created, snippet string
		if err := rows.Scan(&h.ID, &h.ArticleID, &h.ArticleSlug, &h.ArticleTitle, &h.Publication, &h.PublishedOn,
			&h.AuthorName, &h.Visibility, &h.GroupName, &created, &snippet); err != nil {
			return fmt.Errorf("db: search notes: %w", err)
		}
		hit := byID[h.ID]
		if hit == nil {
			continue
		}
		h.Kind, h.Rank = hit.Kind, hit.Rank
		h.CreatedAt = parseTime(created)
		h.Start, h.End = -1, -1
		h.Snippet = mk.split(snippet)
		*hit = h
	}
	return rows.Err()
}

// markers are what snippet() and highlight() put around matches: a
// private-use character and a random nonce per search, so no stored text
// can contain them and fake a match.
type markers struct{ open, close string }

func newMarkers() markers {
	var b [8]byte
	rand.Read(b[:])
	nonce := hex.EncodeToString(b[:])
	return markers{open: "\uE000" + nonce + "\uE001", close: "\uE002" + nonce + "\uE003"}
}

// split turns marked text into parts, with white space runs folded to one
// space (snippets are shown inline).
func (m markers) split(s string) []SnippetPart {
	var parts []SnippetPart
	add := func(text string, match bool) {
		text = foldSpace(strings.Map(dropMarker, text))
		if text == "" {
			return
		}
		if n := len(parts); n > 0 && parts[n-1].Match == match {
			parts[n-1].Text += text
			return
		}
		parts = append(parts, SnippetPart{Text: text, Match: match})
	}
	for s != "" {
		i := strings.Index(s, m.open)
		if i < 0 {
			add(s, false)
			break
		}
		add(s[:i], false)
		s = s[i+len(m.open):]
		j := strings.Index(s, m.close)
		if j < 0 {
			add(s, true)
			break
		}
		add(s[:j], true)
		s = s[j+len(m.close):]
	}
	if n := len(parts); n > 0 {
		parts[0].Text = strings.TrimLeft(parts[0].Text, " ")
		parts[n-1].Text = strings.TrimRight(parts[n-1].Text, " ")
	}
	return parts
}

// dropMarker drops the marker characters from stored text: they mean
// nothing there, and the page should not show them.
func dropMarker(r rune) rune {
	if r >= '\uE000' && r <= '\uE003' {
		return -1
	}
	return r
}

// firstMatch returns the code-point span of the first marked match in
// highlighted text, or -1, -1.
func (m markers) firstMatch(s string) (start, end int) {
	i := strings.Index(s, m.open)
	if i < 0 {
		return -1, -1
	}
	start = utf8.RuneCountInString(s[:i])
	rest := s[i+len(m.open):]
	j := strings.Index(rest, m.close)
	if j < 0 {
		return start, start + utf8.RuneCountInString(rest)
	}
	return start, start + utf8.RuneCountInString(rest[:j])
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

// searchTables are the FTS5 indexes, one per kind of text.
var searchTables = []string{"search_articles", "search_annotations", "search_notes"}

// Reindex rebuilds every search index from the tables, in one transaction,
// and merges it for fast queries. It returns the number of items indexed.
func (db *DB) Reindex(ctx context.Context) (int, error) {
	var n int
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, t := range searchTables {
			// Table names are our constants, not input.
			for _, cmd := range []string{"rebuild", "optimize"} {
				if _, err := tx.ExecContext(ctx, `INSERT INTO `+t+` (`+t+`) VALUES (?)`, cmd); err != nil {
					return fmt.Errorf("db: reindex %s: %s: %w", t, cmd, err)
				}
			}
		}
		return tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM search_article_docs)
			+ (SELECT COUNT(*) FROM annotations) + (SELECT COUNT(*) FROM notes)`).Scan(&n)
	})
	return n, err
}

// CheckSearchIndex verifies that every search index matches the tables
// (FTS5 integrity-check): a failure means Reindex is needed.
func (db *DB) CheckSearchIndex(ctx context.Context) error {
	for _, t := range searchTables {
		if _, err := db.write.ExecContext(ctx, `INSERT INTO `+t+` (`+t+`, rank) VALUES ('integrity-check', 1)`); err != nil {
			return fmt.Errorf("db: search index %s: %w", t, err)
		}
	}
	return nil
}

package search

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"gloss/db/searchquery"
	"gloss/db/sqlstore/internal/core"
)

// The search indexes (migration 0016): for each field the words as
// written and their stems (searchquery.IndexText), and the item's keys.
// Go makes all of it; FTS5 splits on spaces. Writes queue the rows to
// remake (search_queue, by triggers) and FlushQueued remakes them just
// before the transaction commits.

var (
	searchArticleCols    = searchquery.Columns{Words: []string{"title", "body", "meta"}, Stems: []string{"title_s", "body_s", "meta_s"}, Keys: "keys"}
	searchAnnotationCols = searchquery.Columns{Words: []string{"body", "quote", "meta"}, Stems: []string{"body_s", "quote_s", "meta_s"}, Keys: "keys"}
	searchNoteCols       = searchquery.Columns{Words: []string{"body"}, Stems: []string{"body_s"}, Keys: "keys"}
)

// searchTables are the FTS5 indexes, one per kind of text.
var searchTables = []string{"search_articles", "search_annotations", "search_notes"}

// Statements of the indexer, prepared once on the writer (and on the
// migration's transaction before the store is open).
var (
	qQueued        = core.WriteStatement(`SELECT tbl, doc FROM search_queue ORDER BY tbl, doc`)
	qEmptyQueue    = core.WriteStatement(`DELETE FROM search_queue`)
	qThreadReplies = core.WriteStatement(`WITH RECURSIVE d(id) AS (SELECT CAST(value AS BIGINT) FROM json_each(?)
		UNION SELECT a.id FROM annotations a JOIN d ON a.parent_id = d.id) SELECT id FROM d`)
	qArticleDocs = core.WriteStatement(`SELECT d.id, d.title, d.body,
		       COALESCE((SELECT group_concat(t.name, '|') FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = d.id), '')
		FROM search_article_docs d WHERE d.id IN (SELECT CAST(value AS BIGINT) FROM json_each(?)) ORDER BY d.id`)
	qAnnotationDocs = core.WriteStatement(`SELECT a.id, a.parent_id IS NOT NULL, a.body, COALESCE(a.exact, ''), a.visibility,
		       COALESCE(a.group_id, 0), a.author_id, COALESCE(ae.kind, ''), COALESCE(ae.counted, ''), COALESCE(ae.unit, ''),
		       COALESCE(e.name, ''), COALESCE((SELECT group_concat(alias, '|') FROM entity_aliases WHERE entity_id = e.id), ''),
		       COALESCE(p.name, ''), COALESCE((SELECT group_concat(alias, '|') FROM entity_aliases WHERE entity_id = p.id), '')
		FROM annotations a
		LEFT JOIN annotation_evidence ae ON ae.annotation_id = a.id
		LEFT JOIN entities e ON e.id = ae.entity_id
		LEFT JOIN entities p ON p.id = ae.place_id
		WHERE a.id IN (SELECT CAST(value AS BIGINT) FROM json_each(?)) ORDER BY a.id`)
	// The tags of each annotation (own: 1) and of those above it in its
	// thread (own: 0).
	qAnnotationTags = core.WriteStatement(`WITH RECURSIVE up(doc, id) AS (SELECT CAST(value AS BIGINT), CAST(value AS BIGINT) FROM json_each(?)
		UNION ALL SELECT up.doc, a.parent_id FROM up JOIN annotations a ON a.id = up.id WHERE a.parent_id IS NOT NULL)
		SELECT up.doc, up.doc = up.id, t.name FROM up CROSS JOIN annotation_tags at ON at.annotation_id = up.id JOIN tags t ON t.id = at.tag_id`)
	qNoteDocs = core.WriteStatement(`SELECT id, body, visibility, COALESCE(group_id, 0), author_id
		FROM notes WHERE id IN (SELECT CAST(value AS BIGINT) FROM json_each(?)) ORDER BY id`)
	qAddWords = core.WriteStatement(`INSERT OR IGNORE INTO search_words (word) SELECT value FROM json_each(?)`)
	// SQLite's FTS5 tables: a column for each field's words, one for its
	// stems, and the keys.
	qDeleteArticle    = core.DialectStatement(core.SQLite, `DELETE FROM search_articles WHERE rowid = ?`)
	qDeleteAnnotation = core.DialectStatement(core.SQLite, `DELETE FROM search_annotations WHERE rowid = ?`)
	qDeleteNote       = core.DialectStatement(core.SQLite, `DELETE FROM search_notes WHERE rowid = ?`)
	qIndexArticle     = core.DialectStatement(core.SQLite, `INSERT INTO search_articles (rowid, title, body, meta, title_s, body_s, meta_s, keys) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	qIndexAnnotation  = core.DialectStatement(core.SQLite, `INSERT INTO search_annotations (rowid, body, quote, meta, body_s, quote_s, meta_s, keys) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	qIndexNote        = core.DialectStatement(core.SQLite, `INSERT INTO search_notes (rowid, body, body_s, keys) VALUES (?, ?, ?, ?)`)
	// PostgreSQL's tables: one tsvector an item (searchquery.Doc).
	qPGDeleteArticle    = core.DialectStatement(core.Postgres, `DELETE FROM search_articles WHERE id = ?`)
	qPGDeleteAnnotation = core.DialectStatement(core.Postgres, `DELETE FROM search_annotations WHERE id = ?`)
	qPGDeleteNote       = core.DialectStatement(core.Postgres, `DELETE FROM search_notes WHERE id = ?`)
	qPGIndexArticle     = core.DialectStatement(core.Postgres, `INSERT INTO search_articles (id, doc) VALUES (?, CAST(? AS tsvector))`)
	qPGIndexAnnotation  = core.DialectStatement(core.Postgres, `INSERT INTO search_annotations (id, doc) VALUES (?, CAST(? AS tsvector))`)
	qPGIndexNote        = core.DialectStatement(core.Postgres, `INSERT INTO search_notes (id, doc) VALUES (?, CAST(? AS tsvector))`)
)

// searchIndex is one index's statements on each engine.
type searchIndex struct {
	remove, put, pgRemove, pgPut core.WriteQuery
}

var (
	articleIndex    = searchIndex{qDeleteArticle, qIndexArticle, qPGDeleteArticle, qPGIndexArticle}
	annotationIndex = searchIndex{qDeleteAnnotation, qIndexAnnotation, qPGDeleteAnnotation, qPGIndexAnnotation}
	noteIndex       = searchIndex{qDeleteNote, qIndexNote, qPGDeleteNote, qPGIndexNote}
)

// indexer remakes index entries inside one transaction.
type indexer struct {
	store    *Index
	tx       *sql.Tx
	prepared map[core.WriteQuery]*sql.Stmt // before the store is open: prepared on tx
	words    map[string]bool               // words to add to search_words
	fresh    bool                          // the indexes were emptied: nothing to remove first
}

func (store *Index) newIndexer(tx *sql.Tx) *indexer {
	return &indexer{store: store, tx: tx, words: map[string]bool{}}
}

func (ix *indexer) stmt(ctx context.Context, q core.WriteQuery) (*sql.Stmt, error) {
	if ix.store.StatementsPrepared() {
		return ix.store.Stmt(ctx, ix.tx, q), nil
	}
	if s := ix.prepared[q]; s != nil {
		return s, nil
	}
	s, err := ix.tx.PrepareContext(ctx, core.WriteSQL(q))
	if err != nil {
		return nil, fmt.Errorf("db: search index: prepare: %w", err)
	}
	if ix.prepared == nil {
		ix.prepared = map[core.WriteQuery]*sql.Stmt{}
	}
	ix.prepared[q] = s
	return s, nil
}

func (ix *indexer) exec(ctx context.Context, q core.WriteQuery, args ...any) error {
	s, err := ix.stmt(ctx, q)
	if err != nil {
		return err
	}
	if _, err := s.ExecContext(ctx, args...); err != nil {
		return fmt.Errorf("db: search index: %w", err)
	}
	return nil
}

func (ix *indexer) query(ctx context.Context, q core.WriteQuery, args ...any) (*sql.Rows, error) {
	s, err := ix.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	rows, err := s.QueryContext(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("db: search index: %w", err)
	}
	return rows, nil
}

func jsonIDs(ids []int64) string {
	b, _ := json.Marshal(ids)
	return string(b)
}

// put writes an item's entry in index: on SQLite, each field's words in
// a column and their stems in another (the fields' order is the
// columns'), then the keys; on PostgreSQL, one tsvector (searchquery.Doc,
// where the fields' weights rank). The words as written go to the words
// table.
func (ix *indexer) put(ctx context.Context, index searchIndex, id int64, fields []searchquery.Field, keys []string) error {
	if ix.store.Dialect() == core.Postgres {
		doc, words := searchquery.Doc(fields, keys)
		for _, w := range words {
			ix.words[w] = true
		}
		return ix.exec(ctx, index.pgPut, id, doc)
	}
	words, stems := []any{id}, []any{}
	for _, f := range fields {
		w, s := searchquery.IndexText(f.Text)
		for _, w := range strings.Fields(w) {
			ix.words[w] = true
		}
		words, stems = append(words, w), append(stems, s)
	}
	return ix.exec(ctx, index.put, append(append(words, stems...), strings.Join(keys, " "))...)
}

// remove forgets ids in an index (unless it was emptied).
func (ix *indexer) remove(ctx context.Context, index searchIndex, ids []int64) error {
	if ix.fresh {
		return nil
	}
	q := index.remove
	if ix.store.Dialect() == core.Postgres {
		q = index.pgRemove
	}
	for _, id := range ids {
		if err := ix.exec(ctx, q, id); err != nil {
			return err
		}
	}
	return nil
}

// articles remakes the entries of articles ids (in ascending order: FTS5
// writes its pending terms out whenever the rowid goes down).
func (ix *indexer) articles(ctx context.Context, ids []int64) error {
	if err := ix.remove(ctx, articleIndex, ids); err != nil {
		return err
	}
	rows, err := ix.query(ctx, qArticleDocs, jsonIDs(ids))
	if err != nil {
		return err
	}
	type doc struct {
		id                int64
		title, body, tags string
	}
	var docs []doc
	for rows.Next() {
		var d doc
		if err := rows.Scan(&d.id, &d.title, &d.body, &d.tags); err != nil {
			rows.Close()
			return fmt.Errorf("db: search index: articles: %w", err)
		}
		docs = append(docs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("db: search index: articles: %w", err)
	}
	for _, d := range docs {
		var keys []string
		keys = append(keys, searchquery.KindKey("article"))
		var tags []string
		if d.tags != "" {
			tags = strings.Split(d.tags, "|")
		}
		for _, t := range tags {
			keys = append(keys, searchquery.TagKey(t))
		}
		fields := []searchquery.Field{{Text: d.title, Weight: 'A'}, {Text: d.body}, {Text: strings.Join(tags, " \n ")}}
		if err := ix.put(ctx, articleIndex, d.id, fields, keys); err != nil {
			return err
		}
	}
	return nil
}

// annotations remakes the entries of annotations and replies ids.
func (ix *indexer) annotations(ctx context.Context, ids []int64) error {
	if err := ix.remove(ctx, annotationIndex, ids); err != nil {
		return err
	}
	list := jsonIDs(ids)
	own, thread := map[int64][]string{}, map[int64][]string{}
	rows, err := ix.query(ctx, qAnnotationTags, list)
	if err != nil {
		return err
	}
	for rows.Next() {
		var doc int64
		var mine bool
		var name string
		if err := rows.Scan(&doc, &mine, &name); err != nil {
			rows.Close()
			return fmt.Errorf("db: search index: tags: %w", err)
		}
		if mine {
			own[doc] = append(own[doc], name)
		}
		if !slices.Contains(thread[doc], name) {
			thread[doc] = append(thread[doc], name)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("db: search index: tags: %w", err)
	}
	rows, err = ix.query(ctx, qAnnotationDocs, list)
	if err != nil {
		return err
	}
	type doc struct {
		id                                 int64
		reply                              bool
		body, quote, vis                   string
		group, author                      int64
		kind, counted, unit                string
		entity, aliases, place, placeNames string
	}
	var docs []doc
	for rows.Next() {
		var d doc
		if err := rows.Scan(&d.id, &d.reply, &d.body, &d.quote, &d.vis, &d.group, &d.author, &d.kind, &d.counted, &d.unit,
			&d.entity, &d.aliases, &d.place, &d.placeNames); err != nil {
			rows.Close()
			return fmt.Errorf("db: search index: annotations: %w", err)
		}
		docs = append(docs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("db: search index: annotations: %w", err)
	}
	for _, d := range docs {
		kind := "annotation"
		if d.reply {
			kind = "reply"
		}
		keys := []string{searchquery.KindKey(kind), searchquery.VisibilityKey(d.vis), searchquery.AuthorKey(d.author)}
		if d.kind != "" {
			keys = append(keys, searchquery.KindKey(d.kind))
		}
		if d.group != 0 {
			keys = append(keys, searchquery.GroupKey(d.group))
		}
		for _, t := range thread[d.id] {
			keys = append(keys, searchquery.TagKey(t))
		}
		// Tag names, entity names and aliases, one after another (a
		// phrase may run from one name into the next: harmless here).
		meta := append(slices.Clone(own[d.id]), d.entity, d.place, d.counted, d.unit)
		meta = append(meta, strings.Split(d.aliases, "|")...)
		meta = append(meta, strings.Split(d.placeNames, "|")...)
		fields := []searchquery.Field{{Text: d.body, Weight: 'A'}, {Text: d.quote, Weight: 'B'}, {Text: strings.Join(meta, " \n ")}}
		if err := ix.put(ctx, annotationIndex, d.id, fields, keys); err != nil {
			return err
		}
	}
	return nil
}

// notes remakes the entries of notes ids.
func (ix *indexer) notes(ctx context.Context, ids []int64) error {
	if err := ix.remove(ctx, noteIndex, ids); err != nil {
		return err
	}
	rows, err := ix.query(ctx, qNoteDocs, jsonIDs(ids))
	if err != nil {
		return err
	}
	type doc struct {
		id            int64
		body, vis     string
		group, author int64
	}
	var docs []doc
	for rows.Next() {
		var d doc
		if err := rows.Scan(&d.id, &d.body, &d.vis, &d.group, &d.author); err != nil {
			rows.Close()
			return fmt.Errorf("db: search index: notes: %w", err)
		}
		docs = append(docs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("db: search index: notes: %w", err)
	}
	for _, d := range docs {
		keys := []string{searchquery.KindKey("note"), searchquery.VisibilityKey(d.vis), searchquery.AuthorKey(d.author)}
		if d.group != 0 {
			keys = append(keys, searchquery.GroupKey(d.group))
		}
		if err := ix.put(ctx, noteIndex, d.id, []searchquery.Field{{Text: d.body, Weight: 'A'}}, keys); err != nil {
			return err
		}
	}
	return nil
}

// finish adds the words seen to search_words.
func (ix *indexer) finish(ctx context.Context) error {
	if len(ix.words) == 0 {
		return nil
	}
	words := make([]string, 0, len(ix.words))
	for w := range ix.words {
		words = append(words, w)
	}
	clear(ix.words)
	b, _ := json.Marshal(words)
	return ix.exec(ctx, qAddWords, string(b))
}

// FlushQueued remakes the index entries of the rows queued in tx, just
// before it commits: a committed write is always searchable, and a write
// rolled back to its savepoint takes its queued rows with it. Every write
// transaction that may touch what is searched must end with it.
func (store *Index) FlushQueued(ctx context.Context, tx *sql.Tx) error {
	ix := store.newIndexer(tx)
	rows, err := ix.query(ctx, qQueued)
	if err != nil {
		return err
	}
	queued := map[string][]int64{}
	for rows.Next() {
		var tbl string
		var doc int64
		if err := rows.Scan(&tbl, &doc); err != nil {
			rows.Close()
			return fmt.Errorf("db: search index: queue: %w", err)
		}
		queued[tbl] = append(queued[tbl], doc)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("db: search index: queue: %w", err)
	}
	if len(queued) == 0 {
		return nil
	}
	if threads := queued["threads"]; len(threads) > 0 {
		rows, err := ix.query(ctx, qThreadReplies, jsonIDs(threads))
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return fmt.Errorf("db: search index: threads: %w", err)
			}
			queued["annotations"] = append(queued["annotations"], id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("db: search index: threads: %w", err)
		}
	}
	for _, step := range []struct {
		tbl string
		fn  func(context.Context, []int64) error
	}{{"articles", ix.articles}, {"annotations", ix.annotations}, {"notes", ix.notes}} {
		ids := queued[step.tbl]
		slices.Sort(ids)
		ids = slices.Compact(ids)
		store.ranks.changed(step.tbl, ids)
		for len(ids) > 0 {
			n := min(len(ids), indexBatch)
			if err := step.fn(ctx, ids[:n]); err != nil {
				return err
			}
			ids = ids[n:]
		}
	}
	if err := ix.finish(ctx); err != nil {
		return err
	}
	return ix.exec(ctx, qEmptyQueue)
}

// indexBatch is how many rows the indexer reads at once.
const indexBatch = 2000

// FlushSearch applies index changes left queued by writes made outside the
// store's methods (tests and tools writing SQL through Writer).
func (store *Index) FlushSearch(ctx context.Context) error {
	defer store.ranks.settle()
	return core.SoloTx(ctx, store.Writer(), store.FlushQueued)
}

// SettleSearch runs after each commit of a transaction FlushQueued ended.
func (store *Index) SettleSearch() { store.ranks.settle() }

// RebuildSearch empties the indexes and indexes every article, annotation
// and note again, in tx, telling progress (when not nil) how far it got,
// then merges each index into one segment for fast queries. It returns how
// many items it indexed.
func (store *Index) RebuildSearch(ctx context.Context, tx *sql.Tx, progress func(index string, done, total int)) (int, error) {
	store.ranks.changedAll()
	ix := store.newIndexer(tx)
	ix.fresh = true
	for _, t := range searchTables {
		// Table names are our constants, not input.
		empty := `INSERT INTO ` + t + ` (` + t + `) VALUES ('delete-all')`
		if store.Dialect() == core.Postgres {
			empty = `DELETE FROM ` + t
		}
		if _, err := tx.ExecContext(ctx, empty); err != nil {
			return 0, fmt.Errorf("db: reindex %s: %w", t, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM search_words`); err != nil {
		return 0, fmt.Errorf("db: reindex: %w", err)
	}
	total := 0
	for _, step := range []struct {
		index, table string
		fn           func(context.Context, []int64) error
	}{{"articles", "articles", ix.articles}, {"annotations", "annotations", ix.annotations}, {"notes", "notes", ix.notes}} {
		var count int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+step.table).Scan(&count); err != nil {
			return 0, fmt.Errorf("db: reindex %s: %w", step.index, err)
		}
		done, told := 0, -1
		var last int64
		for {
			rows, err := tx.QueryContext(ctx, `SELECT id FROM `+step.table+` WHERE id > ? ORDER BY id LIMIT ?`, last, indexBatch)
			if err != nil {
				return 0, fmt.Errorf("db: reindex %s: %w", step.index, err)
			}
			var ids []int64
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return 0, fmt.Errorf("db: reindex %s: %w", step.index, err)
				}
				ids = append(ids, id)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return 0, fmt.Errorf("db: reindex %s: %w", step.index, err)
			}
			if len(ids) == 0 {
				break
			}
			if err := step.fn(ctx, ids); err != nil {
				return 0, err
			}
			last = ids[len(ids)-1]
			done += len(ids)
			// Progress at every tenth.
			if tenth := done * 10 / max(1, count); progress != nil && tenth != told && (tenth > told || done == count) {
				told = tenth
				progress(step.index, done, count)
			}
		}
		if progress != nil && told < 0 {
			progress(step.index, done, count)
		}
		total += done
		if err := ix.finish(ctx); err != nil {
			return 0, err
		}
	}
	for _, t := range searchTables {
		if store.Dialect() == core.Postgres {
			break // GIN merges its pending list itself
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO `+t+` (`+t+`) VALUES ('optimize')`); err != nil {
			return 0, fmt.Errorf("db: reindex %s: optimize: %w", t, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM search_queue`); err != nil {
		return 0, fmt.Errorf("db: reindex: %w", err)
	}
	return total, nil
}

// Reindex rebuilds every search index from the tables, in one transaction,
// and merges it for fast queries. It returns the number of items indexed.
func (store *Index) Reindex(ctx context.Context) (int, error) {
	var n int
	err := store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var err error
		n, err = store.RebuildSearch(ctx, tx, store.Reindexing())
		return err
	})
	return n, err
}

// CheckSearchIndex verifies that every search index is sound (FTS5
// integrity-check) and holds exactly the rows of its table, each with as
// many tokens in each column as the row has now: a failure means Reindex
// is needed.
//
// On PostgreSQL, the entries themselves are compared (the tsvectors).
func (store *Index) CheckSearchIndex(ctx context.Context) error {
	entries := `SELECT id, hex(sz) FROM %s_docsize`
	if store.Dialect() == core.Postgres {
		entries = `SELECT id, CAST(doc AS TEXT) FROM %s`
	} else {
		for _, t := range searchTables {
			if _, err := store.Writer().ExecContext(ctx, `INSERT INTO `+t+` (`+t+`) VALUES ('integrity-check')`); err != nil {
				return fmt.Errorf("db: search index %s: %w", t, err)
			}
		}
	}
	// Index the tables afresh into a scratch transaction and compare each
	// row's column sizes with what the index holds.
	tx, err := store.Writer().BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("db: search index: %w", err)
	}
	defer tx.Rollback()
	sizes := func() (map[string]string, error) {
		out := map[string]string{}
		for _, t := range searchTables {
			rows, err := tx.QueryContext(ctx, fmt.Sprintf(entries, t))
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var id int64
				var sz string
				if err := rows.Scan(&id, &sz); err != nil {
					rows.Close()
					return nil, err
				}
				out[fmt.Sprintf("%s %d", t, id)] = sz
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	held, err := sizes()
	if err != nil {
		return fmt.Errorf("db: search index: %w", err)
	}
	if _, err := store.RebuildSearch(ctx, tx, nil); err != nil {
		return err
	}
	want, err := sizes()
	if err != nil {
		return fmt.Errorf("db: search index: %w", err)
	}
	for k, sz := range want {
		if held[k] != sz {
			return fmt.Errorf("db: search index: %s is %q, its row now makes %q", k, held[k], sz)
		}
	}
	for k := range held {
		if _, ok := want[k]; !ok {
			return fmt.Errorf("db: search index: %s is indexed but no longer exists", k)
		}
	}
	return nil
}

// CheckQuery runs q, as the query parser writes it for FTS5, through a
// real MATCH on each index (storetest.Engine): an error if FTS5 refuses it.
func (store *Index) CheckQuery(ctx context.Context, q string) error {
	parsed := searchquery.Parse(q)
	if store.Dialect() == core.Postgres {
		for _, table := range searchTables {
			for _, boost := range []bool{false, true} {
				expr := parsed.TSQuery(boost, searchquery.GroupKey(1))
				if expr == "" {
					continue
				}
				var n int
				if err := store.Writer().QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table+` WHERE doc @@ CAST(? AS tsquery)`, expr).Scan(&n); err != nil {
					return fmt.Errorf("%s @@ %q: %w", table, expr, err)
				}
			}
		}
		return nil
	}
	for i, table := range searchTables {
		cols := []searchquery.Columns{searchArticleCols, searchAnnotationCols, searchNoteCols}[i]
		for _, boost := range []bool{false, true} {
			cols.Boost = boost
			expr := parsed.FTS5(cols, searchquery.GroupKey(1))
			var n int
			if err := store.Writer().QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table+` WHERE `+table+` MATCH ?`, expr).Scan(&n); err != nil {
				return fmt.Errorf("%s MATCH %q: %w", table, expr, err)
			}
		}
	}
	return nil
}

package content

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"gloss/db"
	"gloss/db/sqlstore/internal/core"
)

func encodeSpans(spans []db.Span) string {
	pairs := make([][2]int, len(spans))
	for i, s := range spans {
		pairs[i] = [2]int{s.Start, s.End}
	}
	b, _ := json.Marshal(pairs) // [][2]int always encodes
	return string(b)
}

func decodeSpans(raw string) ([]db.Span, error) {
	var pairs [][2]int
	if err := json.Unmarshal([]byte(raw), &pairs); err != nil {
		return nil, fmt.Errorf("db: furniture %q: %w", raw, err)
	}
	spans := make([]db.Span, len(pairs))
	for i, p := range pairs {
		spans[i] = db.Span{Start: p[0], End: p[1]}
	}
	return spans, nil
}

// ImportArticle creates the article or brings it up to date, in one
// transaction. A changed body becomes a new revision; earlier revisions are
// kept because annotations are anchored to them.
func (store *Content) ImportArticle(ctx context.Context, in db.ArticleInput) (db.ImportOutcome, error) {
	if err := in.Validate(); err != nil {
		return "", err
	}
	spans, err := db.FurnitureSpans(in.Body, in.Furniture)
	if err != nil {
		return "", err
	}
	furniture := encodeSpans(spans)
	sum := sha256.Sum256([]byte(in.Body))
	digest := hex.EncodeToString(sum[:])
	var outcome db.ImportOutcome
	err = store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		now := store.NowText()
		var (
			id       int64
			meta     [6]string
			lastNum  int
			lastHash string
			lastRev  int64
			lastFurn string
		)
		err := tx.QueryRowContext(ctx, `
			SELECT a.id, a.title, a.publication, a.published_on, a.dek, a.summary, a.source_note,
			       r.number, r.sha256, r.id, r.furniture
			FROM articles a
			JOIN article_revisions r ON r.article_id = a.id
			WHERE a.slug = ?
			ORDER BY r.number DESC LIMIT 1`, in.Slug).
			Scan(&id, &meta[0], &meta[1], &meta[2], &meta[3], &meta[4], &meta[5], &lastNum, &lastHash, &lastRev, &lastFurn)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if err := tx.QueryRowContext(ctx, `
				INSERT INTO articles (slug, title, publication, published_on, dek, summary, source_note, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				in.Slug, in.Title, in.Publication, in.PublishedOn, in.Dek, in.Summary, in.SourceNote, now, now).Scan(&id); err != nil {
				return fmt.Errorf("db: insert article %s: %w", in.Slug, err)
			}
			outcome = db.ImportCreated
		case err != nil:
			return fmt.Errorf("db: find article %s: %w", in.Slug, err)
		default:
			outcome = db.ImportUnchanged
			if meta != [6]string{in.Title, in.Publication, in.PublishedOn, in.Dek, in.Summary, in.SourceNote} {
				outcome = db.ImportUpdated
				if _, err := tx.ExecContext(ctx, `
					UPDATE articles SET title = ?, publication = ?, published_on = ?, dek = ?, summary = ?, source_note = ?, updated_at = ?
					WHERE id = ?`,
					in.Title, in.Publication, in.PublishedOn, in.Dek, in.Summary, in.SourceNote, now, id); err != nil {
					return fmt.Errorf("db: update article %s: %w", in.Slug, err)
				}
			}
		}
		if outcome == db.ImportCreated || lastHash != digest {
			if outcome != db.ImportCreated {
				outcome = db.ImportRevised
			}
			var revID int64
			if err := tx.QueryRowContext(ctx, `
				INSERT INTO article_revisions (article_id, number, body, sha256, words, furniture, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				id, lastNum+1, in.Body, digest, len(strings.Fields(in.Body)), furniture, now).Scan(&revID); err != nil {
				return fmt.Errorf("db: insert revision of %s: %w", in.Slug, err)
			}
			if err := reanchor(ctx, tx, id, revID, in.Body); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE articles SET updated_at = ? WHERE id = ?`, now, id); err != nil {
				return err
			}
		} else if furniture != lastFurn {
			// The same text with its furniture marked anew: nothing moves.
			if _, err := tx.ExecContext(ctx, `UPDATE article_revisions SET furniture = ? WHERE id = ?`, furniture, lastRev); err != nil {
				return fmt.Errorf("db: mark furniture of %s: %w", in.Slug, err)
			}
			if outcome == db.ImportUnchanged {
				outcome = db.ImportUpdated
			}
		}
		if outcome == db.ImportUnchanged {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM article_authors WHERE article_id = ?`, id); err != nil {
			return err
		}
		for i, name := range in.Authors {
			if _, err := tx.ExecContext(ctx, `INSERT INTO article_authors (article_id, position, name) VALUES (?, ?, ?)`,
				id, i, strings.TrimSpace(name)); err != nil {
				return fmt.Errorf("db: insert author of %s: %w", in.Slug, err)
			}
		}
		kind := db.ArticleRevised // its text, furniture or metadata: every reader of it reloads
		if outcome == db.ImportCreated {
			kind = db.ArticleCreated
		}
		return store.AppendEvent(ctx, tx, db.Event{Kind: kind, ArticleID: id})
	})
	if err != nil {
		return "", err
	}
	return outcome, nil
}

const ArticleColumns = `
	a.id, a.slug, a.title, a.publication, a.published_on, a.dek, a.summary, a.source_note,
	a.created_at, a.updated_at, r.id, r.number, r.sha256, r.words`

// CurrentRevision joins each article to its newest revision, through an
// index that holds what ArticleColumns read of it (migration 0012).
const CurrentRevision = `
	JOIN article_revisions r INDEXED BY article_revisions_heads_idx ON r.article_id = a.id
	 AND r.number = (SELECT MAX(number) FROM article_revisions WHERE article_id = a.id)`

func scanArticle(row interface{ Scan(...any) error }, a *db.Article) error {
	var created, updated string
	if err := row.Scan(&a.ID, &a.Slug, &a.Title, &a.Publication, &a.PublishedOn, &a.Dek, &a.Summary, &a.SourceNote,
		&created, &updated, &a.RevisionID, &a.Revision, &a.SHA256, &a.Words); err != nil {
		return err
	}
	a.CreatedAt, a.UpdatedAt = core.ParseTime(created), core.ParseTime(updated)
	return nil
}

// articleWhere is the filter as a WHERE condition over articles a, with
// only the conditions in force, so that each can use its index.
func articleWhere(f db.ArticleFilter) (string, []any) {
	conds := []string{"1 = 1"}
	var args []any
	if f.Publication != "" {
		conds = append(conds, "a.publication = ?")
		args = append(args, f.Publication)
	}
	if f.Author != "" {
		conds = append(conds, "a.id IN (SELECT article_id FROM article_authors WHERE name = ?)")
		args = append(args, f.Author)
	}
	if f.Year != "" {
		conds = append(conds, "substr(a.published_on, 1, 4) = ?")
		args = append(args, f.Year)
	}
	return strings.Join(conds, " AND "), args
}

// articleOrder is the sort as an ORDER BY over articles a. The id comes
// last so that articles with the same date and title keep their place from
// one page to the next.
func articleOrder(sort string) string {
	switch sort {
	case db.SortOldest:
		return "a.published_on = '', a.published_on, a.title, a.id"
	case db.SortTitle:
		return "a.title COLLATE NOCASE, a.published_on, a.id"
	}
	return "a.published_on DESC, a.title, a.id"
}

// Articles lists the whole library, without bodies (for pickers that
// offer every article; the library page uses ArticlesPage).
func (store *Content) Articles(ctx context.Context, f db.ArticleFilter) ([]db.Article, error) {
	where, args := articleWhere(f)
	rows, err := store.Query(ctx, `SELECT `+ArticleColumns+` FROM articles a `+CurrentRevision+`
		WHERE `+where+` ORDER BY `+articleOrder(f.Sort), args...)
	if err != nil {
		return nil, fmt.Errorf("db: list articles: %w", err)
	}
	out, err := scanArticles(rows)
	if err != nil {
		return nil, err
	}
	return out, store.loadAuthors(ctx, out, false)
}

// ArticlesPage lists one page (from 1) of the filtered, sorted library,
// without bodies. Only that page's articles are read; a page past the last
// is ENOTFOUND.
func (store *Content) ArticlesPage(ctx context.Context, f db.ArticleFilter, page, perPage int) (db.ArticlePage, error) {
	p := db.ArticlePage{Page: page, PerPage: perPage}
	if page < 1 || perPage < 1 {
		return p, db.Errorf(db.EINVALID, "Pages are numbered from 1.")
	}
	where, args := articleWhere(f)
	if err := store.QueryRow(ctx, `SELECT COUNT(*) FROM articles a WHERE `+where, args...).Scan(&p.Total); err != nil {
		return p, fmt.Errorf("db: count articles: %w", err)
	}
	if page > p.Pages() {
		if p.Pages() == 1 {
			return p, db.Errorf(db.ENOTFOUND, "There is no page %d: there is only one page.", page)
		}
		return p, db.Errorf(db.ENOTFOUND, "There is no page %d: there are %d pages.", page, p.Pages())
	}
	// Choose the page's ids first (an index walk in each sort order, see
	// migration 0009), then read only those articles and their current
	// revisions.
	order := articleOrder(f.Sort)
	rows, err := store.Query(ctx, `SELECT `+ArticleColumns+`
		FROM (SELECT a.id FROM articles a WHERE `+where+` ORDER BY `+order+` LIMIT ? OFFSET ?) page
		JOIN articles a ON a.id = page.id `+CurrentRevision+`
		ORDER BY `+order, append(args, perPage, (page-1)*perPage)...)
	if err != nil {
		return p, fmt.Errorf("db: list articles: %w", err)
	}
	if p.Articles, err = scanArticles(rows); err != nil {
		return p, err
	}
	return p, store.loadAuthors(ctx, p.Articles, true)
}

// scanArticles reads and closes rows of ArticleColumns.
func scanArticles(rows *sql.Rows) ([]db.Article, error) {
	out, err := core.ScanAll(rows, ArticleOf)
	if err != nil {
		return nil, fmt.Errorf("db: list articles: %w", err)
	}
	return out, nil
}

// ArticleOf reads a row of ArticleColumns (scanArticle's form for ScanAll).
func ArticleOf(r core.RowScanner) (db.Article, error) {
	var a db.Article
	err := scanArticle(r, &a)
	return a, err
}

// loadAuthors fills in the articles' authors in one query: for the listed
// ids only when few, or by reading every author once when the list is the
// whole library.
func (store *Content) loadAuthors(ctx context.Context, arts []db.Article, few bool) error {
	if len(arts) == 0 {
		return nil
	}
	index := make(map[int64]int, len(arts))
	ids := make([]any, len(arts))
	for i, a := range arts {
		index[a.ID] = i
		ids[i] = a.ID
	}
	query := `SELECT article_id, name FROM article_authors ORDER BY article_id, position`
	var args []any
	if few {
		query = `SELECT article_id, name FROM article_authors WHERE article_id IN (` + core.Placeholders(len(ids)) + `) ORDER BY article_id, position`
		args = ids
	}
	rows, err := store.Query(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("db: list authors: %w", err)
	}
	return core.EachRow(rows, func(r *sql.Rows) error {
		var id int64
		var name string
		if err := r.Scan(&id, &name); err != nil {
			return fmt.Errorf("db: list authors: %w", err)
		}
		if i, ok := index[id]; ok {
			arts[i].Authors = append(arts[i].Authors, name)
		}
		return nil
	})
}

// ArticleBySlug returns the article with the body of its current revision.
func (store *Content) ArticleBySlug(ctx context.Context, slug string) (db.Article, error) {
	var a db.Article
	err := scanArticle(store.QueryRow(ctx, `SELECT `+ArticleColumns+` FROM articles a `+CurrentRevision+`
		WHERE a.slug = ?`, slug), &a)
	if errors.Is(err, sql.ErrNoRows) {
		return a, db.Errorf(db.ENOTFOUND, "There is no article called %q.", slug)
	} else if err != nil {
		return a, fmt.Errorf("db: find article %s: %w", slug, err)
	}
	var furniture string
	if err := store.QueryRow(ctx, `SELECT body, furniture FROM article_revisions WHERE id = ?`, a.RevisionID).Scan(&a.Body, &furniture); err != nil {
		return a, fmt.Errorf("db: read text of %s: %w", slug, err)
	}
	if a.Furniture, err = decodeSpans(furniture); err != nil {
		return a, err
	}
	rows, err := store.Query(ctx, `SELECT name FROM article_authors WHERE article_id = ? ORDER BY position`, a.ID)
	if err != nil {
		return a, fmt.Errorf("db: authors of %s: %w", slug, err)
	}
	a.Authors, err = core.ScanColumn[string](rows)
	return a, err
}

// ArticleRevisions lists an article's revisions, oldest first.
func (store *Content) ArticleRevisions(ctx context.Context, articleID int64) ([]db.Revision, error) {
	rows, err := store.Query(ctx, `
		SELECT id, number, sha256, words, created_at FROM article_revisions
		WHERE article_id = ? ORDER BY number`, articleID)
	if err != nil {
		return nil, fmt.Errorf("db: list revisions: %w", err)
	}
	return core.ScanAll(rows, func(row core.RowScanner) (db.Revision, error) {
		var r db.Revision
		var created string
		if err := row.Scan(&r.ID, &r.Number, &r.SHA256, &r.Words, &created); err != nil {
			return r, err
		}
		r.CreatedAt = core.ParseTime(created)
		return r, nil
	})
}

// Publications lists the distinct publications in the library, sorted. It
// hops through the publication index from one name to the next, so it reads
// one index entry per publication, not one per article.
func (store *Content) Publications(ctx context.Context) ([]string, error) {
	rows, err := store.Query(ctx, `
		WITH RECURSIVE pub(name) AS (
			SELECT MIN(publication) FROM articles WHERE publication > ''
			UNION ALL
			SELECT (SELECT MIN(publication) FROM articles WHERE publication > pub.name) FROM pub WHERE pub.name IS NOT NULL)
		SELECT name FROM pub WHERE name IS NOT NULL ORDER BY name COLLATE NOCASE`)
	if err != nil {
		return nil, fmt.Errorf("db: list publications: %w", err)
	}
	return core.ScanColumn[string](rows)
}

// ArticleSlugByID returns an article's slug.
func (store *Content) ArticleSlugByID(ctx context.Context, id int64) (string, error) {
	var slug string
	err := store.QueryRow(ctx, `SELECT slug FROM articles WHERE id = ?`, id).Scan(&slug)
	if errors.Is(err, sql.ErrNoRows) {
		return "", db.Errorf(db.ENOTFOUND, "There is no such article.")
	}
	return slug, err
}

// ArticlesTagged lists the articles carrying a tag, newest first.
func (store *Content) ArticlesTagged(ctx context.Context, tag string) ([]db.Article, error) {
	rows, err := store.Query(ctx, `SELECT `+ArticleColumns+` FROM articles a `+CurrentRevision+`
		WHERE a.id IN (SELECT at.article_id FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE t.name = ?)
		ORDER BY a.published_on DESC, a.title`, tag)
	if err != nil {
		return nil, fmt.Errorf("db: articles tagged %q: %w", tag, err)
	}
	return core.ScanAll(rows, ArticleOf)
}

// ArticleCount is the number of articles in the library.
func (store *Content) ArticleCount(ctx context.Context) (int, error) {
	var n int
	err := store.QueryRow(ctx, `SELECT COUNT(*) FROM articles`).Scan(&n)
	return n, err
}

// ArticleIndex counts articles by publication, author and year.
func (store *Content) ArticleIndex(ctx context.Context) (db.MetadataIndex, error) {
	var idx db.MetadataIndex
	for _, q := range []struct {
		dst   *[]db.Count
		query string
	}{
		{&idx.Publications, `SELECT publication, COUNT(*) FROM articles WHERE publication <> '' GROUP BY publication ORDER BY publication COLLATE NOCASE`},
		{&idx.Authors, `SELECT name, COUNT(DISTINCT article_id) FROM article_authors GROUP BY name ORDER BY name COLLATE NOCASE`},
		{&idx.Years, `SELECT substr(published_on, 1, 4) AS y, COUNT(*) FROM articles WHERE published_on <> '' GROUP BY y ORDER BY y`},
	} {
		rows, err := store.Query(ctx, q.query)
		if err != nil {
			return idx, fmt.Errorf("db: index: %w", err)
		}
		if *q.dst, err = core.ScanAll(rows, func(r core.RowScanner) (db.Count, error) {
			var c db.Count
			err := r.Scan(&c.Value, &c.N)
			return c, err
		}); err != nil {
			return idx, err
		}
	}
	return idx, nil
}

package curation

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"gloss/db"
	"gloss/db/sqlstore/internal/content"
	"gloss/db/sqlstore/internal/core"
)

// DismissSuggestions remembers the viewer's dismissals of suggestions in
// an article, all at once.
func (store *Curation) DismissSuggestions(ctx context.Context, v db.Viewer, articleID int64, keys []string) error {
	if err := v.SuggestEvidence(); err != nil {
		return err
	}
	if err := db.CheckSuggestionKeys(keys); err != nil {
		return err
	}
	return store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		now := store.NowText()
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO suggestion_dismissals (user_id, article_id, key, dismissed_at)
				VALUES (?, ?, ?, ?)`, v.UserID, articleID, k, now); err != nil {
				return fmt.Errorf("db: dismiss suggestion: %w", err)
			}
		}
		return store.AppendEvent(ctx, tx, db.Event{Kind: db.SuggestionsChanged, UserID: v.UserID, ActorID: v.UserID})
	})
}

// RestoreSuggestions forgets the viewer's dismissals in an article.
func (store *Curation) RestoreSuggestions(ctx context.Context, v db.Viewer, articleID int64) (int, error) {
	if err := v.SuggestEvidence(); err != nil {
		return 0, err
	}
	var n int64
	err := store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM suggestion_dismissals WHERE user_id = ? AND article_id = ?`, v.UserID, articleID)
		if err != nil {
			return fmt.Errorf("db: restore suggestions: %w", err)
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		return store.AppendEvent(ctx, tx, db.Event{Kind: db.SuggestionsChanged, UserID: v.UserID, ActorID: v.UserID})
	})
	return int(n), err
}

// DismissedSuggestions is the set of the viewer's dismissals in an article
// (none for someone signed out).
func (store *Curation) DismissedSuggestions(ctx context.Context, v db.Viewer, articleID int64) (map[string]bool, error) {
	out := map[string]bool{}
	if !v.SignedIn() {
		return out, nil
	}
	rows, err := store.Query(ctx, `SELECT key FROM suggestion_dismissals WHERE user_id = ? AND article_id = ?`, v.UserID, articleID)
	if err != nil {
		return nil, fmt.Errorf("db: dismissed suggestions: %w", err)
	}
	keys, err := core.ScanColumn[string](rows)
	for _, k := range keys {
		out[k] = true
	}
	return out, err
}

// EvidenceSpans lists where the annotations with a kind that the viewer
// may read lie in the article's current text.
func (store *Curation) EvidenceSpans(ctx context.Context, v db.Viewer, articleID int64) ([]db.EvidenceSpan, error) {
	cond, args := content.EvidenceWhere(v, "a")
	rows, err := store.Query(ctx, `SELECT ev.kind, a.anchor_start, a.anchor_end, a.visibility, COALESCE(a.group_id, 0)
		FROM annotations a JOIN annotation_evidence ev ON ev.annotation_id = a.id
		WHERE a.article_id = ? AND a.anchor_start IS NOT NULL AND `+cond, append([]any{articleID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("db: evidence spans: %w", err)
	}
	return core.ScanAll(rows, func(r core.RowScanner) (db.EvidenceSpan, error) {
		var s db.EvidenceSpan
		err := r.Scan(&s.Kind, &s.Start, &s.End, &s.Visibility, &s.GroupID)
		return s, err
	})
}

// KnownEntities lists the entities the viewer sees, with their aliases.
func (store *Curation) KnownEntities(ctx context.Context, v db.Viewer) ([]db.Entity, error) {
	seen, args := content.SeenEntities(v)
	rows, err := store.Query(ctx, `WITH `+seen+`
		SELECT e.id, e.name, e.type, COALESCE((SELECT group_concat(alias, '; ') FROM entity_aliases x WHERE x.entity_id = e.id), '')
		FROM entities e WHERE e.id IN (SELECT id FROM seen) ORDER BY e.name, e.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("db: known entities: %w", err)
	}
	return core.ScanAll(rows, func(r core.RowScanner) (db.Entity, error) {
		var e db.Entity
		var aliases string
		if err := r.Scan(&e.ID, &e.Name, &e.Type, &aliases); err != nil {
			return e, err
		}
		if aliases != "" {
			e.Aliases = strings.Split(aliases, "; ")
			sort.Strings(e.Aliases) // group_concat's order is not defined
		}
		return e, nil
	})
}

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"gloss/db"
	"gloss/db/sqlstore/internal/accounts"
	"gloss/db/sqlstore/internal/content"
	"gloss/db/sqlstore/internal/core"
	"gloss/db/sqlstore/internal/curation"
)

// ImportStarter brings the starter set into the store; it is idempotent.
// The seed articles must be imported first. The account, entities and
// annotations are written in one transaction (a first start waits for one
// commit, not one per item), the example collection in a second.
func (store *Store) ImportStarter(ctx context.Context, set db.StarterSet) (db.StarterReport, error) {
	var rep db.StarterReport
	var v db.Viewer
	err := store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var removed sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT removed_at FROM starter_state WHERE id = 1`).Scan(&removed)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if rep.Removed = removed.Valid; rep.Removed {
			return nil
		}
		account, err := starterAccount(ctx, tx, set.Account, store.NowText())
		if err != nil {
			return err
		}
		v = db.Viewer{UserID: account, Name: set.Account.Name}
		if err := store.starterEntities(ctx, tx, set.Entities); err != nil {
			return err
		}
		texts := map[string]starterText{}
		for _, it := range set.Items {
			added, gone, err := store.starterItem(ctx, tx, v, it, texts)
			if err != nil {
				return fmt.Errorf("starter item %s: %w", it.Key, err)
			}
			rep.Count(added, gone)
		}
		return nil
	})
	if err != nil || rep.Removed || set.Collection == nil {
		return rep, err
	}
	added, gone, err := store.starterCollection(ctx, v, *set.Collection)
	if err != nil {
		return rep, fmt.Errorf("starter collection %s: %w", set.Collection.Key, err)
	}
	rep.Count(added, gone)
	return rep, nil
}

// starterAccount finds or makes the system account, inside tx.
func starterAccount(ctx context.Context, tx *sql.Tx, a db.StarterAccount, now string) (int64, error) {
	email, err := db.NormalizeEmail(a.Email)
	if err != nil {
		return 0, err
	}
	name, err := db.ValidateName(a.Name)
	if err != nil {
		return 0, err
	}
	var id int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM users WHERE email = ?`, email).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		u, err := accounts.CreateUser(ctx, tx, db.NewUser{Email: email, Name: name}, accounts.NoPassword, now)
		if err != nil {
			return 0, err
		}
		id = u.ID
	} else if err != nil {
		return 0, fmt.Errorf("db: starter account: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO starter_state (id, account_id) VALUES (1, ?)
		ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id`, id)
	return id, err
}

// starterEntities adds the entities the set names and their aliases,
// inside tx. An entity is remembered once added: one an administrator
// merged away is not added again (its name is the other's alias by then).
func (store *Store) starterEntities(ctx context.Context, tx *sql.Tx, ents []db.StarterEntity) error {
	now := store.NowText()
	for _, e := range ents {
		key := "entity/" + e.Name
		var known int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM starter_items WHERE key = ?`, key).Scan(&known); err != nil {
			return err
		}
		typ, err := db.ParseEntityType(e.Type)
		if err != nil {
			return fmt.Errorf("starter entity %s: %w", e.Name, err)
		}
		var id int64
		err = tx.QueryRowContext(ctx, `SELECT id FROM entities WHERE name = ? UNION ALL
			SELECT entity_id FROM entity_aliases WHERE alias = ? LIMIT 1`, e.Name, e.Name).Scan(&id)
		switch {
		case errors.Is(err, sql.ErrNoRows) && known == 0:
			if id, err = content.ResolveEntity(ctx, tx, now, e.Name, typ); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO starter_items (key, entity_id, imported_at) VALUES (?, ?, ?)`, key, id, now); err != nil {
				return fmt.Errorf("db: remember starter entity: %w", err)
			}
		case errors.Is(err, sql.ErrNoRows):
			continue // added once and merged or removed since
		case err != nil:
			return fmt.Errorf("db: starter entity: %w", err)
		}
		for _, a := range e.Aliases {
			// An alias that already names something is left to it.
			if _, err := tx.ExecContext(ctx, `INSERT INTO entity_aliases (alias, entity_id)
				SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM entities WHERE name = ?)
				ON CONFLICT (alias) DO NOTHING`, a, id, a); err != nil {
				return fmt.Errorf("db: starter alias %s: %w", a, err)
			}
		}
	}
	return nil
}

// starterKey reports whether key was imported before, and whether what it
// became is gone.
func starterKey(ctx context.Context, q core.Querier, key string) (known, gone bool, err error) {
	var ann, coll sql.NullInt64
	err = q.QueryRowContext(ctx, `SELECT annotation_id, collection_id FROM starter_items WHERE key = ?`, key).Scan(&ann, &coll)
	if errors.Is(err, sql.ErrNoRows) {
		return false, false, nil
	} else if err != nil {
		return false, false, fmt.Errorf("db: starter item %s: %w", key, err)
	}
	return true, !ann.Valid && !coll.Valid, nil
}

// starterText is a seed article's current text, read once per import.
type starterText struct {
	articleID int64
	rev       content.RevisionText
}

// starterItem adds one annotation of the set, unless its key is known,
// inside tx. texts keeps the articles' texts already read.
func (store *Store) starterItem(ctx context.Context, tx *sql.Tx, v db.Viewer, it db.StarterItem, texts map[string]starterText) (added, gone bool, err error) {
	known, gone, err := starterKey(ctx, tx, it.Key)
	if err != nil || known {
		return false, gone, err
	}
	art, ok := texts[it.ArticleSlug]
	if !ok {
		if err := tx.QueryRowContext(ctx, `SELECT id FROM articles WHERE slug = ?`, it.ArticleSlug).Scan(&art.articleID); errors.Is(err, sql.ErrNoRows) {
			return false, false, db.Errorf(db.ENOTFOUND, "There is no article %q: import the seed articles first.", it.ArticleSlug)
		} else if err != nil {
			return false, false, err
		}
		if art.rev, err = content.CurrentText(ctx, tx, art.articleID); err != nil {
			return false, false, err
		}
		texts[it.ArticleSlug] = art
	}
	in := db.AnnotationInput{Start: -1, End: -1, Exact: it.Passage, Body: it.Comment, Visibility: string(db.Public)}
	// Quoted exactly and once: its place is found without the fuzzy search
	// (anchoring then only checks it).
	if i := strings.Index(art.rev.Text, it.Passage); i >= 0 && strings.Count(art.rev.Text, it.Passage) == 1 {
		in.Start = utf8.RuneCountInString(art.rev.Text[:i])
		in.End = in.Start + utf8.RuneCountInString(it.Passage)
	}
	d, err := db.PrepareAnnotation(v, in)
	if err != nil {
		return false, false, err
	}
	e, err := db.PrepareEvidence(it.Evidence)
	if err != nil {
		return false, false, err
	}
	id, err := store.InsertAnnotation(ctx, tx, v, art.articleID, art.rev, in, d)
	if err != nil {
		return false, false, err
	}
	if e.Kind != db.KindComment {
		if err := content.InsertEvidence(ctx, tx, store.NowText(), id, e); err != nil {
			return false, false, err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO starter_items (key, annotation_id, imported_at) VALUES (?, ?, ?)`, it.Key, id, store.NowText()); err != nil {
		return false, false, fmt.Errorf("db: remember starter item: %w", err)
	}
	return true, false, nil
}

// starterCollection makes the example collection, unless its key is known.
// A passage whose starter annotation is gone is left out.
func (store *Store) starterCollection(ctx context.Context, v db.Viewer, c db.StarterCollection) (added, gone bool, err error) {
	known, gone, err := starterKey(ctx, store.Reads(ctx), c.Key)
	if err != nil || known {
		return false, gone, err
	}
	title, intro, _, _, err := db.CollectionInput{Title: c.Title, Intro: c.Intro}.Clean()
	if err != nil {
		return false, false, err
	}
	var items []*db.CollectionItem
	for _, ci := range c.Items {
		in := db.ItemInput{Kind: string(db.ItemText), Heading: ci.Heading, Commentary: ci.Commentary}
		if ci.Passage != "" {
			var ann sql.NullInt64
			err := store.QueryRow(ctx, `SELECT annotation_id FROM starter_items WHERE key = ?`, ci.Passage).Scan(&ann)
			if errors.Is(err, sql.ErrNoRows) || err == nil && !ann.Valid {
				continue
			} else if err != nil {
				return false, false, err
			}
			in = db.ItemInput{AnnotationID: ann.Int64, Heading: ci.Heading, Commentary: ci.Commentary}
		}
		it, err := store.NewItem(ctx, v, in)
		if err != nil {
			return false, false, err
		}
		items = append(items, it)
	}
	made := false
	err = store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		// Another instance starting at the same time may have made it
		// since the check above: the write is the one that counts.
		if known, _, err := starterKey(ctx, tx, c.Key); err != nil || known {
			return err
		}
		made = true
		now := store.NowText()
		id, err := curation.InsertCollection(ctx, tx, db.Collection{OwnerID: v.UserID, Title: title, Intro: intro, Names: db.NamesFull}, now)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE collections SET example = 1 WHERE id = ?`, id); err != nil {
			return err
		}
		for _, it := range items {
			if err := curation.InsertItem(ctx, tx, id, it, now); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO starter_items (key, collection_id, imported_at) VALUES (?, ?, ?)`, c.Key, id, now)
		return err
	})
	return err == nil && made, false, err
}

// RemoveStarter removes the starter set (administrators): its annotations
// (with any replies to them), its example collection, and the entities it
// added that nothing refers to any more; and remembers that it was
// removed, so that importing the seeds again does not bring it back.
func (store *Store) RemoveStarter(ctx context.Context, v db.Viewer) (db.StarterRemoval, error) {
	var out db.StarterRemoval
	if err := v.Administer(); err != nil {
		return out, err
	}
	err := store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var removed sql.NullString
		var by string
		err := tx.QueryRowContext(ctx, `SELECT removed_at, removed_by FROM starter_state WHERE id = 1`).Scan(&removed, &by)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if removed.Valid {
			return db.Errorf(db.ECONFLICT, "The starter set was already removed (by %s, %s).", by, core.ParseTime(removed.String).Format("2 January 2006"))
		}
		for _, q := range []struct {
			n   *int
			sql string
		}{
			{&out.Annotations, `DELETE FROM annotations WHERE id IN (SELECT annotation_id FROM starter_items WHERE annotation_id IS NOT NULL)`},
			{&out.Collections, `DELETE FROM collections WHERE id IN (SELECT collection_id FROM starter_items WHERE collection_id IS NOT NULL)`},
			{&out.Entities, `DELETE FROM entities WHERE id IN (SELECT entity_id FROM starter_items WHERE entity_id IS NOT NULL)
				AND NOT EXISTS (SELECT 1 FROM annotation_evidence ev WHERE ev.entity_id = entities.id OR ev.place_id = entities.id)`},
		} {
			res, err := tx.ExecContext(ctx, q.sql)
			if err != nil {
				return fmt.Errorf("db: remove starter set: %w", err)
			}
			n, _ := res.RowsAffected()
			*q.n = int(n)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO starter_state (id, removed_at, removed_by) VALUES (1, ?, ?)
			ON CONFLICT (id) DO UPDATE SET removed_at = excluded.removed_at, removed_by = excluded.removed_by`, store.NowText(), v.Name)
		if err != nil {
			return err
		}
		return store.AppendEvent(ctx, tx, db.Event{Kind: db.StarterChanged, ActorID: v.UserID})
	})
	return out, err
}

// StarterStatus says whether the starter set is there, how much of it, or
// when it was removed and by whom.
func (store *Store) StarterStatus(ctx context.Context) (db.StarterStatus, error) {
	var s db.StarterStatus
	var removed sql.NullString
	err := store.QueryRow(ctx, `SELECT COALESCE(u.name, ''), st.removed_at, st.removed_by,
		(SELECT COUNT(*) FROM starter_items WHERE annotation_id IS NOT NULL),
		(SELECT COUNT(*) FROM starter_items WHERE collection_id IS NOT NULL)
		FROM starter_state st LEFT JOIN users u ON u.id = st.account_id WHERE st.id = 1`).
		Scan(&s.AccountName, &removed, &s.RemovedBy, &s.Annotations, &s.Collections)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	} else if err != nil {
		return s, fmt.Errorf("db: starter status: %w", err)
	}
	s.Imported = true
	if removed.Valid {
		s.RemovedAt = core.ParseTime(removed.String)
	}
	return s, nil
}

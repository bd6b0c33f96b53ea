package content

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"gloss/db"
	"gloss/db/sqlstore/internal/core"
)

// CreateEvidenceAnnotation is CreateAnnotation for an annotation with a
// kind: the annotation and its structured fields are stored together or
// not at all. A plain comment goes through CreateAnnotation unchanged.
func (store *Content) CreateEvidenceAnnotation(ctx context.Context, v db.Viewer, articleID int64, in db.AnnotationInput, ev db.EvidenceInput) (db.Annotation, error) {
	id, err := store.AddEvidenceAnnotation(ctx, v, articleID, in, ev)
	if err != nil {
		return db.Annotation{}, err
	}
	return store.AnnotationByID(ctx, v, id)
}

// AddEvidenceAnnotation is CreateEvidenceAnnotation returning only the new
// annotation's id, for callers that do not show it (the reader's form
// redirects to it), sparing a read of it back.
func (store *Content) AddEvidenceAnnotation(ctx context.Context, v db.Viewer, articleID int64, in db.AnnotationInput, ev db.EvidenceInput) (int64, error) {
	e, err := db.PrepareEvidence(ev)
	if err != nil {
		return 0, err
	}
	if e.Kind == db.KindComment {
		return store.addAnnotation(ctx, v, articleID, in, nil)
	}
	if err := v.NameEntity(); err != nil {
		return 0, err
	}
	return store.addAnnotation(ctx, v, articleID, in, func(ctx context.Context, tx *sql.Tx, id int64) error {
		return InsertEvidence(ctx, tx, store.NowText(), id, e)
	})
}

// replaceEvidence gives annotation id the kind in e (a comment: none),
// inside tx.
func replaceEvidence(ctx context.Context, tx *sql.Tx, now string, id int64, e db.EvidenceDraft) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM annotation_evidence WHERE annotation_id = ?`, id); err != nil {
		return fmt.Errorf("db: replace evidence: %w", err)
	}
	if e.Kind == db.KindComment {
		return nil
	}
	return InsertEvidence(ctx, tx, now, id, e)
}

// InsertEvidence stores the structured part of annotation id, naming
// entities as needed, inside tx.
func InsertEvidence(ctx context.Context, tx *sql.Tx, now string, id int64, e db.EvidenceDraft) error {
	var err error
	if e.Entity != "" {
		if e.EntityID, err = ResolveEntity(ctx, tx, now, e.Entity, e.EntityType); err != nil {
			return err
		}
	}
	if e.Place != "" {
		if e.PlaceID, err = ResolveEntity(ctx, tx, now, e.Place, db.EntityPlace); err != nil {
			return err
		}
	}
	var low, high any
	if e.HasValue {
		low, high = e.Low, e.High
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO annotation_evidence
		(annotation_id, kind, entity_id, low, high, unit, counted, ref_date, date_from, date_to, place_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, e.Kind, core.NullID(e.EntityID), low, high, e.Unit, e.Counted, e.RefDate, e.DateFrom, e.DateTo, core.NullID(e.PlaceID)); err != nil {
		return fmt.Errorf("db: create evidence: %w", err)
	}
	return nil
}

// ResolveEntity finds an entity by name or alias, or adds it when a type is
// given. Naming one is open to anyone who may annotate, as tags are.
func ResolveEntity(ctx context.Context, tx *sql.Tx, now, name, typ string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM entities WHERE name = ?
		UNION ALL SELECT entity_id FROM entity_aliases WHERE alias = ? LIMIT 1`, name, name).Scan(&id)
	if err == nil {
		return id, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("db: find entity: %w", err)
	}
	if strings.TrimSpace(typ) == "" {
		return 0, db.Errorf(db.EINVALID, "There is no entity named “%s” yet: choose whether it is a person, an organization or a place to add it.", name)
	}
	t, err := db.ParseEntityType(typ)
	if err != nil {
		return 0, err
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO entities (name, type, created_at) VALUES (?, ?, ?) RETURNING id`, name, t, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("db: add entity: %w", err)
	}
	return id, nil
}

// EntityByID returns an entity with its aliases, if the viewer may see an
// annotation that refers to it (administrators: any entity).
func (store *Content) EntityByID(ctx context.Context, v db.Viewer, id int64) (db.Entity, error) {
	e := db.Entity{ID: id}
	cond, args := EvidenceWhere(v, "a")
	err := store.QueryRow(ctx, `SELECT name, type, (SELECT COUNT(*) FROM annotation_evidence ev CROSS JOIN annotations a ON a.id = ev.annotation_id
		WHERE (ev.entity_id = e.id OR ev.place_id = e.id) AND `+cond+`) FROM entities e WHERE id = ?`, append(args, id)...).Scan(&e.Name, &e.Type, &e.Mentions)
	if err == nil && e.Mentions == 0 && v.CurateEntities() != nil {
		err = sql.ErrNoRows
	}
	if errors.Is(err, sql.ErrNoRows) {
		return e, db.Errorf(db.ENOTFOUND, "There is no such entity.")
	} else if err != nil {
		return e, fmt.Errorf("db: entity %d: %w", id, err)
	}
	rows, err := store.Query(ctx, `SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY alias`, id)
	if err != nil {
		return e, fmt.Errorf("db: aliases of %d: %w", id, err)
	}
	e.Aliases, err = core.ScanColumn[string](rows)
	return e, err
}

// AddAlias gives an entity another name (administrators: entities are
// shared vocabulary, like tag names).
func (store *Content) AddAlias(ctx context.Context, v db.Viewer, entityID int64, alias string) error {
	if err := v.CurateEntities(); err != nil {
		return err
	}
	a, err := db.CleanName("The alias", alias, 1, db.MaxEntityNameLen)
	if err != nil {
		return err
	}
	return store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM entities WHERE name = ?) + (SELECT COUNT(*) FROM entity_aliases WHERE alias = ?)`, a, a).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return db.Errorf(db.ECONFLICT, "“%s” already names an entity: merge the two instead.", a)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO entity_aliases (alias, entity_id) SELECT ?, id FROM entities WHERE id = ?`, a, entityID)
		if err != nil {
			return fmt.Errorf("db: add alias: %w", err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return db.Errorf(db.ENOTFOUND, "There is no such entity.")
		}
		return store.AppendEvent(ctx, tx, db.Event{Kind: db.EntityChanged, ActorID: v.UserID})
	})
}

// MergeEntity merges from into into: every annotation that referred to from
// refers to into, and from's name and aliases become aliases of into.
func (store *Content) MergeEntity(ctx context.Context, v db.Viewer, from, into int64) error {
	if err := v.CurateEntities(); err != nil {
		return err
	}
	if from == into {
		return db.Errorf(db.EINVALID, "Choose another entity to merge into.")
	}
	return store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var name string
		if err := tx.QueryRowContext(ctx, `SELECT name FROM entities WHERE id = ?`, from).Scan(&name); errors.Is(err, sql.ErrNoRows) {
			return db.Errorf(db.ENOTFOUND, "There is no such entity.")
		} else if err != nil {
			return err
		}
		var ok int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM entities WHERE id = ?`, into).Scan(&ok); err != nil {
			return err
		}
		if ok == 0 {
			return db.Errorf(db.EINVALID, "There is no entity to merge into with that id.")
		}
		for _, q := range []string{
			`UPDATE annotation_evidence SET entity_id = ? WHERE entity_id = ?`,
			`UPDATE annotation_evidence SET place_id = ? WHERE place_id = ?`,
			`UPDATE entity_aliases SET entity_id = ? WHERE entity_id = ?`,
		} {
			if _, err := tx.ExecContext(ctx, q, into, from); err != nil {
				return fmt.Errorf("db: merge entity: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM entities WHERE id = ?`, from); err != nil {
			return fmt.Errorf("db: merge entity: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO entity_aliases (alias, entity_id) VALUES (?, ?)`, name, into); err != nil {
			return err
		}
		return store.AppendEvent(ctx, tx, db.Event{Kind: db.EntityChanged, ActorID: v.UserID})
	})
}

// Entities lists the entities that annotations the viewer may see refer
// to, with how many, by name. A name used only in writing the viewer may
// not see stays out of sight like that writing (administrators, who curate
// the vocabulary, get every entity with all set).
func (store *Content) Entities(ctx context.Context, v db.Viewer, all bool) ([]db.Entity, error) {
	cond, args := EvidenceWhere(v, "a")
	having := "WHERE n > 0"
	if all && v.CurateEntities() == nil {
		having = ""
	}
	rows, err := store.Query(ctx, `
		SELECT id, name, type, aliases, n FROM (
		SELECT e.id, e.name, e.type, COALESCE((SELECT group_concat(alias, '; ') FROM entity_aliases x WHERE x.entity_id = e.id), '') AS aliases,
		       (SELECT COUNT(*) FROM annotation_evidence ev CROSS JOIN annotations a ON a.id = ev.annotation_id
		        WHERE (ev.entity_id = e.id OR ev.place_id = e.id) AND `+cond+`) AS n
		FROM entities e) AS counted `+having+` ORDER BY name`, args...)
	if err != nil {
		return nil, fmt.Errorf("db: entities: %w", err)
	}
	return core.ScanAll(rows, func(r core.RowScanner) (db.Entity, error) {
		var e db.Entity
		var aliases string
		if err := r.Scan(&e.ID, &e.Name, &e.Type, &aliases, &e.Mentions); err != nil {
			return e, err
		}
		if aliases != "" {
			e.Aliases = strings.Split(aliases, "; ")
		}
		return e, nil
	})
}

// EvidenceItems returns the evidence the viewer may see, ordered by
// article date then position in the text.
func (store *Content) EvidenceItems(ctx context.Context, v db.Viewer, f db.EvidenceFilter) ([]db.EvidenceItem, error) {
	cond, args := EvidenceWhere(v, "a")
	where := []string{cond}
	if f.Kind != "" {
		where = append(where, "ev.kind = ?")
		args = append(args, f.Kind)
	}
	if f.EntityID != 0 {
		where = append(where, "(ev.entity_id = ? OR ev.place_id = ?)")
		args = append(args, f.EntityID, f.EntityID)
	}
	if f.Tag != "" {
		where = append(where, "a.id IN (SELECT at.annotation_id FROM annotation_tags at JOIN tags t ON t.id = at.tag_id WHERE t.name = ?)")
		args = append(args, f.Tag)
	}
	rows, err := store.Query(ctx, `
		SELECT a.id, ar.slug, ar.title, ar.publication, ar.published_on,
		       COALESCE(a.exact, ''), COALESCE(a.prefix, ''), COALESCE(a.suffix, ''),
		       COALESCE(a.anchor_start, 0), COALESCE(a.anchor_end, 0), a.body, u.name,
		       COALESCE((SELECT group_concat(name, char(31)) FROM (SELECT t.name FROM annotation_tags at
		                 JOIN tags t ON t.id = at.tag_id WHERE at.annotation_id = a.id ORDER BY t.name) AS names), ''),
		       ev.kind, COALESCE(ev.entity_id, 0), COALESCE(e.name, ''), ev.low IS NOT NULL,
		       COALESCE(ev.low, 0), COALESCE(ev.high, 0), ev.unit, ev.counted, ev.ref_date,
		       ev.date_from, ev.date_to, COALESCE(ev.place_id, 0), COALESCE(p.name, '')
		FROM annotation_evidence ev
		CROSS JOIN annotations a ON a.id = ev.annotation_id
		JOIN articles ar ON ar.id = a.article_id
		JOIN users u ON u.id = a.author_id
		LEFT JOIN entities e ON e.id = ev.entity_id
		LEFT JOIN entities p ON p.id = ev.place_id
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY ar.published_on, ar.id, a.anchor_start, a.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("db: evidence: %w", err)
	}
	return core.ScanAll(rows, func(r core.RowScanner) (db.EvidenceItem, error) {
		var it db.EvidenceItem
		var tags string
		if err := r.Scan(&it.AnnotationID, &it.ArticleSlug, &it.ArticleTitle, &it.Publication, &it.Published,
			&it.Exact, &it.Prefix, &it.Suffix, &it.Start, &it.End, &it.Body, &it.AuthorName, &tags,
			&it.Kind, &it.EntityID, &it.EntityName, &it.HasValue, &it.Low, &it.High, &it.Unit, &it.Counted, &it.RefDate,
			&it.DateFrom, &it.DateTo, &it.PlaceID, &it.PlaceName); err != nil {
			return it, err
		}
		if tags != "" {
			it.Tags = strings.Split(tags, "\x1f")
		}
		return it, nil
	})
}

// EvidenceOf returns the evidence of annotations the caller has already
// loaded for a viewer (annotations without a kind are absent).
func (store *Content) EvidenceOf(ctx context.Context, ids []int64) (map[int64]db.Evidence, error) {
	out := map[int64]db.Evidence{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	// A list's length varies: only one annotation's is a statement worth
	// keeping prepared (db/stmt.go's cache is bounded).
	query := store.Reads(ctx).QueryContext
	if len(ids) == 1 {
		query = store.Query
	}
	rows, err := query(ctx, evidenceSelect+` WHERE ev.annotation_id IN (`+core.Placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("db: evidence of annotations: %w", err)
	}
	err = core.EachRow(rows, func(r *sql.Rows) error {
		id, ev, err := scanEvidence(r)
		if err != nil {
			return err
		}
		out[id] = ev
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// evidenceSelect reads annotations' evidence (alias ev) with its entities'
// names; scanEvidence reads a row of it.
const evidenceSelect = `
	SELECT ev.annotation_id, ev.kind, COALESCE(ev.entity_id, 0), COALESCE(e.name, ''), COALESCE(e.type, ''), ev.low IS NOT NULL,
	       COALESCE(ev.low, 0), COALESCE(ev.high, 0), ev.unit, ev.counted, ev.ref_date,
	       ev.date_from, ev.date_to, COALESCE(ev.place_id, 0), COALESCE(p.name, '')
	FROM annotation_evidence ev
	LEFT JOIN entities e ON e.id = ev.entity_id
	LEFT JOIN entities p ON p.id = ev.place_id`

func scanEvidence(rows *sql.Rows) (int64, db.Evidence, error) {
	var id int64
	var ev db.Evidence
	err := rows.Scan(&id, &ev.Kind, &ev.EntityID, &ev.EntityName, &ev.EntityType, &ev.HasValue, &ev.Low, &ev.High, &ev.Unit, &ev.Counted,
		&ev.RefDate, &ev.DateFrom, &ev.DateTo, &ev.PlaceID, &ev.PlaceName)
	return id, ev, err
}

// AttachEvidence fills Evidence on annotations the caller has already
// loaded for a viewer, for their W3C form (the protocol's responses).
func (store *Content) AttachEvidence(ctx context.Context, list ...*db.Annotation) error {
	ids := make([]int64, len(list))
	for i, a := range list {
		ids[i] = a.ID
	}
	evs, err := store.EvidenceOf(ctx, ids)
	if err != nil {
		return err
	}
	for _, a := range list {
		if ev, ok := evs[a.ID]; ok {
			a.Evidence = &ev
		}
	}
	return nil
}

// Figures groups the visible figures by what is counted (ignoring case) and
// unit; groups come by name, figures by article date then text order.
func (store *Content) Figures(ctx context.Context, v db.Viewer, f db.EvidenceFilter) ([]db.FigureGroup, error) {
	f.Kind = db.KindFigure
	items, err := store.EvidenceItems(ctx, v, f)
	if err != nil {
		return nil, err
	}
	idx := map[string]int{}
	var out []db.FigureGroup
	for _, it := range items {
		key := strings.ToLower(it.Counted) + "\x00" + strings.ToLower(it.Unit)
		i, ok := idx[key]
		if !ok {
			i = len(out)
			idx[key] = i
			out = append(out, db.FigureGroup{Counted: it.Counted, Unit: it.Unit})
		}
		out[i].Figures = append(out[i].Figures, it)
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Counted) < strings.ToLower(out[j].Counted) })
	return out, nil
}

// EvidenceCounted lists what the figures the viewer may see count, for
// suggestions.
//
// It runs whenever the Kind fields open, so it takes the distinct values from the
// kind index and asks of each only whether a visible figure has it (on a
// million annotations with 8,500 figures: 57 ms when it read every figure's
// annotation; now about 1 ms).
func (store *Content) EvidenceCounted(ctx context.Context, v db.Viewer) ([]string, error) {
	cond, args := EvidenceWhere(v, "a")
	return store.strings(ctx, `
		WITH c(counted) AS (SELECT DISTINCT counted FROM annotation_evidence WHERE kind = 'figure' AND counted <> '')
		SELECT counted FROM c WHERE EXISTS (
			SELECT 1 FROM annotation_evidence ev CROSS JOIN annotations a ON a.id = ev.annotation_id
			WHERE ev.kind = 'figure' AND ev.counted = c.counted AND `+cond+`)
		ORDER BY counted`, args...)
}

// EvidenceWhere is what the evidence views show of an annotation: what the
// viewer may read, top-level and not orphaned. Counts, menus and
// suggestions use it as the lists do, so that an entity counted in Voices
// has passages to show.
func EvidenceWhere(v db.Viewer, alias string) (string, []any) {
	cond, args := core.VisibleWhere(v, alias)
	return cond + " AND " + alias + ".parent_id IS NULL AND COALESCE(" + alias + ".anchor_status, '') <> 'orphaned'", args
}

// SeenEntities is a CTE of the ids of the entities the viewer sees (those
// Entities lists): it asks only whether a visible mention exists, where
// Entities counts them all, and asks it of mentions and places apart (one OR
// made SQLite collect every row of both before looking at one). Its
// arguments are the viewer's condition's, twice.
func SeenEntities(v db.Viewer) (string, []any) {
	cond, args := EvidenceWhere(v, "a")
	return `seen(id) AS (SELECT e.id FROM entities e WHERE EXISTS (
			SELECT 1 FROM annotation_evidence ev CROSS JOIN annotations a ON a.id = ev.annotation_id
			WHERE ev.entity_id = e.id AND ` + cond + `) OR EXISTS (
			SELECT 1 FROM annotation_evidence ev CROSS JOIN annotations a ON a.id = ev.annotation_id
			WHERE ev.place_id = e.id AND ` + cond + `))`, append(slices.Clip(args), args...)
}

// EntityNames lists the names and aliases of the entities the viewer sees,
// for the annotate form's suggestions (whenever the Kind fields open).
func (store *Content) EntityNames(ctx context.Context, v db.Viewer) ([]string, error) {
	seen, args := SeenEntities(v)
	out, err := store.strings(ctx, `WITH `+seen+`
		SELECT name FROM entities WHERE id IN (SELECT id FROM seen)
		UNION ALL SELECT alias FROM entity_aliases WHERE entity_id IN (SELECT id FROM seen)`, args...)
	sort.Strings(out)
	return out, err
}

// EntityChoices lists the entities the viewer sees, by name, without
// counting their mentions: for filters and menus (Entities counts, which
// reads every mention: 0.3 s on a million annotations with 42,000 of them
// evidence). all, for those who curate entities, lists every one.
func (store *Content) EntityChoices(ctx context.Context, v db.Viewer, all bool) ([]db.Entity, error) {
	q, args := `SELECT id, name, type FROM entities ORDER BY name`, []any(nil)
	if !all || v.CurateEntities() != nil {
		var seen string
		seen, args = SeenEntities(v)
		q = `WITH ` + seen + ` SELECT id, name, type FROM entities WHERE id IN (SELECT id FROM seen) ORDER BY name`
	}
	rows, err := store.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("db: entity choices: %w", err)
	}
	return core.ScanAll(rows, func(r core.RowScanner) (db.Entity, error) {
		var e db.Entity
		if err := r.Scan(&e.ID, &e.Name, &e.Type); err != nil {
			return e, fmt.Errorf("db: entity choices: %w", err)
		}
		return e, nil
	})
}

// ImportEvidence stores an imported annotation's kind, inside the import's
// transaction.
func (store *Content) ImportEvidence(ctx context.Context, tx *sql.Tx, id int64, in db.EvidenceInput) error {
	if in.Kind == "" {
		return nil
	}
	e, err := db.PrepareEvidence(in)
	if err != nil || e.Kind == db.KindComment {
		return err
	}
	return InsertEvidence(ctx, tx, store.NowText(), id, e)
}

// ExportEvidence fills Evidence for an export's annotations through the
// export's condition (not a list of ids, which could pass SQLite's limit on
// parameters).
// query is the export's transaction's QueryContext or the read pool's.
func ExportEvidence(ctx context.Context, query func(context.Context, string, ...any) (*sql.Rows, error), cond string, args []any, byID map[int64]*db.Annotation) error {
	rows, err := query(ctx, evidenceSelect+` JOIN annotations a ON a.id = ev.annotation_id WHERE `+cond, args...)
	if err != nil {
		return fmt.Errorf("db: export evidence: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		id, ev, err := scanEvidence(rows)
		if err != nil {
			return err
		}
		if a, ok := byID[id]; ok {
			a.Evidence = &ev
		}
	}
	return rows.Err()
}

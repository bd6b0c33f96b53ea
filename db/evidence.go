package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"gloss/db/evidence"
	"gloss/db/number"
)

// Evidence: annotations that are more than a comment. An entity (person,
// organization, place) is shared vocabulary like a tag; the annotations
// that mention, quote, count or date things keep their own visibility, and
// every list here shows only what the viewer may read (evidenceWhere).
//
// The lists read annotation_evidence first and each row's annotation after
// (CROSS JOIN fixes that order): evidence is a few among every annotation,
// and without statistics SQLite chose to walk every annotation instead (the
// timeline took 0.8 s on a million annotations; now a few milliseconds).

// Annotation kinds.
const (
	KindComment = "comment"
	KindEntity  = "entity"
	KindQuote   = "quote"
	KindFigure  = "figure"
	KindEvent   = "event"
)

// Entity types.
const (
	EntityPerson       = "person"
	EntityOrganization = "organization"
	EntityPlace        = "place"
)

// Limits on evidence fields.
const (
	MaxEntityNameLen = 200
	MaxUnitLen       = 60
	MaxCountedLen    = 200
)

// Entity is a person, organization or place named across the corpus.
type Entity struct {
	ID       int64
	Name     string
	Type     string
	Aliases  []string
	Mentions int // visible annotations that refer to it (lists only)
}

// Evidence is the structured part of an annotation.
type Evidence struct {
	Kind       string
	EntityID   int64 // mentioned, speaker or estimator
	EntityName string
	Low, High  float64 // figure
	HasValue   bool
	Unit       string
	Counted    string
	RefDate    string
	DateFrom   string // event
	DateTo     string
	PlaceID    int64
	PlaceName  string
	entityType string // filled for the JSON-LD export
}

// EvidenceInput is what the annotate form sends besides the annotation.
// Entity names are looked up by name or alias; a name not known yet is
// added when its type is given (EntityType; places are always places).
type EvidenceInput struct {
	Kind          string
	Entity        string // entity: the entity mentioned
	EntityType    string
	Speaker       string // quote
	SpeakerType   string
	Low, High     string // figure
	Unit          string
	Counted       string
	RefDate       string
	Estimator     string
	EstimatorType string
	DateFrom      string // event
	DateTo        string
	Place         string
}

// ParseKind accepts the five kinds ("" is a comment).
func ParseKind(s string) (string, error) {
	switch s = strings.TrimSpace(s); s {
	case "", KindComment:
		return KindComment, nil
	case KindEntity, KindQuote, KindFigure, KindEvent:
		return s, nil
	}
	return "", Errorf(EINVALID, "%q is not a kind of annotation: choose comment, entity, quote, figure or event.", s)
}

// ParseEntityType accepts person, organization and place.
func ParseEntityType(s string) (string, error) {
	switch s = strings.TrimSpace(s); s {
	case EntityPerson, EntityOrganization, EntityPlace:
		return s, nil
	}
	return "", Errorf(EINVALID, "%q is not a type of entity: choose person, organization or place.", s)
}

var dateRE = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)

// ParseEvidenceDate accepts YYYY, YYYY-MM or YYYY-MM-DD ("" when optional).
func ParseEvidenceDate(field, s string, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			return "", Errorf(EINVALID, "%s is required (YYYY, YYYY-MM or YYYY-MM-DD).", field)
		}
		return "", nil
	}
	ok := dateRE.MatchString(s)
	if ok {
		switch len(s) {
		case 7:
			_, err := time.Parse("2006-01", s)
			ok = err == nil
		case 10:
			_, err := time.Parse("2006-01-02", s)
			ok = err == nil
		}
	}
	if !ok {
		return "", Errorf(EINVALID, "%s %q is not a date: write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2004-07-27.", field, s)
	}
	return s, nil
}

// ParseFigure reads a number as people write it: "150,000", "7800", "3.5".
func ParseFigure(field, s string) (float64, error) {
	t := strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(s), ",", ""), " ", "")
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, Errorf(EINVALID, "%s %q is not a number: write digits, such as 150000 or 150,000.", field, strings.TrimSpace(s))
	}
	return f, nil
}

// checkFigureUnit checks a figure's values against its unit. A figure
// counts or measures something, so it is not negative, unless its unit
// says it is a change or a temperature (a "change", "growth", "difference",
// "net" or "balance", "points", degrees); a percentage (not a change) is
// from 0 to 100.
func checkFigureUnit(unit string, low, high float64) error {
	u := strings.ToLower(unit)
	signed := strings.ContainsAny(u, "°±") || containsWord(u, "change", "changes", "growth", "difference", "net", "balance", "points", "degrees", "celsius", "fahrenheit")
	percent := strings.Contains(u, "%") || containsWord(u, "percent", "per cent", "percentage")
	switch {
	case !signed && low < 0:
		return Errorf(EINVALID, "A figure in %s cannot be negative (%s): a count or a measure starts at 0. For a change, say so in the unit (e.g. “people, net change”).", unit, number.Format(low))
	case percent && !signed && high > 100:
		return Errorf(EINVALID, "A percentage is at most 100 (%s). For a change, say so in the unit (e.g. “percent change”).", number.Format(high))
	}
	return nil
}

// containsWord reports whether s holds one of the words (or phrases) whole.
func containsWord(s string, words ...string) bool {
	padded := " " + strings.Join(strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), " ") + " "
	for _, w := range words {
		if strings.Contains(padded, " "+w+" ") {
			return true
		}
	}
	return false
}

// evidenceDraft is an EvidenceInput checked on its own, before entity
// names are looked up.
type evidenceDraft struct {
	Evidence
	entity, entityType string // the name to look up for EntityID, and a type to add it with
	place              string
}

func prepareEvidence(in EvidenceInput) (evidenceDraft, error) {
	var d evidenceDraft
	var err error
	if d.Kind, err = ParseKind(in.Kind); err != nil {
		return d, err
	}
	name := func(field, s string, required bool) (string, error) {
		n, err := cleanName(field, s, 0, MaxEntityNameLen)
		if err == nil && required && n == "" {
			err = Errorf(EINVALID, "%s is required.", field)
		}
		return n, err
	}
	switch d.Kind {
	case KindEntity:
		d.entity, err = name("The entity's name", in.Entity, true)
		d.entityType = in.EntityType
	case KindQuote:
		d.entity, err = name("The speaker", in.Speaker, true)
		d.entityType = in.SpeakerType
	case KindFigure:
		if d.Low, err = ParseFigure("The low value", in.Low); err != nil {
			return d, err
		}
		d.High = d.Low
		if strings.TrimSpace(in.High) != "" {
			if d.High, err = ParseFigure("The high value", in.High); err != nil {
				return d, err
			}
		}
		if d.Low > d.High {
			return d, Errorf(EINVALID, "The low value (%s) is greater than the high value (%s).", number.Format(d.Low), number.Format(d.High))
		}
		d.HasValue = true
		if d.Unit, err = cleanText("The unit", in.Unit, 1, MaxUnitLen, false); err != nil {
			return d, err
		}
		if err := checkFigureUnit(d.Unit, d.Low, d.High); err != nil {
			return d, err
		}
		if d.Counted, err = cleanText("What is counted", in.Counted, 1, MaxCountedLen, false); err != nil {
			return d, err
		}
		if d.RefDate, err = ParseEvidenceDate("The date the figure refers to", in.RefDate, false); err != nil {
			return d, err
		}
		d.entity, err = name("Whose estimate", in.Estimator, false)
		d.entityType = in.EstimatorType
	case KindEvent:
		if d.DateFrom, err = ParseEvidenceDate("The event's date", in.DateFrom, true); err != nil {
			return d, err
		}
		if d.DateTo, err = ParseEvidenceDate("The end of the event", in.DateTo, false); err != nil {
			return d, err
		}
		if d.DateTo != "" && d.DateTo < d.DateFrom {
			return d, Errorf(EINVALID, "The event ends (%s) before it starts (%s).", d.DateTo, d.DateFrom)
		}
		d.place, err = name("The place", in.Place, false)
	}
	return d, err
}

// CreateEvidenceAnnotation is CreateAnnotation for an annotation with a
// kind: the annotation and its structured fields are stored together or
// not at all. A plain comment goes through CreateAnnotation unchanged.
func (db *DB) CreateEvidenceAnnotation(ctx context.Context, v Viewer, articleID int64, in AnnotationInput, ev EvidenceInput) (Annotation, error) {
	id, err := db.AddEvidenceAnnotation(ctx, v, articleID, in, ev)
	if err != nil {
		return Annotation{}, err
	}
	return db.AnnotationByID(ctx, v, id)
}

// AddEvidenceAnnotation is CreateEvidenceAnnotation returning only the new
// annotation's id, for callers that do not show it (the reader's form
// redirects to it), sparing a read of it back.
func (db *DB) AddEvidenceAnnotation(ctx context.Context, v Viewer, articleID int64, in AnnotationInput, ev EvidenceInput) (int64, error) {
	e, err := prepareEvidence(ev)
	if err != nil {
		return 0, err
	}
	if e.Kind == KindComment {
		return db.addAnnotation(ctx, v, articleID, in, nil)
	}
	if err := v.NameEntity(); err != nil {
		return 0, err
	}
	return db.addAnnotation(ctx, v, articleID, in, func(ctx context.Context, tx *sql.Tx, id int64) error {
		return insertEvidence(ctx, tx, db.now(), id, e)
	})
}

// replaceEvidence gives annotation id the kind in e (a comment: none),
// inside tx.
func replaceEvidence(ctx context.Context, tx *sql.Tx, now string, id int64, e evidenceDraft) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM annotation_evidence WHERE annotation_id = ?`, id); err != nil {
		return fmt.Errorf("db: replace evidence: %w", err)
	}
	if e.Kind == KindComment {
		return nil
	}
	return insertEvidence(ctx, tx, now, id, e)
}

// insertEvidence stores the structured part of annotation id, naming
// entities as needed, inside tx.
func insertEvidence(ctx context.Context, tx *sql.Tx, now string, id int64, e evidenceDraft) error {
	var err error
	if e.entity != "" {
		if e.EntityID, err = resolveEntity(ctx, tx, now, e.entity, e.entityType); err != nil {
			return err
		}
	}
	if e.place != "" {
		if e.PlaceID, err = resolveEntity(ctx, tx, now, e.place, EntityPlace); err != nil {
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
		id, e.Kind, nullID(e.EntityID), low, high, e.Unit, e.Counted, e.RefDate, e.DateFrom, e.DateTo, nullID(e.PlaceID)); err != nil {
		return fmt.Errorf("db: create evidence: %w", err)
	}
	return nil
}

// resolveEntity finds an entity by name or alias, or adds it when a type is
// given. Naming one is open to anyone who may annotate, as tags are.
func resolveEntity(ctx context.Context, tx *sql.Tx, now, name, typ string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM entities WHERE name = ?
		UNION ALL SELECT entity_id FROM entity_aliases WHERE alias = ? LIMIT 1`, name, name).Scan(&id)
	if err == nil {
		return id, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("db: find entity: %w", err)
	}
	if strings.TrimSpace(typ) == "" {
		return 0, Errorf(EINVALID, "There is no entity named “%s” yet: choose whether it is a person, an organization or a place to add it.", name)
	}
	t, err := ParseEntityType(typ)
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
func (db *DB) EntityByID(ctx context.Context, v Viewer, id int64) (Entity, error) {
	e := Entity{ID: id}
	cond, args := v.evidenceWhere("a")
	err := db.queryRow(ctx, `SELECT name, type, (SELECT COUNT(*) FROM annotation_evidence ev CROSS JOIN annotations a ON a.id = ev.annotation_id
		WHERE (ev.entity_id = e.id OR ev.place_id = e.id) AND `+cond+`) FROM entities e WHERE id = ?`, append(args, id)...).Scan(&e.Name, &e.Type, &e.Mentions)
	if err == nil && e.Mentions == 0 && v.CurateEntities() != nil {
		err = sql.ErrNoRows
	}
	if errors.Is(err, sql.ErrNoRows) {
		return e, Errorf(ENOTFOUND, "There is no such entity.")
	} else if err != nil {
		return e, fmt.Errorf("db: entity %d: %w", id, err)
	}
	rows, err := db.query(ctx, `SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY alias`, id)
	if err != nil {
		return e, fmt.Errorf("db: aliases of %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return e, err
		}
		e.Aliases = append(e.Aliases, a)
	}
	return e, rows.Err()
}

// AddAlias gives an entity another name (administrators: entities are
// shared vocabulary, like tag names).
func (db *DB) AddAlias(ctx context.Context, v Viewer, entityID int64, alias string) error {
	if err := v.CurateEntities(); err != nil {
		return err
	}
	a, err := cleanName("The alias", alias, 1, MaxEntityNameLen)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM entities WHERE name = ?) + (SELECT COUNT(*) FROM entity_aliases WHERE alias = ?)`, a, a).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return Errorf(ECONFLICT, "“%s” already names an entity: merge the two instead.", a)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO entity_aliases (alias, entity_id) SELECT ?, id FROM entities WHERE id = ?`, a, entityID)
		if err != nil {
			return fmt.Errorf("db: add alias: %w", err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return Errorf(ENOTFOUND, "There is no such entity.")
		}
		return nil
	})
}

// MergeEntity merges from into into: every annotation that referred to from
// refers to into, and from's name and aliases become aliases of into.
func (db *DB) MergeEntity(ctx context.Context, v Viewer, from, into int64) error {
	if err := v.CurateEntities(); err != nil {
		return err
	}
	if from == into {
		return Errorf(EINVALID, "Choose another entity to merge into.")
	}
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var name string
		if err := tx.QueryRowContext(ctx, `SELECT name FROM entities WHERE id = ?`, from).Scan(&name); errors.Is(err, sql.ErrNoRows) {
			return Errorf(ENOTFOUND, "There is no such entity.")
		} else if err != nil {
			return err
		}
		var ok int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM entities WHERE id = ?`, into).Scan(&ok); err != nil {
			return err
		}
		if ok == 0 {
			return Errorf(EINVALID, "There is no entity to merge into with that id.")
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
		_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO entity_aliases (alias, entity_id) VALUES (?, ?)`, name, into)
		return err
	})
}

// Entities lists the entities that annotations the viewer may see refer
// to, with how many, by name. A name used only in writing the viewer may
// not see stays out of sight like that writing (administrators, who curate
// the vocabulary, get every entity with all set).
func (db *DB) Entities(ctx context.Context, v Viewer, all bool) ([]Entity, error) {
	cond, args := v.evidenceWhere("a")
	having := "WHERE n > 0"
	if all && v.CurateEntities() == nil {
		having = ""
	}
	rows, err := db.query(ctx, `
		SELECT id, name, type, aliases, n FROM (
		SELECT e.id, e.name, e.type, COALESCE((SELECT group_concat(alias, '; ') FROM entity_aliases x WHERE x.entity_id = e.id), '') AS aliases,
		       (SELECT COUNT(*) FROM annotation_evidence ev CROSS JOIN annotations a ON a.id = ev.annotation_id
		        WHERE (ev.entity_id = e.id OR ev.place_id = e.id) AND `+cond+`) AS n
		FROM entities e) `+having+` ORDER BY name`, args...)
	if err != nil {
		return nil, fmt.Errorf("db: entities: %w", err)
	}
	defer rows.Close()
	var out []Entity
	for rows.Next() {
		var e Entity
		var aliases string
		if err := rows.Scan(&e.ID, &e.Name, &e.Type, &aliases, &e.Mentions); err != nil {
			return nil, err
		}
		if aliases != "" {
			e.Aliases = strings.Split(aliases, "; ")
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// EvidenceItem is one visible annotation with its evidence, its article and
// the passage in context.
type EvidenceItem struct {
	Evidence
	AnnotationID   int64
	ArticleSlug    string
	ArticleTitle   string
	Publication    string
	Published      string // YYYY-MM-DD or ''
	Exact          string
	Prefix, Suffix string
	Start, End     int // in the current text
	Body           string
	AuthorName     string
	Tags           []string
}

// EvidenceFilter narrows evidence lists.
type EvidenceFilter struct {
	Kind     string // one kind, or "" for all
	EntityID int64  // refers to this entity (any role)
	Tag      string
}

// EvidenceItems returns the evidence the viewer may see, ordered by
// article date then position in the text.
func (db *DB) EvidenceItems(ctx context.Context, v Viewer, f EvidenceFilter) ([]EvidenceItem, error) {
	cond, args := v.evidenceWhere("a")
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
	rows, err := db.query(ctx, `
		SELECT a.id, ar.slug, ar.title, ar.publication, ar.published_on,
		       COALESCE(a.exact, ''), COALESCE(a.prefix, ''), COALESCE(a.suffix, ''),
		       COALESCE(a.anchor_start, 0), COALESCE(a.anchor_end, 0), a.body, u.name,
		       COALESCE((SELECT group_concat(name, char(31)) FROM (SELECT t.name FROM annotation_tags at
		                 JOIN tags t ON t.id = at.tag_id WHERE at.annotation_id = a.id ORDER BY t.name)), ''),
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
	defer rows.Close()
	var out []EvidenceItem
	for rows.Next() {
		var it EvidenceItem
		var tags string
		if err := rows.Scan(&it.AnnotationID, &it.ArticleSlug, &it.ArticleTitle, &it.Publication, &it.Published,
			&it.Exact, &it.Prefix, &it.Suffix, &it.Start, &it.End, &it.Body, &it.AuthorName, &tags,
			&it.Kind, &it.EntityID, &it.EntityName, &it.HasValue, &it.Low, &it.High, &it.Unit, &it.Counted, &it.RefDate,
			&it.DateFrom, &it.DateTo, &it.PlaceID, &it.PlaceName); err != nil {
			return nil, err
		}
		if tags != "" {
			it.Tags = strings.Split(tags, "\x1f")
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// EvidenceOf returns the evidence of annotations the caller has already
// loaded for a viewer (annotations without a kind are absent).
func (db *DB) EvidenceOf(ctx context.Context, ids []int64) (map[int64]Evidence, error) {
	out := map[int64]Evidence{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	// A list's length varies: only one annotation's is a statement worth
	// keeping prepared (db/stmt.go's cache is bounded).
	query := db.read.QueryContext
	if len(ids) == 1 {
		query = db.query
	}
	rows, err := query(ctx, evidenceSelect+` WHERE ev.annotation_id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("db: evidence of annotations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		id, ev, err := scanEvidence(rows)
		if err != nil {
			return nil, err
		}
		out[id] = ev
	}
	return out, rows.Err()
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

func scanEvidence(rows *sql.Rows) (int64, Evidence, error) {
	var id int64
	var ev Evidence
	err := rows.Scan(&id, &ev.Kind, &ev.EntityID, &ev.EntityName, &ev.entityType, &ev.HasValue, &ev.Low, &ev.High, &ev.Unit, &ev.Counted,
		&ev.RefDate, &ev.DateFrom, &ev.DateTo, &ev.PlaceID, &ev.PlaceName)
	return id, ev, err
}

// AttachEvidence fills Evidence on annotations the caller has already
// loaded for a viewer, for their W3C form (the protocol's responses).
func (db *DB) AttachEvidence(ctx context.Context, list ...*Annotation) error {
	ids := make([]int64, len(list))
	for i, a := range list {
		ids[i] = a.ID
	}
	evs, err := db.EvidenceOf(ctx, ids)
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

// FigureGroup is every visible figure claimed for one thing counted (in
// one unit), in the order of the articles' dates.
type FigureGroup struct {
	Counted string
	Unit    string
	Figures []EvidenceItem
}

// Figures groups the visible figures by what is counted (ignoring case) and
// unit; groups come by name, figures by article date then text order.
func (db *DB) Figures(ctx context.Context, v Viewer, f EvidenceFilter) ([]FigureGroup, error) {
	f.Kind = KindFigure
	items, err := db.EvidenceItems(ctx, v, f)
	if err != nil {
		return nil, err
	}
	idx := map[string]int{}
	var out []FigureGroup
	for _, it := range items {
		key := strings.ToLower(it.Counted) + "\x00" + strings.ToLower(it.Unit)
		i, ok := idx[key]
		if !ok {
			i = len(out)
			idx[key] = i
			out = append(out, FigureGroup{Counted: it.Counted, Unit: it.Unit})
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
func (db *DB) EvidenceCounted(ctx context.Context, v Viewer) ([]string, error) {
	cond, args := v.evidenceWhere("a")
	return db.strings(ctx, `
		WITH c(counted) AS (SELECT DISTINCT counted FROM annotation_evidence WHERE kind = 'figure' AND counted <> '')
		SELECT counted FROM c WHERE EXISTS (
			SELECT 1 FROM annotation_evidence ev CROSS JOIN annotations a ON a.id = ev.annotation_id
			WHERE ev.kind = 'figure' AND ev.counted = c.counted AND `+cond+`)
		ORDER BY counted`, args...)
}

// evidenceWhere is what the evidence views show of an annotation: what the
// viewer may read, top-level and not orphaned. Counts, menus and
// suggestions use it as the lists do, so that an entity counted in Voices
// has passages to show.
func (v Viewer) evidenceWhere(alias string) (string, []any) {
	cond, args := v.visibleWhere(alias)
	return cond + " AND " + alias + ".parent_id IS NULL AND COALESCE(" + alias + ".anchor_status, '') <> 'orphaned'", args
}

// seenEntities is a CTE of the ids of the entities the viewer sees (those
// Entities lists): it asks only whether a visible mention exists, where
// Entities counts them all, and asks it of mentions and places apart (one OR
// made SQLite collect every row of both before looking at one). Its
// arguments are the viewer's condition's, twice.
func (v Viewer) seenEntities() (string, []any) {
	cond, args := v.evidenceWhere("a")
	return `seen(id) AS (SELECT e.id FROM entities e WHERE EXISTS (
			SELECT 1 FROM annotation_evidence ev CROSS JOIN annotations a ON a.id = ev.annotation_id
			WHERE ev.entity_id = e.id AND ` + cond + `) OR EXISTS (
			SELECT 1 FROM annotation_evidence ev CROSS JOIN annotations a ON a.id = ev.annotation_id
			WHERE ev.place_id = e.id AND ` + cond + `))`, append(slices.Clip(args), args...)
}

// EntityNames lists the names and aliases of the entities the viewer sees,
// for the annotate form's suggestions (whenever the Kind fields open).
func (db *DB) EntityNames(ctx context.Context, v Viewer) ([]string, error) {
	seen, args := v.seenEntities()
	out, err := db.strings(ctx, `WITH `+seen+`
		SELECT name FROM entities WHERE id IN seen
		UNION ALL SELECT alias FROM entity_aliases WHERE entity_id IN seen`, args...)
	sort.Strings(out)
	return out, err
}

// EntityChoices lists the entities the viewer sees, by name, without
// counting their mentions: for filters and menus (Entities counts, which
// reads every mention: 0.3 s on a million annotations with 42,000 of them
// evidence). all, for those who curate entities, lists every one.
func (db *DB) EntityChoices(ctx context.Context, v Viewer, all bool) ([]Entity, error) {
	q, args := `SELECT id, name, type FROM entities ORDER BY name`, []any(nil)
	if !all || v.CurateEntities() != nil {
		var seen string
		seen, args = v.seenEntities()
		q = `WITH ` + seen + ` SELECT id, name, type FROM entities WHERE id IN seen ORDER BY name`
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("db: entity choices: %w", err)
	}
	defer rows.Close()
	var out []Entity
	for rows.Next() {
		var e Entity
		if err := rows.Scan(&e.ID, &e.Name, &e.Type); err != nil {
			return nil, fmt.Errorf("db: entity choices: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// The JSON-LD mapping. An annotation with a kind carries one more
// TextualBody: its value says the fields in words (for any client), its
// purpose is "identifying" for an entity and "describing" otherwise, and
// the fields are properties in the gloss: namespace (documented in the
// docs/features.md, "Evidence"):
//
//	gloss:kind        entity | quote | figure | event
//	gloss:entity      name of the entity mentioned (entity), the speaker
//	                  (quote) or whose estimate it is (figure)
//	gloss:entityType  person | organization | place
//	gloss:low, gloss:high   numbers (figure; equal for one value)
//	gloss:unit, gloss:counted, gloss:refDate   (figure)
//	gloss:dateFrom, gloss:dateTo, gloss:place  (event)

// W3CEvidence is the gloss: part of an evidence body.
type W3CEvidence struct {
	Kind       string   `json:"gloss:kind"`
	Entity     string   `json:"gloss:entity,omitempty"`
	EntityType string   `json:"gloss:entityType,omitempty"`
	Low        *float64 `json:"gloss:low,omitempty"`
	High       *float64 `json:"gloss:high,omitempty"`
	Unit       string   `json:"gloss:unit,omitempty"`
	Counted    string   `json:"gloss:counted,omitempty"`
	RefDate    string   `json:"gloss:refDate,omitempty"`
	DateFrom   string   `json:"gloss:dateFrom,omitempty"`
	DateTo     string   `json:"gloss:dateTo,omitempty"`
	Place      string   `json:"gloss:place,omitempty"`
}

// Fields are the evidence as the formatter (db/evidence) takes it.
func (e Evidence) Fields() evidence.Fields {
	name := e.EntityName
	return evidence.Fields{Kind: e.Kind, Entity: name, HasValue: e.HasValue, Low: e.Low, High: e.High, Unit: e.Unit,
		Counted: e.Counted, RefDate: e.RefDate, DateFrom: e.DateFrom, DateTo: e.DateTo, Place: e.PlaceName}
}

func evidenceBody(e *Evidence) W3CBody {
	purpose := "describing"
	if e.Kind == KindEntity {
		purpose = "identifying"
	}
	w := &W3CEvidence{Kind: e.Kind, Entity: e.EntityName, EntityType: e.entityType, Unit: e.Unit, Counted: e.Counted,
		RefDate: e.RefDate, DateFrom: e.DateFrom, DateTo: e.DateTo, Place: e.PlaceName}
	if e.HasValue {
		low, high := e.Low, e.High
		w.Low, w.High = &low, &high
	}
	return W3CBody{Type: TextualBody, Value: evidence.Summary(e.Fields()), Format: "text/plain", Purpose: purpose, W3CEvidence: w}
}

// parseEvidenceBody reads a body with gloss:kind into the form's input, so
// the import validates it exactly as the annotate form does.
func parseEvidenceBody(b map[string]json.RawMessage) (EvidenceInput, error) {
	var w W3CEvidence
	raw, _ := json.Marshal(b)
	if err := json.Unmarshal(raw, &w); err != nil {
		return EvidenceInput{}, Errorf(EINVALID, "A body with “gloss:kind” has a field of the wrong type: numbers for gloss:low and gloss:high, strings otherwise.")
	}
	num := func(f *float64) string {
		if f == nil {
			return ""
		}
		return strconv.FormatFloat(*f, 'f', -1, 64)
	}
	in := EvidenceInput{Kind: w.Kind, Low: num(w.Low), High: num(w.High), Unit: w.Unit, Counted: w.Counted, RefDate: w.RefDate,
		DateFrom: w.DateFrom, DateTo: w.DateTo, Place: w.Place}
	switch w.Kind {
	case KindEntity:
		in.Entity, in.EntityType = w.Entity, w.EntityType
	case KindQuote:
		in.Speaker, in.SpeakerType = w.Entity, w.EntityType
	case KindFigure:
		in.Estimator, in.EstimatorType = w.Entity, w.EntityType
	case KindComment, "":
		return in, Errorf(EINVALID, "“gloss:kind” must be entity, quote, figure or event.")
	}
	if _, err := prepareEvidence(in); err != nil {
		return in, err
	}
	return in, nil
}

// importEvidence stores an imported annotation's kind, inside the import's
// transaction.
func (db *DB) importEvidence(ctx context.Context, tx *sql.Tx, id int64, in EvidenceInput) error {
	if in.Kind == "" {
		return nil
	}
	e, err := prepareEvidence(in)
	if err != nil || e.Kind == KindComment {
		return err
	}
	return insertEvidence(ctx, tx, db.now(), id, e)
}

// exportEvidence fills Evidence for an export's annotations through the
// export's condition (not a list of ids, which could pass SQLite's limit on
// parameters).
// query is the export's transaction's QueryContext or the read pool's.
func exportEvidence(ctx context.Context, query func(context.Context, string, ...any) (*sql.Rows, error), cond string, args []any, byID map[int64]*Annotation) error {
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

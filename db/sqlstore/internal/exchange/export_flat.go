package exchange

import (
	"context"
	"database/sql"
	"fmt"

	"gloss/db"
	"gloss/db/sqlstore/internal/content"
	"gloss/db/sqlstore/internal/core"
)

// ExportFlat returns, from one snapshot in three queries, the
// annotations and notes a JSON-LD export holds: exactly what the viewer may see, as
// the protocol's containers show it (VisibleWhere: hidden ones only to
// their authors and the group's owners), of one article, one group's
// (its members only), one collection's, or everywhere (signed-in people
// only).
func (store *Exchange) ExportFlat(ctx context.Context, v db.Viewer, s db.ExportScope) (db.FlatExport, error) {
	out := db.FlatExport{RevisionSHA256: map[int64]string{}, NoteSlugs: map[int64]string{}}
	if err := v.CheckExport(s); err != nil {
		return out, err
	}
	cond, args := core.VisibleWhere(v, "a")
	if s.ArticleID != 0 {
		cond += " AND a.article_id = ?"
		args = append(args, s.ArticleID)
	}
	if s.GroupID != 0 {
		cond += " AND a.visibility = 'group' AND a.group_id = ?"
		args = append(args, s.GroupID)
	}
	if s.CollectionID != 0 {
		cond += " AND " + collectionChosen
		args = append(args, s.CollectionID, s.CollectionID)
	}
	tx, end, err := store.BeginRead(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return out, fmt.Errorf("db: export json-ld: %w", err)
	}
	defer end()

	ncond, nargs := noteExportWhere(v, s)
	var total, notes int
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM annotations a WHERE `+cond+`), (SELECT COUNT(*) FROM notes n WHERE `+ncond+`)`,
		append(append([]any{}, args...), nargs...)...).Scan(&total, &notes); err != nil {
		return out, fmt.Errorf("db: export json-ld: count: %w", err)
	}
	if total+notes > db.MaxFlatExport {
		return out, db.Errorf(db.EINVALID, "This export would hold %d annotations and notes; one file holds at most %d. Export each article or group, or read the protocol container page by page (/annotations/?page=0).", total+notes, db.MaxFlatExport)
	}
	if err := exportFlatNotes(ctx, tx, ncond, nargs, &out); err != nil {
		return out, err
	}

	rows, err := tx.QueryContext(ctx, content.AnnotationSelect+` WHERE `+cond+` ORDER BY a.id`, args...)
	if err != nil {
		return out, fmt.Errorf("db: export json-ld: %w", err)
	}
	byID := make(map[int64]*db.Annotation, total)
	for rows.Next() {
		a, err := content.ScanAnnotation(rows)
		if err != nil {
			rows.Close()
			return out, fmt.Errorf("db: export json-ld: %w", err)
		}
		out.Annotations = append(out.Annotations, a)
		byID[a.ID] = a
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("db: export json-ld: %w", err)
	}

	// Tags and hashes through the same condition, not a list of ids, which
	// could pass SQLite's limit on parameters.
	trows, err := tx.QueryContext(ctx, `SELECT at.annotation_id, t.name FROM annotation_tags at
		JOIN tags t ON t.id = at.tag_id JOIN annotations a ON a.id = at.annotation_id
		WHERE `+cond+` ORDER BY t.name`, args...)
	if err != nil {
		return out, fmt.Errorf("db: export json-ld: tags: %w", err)
	}
	for trows.Next() {
		var id int64
		var name string
		if err := trows.Scan(&id, &name); err != nil {
			trows.Close()
			return out, err
		}
		if a, ok := byID[id]; ok {
			a.Tags = append(a.Tags, name)
		}
	}
	trows.Close()
	if err := trows.Err(); err != nil {
		return out, fmt.Errorf("db: export json-ld: tags: %w", err)
	}
	if err := content.ExportEvidence(ctx, tx.QueryContext, cond, args, byID); err != nil { // evidence.go
		return out, err
	}

	hrows, err := tx.QueryContext(ctx, `SELECT r.id, r.sha256 FROM article_revisions r
		WHERE r.id IN (SELECT a.revision_id FROM annotations a WHERE `+cond+`)`, args...)
	if err != nil {
		return out, fmt.Errorf("db: export json-ld: revisions: %w", err)
	}
	defer hrows.Close()
	for hrows.Next() {
		var id int64
		var sum string
		if err := hrows.Scan(&id, &sum); err != nil {
			return out, err
		}
		out.RevisionSHA256[id] = sum
	}
	if err := hrows.Err(); err != nil {
		return out, err
	}
	if s.Pseudonymize {
		out.Pseudonymize()
	}
	return out, nil
}

// exportFlatNotes fills the export's notes and their articles' slugs.
func exportFlatNotes(ctx context.Context, tx *sql.Tx, cond string, args []any, out *db.FlatExport) error {
	rows, err := tx.QueryContext(ctx, content.NoteSelect+` WHERE `+cond+` ORDER BY n.id`, args...)
	if err != nil {
		return fmt.Errorf("db: export json-ld: notes: %w", err)
	}
	if out.Notes, err = content.ScanNotes(rows); err != nil {
		return fmt.Errorf("db: export json-ld: notes: %w", err)
	}
	srows, err := tx.QueryContext(ctx, `SELECT id, slug FROM articles WHERE id IN (SELECT n.article_id FROM notes n WHERE `+cond+`)`, args...)
	if err != nil {
		return fmt.Errorf("db: export json-ld: note articles: %w", err)
	}
	defer srows.Close()
	for srows.Next() {
		var id int64
		var slug string
		if err := srows.Scan(&id, &slug); err != nil {
			return err
		}
		out.NoteSlugs[id] = slug
	}
	return srows.Err()
}

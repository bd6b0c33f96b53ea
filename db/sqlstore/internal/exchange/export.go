package exchange

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"gloss/db"
	"gloss/db/sqlstore/internal/content"
	"gloss/db/sqlstore/internal/core"
)

// exportWhere is the condition on annotations (alias a) for an export: the
// reader's thread rule with nothing hidden by moderation in the thread (an
// export leaves the group where the moderation applies; PublishableSQL),
// and the scope.
func exportWhere(v db.Viewer, s db.ExportScope) (string, []any) {
	cond, args := core.PublishableSQL(v, "a")
	where := []string{cond}
	if s.ArticleID != 0 {
		where = append(where, "a.article_id = ?")
		args = append(args, s.ArticleID)
	}
	if s.GroupID != 0 {
		where = append(where, "a.visibility = 'group' AND a.group_id = ?")
		args = append(args, s.GroupID)
	}
	if s.CollectionID != 0 {
		where = append(where, collectionChosen)
		args = append(args, s.CollectionID, s.CollectionID)
	}
	return strings.Join(where, " AND "), args
}

// collectionChosen keeps annotations chosen in a collection, with replies
// to them (two parameters: the collection id twice).
const collectionChosen = `(a.id IN (SELECT cia.annotation_id FROM collection_item_annotations cia
	JOIN collection_items ci ON ci.id = cia.item_id WHERE ci.collection_id = ?)
 OR a.parent_id IN (SELECT cia.annotation_id FROM collection_item_annotations cia
	JOIN collection_items ci ON ci.id = cia.item_id WHERE ci.collection_id = ?))`

// ExportAnnotations returns what an export holds, in four queries whatever
// its size: annotations, their tags, their articles, those articles'
// authors. Articles come newest first; an article export holds its article
// even when it has no annotations the viewer may see.
func (store *Exchange) ExportAnnotations(ctx context.Context, v db.Viewer, s db.ExportScope) ([]db.ExportArticle, error) {
	if err := v.CheckExport(s); err != nil {
		return nil, err
	}
	cond, args := exportWhere(v, s)

	rows, err := store.Query(ctx, content.AnnotationSelect+` WHERE `+cond+` ORDER BY a.created_at, a.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("db: export annotations: %w", err)
	}
	all, err := core.ScanAll(rows, content.ScanAnnotation)
	if err != nil {
		return nil, fmt.Errorf("db: export annotations: %w", err)
	}
	byID := map[int64]*db.Annotation{}
	for _, a := range all {
		byID[a.ID] = a
	}

	// Tags through the same condition, not a list of ids: an export of a
	// large library would pass SQLite's limit on parameters.
	trows, err := store.Query(ctx, `SELECT at.annotation_id, t.name FROM annotation_tags at
		JOIN tags t ON t.id = at.tag_id JOIN annotations a ON a.id = at.annotation_id
		WHERE `+cond+` ORDER BY t.name`, args...)
	if err != nil {
		return nil, fmt.Errorf("db: export tags: %w", err)
	}
	if err := core.EachRow(trows, func(r *sql.Rows) error {
		var id int64
		var name string
		if err := r.Scan(&id, &name); err != nil {
			return err
		}
		if a, ok := byID[id]; ok {
			a.Tags = append(a.Tags, name)
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("db: export tags: %w", err)
	}

	// Kinds and their fields (the Markdown says them in words).
	if err := content.ExportEvidence(ctx, store.Query, cond, args, byID); err != nil { // evidence.go
		return nil, err
	}

	notes, ncond, nargs, err := store.exportNotes(ctx, v, s)
	if err != nil {
		return nil, err
	}

	// The articles: the one asked for, or those the annotations and notes are on.
	artWhere := `a.id IN (SELECT a.article_id FROM annotations a WHERE ` + cond + `)
		OR a.id IN (SELECT n.article_id FROM notes n WHERE ` + ncond + `)`
	artArgs := append(append([]any{}, args...), nargs...)
	if s.ArticleID != 0 {
		artWhere, artArgs = `a.id = ?`, []any{s.ArticleID}
	}
	arows, err := store.Query(ctx, `SELECT `+content.ArticleColumns+` FROM articles a `+content.CurrentRevision+`
		WHERE `+artWhere+` ORDER BY a.published_on DESC, a.title COLLATE NOCASE, a.id`, artArgs...)
	if err != nil {
		return nil, fmt.Errorf("db: export articles: %w", err)
	}
	arts, err := core.ScanAll(arows, content.ArticleOf)
	if err != nil {
		return nil, fmt.Errorf("db: export articles: %w", err)
	}
	var out []db.ExportArticle
	index := map[int64]int{}
	for _, art := range arts {
		index[art.ID] = len(out)
		out = append(out, db.ExportArticle{Article: art})
	}
	if s.ArticleID != 0 && len(out) == 0 {
		return nil, db.Errorf(db.ENOTFOUND, "There is no such article.")
	}

	aurows, err := store.Query(ctx, `SELECT au.article_id, au.name FROM article_authors au
		WHERE au.article_id IN (SELECT a.id FROM articles a WHERE `+artWhere+`) ORDER BY au.article_id, au.position`, artArgs...)
	if err != nil {
		return nil, fmt.Errorf("db: export authors: %w", err)
	}
	if err := core.EachRow(aurows, func(r *sql.Rows) error {
		var id int64
		var name string
		if err := r.Scan(&id, &name); err != nil {
			return err
		}
		if i, ok := index[id]; ok {
			out[i].Authors = append(out[i].Authors, name)
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("db: export authors: %w", err)
	}

	perArticle := map[int64][]*db.Annotation{}
	for _, a := range all {
		perArticle[a.ArticleID] = append(perArticle[a.ArticleID], a)
	}
	notesOf := map[int64][]db.Note{}
	for _, n := range notes {
		notesOf[n.ArticleID] = append(notesOf[n.ArticleID], n)
	}
	for i := range out {
		out[i].Annotations = content.Thread(perArticle[out[i].ID])
		out[i].Notes = notesOf[out[i].ID]
	}
	if s.Pseudonymize {
		db.Pseudonymize(out)
	}
	return out, nil
}

// exportNotes returns the notes an export holds (none for a collection,
// whose items choose annotations), and the condition on notes (alias n) it
// used, with its arguments.
func (store *Exchange) exportNotes(ctx context.Context, v db.Viewer, s db.ExportScope) ([]db.Note, string, []any, error) {
	cond, args := noteExportWhere(v, s)
	rows, err := store.Query(ctx, content.NoteSelect+` WHERE `+cond+` ORDER BY n.created_at, n.id`, args...)
	if err != nil {
		return nil, "", nil, fmt.Errorf("db: export notes: %w", err)
	}
	notes, err := content.ScanNotes(rows)
	if err != nil {
		return nil, "", nil, fmt.Errorf("db: export notes: %w", err)
	}
	return notes, cond, args, nil
}

// noteExportWhere is the condition on notes (alias n) for an export: the
// reader's visibility rule and the scope; a collection holds no notes.
func noteExportWhere(v db.Viewer, s db.ExportScope) (string, []any) {
	cond, args := core.VisibleSQL(v, "n")
	if s.CollectionID != 0 {
		return "FALSE", nil
	}
	if s.ArticleID != 0 {
		cond += " AND n.article_id = ?"
		args = append(args, s.ArticleID)
	}
	if s.GroupID != 0 {
		cond += " AND n.visibility = 'group' AND n.group_id = ?"
		args = append(args, s.GroupID)
	}
	return cond, args
}

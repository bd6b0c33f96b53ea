package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"gloss/db"
	"gloss/db/sqlstore/internal/core"
	"gloss/migrations"
)

// TestSearchUpgrade opens a database made by the Gloss before migration
// 0016 (schema 15, its FTS5 indexes and queue): opening it migrates, and
// rebuilds the index with progress, so that what was written before is
// found by stem, tag name and inside CJK text.
func TestSearchUpgrade(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	ms, err := core.LoadMigrations(migrations.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms[:15] {
		if _, err := old.Exec(m.SQL()); err != nil {
			t.Fatalf("%s: %v", m.Name(), err)
		}
	}
	const now = "2025-01-01T00:00:00.000Z"
	for _, q := range []string{
		`PRAGMA user_version = 15`,
		`INSERT INTO users (id, email, name, password_hash, created_at, updated_at) VALUES (1, 'a@example.org', 'A', 'x', '` + now + `', '` + now + `')`,
		`INSERT INTO articles (id, slug, title, publication, published_on, created_at, updated_at) VALUES (1, 'a', 'Deportations', '', '', '` + now + `', '` + now + `')`,
		`INSERT INTO article_revisions (id, article_id, number, body, sha256, words, created_at) VALUES (1, 1, 1, 'Refugees were deported. 탈북자들은 중국에 숨어 산다.', 'x', 8, '` + now + `')`,
		`INSERT INTO annotations (id, article_id, author_id, body, body_html, visibility, revision_id, pos_start, pos_end, exact,
			anchor_revision_id, anchor_start, anchor_end, anchor_status, created_at, updated_at)
			VALUES (1, 1, 1, 'Repatriation was feared.', '', 'public', 1, 0, 8, 'Refugees', 1, 0, 8, 'anchored', '` + now + `', '` + now + `')`,
		`INSERT INTO tags (id, name) VALUES (1, 'figures')`,
		`INSERT INTO annotation_tags (annotation_id, tag_id) VALUES (1, 1)`,
	} {
		if _, err := old.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	old.Close()

	var progress []string
	store, err := OpenSQLite(ctx, path, Options{Reindexing: func(index string, done, total int) {
		progress = append(progress, fmt.Sprintf("%s %d/%d", index, done, total))
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if want := []string{"articles 1/1", "annotations 1/1", "notes 0/0"}; !slices.Equal(progress, want) {
		t.Errorf("progress %v, want %v", progress, want)
	}
	if cur, known, err := store.SchemaVersion(ctx); err != nil || cur != known {
		t.Fatalf("schema %d of %d: %v", cur, known, err)
	}
	for q, want := range map[string]int{"deport": 1, "repatriate": 1, "figures": 1, "tag:figures": 1, "중국": 1, "숨어": 1} {
		res, err := store.Search(ctx, db.Anonymous, q, db.SearchFilter{}, 1, 10)
		if err != nil {
			t.Fatal(err)
		}
		if res.Total < want {
			t.Errorf("%q finds %d, want %d", q, res.Total, want)
		}
	}
	if err := store.CheckSearchIndex(ctx); err != nil {
		t.Error(err)
	}
}

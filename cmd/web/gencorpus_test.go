package main

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"gloss/db"
	"gloss/db/sqlite"
)

func TestGenCorpusCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	digest := func(path string) string {
		conn, err := sql.Open("sqlite", "file:"+path)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var s string
		if err := conn.QueryRow(`SELECT (SELECT count(*) FROM annotations) || ':' || (SELECT count(*) FROM notes) || ':' ||
			(SELECT count(*) FROM group_members) || ':' || (SELECT group_concat(exact, '|') FROM (SELECT exact FROM annotations ORDER BY id LIMIT 50)) || ':' ||
			(SELECT group_concat(kind || annotation_id, ' ') FROM annotation_evidence)`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	var digests []string
	for _, name := range []string{"a.db", "b.db"} {
		path := filepath.Join(dir, name)
		var out bytes.Buffer
		args := []string{"-db", path, "gen-corpus", "-articles", "20", "-annotations", "400", "-notes", "1", "-users", "30", "-groups", "3"}
		if err := run(ctx, args, noEnv, nil, &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "20 articles, 400 annotations (60 replies), 20 notes, 30 users in 3 groups") {
			t.Errorf("output %q", out.String())
		}
		digests = append(digests, digest(path))
		// The evidence views have something to show, and it holds together.
		conn, err := sql.Open("sqlite", "file:"+path)
		if err != nil {
			t.Fatal(err)
		}
		var kinds, top, dangling int
		if err := conn.QueryRow(`SELECT (SELECT count(DISTINCT kind) FROM annotation_evidence),
			(SELECT count(*) FROM annotation_evidence ev JOIN annotations a ON a.id = ev.annotation_id WHERE a.parent_id IS NULL),
			(SELECT count(*) FROM annotation_evidence WHERE kind = 'event' AND (date_from = '' OR place_id IS NULL)
			    OR kind = 'figure' AND (low IS NULL OR low > high OR counted = '')
			    OR kind IN ('entity', 'quote') AND entity_id IS NULL)`).Scan(&kinds, &top, &dangling); err != nil {
			t.Fatal(err)
		}
		conn.Close()
		if kinds == 0 || top == 0 || dangling != 0 {
			t.Errorf("evidence: %d kinds on %d top-level annotations, %d incomplete", kinds, top, dangling)
		}
		// Without -password nobody signs in as a generated user: a refusal,
		// not a server error over a hash that is not one.
		store, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.Authenticate(ctx, "user1@example.org", "anything at all"); db.ErrorCode(err) != db.EUNAUTHORIZED {
			t.Errorf("signing in as a generated user without -password: %v", err)
		}
		store.Close()
		if err := run(ctx, args, noEnv, nil, &out); err == nil || !strings.Contains(err.Error(), "not a new database") {
			t.Errorf("a second run into the same file: %v", err)
		}
	}
	if digests[0] != digests[1] {
		t.Error("two runs made different corpora")
	}
}

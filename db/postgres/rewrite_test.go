package postgres

import "testing"

func TestRewrite(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`SELECT id FROM t WHERE a = ? AND b = ?`, `SELECT id FROM t WHERE a = $1 AND b = $2`},
		{`SELECT '?', "a?" FROM t WHERE x = ?`, `SELECT '?', "a?" FROM t WHERE x = $1`},
		{`SELECT 1 FROM annotations a INDEXED BY annotations_search_idx WHERE a.id = ?`, `SELECT 1 FROM annotations a WHERE a.id = $1`},
		{`FROM ev CROSS JOIN annotations a ON a.id = ev.annotation_id`, `FROM ev JOIN annotations a ON a.id = ev.annotation_id`},
		{`WHERE id IN (SELECT CAST(value AS BIGINT) FROM json_each(?))`, `WHERE id IN (SELECT CAST(value AS BIGINT) FROM jsonb_array_elements_text(CAST($1 AS jsonb)))`},
		{`ORDER BY a.title COLLATE NOCASE, a.id`, `ORDER BY lower(a.title), a.id`},
		{`ORDER BY name COLLATE NOCASE`, `ORDER BY lower(name)`},
		{`WHERE id = ? AND (v IS NOT ? OR g IS NOT ?)`, `WHERE id = $1 AND (v IS DISTINCT FROM $2 OR g IS DISTINCT FROM $3)`},
		{`WHERE group_id IS ? AND revoked_at IS NULL`, `WHERE group_id IS NOT DISTINCT FROM $1 AND revoked_at IS NULL`},
		{`SELECT group_concat(name, char(31)) FROM t`, `SELECT string_agg(name, chr(31)) FROM t`},
		{`INSERT OR IGNORE INTO tags (name) VALUES (?)`, `INSERT INTO tags (name) VALUES ($1) ON CONFLICT DO NOTHING`},
		{"INSERT OR IGNORE INTO t (a) SELECT a FROM u WHERE b = ? RETURNING a", "INSERT INTO t (a) SELECT a FROM u WHERE b = $1 ON CONFLICT DO NOTHING RETURNING a"},
		{"\n\t\tINSERT OR IGNORE INTO x (a)\n\t\tVALUES (?)", "\n\t\tINSERT INTO x (a)\n\t\tVALUES ($1) ON CONFLICT DO NOTHING"},
	} {
		if got := rewrite(c.in); got != c.want {
			t.Errorf("rewrite(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
		if got := rewrite(c.in); got != c.want { // from the cache
			t.Errorf("rewrite(%q) again: %q", c.in, got)
		}
	}
}

package postgres

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// The engines share their queries (db/sqlstore), which are written in the
// SQL both understand, with SQLite's placeholders (?) and a few SQLite
// turns of phrase. rewrite turns one into what PostgreSQL takes; the
// turns of phrase it knows are few and listed here, each with the form
// PostgreSQL has for it.
var rewrites = []struct {
	re   *regexp.Regexp
	repl string
}{
	// A query planner's hint to SQLite, which has no statistics.
	{regexp.MustCompile(`\s+INDEXED BY \w+`), ""},
	// SQLite's CROSS JOIN keeps the order of the join as written (another
	// hint); every one in the shared SQL has its ON.
	{regexp.MustCompile(`\bCROSS JOIN\b`), "JOIN"},
	// SQLite's case-folding order (ASCII): PostgreSQL's lower().
	{regexp.MustCompile(`((?:\w+\.)?\w+) COLLATE NOCASE`), "lower($1)"},
	// Null-safe comparison with a parameter.
	{regexp.MustCompile(`\bIS NOT \?`), "IS DISTINCT FROM ?"},
	{regexp.MustCompile(`\bIS \?`), "IS NOT DISTINCT FROM ?"},
	// Aggregating strings.
	{regexp.MustCompile(`\bgroup_concat\(`), "string_agg("},
	{regexp.MustCompile(`\bchar\((\d+)\)`), "chr($1)"},
	// A JSON array's elements, as text (a list of ids or words in one
	// parameter).
	{regexp.MustCompile(`\bjson_each\(\?\)`), "jsonb_array_elements_text(CAST(? AS jsonb))"},
}

// insertOrIgnore is INSERT OR IGNORE, which PostgreSQL says with ON
// CONFLICT DO NOTHING at the end of the statement (before RETURNING).
var insertOrIgnore = regexp.MustCompile(`(?s)^(\s*)INSERT OR IGNORE INTO\b(.*?)(\s+RETURNING\b.*)?$`)

// rewritten caches rewrites by query text. Queries are few, but some
// vary (a list of group ids in a permission condition), so the cache
// stops growing at maxRewritten entries.
var (
	rewritten  sync.Map // string -> string
	nRewritten atomic.Int32
)

const maxRewritten = 4096

// rewrite turns a shared query into PostgreSQL's SQL, numbering its
// parameters ($1, $2, …) in order; a ? inside a quoted string or an
// identifier is left alone.
func rewrite(q string) string {
	if r, ok := rewritten.Load(q); ok {
		return r.(string)
	}
	out := q
	if m := insertOrIgnore.FindStringSubmatch(out); m != nil {
		out = m[1] + "INSERT INTO" + strings.TrimRight(m[2], " \t\n;") + " ON CONFLICT DO NOTHING" + m[3]
	}
	for _, r := range rewrites {
		out = r.re.ReplaceAllString(out, r.repl)
	}
	out = numberParams(out)
	if nRewritten.Load() < maxRewritten {
		if _, loaded := rewritten.LoadOrStore(q, out); !loaded {
			nRewritten.Add(1)
		}
	}
	return out
}

// numberParams replaces each ? outside quotes with $1, $2, ….
func numberParams(q string) string {
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

package sqlstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gloss/db"
	"gloss/db/sqlstore/internal/core"
)

// Copying a whole library from one store to another, of either engine
// (web copy-db): every table that holds what people made, in an order
// that keeps every reference to a row already copied, in one transaction
// on the target, from one snapshot of the source; then the search index
// is rebuilt from what was copied and the copy is verified table by table.

// copyTable is a table copy-db copies.
type copyTable struct {
	name string
	// later are columns whose references may point forward (to a table or
	// a row copied after): copied as NULL, then set once every row is in.
	later []string
	// seeded tables hold rows the migrations put there (counters, a
	// singleton): the target's are replaced, and do not count as data.
	seeded bool
	// query reads the rows, when not every row in any order: parents
	// before their children, for a reference that a check keeps from
	// being set later.
	query string
}

// copyTables are the tables copied, in order: each after the tables it
// refers to.
var copyTables = []copyTable{
	{name: "users", later: []string{"last_group_id"}},
	{name: "groups"},
	{name: "group_members"},
	{name: "invites"},
	{name: "api_tokens"},
	{name: "articles"},
	{name: "article_authors"},
	{name: "article_revisions"},
	{name: "tags"},
	{name: "article_tags"},
	{name: "entities"},
	{name: "entity_aliases"},
	// A reply has a parent and no passage (a check): its parent goes first.
	{name: "annotations", query: `WITH RECURSIVE depth(id, n) AS (
		SELECT id, 0 FROM annotations WHERE parent_id IS NULL
		UNION ALL SELECT a.id, depth.n + 1 FROM annotations a JOIN depth ON a.parent_id = depth.id)
		SELECT a.* FROM annotations a JOIN depth ON depth.id = a.id ORDER BY depth.n, a.id`},
	{name: "annotation_tags"},
	{name: "annotation_evidence"},
	{name: "moderation_log"},
	{name: "notes"},
	{name: "group_codebook"},
	{name: "collections"},
	{name: "collection_items"},
	{name: "collection_item_annotations"},
	{name: "starter_items"},
	{name: "suggestion_dismissals"},
	// Working together live (issue 18): what people asked for and were told.
	{name: "mentions"},
	{name: "notifications"},
	{name: "notification_mutes"},
	{name: "group_follows"},
	{name: "email_settings"},
	{name: "starter_state", seeded: true},
	{name: "id_counters", seeded: true},
}

// copySkipped are the tables copy-db leaves: sign-ins (a copy signs no one
// in), throttles, the search index, which is rebuilt from the copy, the
// live pages' event log (a stream on the old database cannot resume on
// the new one: it reloads), and the outbox (mail the old deployment was
// sending, which the new one must not send a second time).
var copySkipped = []string{
	"sessions", "user_sessions", "sign_in_throttles",
	"events", "event_log_state", "outbox",
	"search_articles", "search_annotations", "search_notes", "search_words", "search_queue",
}

// CopyOptions are copy-db's choices.
type CopyOptions struct {
	// Force replaces what the target holds; without it, a target that
	// holds data is refused.
	Force bool
	// Progress hears of each table once it is copied, and of the index.
	Progress func(table string, rows int)
}

// CopyReport says what was copied: rows per table, in copy order.
type CopyReport struct {
	Tables []CopiedTable
	Search int // items indexed
}

// CopiedTable is one table's rows and its digest (the same on both sides).
type CopiedTable struct {
	Name   string
	Rows   int
	Digest string
}

// Copy copies every table of src into dst (see copyTables), rebuilds
// dst's search index, and verifies the copy: each table's row count and
// digest (a hash of every row, whatever the engine's types) must be the
// same in both. The copy is one transaction: on any error dst is left as
// it was.
func Copy(ctx context.Context, src, dst *Store, opts CopyOptions) (CopyReport, error) {
	var rep CopyReport
	for _, s := range []*Store{src, dst} {
		if err := s.knowsTables(ctx); err != nil {
			return rep, err
		}
	}
	if cur, known, err := src.SchemaVersion(ctx); err != nil {
		return rep, err
	} else if cur != known {
		return rep, fmt.Errorf("db: %s is at schema %d of %d", src.Name(), cur, known)
	}
	// One snapshot of the source for the copy and its verification.
	var txo *sql.TxOptions
	if src.Dialect() == core.Postgres {
		txo = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	stx, err := src.Reader().BeginTx(ctx, txo)
	if err != nil {
		return rep, fmt.Errorf("db: copy: %w", err)
	}
	defer stx.Rollback()

	err = dst.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := dst.emptyForCopy(ctx, tx, opts.Force); err != nil {
			return err
		}
		deferred := map[string][][2]any{} // table.column -> (id, value)
		for _, t := range copyTables {
			n, err := copyRows(ctx, stx, tx, t, deferred)
			if err != nil {
				return fmt.Errorf("db: copy %s: %w", t.name, err)
			}
			rep.Tables = append(rep.Tables, CopiedTable{Name: t.name, Rows: n})
			if opts.Progress != nil {
				opts.Progress(t.name, n)
			}
		}
		for _, t := range copyTables {
			for _, col := range t.later {
				if err := setLater(ctx, tx, t.name, col, deferred[t.name+"."+col]); err != nil {
					return fmt.Errorf("db: copy %s.%s: %w", t.name, col, err)
				}
			}
		}
		if dst.Dialect() == core.Postgres {
			if err := core.ResetIdentities(ctx, tx); err != nil {
				return err
			}
		}
		// The index is made from what was copied, not queued row by row.
		if _, err := tx.ExecContext(ctx, `DELETE FROM search_queue`); err != nil {
			return err
		}
		var progress func(string, int, int)
		if opts.Progress != nil {
			progress = func(index string, done, total int) {
				if done == total {
					opts.Progress("search index: "+index, done)
				}
			}
		}
		rep.Search, err = dst.RebuildSearch(ctx, tx, progress)
		return err
	})
	if err != nil {
		return rep, err
	}
	// Verify: what the source's snapshot holds, the target now holds.
	for i, t := range rep.Tables {
		want, n, err := tableDigest(ctx, stx, t.Name)
		if err != nil {
			return rep, fmt.Errorf("db: verify %s: %w", t.Name, err)
		}
		got, m, err := tableDigest(ctx, dst.Reader(), t.Name)
		if err != nil {
			return rep, fmt.Errorf("db: verify %s: %w", t.Name, err)
		}
		if n != m || want != got {
			return rep, fmt.Errorf("db: verify %s: the source has %d rows (digest %s), the copy %d (%s)", t.Name, n, want[:12], m, got[:12])
		}
		rep.Tables[i].Digest = want
	}
	return rep, nil
}

// knowsTables checks that the store's tables are exactly those copy-db
// copies or skips: a table this code does not know would not be copied.
func (store *Store) knowsTables(ctx context.Context) error {
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'
		AND name NOT LIKE 'search_%_data' AND name NOT LIKE 'search_%_idx' AND name NOT LIKE 'search_%_docsize' AND name NOT LIKE 'search_%_config'`
	if store.Dialect() == core.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'gloss_schema'`
	}
	rows, err := store.Reader().QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("db: tables of %s: %w", store.Name(), err)
	}
	names, err := core.ScanColumn[string](rows)
	if err != nil {
		return fmt.Errorf("db: tables of %s: %w", store.Name(), err)
	}
	if store.Dialect() == core.SQLite {
		names = append(names, "search_articles", "search_annotations", "search_notes") // virtual
	}
	for _, n := range names {
		if !slices.ContainsFunc(copyTables, func(t copyTable) bool { return t.name == n }) && !slices.Contains(copySkipped, n) {
			return fmt.Errorf("db: %s has a table this Gloss does not know (%s): copy with the Gloss that made it", store.Name(), n)
		}
	}
	return nil
}

// emptyForCopy makes the target ready: refused when it holds data unless
// force, in which case everything it holds is deleted (in reverse order,
// sign-ins included).
func (store *Store) emptyForCopy(ctx context.Context, tx *sql.Tx, force bool) error {
	if !force {
		for _, t := range copyTables {
			if t.seeded {
				continue
			}
			var n int
			// Table names are our constants, not input.
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM `+t.name+` LIMIT 1) AS any_row`).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return db.Errorf(db.ECONFLICT, "%s already holds data (%s): copy into a new, empty database, or give -force to replace everything it holds", store.Name(), t.name)
			}
		}
	}
	for _, t := range []string{"sessions", "user_sessions", "sign_in_throttles"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
			return err
		}
	}
	for _, t := range slices.Backward(copyTables) {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t.name); err != nil {
			return fmt.Errorf("db: empty %s: %w", t.name, err)
		}
	}
	return nil
}

// copyRows copies table t from src to dst in batches of many rows, its
// later columns as NULL (kept in deferred), and returns how many rows.
func copyRows(ctx context.Context, src, dst *sql.Tx, t copyTable, deferred map[string][][2]any) (int, error) {
	q := t.query
	if q == "" {
		q = `SELECT * FROM ` + t.name
	}
	rows, err := src.QueryContext(ctx, q)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	later := make([]int, 0, len(t.later))
	for _, c := range t.later {
		i := slices.Index(cols, c)
		if i < 0 || !slices.Contains(cols, "id") {
			return 0, fmt.Errorf("no column %s (or id) to set later", c)
		}
		later = append(later, i)
	}
	idCol := slices.Index(cols, "id")
	// Both engines take a few thousand parameters in one statement.
	per := max(1, min(500, 30000/len(cols)))
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	insert := func(n int, args []any) error {
		q := `INSERT INTO ` + t.name + ` (` + strings.Join(cols, ", ") + `) VALUES ` + strings.TrimSuffix(strings.Repeat(one+", ", n), ", ")
		_, err := dst.ExecContext(ctx, q, args...)
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var args []any
	total, inBatch := 0, 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return total, err
		}
		for _, i := range later {
			if vals[i] != nil {
				key := t.name + "." + cols[i]
				deferred[key] = append(deferred[key], [2]any{vals[idCol], vals[i]})
				vals[i] = nil
			}
		}
		args = append(args, vals...)
		inBatch++
		total++
		if inBatch == per {
			if err := insert(inBatch, args); err != nil {
				return total, err
			}
			args, inBatch = args[:0], 0
		}
	}
	if err := rows.Err(); err != nil {
		return total, err
	}
	if inBatch > 0 {
		if err := insert(inBatch, args); err != nil {
			return total, err
		}
	}
	return total, nil
}

// setLater sets a column put off by copyRows, row by row id.
func setLater(ctx context.Context, tx *sql.Tx, table, col string, pairs [][2]any) error {
	stmt, err := tx.PrepareContext(ctx, `UPDATE `+table+` SET `+col+` = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, p := range pairs {
		if _, err := stmt.ExecContext(ctx, p[1], p[0]); err != nil {
			return err
		}
	}
	return nil
}

// tableDigest hashes every row of table, whatever engine holds it: each
// row's values by column name, in a form that does not depend on the
// engine's types (an integer is an integer whether int32 or int64), the
// rows' hashes sorted (engines order text differently).
func tableDigest(ctx context.Context, q core.Querier, table string) (string, int, error) {
	rows, err := q.QueryContext(ctx, `SELECT * FROM `+table)
	if err != nil {
		return "", 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", 0, err
	}
	order := make([]int, len(cols))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(cols[a], cols[b]) })
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var hashes [][sha256.Size]byte
	var buf bytes.Buffer
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return "", 0, err
		}
		buf.Reset()
		for _, i := range order {
			buf.WriteString(cols[i])
			buf.WriteByte('=')
			canonical(&buf, vals[i])
			buf.WriteByte(0)
		}
		hashes = append(hashes, sha256.Sum256(buf.Bytes()))
	}
	if err := rows.Err(); err != nil {
		return "", 0, err
	}
	slices.SortFunc(hashes, func(a, b [sha256.Size]byte) int { return bytes.Compare(a[:], b[:]) })
	h := sha256.New()
	for _, r := range hashes {
		h.Write(r[:])
	}
	return hex.EncodeToString(h.Sum(nil)), len(hashes), nil
}

// canonical writes v in a form shared by both engines' drivers.
func canonical(b *bytes.Buffer, v any) {
	switch v := v.(type) {
	case nil:
		b.WriteString("N")
	case int64:
		b.WriteString("I" + strconv.FormatInt(v, 10))
	case int32:
		b.WriteString("I" + strconv.FormatInt(int64(v), 10))
	case int16:
		b.WriteString("I" + strconv.FormatInt(int64(v), 10))
	case bool:
		if v {
			b.WriteString("I1")
		} else {
			b.WriteString("I0")
		}
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
			b.WriteString("I" + strconv.FormatInt(int64(v), 10))
		} else {
			b.WriteString("F" + strconv.FormatFloat(v, 'g', -1, 64))
		}
	case float32:
		canonical(b, float64(v))
	case string:
		b.WriteString("S" + strconv.Itoa(len(v)) + ":" + v)
	case []byte:
		b.WriteString("S" + strconv.Itoa(len(v)) + ":")
		b.Write(v)
	case time.Time:
		b.WriteString("T" + v.UTC().Format(time.RFC3339Nano))
	default:
		fmt.Fprintf(b, "?%T:%v", v, v)
	}
}

// Digests returns the digest of every table copy-db copies (what people
// made, not sign-ins or the index), by name: a test compares them before
// and after something that must change nothing.
func (store *Store) Digests(ctx context.Context) (map[string]string, error) {
	out := map[string]string{}
	for _, t := range copyTables {
		d, _, err := tableDigest(ctx, store.Reader(), t.name)
		if err != nil {
			return nil, fmt.Errorf("db: digest of %s: %w", t.name, err)
		}
		out[t.name] = d
	}
	return out, nil
}

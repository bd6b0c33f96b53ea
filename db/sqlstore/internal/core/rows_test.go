package core

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	_ "modernc.org/sqlite"
)

// TestRowHelpers checks the one loop over rows (EachRow) and the two
// collectors on it: rows come in order, every way out closes them (the
// connection goes back to the pool), fn's error stops the reading as it
// is, and an error SQLite raises partway through is not taken for the end.
func TestRowHelpers(t *testing.T) {
	ctx := context.Background()
	conn, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "rows.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `CREATE TABLE t (n INTEGER, s TEXT);
		INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three')`); err != nil {
		t.Fatal(err)
	}
	query := func(t *testing.T, q string) *sql.Rows {
		t.Helper()
		rows, err := conn.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	closed := func(t *testing.T) {
		t.Helper()
		if n := conn.Stats().InUse; n != 0 {
			t.Errorf("%d connections still in use: the rows were not closed", n)
		}
	}
	// Rows 1 and 2, then a runtime error on row 3 (json() of a bad text
	// fails when SQLite steps to that row; rowid order needs no sorter, which
	// would compute every row first).
	const failsOnThird = `SELECT CASE WHEN n < 3 THEN n ELSE json(s) END FROM t ORDER BY rowid`

	t.Run("ScanAll", func(t *testing.T) {
		type pair struct {
			n int64
			s string
		}
		got, err := ScanAll(query(t, `SELECT n, s FROM t ORDER BY n DESC`), func(r RowScanner) (pair, error) {
			var p pair
			err := r.Scan(&p.n, &p.s)
			return p, err
		})
		if err != nil {
			t.Fatal(err)
		}
		if want := []pair{{3, "three"}, {2, "two"}, {1, "one"}}; !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
		closed(t)
	})
	t.Run("ScanColumn", func(t *testing.T) {
		got, err := ScanColumn[string](query(t, `SELECT s FROM t ORDER BY n`))
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"one", "two", "three"}; !slices.Equal(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
		closed(t)
	})
	t.Run("NoRows", func(t *testing.T) {
		got, err := ScanColumn[int64](query(t, `SELECT n FROM t WHERE n > 9`))
		if err != nil || got != nil {
			t.Errorf("got %v, %v; want nil, nil", got, err)
		}
		closed(t)
	})
	t.Run("ErrScan", func(t *testing.T) {
		got, err := ScanColumn[int64](query(t, `SELECT s FROM t ORDER BY n`))
		if err == nil || got != nil {
			t.Errorf("scanning text into int64: got %v, %v; want nil and an error", got, err)
		}
		closed(t)
	})
	t.Run("ErrFromFnStops", func(t *testing.T) {
		stop := errors.New("stop")
		calls := 0
		err := EachRow(query(t, `SELECT n FROM t ORDER BY n`), func(r *sql.Rows) error {
			calls++
			if calls == 2 {
				return stop
			}
			return nil
		})
		if err != stop || calls != 2 {
			t.Errorf("got %v after %d calls, want stop after 2", err, calls)
		}
		closed(t)
	})
	t.Run("ErrIteration", func(t *testing.T) {
		var seen []int64
		err := EachRow(query(t, failsOnThird), func(r *sql.Rows) error {
			var n int64
			if err := r.Scan(&n); err != nil {
				return err
			}
			seen = append(seen, n)
			return nil
		})
		if err == nil || !slices.Equal(seen, []int64{1, 2}) {
			t.Errorf("got rows %v and err %v, want rows 1 and 2, then SQLite's error", seen, err)
		}
		closed(t)
		got, err := ScanColumn[int64](query(t, failsOnThird))
		if err == nil || got != nil {
			t.Errorf("scanColumn: got %v, %v; want nil and SQLite's error", got, err)
		}
		closed(t)
	})
}

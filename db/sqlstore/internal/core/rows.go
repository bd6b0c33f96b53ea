package core

import (
	"context"
	"database/sql"
	"strings"
)

// RowScanner is what *sql.Row and *sql.Rows share, so that one scan
// function (scanNote, ScanAnnotation…) reads a row of either. An alias, so
// that those functions pass as they are.
type RowScanner = interface{ Scan(dest ...any) error }

// EachRow calls fn on every row (fn gets rows, positioned on it), then
// closes rows. It returns fn's first error as it is, reading no further,
// or else the iteration's (rows.Err). It is the package's one loop over
// rows: ScanAll and ScanColumn collect through it, and the readers that
// fold rows into a map or skip some use it directly.
func EachRow(rows *sql.Rows, fn func(*sql.Rows) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ScanAll reads every row with scan, in order, and closes rows. On an
// error it returns no rows.
func ScanAll[T any](rows *sql.Rows, scan func(RowScanner) (T, error)) ([]T, error) {
	var out []T
	err := EachRow(rows, func(r *sql.Rows) error {
		v, err := scan(r)
		if err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ScanColumn reads rows of one column into values of T, and closes rows.
func ScanColumn[T any](rows *sql.Rows) ([]T, error) {
	return ScanAll(rows, func(r RowScanner) (T, error) {
		var v T
		err := r.Scan(&v)
		return v, err
	})
}

// Placeholders is n comma-separated bind parameters, for an IN list.
func Placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// Querier is what both the read pool and a transaction can run.
type Querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func NullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

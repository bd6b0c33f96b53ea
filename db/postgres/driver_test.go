package postgres

import (
	"context"
	"database/sql"
	"os"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
)

func TestConnectorRewrites(t *testing.T) {
	dsn := os.Getenv("GLOSS_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("GLOSS_TEST_POSTGRES is not set: no PostgreSQL to test against (.ci/run starts one)")
	}
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	d := sql.OpenDB(connector{stdlib.GetPoolConnector(pool)})
	defer d.Close()
	var n int64
	if err := d.QueryRowContext(ctx, `SELECT ?::bigint + ?::bigint`, 2, 3).Scan(&n); err != nil || n != 5 {
		t.Fatalf("plain: %d, %v", n, err)
	}
	st, err := d.PrepareContext(ctx, `SELECT ?::bigint * 2`)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.QueryRowContext(ctx, 21).Scan(&n); err != nil || n != 42 {
		t.Fatalf("prepared: %d, %v", n, err)
	}
	tx, err := d.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT ?::bigint - 1`, 8).Scan(&n); err != nil || n != 7 {
		t.Fatalf("in a transaction: %d, %v", n, err)
	}
}

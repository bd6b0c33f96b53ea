package main

import (
	"context"

	"gloss/db/postgres"
	"gloss/db/sqlite"
	"gloss/db/sqlstore"
)

// openStore opens (migrating) the database -db names: PostgreSQL for an
// address that starts with postgres:// or postgresql://, else the SQLite
// file at that path.
func openStore(ctx context.Context, dsn string, opts sqlstore.Options) (*sqlstore.Store, error) {
	if postgres.IsDSN(dsn) {
		return postgres.Open(ctx, dsn, opts)
	}
	return sqlite.OpenWith(ctx, dsn, opts)
}

// dbName is how messages and logs name the database: a PostgreSQL
// address without its password.
func dbName(dsn string) string {
	if postgres.IsDSN(dsn) {
		return postgres.Redact(dsn)
	}
	return dsn
}

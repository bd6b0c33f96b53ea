// Package migrations holds Gloss's schema, one folder per engine, as
// numbered, append-only SQL files (NNNN_name.sql). Each engine applies its
// own in order at start and refuses a database newer than it knows.
package migrations

import (
	"embed"
	"io/fs"
)

//go:embed sqlite/*.sql postgres/*.sql
var files embed.FS

// SQLite holds the SQLite engine's migrations (db/sqlite). Their numbers
// are PRAGMA user_version: a database made before this folder existed
// opens and upgrades as before.
var SQLite = sub("sqlite")

// Postgres holds the PostgreSQL engine's migrations (db/postgres), whose
// numbers are kept in the table gloss_schema.
var Postgres = sub("postgres")

func sub(dir string) fs.FS {
	f, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // a constant folder of this package
	}
	return f
}

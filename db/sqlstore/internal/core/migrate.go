package core

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gloss/migrations"
)

// migration is one numbered SQL file.
type migration struct {
	version int
	name    string
	sql     string
}

func LoadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, name := range names {
		num, _, ok := strings.Cut(name, "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil || version <= 0 {
			return nil, fmt.Errorf("db: migration %q is not named NNNN_name.sql", name)
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: version, name: path.Base(name), sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("db: migrations must be numbered 1, 2, 3...: found %s at position %d", m.name, i+1)
		}
	}
	return out, nil
}

// Migrations loads an engine's migrations (migrations/ENGINE/*.sql), checked
// to be numbered 1, 2, 3… with nothing missing.
func Migrations(fsys fs.FS) ([]Migration, error) { return LoadMigrations(fsys) }

// Migration is one numbered SQL file.
type Migration = migration

// Version is the migration's number; Name its file's name; SQL its text.
func (m migration) Version() int { return m.version }
func (m migration) Name() string { return m.name }
func (m migration) SQL() string  { return m.sql }

// SQLiteVersion is the SQLite file's schema version (PRAGMA user_version)
// and the newest this binary knows.
func SQLiteVersion(ctx context.Context, write *sql.DB) (current, known int, err error) {
	ms, err := LoadMigrations(migrations.SQLite)
	if err != nil {
		return 0, 0, err
	}
	if err := write.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return 0, 0, fmt.Errorf("db: read schema version: %w", err)
	}
	return current, len(ms), nil
}

// rebuildsSearch are the migrations after which the search index is
// rebuilt (from Go: what it holds is made by db/searchquery).
var rebuildsSearch = []int{16}

// MigrateSQLite applies every migration newer than PRAGMA user_version,
// each in its own transaction together with the version bump, and says
// whether the file had no schema (a first start). migrating, when not nil,
// hears of each migration before it runs.
//
// rebuild rebuilds the search index inside the transaction of the last
// migration that needs it (rebuildsSearch).
func MigrateSQLite(ctx context.Context, write *sql.DB, path string, migrating func(version int, name string), rebuild func(ctx context.Context, tx *sql.Tx) error) (created bool, err error) {
	ms, err := LoadMigrations(migrations.SQLite)
	if err != nil {
		return false, err
	}
	var current int
	if err := write.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return false, fmt.Errorf("db: read schema version of %s: %w", path, err)
	}
	if current > len(ms) {
		return false, fmt.Errorf("db: %s has schema version %d but this Gloss knows only up to %d: upgrade Gloss or restore a backup", path, current, len(ms))
	}
	for _, m := range ms[current:] {
		if migrating != nil {
			migrating(m.version, m.name)
		}
		err := SoloTx(ctx, write, func(ctx context.Context, tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("db: migration %s: %w", m.name, err)
			}
			if slices.Contains(rebuildsSearch, m.version) && !slices.ContainsFunc(rebuildsSearch, func(v int) bool { return v > m.version && v <= len(ms) }) {
				// The index is made by Go (searchquery): rebuilt after the
				// migration that changed it, in its transaction (only
				// the last such one: a later one would rebuild again).
				if err := rebuild(ctx, tx); err != nil {
					return fmt.Errorf("db: migration %s: %w", m.name, err)
				}
			}
			// PRAGMA takes no parameters; the version is our own integer.
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
				return fmt.Errorf("db: migration %s: set version: %w", m.name, err)
			}
			return nil
		})
		if err != nil {
			return false, err
		}
	}
	return current == 0, nil
}

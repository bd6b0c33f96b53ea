// Package sqlstore is the store both engines run: every method of the
// store contract (package db), written once in the SQL that SQLite and
// PostgreSQL both understand, with SQLite's placeholders (the PostgreSQL
// engine's driver rewrites them, db/postgres). Store assembles it from
// the packages under internal/: core, the spine (one writer connection
// that groups concurrent writes into one transaction, a pool of readers
// with prepared statements, the permission rules as SQL), and one package
// per concern holding the core: search (FTS5 here, tsvector for
// PostgreSQL), content (articles, annotations, notes, tags, evidence,
// notifications, mail), curation (collections, codebooks, suggestions),
// accounts (users, groups, invitations, sessions, tokens) and exchange
// (imports and exports). What differs between the engines is supplied by
// the engine (Engine) or chosen by its Dialect. The SQLite engine's own
// parts live here (sqlite.go, backup.go), so that this package's tests
// run on SQLite; package db/sqlite is its public face.
package sqlstore

import (
	"context"
	"io/fs"
	"log/slog"

	"gloss/db"
	"gloss/db/sqlstore/internal/accounts"
	"gloss/db/sqlstore/internal/content"
	"gloss/db/sqlstore/internal/core"
	"gloss/db/sqlstore/internal/curation"
	"gloss/db/sqlstore/internal/exchange"
	"gloss/db/sqlstore/internal/search"
)

// Store is the store: the spine and every concern, embedded, so that
// their methods are the store's.
type Store struct {
	*core.Core
	*search.Index
	*content.Content
	*curation.Curation
	*accounts.Accounts
	*exchange.Exchange
}

// Store is the whole contract.
var _ db.Store = (*Store)(nil)

// What an engine package names to make a store (db/sqlite, db/postgres).
type (
	Engine      = core.Engine
	Dialect     = core.Dialect
	SessionData = core.SessionData
	Stats       = core.Stats
	Migration   = core.Migration
)

const (
	SQLite   = core.SQLite
	Postgres = core.Postgres
)

// NoPassword is the password hash of an account that cannot sign in (the
// starter set's people, a generated corpus without a password).
const NoPassword = accounts.NoPassword

// Migrations reads the numbered migrations in fsys, in order.
func Migrations(fsys fs.FS) ([]Migration, error) { return core.Migrations(fsys) }

// New makes the store over an engine's pools: it prepares the write
// statements on the writer, brings the search index up to date with
// anything left queued, and starts the writer.
func New(ctx context.Context, e Engine, opts Options) (*Store, error) {
	c, err := core.New(ctx, e, opts.Observer, opts.Reindexing)
	if err != nil {
		return nil, err
	}
	store := assemble(c)
	if err := store.FlushSearch(ctx); err != nil {
		return nil, err
	}
	c.Start(store.FlushQueued, store.SettleSearch)
	return store, nil
}

// assemble puts the concerns around the spine.
func assemble(c *core.Core) *Store {
	cont := &content.Content{Core: c}
	return &Store{
		Core:     c,
		Index:    &search.Index{Core: c},
		Content:  cont,
		Curation: &curation.Curation{Core: c, Content: cont},
		Accounts: &accounts.Accounts{Core: c, Content: cont},
		Exchange: &exchange.Exchange{Core: c, Content: cont},
	}
}

// Options are what a caller may add to an engine's defaults.
type Options struct {
	// Observer hears about the store's work as it happens (metrics); nil:
	// nobody does, at the cost of a nil check.
	Observer db.Observer
	// Migrating is called before each migration that Open applies, with
	// its number and file name (progress for the logs: a migration of a
	// large library may take a while).
	Migrating func(version int, name string)
	// Reindexing is told how far a rebuild of the search index got (a
	// migration's, or Reindex's), about every tenth of each index.
	Reindexing func(index string, done, total int)
	// Logger hears what an engine does in the background (PostgreSQL's
	// connection for other instances' events, lost and found again); nil:
	// nobody does.
	Logger *slog.Logger
}

// Package postgres is Gloss's PostgreSQL engine, for a deployment that
// outgrows one machine: several Gloss instances on one database. It
// connects with pgx, applies the migrations of migrations/postgres, and
// hands the store (db/sqlstore, whose queries both engines share) its
// pools through a driver that rewrites the shared SQL (rewrite.go), a lock
// that keeps the writers of every instance in turn, sessions in a table,
// tsvector search, and LISTEN/NOTIFY for live updates across instances
// (listen.go).
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"gloss/db"
	"gloss/db/sqlstore"
	"gloss/migrations"
)

func init() { db.RegisterCannotWrite(cannotWrite) }

// IsDSN says whether a -db value names a PostgreSQL database rather than a
// SQLite file.
func IsDSN(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// writeLock is the advisory lock every write transaction takes first, so
// that the writers of all instances on one database go in turn, as
// SQLite's one writer does (the shared queries count on it: an annotation's
// next id, a check then an insert).
const writeLock = 0x676c6f7373 // "gloss"

// Open connects to the database dsn names, migrates it to the newest
// schema, and returns the store. It refuses a database whose schema is
// newer than this binary. Its errors say in one line what is wrong (the
// password, the host, the rights) and how to fix it.
func Open(ctx context.Context, dsn string, opts sqlstore.Options) (*sqlstore.Store, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("db: %s is not a PostgreSQL address: %v (write postgres://user:password@host:5432/database?sslmode=disable)", Redact(dsn), err)
	}
	// Gloss asks many short queries. PostgreSQL's JIT compiler, which the
	// planner's estimates for a list's correlated counts set off, took
	// about 200 ms of a 230 ms library page and saved nothing (measured
	// on 200,000 annotations; docs/performance.md). An address that sets
	// jit itself keeps its choice.
	if _, set := cfg.RuntimeParams["jit"]; !set {
		cfg.RuntimeParams["jit"] = "off"
	}
	name := fmt.Sprintf("postgres %s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)
	write := sql.OpenDB(connector{stdlib.GetConnector(*cfg)})
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, explain(name, err)
	}
	created, err := migrate(ctx, write, name, opts.Migrating)
	if err != nil {
		write.Close()
		return nil, explain(name, err)
	}
	read := sql.OpenDB(connector{stdlib.GetConnector(*cfg)})
	readers := max(4, 2*runtime.GOMAXPROCS(0))
	read.SetMaxOpenConns(readers)
	read.SetMaxIdleConns(readers)
	read.SetConnMaxIdleTime(5 * time.Minute)
	events := newListener(cfg.Copy(), opts.Logger)
	store, err := sqlstore.New(ctx, sqlstore.Engine{
		Dialect: sqlstore.Postgres, Name: name, Write: write, Read: read, Created: created,
		Version: func(ctx context.Context) (int, int, error) { return version(ctx, write) },
		BeginBatch: func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, writeLock)
			return err
		},
		Sessions:     sessions{read: read, write: write},
		NoBackups:    ErrBackup,
		EventsStored: notifyEvents,
		Waker:        events,
		Close:        events.Close,
		AfterBulk: func(ctx context.Context) error {
			_, err := write.ExecContext(ctx, `ANALYZE`)
			return err
		},
	}, opts)
	if err != nil {
		events.Close()
		read.Close()
		write.Close()
		return nil, err
	}
	return store, nil
}

// ErrBackup is what a backup asks of PostgreSQL: its own tools, which
// take a consistent snapshot of a running database (or a copy into a
// SQLite file, which is a Gloss backup).
var ErrBackup = db.Errorf(db.EINVALID, "Gloss on PostgreSQL leaves backups to PostgreSQL: run pg_dump --format=custom --file=gloss.dump DATABASE_URL (pg_restore restores it), or copy the database into a SQLite file, which web restore reads: web copy-db -from DATABASE_URL -to gloss-backup.db")

// ErrRestore is what a restore into PostgreSQL asks for instead.
var ErrRestore = db.Errorf(db.EINVALID, "web restore replaces a SQLite file; to load a Gloss backup (a SQLite file) into PostgreSQL run: web copy-db -from BACKUP.db -to DATABASE_URL -force (or pg_restore for a pg_dump file)")

// explain turns a connection failure into one line that says which and
// how to fix it.
func explain(name string, err error) error {
	var pe *pgconn.PgError
	var ne net.Error
	switch {
	case errors.As(err, &pe) && pe.Code == "28P01":
		return fmt.Errorf("db: %s refused the password: check the user and password in -db / GLOSS_DB", name)
	case errors.As(err, &pe) && pe.Code == "28000":
		return fmt.Errorf("db: %s refused the user: %s (check pg_hba.conf and the user in -db)", name, pe.Message)
	case errors.As(err, &pe) && pe.Code == "3D000":
		return fmt.Errorf("db: %s: the database does not exist: create it (createdb) or fix its name in -db", name)
	case errors.As(err, &pe) && (pe.Code == "42501" || strings.HasPrefix(pe.Code, "42")):
		return fmt.Errorf("db: %s: the user lacks the rights Gloss needs (%s): make it the database's owner (ALTER DATABASE … OWNER TO …)", name, pe.Message)
	case errors.As(err, &ne), strings.Contains(err.Error(), "connect"):
		// pgx tells every address it tried, on lines of their own: the
		// network's own words for the first say enough.
		why := err.Error()
		var op *net.OpError
		var dns *net.DNSError
		switch {
		case errors.As(err, &dns):
			why = dns.Error()
		case errors.As(err, &op):
			why = op.Err.Error()
		}
		why, _, _ = strings.Cut(why, "\n")
		return fmt.Errorf("db: cannot reach %s: %s (is PostgreSQL running there, and the host and port in -db right?)", name, why)
	}
	return fmt.Errorf("db: %s: %w", name, err)
}

// Redact hides the password in a PostgreSQL address, for messages and logs.
func Redact(dsn string) string {
	if at := strings.LastIndex(dsn, "@"); at > 0 {
		if i := strings.Index(dsn, "://"); i > 0 && i < at {
			if c := strings.Index(dsn[i+3:at], ":"); c >= 0 {
				return dsn[:i+3+c+1] + "…" + dsn[at:]
			}
		}
	}
	return dsn
}

// cannotWrite recognises PostgreSQL refusing writes for want of room or
// because the database is read-only (a standby, a read-only transaction).
func cannotWrite(err error) string {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return ""
	}
	switch pe.Code {
	case "53100":
		return "the database server's disk is full"
	case "25006":
		return "its database is read-only"
	}
	return ""
}

// sessions is the session manager's storage in the sessions table.
type sessions struct{ read, write *sql.DB }

func (s sessions) FindSession(key string) ([]byte, bool, error) {
	var data []byte
	err := s.read.QueryRow(`SELECT data FROM sessions WHERE token = ? AND expiry > now()`, key).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	return data, err == nil, err
}

func (s sessions) CommitSession(key string, data []byte, expiry time.Time) error {
	_, err := s.write.Exec(`INSERT INTO sessions (token, data, expiry) VALUES (?, ?, ?)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`, key, data, expiry)
	return err
}

func (s sessions) DeleteSession(key string) error {
	_, err := s.write.Exec(`DELETE FROM sessions WHERE token = ?`, key)
	return err
}

// version is the database's schema version and the newest this binary knows.
func version(ctx context.Context, write *sql.DB) (current, known int, err error) {
	ms, err := sqlstore.Migrations(migrations.Postgres)
	if err != nil {
		return 0, 0, err
	}
	err = write.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM gloss_schema`).Scan(&current)
	return current, len(ms), err
}

// migrate applies every migration newer than the database's version, each
// in its own transaction with its version, under a lock so that instances
// starting together migrate once. It says whether the database had no
// schema (a first start).
func migrate(ctx context.Context, write *sql.DB, name string, migrating func(version int, name string)) (created bool, err error) {
	ms, err := sqlstore.Migrations(migrations.Postgres)
	if err != nil {
		return false, err
	}
	conn, err := write.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(?)`, writeLock); err != nil {
		return false, err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(?)`, writeLock)
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS gloss_schema (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return false, err
	}
	var current int
	if err := conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM gloss_schema`).Scan(&current); err != nil {
		return false, err
	}
	if current > len(ms) {
		return false, fmt.Errorf("db: %s has schema version %d but this Gloss knows only up to %d: upgrade Gloss or restore a backup", name, current, len(ms))
	}
	for _, m := range ms[current:] {
		if migrating != nil {
			migrating(m.Version(), m.Name())
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return false, err
		}
		if _, err := tx.ExecContext(ctx, m.SQL()); err != nil {
			tx.Rollback()
			return false, fmt.Errorf("db: migration %s: %w", m.Name(), err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO gloss_schema (version, applied_at) VALUES (?, ?)`,
			m.Version(), time.Now().UTC().Format("2006-01-02T15:04:05.000Z")); err != nil {
			tx.Rollback()
			return false, err
		}
		if err := tx.Commit(); err != nil {
			return false, err
		}
	}
	return current == 0, nil
}

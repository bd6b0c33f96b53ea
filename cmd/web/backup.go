package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"gloss/db"
	"gloss/db/postgres"
	"gloss/db/sqlite"
)

// backupCommand: web backup [-force] PATH writes a checked snapshot of the
// database, safe while the server runs.
func backupCommand(ctx context.Context, cfg *config, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(out)
	force := fs.Bool("force", false, "replace PATH if it exists")
	path, err := parsePathCommand(fs, cfg, args, "usage: web backup [-force] PATH")
	if err != nil {
		return err
	}
	if postgres.IsDSN(cfg.DB) {
		return commandError(postgres.ErrBackup)
	}
	snap, err := sqlite.BackupFile(ctx, cfg.DB, path, *force)
	if err != nil {
		return commandError(err)
	}
	fmt.Fprintf(out, "backed up %s to %s (%s, schema version %d, integrity ok)\n", cfg.DB, snap.Path, byteSize(snap.Size), snap.SchemaVersion)
	return nil
}

// restoreCommand: web restore PATH replaces the database with a backup,
// after checking it, while no server has the database open.
func restoreCommand(ctx context.Context, cfg *config, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(out)
	path, err := parsePathCommand(fs, cfg, args, "usage: web restore PATH (stop the server first)")
	if err != nil {
		return err
	}
	if postgres.IsDSN(cfg.DB) {
		return commandError(postgres.ErrRestore)
	}
	res, err := sqlite.Restore(ctx, cfg.DB, path, time.Now())
	if err != nil {
		return commandError(err)
	}
	fmt.Fprintf(out, "restored %s from %s (%s, schema version %d, integrity ok)\n", cfg.DB, path, byteSize(res.Size), res.SchemaVersion)
	if res.SchemaVersion < res.KnownVersion {
		fmt.Fprintf(out, "its schema is migrated from version %d to %d when Gloss next starts\n", res.SchemaVersion, res.KnownVersion)
	}
	if res.Previous != "" {
		fmt.Fprintf(out, "the previous database is kept as %s\n", res.Previous)
	}
	return nil
}

// parsePathCommand parses a command that takes flags and one path, in any
// order (web backup x.db -force, web backup -force x.db).
func parsePathCommand(fs *flag.FlagSet, cfg *config, args []string, usage string) (string, error) {
	rest, err := parseCommandFlags(fs, cfg, args)
	if err != nil {
		return "", err
	}
	if len(rest) == 0 {
		return "", errors.New(usage)
	}
	path := rest[0]
	if rest, err = parseCommandFlags(fs, cfg, rest[1:]); err != nil {
		return "", err
	}
	if len(rest) > 0 {
		return "", fmt.Errorf("%s: unexpected %q", usage, rest[0])
	}
	return path, nil
}

// commandError shows a coded error's message, and other errors as they are.
func commandError(err error) error {
	if db.ErrorCode(err) != db.EINTERNAL {
		return errors.New(db.ErrorMessage(err))
	}
	return err
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"gloss/db"
	"gloss/db/sqlstore"
	"gloss/handlers/w3c"
)

// maxExportChecks bounds the people whose JSON-LD export copy-db compares
// (each export reads everything its person may see).
const maxExportChecks = 50

// copyDBCommand: web copy-db -from DB -to DB [-force] copies a whole
// library between databases of either engine (a SQLite file, a
// postgres:// address): everything but sign-ins, into a target that
// holds nothing (or, with -force, whose contents it replaces), and
// verifies the copy.
func copyDBCommand(ctx context.Context, cfg *config, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("copy-db", flag.ContinueOnError)
	fs.SetOutput(out)
	from := fs.String("from", "", "the database to copy: a SQLite file or a postgres:// address")
	to := fs.String("to", "", "the database to copy into (created and migrated if new)")
	force := fs.Bool("force", false, "replace everything the target holds")
	rest, err := parseCommandFlags(fs, cfg, args)
	if err != nil {
		return err
	}
	if *from == "" || *to == "" || len(rest) > 0 {
		return errors.New("usage: web copy-db -from DATABASE -to DATABASE [-force]")
	}
	if *from == *to {
		return errors.New("copy-db: -from and -to are the same database")
	}
	src, err := openStore(ctx, *from, sqlstore.Options{})
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := openStore(ctx, *to, sqlstore.Options{})
	if err != nil {
		return err
	}
	defer dst.Close()

	fmt.Fprintf(out, "copying %s to %s\n", dbName(*from), dbName(*to))
	start := time.Now()
	rep, err := sqlstore.Copy(ctx, src, dst, sqlstore.CopyOptions{Force: *force, Progress: func(table string, n int) {
		fmt.Fprintf(out, "  %-28s %9d\n", table, n)
	}})
	if err != nil {
		return commandError(err)
	}
	fmt.Fprintf(out, "verified: each of the %d tables has the same rows on both sides (counts and digests)\n", len(rep.Tables))
	people, err := compareExports(ctx, src, dst)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "verified: the JSON-LD exports are the same on both sides (%s)\n", people)
	fmt.Fprintf(out, "copied in %s; sign-ins were not copied: everyone signs in again\n", time.Since(start).Round(time.Millisecond))
	return nil
}

// compareExports compares the JSON-LD export of everything each person
// may see (the first maxExportChecks people: an export needs someone
// signed in), from both stores, and says whose were compared.
func compareExports(ctx context.Context, src, dst *sqlstore.Store) (string, error) {
	users, err := src.Users(ctx)
	if err != nil {
		return "", err
	}
	now := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	const base = "https://gloss.invalid"
	export := func(s *sqlstore.Store, u db.User) ([]byte, error) {
		v, err := s.ViewerFor(ctx, u)
		if err != nil {
			return nil, err
		}
		return w3c.Document(ctx, s, v, db.ExportScope{}, base, base+"/export/annotations.jsonld", "copy-db", now)
	}
	check := func(u db.User) error {
		a, err := export(src, u)
		if err != nil {
			return err
		}
		b, err := export(dst, u)
		if err != nil {
			return err
		}
		if !bytes.Equal(a, b) {
			return fmt.Errorf("copy-db: the export of %s differs between the two databases (%d and %d bytes): the copy is not faithful; report this", u.Email, len(a), len(b))
		}
		return nil
	}
	n := min(len(users), maxExportChecks)
	for _, u := range users[:n] {
		if err := check(u); err != nil {
			return "", err
		}
	}
	switch {
	case n == 1 && len(users) == 1:
		return "the one person's", nil
	case n == len(users):
		return fmt.Sprintf("each of the %d people's", n), nil
	}
	return fmt.Sprintf("those of %d of the %d people", n, len(users)), nil
}

// Command web runs Gloss: the web server (the default), and the commands
// that look after its database and accounts.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// defaultMemoryLimit is the Go runtime's soft memory limit unless
// GOMEMLIMIT says otherwise: past it the collector works harder rather than
// letting the heap double. With it a 32-client mixed load on a million
// annotations peaks at 115-122 MiB resident (SQLite's own memory comes on
// top of the Go heap), against 207 MiB without a limit and 141-150 MiB at
// 100 MiB, for 0-8% less throughput (docs/performance.md).
const defaultMemoryLimit = 80 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout); err != nil {
		if errors.Is(err, errHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "web:", err)
		os.Exit(1)
	}
}

const usage = `Usage: web [flags] [command] [command flags]

Commands:
  serve                 run the web server (the default)
  migrate               bring the database schema up to date, then exit
  seed                  import the seed articles (adds only what is new or changed)
  reindex               rebuild the search index from the database
  backup [-force] PATH  write a checked snapshot of the database to PATH (safe while serving)
  restore PATH          replace the database with the backup at PATH (stop the server first)
  copy-db -from DB -to DB [-force]
                        copy everything but sign-ins between databases (SQLite files or
                        postgres:// addresses, either way), then verify the copy
  user add -email E -name N [-admin]
                        create an account; the password is read from standard input
  token create -email E -name N
                        make a personal API token for an account and print it
  healthcheck           ask the server on -addr for /healthz; fails unless it answers 200
  version               print the build's version, commit and Go version
  gen-corpus [-articles N] [-annotations N] [-notes N] [-users N] [-groups N] [-password P]
                        fill a new database with a deterministic synthetic corpus (benchmarks,
                        load tests); -annotations counts replies too, -notes is per article

Flags (each falls back to an environment variable):
`

// run is the whole program, with its inputs passed in so tests can run it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	cfg, rest, err := parseConfig(args, getenv, stdout)
	if err != nil {
		return err
	}
	cmd := "serve"
	if len(rest) > 0 {
		cmd, rest = rest[0], rest[1:]
	}
	switch cmd {
	case "serve", "migrate", "seed", "reindex", "healthcheck":
		if _, err := parseCommandFlags(flag.NewFlagSet(cmd, flag.ContinueOnError), &cfg, rest); err != nil {
			return err
		}
	}
	switch cmd {
	case "serve":
		return serve(ctx, cfg, newLogger(stdout, cfg.LogFormat))
	case "migrate":
		return migrate(ctx, cfg, stdout)
	case "seed":
		return seedCommand(ctx, cfg, stdout)
	case "reindex":
		return reindex(ctx, cfg, stdout)
	case "backup":
		return backupCommand(ctx, &cfg, rest, stdout)
	case "restore":
		return restoreCommand(ctx, &cfg, rest, stdout)
	case "user":
		return userCommand(ctx, &cfg, rest, stdin, stdout)
	case "token":
		return tokenCommand(ctx, &cfg, rest, stdout)
	case "gen-corpus":
		return genCorpusCommand(ctx, &cfg, rest, stdout)
	case "copy-db":
		return copyDBCommand(ctx, &cfg, rest, stdout)
	case "healthcheck":
		return healthcheck(ctx, cfg, stdout)
	case "version":
		return versionCommand(stdout)
	case "help":
		printUsage(stdout)
		return nil
	}
	return fmt.Errorf("unknown command %q (try: web help)", cmd)
}

// Command web runs Gloss: the web server (the default), and the commands
// that look after its database.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "web:", err)
		os.Exit(1)
	}
}

const usage = `Usage: web [command] [flags]

Commands:
  serve     run the web server (the default)
  migrate   bring the database schema up to date, then exit
  seed      import the seed articles (adds only what is new or changed)

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
	log := newLogger(stdout)
	switch cmd {
	case "serve":
		if len(rest) > 0 {
			return fmt.Errorf("serve takes no arguments, got %q", rest)
		}
		return serve(ctx, cfg, log)
	case "migrate":
		return migrate(ctx, cfg, stdout)
	case "seed":
		return seedCommand(ctx, cfg, stdout)
	case "help":
		printUsage(stdout)
		return nil
	}
	return fmt.Errorf("unknown command %q (try: web help)", cmd)
}

package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
)

// config is everything the flags and environment decide.
type config struct {
	Addr string
	DB   string
}

// setting is one flag with its environment fallback and default, the
// single source for both parsing and the README's configuration table.
type setting struct {
	name, env, def, help string
	target           *string
}

func (c *config) settings() []setting {
	return []setting{
		{"addr", "GLOSS_ADDR", "localhost:8080", "address to listen on (host:port)", &c.Addr},
		{"db", "GLOSS_DB", "gloss.db", "path of the SQLite database file (created if missing)", &c.DB},
	}
}

// parseConfig reads flags from args (flags may come before and after the
// command name) with environment fallbacks, and returns the other arguments.
func parseConfig(args []string, getenv func(string) string, out io.Writer) (config, []string, error) {
	var cfg config
	fs := flag.NewFlagSet("web", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() { printUsage(out) }
	for _, s := range cfg.settings() {
		def := s.def
		if v := getenv(s.env); v != "" {
			def = v
		}
		fs.StringVar(s.target, s.name, def, s.help+" ($"+s.env+")")
	}
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return cfg, nil, errHelp
			}
			return cfg, nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
	if strings.TrimSpace(cfg.Addr) == "" || strings.TrimSpace(cfg.DB) == "" {
		return cfg, nil, fmt.Errorf("-addr and -db must not be empty")
	}
	return cfg, rest, nil
}

var errHelp = errors.New("help requested")

func printUsage(out io.Writer) {
	fmt.Fprint(out, usage)
	var cfg config
	for _, s := range cfg.settings() {
		fmt.Fprintf(out, "  -%-8s %s (env %s, default %q)\n", s.name, s.help, s.env, s.def)
	}
}

func newLogger(out io.Writer) *slog.Logger {
	if out == nil {
		out = os.Stdout
	}
	return slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

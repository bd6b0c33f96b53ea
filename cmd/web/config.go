package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
)

// config is everything the flags and environment decide.
type config struct {
	Addr         string
	DB           string
	Signup       bool
	BehindTLS    bool
	TrustedProxy string
}

// setting is one flag with its environment fallback and default: the single
// source for parsing, help and the README's configuration table (a test
// keeps the README in step).
type setting struct {
	name, env, def, help string
	str                  *string // a string flag, or
	boolean              *bool   // a boolean flag ("1", "true" in the environment)
}

func (c *config) settings() []setting {
	return []setting{
		{name: "addr", env: "GLOSS_ADDR", def: "localhost:8080", help: "address to listen on (host:port)", str: &c.Addr},
		{name: "db", env: "GLOSS_DB", def: "gloss.db", help: "path of the SQLite database file (created if missing)", str: &c.DB},
		{name: "signup", env: "GLOSS_SIGNUP", def: "false", help: "let anyone create an account (otherwise accounts are by invitation)", boolean: &c.Signup},
		{name: "behind-tls", env: "GLOSS_BEHIND_TLS", def: "false", help: "Gloss is reached over HTTPS (e.g. through a TLS proxy): Secure cookies, HSTS and https:// links", boolean: &c.BehindTLS},
		{name: "trusted-proxy", env: "GLOSS_TRUSTED_PROXY", def: "", help: "comma-separated IPs or CIDRs of reverse proxies whose X-Forwarded-For is believed", str: &c.TrustedProxy},
	}
}

// TrustedProxies splits the -trusted-proxy list.
func (c config) TrustedProxies() []string {
	var out []string
	for _, p := range strings.Split(c.TrustedProxy, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// newFlagSet makes a flag set with the global settings (defaults from the
// environment) plus whatever a command adds.
func newFlagSet(name string, cfg *config, getenv func(string) string, out io.Writer) (*flag.FlagSet, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	for _, s := range cfg.settings() {
		def := s.def
		if v := getenv(s.env); v != "" {
			def = v
		}
		help := s.help + " ($" + s.env + ")"
		if s.boolean != nil {
			b, err := strconv.ParseBool(def)
			if err != nil {
				return nil, fmt.Errorf("$%s=%q: want 1, 0, true or false", s.env, def)
			}
			fs.BoolVar(s.boolean, s.name, b, help)
		} else {
			fs.StringVar(s.str, s.name, def, help)
		}
	}
	return fs, nil
}

// parseConfig reads the global flags that precede the command and returns
// the command line from the command on.
func parseConfig(args []string, getenv func(string) string, out io.Writer) (config, []string, error) {
	var cfg config
	fs, err := newFlagSet("web", &cfg, getenv, out)
	if err != nil {
		return cfg, nil, err
	}
	fs.Usage = func() { printUsage(out) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return cfg, nil, errHelp
		}
		return cfg, nil, err
	}
	return cfg, fs.Args(), cfg.check()
}

// parseCommandFlags parses a command's own flags, with the global ones
// allowed after the command too (web seed -db x.db).
func parseCommandFlags(fs *flag.FlagSet, cfg *config, args []string) ([]string, error) {
	for _, s := range cfg.settings() {
		if fs.Lookup(s.name) != nil {
			continue
		}
		if s.boolean != nil {
			fs.BoolVar(s.boolean, s.name, *s.boolean, s.help)
		} else {
			fs.StringVar(s.str, s.name, *s.str, s.help)
		}
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return fs.Args(), cfg.check()
}

func (c config) check() error {
	if strings.TrimSpace(c.Addr) == "" || strings.TrimSpace(c.DB) == "" {
		return fmt.Errorf("-addr and -db must not be empty")
	}
	return nil
}

var errHelp = errors.New("help requested")

func printUsage(out io.Writer) {
	fmt.Fprint(out, usage)
	var cfg config
	for _, s := range cfg.settings() {
		fmt.Fprintf(out, "  -%-14s %s (env %s, default %q)\n", s.name, s.help, s.env, s.def)
	}
}

func newLogger(out io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

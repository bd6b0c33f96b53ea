package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/acme"
)

// config is everything the flags and environment decide.
type config struct {
	Addr         string
	DB           string
	Signup       bool
	BehindTLS    bool
	TrustedProxy string
	TLSCert      string
	TLSKey       string
	ACMEDomain   string
	ACMEEmail    string
	ACMEDir      string
	HTTPAddr     string
	MetricsAddr  string
	LogFormat    string
	Drain        string
	SMTPURL      string
	MailFrom     string
	PublicURL    string
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
		{name: "db", env: "GLOSS_DB", def: "gloss.db", help: "the database: a SQLite file's path (created if missing), or a PostgreSQL address postgres://user:password@host:5432/name?sslmode=...", str: &c.DB},
		{name: "signup", env: "GLOSS_SIGNUP", def: "false", help: "let anyone create an account (otherwise accounts are by invitation)", boolean: &c.Signup},
		{name: "behind-tls", env: "GLOSS_BEHIND_TLS", def: "false", help: "Gloss is reached over HTTPS (e.g. through a TLS proxy): Secure cookies, HSTS and https:// links", boolean: &c.BehindTLS},
		{name: "trusted-proxy", env: "GLOSS_TRUSTED_PROXY", def: "", help: "comma-separated IPs or CIDRs of reverse proxies whose X-Forwarded-For is believed", str: &c.TrustedProxy},
		{name: "tls-cert", env: "GLOSS_TLS_CERT", def: "", help: "serve HTTPS with this certificate (PEM, with its chain), reloaded when the file changes", str: &c.TLSCert},
		{name: "tls-key", env: "GLOSS_TLS_KEY", def: "", help: "the private key (PEM) of -tls-cert", str: &c.TLSKey},
		{name: "acme-domain", env: "GLOSS_ACME_DOMAIN", def: "", help: "serve HTTPS with certificates obtained and renewed by ACME (Let's Encrypt) for this domain (several: comma-separated)", str: &c.ACMEDomain},
		{name: "acme-email", env: "GLOSS_ACME_EMAIL", def: "", help: "contact address given to the ACME certificate authority (expiry warnings)", str: &c.ACMEEmail},
		{name: "acme-dir", env: "GLOSS_ACME_DIR", def: acme.LetsEncryptURL, help: "directory URL of the ACME certificate authority", str: &c.ACMEDir},
		{name: "http-addr", env: "GLOSS_HTTP_ADDR", def: ":80", help: "with HTTPS: address for plain HTTP, which redirects to HTTPS and answers ACME's HTTP-01 challenges (off: none)", str: &c.HTTPAddr},
		{name: "metrics-addr", env: "GLOSS_METRICS_ADDR", def: "", help: "serve Prometheus metrics at /metrics on this address (host:port), apart from the site; off when empty", str: &c.MetricsAddr},
		{name: "drain-delay", env: "GLOSS_DRAIN_DELAY", def: "0s", help: "on SIGTERM, keep serving this long with /readyz failing (for a load balancer to notice) before stopping", str: &c.Drain},
		{name: "log-format", env: "GLOSS_LOG_FORMAT", def: "text", help: "log lines as text (key=value) or json", str: &c.LogFormat},
		{name: "smtp-url", env: "GLOSS_SMTP_URL", def: "", help: "email mentions and replies (batched) through this server: smtp://user:pass@host:port (STARTTLS when offered) or smtps://…; off when empty", str: &c.SMTPURL},
		{name: "mail-from", env: "GLOSS_MAIL_FROM", def: "", help: "the From address of Gloss's emails (with -smtp-url)", str: &c.MailFrom},
		{name: "public-url", env: "GLOSS_PUBLIC_URL", def: "", help: "the address people reach Gloss at, for the links in emails and invitations (such as https://gloss.example.org); default https:// and the first -acme-domain", str: &c.PublicURL},
	}
}

// https says whether browsers reach Gloss over HTTPS: served by Gloss
// itself (-tls-cert, -acme-domain) or by a proxy (-behind-tls). The HTTP
// layer then sets Secure cookies and HSTS and writes https:// links.
func (c config) https() bool {
	return c.BehindTLS || c.servesTLS()
}

// servesTLS says whether Gloss terminates TLS itself.
func (c config) servesTLS() bool { return c.TLSCert != "" || c.ACMEDomain != "" }

// DrainDelay is -drain-delay (checked by check).
func (c config) DrainDelay() time.Duration {
	d, _ := time.ParseDuration(c.Drain)
	return d
}

// PublicBase is where links in emails point: -public-url, or the first
// ACME domain.
func (c config) PublicBase() string {
	if c.PublicURL != "" {
		return strings.TrimSuffix(c.PublicURL, "/")
	}
	if d := c.ACMEDomains(); len(d) > 0 {
		return "https://" + d[0]
	}
	return ""
}

// ACMEDomains splits the -acme-domain list.
func (c config) ACMEDomains() []string { return splitList(c.ACMEDomain) }

// TrustedProxies splits the -trusted-proxy list.
func (c config) TrustedProxies() []string { return splitList(c.TrustedProxy) }

// splitList splits a comma-separated list, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
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

// check refuses settings that cannot work together, in one line each.
func (c config) check() error {
	if strings.TrimSpace(c.Addr) == "" || strings.TrimSpace(c.DB) == "" {
		return fmt.Errorf("-addr and -db must not be empty")
	}
	switch {
	case (c.TLSCert == "") != (c.TLSKey == ""):
		return fmt.Errorf("-tls-cert and -tls-key go together: give both files or neither")
	case c.TLSCert != "" && c.ACMEDomain != "":
		return fmt.Errorf("-tls-cert and -acme-domain both set: choose certificate files or ACME, not both")
	case c.ACMEDomain == "" && c.ACMEEmail != "":
		return fmt.Errorf("-acme-email needs -acme-domain")
	case c.LogFormat != "text" && c.LogFormat != "json":
		return fmt.Errorf("-log-format %q: want text or json", c.LogFormat)
	}
	for _, d := range c.ACMEDomains() {
		if !validDomain(d) {
			return fmt.Errorf("-acme-domain %q is not a domain name (such as gloss.example.org; no scheme, port or path)", d)
		}
	}
	if c.ACMEDomain != "" {
		if u, err := url.Parse(c.ACMEDir); err != nil || u.Scheme != "https" || u.Host == "" {
			return fmt.Errorf("-acme-dir %q is not an https:// URL", c.ACMEDir)
		}
	}
	if c.ACMEEmail != "" {
		if a, err := mail.ParseAddress(c.ACMEEmail); err != nil || a.Address != c.ACMEEmail {
			return fmt.Errorf("-acme-email %q is not an email address", c.ACMEEmail)
		}
	}
	if c.servesTLS() && c.HTTPAddr != "off" {
		if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
			return fmt.Errorf("-http-addr %q: want host:port (such as :80) or off", c.HTTPAddr)
		}
	}
	if d, err := time.ParseDuration(c.Drain); err != nil || d < 0 {
		return fmt.Errorf("-drain-delay %q: want a duration such as 5s", c.Drain)
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			return fmt.Errorf("-metrics-addr %q: want host:port (such as 127.0.0.1:9090)", c.MetricsAddr)
		}
	}
	return c.checkMail()
}

// checkMail refuses email settings that cannot work.
func (c config) checkMail() error {
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" {
			return fmt.Errorf("-public-url %q: want the site's address, such as https://gloss.example.org", c.PublicURL)
		}
	}
	if c.SMTPURL == "" {
		if c.MailFrom != "" {
			return fmt.Errorf("-mail-from needs -smtp-url")
		}
		return nil
	}
	u, err := url.Parse(c.SMTPURL)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return fmt.Errorf("-smtp-url: want smtp://user:pass@host:port or smtps://…")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("-smtp-url: the port %q is not a port number", p)
		}
	}
	if a, err := mail.ParseAddress(c.MailFrom); err != nil || !strings.Contains(a.Address, "@") {
		return fmt.Errorf("-smtp-url needs -mail-from, the address Gloss's emails come from (such as gloss@example.org)")
	}
	if c.PublicBase() == "" {
		return fmt.Errorf("-smtp-url needs -public-url, the address people reach Gloss at, for the links in emails")
	}
	return nil
}

// validDomain accepts a DNS name of two labels or more: letters, digits
// and hyphens (punycode for others).
func validDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(d) > 253 || len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

var errHelp = errors.New("help requested")

func printUsage(out io.Writer) {
	fmt.Fprint(out, usage)
	var cfg config
	for _, s := range cfg.settings() {
		fmt.Fprintf(out, "  -%-14s %s (env %s, default %q)\n", s.name, s.help, s.env, s.def)
	}
}

// newLogger logs to out as text (key=value) or, with -log-format json, as
// one JSON object a line.
func newLogger(out io.Writer, format string) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(out, opts))
	}
	return slog.New(slog.NewTextHandler(out, opts))
}

package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"gloss/db/postgres"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"
)

// acmeHTTPClient is the client that talks to the ACME directory; nil is
// http.DefaultClient. Tests point it at a test CA's certificate.
var acmeHTTPClient *http.Client

// httpsSetup is how Gloss serves HTTPS itself: the TLS configuration of
// the main listener, and the handler of the plain HTTP one (redirects, and
// ACME's HTTP-01 challenges).
type httpsSetup struct {
	tls   *tls.Config
	plain func(tlsPort string) http.Handler // given the port HTTPS listens on
	warm  func(log *slog.Logger)            // nil, or fetches the first certificate ahead of the first visitor
}

// setupHTTPS prepares HTTPS from certificate files or ACME, or returns nil
// when Gloss serves plain HTTP. Every mistake it can see without the
// network is an error here, before anything listens.
func setupHTTPS(cfg config, log *slog.Logger) (*httpsSetup, error) {
	switch {
	case cfg.TLSCert != "":
		r, err := newCertReloader(cfg.TLSCert, cfg.TLSKey, log)
		if err != nil {
			return nil, err
		}
		return &httpsSetup{
			tls:   &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: r.getCertificate, NextProtos: []string{"h2", "http/1.1"}},
			plain: func(tlsPort string) http.Handler { return redirectToHTTPS(tlsPort, nil) },
		}, nil
	case cfg.ACMEDomain != "":
		dir := acmeCacheDir(cfg.DB)
		// 0700 even when the directory exists: it holds the account's and
		// the certificates' private keys.
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("acme certificate cache: %w", err)
		}
		if err := os.Chmod(dir, 0o700); err != nil {
			return nil, fmt.Errorf("acme certificate cache: %w", err)
		}
		domains := cfg.ACMEDomains()
		m := &autocert.Manager{
			Prompt:     autocert.AcceptTOS,
			Cache:      autocert.DirCache(dir),
			HostPolicy: autocert.HostWhitelist(domains...),
			Email:      cfg.ACMEEmail,
			Client:     &acme.Client{DirectoryURL: cfg.ACMEDir, HTTPClient: acmeHTTPClient},
		}
		tc := m.TLSConfig() // h2, http/1.1 and acme-tls/1 (TLS-ALPN-01)
		tc.MinVersion = tls.VersionTLS12
		setup := &httpsSetup{tls: tc, plain: func(tlsPort string) http.Handler {
			acmeHTTP := m.HTTPHandler(redirectToHTTPS(tlsPort, domains)) // and HTTP-01
			// autocert checks the Host header against the domains as it is,
			// port included: on a port other than 80 it would refuse its
			// own challenges.
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if h, _, err := net.SplitHostPort(r.Host); err == nil {
					r.Host = h
				}
				acmeHTTP.ServeHTTP(w, r)
			})
		}}
		setup.warm = func(log *slog.Logger) {
			for _, d := range domains {
				cert, err := m.GetCertificate(ecdsaHello(d))
				if err != nil {
					log.Error("acme: no certificate yet (retried at the next visit)", "domain", d, "err", err)
					continue
				}
				log.Info("acme: certificate ready", "domain", d, "not_after", notAfter(cert))
			}
		}
		return setup, nil
	}
	return nil, nil
}

// notAfter is when a certificate expires, for the logs.
func notAfter(c *tls.Certificate) string {
	if c == nil || c.Leaf == nil {
		return "unknown"
	}
	return c.Leaf.NotAfter.UTC().Format(time.RFC3339)
}

// acmeCacheDir is where ACME keys and certificates live: a directory
// "acme" beside the SQLite database, or in the working directory when the
// database is PostgreSQL's.
func acmeCacheDir(db string) string {
	if postgres.IsDSN(db) {
		return "acme"
	}
	return filepath.Join(filepath.Dir(db), "acme")
}

// ecdsaHello is a ClientHello as a modern browser's, for autocert to fetch
// the ECDSA certificate such browsers will be served.
func ecdsaHello(domain string) *tls.ClientHelloInfo {
	return &tls.ClientHelloInfo{
		ServerName:        domain,
		SignatureSchemes:  []tls.SignatureScheme{tls.ECDSAWithP256AndSHA256},
		SupportedCurves:   []tls.CurveID{tls.CurveP256},
		CipherSuites:      []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256},
		SupportedVersions: []uint16{tls.VersionTLS13, tls.VersionTLS12},
	}
}

// redirectToHTTPS sends plain HTTP to the same path over HTTPS, on tlsPort
// (left out when 443). With ACME domains, a host that is not one of them
// is sent to the first. Only GET and HEAD are redirected: anything else
// already crossed the network in the clear and is refused.
func redirectToHTTPS(tlsPort string, domains []string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "Use HTTPS.", http.StatusBadRequest)
			return
		}
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		if len(domains) > 0 && !slices.Contains(domains, strings.ToLower(host)) {
			host = domains[0]
		}
		if host == "" || strings.ContainsAny(host, "/\\@") {
			http.Error(w, "Use HTTPS.", http.StatusBadRequest)
			return
		}
		if tlsPort != "443" {
			host = net.JoinHostPort(host, tlsPort)
		}
		http.Redirect(w, r, "https://"+host+r.URL.RequestURI(), http.StatusMovedPermanently)
	})
}

// certReloader serves a certificate from files and loads them again when
// they change (a renewal by certbot or another tool), checked at each
// handshake: two stat calls beside a handshake's signature. A pair that
// does not load (a renewal half written) keeps the old one in service
// until the files load.
type certReloader struct {
	certFile, keyFile string
	log               *slog.Logger

	mu      sync.Mutex
	cert    *tls.Certificate
	certMod fileStamp
	keyMod  fileStamp
	// the stamps of a pair that did not load, so it is tried (and
	// logged) once, not at every handshake
	badCert, badKey fileStamp
}

// fileStamp is what tells that a file changed.
type fileStamp struct {
	mod  time.Time
	size int64
}

func stamp(path string) (fileStamp, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{}, err
	}
	return fileStamp{fi.ModTime(), fi.Size()}, nil
}

func newCertReloader(certFile, keyFile string, log *slog.Logger) (*certReloader, error) {
	r := &certReloader{certFile: certFile, keyFile: keyFile, log: log}
	if err := r.load(); err != nil {
		return nil, err
	}
	return r, nil
}

// load reads the pair; the caller holds mu or is the constructor.
func (r *certReloader) load() error {
	cs, err := stamp(r.certFile)
	if err != nil {
		return fmt.Errorf("-tls-cert: %w", err)
	}
	ks, err := stamp(r.keyFile)
	if err != nil {
		return fmt.Errorf("-tls-key: %w", err)
	}
	cert, err := tls.LoadX509KeyPair(r.certFile, r.keyFile)
	if err != nil {
		return fmt.Errorf("-tls-cert %s and -tls-key %s: %w", r.certFile, r.keyFile, unwrapPEM(err))
	}
	if cert.Leaf != nil && time.Now().After(cert.Leaf.NotAfter) {
		r.log.Warn("the certificate has expired", "file", r.certFile, "not_after", cert.Leaf.NotAfter)
	}
	r.cert, r.certMod, r.keyMod = &cert, cs, ks
	return nil
}

// unwrapPEM keeps crypto/tls's message to one line.
func unwrapPEM(err error) error {
	return errors.New(strings.ReplaceAll(err.Error(), "\n", " "))
}

func (r *certReloader) getCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	cs, cerr := stamp(r.certFile)
	ks, kerr := stamp(r.keyFile)
	if cerr == nil && kerr == nil && (cs != r.certMod || ks != r.keyMod) && (cs != r.badCert || ks != r.badKey) {
		if err := r.load(); err != nil {
			r.badCert, r.badKey = cs, ks
			r.log.Warn("certificate files changed but do not load: still serving the previous certificate", "err", err)
		} else {
			r.log.Info("certificate reloaded", "file", r.certFile, "not_after", notAfter(r.cert))
		}
	}
	return r.cert, nil
}

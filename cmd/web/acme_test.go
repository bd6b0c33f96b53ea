package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/letsencrypt/pebble/v2/ca"
	pebbledb "github.com/letsencrypt/pebble/v2/db"
	"github.com/letsencrypt/pebble/v2/va"
	"github.com/letsencrypt/pebble/v2/wfe"
	"github.com/miekg/dns"
)

// acmeDomain is the name Gloss gets certificates for from the test CA; the
// test's DNS server says it is 127.0.0.1.
const acmeDomain = "gloss.test"

// TestACME runs a real ACME server (Let's Encrypt's Pebble, in this
// process, with its own DNS on loopback) and has Gloss obtain a
// certificate from it by -acme-domain and -acme-dir: by TLS-ALPN-01 on the
// HTTPS listener, and by HTTP-01 on the plain one when TLS-ALPN-01 cannot
// reach Gloss. The certificate served must chain to Pebble's root, the
// cache must be private (0700), and the site must work over it.
func TestACME(t *testing.T) {
	if testing.Short() {
		t.Skip("runs an ACME server")
	}
	t.Setenv("PEBBLE_VA_NOSLEEP", "1")      // validate at once
	t.Setenv("PEBBLE_WFE_NONCEREJECT", "0") // no deliberately bad nonces
	dnsAddr := startTestDNS(t)
	for _, tc := range []struct {
		name      string
		challenge string
	}{
		{"TLSALPN01", "tls-alpn-01"},
		{"HTTP01", "http-01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pebbleLog := &lockedBuffer{}
			// Pebble's handler is set once Gloss's ports are known; until
			// then the directory answers 404 and autocert waits.
			var handler swapHandler
			handler.set(http.NotFoundHandler())
			acmeSrv := httptest.NewUnstartedServer(&handler)
			acmeSrv.StartTLS()
			defer acmeSrv.Close()
			acmeHTTPClient = acmeSrv.Client() // trusts the test server's certificate
			defer func() { acmeHTTPClient = nil }()

			dir := t.TempDir()
			args := []string{"-addr", "127.0.0.1:0", "-db", filepath.Join(dir, "gloss.db"),
				"-acme-domain", acmeDomain, "-acme-email", "ops@example.org",
				"-acme-dir", "https://" + acmeSrv.Listener.Addr().String() + wfe.DirectoryPath}
			if tc.challenge == "http-01" {
				args = append(args, "-http-addr", "127.0.0.1:0")
			} else {
				args = append(args, "-http-addr", "off")
			}
			srv := runServer(t, args...)
			site := srv.wait("gloss starting")["url"]
			_, sitePort, _ := net.SplitHostPort(strings.TrimPrefix(site, "https://"))
			httpPort, tlsPort := closedPort(t), sitePort
			var plain string
			if tc.challenge == "http-01" {
				plain = srv.wait("plain HTTP listening: redirects to HTTPS")["url"]
				_, httpPort, _ = net.SplitHostPort(strings.TrimPrefix(plain, "http://"))
				tlsPort = closedPort(t) // TLS-ALPN-01 fails first: autocert falls back to HTTP-01
			}

			// Pebble, validating against Gloss's ports.
			logger := log.New(pebbleLog, "pebble ", 0)
			store := pebbledb.NewMemoryStore()
			authority := ca.New(logger, store, "", "ecdsa", 0, 1, map[string]ca.Profile{"default": {Description: "test"}})
			hp, _ := strconv.Atoi(httpPort)
			tp, _ := strconv.Atoi(tlsPort)
			validator := va.New(logger, hp, tp, false, dnsAddr, store)
			front := wfe.New(logger, store, validator, authority, []string{"pebble.letsencrypt.org"}, false, false, 1, 1)
			handler.set(front.Handler())
			srv.wait("gloss listening")

			// The first visitor's handshake waits for the certificate.
			dialer := &net.Dialer{Timeout: 2 * time.Minute}
			roots := x509.NewCertPool()
			roots.AddCert(authority.GetRootCert(0).Cert)
			conn, err := tls.DialWithDialer(dialer, "tcp", "127.0.0.1:"+sitePort, &tls.Config{ServerName: acmeDomain, RootCAs: roots})
			if err != nil {
				t.Fatalf("TLS to %s as %s: %v\npebble's log:\n%s", site, acmeDomain, err, pebbleLog)
			}
			leaf := conn.ConnectionState().PeerCertificates[0]
			conn.Close()
			if leaf.Subject.CommonName != acmeDomain && (len(leaf.DNSNames) != 1 || leaf.DNSNames[0] != acmeDomain) {
				t.Errorf("served a certificate for %v", leaf.DNSNames)
			}
			if tc.challenge == "http-01" && !strings.Contains(pebbleLog.String(), "Attempting to validate w/ HTTP: http://"+acmeDomain+":"+httpPort) {
				t.Errorf("pebble did not validate over HTTP-01:\n%s", pebbleLog)
			}

			fi, err := os.Stat(filepath.Join(dir, "acme"))
			if err != nil || fi.Mode().Perm() != 0o700 {
				t.Errorf("acme cache: %v %v, want a directory with mode 0700", fi, err)
			}
			// autocert may store the certificate just after serving it.
			var entries []os.DirEntry
			for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
				if entries, _ = os.ReadDir(filepath.Join(dir, "acme")); len(entries) >= 2 || time.Now().After(deadline) {
					break
				}
			}
			if len(entries) < 2 {
				t.Errorf("acme cache holds %d files, want the account key and the certificate", len(entries))
			}

			client := &http.Client{
				Timeout: time.Minute,
				Transport: &http.Transport{
					TLSClientConfig: &tls.Config{RootCAs: roots},
					DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
						return dialer.DialContext(ctx, network, "127.0.0.1:"+sitePort)
					},
				},
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			}
			resp, err := client.Get("https://" + acmeDomain + ":" + sitePort + "/")
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Strict-Transport-Security") == "" {
				t.Errorf("GET / over the ACME certificate: %d, HSTS %q", resp.StatusCode, resp.Header.Get("Strict-Transport-Security"))
			}
			if plain != "" {
				req, _ := http.NewRequest(http.MethodGet, plain+"/tags", nil)
				req.Host = "elsewhere.example.org" // not ours: sent to the ACME domain
				resp, err := http.DefaultTransport.RoundTrip(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if want := "https://" + acmeDomain + ":" + sitePort + "/tags"; resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != want {
					t.Errorf("plain HTTP: %d to %q, want 301 to %q", resp.StatusCode, resp.Header.Get("Location"), want)
				}
			}
		})
	}
}

// startTestDNS answers every A question with 127.0.0.1 (and AAAA with
// nothing), over TCP as Pebble asks, and returns its address.
func startTestDNS(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &dns.Server{Listener: ln, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, q *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(q)
		for _, question := range q.Question {
			if question.Qtype == dns.TypeA {
				m.Answer = append(m.Answer, &dns.A{
					Hdr: dns.RR_Header{Name: question.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 0},
					A:   net.ParseIP("127.0.0.1"),
				})
			}
		}
		w.WriteMsg(m)
	})}
	go srv.ActivateAndServe()
	t.Cleanup(func() { srv.Shutdown() })
	return ln.Addr().String()
}

// closedPort is a loopback port nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	ln.Close()
	return port
}

// lockedBuffer is a log others write to while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testCA signs certificates for 127.0.0.1 and localhost, as a real CA
// would sign a server's.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pool *x509.CertPool
}

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Gloss test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &testCA{cert: cert, key: key, pool: pool}
}

// issue writes a certificate with this serial number and its key to
// certFile and keyFile.
func (ca *testCA) issue(t *testing.T, serial int64, certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "localhost"},
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	writePEM(t, certFile, "CERTIFICATE", der)
	writePEM(t, keyFile, "EC PRIVATE KEY", keyDER)
}

func writePEM(t *testing.T, path, typ string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// noRedirects is a client that trusts the test CA and shows redirects
// instead of following them.
func (ca *testCA) client() *http.Client {
	return &http.Client{
		Transport:     &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.pool}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}
}

// servedSerial is the serial number of the certificate a new TLS
// connection to addr is given.
func (ca *testCA) servedSerial(t *testing.T, addr string) int64 {
	t.Helper()
	conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: ca.pool, ServerName: "localhost"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	return conn.ConnectionState().PeerCertificates[0].SerialNumber.Int64()
}

// TestHTTPSFromFiles serves HTTPS with certificate files: the site over
// TLS with HSTS, Secure session cookies and https:// links; plain HTTP
// redirected; the files read again when a renewal replaces them, and a
// broken pair kept out of service.
func TestHTTPSFromFiles(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "gloss.db")
	const pw = "correct horse battery staple"
	if err := run(context.Background(), []string{"-db", dbPath, "user", "add", "-email", "tls@example.org", "-name", "TLS"},
		noEnv, strings.NewReader(pw+"\n"), io.Discard); err != nil {
		t.Fatal(err)
	}
	ca := newTestCA(t)
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	ca.issue(t, 100, certFile, keyFile)

	srv := runServer(t, "-addr", "127.0.0.1:0", "-db", dbPath, "-tls-cert", certFile, "-tls-key", keyFile, "-http-addr", "127.0.0.1:0")
	site := srv.wait("gloss listening")["url"]
	plain := srv.wait("plain HTTP listening: redirects to HTTPS")["url"]
	if !strings.HasPrefix(site, "https://127.0.0.1:") {
		t.Fatalf("site at %q, want https://127.0.0.1:…", site)
	}
	siteURL, _ := url.Parse(site)
	client := ca.client()

	t.Run("HSTS", func(t *testing.T) {
		resp, err := client.Get(site + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.TLS == nil {
			t.Fatalf("GET / over TLS: %d", resp.StatusCode)
		}
		if hsts := resp.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(hsts, "max-age=") {
			t.Errorf("Strict-Transport-Security = %q", hsts)
		}
	})
	t.Run("SecureCookie", func(t *testing.T) {
		resp, err := client.PostForm(site+"/login", url.Values{"email": {"tls@example.org"}, "password": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		var session *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == "gloss_session" {
				session = c
			}
		}
		if resp.StatusCode != http.StatusSeeOther || session == nil || !session.Secure || !session.HttpOnly {
			t.Errorf("sign-in: %d, session cookie %+v: want a Secure, HttpOnly cookie", resp.StatusCode, session)
		}
	})
	t.Run("HTTPSLinks", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, site+"/annotations/", nil)
		req.Header.Set("Accept", "application/ld+json")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if want := `"id":"` + site + `/annotations/`; !strings.Contains(string(body), want) {
			t.Errorf("container lacks %s:\n%.300s", want, body)
		}
	})
	t.Run("Redirect", func(t *testing.T) {
		resp, err := client.Get(plain + "/search?q=refugees")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		want := "https://127.0.0.1:" + siteURL.Port() + "/search?q=refugees"
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != want {
			t.Errorf("plain GET: %d to %q, want 301 to %q", resp.StatusCode, resp.Header.Get("Location"), want)
		}
		resp, err = client.PostForm(plain+"/login", url.Values{"email": {"tls@example.org"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("plain POST: %d, want 400 (use HTTPS)", resp.StatusCode)
		}
	})
	t.Run("Reload", func(t *testing.T) {
		addr := siteURL.Host
		if got := ca.servedSerial(t, addr); got != 100 {
			t.Fatalf("serving serial %d, want 100", got)
		}
		// A renewal: new files in place (later times, in case the
		// filesystem's clock is coarse).
		ca.issue(t, 101, certFile, keyFile)
		later := time.Now().Add(2 * time.Second)
		os.Chtimes(certFile, later, later)
		os.Chtimes(keyFile, later, later)
		if got := ca.servedSerial(t, addr); got != 101 {
			t.Errorf("after the renewal serving serial %d, want 101", got)
		}
		// Half a renewal: a new certificate whose key is not there yet.
		other := filepath.Join(dir, "other-key.pem")
		ca.issue(t, 102, certFile, other)
		later = later.Add(2 * time.Second)
		os.Chtimes(certFile, later, later)
		if got := ca.servedSerial(t, addr); got != 101 {
			t.Errorf("with a mismatched pair serving serial %d, want the previous 101", got)
		}
		// The key arrives: the pair is served.
		key, _ := os.ReadFile(other)
		os.WriteFile(keyFile, key, 0o600)
		later = later.Add(2 * time.Second)
		os.Chtimes(keyFile, later, later)
		if got := ca.servedSerial(t, addr); got != 102 {
			t.Errorf("with the pair complete serving serial %d, want 102", got)
		}
	})
}

// TestHTTPSConfigErrors: what cannot work stops the server at once, with
// one line that says what is wrong, before it serves anything.
func TestHTTPSConfigErrors(t *testing.T) {
	dir := t.TempDir()
	ca := newTestCA(t)
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	ca.issue(t, 1, certFile, keyFile)
	otherCert, otherKey := filepath.Join(dir, "other-cert.pem"), filepath.Join(dir, "other-key.pem")
	ca.issue(t, 2, otherCert, otherKey)
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	dbPath := filepath.Join(dir, "gloss.db")

	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"KeyMissing":      {[]string{"-tls-cert", certFile}, "-tls-cert and -tls-key go together"},
		"KeyFileMissing":  {[]string{"-tls-cert", certFile, "-tls-key", filepath.Join(dir, "nope.pem")}, "-tls-key: stat " + filepath.Join(dir, "nope.pem") + ": no such file or directory"},
		"KeyMismatch":     {[]string{"-tls-cert", certFile, "-tls-key", otherKey}, "private key does not match public key"},
		"NotPEM":          {[]string{"-tls-cert", dbPath + ".txt", "-tls-key", keyFile}, "-tls-cert"},
		"Port80Taken":     {[]string{"-tls-cert", certFile, "-tls-key", keyFile, "-http-addr", taken.Addr().String()}, "listen on " + taken.Addr().String() + ": "},
		"AddrTaken":       {[]string{"-addr", taken.Addr().String(), "-tls-cert", certFile, "-tls-key", keyFile, "-http-addr", "off"}, "listen on " + taken.Addr().String()},
		"MetricsTaken":    {[]string{"-metrics-addr", taken.Addr().String()}, "listen on " + taken.Addr().String()},
		"FilesAndACME":    {[]string{"-tls-cert", certFile, "-tls-key", keyFile, "-acme-domain", "gloss.example.org"}, "choose certificate files or ACME"},
		"ACMEDomainURL":   {[]string{"-acme-domain", "https://gloss.example.org"}, "is not a domain name"},
		"ACMEEmailAlone":  {[]string{"-acme-email", "ops@example.org"}, "-acme-email needs -acme-domain"},
		"ACMEDirNotHTTPS": {[]string{"-acme-domain", "gloss.example.org", "-acme-dir", "http://ca.example.org/dir"}, "is not an https:// URL"},
		"LogFormat":       {[]string{"-log-format", "xml"}, "want text or json"},
	} {
		t.Run(name, func(t *testing.T) {
			os.WriteFile(dbPath+".txt", []byte("not a certificate"), 0o600)
			var out strings.Builder
			args := append([]string{"-addr", "127.0.0.1:0", "-db", dbPath}, tc.args...)
			err := run(context.Background(), args, noEnv, nil, &out)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err = %v, want one line with %q", err, tc.want)
			}
			if strings.Contains(out.String(), "gloss starting") {
				t.Errorf("it started before refusing:\n%s", out.String())
			}
		})
	}
	t.Run("ExitStatus", func(t *testing.T) {
		cmd := exec.Command(buildWeb(t), "-addr", "127.0.0.1:0", "-db", dbPath, "-tls-cert", certFile, "-tls-key", otherKey)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Fatalf("run: %v, want exit status 1", err)
		}
		if msg := stderr.String(); !strings.HasPrefix(msg, "web: -tls-cert ") || strings.Count(msg, "\n") != 1 || stdout.Len() != 0 {
			t.Errorf("stderr %q, stdout %q: want one line on stderr and nothing else", msg, stdout.String())
		}
	})
}

package main

import (
	"context"
	"io"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"gloss/db"
	"gloss/db/sqlite"
	"gloss/handlers"
)

// smtpServer is a real SMTP server (go-smtp) that keeps what it receives.
type smtpServer struct {
	srv  *smtp.Server
	addr string
	mu   sync.Mutex
	got  []*mail.Message
	data int           // DATA commands seen
	slow time.Duration // each DATA answers this late
}

func startSMTP(t *testing.T) *smtpServer {
	t.Helper()
	s := &smtpServer{}
	s.srv = smtp.NewServer(s)
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	go s.srv.Serve(ln)
	t.Cleanup(func() { s.srv.Close() })
	return s
}

func (s *smtpServer) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: s}, nil }

func (s *smtpServer) messages() []*mail.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*mail.Message(nil), s.got...)
}

type smtpSession struct{ s *smtpServer }

func (ss *smtpSession) Reset()                                         {}
func (ss *smtpSession) Logout() error                                  { return nil }
func (ss *smtpSession) Mail(from string, opts *smtp.MailOptions) error { return nil }
func (ss *smtpSession) Rcpt(to string, opts *smtp.RcptOptions) error   { return nil }
func (ss *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	ss.s.data++
	slow := ss.s.slow
	ss.s.mu.Unlock()
	time.Sleep(slow)
	m, err := mail.ReadMessage(strings.NewReader(string(b)))
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	ss.s.got = append(ss.s.got, m)
	ss.s.mu.Unlock()
	return nil
}

// mailWorld is a store with Ana (who writes), Bo (who replies and
// mentions her) in one group, and a mailer whose clock the test moves.
type mailWorld struct {
	store  *sqlite.Store
	mailer *mailer
	clock  time.Time
	ana    db.User
	bo     db.Viewer
	top    db.Annotation
}

func newMailWorld(t *testing.T, server string) *mailWorld {
	t.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "gloss.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := store.ImportArticle(ctx, db.ArticleInput{Slug: "a", Title: "Refugees", Body: "Some 50,000 North Koreans are in China."}); err != nil {
		t.Fatal(err)
	}
	art, _ := store.ArticleBySlug(ctx, "a")
	w := &mailWorld{store: store, clock: time.Now()}
	w.ana, _ = store.CreateUser(ctx, db.NewUser{Email: "ana@example.org", Name: "Ana", Password: "a long enough password"})
	bo, _ := store.CreateUser(ctx, db.NewUser{Email: "bo@example.org", Name: "Bo", Password: "a long enough password"})
	g, err := store.CreateGroup(ctx, w.ana.ID, "Seminar", "")
	if err != nil {
		t.Fatal(err)
	}
	token, _, _ := store.CreateInvite(ctx, db.NewInvite{GroupID: g.ID, Role: db.RoleMember, CreatedBy: w.ana.ID})
	if _, err := store.AcceptGroupInvite(ctx, token, bo.ID); err != nil {
		t.Fatal(err)
	}
	anaV, _ := store.ViewerFor(ctx, w.ana)
	w.bo, _ = store.ViewerFor(ctx, bo)
	if w.top, err = store.CreateAnnotation(ctx, anaV, art.ID, db.AnnotationInput{Start: -1, End: -1, Exact: "50,000", Body: "low?", Visibility: "group", Group: itoa(g.ID)}); err != nil {
		t.Fatal(err)
	}
	cfg := config{SMTPURL: "smtp://" + server, MailFrom: "gloss@example.org", PublicURL: "https://gloss.test"}
	if err := cfg.checkMail(); err != nil {
		t.Fatal(err)
	}
	if w.mailer, err = newMailer(store, cfg, newLogger(io.Discard, "text")); err != nil {
		t.Fatal(err)
	}
	w.mailer.now = func() time.Time { return w.clock }
	w.mailer.timeout = 2 * time.Second
	return w
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func (w *mailWorld) reply(t *testing.T, body string) {
	t.Helper()
	if _, err := w.store.CreateReply(context.Background(), w.bo, w.top.ID, body); err != nil {
		t.Fatal(err)
	}
}

// later moves the mailer's clock on and runs it once.
func (w *mailWorld) later(d time.Duration) {
	w.clock = w.clock.Add(d)
	w.mailer.once(context.Background())
}

func (w *mailWorld) outbox(t *testing.T) map[string]int {
	t.Helper()
	st, err := w.store.OutboxStates(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestMailBatchesAndUnsubscribes(t *testing.T) {
	srv := startSMTP(t)
	w := newMailWorld(t, srv.addr)
	w.reply(t, "one")
	w.reply(t, "two, and @[Ana] look")
	w.reply(t, "three")
	w.later(0) // too soon: a burst is gathered for a minute
	if n := len(srv.messages()); n != 0 {
		t.Fatalf("%d emails before the batch's minute", n)
	}
	w.later(2 * time.Minute)
	got := srv.messages()
	if len(got) != 1 {
		t.Fatalf("%d emails, want 1 for three notifications", len(got))
	}
	m := got[0]
	body, _ := io.ReadAll(quotedprintable.NewReader(m.Body))
	text := string(body)
	if m.Header.Get("To") != "<ana@example.org>" || m.Header.Get("Subject") != "Gloss: 1 mention and 2 replies" ||
		!strings.HasPrefix(m.Header.Get("List-Unsubscribe"), "<https://gloss.test/unsubscribe/") ||
		m.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || m.Header.Get("Message-ID") == "" {
		t.Errorf("headers %v", m.Header)
	}
	if !strings.Contains(text, "Bo mentioned you on “Refugees”\r\n  two, and @Ana look") || strings.Count(text, "https://gloss.test/notifications/") != 3 ||
		!strings.Contains(text, strings.Trim(m.Header.Get("List-Unsubscribe"), "<>")) {
		t.Errorf("body:\n%s", text)
	}

	// Another reply within ten minutes waits; after them it goes alone.
	w.reply(t, "four")
	w.later(2 * time.Minute)
	if n := len(srv.messages()); n != 1 {
		t.Fatalf("%d emails within ten minutes of the first", n)
	}
	w.later(10 * time.Minute)
	if n := len(srv.messages()); n != 2 {
		t.Fatalf("%d emails after ten minutes, want 2", n)
	}

	// The one-click unsubscribe (RFC 8058), as a mail program posts it.
	link := strings.Trim(m.Header.Get("List-Unsubscribe"), "<>")
	e, err := handlers.New(w.store, handlers.Config{})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, strings.Replace(link, "https://gloss.test", "", 1), strings.NewReader("List-Unsubscribe=One-Click"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "no more emails") {
		t.Fatalf("unsubscribe: %d %s", rec.Code, rec.Body.String())
	}
	w.reply(t, "five")
	w.later(20 * time.Minute)
	if n := len(srv.messages()); n != 2 {
		t.Errorf("%d emails after unsubscribing", n)
	}
	if st := w.outbox(t); st["sent"] != 2 || len(st) != 1 {
		t.Errorf("outbox %v", st)
	}
}

func TestMailServerDownThenUp(t *testing.T) {
	// A port where nothing listens.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	down := ln.Addr().String()
	ln.Close()
	w := newMailWorld(t, down)
	w.reply(t, "hello")
	w.later(2 * time.Minute)
	if st := w.outbox(t); st["pending"] != 1 {
		t.Fatalf("outbox %v: the message must wait for a retry", st)
	}
	// The server comes back (somewhere else: the same setting, moved).
	srv := startSMTP(t)
	w.mailer.server.Host = srv.addr
	w.later(10 * time.Second) // before the backoff: not yet
	if n := len(srv.messages()); n != 0 {
		t.Fatalf("retried before its backoff: %d", n)
	}
	w.later(2 * time.Minute)
	w.later(2 * time.Minute)
	if n := len(srv.messages()); n != 1 {
		t.Fatalf("%d emails after the server came back, want exactly 1", n)
	}
	if st := w.outbox(t); st["sent"] != 1 || len(st) != 1 {
		t.Errorf("outbox %v", st)
	}
}

func TestMailSlowServerNeverTwice(t *testing.T) {
	srv := startSMTP(t)
	srv.slow = 3 * time.Second // answers the end of the message after the mailer gave up
	w := newMailWorld(t, srv.addr)
	w.reply(t, "hello")
	w.later(2 * time.Minute)
	st := w.outbox(t)
	if st["failed"] != 1 {
		t.Fatalf("outbox %v: a send whose answer was lost is not retried", st)
	}
	w.later(time.Hour)
	w.later(time.Hour)
	srv.mu.Lock()
	data := srv.data
	srv.mu.Unlock()
	if data != 1 {
		t.Errorf("the message was handed over %d times", data)
	}
	// What another instance claimed for sending is left to it; past the
	// lease (its server stopped while sending), it is taken for lost and
	// never sent again.
	ctx := context.Background()
	if err := w.store.QueueMail(ctx, db.OutMessage{To: "x@example.org", Subject: "s", Body: "b"}); err != nil {
		t.Fatal(err)
	}
	if claimed, err := w.store.ClaimMail(ctx, w.clock, 10); err != nil || len(claimed) != 1 {
		t.Fatalf("claimed %d, %v", len(claimed), err)
	}
	w.later(30 * time.Minute)
	if st := w.outbox(t); st["sending"] != 1 || st["unknown"] != 0 {
		t.Errorf("outbox %v half an hour after another instance claimed a message: want it left sending", st)
	}
	w.later(time.Hour)
	if st := w.outbox(t); st["sending"] != 0 || st["unknown"] != 1 {
		t.Errorf("outbox %v past the lease: want the message unknown", st)
	}
	srv.mu.Lock()
	data = srv.data
	srv.mu.Unlock()
	if data != 1 {
		t.Errorf("the server got %d messages, want only the first", data)
	}
	if n, err := w.store.RecoverMail(ctx, w.clock); err != nil || n != 0 {
		t.Errorf("recovered %d again, %v", n, err)
	}
}

func TestMailConfig(t *testing.T) {
	for _, c := range []struct {
		cfg  config
		want string
	}{
		{config{SMTPURL: "smtp://u:p@mail.example.org:587", MailFrom: "gloss@example.org", PublicURL: "https://gloss.example.org"}, ""},
		{config{SMTPURL: "smtp://mail.example.org", MailFrom: "gloss@example.org", ACMEDomain: "gloss.example.org"}, ""},
		{config{SMTPURL: "http://mail.example.org", MailFrom: "gloss@example.org", PublicURL: "https://g.example.org"}, "want smtp://"},
		{config{SMTPURL: "smtp://mail.example.org:99999", MailFrom: "gloss@example.org", PublicURL: "https://g.example.org"}, "not a port number"},
		{config{SMTPURL: "smtp://mail.example.org", PublicURL: "https://g.example.org"}, "needs -mail-from"},
		{config{SMTPURL: "smtp://mail.example.org", MailFrom: "gloss@example.org"}, "needs -public-url"},
		{config{MailFrom: "gloss@example.org"}, "-mail-from needs -smtp-url"},
		{config{PublicURL: "gloss.example.org"}, "-public-url"},
	} {
		err := c.cfg.checkMail()
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%+v: %v, want %q", c.cfg, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), ":p@") {
			t.Errorf("the password is in the message: %v", err)
		}
	}
}

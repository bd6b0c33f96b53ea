package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gloss/db"
)

// The mailer (only with -smtp-url): every tick it gathers each person's
// mentions and replies not yet emailed into one message (at most one a
// person every mailGap), stores it in the outbox, and sends what the
// outbox holds. A request never waits for it. A failed send is retried
// with backoff and logged; a send interrupted after the message may have
// reached the server is never retried, so nothing is sent twice.

const (
	mailGap   = 10 * time.Minute // at most one email a person this often
	mailWait  = time.Minute      // a notification waits this long, so a burst goes in one email
	mailTick  = 15 * time.Second
	mailTries = 8 // attempts before a message is given up (logged)
	// mailLease is how long a message claimed for sending may take before
	// it is taken for lost (its server stopped): a batch of 10 at a minute
	// each at most takes 10 minutes, and until then another instance may
	// still be sending it.
	mailLease = time.Hour
)

type mailer struct {
	store   db.Mail
	server  *url.URL
	from    *mail.Address
	base    string // links in emails start with it (-public-url)
	log     *slog.Logger
	gap     time.Duration
	wait    time.Duration
	tick    time.Duration
	timeout time.Duration // one message's whole conversation with the server
	now     func() time.Time
}

func newMailer(store db.Mail, cfg config, log *slog.Logger) (*mailer, error) {
	u, err := url.Parse(cfg.SMTPURL)
	if err != nil {
		return nil, err
	}
	from, err := mail.ParseAddress(cfg.MailFrom)
	if err != nil {
		return nil, err
	}
	if from.Name == "" {
		from.Name = "Gloss"
	}
	return &mailer{store: store, server: u, from: from, base: strings.TrimSuffix(cfg.PublicBase(), "/"), log: log,
		gap: mailGap, wait: mailWait, tick: mailTick, timeout: time.Minute, now: time.Now}, nil
}

// run works until ctx is done.
func (m *mailer) run(ctx context.Context) {
	t := time.NewTicker(m.tick)
	defer t.Stop()
	for {
		m.once(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// once gives up on messages lost in the middle of sending, queues what is
// due and sends what the outbox holds.
func (m *mailer) once(ctx context.Context) {
	if n, err := m.store.RecoverMail(ctx, m.now().Add(-mailLease)); err != nil && ctx.Err() == nil {
		m.log.Error("mail: recover the outbox", "err", err)
	} else if n > 0 {
		m.log.Error("mail: messages were being sent when a Gloss stopped; they are not sent again, so that none is sent twice",
			"messages", n)
	}
	if err := m.queueDigests(ctx); err != nil && ctx.Err() == nil {
		m.log.Error("mail: queue digests", "err", err)
	}
	if err := m.sendOutbox(ctx); err != nil && ctx.Err() == nil {
		m.log.Error("mail: send", "err", err)
	}
}

func (m *mailer) queueDigests(ctx context.Context) error {
	due, err := m.store.DueDigests(ctx, m.now(), m.gap, m.wait)
	if err != nil {
		return err
	}
	for _, d := range due {
		msg := m.digestMessage(d)
		if err := m.store.QueueDigest(ctx, d, msg); err != nil {
			if db.ErrorCode(err) == db.ECONFLICT {
				continue // another instance took it
			}
			return err
		}
	}
	return nil
}

// digestMessage says a person's notifications in a plain-text email, each
// with a link to its passage, and how to stop them.
func (m *mailer) digestMessage(d db.Digest) db.OutMessage {
	var b strings.Builder
	fmt.Fprintf(&b, "Hello %s,\n\n", d.Name)
	if len(d.Items) == 1 {
		b.WriteString("Something new for you on Gloss:\n\n")
	} else {
		fmt.Fprintf(&b, "%d new things for you on Gloss:\n\n", len(d.Items))
	}
	mentions, replies := 0, 0
	for _, n := range d.Items {
		if n.Kind == db.NotifyMention {
			mentions++
		} else {
			replies++
		}
		fmt.Fprintf(&b, "* %s\n", notificationWords(n))
		if n.Excerpt != "" {
			fmt.Fprintf(&b, "  %s\n", n.Excerpt)
		}
		fmt.Fprintf(&b, "  %s/notifications/%d\n\n", m.base, n.ID)
	}
	unsubscribe := m.base + "/unsubscribe/" + d.Token
	fmt.Fprintf(&b, "You get at most one email like this every %d minutes. To get no more: %s\n(or turn them off on %s/notifications)\n",
		int(m.gap.Minutes()), unsubscribe, m.base)
	var parts []string
	if mentions > 0 {
		parts = append(parts, plural(mentions, "mention", "mentions"))
	}
	if replies > 0 {
		parts = append(parts, plural(replies, "reply", "replies"))
	}
	return db.OutMessage{UserID: d.UserID, To: d.Email, Subject: "Gloss: " + strings.Join(parts, " and "), Body: b.String(), Unsubscribe: unsubscribe}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// notificationWords says a notification in an email's words.
func notificationWords(n db.Notification) string {
	who := n.ActorName
	if who == "" {
		who = "Someone"
	}
	if n.Kind == db.NotifyMention {
		return fmt.Sprintf("%s mentioned you on “%s”", who, n.ArticleTitle)
	}
	return fmt.Sprintf("%s replied to you on “%s”", who, n.ArticleTitle)
}

// sendOutbox sends every message due, one after another.
func (m *mailer) sendOutbox(ctx context.Context) error {
	for ctx.Err() == nil {
		batch, err := m.store.ClaimMail(ctx, m.now(), 10)
		if err != nil || len(batch) == 0 {
			return err
		}
		for _, msg := range batch {
			err, maybeSent := m.deliver(ctx, msg)
			switch {
			case err == nil:
				if err := m.store.MailSent(ctx, msg.ID); err != nil {
					return err
				}
				m.log.Info("mail sent", "outbox", msg.ID, "to", msg.To)
			case maybeSent:
				m.log.Error("mail: the connection failed after the message was handed over: it may have been sent, so it is not sent again",
					"outbox", msg.ID, "to", msg.To, "err", err)
				if err := m.store.MailFailed(ctx, msg.ID, "may have been sent: "+err.Error(), time.Time{}); err != nil {
					return err
				}
			case permanent(err) || msg.Attempts >= mailTries:
				m.log.Error("mail: given up", "outbox", msg.ID, "to", msg.To, "attempts", msg.Attempts, "err", err)
				if err := m.store.MailFailed(ctx, msg.ID, err.Error(), time.Time{}); err != nil {
					return err
				}
			default:
				retry := m.now().Add(backoff(msg.Attempts))
				m.log.Warn("mail: not sent, will retry", "outbox", msg.ID, "to", msg.To, "attempts", msg.Attempts, "retry", retry.UTC().Format(time.RFC3339), "err", err)
				if err := m.store.MailFailed(ctx, msg.ID, err.Error(), retry); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// backoff is how long a message waits after its n-th failed attempt: a
// minute, doubling, at most an hour.
func backoff(n int) time.Duration {
	d := time.Minute << min(max(n-1, 0), 6)
	return min(d, time.Hour)
}

// permanent says the server refused for good (5xx).
func permanent(err error) bool {
	var te *textproto.Error
	return errors.As(err, &te) && te.Code >= 500
}

// deliver sends one message. maybeSent says the failure came after the
// message was handed over (the server may have taken it).
func (m *mailer) deliver(ctx context.Context, msg db.OutMessage) (err error, maybeSent bool) {
	host := m.server.Hostname()
	port := m.server.Port()
	implicitTLS := m.server.Scheme == "smtps"
	if port == "" {
		port = "25"
		if implicitTLS {
			port = "465"
		}
	}
	d := net.Dialer{Timeout: 10 * time.Second}
	var conn net.Conn
	if implicitTLS {
		conn, err = tls.DialWithDialer(&d, "tcp", net.JoinHostPort(host, port), &tls.Config{ServerName: host})
	} else {
		conn, err = d.Dial("tcp", net.JoinHostPort(host, port))
	}
	if err != nil {
		return err, false
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(m.timeout))
	// Shutting down: the conversation ends now (what was handed over is
	// then counted as maybe sent).
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return err, false
	}
	defer c.Close()
	if !implicitTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(&tls.Config{ServerName: host}); err != nil {
				return err, false
			}
		}
	}
	if u := m.server.User; u != nil {
		pw, _ := u.Password()
		if err := c.Auth(smtp.PlainAuth("", u.Username(), pw, host)); err != nil {
			return err, false
		}
	}
	if err := c.Mail(m.from.Address); err != nil {
		return err, false
	}
	if err := c.Rcpt(msg.To); err != nil {
		return err, false
	}
	w, err := c.Data()
	if err != nil {
		return err, false
	}
	if _, err := w.Write(m.compose(msg)); err != nil {
		return err, true
	}
	if err := w.Close(); err != nil {
		// The server's answer to the end of the message: lost or a refusal.
		var te *textproto.Error
		return err, !errors.As(err, &te)
	}
	_ = c.Quit()
	return nil, false
}

// compose writes the message: headers (with one-click unsubscribe, RFC
// 8058) and the body in quoted-printable UTF-8, lines ending in CRLF.
func (m *mailer) compose(msg db.OutMessage) []byte {
	var b bytes.Buffer
	domain := "gloss.invalid"
	if i := strings.LastIndex(m.from.Address, "@"); i >= 0 {
		domain = m.from.Address[i+1:]
	}
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", m.from.String())
	h("To", (&mail.Address{Address: msg.To}).String())
	h("Subject", mime.QEncoding.Encode("utf-8", msg.Subject))
	h("Date", m.now().Format(time.RFC1123Z))
	h("Message-ID", fmt.Sprintf("<outbox-%d@%s>", msg.ID, domain))
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=utf-8")
	h("Content-Transfer-Encoding", "quoted-printable")
	h("Auto-Submitted", "auto-generated")
	if msg.Unsubscribe != "" {
		h("List-Unsubscribe", "<"+msg.Unsubscribe+">")
		h("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	}
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	_, _ = qp.Write([]byte(strings.ReplaceAll(msg.Body, "\n", "\r\n")))
	_ = qp.Close()
	b.WriteString("\r\n")
	return b.Bytes()
}

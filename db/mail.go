package db

import (
	"context"
	"time"
)

// Digest is what one person is to be emailed about: their notifications
// (mentions and replies) not yet emailed, read nor hidden from them.
type Digest struct {
	UserID      int64
	Email, Name string
	Token       string // their unsubscribe token
	Items       []Notification
}

// OutMessage is an email in the outbox.
type OutMessage struct {
	ID          int64
	UserID      int64
	To          string
	Subject     string
	Body        string
	Unsubscribe string // the List-Unsubscribe URL, "" for none
	Attempts    int
}

// Mail: the outbox. Messages are stored before they are sent and are
// sent at most once: one whose sending was interrupted at a point where
// the server may have taken it is not sent again (RecoverMail).
type Mail interface {
	// DueDigests are the people to email now: with mentions or replies
	// older than wait not yet emailed, and no email in the last gap.
	DueDigests(ctx context.Context, now time.Time, gap, wait time.Duration) ([]Digest, error)
	// QueueDigest stores the message for a digest and marks its
	// notifications emailed, in one transaction.
	QueueDigest(ctx context.Context, d Digest, m OutMessage) error
	// QueueMail stores any other message (an invitation).
	QueueMail(ctx context.Context, m OutMessage) error
	// ClaimMail takes up to limit messages due now for sending.
	ClaimMail(ctx context.Context, now time.Time, limit int) ([]OutMessage, error)
	MailSent(ctx context.Context, id int64) error
	// MailFailed records a failed attempt: retried at retryAt, or given up
	// when it is zero.
	MailFailed(ctx context.Context, id int64, reason string, retryAt time.Time) error
	// RecoverMail marks the messages claimed for sending before before and
	// still not sent or failed (their server stopped while sending) as
	// unknown, never to be sent twice, and says how many. A message
	// claimed since may still be on its way, by another instance.
	RecoverMail(ctx context.Context, before time.Time) (int, error)
	// Unsubscribe turns off a person's emails by the token in their
	// emails, and returns their name.
	Unsubscribe(ctx context.Context, token string) (string, error)
	// OutboxStates counts the outbox's messages by state (tests, metrics).
	OutboxStates(ctx context.Context) (map[string]int, error)
}

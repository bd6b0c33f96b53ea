package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"gloss/db"
)

// maxInviteEmails is how many addresses one invitation is emailed to.
const maxInviteEmails = 50

// InviteEmails reads the addresses an invitation is to be emailed to
// (commas, semicolons or lines between them), each checked and
// lowercased, duplicates dropped. None is not an error.
func InviteEmails(raw string) ([]string, error) {
	// Split where the form's hint says, so "ann at example" is named whole
	// in a refusal rather than as three bad addresses.
	fields := strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' })
	var out []string
	seen := map[string]bool{}
	for _, f := range fields {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		e, err := db.NormalizeEmail(f)
		if err != nil {
			return nil, err
		}
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	if len(out) > maxInviteEmails {
		return nil, db.Errorf(db.EINVALID, "An invitation can be emailed to at most %d addresses at once; you gave %d.", maxInviteEmails, len(out))
	}
	return out, nil
}

// MailInvite queues the invitation link to each address in the outbox
// (sent by the mailer, retried, never twice); queue is the store's
// QueueMail. what says what the link does, as in "to join the group
// Seminar as a member".
func MailInvite(r *http.Request, queue func(context.Context, db.OutMessage) error, to []string, link, what string, inv db.Invite) error {
	from := Viewer(r).Name
	subject := fmt.Sprintf("%s invites you to Gloss", from)
	body := fmt.Sprintf("%s invites you %s on Gloss, a place to read, annotate and discuss articles together.\n\n"+
		"Open this link to accept:\n%s\n\nThe link expires on %s. If you did not expect this email, ignore it: nothing happens without the link.\n",
		from, what, link, inv.ExpiresAt.UTC().Format("2 January 2006"))
	for _, addr := range to {
		if err := queue(r.Context(), db.OutMessage{To: addr, Subject: subject, Body: body}); err != nil {
			return err
		}
	}
	return nil
}

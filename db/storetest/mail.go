package storetest

import (
	"context"
	"testing"
	"time"

	"gloss/db"
)

// TestOutboxLease: a message claimed for sending is being sent, by this
// instance or another, until the lease given to RecoverMail has passed;
// only then is it taken for lost (unknown), never to be sent again. A
// message sent or failed is never recovered.
func TestOutboxLease(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	for _, to := range []string{"a@example.org", "b@example.org"} {
		if err := d.QueueMail(ctx, db.OutMessage{To: to, Subject: "s", Body: "b"}); err != nil {
			t.Fatal(err)
		}
	}
	claimedAt := time.Now().Add(time.Hour).UTC().Truncate(time.Millisecond)
	claimed, err := d.ClaimMail(ctx, claimedAt, 10)
	if err != nil || len(claimed) != 2 {
		t.Fatalf("claimed %d, %v", len(claimed), err)
	}
	if err := d.MailSent(ctx, claimed[1].ID); err != nil {
		t.Fatal(err)
	}
	if again, err := d.ClaimMail(ctx, claimedAt.Add(time.Hour), 10); err != nil || len(again) != 0 {
		t.Fatalf("claimed %d again, %v", len(again), err)
	}
	if n, err := d.RecoverMail(ctx, claimedAt); err != nil || n != 0 {
		t.Errorf("recovered %d claimed at the cut-off, %v: want none (it may still be on its way)", n, err)
	}
	if n, err := d.RecoverMail(ctx, claimedAt.Add(time.Millisecond)); err != nil || n != 1 {
		t.Errorf("recovered %d claimed before the cut-off, %v: want the one not sent", n, err)
	}
	st, err := d.OutboxStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st["unknown"] != 1 || st["sent"] != 1 || st["sending"] != 0 {
		t.Errorf("outbox %v", st)
	}
}

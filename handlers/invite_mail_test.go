package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gloss/db"
	"gloss/handlers"
)

// TestInvitationsByEmail: with email set up, an account invitation and a
// group invitation can be emailed (queued in the outbox, which the mailer
// sends), the link in the email is the one shown, and a refused form
// makes neither an invitation nor an email. Without email the forms do
// not offer it and a forged field sends nothing.
func TestInvitationsByEmail(t *testing.T) {
	ctx := context.Background()
	inviteLink := regexp.MustCompile(`https?://[^\s"<]+/invites/inv_[A-Za-z0-9_-]+`)
	outbox := func(t *testing.T, store interface {
		ClaimMail(context.Context, time.Time, int) ([]db.OutMessage, error)
	}) []db.OutMessage {
		t.Helper()
		msgs, err := store.ClaimMail(ctx, time.Now().Add(time.Hour), 100)
		if err != nil {
			t.Fatal(err)
		}
		return msgs
	}

	t.Run("AccountInvite", func(t *testing.T) {
		e, store := newAppWith(t, handlers.Config{MailEnabled: true})
		mustUser(t, store, "admin@example.org", "Admin Ada", true)
		admin := signedIn(t, e, "admin@example.org")
		if doc := parse(t, admin.get("/admin")); doc.Find(`input[name="send"]`).Length() != 1 || doc.Find(`label[for="f-send"]`).Length() != 1 {
			t.Fatal("the invite form does not offer to email the link")
		}
		if rec := admin.post("/admin/invites", url.Values{"email": {""}, "send": {"1"}}); rec.Code != 422 ||
			!strings.Contains(parse(t, rec).Find(".field-error").Text(), "Give their email") {
			t.Errorf("send without an address: %d", rec.Code)
		}
		if rec := admin.post("/admin/invites", url.Values{"email": {"not an address"}, "send": {"1"}}); rec.Code != 422 {
			t.Errorf("a bad address: %d", rec.Code)
		}
		if msgs := outbox(t, store); len(msgs) != 0 {
			t.Fatalf("refused forms queued %d emails", len(msgs))
		}
		rec := admin.post("/admin/invites", url.Values{"email": {"Newcomer@Example.org"}, "send": {"1"}})
		if rec.Code != http.StatusCreated {
			t.Fatalf("email an invitation: %d %s", rec.Code, rec.Body)
		}
		doc := parse(t, rec)
		if got := doc.Find(`[data-testid="invite-emailed"]`).Text(); !strings.Contains(got, "newcomer@example.org") {
			t.Errorf("the page says %q", got)
		}
		shown := inviteLink.FindString(doc.Find(`[data-testid="invite-url"]`).Text())
		msgs := outbox(t, store)
		if len(msgs) != 1 || msgs[0].To != "newcomer@example.org" || !strings.Contains(msgs[0].Subject, "Admin Ada") {
			t.Fatalf("outbox %+v", msgs)
		}
		if link := inviteLink.FindString(msgs[0].Body); link == "" || link != shown {
			t.Errorf("the email's link %q, the page's %q", link, shown)
		}
		// The emailed link makes the account.
		path := shown[strings.Index(shown, "/invites/"):]
		if rec := newClient(t, e).post(path, url.Values{"email": {"newcomer@example.org"}, "name": {"Newcomer"}, "password": {testPassword}}); rec.Code != http.StatusSeeOther {
			t.Errorf("accepting the emailed link: %d", rec.Code)
		}
	})

	t.Run("GroupInvite", func(t *testing.T) {
		e, store := newAppWith(t, handlers.Config{MailEnabled: true})
		owner := mustUser(t, store, "owner@example.org", "Owner Olu", false)
		cl := signedIn(t, e, "owner@example.org")
		groupPath := cl.post("/groups", url.Values{"name": {"Seminar"}, "description": {""}}).Header().Get("Location")
		if parse(t, cl.get(groupPath)).Find(`textarea[name="emails"]`).Length() != 1 {
			t.Fatal("the group's invite form does not offer to email the link")
		}
		groups, err := store.GroupsOf(ctx, owner.ID)
		if err != nil || len(groups) != 1 {
			t.Fatal(groups, err)
		}
		for name, form := range map[string]url.Values{
			"a bad address":      {"role": {"member"}, "uses": {"5"}, "emails": {"a@example.org, nonsense"}},
			"more than the uses": {"role": {"member"}, "uses": {"1"}, "emails": {"a@example.org\nb@example.org"}},
			"too many":           {"role": {"member"}, "uses": {"500"}, "emails": {manyAddresses(51)}},
		} {
			if rec := cl.post(groupPath+"/invites", form); rec.Code != 422 || parse(t, rec).Find(`#f-emails-error`).Length() != 1 {
				t.Errorf("%s: %d", name, rec.Code)
			}
		}
		if invs, _ := store.GroupInvites(ctx, groups[0].ID); len(invs) != 0 {
			t.Errorf("refused forms made %d invitations", len(invs))
		}
		if msgs := outbox(t, store); len(msgs) != 0 {
			t.Fatalf("refused forms queued %d emails", len(msgs))
		}
		rec := cl.post(groupPath+"/invites", url.Values{"role": {"viewer"}, "uses": {"3"}, "emails": {"a@example.org; B@example.org\na@example.org"}})
		if rec.Code != http.StatusCreated {
			t.Fatalf("email a group invitation: %d %s", rec.Code, rec.Body)
		}
		doc := parse(t, rec)
		if got := doc.Find(`[data-testid="invite-emailed"]`).Text(); !strings.Contains(got, "a@example.org, b@example.org") {
			t.Errorf("the page says %q", got)
		}
		if v := doc.Find(`textarea[name="emails"]`).Text(); v != "" {
			t.Errorf("the addresses stay in the form after sending: %q", v)
		}
		shown := inviteLink.FindString(doc.Find(`[data-testid="invite-url"]`).Text())
		msgs := outbox(t, store)
		if len(msgs) != 2 {
			t.Fatalf("%d emails, want 2 (a duplicate address is one)", len(msgs))
		}
		for _, m := range msgs {
			if inviteLink.FindString(m.Body) != shown || !strings.Contains(m.Body, "“Seminar” (as a viewer)") {
				t.Errorf("email to %s:\n%s", m.To, m.Body)
			}
		}
	})

	t.Run("OnThePublicAddress", func(t *testing.T) {
		// Whatever host the owner's request came to, the link shown and
		// emailed is on the address people reach Gloss at.
		e, store := newAppWith(t, handlers.Config{MailEnabled: true, PublicURL: "https://gloss.example.org/"})
		mustUser(t, store, "admin@example.org", "Admin", true)
		admin := signedIn(t, e, "admin@example.org")
		rec := admin.post("/admin/invites", url.Values{"email": {"x@example.org"}, "send": {"1"}})
		shown := inviteLink.FindString(parse(t, rec).Find(`[data-testid="invite-url"]`).Text())
		if !strings.HasPrefix(shown, "https://gloss.example.org/invites/inv_") {
			t.Errorf("the link shown is %q", shown)
		}
		if msgs := outbox(t, store); len(msgs) != 1 || inviteLink.FindString(msgs[0].Body) != shown {
			t.Errorf("emailed %+v, shown %q", msgs, shown)
		}
	})

	t.Run("WithoutEmail", func(t *testing.T) {
		e, store := newApp(t)
		mustUser(t, store, "admin@example.org", "Admin", true)
		admin := signedIn(t, e, "admin@example.org")
		if parse(t, admin.get("/admin")).Find(`input[name="send"]`).Length() != 0 {
			t.Error("the form offers email when Gloss cannot send any")
		}
		if rec := admin.post("/admin/invites", url.Values{"email": {"x@example.org"}, "send": {"1"}}); rec.Code != http.StatusCreated {
			t.Fatalf("invite: %d", rec.Code)
		}
		if msgs := outbox(t, store); len(msgs) != 0 {
			t.Errorf("a forged send field queued %d emails", len(msgs))
		}
	})
}

func manyAddresses(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(fmt.Sprintf("p%d@example.org\n", i))
	}
	return b.String()
}

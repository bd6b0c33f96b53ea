package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"gloss/db"
)

// eventsSince returns the events stored after seq.
func eventsSince(t *testing.T, d Engine, seq int64) []db.Event {
	t.Helper()
	evs, err := d.EventsAfter(context.Background(), seq, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func lastSeq(t *testing.T, d Engine) int64 {
	t.Helper()
	_, last, err := d.EventBounds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return last
}

func kinds(evs []db.Event) []db.EventKind {
	var out []db.EventKind
	for _, e := range evs {
		out = append(out, e.Kind)
	}
	return out
}

// TestEventLog: each write that changes what a page shows stores its
// events with it, in order, with the audience the delivery rule needs.
func TestEventLog(t *testing.T) {
	ctx := context.Background()
	f := newAnnotationFixture(t, sampleText)
	d := f.d
	s, e := rng(sampleText, "50,000 North Koreans")
	var wake int
	select {
	case <-d.EventsCommitted():
		wake++
	default:
	}

	t.Run("CreateReplyEditHideDelete", func(t *testing.T) {
		from := lastSeq(t, d)
		a := f.create(t, f.member, db.AnnotationInput{Start: s, End: e, Body: "group", Visibility: "group", Group: itoa(f.group.ID)})
		select {
		case <-d.EventsCommitted():
		case <-time.After(5 * time.Second):
			t.Fatal("no wake-up after a commit that stored events")
		}
		r, err := d.CreateReply(ctx, f.author, a.ID, "a reply")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.UpdateAnnotation(ctx, f.member, a.ID, db.AnnotationUpdate{Body: "now public", Visibility: "public"}); err != nil {
			t.Fatal(err)
		}
		// The member's own reply... the author's reply keeps its group
		// audience (other people's replies do not follow a widening).
		if _, err := d.SetHidden(ctx, f.author, r.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := d.DeleteAnnotation(ctx, f.member, a.ID); err != nil {
			t.Fatal(err)
		}
		evs := eventsSince(t, d, from)
		var mine []db.Event
		for _, e := range evs {
			if e.AnnotationID != 0 {
				mine = append(mine, e)
			}
		}
		want := []db.EventKind{db.AnnotationCreated, db.AnnotationCreated, db.AnnotationUpdated, db.AnnotationHidden, db.AnnotationDeleted}
		if !slices.Equal(kinds(mine), want) {
			t.Fatalf("kinds %v, want %v", kinds(mine), want)
		}
		if hid := mine[3]; hid.AudienceBefore[0].Hidden || !hid.Audience[0].Hidden || f.outsider.HearsOf(hid) || !f.member.HearsOf(hid) {
			t.Errorf("hidden %+v", hid)
		}
		for i := 1; i < len(evs); i++ {
			if evs[i].Seq <= evs[i-1].Seq {
				t.Fatalf("events out of order: %d after %d", evs[i].Seq, evs[i-1].Seq)
			}
		}
		created, reply, updated, deleted := mine[0], mine[1], mine[2], mine[4]
		if created.ArticleID != f.article.ID || created.GroupID != f.group.ID || created.ActorID != f.member.UserID || created.ActorName != "Member" {
			t.Errorf("created %+v", created)
		}
		if !slices.Contains(created.Topics(), db.ArticleTopic(f.article.ID)) || !slices.Contains(created.Topics(), db.GroupTopic(f.group.ID)) {
			t.Errorf("topics %v", created.Topics())
		}
		if len(reply.Audience) != 2 || reply.Audience[1].AuthorID != f.member.UserID || reply.AnnotationID != r.ID {
			t.Errorf("a reply's audience is its thread: %+v", reply.Audience)
		}
		if updated.AudienceBefore[0].Visibility != db.Shared || updated.Audience[0].Visibility != db.Public {
			t.Errorf("updated before %+v after %+v", updated.AudienceBefore, updated.Audience)
		}
		if deleted.Audience != nil || len(deleted.AudienceBefore) != 1 {
			t.Errorf("deleted %+v", deleted)
		}
		// Who hears of what: the outsider never of the group annotation,
		// but of its widening, and of its deletion while it was public.
		if f.outsider.HearsOf(created) || !f.member.HearsOf(created) || !f.outsider.HearsOf(updated) || !f.outsider.HearsOf(deleted) {
			t.Error("HearsOf does not follow the audience")
		}
		if db.Anonymous.HearsOf(reply) {
			t.Error("a signed-out viewer hears of a reply in a group thread")
		}
	})
	t.Run("FailedWriteStoresNoEvent", func(t *testing.T) {
		from := lastSeq(t, d)
		if _, err := d.CreateAnnotation(ctx, f.outsider, f.article.ID, db.AnnotationInput{Start: s, End: e, Visibility: "group", Group: itoa(f.group.ID)}); err == nil {
			t.Fatal("an outsider wrote in the group")
		}
		if evs := eventsSince(t, d, from); len(evs) != 0 {
			t.Errorf("a refused write stored %v", kinds(evs))
		}
	})
	t.Run("NotesTagsNamesGroupsSessions", func(t *testing.T) {
		from := lastSeq(t, d)
		n, err := d.CreateNote(ctx, f.member, f.article.ID, db.NoteInput{Body: "n", Visibility: "private"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.DeleteNote(ctx, f.member, n.ID); err != nil {
			t.Fatal(err)
		}
		if err := d.TagArticle(ctx, f.author, f.article.ID, "refugees"); err != nil {
			t.Fatal(err)
		}
		if err := d.UpdateUserName(ctx, f.member.UserID, "Member Two"); err != nil {
			t.Fatal(err)
		}
		if err := d.SetMemberRole(ctx, f.group.ID, f.member.UserID, db.RoleViewer); err != nil {
			t.Fatal(err)
		}
		sid, err := d.CreateUserSession(ctx, f.member.UserID, "test", "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		if err := d.EndUserSession(ctx, sid); err != nil {
			t.Fatal(err)
		}
		want := []db.EventKind{db.NoteCreated, db.NoteDeleted, db.ArticleTagged, db.UserRenamed, db.MemberRoleChanged, db.SessionEnded}
		got := kinds(eventsSince(t, d, from))
		if !slices.Equal(got, want) {
			t.Fatalf("kinds %v, want %v", got, want)
		}
		evs := eventsSince(t, d, from)
		if evs[0].NoteID != n.ID || f.author.HearsOf(evs[0]) || !f.member.HearsOf(evs[0]) {
			t.Errorf("a private note's event: %+v", evs[0])
		}
		if evs[3].Topics()[0] != db.SiteTopic || evs[5].UserID != f.member.UserID || !slices.Equal(evs[5].Topics(), []db.Topic{db.UserTopic(f.member.UserID)}) {
			t.Errorf("topics: renamed %v, session %v", evs[3].Topics(), evs[5].Topics())
		}
		if f.author.HearsOf(evs[5]) {
			t.Error("someone else hears of a person's session")
		}
		if err := d.SetMemberRole(ctx, f.group.ID, f.member.UserID, db.RoleMember); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("PruneKeepsTheNewestAndSaysWhere", func(t *testing.T) {
		last := lastSeq(t, d)
		n, err := d.PruneEvents(ctx, time.Now().Add(time.Hour), 3)
		if err != nil || n == 0 {
			t.Fatalf("pruned %d, %v", n, err)
		}
		pruned, after, err := d.EventBounds(ctx)
		if err != nil || after != last || pruned != last-3 {
			t.Errorf("bounds %d %d (last %d): %v", pruned, after, last, err)
		}
		if evs := eventsSince(t, d, 0); len(evs) != 3 || evs[0].Seq != last-2 {
			t.Errorf("kept %v", kinds(evs))
		}
		// Nothing older than the cut-off: nothing goes.
		if n, err := d.PruneEvents(ctx, time.Now().Add(-time.Hour), 0); err != nil || n != 0 {
			t.Errorf("pruned %d young events, %v", n, err)
		}
	})
	_ = wake
}

// TestNotificationsAndMentions: replies, mentions, moderation and new
// members notify the right people; what they may no longer see leaves
// their list; mutes and follows; mentions are checked against the audience.
func TestNotificationsAndMentions(t *testing.T) {
	ctx := context.Background()
	f := newAnnotationFixture(t, sampleText)
	d := f.d
	s, e := rng(sampleText, "50,000 North Koreans")
	unread := func(v db.Viewer) int {
		t.Helper()
		n, err := d.UnreadCount(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	list := func(v db.Viewer) []db.Notification {
		t.Helper()
		p, err := d.NotificationsOf(ctx, v, false, 1, 50)
		if err != nil {
			t.Fatal(err)
		}
		return p.Items
	}
	// The member joined the author's group: the owner was told.
	if got := list(f.author); len(got) != 1 || got[0].Kind != db.NotifyMember || got[0].ActorName != "Member" || got[0].GroupID != f.group.ID {
		t.Fatalf("owner's notifications %+v", got)
	}
	if err := d.MarkRead(ctx, f.author, 0); err != nil || unread(f.author) != 0 {
		t.Fatalf("mark all read: %v, %d unread", err, unread(f.author))
	}

	a := f.create(t, f.author, db.AnnotationInput{Start: s, End: e, Body: "for the group", Visibility: "group", Group: itoa(f.group.ID)})
	t.Run("Reply", func(t *testing.T) {
		r, err := d.CreateReply(ctx, f.member, a.ID, "a reply")
		if err != nil {
			t.Fatal(err)
		}
		got := list(f.author)
		if len(got) == 0 || got[0].Kind != db.NotifyReply || got[0].AnnotationID != r.ID || got[0].ThreadID != a.ID ||
			got[0].Quote != "50,000 North Koreans" || got[0].Start != s || got[0].Excerpt != "a reply" || got[0].Read {
			t.Fatalf("reply notification %+v", got)
		}
		if unread(f.member) != 0 {
			t.Error("the replier was told of their own reply")
		}
		if err := d.MarkRead(ctx, f.author, got[0].ID); err != nil || unread(f.author) != 0 {
			t.Errorf("mark read: %v", err)
		}
		if err := d.MarkRead(ctx, f.member, got[0].ID); db.ErrorCode(err) != db.ENOTFOUND {
			t.Errorf("someone else marked it read: %v", err)
		}
	})
	t.Run("MentionInTheAudience", func(t *testing.T) {
		b := f.create(t, f.author, db.AnnotationInput{Start: s, End: e, Body: "ask @[member] about it", Visibility: "group", Group: itoa(f.group.ID)})
		if !strings.Contains(b.BodyHTML, `<a href="/users/`+itoa(f.member.UserID)+`" rel="nofollow noreferrer">@member</a>`) {
			t.Errorf("mention html %q", b.BodyHTML)
		}
		got := list(f.member)
		if len(got) == 0 || got[0].Kind != db.NotifyMention || got[0].AnnotationID != b.ID {
			t.Fatalf("member's notifications %+v", got)
		}
		if ids, _ := d.QueryInts(ctx, `SELECT user_id FROM mentions WHERE annotation_id = ?`, b.ID); !slices.Equal(ids, []int64{f.member.UserID}) {
			t.Errorf("mentions stored %v", ids)
		}
		// Editing keeps it and tells nobody twice.
		before := unread(f.member)
		if _, err := d.UpdateAnnotation(ctx, f.author, b.ID, db.AnnotationUpdate{Body: "ask @[Member] again", Visibility: "group", Group: itoa(f.group.ID)}); err != nil {
			t.Fatal(err)
		}
		if unread(f.member) != before {
			t.Error("an edit that keeps a mention notified again")
		}
		// Narrowed to private: the notification leaves the list.
		if _, err := d.UpdateAnnotation(ctx, f.author, b.ID, db.AnnotationUpdate{Body: "private now", Visibility: "private"}); err != nil {
			t.Fatal(err)
		}
		for _, n := range list(f.member) {
			if n.AnnotationID == b.ID {
				t.Error("a notification about what the member can no longer see is listed")
			}
		}
	})
	t.Run("MentionsRefused", func(t *testing.T) {
		for _, c := range []struct {
			name string
			in   db.AnnotationInput
			want string
		}{
			{"stranger", db.AnnotationInput{Start: s, End: e, Body: "@[Outsider]", Visibility: "group", Group: itoa(f.group.ID)}, "Nobody called “Outsider” can be mentioned here"},
			{"outsider in group", db.AnnotationInput{Start: s, End: e, Body: "@[Outsider]", Visibility: "group", Group: itoa(f.group.ID)}, "Outsider cannot see this (it is shared with a group they are not in)"},
			{"private", db.AnnotationInput{Start: s, End: e, Body: "@[Member]", Visibility: "private"}, "Member cannot see this (it is private)"},
			{"nobody", db.AnnotationInput{Start: s, End: e, Body: "@[Nobody At All]", Visibility: "public"}, "Nobody called “Nobody At All”"},
			{"spam", db.AnnotationInput{Start: s, End: e, Body: "@[a] @[b] @[c] @[d] @[e] @[f] @[g] @[h] @[i] @[j] @[k] @[a]", Visibility: "public"}, "At most 10 people can be mentioned in one text: this one mentions 11."},
		} {
			t.Run(c.name, func(t *testing.T) {
				if c.name == "outsider in group" {
					// The outsider and the author share another group now.
					other, err := d.CreateGroup(ctx, f.outsider.UserID, "Elsewhere", "")
					if err != nil {
						t.Fatal(err)
					}
					token, _, _ := d.CreateInvite(ctx, db.NewInvite{GroupID: other.ID, Role: db.RoleMember, CreatedBy: f.outsider.UserID})
					if _, err := d.AcceptGroupInvite(ctx, token, f.author.UserID); err != nil {
						t.Fatal(err)
					}
				}
				_, err := d.CreateAnnotation(ctx, f.author, f.article.ID, c.in)
				if db.ErrorCode(err) != db.EINVALID || !strings.Contains(db.ErrorMessage(err), c.want) || db.ErrorField(err) != "body" {
					t.Errorf("err %v, want EINVALID on body with %q", err, c.want)
				}
			})
		}
		// A public annotation mentions people the author shares a group with.
		if _, err := d.CreateAnnotation(ctx, f.author, f.article.ID, db.AnnotationInput{Start: s, End: e, Body: "@[Member]", Visibility: "public"}); err != nil {
			t.Errorf("public mention of a fellow member: %v", err)
		}
	})
	t.Run("ModerationAndDeletion", func(t *testing.T) {
		m := f.create(t, f.member, db.AnnotationInput{Start: s, End: e, Body: "to hide", Visibility: "group", Group: itoa(f.group.ID)})
		if _, err := d.SetHidden(ctx, f.author, m.ID, true); err != nil {
			t.Fatal(err)
		}
		got := list(f.member)
		if len(got) == 0 || got[0].Kind != db.NotifyModeration || got[0].Detail != "hide" {
			t.Fatalf("moderation notification %+v", got)
		}
		if _, err := d.DeleteAnnotation(ctx, f.member, m.ID); err != nil {
			t.Fatal(err)
		}
		for _, n := range list(f.member) {
			if n.AnnotationID == m.ID {
				t.Error("a notification about a deleted annotation is listed")
			}
		}
	})
	t.Run("MuteAndFollow", func(t *testing.T) {
		if err := d.FollowGroup(ctx, f.member, f.group.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := d.FollowGroup(ctx, f.outsider, f.group.ID, true); db.ErrorCode(err) != db.ENOTFOUND {
			t.Errorf("an outsider followed the group: %v", err)
		}
		g := f.create(t, f.author, db.AnnotationInput{Start: s, End: e, Body: "new", Visibility: "group", Group: itoa(f.group.ID)})
		if got := list(f.member); len(got) == 0 || got[0].Kind != db.NotifyGroupAnnotation || got[0].AnnotationID != g.ID {
			t.Fatalf("follower's notifications %+v", got)
		}
		if err := d.MuteThread(ctx, f.member, g.ID, true); err != nil {
			t.Fatal(err)
		}
		if got := list(f.member); len(got) > 0 && got[0].AnnotationID == g.ID {
			t.Error("a muted thread is still listed")
		}
		if _, err := d.CreateReply(ctx, f.author, g.ID, "more"); err != nil {
			t.Fatal(err)
		}
		if got := list(f.member); len(got) > 0 && got[0].ThreadID == g.ID {
			t.Error("a muted thread still notifies")
		}
		if err := d.MuteGroup(ctx, f.member, f.group.ID, true); err != nil {
			t.Fatal(err)
		}
		for _, n := range list(f.member) {
			if n.GroupID == f.group.ID {
				t.Errorf("a muted group's notification is listed: %+v", n)
			}
		}
		st, err := d.NotificationSettingsOf(ctx, f.member)
		if err != nil || !st.MutedGroups[f.group.ID] || !st.MutedThreads[g.ID] || !st.Followed[f.group.ID] || !st.Email {
			t.Errorf("settings %+v, %v", st, err)
		}
	})
	t.Run("Candidates", func(t *testing.T) {
		got, err := d.MentionCandidates(ctx, f.author, db.MentionTarget{Visibility: db.Shared, GroupID: f.group.ID}, "mem", 5)
		if err != nil || len(got) != 1 || got[0].Name != "Member" || got[0].Token != "@[Member]" {
			t.Errorf("candidates %+v, %v", got, err)
		}
		if got, _ := d.MentionCandidates(ctx, f.author, db.MentionTarget{Visibility: db.Private}, "", 5); len(got) != 0 {
			t.Errorf("private: %+v", got)
		}
		if _, err := d.MentionCandidates(ctx, f.outsider, db.MentionTarget{Visibility: db.Shared, GroupID: f.group.ID}, "", 5); err == nil {
			t.Error("an outsider listed a group's members")
		}
	})
}

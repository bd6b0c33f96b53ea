package handlers_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestNotificationsPage(t *testing.T) {
	w := newAnnotationWorld(t)
	group := fmt.Sprint(w.group.ID)
	id := w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"for the group"}, "visibility": {"group"}, "group": {group}})

	t.Run("ReplyListedWithAPassageLink", func(t *testing.T) {
		if rec := w.owner.post(fmt.Sprintf("/annotations/%d/replies", id), url.Values{"body": {"*why* so?"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("reply: %d", rec.Code)
		}
		doc := parse(t, w.member.get("/notifications"))
		item := doc.Find(`[data-testid="notification"]`).First()
		if got := item.Find(`[data-testid="notification-link"]`).Text(); !strings.HasPrefix(got, "Owner replied to you on “") {
			t.Errorf("notification %q", got)
		}
		if !strings.Contains(item.Text(), "why so?") || !item.HasClass("is-unread") || doc.Find(`[data-testid="unread-count"]`).Text() != "1 unread notification" {
			t.Errorf("item %q", item.Text())
		}
		if bell := doc.Find(`[data-testid="bell"]`); bell.AttrOr("aria-label", "") != "Notifications, 1 unread" || bell.Find(`[data-testid="bell-count"]`).Text() != "1" {
			t.Errorf("bell %q", bell.AttrOr("aria-label", ""))
		}
		open := item.Find(`[data-testid="notification-link"]`).AttrOr("href", "")
		rec := w.member.get(open)
		if rec.Code != http.StatusSeeOther || !strings.Contains(rec.Header().Get("Location"), "?at=") || !strings.Contains(rec.Header().Get("Location"), "#a-") {
			t.Errorf("open: %d → %s", rec.Code, rec.Header().Get("Location"))
		}
		if n := parse(t, w.member.get("/notifications")).Find(`.notification.is-unread`).Length(); n != 0 {
			t.Errorf("%d unread after opening it", n)
		}
		if rec := w.outsider.get(open); rec.Code != http.StatusNotFound {
			t.Errorf("someone else opened it: %d", rec.Code)
		}
	})
	t.Run("MarkAllAndMute", func(t *testing.T) {
		w.owner.post(fmt.Sprintf("/annotations/%d/replies", id), url.Values{"body": {"again"}})
		if rec := w.member.post("/notifications/read", url.Values{}); rec.Code != http.StatusSeeOther {
			t.Fatalf("read all: %d", rec.Code)
		}
		if doc := parse(t, w.member.get("/notifications?unread=1")); doc.Find(`[data-testid="notification"]`).Length() != 0 {
			t.Error("unread after marking all read")
		}
		if rec := w.member.post(fmt.Sprintf("/annotations/%d/mute", id), url.Values{"mute": {"1"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("mute: %d", rec.Code)
		}
		w.owner.post(fmt.Sprintf("/annotations/%d/replies", id), url.Values{"body": {"a third"}})
		if doc := parse(t, w.member.get("/notifications?unread=1")); doc.Find(`[data-testid="notification"]`).Length() != 0 {
			t.Error("a muted thread notified")
		}
		if rec := w.member.post(fmt.Sprintf("/annotations/%d/mute", id), url.Values{"mute": {"maybe"}}); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("mute=maybe: %d", rec.Code)
		}
		if rec := w.outsider.post(fmt.Sprintf("/annotations/%d/mute", id), url.Values{"mute": {"1"}}); rec.Code != http.StatusNotFound {
			t.Errorf("an outsider muted a thread they cannot see: %d", rec.Code)
		}
	})
	t.Run("DeletedLeavesTheList", func(t *testing.T) {
		mine := w.annotate(t, w.member, url.Values{"exact": {"embracing all escapees"}, "body": {"mine"}, "visibility": {"public"}})
		w.owner.post(fmt.Sprintf("/annotations/%d/replies", mine), url.Values{"body": {"answer"}})
		if n := parse(t, w.member.get("/notifications?unread=1")).Find(`[data-testid="notification"]`).Length(); n != 1 {
			t.Fatalf("%d unread", n)
		}
		w.member.post(fmt.Sprintf("/annotations/%d/delete", mine), url.Values{})
		if n := parse(t, w.member.get("/notifications?unread=1")).Find(`[data-testid="notification"]`).Length(); n != 0 {
			t.Errorf("%d unread after the thread was deleted", n)
		}
	})
	t.Run("WithoutSignIn", func(t *testing.T) {
		if rec := w.anonymous.get("/notifications"); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
			t.Errorf("signed out: %d", rec.Code)
		}
	})
}

func TestMentionsOverHTTP(t *testing.T) {
	w := newAnnotationWorld(t)
	group := fmt.Sprint(w.group.ID)
	t.Run("Suggestions", func(t *testing.T) {
		rec := w.owner.get("/mentions?visibility=group&group=" + group + "&q=me")
		var got []struct{ Name, Token string }
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &got) != nil || len(got) != 1 || got[0].Token != "@[Member]" {
			t.Errorf("%d %s", rec.Code, rec.Body.String())
		}
		if rec := w.outsider.get("/mentions?visibility=group&group=" + group); rec.Code != http.StatusNotFound {
			t.Errorf("an outsider asked for a group's members: %d", rec.Code)
		}
		if rec := w.owner.get("/mentions?visibility=secret"); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("a bad visibility: %d", rec.Code)
		}
		if rec := w.anonymous.get("/mentions?visibility=public"); rec.Code == http.StatusOK {
			t.Errorf("signed out: %d", rec.Code)
		}
	})
	t.Run("OutsiderRefusedBeforeSaving", func(t *testing.T) {
		rec := w.owner.post("/articles/"+slug+"/annotations", url.Values{"exact": {"hush-hush"}, "body": {"see @[Outsider]"}, "visibility": {"group"}, "group": {group}}, inPlace...)
		p := parse(t, rec).Find("[data-error]")
		if rec.Code != http.StatusUnprocessableEntity || p.AttrOr("data-field", "") != "body" || !strings.Contains(p.Text(), "Outsider") {
			t.Errorf("%d %q", rec.Code, p.Text())
		}
	})
	t.Run("RenderedAsAProfileLink", func(t *testing.T) {
		id := w.annotate(t, w.owner, url.Values{"exact": {"hush-hush"}, "body": {"ask @[Member]"}, "visibility": {"group"}, "group": {group}})
		doc := parse(t, w.member.get("/articles/"+slug))
		link := doc.Find(fmt.Sprintf("#a-%d .body a", id))
		if link.Text() != "@Member" || !strings.HasPrefix(link.AttrOr("href", ""), "/users/") {
			t.Fatalf("mention %q → %q", link.Text(), link.AttrOr("href", ""))
		}
		prof := parse(t, w.owner.get(link.AttrOr("href", "")))
		if prof.Find(`[data-testid="profile-name"]`).Text() != "Member" || !strings.Contains(prof.Text(), "Seminar") {
			t.Errorf("profile %q", prof.Find("main").Text())
		}
		if rec := w.owner.get("/users/999999"); rec.Code != http.StatusNotFound {
			t.Errorf("no such person: %d", rec.Code)
		}
	})
}

func TestGroupActivity(t *testing.T) {
	w := newAnnotationWorld(t)
	group := fmt.Sprint(w.group.ID)
	path := "/groups/" + group + "/activity"
	live := w.owner.stream(path + "/events")
	live.next("count")
	w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"seen by the group"}, "visibility": {"group"}, "group": {group}})
	w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"private"}, "visibility": {"private"}})
	if e := live.next("change"); e.field("kind") != "annotation.created" {
		t.Errorf("live %s", e.Data)
	}
	live.quiet(200 * time.Millisecond)
	doc := parse(t, w.owner.get(path))
	items := doc.Find(`[data-testid="activity-item"]`)
	if items.Length() != 1 || !strings.Contains(items.Text(), "Member commented on") || !strings.Contains(items.Text(), "seen by the group") {
		t.Errorf("items %q", items.Text())
	}
	if n := parse(t, w.owner.get(path+"?member=999")).Find(`[data-testid="activity-item"]`).Length(); n != 0 {
		t.Errorf("filtered by someone else: %d items", n)
	}
	frag := w.owner.get(path, inPlace...)
	if !strings.Contains(frag.Body.String(), `id="activity-list"`) || strings.Contains(frag.Body.String(), "<html") {
		t.Error("the list alone was not sent")
	}
	for who, cl := range map[string]*client{"member": w.member, "viewer": w.viewer, "outsider": w.outsider, "admin": w.admin} {
		want := http.StatusForbidden
		if who == "outsider" {
			want = http.StatusNotFound
		}
		if who == "admin" {
			want = http.StatusForbidden
		}
		if rec := cl.get(path); rec.Code != want {
			t.Errorf("%s: %d, want %d", who, rec.Code, want)
		}
		if s := cl.stream(path + "/events"); s.status != want {
			t.Errorf("%s's stream: %d, want %d", who, s.status, want)
		}
	}
}

// TestBellFollowsItsEvents: the bell's count on a page is kept between
// pages (handlers/pagecache), and is right after each change that moves
// it: a reply, a deleted reply, a membership ended; and after the
// annotations written meanwhile that do not.
func TestBellFollowsItsEvents(t *testing.T) {
	w := newAnnotationWorld(t)
	group := fmt.Sprint(w.group.ID)
	id := w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"for the group"}, "visibility": {"group"}, "group": {group}})
	bell := func(cl *client) string {
		t.Helper()
		b := parse(t, cl.get("/")).Find(`[data-testid="bell-count"]`)
		if _, hidden := b.Attr("hidden"); hidden {
			return "0"
		}
		return b.Text()
	}
	reply := func(body string) int64 {
		t.Helper()
		rec := w.owner.post(fmt.Sprintf("/annotations/%d/replies", id), url.Values{"body": {body}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("reply: %d", rec.Code)
		}
		var r int64
		loc := rec.Header().Get("Location")
		if _, err := fmt.Sscanf(loc[strings.Index(loc, "#a-"):], "#a-%d", &r); err != nil {
			t.Fatalf("location %q", loc)
		}
		return r
	}
	steps := []struct {
		name string
		do   func()
		want string
	}{
		{"Before", func() {}, "0"},
		{"Reply", func() { reply("a first answer") }, "1"},
		{"AnotherArticleAnnotated", func() {
			w.annotate(t, w.outsider, url.Values{"start": {"0"}, "end": {"12"}, "body": {"unrelated"}, "visibility": {"public"}})
		}, "1"},
		{"SecondReplyDeleted", func() {
			r := reply("a second answer")
			if got := bell(w.member); got != "2" {
				t.Errorf("after the second reply, the bell says %s, want 2", got)
			}
			if rec := w.owner.post(fmt.Sprintf("/annotations/%d/delete", r), url.Values{}); rec.Code != http.StatusSeeOther {
				t.Fatalf("delete: %d", rec.Code)
			}
		}, "1"},
		{"MembershipEnded", func() {
			member := mustViewer(t, w.store, "member@example.org")
			if rec := w.owner.post(fmt.Sprintf("/groups/%d/members/%d/remove", w.group.ID, member.UserID), url.Values{}); rec.Code != http.StatusSeeOther {
				t.Fatalf("remove member: %d\n%s", rec.Code, rec.Body)
			}
		}, "0"},
	}
	for _, st := range steps {
		st.do()
		if got := bell(w.member); got != st.want {
			t.Errorf("%s: the bell says %s, want %s", st.name, got, st.want)
		}
		if got := bell(w.member); got != st.want { // kept
			t.Errorf("%s, again: the bell says %s, want %s", st.name, got, st.want)
		}
	}
}

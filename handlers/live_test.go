package handlers_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"gloss/handlers"
)

// sseEvent is one Server-Sent Event as a client reads it.
type sseEvent struct {
	ID, Name, Data string
}

func (e sseEvent) field(key string) any {
	var m map[string]any
	_ = json.Unmarshal([]byte(e.Data), &m)
	return m[key]
}

// sseStream is a live stream opened through the app, read as it comes.
type sseStream struct {
	t      testing.TB
	status int
	header http.Header
	body   string // the answer, when it was not a stream
	events chan sseEvent
	cancel context.CancelFunc
	done   chan struct{}
}

// pipeWriter is a ResponseWriter whose body goes down a pipe, flushed as
// written.
type pipeWriter struct {
	header http.Header
	pw     *io.PipeWriter
	once   sync.Once
	status chan int
}

func (w *pipeWriter) Header() http.Header { return w.header }
func (w *pipeWriter) WriteHeader(code int) {
	w.once.Do(func() { w.status <- code })
}
func (w *pipeWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.pw.Write(b)
}
func (w *pipeWriter) Flush() {}

// stream opens path as an event stream with the client's cookies.
func (cl *client) stream(path string, header ...string) *sseStream {
	cl.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequest(http.MethodGet, origin+path, nil).WithContext(ctx)
	req.RemoteAddr = cl.ip + ":50000"
	req.Header.Set("Accept", "text/event-stream")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	u, _ := url.Parse(origin)
	for _, c := range cl.jar.Cookies(u) {
		req.AddCookie(c)
	}
	pr, pw := io.Pipe()
	w := &pipeWriter{header: http.Header{}, pw: pw, status: make(chan int, 1)}
	s := &sseStream{t: cl.t, events: make(chan sseEvent, 256), cancel: cancel, done: make(chan struct{})}
	go func() {
		cl.e.ServeHTTP(w, req)
		w.WriteHeader(http.StatusOK)
		pw.Close()
	}()
	select {
	case s.status = <-w.status:
	case <-time.After(10 * time.Second):
		cl.t.Fatal("the stream did not answer")
	}
	s.header = w.header
	if s.status != http.StatusOK {
		b, _ := io.ReadAll(pr)
		s.body = string(b)
		cancel()
		close(s.done)
		return s
	}
	go func() {
		defer close(s.done)
		defer close(s.events)
		sc := bufio.NewScanner(pr)
		var e sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if e.Name != "" {
					s.events <- e
				}
				e = sseEvent{}
			case strings.HasPrefix(line, "id: "):
				e.ID = line[4:]
			case strings.HasPrefix(line, "event: "):
				e.Name = line[7:]
			case strings.HasPrefix(line, "data: "):
				e.Data = line[6:]
			}
		}
	}()
	cl.t.Cleanup(s.close)
	return s
}

func (s *sseStream) close() {
	s.cancel()
	<-s.done
}

// next returns the next event that is not a ping, or fails.
func (s *sseStream) next(name string) sseEvent {
	s.t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case e, ok := <-s.events:
			if !ok {
				s.t.Fatalf("the stream ended while waiting for %q", name)
			}
			if e.Name == "ping" || (name != "" && e.Name != name) {
				continue
			}
			return e
		case <-timeout:
			s.t.Fatalf("no %q event within 10s", name)
		}
	}
}

// collect waits for one event of each name, in any order.
func (s *sseStream) collect(names ...string) map[string]sseEvent {
	s.t.Helper()
	out := map[string]sseEvent{}
	timeout := time.After(10 * time.Second)
	for len(out) < len(names) {
		select {
		case e, ok := <-s.events:
			if !ok {
				s.t.Fatalf("the stream ended while waiting for %v", names)
			}
			for _, n := range names {
				if e.Name == n {
					if _, dup := out[n]; dup {
						s.t.Fatalf("two %q events: %s", n, e.Data)
					}
					out[n] = e
				}
			}
		case <-timeout:
			s.t.Fatalf("waiting for %v, got %v", names, out)
		}
	}
	return out
}

// quiet checks that no event but pings comes within d.
func (s *sseStream) quiet(d time.Duration) {
	s.t.Helper()
	timeout := time.After(d)
	for {
		select {
		case e, ok := <-s.events:
			if !ok {
				return
			}
			if e.Name != "ping" && e.Name != "count" && e.Name != "presence" {
				s.t.Fatalf("unexpected event %s %s", e.Name, e.Data)
			}
		case <-timeout:
			return
		}
	}
}

func TestLiveReader(t *testing.T) {
	w := newAnnotationWorld(t)
	events := "/articles/" + slug + "/events"
	owner := w.owner.stream(events)
	outsider := w.outsider.stream(events)
	anonymous := w.anonymous.stream(events)
	if owner.status != http.StatusOK || owner.header.Get("Content-Type") != "text/event-stream; charset=utf-8" ||
		owner.header.Get("X-Accel-Buffering") != "no" || owner.header.Get("Content-Encoding") != "" {
		t.Fatalf("status %d, headers %v", owner.status, owner.header)
	}
	// The member and the viewer joined the owner's group: two notifications.
	if c := owner.next("count"); c.field("unread") != float64(2) || c.field("label") != "2" {
		t.Errorf("first count %s", c.Data)
	}

	t.Run("PrivateIsHeardOfByNobodyElse", func(t *testing.T) {
		w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "visibility": {"private"}})
		owner.quiet(300 * time.Millisecond)
		outsider.quiet(50 * time.Millisecond)
	})
	var groupID int64
	t.Run("GroupOnlyForMembers", func(t *testing.T) {
		groupID = w.annotate(t, w.member, url.Values{"exact": {"embracing all escapees"}, "body": {"for the group"}, "visibility": {"group"}, "group": {fmt.Sprint(w.group.ID)}})
		e := owner.next("change")
		if e.field("kind") != "annotation.created" || e.field("annotation") != float64(groupID) || e.field("announce") != "Member added an annotation." {
			t.Errorf("owner heard %s", e.Data)
		}
		outsider.quiet(200 * time.Millisecond)
		anonymous.quiet(50 * time.Millisecond)
	})
	t.Run("PublicForEveryone", func(t *testing.T) {
		id := w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"public"}, "visibility": {"public"}})
		for who, s := range map[string]*sseStream{"owner": owner, "outsider": outsider, "anonymous": anonymous} {
			if e := s.next("change"); e.field("annotation") != float64(id) {
				t.Errorf("%s heard %s", who, e.Data)
			}
		}
	})
	t.Run("ReplyIsAnnouncedToItsAddressee", func(t *testing.T) {
		member := w.member.stream(events)
		member.next("count")
		rec := w.owner.post(fmt.Sprintf("/annotations/%d/replies", groupID), url.Values{"body": {"thanks"}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("reply: %d", rec.Code)
		}
		got := member.collect("change", "count")
		if e := got["change"]; e.field("announce") != "Owner replied to your comment." {
			t.Errorf("member heard %s", e.Data)
		}
		if c := got["count"]; c.field("unread") != float64(1) {
			t.Errorf("the member's count %s", c.Data)
		}
		if e := owner.next("change"); e.field("announce") != "" {
			t.Errorf("the owner's own reply is announced to them: %s", e.Data)
		}
		outsider.quiet(100 * time.Millisecond)
	})
	t.Run("HiddenThenDeleted", func(t *testing.T) {
		if rec := w.owner.post(fmt.Sprintf("/annotations/%d/hide", groupID), url.Values{}); rec.Code != http.StatusSeeOther {
			t.Fatalf("hide: %d", rec.Code)
		}
		if e := owner.next("change"); e.field("kind") != "annotation.hidden" {
			t.Errorf("owner heard %s", e.Data)
		}
		if rec := w.member.post(fmt.Sprintf("/annotations/%d/delete", groupID), url.Values{}); rec.Code != http.StatusSeeOther {
			t.Fatalf("delete: %d", rec.Code)
		}
		if e := owner.next("change"); e.field("kind") != "annotation.deleted" || e.field("announce") != "Member deleted an annotation." {
			t.Errorf("owner heard %s", e.Data)
		}
		outsider.quiet(100 * time.Millisecond)
	})
	t.Run("CatchUpAfterLastEventID", func(t *testing.T) {
		first := w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"one"}, "visibility": {"public"}})
		e := anonymous.next("change")
		w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"private"}, "visibility": {"private"}})
		second := w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"two"}, "visibility": {"public"}})
		third := w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"three"}, "visibility": {"public"}})
		back := w.anonymous.stream(events, "Last-Event-ID", e.ID)
		got := []any{back.next("change").field("annotation"), back.next("change").field("annotation")}
		if got[0] != float64(second) || got[1] != float64(third) {
			t.Errorf("caught up with %v after %d, want %d and %d", got, first, second, third)
		}
		back.quiet(100 * time.Millisecond)
	})
	t.Run("ForgedLastEventID", func(t *testing.T) {
		if s := w.anonymous.stream(events, "Last-Event-ID", "1; DROP TABLE"); s.status != http.StatusUnprocessableEntity || !strings.Contains(s.body, "not an event number") || strings.Contains(s.body, "<html") {
			t.Errorf("status %d: %s", s.status, s.body)
		}
		future := w.anonymous.stream(events, "Last-Event-ID", "999999999")
		if e := future.next("refresh"); e.ID == "" || e.ID == "999999999" {
			t.Errorf("refresh %+v", e)
		}
		if s := w.anonymous.stream(events + "?since=-4"); s.status != http.StatusUnprocessableEntity {
			t.Errorf("since=-4: status %d", s.status)
		}
	})
	t.Run("NoStreamForAnArticleThatIsNot", func(t *testing.T) {
		if s := w.member.stream("/articles/no-such-article/events"); s.status != http.StatusNotFound {
			t.Errorf("status %d", s.status)
		}
	})
}

func TestLiveStreamLimitsAndEnds(t *testing.T) {
	phase := new(handlers.Phase)
	phase.Serve()
	e, store := newAppWith(t, handlers.Config{StreamsPerUser: 2, StreamsPerIP: 3, Phase: phase})
	ctx := context.Background()
	anaU := mustUser(t, store, "ana@example.org", "Ana", false)
	mustUser(t, store, "bo@example.org", "Bo", false)
	ana := signedIn(t, e, "ana@example.org")
	ana2 := signedIn(t, e, "ana@example.org") // another browser
	ana2.ip = "192.0.2.2"
	bo := signedIn(t, e, "bo@example.org")

	t.Run("Limits", func(t *testing.T) {
		first := ana.stream("/events")
		second := ana2.stream("/events")
		if s := ana2.stream("/events"); s.status != http.StatusTooManyRequests || s.header.Get("Retry-After") == "" || !strings.Contains(s.body, "live pages open already") {
			t.Errorf("a third stream of one person: %d %s", s.status, s.body)
		}
		bo.stream("/events")
		anon := newClient(t, e)
		anon.stream("/articles/" + slug + "/events")
		if s := anon.stream("/articles/" + slug + "/events"); s.status != http.StatusTooManyRequests || !strings.Contains(s.body, "from your network") {
			t.Errorf("a fourth stream from one address: %d %s", s.status, s.body)
		}
		if s := newClient(t, e).stream("/events"); s.status != http.StatusUnauthorized {
			t.Errorf("the bell's stream signed out: %d", s.status)
		}
		first.close()
		second.close()
		if s := ana.stream("/events"); s.status != http.StatusOK {
			t.Errorf("a stream after others closed: %d %s", s.status, s.body)
		} else {
			s.close()
		}
	})
	t.Run("RevokedSessionEndsItsStreams", func(t *testing.T) {
		a := ana.stream("/events")
		b := ana2.stream("/events")
		a.next("count")
		b.next("count")
		sessions, err := store.UserSessions(ctx, anaU.ID)
		if err != nil || len(sessions) != 2 {
			t.Fatalf("sessions %v %v", sessions, err)
		}
		first := min(sessions[0].ID, sessions[1].ID) // the first browser's
		if rec := ana2.post(fmt.Sprintf("/account/sessions/%d/revoke", first), url.Values{}); rec.Code != http.StatusSeeOther {
			t.Fatalf("revoke: %d %s", rec.Code, rec.Body.String())
		}
		if e := a.next("end"); e.field("reason") != "You were signed out." {
			t.Errorf("end %s", e.Data)
		}
		b.quiet(200 * time.Millisecond) // the second browser's stream goes on
		select {
		case _, open := <-b.events:
			if !open {
				t.Error("the other browser's stream ended too")
			}
		default:
		}
	})
	t.Run("DrainEndsEveryStream", func(t *testing.T) {
		s := bo.stream("/events")
		s.next("count")
		phase.Drain()
		if e := s.next("end"); e.field("retry") != "1" {
			t.Errorf("end %s", e.Data)
		}
		select {
		case <-s.done:
		case <-time.After(5 * time.Second):
			t.Fatal("the stream did not end on drain")
		}
		if s := bo.stream("/events"); s.status != http.StatusServiceUnavailable {
			t.Errorf("a stream while draining: %d", s.status)
		}
	})
}

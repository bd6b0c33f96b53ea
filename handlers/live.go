package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/db/hub"
	"gloss/handlers/pagecache"
	"gloss/handlers/web"
)

// Live pages: Server-Sent Events streams that tell a page what changed
// (the reader, the notifications' bell, a group's activity). A stream
// follows topics through the broker, catches up from the event log after
// the client's Last-Event-ID, and checks each event against the viewer's
// rights when it delivers it (Viewer.HearsOf). It carries no content: the
// page asks for what changed through the routes it already uses, which
// apply every rule again.

const (
	// heartbeat: a comment-less ping that keeps proxies from closing an
	// idle stream and tells the client how far it has seen.
	heartbeat = 25 * time.Second
	// maxCatchUp bounds the events read for a reconnecting client; one
	// further behind is told to reload.
	maxCatchUp = 5000
	// retryMS is how long the browser waits before it reconnects.
	retryMS = 3000
	// Default stream limits: a person's tabs, and an address's streams (a
	// class behind one NAT shares an address).
	defaultStreamsPerUser = 8
	defaultStreamsPerIP   = 200
)

// live holds the streams: the broker they follow, their counts for the
// limits, and who is reading which article (presence).
type live struct {
	broker db.Broker
	log    db.EventLog
	idle   func(db.Subscription) (int64, bool) // the hub's, when the broker is one
	seq    func() int64                        // the last event handed out

	perUser, perIP int
	metrics        Metrics // streams opened, closed and refused

	mu      sync.Mutex
	byUser  map[int64]int
	byIP    map[string]int
	readers map[int64]map[*reader]struct{} // article -> who reads it live
}

// reader is one live reader of an article, for presence.
type reader struct {
	userID int64
	name   string
	groups []int64
	poke   chan struct{} // presence changed on its article
}

func newLive(store db.Store, cfg Config, m Metrics) (*live, error) {
	l := &live{log: store, broker: cfg.Broker, metrics: m, perUser: cfg.StreamsPerUser, perIP: cfg.StreamsPerIP,
		byUser: map[int64]int{}, byIP: map[string]int{}, readers: map[int64]map[*reader]struct{}{}}
	if l.perUser <= 0 {
		l.perUser = defaultStreamsPerUser
	}
	if l.perIP <= 0 {
		l.perIP = defaultStreamsPerIP
	}
	if l.broker == nil {
		// The in-process hub, following this store; it stops when the
		// store closes.
		h := hub.New(store, hub.Options{Logger: cfg.Logger})
		if err := h.Start(context.Background()); err != nil {
			return nil, err
		}
		l.broker = h
	}
	if h, ok := l.broker.(*hub.Hub); ok {
		l.idle, l.seq = h.Idle, h.Seq
	}
	return l, nil
}

// pageCache is the page cache following this process's hub, when the
// broker is one and the store counts its commits; nil (nothing kept)
// otherwise.
func (l *live) pageCache(limit int64, store any) *pagecache.Cache {
	counter, ok := store.(interface{ CommittedEvent() int64 })
	h, isHub := l.broker.(*hub.Hub)
	if !ok || !isHub {
		return nil
	}
	// With other instances writing (PostgreSQL), a kept page that must not
	// lag is checked against the log; alone on its database (SQLite: other
	// processes are command-line tools, heard within the hub's poll) this
	// process's commits are all there is to check.
	var stored func(context.Context) (int64, error)
	if l.log.EventWaker() != nil {
		stored = func(ctx context.Context) (int64, error) {
			_, last, err := l.log.EventBounds(ctx)
			return last, err
		}
	}
	return pagecache.New(limit, counter.CommittedEvent, stored, h)
}

// Since is where a page just rendered should start following from.
func (l *live) Since(ctx context.Context) int64 {
	if l.seq != nil {
		return l.seq()
	}
	_, last, _ := l.log.EventBounds(ctx)
	return last
}

// acquire takes a stream slot for the viewer and address, or says why not.
func (l *live) acquire(userID int64, ip string) (release func(), err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if userID != 0 && l.byUser[userID] >= l.perUser {
		l.metrics.LiveStream("refused")
		return nil, errTooManyStreams(fmt.Sprintf("You have %d live pages open already: close some tabs, then reload this page.", l.perUser))
	}
	if l.byIP[ip] >= l.perIP {
		l.metrics.LiveStream("refused")
		return nil, errTooManyStreams("Too many live pages are open from your network: live updates are paused. Reload later.")
	}
	l.byUser[userID]++
	l.byIP[ip]++
	l.metrics.LiveStream("opened")
	return func() {
		l.metrics.LiveStream("closed")
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.byUser[userID]--; l.byUser[userID] <= 0 {
			delete(l.byUser, userID)
		}
		if l.byIP[ip]--; l.byIP[ip] <= 0 {
			delete(l.byIP, ip)
		}
	}, nil
}

type errTooManyStreams string

func (e errTooManyStreams) Error() string { return string(e) }

// join counts r among an article's live readers and pokes the others.
func (l *live) join(articleID int64, r *reader) (leave func()) {
	l.mu.Lock()
	if l.readers[articleID] == nil {
		l.readers[articleID] = map[*reader]struct{}{}
	}
	l.readers[articleID][r] = struct{}{}
	l.pokeLocked(articleID)
	l.mu.Unlock()
	return func() {
		l.mu.Lock()
		delete(l.readers[articleID], r)
		if len(l.readers[articleID]) == 0 {
			delete(l.readers, articleID)
		}
		l.pokeLocked(articleID)
		l.mu.Unlock()
	}
}

func (l *live) pokeLocked(articleID int64) {
	for r := range l.readers[articleID] {
		select {
		case r.poke <- struct{}{}:
		default:
		}
	}
}

// presence is who of the viewer's groups reads an article now (not the
// viewer): never anyone who shares no group with them.
func (l *live) presence(articleID int64, v db.Viewer) []string {
	if !v.SignedIn() || len(v.Roles) == 0 {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	seen := map[int64]string{}
	for r := range l.readers[articleID] {
		if r.userID == 0 || r.userID == v.UserID {
			continue
		}
		if slices.ContainsFunc(r.groups, func(g int64) bool { return v.Roles[g] != "" }) {
			seen[r.userID] = r.name
		}
	}
	names := make([]string, 0, len(seen))
	for _, n := range seen {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// sseMessage is one event sent to a client.
type sseMessage struct {
	name string
	data any
}

// streamSpec is what one kind of live page follows and sends.
type streamSpec struct {
	topics []db.Topic
	// deliver says what to send for an event the viewer may hear of.
	deliver func(v db.Viewer, e db.Event) []sseMessage
	// articleID, when not 0: the stream counts as a reader of it.
	articleID int64
	// first: what to send once the stream is open (the bell's count).
	first func(v db.Viewer) []sseMessage
}

// lastEventID reads where a client is: the Last-Event-ID header the
// browser sends on reconnecting, or ?since= from the page it loaded.
func lastEventID(r *http.Request) (int64, bool, error) {
	raw := r.Header.Get("Last-Event-ID")
	if raw == "" {
		raw = r.URL.Query().Get("since")
	}
	if raw == "" {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	if err != nil || n < 0 {
		return 0, false, web.BadRequest("The Last-Event-ID (or since) %q is not an event number.", clip(raw, 40))
	}
	return n, true, nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// stream serves one live page's events until the client goes, the
// viewer's session ends, or the server drains.
func (s *Server) stream(c echo.Context, spec streamSpec) error {
	r := c.Request()
	ctx := r.Context()
	v := web.Viewer(r)
	after, resume, err := lastEventID(r)
	if err != nil {
		return err
	}
	if s.cfg.Phase != nil && s.cfg.Phase.v.Load() == phaseDraining {
		c.Response().Header().Set("Retry-After", "5")
		return echo.NewHTTPError(http.StatusServiceUnavailable, "Gloss is restarting: live updates will resume in a moment.")
	}
	release, err := s.live.acquire(v.UserID, c.RealIP())
	if err != nil {
		c.Response().Header().Set("Retry-After", "30")
		return echo.NewHTTPError(http.StatusTooManyRequests, err.Error())
	}
	defer release()
	sid := s.sessions.GetString(ctx, keySID)
	token := r.Header.Get("Authorization")

	sub := s.live.broker.Subscribe(spec.topics...)
	defer func() { sub.Close() }()

	h := c.Response().Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: pass each event on at once
	c.Response().WriteHeader(http.StatusOK)
	rc := http.NewResponseController(c.Response())
	w := &sseWriter{c: c, rc: rc}
	w.raw(fmt.Sprintf("retry: %d\n\n", retryMS))

	var catchUp []db.Event
	if resume {
		var refresh bool
		catchUp, refresh, err = hub.CatchUp(ctx, s.live.log, spec.topics, after, sub.Since(), maxCatchUp)
		if err != nil {
			return nil // the response has begun: the client reconnects
		}
		if refresh {
			catchUp = nil
			w.send(sub.Since(), sseMessage{name: "refresh", data: map[string]string{"reason": "Missed too much while away: reloading."}})
		}
	} else {
		after = sub.Since()
	}
	if spec.first != nil {
		for _, m := range spec.first(v) {
			w.send(0, m)
		}
	}
	var presence []string
	var poke chan struct{}
	if spec.articleID != 0 {
		rd := &reader{userID: v.UserID, name: v.Name, poke: make(chan struct{}, 1)}
		for g := range v.Roles {
			rd.groups = append(rd.groups, g)
		}
		leave := s.live.join(spec.articleID, rd)
		defer leave()
		poke = rd.poke
	}
	handle := func(e db.Event) (stop bool) {
		if e.Seq <= after {
			return false // seen before the client reconnected
		}
		after = e.Seq
		switch {
		case e.Kind == db.SessionEnded && v.SignedIn() && e.UserID == v.UserID:
			if !s.stillSignedIn(ctx, v, sid, token) {
				w.send(e.Seq, sseMessage{name: "end", data: map[string]string{"reason": "You were signed out."}})
				return true
			}
			return false
		case (e.Kind == db.MemberAdded || e.Kind == db.MemberRemoved || e.Kind == db.MemberRoleChanged) && v.SignedIn() && e.UserID == v.UserID:
			// Their rights changed: read them again.
			if roles, err := s.db.Memberships(ctx, v.UserID); err == nil {
				v.Roles = roles
			}
		}
		// Nothing is sent for an event the viewer does not hear of, not even
		// its number: that something happened here is not theirs to know.
		if !v.HearsOf(e) {
			return false
		}
		for _, m := range spec.deliver(v, e) {
			w.send(e.Seq, m)
		}
		return false
	}
	for _, e := range catchUp {
		if handle(e) {
			return nil
		}
	}
	var drain <-chan struct{}
	if s.cfg.Phase != nil {
		drain = s.cfg.Phase.draining()
	}
	beat := time.NewTicker(heartbeat)
	defer beat.Stop()
	var presenceDue <-chan time.Time
	for !w.failed {
		select {
		case <-ctx.Done():
			return nil
		case <-drain:
			w.send(0, sseMessage{name: "end", data: map[string]string{"reason": "Gloss is restarting.", "retry": "1"}})
			return nil
		case <-sub.Lagged():
			// Too far behind: start again from now, and have the page reload
			// what it shows.
			sub.Close()
			sub = s.live.broker.Subscribe(spec.topics...)
			after = sub.Since()
			w.send(after, sseMessage{name: "refresh", data: map[string]string{"reason": "Many changes at once: reloading."}})
		case e := <-sub.Events():
			if handle(*e) {
				return nil
			}
		case <-poke:
			// Presence is sent at most every second, however many come and go.
			if presenceDue == nil {
				presenceDue = time.After(time.Second)
			}
		case <-presenceDue:
			presenceDue = nil
			if now := s.live.presence(spec.articleID, v); !slices.Equal(now, presence) {
				presence = now
				w.send(0, sseMessage{name: "presence", data: map[string]any{"count": len(now), "names": now}})
			}
		case <-beat.C:
			seq := after
			if s.live.idle != nil {
				if at, idle := s.live.idle(sub); idle && at > seq {
					seq, after = at, at
				}
			}
			w.ping(seq)
		}
	}
	return nil
}

// stillSignedIn checks a stream's session or token again, after one of the
// person's sessions ended.
func (s *Server) stillSignedIn(ctx context.Context, v db.Viewer, sid, authorization string) bool {
	if raw, ok := strings.CutPrefix(authorization, "Bearer "); ok {
		u, err := s.db.UserByAPIToken(ctx, strings.TrimSpace(raw))
		return err == nil && u.ID == v.UserID
	}
	_, err := s.db.UserBySession(ctx, v.UserID, sid)
	return err == nil
}

// sseWriter writes Server-Sent Events, each flushed at once, each with a
// write deadline of its own (the server's WriteTimeout is for pages).
type sseWriter struct {
	c      echo.Context
	rc     *http.ResponseController
	failed bool
}

func (w *sseWriter) raw(s string) {
	if w.failed {
		return
	}
	_ = w.rc.SetWriteDeadline(time.Now().Add(30 * time.Second))
	if _, err := w.c.Response().Write([]byte(s)); err != nil {
		w.failed = true
		return
	}
	if err := w.rc.Flush(); err != nil {
		w.failed = true
	}
}

// send writes one event; seq (when not 0) becomes the client's
// Last-Event-ID.
func (w *sseWriter) send(seq int64, m sseMessage) {
	var b strings.Builder
	if seq > 0 {
		fmt.Fprintf(&b, "id: %d\n", seq)
	}
	data, _ := json.Marshal(m.data)
	fmt.Fprintf(&b, "event: %s\ndata: %s\n\n", m.name, data)
	w.raw(b.String())
}

// ping tells the client it has seen everything up to seq (a ping event,
// so the script sees the id too).
func (w *sseWriter) ping(seq int64) {
	w.send(seq, sseMessage{name: "ping", data: struct{}{}})
}

// articleEvents is GET /articles/{slug}/events: what changes on an
// article, as the viewer may see it, and their notifications' count.
func (s *Server) articleEvents(c echo.Context) error {
	a, err := s.db.ArticleBySlug(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	v := web.Viewer(c.Request())
	topics := []db.Topic{db.ArticleTopic(a.ID), db.SiteTopic}
	if v.SignedIn() {
		topics = append(topics, db.UserTopic(v.UserID))
	}
	return s.stream(c, streamSpec{topics: topics, articleID: a.ID, first: s.countFirst, deliver: func(v db.Viewer, e db.Event) []sseMessage {
		if e.Kind == db.NotificationsMoved {
			return s.countMessage(v)
		}
		if e.UserID != 0 && e.ArticleID == 0 && e.Kind != db.MemberAdded && e.Kind != db.MemberRemoved && e.Kind != db.MemberRoleChanged {
			return nil // the person's own, not about this page
		}
		return []sseMessage{{name: "change", data: changeData(v, e)}}
	}})
}

// userEvents is GET /events: the bell's stream on pages other than the
// reader.
func (s *Server) userEvents(c echo.Context) error {
	v := web.Viewer(c.Request())
	if !v.SignedIn() {
		// A script asks: no redirect to the sign-in page.
		return echo.NewHTTPError(http.StatusUnauthorized, "Sign in to hear of your notifications.")
	}
	return s.stream(c, streamSpec{topics: []db.Topic{db.UserTopic(v.UserID)}, first: s.countFirst, deliver: func(v db.Viewer, e db.Event) []sseMessage {
		if e.Kind == db.NotificationsMoved || e.Kind == db.MemberRemoved || e.Kind == db.MemberRoleChanged {
			return s.countMessage(v)
		}
		return nil
	}})
}

func (s *Server) countFirst(v db.Viewer) []sseMessage {
	if !v.SignedIn() {
		return nil
	}
	return s.countMessage(v)
}

// countMessage is the viewer's unread count, read now.
func (s *Server) countMessage(v db.Viewer) []sseMessage {
	n, err := s.db.UnreadCount(context.Background(), v)
	if err != nil {
		return nil
	}
	return []sseMessage{{name: "count", data: map[string]any{"unread": n, "label": unreadLabel(n)}}}
}

// unreadLabel says the count as the bell shows it.
func unreadLabel(n int) string {
	if n >= 100 {
		return "99+"
	}
	return strconv.Itoa(n)
}

// changeData is what a page is told of a change: what it is about and,
// for another person's change, what a screen reader says.
func changeData(v db.Viewer, e db.Event) map[string]any {
	return map[string]any{"kind": string(e.Kind), "annotation": e.AnnotationID, "note": e.NoteID, "announce": announcement(v, e)}
}

// announcement says another person's change in a few words ("Ana replied
// to your comment."); nothing for the viewer's own changes, which their
// page already said.
func announcement(v db.Viewer, e db.Event) string {
	if e.ActorID != 0 && e.ActorID == v.UserID {
		return ""
	}
	who := e.ActorName
	if who == "" {
		who = "Someone"
	}
	reply := len(e.Audience) > 1 || len(e.AudienceBefore) > 1
	switch e.Kind {
	case db.AnnotationCreated:
		if reply && e.Audience[1].AuthorID == v.UserID {
			return who + " replied to your comment."
		} else if reply {
			return who + " replied to a comment."
		}
		return who + " added an annotation."
	case db.AnnotationUpdated:
		if v.CanReadThread(e.Audience) {
			return who + " edited an annotation."
		}
		return "An annotation is no longer shared with you."
	case db.AnnotationDeleted:
		return who + " deleted an annotation."
	case db.AnnotationHidden:
		return "A group owner hid an annotation."
	case db.AnnotationUnhidden:
		return "A group owner showed an annotation again."
	case db.NoteCreated:
		return who + " added a note."
	case db.NoteUpdated:
		if v.CanReadThread(e.Audience) {
			return who + " edited a note."
		}
		return "A note is no longer shared with you."
	case db.NoteDeleted:
		return who + " deleted a note."
	case db.ArticleRevised:
		return "The article's text was revised."
	case db.ArticleTagged:
		return "The article's tags changed."
	}
	return ""
}

// Package hub is the in-process db.Broker: it follows the store's event
// log (woken after each commit here, by the store's EventWaker after
// another instance's, and every Poll in case a wake-up went missing) and
// hands each new event to the subscribers of its topics. It reads events
// from the log, never from a wake-up, so every instance's hub hands out
// the same events in the same order, each once.
package hub

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"gloss/db"
)

// Options tune a hub; zero values take the defaults.
type Options struct {
	// Poll: how often the log is read without being woken (default 1s).
	Poll time.Duration
	// Buffer: events a subscriber may fall behind by before it is told
	// it lagged (default 64).
	Buffer int
	// KeepFor and Keep: the log is pruned of events older than KeepFor,
	// keeping at least the newest Keep (defaults a day and 100,000),
	// every PruneEvery (default 10 minutes).
	KeepFor    time.Duration
	Keep       int
	PruneEvery time.Duration
	Logger     *slog.Logger
}

// Hub fans the event log out to subscribers by topic.
type Hub struct {
	log  db.EventLog
	opts Options

	mu       sync.Mutex
	seq      int64 // the last event handed out
	subs     map[db.Topic]map[*sub]struct{}
	watchers []func(*db.Event)
	advanced chan struct{} // closed (and replaced) when seq moves on

	wake   chan struct{}
	others <-chan struct{} // the store's EventWaker's wake-ups; nil without one
	stop   chan struct{}
	done   chan struct{}
	once   sync.Once
}

// batch is how many events one read of the log takes.
const batch = 512

// New makes a hub over an event log; Start starts it.
func New(log db.EventLog, opts Options) *Hub {
	if opts.Poll <= 0 {
		opts.Poll = time.Second
	}
	if opts.Buffer <= 0 {
		opts.Buffer = 64
	}
	if opts.KeepFor <= 0 {
		opts.KeepFor = 24 * time.Hour
	}
	if opts.Keep <= 0 {
		opts.Keep = 100_000
	}
	if opts.PruneEvery <= 0 {
		opts.PruneEvery = 10 * time.Minute
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Hub{log: log, opts: opts, subs: map[db.Topic]map[*sub]struct{}{},
		wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}), advanced: make(chan struct{})}
}

// Start reads where the log ends (events before now are history) and
// starts following it, until Close or the log closes.
func (h *Hub) Start(ctx context.Context) error {
	_, last, err := h.log.EventBounds(ctx)
	if err != nil {
		return err
	}
	h.mu.Lock()
	h.seq = last
	h.mu.Unlock()
	if w := h.log.EventWaker(); w != nil {
		// The waker wakes the hub once it listens (and again after each
		// reconnection): what was stored until then is read from the log.
		h.others = w.Wakes()
	}
	go h.loop()
	return nil
}

// Close stops the hub; subscriptions get no more events.
func (h *Hub) Close() {
	h.once.Do(func() { close(h.stop) })
	<-h.done
}

// Seq is the last event handed out.
func (h *Hub) Seq() int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.seq
}

// Publish wakes the hub: new events were stored.
func (h *Hub) Publish() {
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

func (h *Hub) loop() {
	defer close(h.done)
	poll := time.NewTicker(h.opts.Poll)
	defer poll.Stop()
	prune := time.NewTicker(h.opts.PruneEvery)
	defer prune.Stop()
	committed := h.log.EventsCommitted()
	for {
		select {
		case _, ok := <-committed:
			if !ok {
				return // the store closed
			}
		case <-h.wake:
		case _, ok := <-h.others:
			if !ok {
				h.others = nil // the waker stopped: the poll carries on
				continue
			}
		case <-poll.C:
		case <-prune.C:
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			n, err := h.log.PruneEvents(ctx, time.Now().Add(-h.opts.KeepFor), h.opts.Keep)
			cancel()
			if err != nil {
				h.opts.Logger.Warn("event log: prune", "err", err)
			} else if n > 0 {
				h.opts.Logger.Info("event log pruned", "events", n)
			}
			continue
		case <-h.stop:
			return
		}
		h.pump()
	}
}

// pump hands out every event stored since the last one handed out.
func (h *Hub) pump() {
	for {
		h.mu.Lock()
		after := h.seq
		h.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		evs, err := h.log.EventsAfter(ctx, after, batch)
		cancel()
		if err != nil {
			select {
			case <-h.stop:
			default:
				h.opts.Logger.Warn("event log: read", "after", after, "err", err)
			}
			return
		}
		h.mu.Lock()
		for _, e := range evs {
			h.dispatch(e)
		}
		if h.seq > after {
			close(h.advanced)
			h.advanced = make(chan struct{})
		}
		h.mu.Unlock()
		if len(evs) < batch {
			return
		}
	}
}

// dispatch gives e to each subscriber of its topics, once (h.mu held).
func (h *Hub) dispatch(e db.Event) {
	if e.Seq <= h.seq {
		return
	}
	h.seq = e.Seq
	shared := &e
	for _, w := range h.watchers {
		w(shared)
	}
	for _, t := range e.Topics() {
		for s := range h.subs[t] {
			if s.last >= e.Seq {
				continue // it follows two of the event's topics
			}
			s.last = e.Seq
			select {
			case s.ch <- shared:
			default:
				h.drop(s)
				close(s.lagged)
			}
		}
	}
}

// Subscribe follows topics from the last event handed out on.
func (h *Hub) Subscribe(topics ...db.Topic) db.Subscription {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := &sub{h: h, topics: topics, since: h.seq, last: h.seq, ch: make(chan *db.Event, h.opts.Buffer), lagged: make(chan struct{})}
	for _, t := range topics {
		if h.subs[t] == nil {
			h.subs[t] = map[*sub]struct{}{}
		}
		h.subs[t][s] = struct{}{}
	}
	return s
}

// Reach waits until the hub has handed out the event seq (one this
// process committed, say), waking it to read the log, and reports whether
// it did before ctx ended.
func (h *Hub) Reach(ctx context.Context, seq int64) bool {
	for {
		h.mu.Lock()
		at, advanced := h.seq, h.advanced
		h.mu.Unlock()
		if at >= seq {
			return true
		}
		h.Publish()
		select {
		case <-advanced:
		case <-ctx.Done():
			return false
		case <-h.done:
			return false
		}
	}
}

// Watch has fn hear every event as it is handed out, before Seq says it
// was, and returns the last event handed out before it. fn runs with the
// hub locked: it must be quick and must not call the hub. A cache keeps
// what it renders up to date with it (handlers' page cache).
func (h *Hub) Watch(fn func(*db.Event)) int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.watchers = append(h.watchers, fn)
	return h.seq
}

// Subscribers counts the subscriptions (metrics, tests).
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	seen := map[*sub]bool{}
	for _, m := range h.subs {
		for s := range m {
			seen[s] = true
		}
	}
	return len(seen)
}

// drop removes a subscription (h.mu held).
func (h *Hub) drop(s *sub) {
	for _, t := range s.topics {
		delete(h.subs[t], s)
		if len(h.subs[t]) == 0 {
			delete(h.subs, t)
		}
	}
}

type sub struct {
	h      *Hub
	topics []db.Topic
	since  int64
	last   int64          // the last event given (h.mu)
	ch     chan *db.Event // pointers: a buffer of 64 events costs 512 bytes
	lagged chan struct{}
	once   sync.Once
}

func (s *sub) Since() int64             { return s.since }
func (s *sub) Events() <-chan *db.Event { return s.ch }
func (s *sub) Lagged() <-chan struct{}  { return s.lagged }
func (s *sub) Close() {
	s.once.Do(func() {
		s.h.mu.Lock()
		s.h.drop(s)
		s.h.mu.Unlock()
	})
}

// Idle reports the last event handed out when s has nothing waiting: a
// stream may then tell its client it has seen everything up to it.
func (h *Hub) Idle(s db.Subscription) (seq int64, idle bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	me, ok := s.(*sub)
	if !ok || len(me.ch) > 0 {
		return 0, false
	}
	return h.seq, true
}

var _ db.Broker = (*Hub)(nil)

// CatchUp reads from the log the events of topics after `after` up to
// `upto` (a subscription's Since), for a client that reconnects with its
// Last-Event-ID. refresh says they cannot all be had (pruned, more than
// max, or `after` is past the end of the log, as a forged or stale id
// from another database would be): the client must start afresh.
func CatchUp(ctx context.Context, log db.EventLog, topics []db.Topic, after, upto int64, max int) (evs []db.Event, refresh bool, err error) {
	if after >= upto {
		_, last, err := log.EventBounds(ctx)
		if err != nil {
			return nil, false, err
		}
		return nil, after > last, nil
	}
	pruned, _, err := log.EventBounds(ctx)
	if err != nil {
		return nil, false, err
	}
	if after < pruned {
		return nil, true, nil
	}
	want := map[db.Topic]bool{}
	for _, t := range topics {
		want[t] = true
	}
	scanned := 0
	for after < upto {
		page, err := log.EventsAfter(ctx, after, batch)
		if err != nil {
			return nil, false, err
		}
		if len(page) == 0 {
			break
		}
		for _, e := range page {
			if e.Seq > upto {
				return evs, false, nil
			}
			after = e.Seq
			if scanned++; scanned > max {
				return nil, true, nil
			}
			for _, t := range e.Topics() {
				if want[t] {
					evs = append(evs, e)
					break
				}
			}
		}
	}
	return evs, false, nil
}

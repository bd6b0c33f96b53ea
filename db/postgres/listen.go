package postgres

import (
	"context"
	"database/sql"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Live updates across instances. Each write transaction that stores
// events ends with pg_notify on eventsChannel (notifyEvents), which
// PostgreSQL delivers to every listening connection when, and only if, the
// transaction commits. Each instance's listener holds one connection of
// its own that LISTENs there and wakes the instance's hub, which then
// reads the new events from the log (db/hub): the notice carries the last
// event's Seq, for the logs, but nothing is taken from it.

// eventsChannel is the channel the notices go on.
const eventsChannel = "gloss_events"

// notifyEvents is the engine's EventsStored: the notice of a transaction
// that stored events up to last.
func notifyEvents(ctx context.Context, tx *sql.Tx, last int64) error {
	_, err := tx.ExecContext(ctx, `SELECT pg_notify(?, ?)`, eventsChannel, strconv.FormatInt(last, 10))
	return err
}

// Backoff between attempts to connect the listener again.
const (
	listenBackoffMin = 100 * time.Millisecond
	listenBackoffMax = 30 * time.Second
)

// listener is PostgreSQL's db.EventWaker. It connects on the first Wakes
// (a command that opens the store to copy or add a user never does), and
// after losing its connection connects again with backoff, waking the hub
// each time it listens again: the hub then reads what was stored
// meanwhile from the log, so nothing is missed, and nothing is handed out
// twice (the hub's Seq).
type listener struct {
	cfg *pgx.ConnConfig
	log *slog.Logger

	once   sync.Once
	wakes  chan struct{}
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}

	// connected is told each time the listener listens (tests).
	connected func()
}

func newListener(cfg *pgx.ConnConfig, log *slog.Logger) *listener {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &listener{cfg: cfg, log: log, wakes: make(chan struct{}, 1), ctx: ctx, cancel: cancel, done: make(chan struct{})}
}

// Wakes starts listening (the first call) and returns the wake-ups.
func (l *listener) Wakes() <-chan struct{} {
	l.once.Do(func() { go l.run() })
	return l.wakes
}

// Close stops listening; Wakes' channel is then closed.
func (l *listener) Close() error {
	l.cancel()
	l.once.Do(func() { close(l.wakes); close(l.done) }) // it never started
	<-l.done
	return nil
}

func (l *listener) wake() {
	select {
	case l.wakes <- struct{}{}:
	default: // one is pending: the hub reads everything new anyway
	}
}

func (l *listener) run() {
	defer close(l.done)
	defer close(l.wakes)
	backoff := listenBackoffMin
	lost := false
	for {
		conn, err := l.listen()
		if err != nil {
			if l.ctx.Err() != nil {
				return
			}
			l.log.Warn("live updates from other instances: cannot listen; trying again", "in", backoff, "err", err)
			select {
			case <-time.After(backoff):
			case <-l.ctx.Done():
				return
			}
			backoff = min(2*backoff, listenBackoffMax)
			continue
		}
		backoff = listenBackoffMin
		if lost {
			l.log.Info("live updates from other instances: listening again")
		}
		if l.connected != nil {
			l.connected()
		}
		l.wake() // whatever was stored while not listening
		for {
			n, err := conn.WaitForNotification(l.ctx)
			if err != nil {
				conn.Close(context.Background())
				if l.ctx.Err() != nil {
					return
				}
				l.log.Warn("live updates from other instances: connection lost; reconnecting", "err", err)
				lost = true
				break
			}
			l.log.Debug("events stored", "through", n.Payload, "by", n.PID)
			l.wake()
		}
	}
}

// listen connects and LISTENs.
func (l *listener) listen() (*pgx.Conn, error) {
	ctx, cancel := context.WithTimeout(l.ctx, 30*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, l.cfg)
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, "LISTEN "+eventsChannel); err != nil {
		conn.Close(context.Background())
		return nil, err
	}
	return conn, nil
}

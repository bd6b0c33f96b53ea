package core

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// maxBatch bounds how many writes share one transaction, so one commit's
// latency stays bounded under a flood.
const maxBatch = 64

// writeSavepoint is the name each request's savepoint takes; requests run
// one after another, so the name is never nested in itself (fns may nest
// savepoints of other names, as the W3C import does).
const writeSavepoint = "gloss_write"

// Request states: a request may be abandoned (its context done) only while
// it waits in the queue; once the writer has taken it, it runs and its
// outcome is reported.
const (
	reqQueued int32 = iota
	reqTaken
	reqAbandoned
)

type writeRequest struct {
	ctx   context.Context
	fn    func(ctx context.Context, tx *sql.Tx) error
	state atomic.Int32
	done  chan error // buffered: the writer never blocks on a caller
	panic any        // fn's panic, re-raised in the caller
}

// errWriterClosed is what writes get after Close.
var errWriterClosed = errors.New("db: closed")

// ErrBatchAborted is what a write gets when its own fn succeeded but the
// transaction it shared could not be committed because of another's
// failure (a statement interrupted mid-way, which makes SQLite roll back the
// whole transaction, or a panic). Its write is not stored.
var ErrBatchAborted = errors.New("db: the write was not stored: the transaction it shared was rolled back")

type writer struct {
	pool *sql.DB
	// begin starts every transaction (an engine's lock across instances),
	// beforeCommit ends it (the search index's queue).
	begin, beforeCommit func(ctx context.Context, tx *sql.Tx) error
	// afterCommit, when not nil, runs after each commit, before the
	// writes are acknowledged (the event log's wake-up, event.go).
	afterCommit func()
	Reqs        chan *writeRequest
	quit        chan struct{} // closed by close
	stopped     chan struct{} // closed when the loop has returned
	once        sync.Once

	// observe, when not nil, hears each transaction's number of writes.
	observe func(writes int)

	// batches counts the transactions the writer ran (tests, Stats).
	Batches atomic.Int64
	// queued counts the requests handed to do and not yet taken by the
	// loop, those still waiting to enter the channel included (Stats).
	queued atomic.Int64
}

func startWriter(pool *sql.DB, begin, beforeCommit func(ctx context.Context, tx *sql.Tx) error, afterCommit func(), observe func(writes int)) *writer {
	w := &writer{pool: pool, begin: begin, beforeCommit: beforeCommit, afterCommit: afterCommit, observe: observe,
		Reqs: make(chan *writeRequest, maxBatch), quit: make(chan struct{}), stopped: make(chan struct{})}
	go w.loop()
	return w
}

// close stops the writer after the batch in hand; writes still queued get
// errWriterClosed.
func (w *writer) close() {
	w.once.Do(func() {
		close(w.quit)
		<-w.stopped
	})
}

// do runs fn in a write transaction shared with other concurrent writes and
// returns fn's error, or nil once the transaction holding fn's writes has
// committed. A context done while the request waits in the queue abandons it
// (fn never runs); once fn is running, do waits for the outcome.
func (w *writer) do(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case <-w.quit:
		return errWriterClosed
	default:
	}
	r := &writeRequest{ctx: ctx, fn: fn, done: make(chan error, 1)}
	w.queued.Add(1)
	select {
	case w.Reqs <- r:
	case <-ctx.Done():
		w.queued.Add(-1)
		return ctx.Err()
	case <-w.quit:
		w.queued.Add(-1)
		return errWriterClosed
	}
	var err error
	select {
	case err = <-r.done:
	case <-ctx.Done():
		if r.state.CompareAndSwap(reqQueued, reqAbandoned) {
			return ctx.Err()
		}
		err = <-r.done
	case <-w.stopped:
		// Queued as the writer stopped: the loop's drain may have missed it.
		if r.state.CompareAndSwap(reqQueued, reqAbandoned) {
			return errWriterClosed
		}
		err = <-r.done
	}
	if r.panic != nil {
		panic(r.panic)
	}
	return err
}

func (w *writer) loop() {
	defer close(w.stopped)
	batch := make([]*writeRequest, 0, maxBatch)
	for {
		select {
		case r := <-w.Reqs:
			w.queued.Add(-1)
			batch = append(batch[:0], r)
		case <-w.quit:
			w.drain()
			return
		}
	gather:
		for len(batch) < maxBatch {
			select {
			case r := <-w.Reqs:
				w.queued.Add(-1)
				batch = append(batch, r)
			default:
				break gather
			}
		}
		w.run(batch)
		clear(batch)
	}
}

// drain fails what is still queued when the writer stops.
func (w *writer) drain() {
	for {
		select {
		case r := <-w.Reqs:
			w.queued.Add(-1)
			if r.state.CompareAndSwap(reqQueued, reqTaken) {
				r.done <- errWriterClosed
			}
		default:
			return
		}
	}
}

// run runs one batch in one transaction and reports to every caller.
func (w *writer) run(batch []*writeRequest) {
	live := batch[:0:0]
	for _, r := range batch {
		// Skip what was abandoned, and what is already too late: its
		// statements would fail at once, or be interrupted mid-way (which
		// rolls back the whole transaction).
		if !r.state.CompareAndSwap(reqQueued, reqTaken) {
			continue
		}
		if err := r.ctx.Err(); err != nil {
			r.done <- err
			continue
		}
		live = append(live, r)
	}
	if len(live) > 0 {
		w.runTaken(live)
	}
}

// runTaken runs requests already taken from the queue in one transaction.
func (w *writer) runTaken(live []*writeRequest) {
	w.Batches.Add(1)
	if w.observe != nil {
		w.observe(len(live))
	}
	// The transaction's own context is never cancelled: a caller's context
	// governs only its own statements.
	tx, err := w.pool.BeginTx(context.Background(), nil)
	if err == nil && w.begin != nil {
		if err = w.begin(context.Background(), tx); err != nil {
			tx.Rollback()
		}
	}
	if err != nil {
		for _, r := range live {
			r.done <- fmt.Errorf("db: begin: %w", err)
		}
		return
	}
	var ok []*writeRequest // fn succeeded: reported after the commit
	for i, r := range live {
		err, broken := runOne(tx, r)
		if broken != nil {
			// The transaction is gone, or in a state not to be trusted:
			// nothing of it is stored and nothing of it is acknowledged.
			tx.Rollback()
			if err == nil {
				err = fmt.Errorf("%w (%v)", ErrBatchAborted, broken)
			}
			r.done <- err
			for _, done := range ok {
				done.done <- fmt.Errorf("%w (%v)", ErrBatchAborted, broken)
			}
			// Those not yet run lose nothing: they get a transaction of
			// their own.
			if rest := live[i+1:]; len(rest) > 0 {
				w.runTaken(rest)
			}
			return
		}
		if err != nil {
			r.done <- err // rolled back to its savepoint: nothing of it is stored
			continue
		}
		ok = append(ok, r)
	}
	if w.beforeCommit != nil && len(ok) > 0 {
		// The search index's queue, for the whole batch: if it cannot be
		// applied (a full disk, a damaged index that needs `web reindex`),
		// no write of the batch is stored, even one that indexed nothing.
		if err := w.beforeCommit(context.Background(), tx); err != nil {
			tx.Rollback()
			for _, r := range ok {
				r.done <- fmt.Errorf("db: commit: %w", err)
			}
			return
		}
	}
	if err := tx.Commit(); err != nil {
		for _, r := range ok {
			r.done <- fmt.Errorf("db: commit: %w", err)
		}
		return
	}
	if w.afterCommit != nil {
		w.afterCommit()
	}
	for _, r := range ok {
		r.done <- nil
	}
}

// runOne runs one request in its savepoint. err is the request's own
// failure (its writes undone); broken, when not nil, says the shared
// transaction can no longer be used.
func runOne(tx *sql.Tx, r *writeRequest) (err error, broken error) {
	bg := context.Background()
	if _, err := tx.ExecContext(bg, "SAVEPOINT "+writeSavepoint); err != nil {
		return nil, fmt.Errorf("db: savepoint: %w", err)
	}
	func() {
		defer func() {
			if p := recover(); p != nil {
				r.panic = p
				broken = fmt.Errorf("db: panic in a write: %v", p)
			}
		}()
		// fn's statements run under a context that is not cancelled: an
		// interrupted write statement makes SQLite roll back the whole
		// transaction, the other writes of the batch with it. A caller that
		// gives up while its fn runs waits the few milliseconds it takes.
		err = r.fn(OutOfView(context.WithoutCancel(r.ctx)), tx)
	}()
	if broken != nil {
		return nil, broken
	}
	if err != nil {
		// After an interrupt, a full disk or I/O error SQLite may have rolled
		// back the whole transaction: then the savepoint is gone too.
		if _, rerr := tx.ExecContext(bg, "ROLLBACK TO "+writeSavepoint); rerr != nil {
			return err, fmt.Errorf("db: roll back a failed write: %w", rerr)
		}
	}
	if _, rerr := tx.ExecContext(bg, "RELEASE "+writeSavepoint); rerr != nil {
		return err, fmt.Errorf("db: release savepoint: %w", rerr)
	}
	return err, nil
}

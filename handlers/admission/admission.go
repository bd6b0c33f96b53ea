// Package admission lets at most a few requests be worked on at once;
// the others wait their turn in the order they came.
//
// Go shares the CPU among every request under way. Under load (32 clients
// on 2 cores) that made each request as slow as its own cost times the
// number of requests sharing the cores: a search (8 ms of CPU) took
// 100–250 ms, and the writer, one goroutine among dozens, committed late,
// so every write waited. With a few requests at once, each runs nearly as
// fast as alone, and a request's wait is its place in the line, whatever
// its kind: on the 1M corpus's mixed load the p95 went from 145–173 ms to
// 105–114 ms, at a higher rate (docs/performance.md).
//
// Requests the caller says (live streams, held open for as long as a page
// is; static files; health checks) do not wait. A turn ends when the
// response's header is written: the work is done by then, and a slow
// client reading its page does not hold a turn. No request waits more
// than Wait: past it a request goes ahead anyway, so turns held long (a
// large upload) slow the line, and never stop it.
package admission

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
)

// Line is the line at the door: its turns and those waiting for one.
type Line struct {
	turns   chan struct{}
	wait    time.Duration
	waiting atomic.Int64 // requests waiting for a turn now
	metrics Metrics
	skip    func(echo.Context) bool
}

// Metrics hears of the waits: a request began "waiting" for a turn, and
// how that wait ended, with a "turn", going "ahead" without one past the
// bound, or its client having "left".
type Metrics interface{ Admission(event string) }

// Wait bounds a request's wait for a turn.
const Wait = 2 * time.Second

// New admits n requests at once (0: four per CPU Go uses; negative: any
// number, no line), telling m of the waits; the requests skip says (live
// streams, static files, health checks) never wait.
func New(n int, m Metrics, skip func(echo.Context) bool) *Line {
	if n < 0 {
		return nil
	}
	if n == 0 {
		n = 4 * runtime.GOMAXPROCS(0)
	}
	return &Line{turns: make(chan struct{}, n), wait: Wait, metrics: m, skip: skip}
}

// Middleware makes each request that takes a turn wait for one (a nil
// Line lets every request in at once).
func (a *Line) Middleware(next echo.HandlerFunc) echo.HandlerFunc {
	if a == nil {
		return next
	}
	return func(c echo.Context) error {
		if a.skip != nil && a.skip(c) {
			return next(c)
		}
		turn, left := a.take(c)
		if left {
			return nil // the client left while waiting
		}
		if turn {
			var once sync.Once
			end := func() { once.Do(func() { <-a.turns }) }
			c.Response().Before(end)
			defer end()
		}
		return next(c)
	}
}

// take waits for a turn: turn, once one is free; neither, past a.wait
// (the request goes ahead without one); left, if the client left first.
func (a *Line) take(c echo.Context) (turn, left bool) {
	select {
	case a.turns <- struct{}{}:
		return true, false
	default:
	}
	a.waiting.Add(1)
	a.metrics.Admission("waiting")
	timer := time.NewTimer(a.wait)
	defer timer.Stop()
	outcome := "turn"
	defer func() {
		a.waiting.Add(-1)
		a.metrics.Admission(outcome)
	}()
	select {
	case a.turns <- struct{}{}:
		return true, false
	case <-timer.C:
		outcome = "ahead"
		return false, false
	case <-c.Request().Context().Done():
		outcome = "left"
		return false, true
	}
}

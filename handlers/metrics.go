package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// Metrics hears about what the HTTP layer does (the handlers/metrics
// package turns it into Prometheus metrics). Label values are only ever
// route patterns, methods, status codes and fixed words: never a raw path,
// an id or anything a user typed.
type Metrics interface {
	// Request: one request answered, by its route pattern ("/articles/:slug"),
	// method and status, and how long it took.
	Request(method, route string, status int, took time.Duration)
	// SignInThrottle: scope "ip" or "account"; event "locked" (a failure
	// locked the key) or "refused" (a try came while it was locked).
	SignInThrottle(scope, event string)
	// LiveStream: a live page's stream "opened" or "closed", or "refused"
	// by the limits on a person's and an address's streams.
	LiveStream(event string)
	// Admission: a request began "waiting" for a turn (handlers/admission), and
	// how that wait ended: with a "turn", going "ahead" without one past
	// the bound, or its client having "left".
	Admission(event string)
}

// noMetrics is what a server without metrics hears with.
type noMetrics struct{}

func (noMetrics) Request(string, string, int, time.Duration) {}
func (noMetrics) SignInThrottle(string, string)              {}
func (noMetrics) LiveStream(string)                          {}
func (noMetrics) Admission(string)                           {}

// unmatchedRoute is the route label of a request no route matched.
const unmatchedRoute = "unmatched"

// measure reports every request to the metrics, by route pattern: Echo's
// c.Path() when it is one of the routes registered (known, filled once
// the routes are), else "unmatched", so a label never holds a raw path.
// It runs first, so the status it reads is the one sent, after the error
// handler.
func (s *Server) measure(known map[string]bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err)
				err = nil
			}
			route := c.Path()
			if !known[route] {
				route = unmatchedRoute
			}
			method := c.Request().Method
			if head, _ := c.Get(headKey).(bool); head {
				method = http.MethodHead
			}
			s.metrics.Request(methodLabel(method), route, c.Response().Status, time.Since(start))
			return err
		}
	}
}

// methodLabel keeps the method label to the methods HTTP defines.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "other"
}

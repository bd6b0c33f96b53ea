package handlers

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// contentSecurityPolicy allows only our own scripts, styles and images: no
// inline script or style anywhere, no framing, forms post only to us.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

func (s *Server) secureHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		if s.cfg.BehindTLS {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		return next(c)
	}
}

func (s *Server) requestLogger() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogMethod: true, LogURI: true, LogStatus: true, LogLatency: true, LogError: true, LogRemoteIP: true,
		HandleError: true, // run the error handler first so the logged status is the one sent
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			if v.Status >= 500 {
				level = slog.LevelError
			}
			method := v.Method
			if head, _ := c.Get(headKey).(bool); head {
				method = http.MethodHead
			}
			attrs := []slog.Attr{
				slog.String("method", method), slog.String("uri", redactSecrets(v.URI)), slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency.Round(time.Microsecond)), slog.String("ip", v.RemoteIP),
			}
			if v.Error != nil && v.Status >= 500 {
				attrs = append(attrs, slog.String("err", v.Error.Error()))
			}
			s.log.LogAttrs(context.Background(), level, "request", attrs...)
			return nil
		},
	})
}

func (s *Server) logPanic(c echo.Context, err error, stack []byte) error {
	s.log.Error("panic", "uri", c.Request().RequestURI, "err", err, "stack", string(stack))
	return fmt.Errorf("panic: %w", err)
}

// secretPaths are the URL prefixes whose next segment is a bearer secret
// (invitation and share tokens): logs keep the route, not the secret.
var secretPaths = []string{"/invites/", "/s/"}

// redactSecrets hides the secret segment of an invitation or share URL.
func redactSecrets(uri string) string {
	for _, prefix := range secretPaths {
		if rest, ok := strings.CutPrefix(uri, prefix); ok {
			if i := strings.IndexAny(rest, "/?#"); i >= 0 {
				return prefix + "[secret]" + rest[i:]
			}
			return prefix + "[secret]"
		}
	}
	return uri
}

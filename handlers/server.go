// Package handlers is Gloss's HTTP layer: the Echo app with every route
// (routes.go), its middleware and error handler, and one file per resource.
// Handlers load, validate, call db, and render views. Subpackages: w3c (the
// annotation protocol, JSON-LD), exchange (imports, exports, backups),
// collections, evidence (the evidence views, suggestions), tags (the tags'
// pages, codebooks), groups, search, web (shared helpers) and paths (every
// URL).
package handlers

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/handlers/collections"
	"gloss/handlers/evidence"
	"gloss/handlers/pagecache"
	"gloss/handlers/web"
)

// Config holds what the HTTP layer needs besides the store.
type Config struct {
	Logger *slog.Logger
	// BehindTLS: browsers reach Gloss over HTTPS, served by Gloss itself
	// (-tls-cert, -acme-domain) or by a proxy (-behind-tls): Secure
	// cookies, HSTS and https:// links.
	BehindTLS bool
	Signup    bool // anyone may create an account
	// TrustedProxies are the addresses (IPs or CIDRs) of reverse proxies
	// whose X-Forwarded-For is believed. Empty: the peer address is the client.
	TrustedProxies []string
	// Version is the build's, for /healthz.
	Version Version
	// Phase, when set, is shared with whoever starts and stops the server;
	// /readyz fails unless it says serving. Nil: always serving.
	Phase *Phase
	// Metrics hears about requests and sign-in throttling; nil: nobody.
	Metrics Metrics
	// Broker fans the store's events out to live pages; nil: an
	// in-process hub over the store, stopped when the store closes.
	Broker db.Broker
	// StreamsPerUser and StreamsPerIP limit live streams (0: 8 and 200).
	StreamsPerUser, StreamsPerIP int
	// PageCacheBytes bounds the reader pages kept whole
	// (handlers/pagecache): 0, 32 MiB; negative, none.
	PageCacheBytes int64
	// MailEnabled: mentions and replies may be emailed (-smtp-url), so the
	// notifications page offers the choice.
	MailEnabled bool
	// PublicURL is where people reach Gloss (-public-url, or the first
	// ACME domain), for links sent to them (invitations); "" means the
	// host each request came to.
	PublicURL string
	// CardsPerPage is how many top-level annotations the reader's margin
	// shows a page (margin.go); 0: 40.
	CardsPerPage int
	// Concurrency is how many requests are worked on at once, the others
	// waiting their turn in the order they came (handlers/admission): 0, four per
	// CPU; negative, no limit.
	Concurrency int
}

// Server holds the dependencies every handler uses.
type Server struct {
	db   db.Store
	log  *slog.Logger
	cfg  Config
	site web.Site
	// collections serves the collections' pages, and the evidence pages'
	// form that adds a view to one.
	collections *collections.Server
	// evidence serves the evidence views and the suggestions, and the
	// reader's Suggestions panel.
	evidence *evidence.Server
	sessions *scs.SessionManager
	metrics  Metrics // never nil: noMetrics when cfg.Metrics is
	// Sign-in throttles (throttle.go): per account, a few checks then a
	// doubling lock; per address, a bucket of failures that refills (a
	// class may share one address).
	accountThrottle *attempts
	ipThrottle      *bucket
	// live serves the pages' event streams (live.go).
	live *live
	// pages keeps reader pages whole until an event could change them (handlers/pagecache);
	// nil: none.
	pages *pagecache.Cache
}

// New builds the Echo instance with every route and middleware.
func New(store db.Store, cfg Config) (*echo.Echo, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	extractor, err := ipExtractor(cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	s := &Server{
		db: store, log: cfg.Logger, cfg: cfg, metrics: cfg.Metrics,
		sessions:        newSessionManager(store, cfg.BehindTLS, cfg.Logger),
		accountThrottle: newAttempts(store, 5, time.Second, 15*time.Minute),
		ipThrottle:      newBucket(store, 30, 30*time.Second),
	}
	s.site = web.NewSite(cfg.BehindTLS, func(ctx context.Context, msg string) { s.sessions.Put(ctx, keyFlash, msg) }).WithPublicURL(cfg.PublicURL)
	if s.metrics == nil {
		s.metrics = noMetrics{}
	}
	if s.live, err = newLive(store, cfg, s.metrics); err != nil {
		return nil, err
	}
	s.pages = s.live.pageCache(cfg.PageCacheBytes, store)
	s.collections = collections.New(store, s.site, s.pages)
	s.evidence = evidence.New(store, s.site, s.collections)
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.errorHandler
	e.IPExtractor = extractor
	s.routes(e)
	return e, nil
}

// ipExtractor trusts X-Forwarded-For only from the configured proxies;
// otherwise the TCP peer is the client, whatever headers say.
func ipExtractor(proxies []string) (echo.IPExtractor, error) {
	if len(proxies) == 0 {
		return echo.ExtractIPDirect(), nil
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range proxies {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !strings.Contains(p, "/") {
			if ip := net.ParseIP(p); ip != nil && ip.To4() != nil {
				p += "/32"
			} else {
				p += "/128"
			}
		}
		_, n, err := net.ParseCIDR(p)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q is not an IP address or CIDR range", p)
		}
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...), nil
}

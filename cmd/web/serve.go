package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"gloss/db"
	"gloss/db/sqlstore"
	"gloss/handlers"
	"gloss/handlers/metrics"
	"gloss/seeds"
)

// shutdownGrace is how long in-flight requests get to finish on shutdown.
const shutdownGrace = 10 * time.Second

// testHookMigration, when set, runs before each migration applied at
// start (tests hold one to watch /readyz during a long migration).
var testHookMigration func(version int, name string)

// testHookDrain, when set, stands for -drain-delay's wait (tests hold it
// to watch /readyz while draining).
var testHookDrain func()

// serve runs the server. It listens on every address first, so that a
// mistake (an address in use, a certificate that does not load) stops it
// before anything else; answers /healthz and /readyz (not ready) while the
// database is migrated and seeded; then serves, until ctx is done, and
// drains.
func serve(ctx context.Context, cfg config, log *slog.Logger) error {
	version := buildVersion()
	https, err := setupHTTPS(cfg, log)
	if err != nil {
		return err
	}
	var m *metrics.Metrics
	if cfg.MetricsAddr != "" {
		m = metrics.New(version)
	}

	phase := new(handlers.Phase)
	var site swapHandler
	site.set(handlers.Starting(phase, version))
	var srvs servers
	main := srvs.add(cfg.Addr, &site, log)
	var plain, metricsSrv *server
	if https != nil {
		main.TLSConfig = https.tls
		if cfg.HTTPAddr != "off" {
			plain = srvs.add(cfg.HTTPAddr, nil, log) // its handler once the HTTPS port is known
		}
	}
	if m != nil {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", m.Handler())
		metricsSrv = srvs.add(cfg.MetricsAddr, mux, log)
	}
	if err := srvs.listen(); err != nil {
		return err
	}
	siteURL := "http://" + main.ln.Addr().String()
	if https != nil {
		siteURL = "https://" + main.ln.Addr().String()
	}
	if plain != nil {
		_, port, _ := net.SplitHostPort(main.ln.Addr().String())
		plain.Handler = https.plain(port)
	}
	errc := srvs.serve()
	log.Info("gloss starting", "url", siteURL)
	if plain != nil {
		log.Info("plain HTTP listening: redirects to HTTPS", "url", "http://"+plain.ln.Addr().String())
	}
	if metricsSrv != nil {
		log.Info("metrics listening", "url", "http://"+metricsSrv.ln.Addr().String()+"/metrics")
	}

	handler, closeStore, err := openSite(ctx, cfg, log, version, phase, m)
	if err != nil {
		srvs.shutdown()
		if ctx.Err() != nil {
			log.Info("stopped during start-up")
			return nil
		}
		return err
	}
	defer closeStore()
	site.set(handler)
	phase.Serve()
	if https != nil && https.warm != nil {
		go https.warm(log)
	}
	startProfiler(log)
	log.Info("gloss listening", "url", siteURL, "db", dbName(cfg.DB), "version", version.Module)

	select {
	case err := <-errc:
		srvs.shutdown()
		return err
	case <-ctx.Done():
	}
	phase.Drain()
	if d := cfg.DrainDelay(); d > 0 || testHookDrain != nil {
		log.Info("draining: /readyz fails, still serving", "for", d)
		if testHookDrain != nil {
			testHookDrain()
		} else {
			time.Sleep(d)
		}
	}
	log.Info("shutting down: finishing requests in flight")
	if err := srvs.shutdown(); err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

// openSite opens (migrating) the database, imports the seeds into an empty
// library, and builds the site's handler.
func openSite(ctx context.Context, cfg config, log *slog.Logger, version handlers.Version, phase *handlers.Phase, m *metrics.Metrics) (http.Handler, func(), error) {
	opts := sqlstore.Options{Migrating: func(v int, name string) {
		log.Info("applying migration", "migration", name)
		if testHookMigration != nil {
			testHookMigration(v, name)
		}
	}, Reindexing: func(index string, done, total int) {
		log.Info("rebuilding the search index", "index", index, "done", done, "of", total)
	}, Logger: log}
	hc := handlers.Config{
		Logger: log, BehindTLS: cfg.https(), Signup: cfg.Signup, TrustedProxies: cfg.TrustedProxies(),
		Version: version, Phase: phase, MailEnabled: cfg.SMTPURL != "", PublicURL: cfg.PublicBase(),
	}
	if m != nil { // never a typed nil in an interface
		opts.Observer, hc.Metrics = m, m
	}
	store, err := openStore(ctx, cfg.DB, opts)
	if err != nil {
		return nil, nil, err
	}
	// A library with no articles yet (a new database, or one where only
	// accounts were made) starts with the seed corpus.
	if n, err := store.ArticleCount(ctx); err != nil {
		store.Close()
		return nil, nil, err
	} else if n == 0 {
		log.Info("empty library: importing the seed articles", "db", dbName(cfg.DB))
		if err := importSeeds(ctx, store, log); err != nil {
			store.Close()
			return nil, nil, err
		}
	}
	handler, err := handlers.New(store, hc)
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	if m != nil {
		m.Store(store.Reader(), func() int { return store.Stats().WriteQueue })
	}
	stopMail := func() {}
	if cfg.SMTPURL != "" {
		ml, err := newMailer(store, cfg, log)
		if err != nil {
			store.Close()
			return nil, nil, err
		}
		mctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			defer close(done)
			ml.run(mctx)
		}()
		stopMail = func() {
			cancel()
			<-done
		}
		log.Info("email on", "from", cfg.MailFrom, "links", cfg.PublicBase())
	}
	return handler, func() {
		stopMail()
		store.Close()
	}, nil
}

// swapHandler serves with whichever handler was set last: the start-up
// one, then the site.
type swapHandler struct{ h atomic.Pointer[http.Handler] }

func (s *swapHandler) set(h http.Handler) { s.h.Store(&h) }

func (s *swapHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	(*s.h.Load()).ServeHTTP(w, r)
}

// servers are the site's listener and those beside it (plain HTTP,
// metrics), started and stopped together.
type servers struct{ list []*server }

type server struct {
	*http.Server
	addr string
	ln   net.Listener
}

func (ss *servers) add(addr string, h http.Handler, log *slog.Logger) *server {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	s := &server{Server: srv, addr: addr}
	ss.list = append(ss.list, s)
	return s
}

// listen opens every server's address, or none of them.
func (ss *servers) listen() error {
	for i, s := range ss.list {
		ln, err := net.Listen("tcp", s.addr)
		if err != nil {
			for _, opened := range ss.list[:i] {
				opened.ln.Close()
			}
			return fmt.Errorf("listen on %s: %w", s.addr, err)
		}
		s.ln = ln
	}
	return nil
}

// serve starts every server; the channel hears the first that fails.
func (ss *servers) serve() <-chan error {
	errc := make(chan error, len(ss.list))
	for _, s := range ss.list {
		go func() {
			var err error
			if s.TLSConfig != nil {
				err = s.ServeTLS(s.ln, "", "")
			} else {
				err = s.Serve(s.ln)
			}
			if !errors.Is(err, http.ErrServerClosed) {
				errc <- err
			}
		}()
	}
	return errc
}

// shutdown stops every server from accepting and gives the requests in
// flight shutdownGrace to finish.
func (ss *servers) shutdown() error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	errs := make([]error, len(ss.list))
	var wg sync.WaitGroup
	for i, s := range ss.list {
		wg.Go(func() {
			if err := s.Shutdown(ctx); err != nil {
				errs[i] = fmt.Errorf("shutdown: %w", err)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// printProgress prints a rebuild of the search index's progress to out.
func printProgress(out io.Writer) sqlstore.Options {
	return sqlstore.Options{Reindexing: func(index string, done, total int) {
		fmt.Fprintf(out, "search index: %s %d of %d\n", index, done, total)
	}}
}

func migrate(ctx context.Context, cfg config, out io.Writer) error {
	store, err := openStore(ctx, cfg.DB, printProgress(out))
	if err != nil {
		return err
	}
	defer store.Close()
	current, known, err := store.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: schema at version %d of %d\n", dbName(cfg.DB), current, known)
	return nil
}

func seedCommand(ctx context.Context, cfg config, out io.Writer) error {
	store, err := openStore(ctx, cfg.DB, sqlstore.Options{})
	if err != nil {
		return err
	}
	defer store.Close()
	return importSeeds(ctx, store, newLogger(out, cfg.LogFormat))
}

// importSeeds imports every seed article, then the starter set; both are
// idempotent, and the starter set stays away once an administrator removed it.
func importSeeds(ctx context.Context, store *sqlstore.Store, log *slog.Logger) error {
	err := seeds.Import(ctx, store, func(slug string, outcome db.ImportOutcome) {
		log.Info("seed", "article", slug, "outcome", string(outcome))
	})
	if err != nil {
		return err
	}
	rep, err := seeds.ImportStarter(ctx, store)
	if err != nil {
		return err
	}
	if rep.Removed {
		log.Info("starter set", "outcome", "removed by an administrator: not imported")
	} else {
		log.Info("starter set", "added", rep.Added, "kept", rep.Kept, "deleted since", rep.Gone)
	}
	return nil
}

func reindex(ctx context.Context, cfg config, out io.Writer) error {
	store, err := openStore(ctx, cfg.DB, printProgress(out))
	if err != nil {
		return err
	}
	defer store.Close()
	n, err := store.Reindex(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: search index rebuilt, %d items\n", dbName(cfg.DB), n)
	return nil
}

// startProfiler serves net/http/pprof on $GLOSS_PPROF (a loopback
// host:port) when it is set, for profiling under load; never by default,
// and never on an address others can reach (profiles show what the server
// holds in memory).
func startProfiler(log *slog.Logger) {
	addr := os.Getenv("GLOSS_PPROF")
	if addr == "" {
		return
	}
	if host, _, err := net.SplitHostPort(addr); err != nil || !isLoopback(host) {
		log.Warn("pprof not started: GLOSS_PPROF must be a loopback host:port, such as 127.0.0.1:6060", "addr", addr)
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	go func() {
		if err := http.ListenAndServe(addr, mux); err != nil {
			log.Warn("pprof", "err", err)
		}
	}()
	log.Info("pprof listening", "url", "http://"+addr+"/debug/pprof/")
}

// isLoopback says whether host (a name or an IP) is this machine only.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

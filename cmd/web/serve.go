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
	"time"

	"gloss/db"
	"gloss/handlers"
	"gloss/seeds"
)

// shutdownGrace is how long in-flight requests get to finish on shutdown.
const shutdownGrace = 10 * time.Second

func serve(ctx context.Context, cfg config, log *slog.Logger) error {
	store, err := db.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	// A library with no articles yet (a new database, or one where only
	// accounts were made) starts with the seed corpus.
	if n, err := store.ArticleCount(ctx); err != nil {
		return err
	} else if n == 0 {
		log.Info("empty library: importing the seed articles", "db", cfg.DB)
		if err := importSeeds(ctx, store, log); err != nil {
			return err
		}
	}

	handler, err := handlers.New(store, handlers.Config{
		Logger: log, BehindTLS: cfg.BehindTLS, Signup: cfg.Signup, TrustedProxies: cfg.TrustedProxies(),
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	startProfiler(log)
	log.Info("gloss listening", "url", "http://"+ln.Addr().String(), "db", cfg.DB)

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

func migrate(ctx context.Context, cfg config, out io.Writer) error {
	store, err := db.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	current, known, err := store.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: schema at version %d of %d\n", cfg.DB, current, known)
	return nil
}

func seedCommand(ctx context.Context, cfg config, out io.Writer) error {
	store, err := db.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	return importSeeds(ctx, store, newLogger(out))
}

// importSeeds imports every seed article, then the starter set; both are
// idempotent, and the starter set stays away once an administrator removed it.
func importSeeds(ctx context.Context, store *db.DB, log *slog.Logger) error {
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
	store, err := db.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	n, err := store.Reindex(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: search index rebuilt, %d items\n", cfg.DB, n)
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

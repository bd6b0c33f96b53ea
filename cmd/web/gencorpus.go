package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"gloss/db/sqlstore"
	"gloss/db/sqlstore/gencorpus"
	"gloss/seeds"
)

// genCorpusCommand: web gen-corpus [-articles N ...] fills a new, empty
// database with a deterministic synthetic corpus for benchmarks and load
// tests (gencorpus.Generate).
func genCorpusCommand(ctx context.Context, cfg *config, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("gen-corpus", flag.ContinueOnError)
	fs.SetOutput(out)
	def := gencorpus.Default
	articles := fs.Int("articles", def.Articles, "articles")
	annotations := fs.Int("annotations", def.Articles*(def.TopLevel+def.Replies), "annotations in all, replies included (about 15% are replies)")
	notes := fs.Int("notes", def.Notes, "notes per article")
	users := fs.Int("users", def.Users, "people")
	groups := fs.Int("groups", def.Groups, "groups")
	pw := fs.String("password", "", "every generated user's password (user1@example.org, ...); empty: no one can sign in as them")
	if _, err := parseCommandFlags(fs, cfg, args); err != nil {
		return err
	}
	if *articles < 1 || *notes < 0 {
		return errors.New("gen-corpus: -articles must be at least 1 and -notes not negative")
	}
	per := max(1, *annotations / *articles)
	replies := per * 15 / 100
	spec := gencorpus.Spec{
		Articles: *articles, TopLevel: per - replies, Replies: replies, Notes: *notes,
		Users: *users, Groups: *groups, Password: *pw,
	}
	arts, err := seeds.Load()
	if err != nil {
		return err
	}
	var src strings.Builder
	for _, a := range arts {
		src.WriteString(a.Body)
		src.WriteString("\n\n")
	}
	spec.Source = src.String()

	store, err := openStore(ctx, cfg.DB, sqlstore.Options{})
	if err != nil {
		return err
	}
	defer store.Close()
	if n, err := store.ArticleCount(ctx); err != nil {
		return err
	} else if n > 0 || !store.Created() {
		return fmt.Errorf("gen-corpus: %s is not a new database; give -db a new file or an empty PostgreSQL database", dbName(cfg.DB))
	}
	start := time.Now()
	if err := gencorpus.Generate(ctx, store, spec); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: %d articles, %d annotations (%d replies), %d notes, %d users in %d groups; about %d%% of the top-level annotations have a kind (entity, quote, figure, event); in %s\n",
		dbName(cfg.DB), spec.Articles, spec.Articles*(spec.TopLevel+spec.Replies), spec.Articles*spec.Replies,
		spec.Articles*spec.Notes, spec.Users, spec.Groups, gencorpus.EvidencePercent, time.Since(start).Round(time.Millisecond))
	return nil
}

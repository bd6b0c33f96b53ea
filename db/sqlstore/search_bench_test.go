package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gloss/db"
	"gloss/db/sqlite"
	"gloss/db/sqlstore/gencorpus"
	"gloss/seeds"
)

// The large corpus: built by the benchmark only (go test ./db stays fast),
// once, and cached in os.TempDir() under a name that changes with its shape.
// Delete the file (or set GLOSS_BENCH_REBUILD=1) to build it again.
const benchCorpusVersion = "v1" // gencorpus.Default

var (
	benchArticles = gencorpus.Default.Articles
	benchTopLevel = gencorpus.Default.TopLevel
	benchReplies  = gencorpus.Default.Replies
	benchNotes    = gencorpus.Default.Notes
)

type benchCorpus struct {
	d       *sqlite.Store
	member  db.Viewer // a member of two groups
	groupID int64     // one of the member's groups
	genTime time.Duration
	size    int64
}

var (
	benchOnce sync.Once
	benchData benchCorpus
	benchErr  error
)

func openBenchCorpus(b *testing.B) benchCorpus {
	b.Helper()
	benchOnce.Do(func() { benchData, benchErr = buildBenchCorpus() })
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchData
}

func buildBenchCorpus() (benchCorpus, error) {
	ctx := context.Background()
	path := filepath.Join(os.TempDir(), "gloss-search-bench-"+benchCorpusVersion+".db")
	var c benchCorpus
	if _, err := os.Stat(path); err != nil || os.Getenv("GLOSS_BENCH_REBUILD") != "" {
		tmp := path + ".tmp"
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(tmp + suffix)
		}
		d, err := sqlite.Open(ctx, tmp)
		if err != nil {
			return c, err
		}
		start := time.Now()
		spec := gencorpus.Default
		if spec.Source, err = seedSource(); err != nil {
			d.Close()
			return c, err
		}
		if err := gencorpus.Generate(ctx, d, spec); err != nil {
			d.Close()
			return c, err
		}
		gen := time.Since(start)
		if _, err := d.Writer().ExecContext(ctx, `CREATE TABLE bench_meta (generated_ns INTEGER)`); err != nil {
			return c, err
		}
		d.Writer().ExecContext(ctx, `INSERT INTO bench_meta VALUES (?)`, int64(gen))
		d.Writer().ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
		if err := d.Close(); err != nil {
			return c, err
		}
		if err := os.Rename(tmp, path); err != nil {
			return c, err
		}
	}
	d, err := sqlite.Open(ctx, path)
	if err != nil {
		return c, err
	}
	c.d = d
	var ns int64
	d.Writer().QueryRowContext(ctx, `SELECT generated_ns FROM bench_meta`).Scan(&ns)
	c.genTime = time.Duration(ns)
	if fi, err := os.Stat(path); err == nil {
		c.size = fi.Size()
	}
	// The member: user 11 (see gencorpus.Generate: users 11.. are in two groups).
	var memberID int64 = 11
	if c.member, err = d.ViewerFor(ctx, db.User{ID: memberID}); err != nil {
		return c, err
	}
	for id := range c.member.Roles {
		c.groupID = max(c.groupID, id)
	}
	return c, nil
}

// seedSource is the seed articles' text, the generator's vocabulary.
func seedSource() (string, error) {
	arts, err := seeds.Load()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, a := range arts {
		b.WriteString(a.Body)
		b.WriteString("\n\n")
	}
	return b.String(), nil
}

type benchQuery struct {
	q string
	f db.SearchFilter
}

func (q benchQuery) String() string {
	s := q.q
	if q.f != (db.SearchFilter{}) {
		s += fmt.Sprintf(" %+v", q.f)
	}
	return s
}

// BenchmarkSearchLarge searches 10,000 articles and 200,000 annotations
// (with replies, tags and 20,000 notes, 200 people in 10 groups, mixed
// visibility) with a mix of queries, as a signed-out visitor and as a
// member of two groups, and reports latency percentiles over the mix:
//
//	go test ./db -run '^$' -bench SearchLarge -benchtime 5x
func BenchmarkSearchLarge(b *testing.B) {
	c := openBenchCorpus(b)
	b.Logf("corpus: %d articles, %d annotations, %d notes; generated in %s; file %d MiB",
		benchArticles, benchArticles*(benchTopLevel+benchReplies), benchArticles*benchNotes, c.genTime.Round(time.Second), c.size>>20)
	mix := []benchQuery{
		{q: "north"},    // in nearly everything
		{q: "refugees"}, // common
		{q: "asylum"},
		{q: "pyongyang"},
		{q: "crackdown"},
		{q: "mongolia"}, // rare
		{q: `"north korean"`},
		{q: `"human rights"`},
		{q: `"united nations"`},
		{q: "refug*"},
		{q: "depor*"},
		{q: "ch*"},
		{q: "embassy OR consulate"},
		{q: "famine OR hunger"},
		{q: "refugees -china"},
		{q: "korea NOT south"},
		{q: "defectors beijing"},
		{q: "refugees", f: db.SearchFilter{Publication: "Asia Times"}},
		{q: "asylum", f: db.SearchFilter{From: "2001-01-01", To: "2005-12-31"}},
		{q: "refugees", f: db.SearchFilter{Kind: db.KindAnnotation}},
		{q: "asylum", f: db.SearchFilter{Kind: db.KindNote}},
		{q: "border", f: db.SearchFilter{Tag: "unhcr"}},
		{q: "refugees", f: db.SearchFilter{Article: "bench-01234"}},
		{q: "china", f: db.SearchFilter{Visibility: "public"}},
		{q: "north", f: db.SearchFilter{}},
	}
	for _, who := range []struct {
		name string
		v    db.Viewer
		mix  []benchQuery
	}{
		{"anonymous", db.Anonymous, mix},
		{"member", c.member, append(slices.Clone(mix), benchQuery{q: "refugees", f: db.SearchFilter{GroupID: c.groupID}})},
	} {
		b.Run(who.name, func(b *testing.B) {
			ctx := context.Background()
			per := make([][]time.Duration, len(who.mix))
			totals := make([]int, len(who.mix))
			run := func(i int) time.Duration {
				t0 := time.Now()
				res, err := c.d.Search(ctx, who.v, who.mix[i].q, who.mix[i].f, 1, db.DefaultPerPage)
				d := time.Since(t0)
				if err != nil {
					b.Fatalf("%s: %v", who.mix[i], err)
				}
				totals[i] = res.Total
				return d
			}
			for i := range who.mix { // warm the page cache
				run(i)
			}
			var all []time.Duration
			for b.Loop() {
				for i := range who.mix {
					d := run(i)
					per[i] = append(per[i], d)
					all = append(all, d)
				}
			}
			slices.Sort(all)
			pct := func(p float64) float64 {
				return float64(all[min(len(all)-1, int(p*float64(len(all))))].Microseconds()) / 1000
			}
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.95), "p95-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
			b.ReportMetric(float64(all[len(all)-1].Microseconds())/1000, "max-ms")
			var lines []string
			for i, ds := range per {
				slices.Sort(ds)
				lines = append(lines, fmt.Sprintf("%8.1f ms %7d hits  %s", float64(ds[len(ds)/2].Microseconds())/1000, totals[i], who.mix[i]))
			}
			b.Logf("median per query (%d searches):\n%s", len(all), strings.Join(lines, "\n"))
		})
	}
}

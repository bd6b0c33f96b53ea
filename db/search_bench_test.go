package db_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"gloss/db"
	"gloss/seeds"
)

// The large corpus: built by the benchmark only (go test ./db stays fast),
// once, and cached in os.TempDir() under a name that changes with its shape.
// Delete the file (or set GLOSS_BENCH_REBUILD=1) to build it again.
const (
	benchCorpusVersion = "v1"
	benchArticles      = 10_000
	benchTopLevel      = 17 // annotations per article
	benchReplies       = 3  // replies per article: 200,000 annotations in all
	benchNotes         = 2  // notes per article
	benchUsers         = 200
	benchGroups        = 10
)

type benchCorpus struct {
	d       *db.DB
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
		d, err := db.Open(ctx, tmp)
		if err != nil {
			return c, err
		}
		start := time.Now()
		if err := generateCorpus(ctx, d.Writer()); err != nil {
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
	d, err := db.Open(ctx, path)
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
	// The member: user 11 (see generateCorpus: users 11.. are in two groups).
	var memberID int64 = 11
	if c.member, err = d.ViewerFor(ctx, db.User{ID: memberID}); err != nil {
		return c, err
	}
	for id := range c.member.Roles {
		c.groupID = max(c.groupID, id)
	}
	return c, nil
}

// corpusWords is the seed articles' text as a stream of words (with their
// punctuation), so generated text has the seeds' vocabulary, word
// frequencies and phrases.
func corpusWords() ([]string, error) {
	arts, err := seeds.Load()
	if err != nil {
		return nil, err
	}
	var words []string
	for _, a := range arts {
		words = append(words, strings.Fields(a.Body)...)
	}
	return words, nil
}

// textGen makes text from runs of seed words.
type textGen struct {
	rng   *rand.Rand
	words []string
}

// span returns n consecutive seed words from a random place.
func (g *textGen) span(n int) []string {
	i := g.rng.IntN(len(g.words) - n)
	return g.words[i : i+n]
}

// sentence returns between lo and hi words of seed text.
func (g *textGen) sentence(lo, hi int) string {
	n := lo + g.rng.IntN(hi-lo+1)
	var out []string
	for len(out) < n {
		out = append(out, g.span(min(n-len(out), 5+g.rng.IntN(30)))...)
	}
	return strings.Join(out, " ")
}

// batch collects rows for one multi-row INSERT.
type batch struct {
	head string // INSERT INTO t (a, b, c) VALUES
	cols int
	rows int
	args []any
}

func (bt *batch) add(vals ...any) { bt.args = append(bt.args, vals...); bt.rows++ }

func (bt *batch) flush(ctx context.Context, tx *sql.Tx) error {
	for bt.rows > 0 {
		// At most 30,000 parameters per statement.
		n := min(bt.rows, 30000/bt.cols)
		row := "(" + strings.Repeat("?, ", bt.cols-1) + "?)"
		q := bt.head + strings.Repeat(row+", ", n-1) + row
		if _, err := tx.ExecContext(ctx, q, bt.args[:n*bt.cols]...); err != nil {
			return fmt.Errorf("%s: %w", bt.head, err)
		}
		bt.args = bt.args[n*bt.cols:]
		bt.rows -= n
	}
	bt.args = bt.args[:0]
	return nil
}

var benchTags = []string{"numbers", "unhcr", "deportation", "asylum", "ngo", "border", "famine", "law", "china",
	"seoul", "method", "sources", "quote", "dispute", "estimate", "policy", "actors/ngo", "actors/state",
	"actors/unhcr", "places/yanbian", "places/beijing", "places/seoul", "themes/labor", "themes/faith",
	"themes/trafficking", "themes/hunger", "todo", "check", "disagree", "key"}

var benchPublications = []string{"The Daily Report", "Weekly Review", "Asia Times", "The Herald", "World Affairs",
	"Refugee Monitor", "The Observer", "Evening Post"}

// generateCorpus fills an empty, migrated database through raw multi-row
// INSERTs in large transactions (the search triggers index as it goes).
// It is deterministic.
func generateCorpus(ctx context.Context, w *sql.DB) error {
	words, err := corpusWords()
	if err != nil {
		return err
	}
	g := &textGen{rng: rand.New(rand.NewPCG(1, 2)), words: words}
	rng := g.rng
	now := "2025-01-01T00:00:00.000Z"

	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	// People and groups. User i (1..200) owns group i when i <= 10; users
	// 11..150 are in two groups, 151..180 in one, 181..200 in none.
	users := &batch{head: "INSERT INTO users (id, email, name, password_hash, created_at, updated_at) VALUES ", cols: 6}
	for i := 1; i <= benchUsers; i++ {
		users.add(i, fmt.Sprintf("user%d@example.org", i), fmt.Sprintf("User %d", i), "x", now, now)
	}
	groups := &batch{head: "INSERT INTO groups (id, name, created_by, created_at) VALUES ", cols: 4}
	for i := 1; i <= benchGroups; i++ {
		groups.add(i, fmt.Sprintf("Group %d", i), i, now)
	}
	memberOf := make([][]int64, benchUsers+1)
	members := &batch{head: "INSERT INTO group_members (group_id, user_id, role, joined_at) VALUES ", cols: 4}
	for u := 1; u <= benchUsers; u++ {
		var gs []int64
		switch {
		case u <= benchGroups:
			gs = []int64{int64(u)}
		case u <= 150:
			g1 := int64(u%benchGroups + 1)
			gs = []int64{g1, g1%benchGroups + 1}
		case u <= 180:
			gs = []int64{int64(u%benchGroups + 1)}
		}
		for _, gid := range gs {
			role := "member"
			if u <= benchGroups {
				role = "owner"
			} else if u%10 == 0 {
				role = "viewer"
			}
			members.add(gid, u, role, now)
		}
		memberOf[u] = gs
	}
	usersIn := map[int64][]int{}
	for u, gs := range memberOf {
		for _, gid := range gs {
			usersIn[gid] = append(usersIn[gid], u)
		}
	}
	tags := &batch{head: "INSERT INTO tags (id, name) VALUES ", cols: 2}
	for i, t := range benchTags {
		tags.add(i+1, t)
	}
	for _, bt := range []*batch{users, groups, members, tags} {
		if err := bt.flush(ctx, tx); err != nil {
			return err
		}
	}

	articles := &batch{head: "INSERT INTO articles (id, slug, title, publication, published_on, created_at, updated_at) VALUES ", cols: 7}
	authors := &batch{head: "INSERT INTO article_authors (article_id, position, name) VALUES ", cols: 3}
	revisions := &batch{head: "INSERT INTO article_revisions (id, article_id, number, body, sha256, words, created_at) VALUES ", cols: 7}
	articleTags := &batch{head: "INSERT INTO article_tags (article_id, tag_id) VALUES ", cols: 2}
	anns := &batch{head: `INSERT INTO annotations (id, article_id, author_id, parent_id, body, body_html, visibility, group_id,
		revision_id, pos_start, pos_end, exact, prefix, suffix, anchor_revision_id, anchor_start, anchor_end, anchor_status,
		hidden_at, hidden_by, created_at, updated_at) VALUES `, cols: 22}
	annTags := &batch{head: "INSERT INTO annotation_tags (annotation_id, tag_id) VALUES ", cols: 2}
	notes := &batch{head: "INSERT INTO notes (id, article_id, author_id, body, body_html, visibility, group_id, created_at, updated_at) VALUES ", cols: 9}

	audience := func(author int) (string, any) {
		r := rng.IntN(100)
		switch {
		case r < 45:
			return "public", nil
		case r < 75 && len(memberOf[author]) > 0:
			return "group", memberOf[author][rng.IntN(len(memberOf[author]))]
		case r < 75:
			return "public", nil
		}
		return "private", nil
	}
	annID, noteID := int64(0), int64(0)
	start := time.Date(1995, 1, 1, 0, 0, 0, 0, time.UTC)
	for a := 1; a <= benchArticles; a++ {
		// The text: paragraphs of seed runs, 300 to 800 words, with each
		// word's code-point offsets for anchoring.
		target := 300 + rng.IntN(501)
		var b strings.Builder
		type pos struct{ start, end int }
		var at []pos
		cp := 0
		for len(at) < target {
			para := 40 + rng.IntN(80)
			for i := 0; i < para && len(at) < target; {
				for _, w := range g.span(min(8+rng.IntN(30), para-i)) {
					if i > 0 {
						b.WriteByte(' ')
						cp++
					}
					n := utf8.RuneCountInString(w)
					at = append(at, pos{cp, cp + n})
					b.WriteString(w)
					cp += n
					i++
				}
			}
			if len(at) < target {
				b.WriteString("\n\n")
				cp += 2
			}
		}
		body := b.String()
		runes := []rune(body)
		title := strings.Join(g.span(4+rng.IntN(6)), " ")
		date := start.AddDate(0, 0, rng.IntN(30*365)).Format(time.DateOnly)
		articles.add(a, fmt.Sprintf("bench-%05d", a), title, benchPublications[rng.IntN(len(benchPublications))], date, now, now)
		authors.add(a, 0, fmt.Sprintf("Reporter %d", rng.IntN(300)))
		revisions.add(a, a, 1, body, fmt.Sprintf("%064x", a), len(at), now)
		if rng.IntN(5) == 0 {
			for _, t := range pick(rng, len(benchTags), 1+rng.IntN(2)) {
				articleTags.add(a, t+1)
			}
		}
		type top struct {
			id     int64
			author int
			vis    string
			group  any
		}
		var tops []top
		for range benchTopLevel {
			annID++
			author := 1 + rng.IntN(benchUsers)
			vis, group := audience(author)
			n := 3 + rng.IntN(23)
			i := rng.IntN(len(at) - n)
			s, e := at[i].start, at[i+n-1].end
			exact := string(runes[s:e])
			prefix := string(runes[max(0, s-32):s])
			suffix := string(runes[e:min(len(runes), e+32)])
			comment := ""
			if rng.IntN(10) < 6 {
				comment = g.sentence(4, 40)
			}
			var hiddenAt, hiddenBy any
			if group != nil && rng.IntN(100) == 0 {
				hiddenAt, hiddenBy = now, group // user g owns group g
			}
			anns.add(annID, a, author, nil, comment, "", vis, group, a, s, e, exact, prefix, suffix, a, s, e, "anchored", hiddenAt, hiddenBy, now, now)
			if rng.IntN(10) < 3 {
				for _, t := range pick(rng, len(benchTags), 1+rng.IntN(3)) {
					annTags.add(annID, t+1)
				}
			}
			tops = append(tops, top{annID, author, vis, group})
		}
		for range benchReplies {
			annID++
			p := tops[rng.IntN(len(tops))]
			author := 1 + rng.IntN(benchUsers)
			switch p.vis {
			case "private":
				author = p.author
			case "group":
				in := usersIn[p.group.(int64)]
				author = in[rng.IntN(len(in))]
			}
			anns.add(annID, a, author, p.id, g.sentence(5, 30), "", p.vis, p.group, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, now, now)
		}
		for range benchNotes {
			noteID++
			author := 1 + rng.IntN(benchUsers)
			vis, group := audience(author)
			notes.add(noteID, a, author, g.sentence(10, 60), "", vis, group, now, now)
		}
		if a%250 == 0 || a == benchArticles {
			for _, bt := range []*batch{articles, authors, revisions, articleTags, anns, annTags, notes} {
				if err := bt.flush(ctx, tx); err != nil {
					return err
				}
			}
		}
		if a%2500 == 0 {
			if err := tx.Commit(); err != nil {
				return err
			}
			if tx, err = w.BeginTx(ctx, nil); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}

// pick returns k distinct numbers below n.
func pick(rng *rand.Rand, n, k int) []int {
	var out []int
	for len(out) < k {
		x := rng.IntN(n)
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
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

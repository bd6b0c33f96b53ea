// Package gencorpus fills an empty database with a deterministic synthetic
// corpus for benchmarks and load tests, through the store's bulk hook.
package gencorpus

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gloss/db"
	"gloss/db/password"
	"gloss/db/sqlstore"
)

// Spec is the shape of a synthetic corpus (Generate).
type Spec struct {
	Articles int
	TopLevel int // annotations per article
	Replies  int // replies per article
	Notes    int // notes per article
	Users    int
	Groups   int
	// Source is the text whose words (with their punctuation) the
	// corpus is made of: the seed articles, so generated text has their
	// vocabulary, word frequencies and phrases. Required.
	Source string
	// Password, when set, is every generated user's password (for load
	// tests that sign in); otherwise no one can sign in as them.
	Password string
}

// EvidencePercent is the share of generated top-level annotations that have
// a kind (entity, quote, figure or event, Generate).
const EvidencePercent = 5

// Default is the benchmark corpus: 10,000 articles, 200,000 annotations
// and replies, 20,000 notes, 200 people in 10 groups.
var Default = Spec{Articles: 10_000, TopLevel: 17, Replies: 3, Notes: 2, Users: 200, Groups: 10}

// UserEmail is the email of generated user i (1-based).
func UserEmail(i int) string { return fmt.Sprintf("user%d@example.org", i) }

// Slug is the slug of generated article i (1-based).
func Slug(i int) string { return fmt.Sprintf("bench-%05d", i) }

// Generate fills an empty, migrated database with a deterministic
// synthetic corpus: articles made of runs of the seed articles' words (so
// search sees their vocabulary and phrases), annotations anchored on them
// with tags, replies and notes, people in groups, mixed visibility. It
// writes through raw multi-row INSERTs in large transactions (the search
// triggers queue the index's changes, applied before each commit), so it
// is for benchmarks and load tests only.
// EvidencePercent of the annotations have a kind, with entities named
// after the seed articles' people, organizations and places (drawn from a
// random source of their own, so the rest of a corpus is what it was before
// evidence existed).
//
// Users 1..Groups each own one group; the next 70% of users are in two
// groups (a tenth of them as viewers), the next 15% in one, the rest none.
func Generate(ctx context.Context, store *sqlstore.Store, spec Spec) error {
	if len(strings.Fields(spec.Source)) < 100 {
		return db.Errorf(db.EINVALID, "a corpus needs a source text of at least 100 words")
	}
	if spec.Articles < 1 || spec.Users < 1 || spec.Groups < 1 || spec.Groups > spec.Users || spec.TopLevel < 1 {
		return db.Errorf(db.EINVALID, "a corpus needs at least one article, user, group and annotation per article, and no more groups than users")
	}
	hash := sqlstore.NoPassword
	if spec.Password != "" {
		var err error
		if hash, err = password.Hash(spec.Password); err != nil {
			return err
		}
	}
	return store.BulkLoad(ctx, func(ctx context.Context, w *sql.DB, flush func(context.Context, *sql.Tx) error) error {
		return generate(ctx, w, spec, hash, flush)
	})
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
type corpusBatch struct {
	head string // INSERT INTO t (a, b, c) VALUES
	cols int
	rows int
	args []any
}

func (bt *corpusBatch) add(vals ...any) { bt.args = append(bt.args, vals...); bt.rows++ }

func (bt *corpusBatch) flush(ctx context.Context, tx *sql.Tx) error {
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

var corpusTags = []string{"numbers", "unhcr", "deportation", "asylum", "ngo", "border", "famine", "law", "china",
	"seoul", "method", "sources", "quote", "dispute", "estimate", "policy", "actors/ngo", "actors/state",
	"actors/unhcr", "places/yanbian", "places/beijing", "places/seoul", "themes/labor", "themes/faith",
	"themes/trafficking", "themes/hunger", "todo", "check", "disagree", "key"}

// corpusEntities are the generated corpus's entities (typed) before the
// numbered ones that make up corpusEntityCount.
var corpusEntities = []struct{ name, typ string }{
	{"UNHCR", "organization"}, {"Human Rights Watch", "organization"}, {"Médecins Sans Frontières", "organization"},
	{"Good Friends", "organization"}, {"Ministry of Unification", "organization"}, {"Durihana", "organization"},
	{"Tim Peters", "person"}, {"Norbert Vollertsen", "person"}, {"Kim Jong-il", "person"}, {"Kofi Annan", "person"},
	{"Hiroshi Kato", "person"}, {"Jiang Zemin", "person"},
	{"Yanbian", "place"}, {"Beijing", "place"}, {"Seoul", "place"}, {"Shenyang", "place"}, {"Dandong", "place"},
	{"Tumen River", "place"}, {"Mongolia", "place"}, {"Yanji", "place"},
}

const corpusEntityCount = 200

var corpusCounted = []string{"North Korean refugees in China", "deportations a year", "asylum seekers in embassies",
	"defectors arriving in Seoul", "people crossing the border", "famine deaths"}

var corpusPublications = []string{"The Daily Report", "Weekly Review", "Asia Times", "The Herald", "World Affairs",
	"Refugee Monitor", "The Observer", "Evening Post"}

// flush applies the search index's queue before each commit.
func generate(ctx context.Context, w *sql.DB, spec Spec, hash string, flush func(context.Context, *sql.Tx) error) error {
	words := strings.Fields(spec.Source)
	g := &textGen{rng: rand.New(rand.NewPCG(1, 2)), words: words}
	rng := g.rng
	now := "2025-01-01T00:00:00.000Z"

	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { tx.Rollback() }() // the transaction in hand: tx is replaced at each commit

	// People and groups (see Generate).
	twoGroups := spec.Groups + spec.Users*70/100
	oneGroup := twoGroups + spec.Users*15/100
	users := &corpusBatch{head: "INSERT INTO users (id, email, name, password_hash, created_at, updated_at) VALUES ", cols: 6}
	for i := 1; i <= spec.Users; i++ {
		users.add(i, UserEmail(i), fmt.Sprintf("User %d", i), hash, now, now)
	}
	groups := &corpusBatch{head: "INSERT INTO groups (id, name, created_by, created_at) VALUES ", cols: 4}
	for i := 1; i <= spec.Groups; i++ {
		groups.add(i, fmt.Sprintf("Group %d", i), i, now)
	}
	memberOf := make([][]int64, spec.Users+1)
	members := &corpusBatch{head: "INSERT INTO group_members (group_id, user_id, role, joined_at) VALUES ", cols: 4}
	for u := 1; u <= spec.Users; u++ {
		var gs []int64
		switch {
		case u <= spec.Groups:
			gs = []int64{int64(u)}
		case u <= twoGroups:
			g1 := int64(u%spec.Groups + 1)
			gs = []int64{g1}
			if g2 := g1%int64(spec.Groups) + 1; g2 != g1 {
				gs = append(gs, g2)
			}
		case u <= oneGroup:
			gs = []int64{int64(u%spec.Groups + 1)}
		}
		for _, gid := range gs {
			role := "member"
			if u <= spec.Groups {
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
	annID, noteID := int64(0), int64(0)
	start := time.Date(1995, 1, 1, 0, 0, 0, 0, time.UTC)
	tags := &corpusBatch{head: "INSERT INTO tags (id, name) VALUES ", cols: 2}
	for i, t := range corpusTags {
		tags.add(i+1, t)
	}
	entities := &corpusBatch{head: "INSERT INTO entities (id, name, type, created_at) VALUES ", cols: 4}
	var places, speakers []int64
	for i := 1; i <= corpusEntityCount; i++ {
		name, typ := "", []string{"person", "organization", "place"}[i%3]
		if i <= len(corpusEntities) {
			name, typ = corpusEntities[i-1].name, corpusEntities[i-1].typ
		} else {
			name = fmt.Sprintf("%s %d", map[string]string{"person": "Witness", "organization": "Aid group", "place": "Village"}[typ], i)
		}
		entities.add(i, name, typ, now)
		if typ == "place" {
			places = append(places, int64(i))
		} else {
			speakers = append(speakers, int64(i))
		}
	}
	for _, bt := range []*corpusBatch{users, groups, members, tags, entities} {
		if err := bt.flush(ctx, tx); err != nil {
			return err
		}
	}

	articles := &corpusBatch{head: "INSERT INTO articles (id, slug, title, publication, published_on, created_at, updated_at) VALUES ", cols: 7}
	authors := &corpusBatch{head: "INSERT INTO article_authors (article_id, position, name) VALUES ", cols: 3}
	revisions := &corpusBatch{head: "INSERT INTO article_revisions (id, article_id, number, body, sha256, words, created_at) VALUES ", cols: 7}
	articleTags := &corpusBatch{head: "INSERT INTO article_tags (article_id, tag_id) VALUES ", cols: 2}
	anns := &corpusBatch{head: `INSERT INTO annotations (id, article_id, author_id, parent_id, body, body_html, visibility, group_id,
		revision_id, pos_start, pos_end, exact, prefix, suffix, anchor_revision_id, anchor_start, anchor_end, anchor_status,
		hidden_at, hidden_by, created_at, updated_at) VALUES `, cols: 22}
	annTags := &corpusBatch{head: "INSERT INTO annotation_tags (annotation_id, tag_id) VALUES ", cols: 2}
	notes := &corpusBatch{head: "INSERT INTO notes (id, article_id, author_id, body, body_html, visibility, group_id, created_at, updated_at) VALUES ", cols: 9}
	evidence := &corpusBatch{head: `INSERT INTO annotation_evidence (annotation_id, kind, entity_id, low, high, unit, counted, ref_date,
		date_from, date_to, place_id) VALUES `, cols: 11}
	erng := rand.New(rand.NewPCG(3, 4)) // evidence's own source (see Generate)
	addEvidence := func(id int64) {
		if erng.IntN(100) >= EvidencePercent {
			return
		}
		var entity, low, high, place any
		kind, unit, counted, ref, from := "", "", "", "", ""
		switch r := erng.IntN(100); {
		case r < 40:
			kind, entity = "entity", 1+erng.IntN(corpusEntityCount)
		case r < 65:
			kind, entity = "quote", speakers[erng.IntN(len(speakers))]
		case r < 85:
			kind, unit, counted = "figure", "people", corpusCounted[erng.IntN(len(corpusCounted))]
			lo := float64(1000 * (1 + erng.IntN(300)))
			low, high = lo, lo*float64(1+erng.IntN(3))
			ref = fmt.Sprint(1995 + erng.IntN(11))
			if erng.IntN(2) == 0 {
				entity = speakers[erng.IntN(len(speakers))]
			}
		default:
			kind = "event"
			from = start.AddDate(0, 0, erng.IntN(30*365)).Format(time.DateOnly)
			place = places[erng.IntN(len(places))]
		}
		evidence.add(id, kind, entity, low, high, unit, counted, ref, from, "", place)
	}

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
	for a := 1; a <= spec.Articles; a++ {
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
		articles.add(a, Slug(a), title, corpusPublications[rng.IntN(len(corpusPublications))], date, now, now)
		authors.add(a, 0, fmt.Sprintf("Reporter %d", rng.IntN(300)))
		revisions.add(a, a, 1, body, fmt.Sprintf("%064x", a), len(at), now)
		if rng.IntN(5) == 0 {
			for _, t := range pickDistinct(rng, len(corpusTags), 1+rng.IntN(2)) {
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
		for range spec.TopLevel {
			annID++
			author := 1 + rng.IntN(spec.Users)
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
				for _, t := range pickDistinct(rng, len(corpusTags), 1+rng.IntN(3)) {
					annTags.add(annID, t+1)
				}
			}
			addEvidence(annID)
			tops = append(tops, top{annID, author, vis, group})
		}
		for range spec.Replies {
			annID++
			p := tops[rng.IntN(len(tops))]
			author := 1 + rng.IntN(spec.Users)
			switch p.vis {
			case "private":
				author = p.author
			case "group":
				in := usersIn[p.group.(int64)]
				author = in[rng.IntN(len(in))]
			}
			anns.add(annID, a, author, p.id, g.sentence(5, 30), "", p.vis, p.group, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, now, now)
		}
		for range spec.Notes {
			noteID++
			author := 1 + rng.IntN(spec.Users)
			vis, group := audience(author)
			notes.add(noteID, a, author, g.sentence(10, 60), "", vis, group, now, now)
		}
		if a%250 == 0 || a == spec.Articles {
			for _, bt := range []*corpusBatch{articles, authors, revisions, articleTags, anns, annTags, notes, evidence} {
				if err := bt.flush(ctx, tx); err != nil {
					return err
				}
			}
		}
		if a%2500 == 0 {
			if err := flush(ctx, tx); err != nil {
				return err
			}
			if err := tx.Commit(); err != nil {
				return err
			}
			if tx, err = w.BeginTx(ctx, nil); err != nil {
				return err
			}
		}
	}
	if err := flush(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

// pick returns k distinct numbers below n.
func pickDistinct(rng *rand.Rand, n, k int) []int {
	var out []int
	for len(out) < k {
		x := rng.IntN(n)
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

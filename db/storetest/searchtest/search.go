package searchtest

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"gloss/db"
	"gloss/db/storetest"
)

const (
	searchTextA = "North Korean refugees crossed into China near Pyöngyang's border. " +
		"The embassy in Beijing received asylum seekers.\n\nDeportations continued through the winter. " +
		"탈북자들은 중국에 숨어 산다. 北朝鲜难民在中国。"
	searchTextB = "Seven people climbed the consulate wall in Shenyang. Officials deported dozens."
)

// searchFixture is storetest's Fixture (article "a", an author who owns
// the group, a member, an outsider) with a second article "b", a second
// member and the article metadata the filters use.
type searchFixture struct {
	*storetest.Fixture
	b       db.Article
	member2 db.Viewer
}

// newSearchFixture makes the fixture in d, a fresh store.
func newSearchFixture(tb testing.TB, d storetest.Engine) *searchFixture {
	tb.Helper()
	ctx := context.Background()
	f := &searchFixture{Fixture: storetest.NewFixture(tb, d, searchTextA)}
	for _, in := range []db.ArticleInput{
		{Slug: "a", Title: "Refugees at the border", Publication: "Daily", PublishedOn: "2002-03-14", Authors: []string{"Ann Writer"}, Body: searchTextA},
		{Slug: "b", Title: "Embassy bids", Publication: "Weekly", PublishedOn: "2004-06-01", Body: searchTextB},
	} {
		if _, err := f.DB.ImportArticle(ctx, in); err != nil {
			tb.Fatal(err)
		}
	}
	var err error
	if f.Article, err = f.DB.ArticleBySlug(ctx, "a"); err != nil {
		tb.Fatal(err)
	}
	if f.b, err = f.DB.ArticleBySlug(ctx, "b"); err != nil {
		tb.Fatal(err)
	}
	m2 := storetest.MustUser(tb, f.DB, "member2@example.org", "Member Two", false)
	token, _, _ := f.DB.CreateInvite(ctx, db.NewInvite{GroupID: f.Group.ID, Role: db.RoleMember, CreatedBy: f.Author.UserID})
	if _, err := f.DB.AcceptGroupInvite(ctx, token, m2.ID); err != nil {
		tb.Fatal(err)
	}
	if f.member2, err = f.DB.ViewerFor(ctx, m2); err != nil {
		tb.Fatal(err)
	}
	return f
}

// annotate creates an annotation on the quote in article art.
func (f *searchFixture) annotate(t testing.TB, v db.Viewer, art db.Article, quote, body, vis string, tags string) db.Annotation {
	t.Helper()
	s, e := storetest.QuoteRange(art.Body, quote)
	in := db.AnnotationInput{Start: s, End: e, Body: body, Visibility: vis, Tags: tags}
	if vis == "group" {
		in.Group = strconv.FormatInt(f.Group.ID, 10)
	}
	a, err := f.DB.CreateAnnotation(context.Background(), v, art.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (f *searchFixture) note(t testing.TB, v db.Viewer, art db.Article, body, vis string) db.Note {
	t.Helper()
	in := db.NoteInput{Body: body, Visibility: vis}
	if vis == "group" {
		in.Group = strconv.FormatInt(f.Group.ID, 10)
	}
	n, err := f.DB.CreateNote(context.Background(), v, art.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func mustSearch(t testing.TB, d storetest.Engine, v db.Viewer, q string, f db.SearchFilter) db.SearchResults {
	t.Helper()
	res, err := d.Search(context.Background(), v, q, f, 1, db.MaxPerPage)
	if err != nil {
		t.Fatalf("Search(%q, %+v): %v", q, f, err)
	}
	checkResults(t, q, res)
	return res
}

// checkResults checks what every result must satisfy.
func checkResults(t testing.TB, q string, res db.SearchResults) {
	t.Helper()
	sum := 0
	for _, n := range res.CountsByKind {
		sum += n
	}
	if res.Total > sum {
		t.Errorf("%q: total %d above the sum of counts %v", q, res.Total, res.CountsByKind)
	}
	if len(res.Hits) > res.PerPage || len(res.Hits) > res.Total {
		t.Errorf("%q: %d hits on a page of %d, total %d", q, len(res.Hits), res.PerPage, res.Total)
	}
	for i, h := range res.Hits {
		if h.ArticleSlug == "" || !slices.Contains(db.SearchKinds, h.Kind) {
			t.Errorf("%q: hit %d not loaded: %+v", q, i, h)
		}
		if i > 0 && h.Rank < res.Hits[i-1].Rank {
			t.Errorf("%q: hits not in rank order", q)
		}
		for _, p := range h.Snippet {
			if strings.ContainsAny(p.Text, "\uE000\uE001\uE002\uE003") {
				t.Errorf("%q: a marker leaked into the snippet: %q", q, p.Text)
			}
		}
	}
}

// key names a hit: "article:a", "annotation:12", "note:3".
func key(h db.SearchHit) string {
	if h.Kind == db.KindArticle {
		return "article:" + h.ArticleSlug
	}
	return fmt.Sprintf("%s:%d", h.Kind, h.ID)
}

func keys(res db.SearchResults) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, key(h))
	}
	sort.Strings(out)
	return out
}

func keysOf(prefix string, ids ...int64) []string {
	var out []string
	for _, id := range ids {
		out = append(out, fmt.Sprintf("%s:%d", prefix, id))
	}
	return out
}

func sorted(list ...[]string) []string {
	var out []string
	for _, l := range list {
		out = append(out, l...)
	}
	sort.Strings(out)
	return out
}

func TestSearchSyntax(t *testing.T) {
	f := newSearchFixture(t, storetest.MustOpenDB(t))
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"refugees", []string{"article:a"}},
		{"REFUGEES", []string{"article:a"}},
		{`"asylum seekers"`, []string{"article:a"}},
		{`"seekers asylum"`, nil},
		{`"asylum seekers`, []string{"article:a"}}, // unbalanced quote
		{"deport*", []string{"article:a", "article:b"}},
		{"deport", []string{"article:a", "article:b"}}, // by stem: deported, deportations
		{`"deport"`, nil},                              // as written: whole words
		{"embassy OR consulate", []string{"article:a", "article:b"}},
		{"embassy consulate", []string{"article:b"}}, // "Embassy" is in b's title
		{"shenyang AND wall", []string{"article:b"}},
		{"deport* -consulate", []string{"article:a"}},
		{"deport* NOT shenyang", []string{"article:a"}},
		{"-consulate", nil},
		{"pyongyang", []string{"article:a"}}, // accents folded
		{"PYÖNGYANG", []string{"article:a"}},
		{"Pyo\u0308ngyang", []string{"article:a"}}, // decomposed input
		{"bids", []string{"article:b"}},            // titles are searched
		// Korean is spaced by words with particles glued on: a word alone is
		// searched as a prefix, so 탈북자 finds 탈북자들은.
		{"탈북자", []string{"article:a"}},
		{"중국에", []string{"article:a"}},
		// Chinese has no spaces: a word inside a run is found (pairs of
		// characters are indexed).
		{"北朝鲜", []string{"article:a"}},
		{"北朝鲜难民在中国", []string{"article:a"}},
		{"难民", []string{"article:a"}},
		{"在中国", []string{"article:a"}},
		{"숨어", []string{"article:a"}},
		{"자들", []string{"article:a"}}, // inside 탈북자들은
		{"难民在北京", nil},
		{"refugee", []string{"article:a"}}, // refugees
		{"crosses", []string{"article:a"}}, // crossed
		{"deportation", []string{"article:a", "article:b"}},
		{`"refugee"`, nil},
		{"kind:article refugees", []string{"article:a"}},
		{"kind:note refugees", nil},
	} {
		res := mustSearch(t, f.DB, db.Anonymous, tc.q, db.SearchFilter{})
		if got := keys(res); !slices.Equal(got, tc.want) {
			t.Errorf("%q: %v, want %v", tc.q, got, tc.want)
		}
		if res.Total != len(tc.want) {
			t.Errorf("%q: total %d, want %d", tc.q, res.Total, len(tc.want))
		}
	}
}

func TestSearchHits(t *testing.T) {
	ctx := context.Background()
	f := newSearchFixture(t, storetest.MustOpenDB(t))
	a := f.annotate(t, f.Author, f.Article, "asylum seekers", "A sharp **point** about quotas.", "public", "numbers")
	reply, err := f.DB.CreateReply(ctx, f.Member, a.ID, "Quotas were never published.")
	if err != nil {
		t.Fatal(err)
	}
	n := f.note(t, f.Member, f.b, "Compare with the quotas of 2003.", "public")

	t.Run("Article", func(t *testing.T) {
		res := mustSearch(t, f.DB, db.Anonymous, "shenyang", db.SearchFilter{})
		if len(res.Hits) != 1 {
			t.Fatalf("hits %+v", res.Hits)
		}
		h := res.Hits[0]
		if h.Kind != db.KindArticle || h.ID != 0 || h.ArticleID != f.b.ID || h.ArticleTitle != "Embassy bids" ||
			h.Publication != "Weekly" || h.PublishedOn != "2004-06-01" {
			t.Errorf("hit %+v", h)
		}
		body := []rune(f.b.Body)
		if h.Start < 0 || string(body[h.Start:h.End]) != "Shenyang" {
			t.Errorf("lands on %d..%d", h.Start, h.End)
		}
		want := []db.SnippetPart{{Text: "Seven people climbed the consulate wall in "}, {Text: "Shenyang", Match: true}, {Text: ". Officials deported dozens."}}
		if !slices.Equal(h.Snippet, want) {
			t.Errorf("snippet %+v", h.Snippet)
		}
		res = mustSearch(t, f.DB, db.Anonymous, "pyongyang", db.SearchFilter{})
		h = res.Hits[0]
		if string([]rune(f.Article.Body)[h.Start:h.End]) != "Pyöngyang" || h.AuthorName != "Ann Writer" {
			t.Errorf("accent folded hit %+v", h)
		}
		// A title-only match has no place in the text.
		res = mustSearch(t, f.DB, db.Anonymous, "bids", db.SearchFilter{})
		if h := res.Hits[0]; h.Start != -1 || len(h.Snippet) == 0 {
			t.Errorf("title match %+v", h)
		}
	})
	t.Run("AnnotationReplyNote", func(t *testing.T) {
		res := mustSearch(t, f.DB, db.Anonymous, "quotas", db.SearchFilter{})
		want := sorted(keysOf("annotation", a.ID), keysOf("reply", reply.ID), keysOf("note", n.ID))
		if got := keys(res); !slices.Equal(got, want) {
			t.Fatalf("%v, want %v", got, want)
		}
		if c := res.CountsByKind; c[db.KindAnnotation] != 1 || c[db.KindReply] != 1 || c[db.KindNote] != 1 || c[db.KindArticle] != 0 {
			t.Errorf("counts %v", c)
		}
		for _, h := range res.Hits {
			switch h.Kind {
			case db.KindAnnotation:
				if h.Start != a.Anchor.Start || h.End != a.Anchor.End || h.Quote != "asylum seekers" || h.AuthorName != "Author" || h.Visibility != db.Public || h.ArticleSlug != "a" {
					t.Errorf("annotation hit %+v", h)
				}
			case db.KindReply:
				if h.ParentID != a.ID || h.Start != a.Anchor.Start || h.Quote != "asylum seekers" || h.AuthorName != "Member" {
					t.Errorf("reply hit %+v", h)
				}
			case db.KindNote:
				if h.Start != -1 || h.ArticleSlug != "b" || h.CreatedAt.IsZero() {
					t.Errorf("note hit %+v", h)
				}
			}
			if !slices.ContainsFunc(h.Snippet, func(p db.SnippetPart) bool { return p.Match && strings.EqualFold(p.Text, "quotas") }) {
				t.Errorf("%s snippet %+v", h.Kind, h.Snippet)
			}
		}
		// The quote is searched too: a highlight has only its quote.
		hl := f.annotate(t, f.Author, f.b, "consulate wall", "", "public", "")
		res = mustSearch(t, f.DB, db.Anonymous, `"consulate wall"`, db.SearchFilter{Kind: db.KindAnnotation})
		if got := keys(res); !slices.Equal(got, keysOf("annotation", hl.ID)) {
			t.Errorf("highlight by its quote: %v", got)
		}
	})
	t.Run("SnippetsShowMarkdownAsRead", func(t *testing.T) {
		res := mustSearch(t, f.DB, db.Anonymous, "point", db.SearchFilter{Kind: db.KindAnnotation})
		if len(res.Hits) != 1 {
			t.Fatalf("hits %+v", res.Hits)
		}
		var text strings.Builder
		for _, p := range res.Hits[0].Snippet {
			text.WriteString(p.Text)
		}
		if got := text.String(); got != "A sharp point about quotas." {
			t.Errorf("snippet %q, want the comment as read, without its Markdown", got)
		}
	})
	t.Run("MarkersCannotBeSpoofed", func(t *testing.T) {
		spoof := f.note(t, f.Author, f.Article, "\uE000fake\uE001 [fake] <b>zanzibar</b> \uE002", "public")
		res := mustSearch(t, f.DB, db.Anonymous, "zanzibar", db.SearchFilter{})
		if len(res.Hits) != 1 || res.Hits[0].ID != spoof.ID {
			t.Fatalf("hits %+v", res.Hits)
		}
		for _, p := range res.Hits[0].Snippet {
			if p.Match != (p.Text == "zanzibar") {
				t.Errorf("snippet part %+v", p)
			}
		}
	})
}

func TestSearchPermissions(t *testing.T) {
	ctx := context.Background()
	f := newSearchFixture(t, storetest.MustOpenDB(t))
	// Every zebra also gallops in Korean, so a stemmed and a CJK search
	// must find exactly what the plain one finds.
	const more = ", galloping with 얼룩말들이"
	pub := f.annotate(t, f.Author, f.Article, "asylum seekers", "zebra in public"+more, "public", "")
	f.annotate(t, f.Author, f.Article, "asylum seekers", "zebra kept private"+more, "private", "")
	grp := f.annotate(t, f.Author, f.Article, "embassy", "zebra for the seminar"+more, "group", "")
	hid := f.annotate(t, f.Member, f.Article, "border", "zebra to be hidden"+more, "group", "")
	if _, err := f.DB.CreateReply(ctx, f.Outsider, pub.ID, "zebra reply in public"+more); err != nil {
		t.Fatal(err)
	}
	if _, err := f.DB.CreateReply(ctx, f.member2, grp.ID, "zebra reply in the group"+more); err != nil {
		t.Fatal(err)
	}
	under, err := f.DB.CreateReply(ctx, f.member2, hid.ID, "zebra reply under the hidden one"+more)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.DB.CreateReply(ctx, f.Author, under.ID, "zebra reply two levels under"+more); err != nil {
		t.Fatal(err)
	}
	if _, err := f.DB.SetHidden(ctx, f.Author, hid.ID, true); err != nil {
		t.Fatal(err)
	}
	f.note(t, f.Member, f.Article, "zebra note, private"+more, "private")
	f.note(t, f.Member, f.Article, "zebra note for the group"+more, "group")
	f.note(t, f.Outsider, f.b, "zebra note in public"+more, "public")
	// A word only in private writing must not count as found for others.
	f.annotate(t, f.Member, f.b, "Shenyang", "okapi secret, whispering 鹿角秘密", "private", "")

	// What each viewer may see, as the reader shows it.
	visible := func(v db.Viewer) []string {
		var out []string
		for _, art := range []db.Article{f.Article, f.b} {
			list, err := f.DB.ArticleAnnotations(ctx, v, art.ID, db.AnnotationFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var walk func(as []*db.Annotation)
			walk = func(as []*db.Annotation) {
				for _, a := range as {
					kind := db.KindAnnotation
					if a.ParentID != 0 {
						kind = db.KindReply
					}
					if strings.Contains(a.Body, "zebra") {
						out = append(out, fmt.Sprintf("%s:%d", kind, a.ID))
					}
					walk(a.Replies)
				}
			}
			walk(list)
			notes, err := f.DB.ArticleNotes(ctx, v, art.ID, db.AnnotationFilter{})
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range notes {
				out = append(out, fmt.Sprintf("note:%d", n.ID))
			}
		}
		sort.Strings(out)
		return out
	}
	for name, tc := range map[string]struct {
		v    db.Viewer
		want int // how many zebras
	}{
		"author":    {f.Author, 10},    // owns the group: sees the hidden thread
		"member":    {f.Member, 10},    // wrote the hidden one: sees its thread
		"member2":   {f.member2, 6},    // not the hidden thread, even a reply of theirs in it
		"outsider":  {f.Outsider, 3},   // public only
		"anonymous": {db.Anonymous, 3}, //
	} {
		t.Run(name, func(t *testing.T) {
			want := visible(tc.v)
			if len(want) != tc.want {
				t.Fatalf("the reader shows %d zebras (%v), the test expects %d", len(want), want, tc.want)
			}
			// As written, by stem, and a Korean word inside a run.
			for _, q := range []string{"zebra", "gallop", "얼룩말"} {
				res := mustSearch(t, f.DB, tc.v, q, db.SearchFilter{})
				if got := keys(res); !slices.Equal(got, want) {
					t.Errorf("%q: search shows %v\nthe reader shows %v", q, got, want)
				}
				if res.Total != len(want) {
					t.Errorf("%q: total %d, want %d", q, res.Total, len(want))
				}
				for _, h := range res.Hits {
					if h.Hidden && !(tc.v.UserID == f.Author.UserID || tc.v.UserID == f.Member.UserID) {
						t.Errorf("%q: a hidden hit shown: %+v", q, h)
					}
				}
			}
			for _, q := range []string{"okapi", "whisper", "鹿角"} {
				res := mustSearch(t, f.DB, tc.v, q, db.SearchFilter{})
				if tc.v.UserID == f.Member.UserID {
					if res.Total != 1 {
						t.Errorf("%q: the writer finds %d of their own private words, want 1", q, res.Total)
					}
				} else if res.Total != 0 || len(res.Hits) != 0 || res.CountsByKind[db.KindAnnotation] != 0 {
					t.Errorf("%q: someone else's private word is found: %+v", q, res)
				}
			}
		})
	}
}

func TestSearchFilters(t *testing.T) {
	ctx := context.Background()
	f := newSearchFixture(t, storetest.MustOpenDB(t))
	a1 := f.annotate(t, f.Author, f.Article, "asylum seekers", "walrus one", "public", "numbers")
	r1, _ := f.DB.CreateReply(ctx, f.Member, a1.ID, "walrus reply")
	a2 := f.annotate(t, f.Member, f.b, "Shenyang", "walrus two", "group", "")
	a3 := f.annotate(t, f.Author, f.b, "consulate", "walrus three", "private", "")
	n1 := f.note(t, f.Member, f.b, "walrus note", "public")
	if err := f.DB.TagArticle(ctx, f.Author, f.b.ID, "numbers"); err != nil {
		t.Fatal(err)
	}
	// walrus also in b's title would make it an article hit: use the text.
	for _, tc := range []struct {
		name string
		q    string
		f    db.SearchFilter
		want []string
	}{
		{"None", "walrus", db.SearchFilter{}, sorted(keysOf("annotation", a1.ID, a2.ID, a3.ID), keysOf("reply", r1.ID), keysOf("note", n1.ID))},
		{"Article", "walrus", db.SearchFilter{Article: "b"}, sorted(keysOf("annotation", a2.ID, a3.ID), keysOf("note", n1.ID))},
		{"ArticleUnknown", "walrus", db.SearchFilter{Article: "nope"}, nil},
		{"Publication", "walrus", db.SearchFilter{Publication: "Daily"}, sorted(keysOf("annotation", a1.ID), keysOf("reply", r1.ID))},
		{"From", "walrus", db.SearchFilter{From: "2003-01-01"}, sorted(keysOf("annotation", a2.ID, a3.ID), keysOf("note", n1.ID))},
		{"To", "walrus", db.SearchFilter{To: "2003-01-01"}, sorted(keysOf("annotation", a1.ID), keysOf("reply", r1.ID))},
		{"Range", "walrus", db.SearchFilter{From: "2002-03-14", To: "2002-03-14"}, sorted(keysOf("annotation", a1.ID), keysOf("reply", r1.ID))},
		{"TagOnAnnotationsThreadsAndArticles", "walrus OR shenyang", db.SearchFilter{Tag: " Numbers "}, sorted(keysOf("annotation", a1.ID), keysOf("reply", r1.ID), []string{"article:b"})},
		{"Author", "walrus", db.SearchFilter{AuthorID: f.Member.UserID}, sorted(keysOf("annotation", a2.ID), keysOf("reply", r1.ID), keysOf("note", n1.ID))},
		{"AuthorLeavesNoArticles", "shenyang", db.SearchFilter{AuthorID: f.Member.UserID}, sorted(keysOf("annotation", a2.ID))},
		{"Group", "walrus", db.SearchFilter{GroupID: f.Group.ID}, keysOf("annotation", a2.ID)},
		{"Visibility", "walrus", db.SearchFilter{Visibility: "private"}, keysOf("annotation", a3.ID)},
		{"KindNote", "walrus", db.SearchFilter{Kind: db.KindNote}, keysOf("note", n1.ID)},
		{"KindReply", "walrus", db.SearchFilter{Kind: db.KindReply}, keysOf("reply", r1.ID)},
		{"KindArticle", "shenyang", db.SearchFilter{Kind: db.KindArticle}, []string{"article:b"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := mustSearch(t, f.DB, f.Author, tc.q, tc.f)
			if got := keys(res); !slices.Equal(got, tc.want) {
				t.Errorf("%v, want %v", got, tc.want)
			}
			if res.Total != len(tc.want) {
				t.Errorf("total %d, want %d", res.Total, len(tc.want))
			}
		})
	}
	t.Run("CountsIgnoreKind", func(t *testing.T) {
		res := mustSearch(t, f.DB, f.Author, "walrus", db.SearchFilter{Kind: db.KindNote})
		want := map[string]int{db.KindArticle: 0, db.KindAnnotation: 3, db.KindReply: 1, db.KindNote: 1}
		if fmt.Sprint(res.CountsByKind) != fmt.Sprint(want) || res.Total != 1 {
			t.Errorf("counts %v total %d", res.CountsByKind, res.Total)
		}
	})
	t.Run("Invalid", func(t *testing.T) {
		for _, bad := range []db.SearchFilter{
			{From: "2005-13-01"}, {To: "yesterday"}, {From: "2005-01-01", To: "2004-01-01"},
			{Kind: "bogus"}, {Visibility: "secret"}, {AuthorID: -1},
		} {
			_, err := f.DB.Search(ctx, f.Author, "walrus", bad, 1, 10)
			if db.ErrorCode(err) != db.EINVALID || db.ErrorMessage(err) == "" {
				t.Errorf("%+v: %v", bad, err)
			}
		}
	})
}

func TestSearchPagination(t *testing.T) {
	ctx := context.Background()
	f := newSearchFixture(t, storetest.MustOpenDB(t))
	for i := range 25 {
		f.annotate(t, f.Author, f.Article, "border", fmt.Sprintf("lemur number %d", i), "public", "")
	}
	seen := map[int64]bool{}
	for page, want := range []int{10, 10, 5, 0} {
		res, err := f.DB.Search(ctx, db.Anonymous, "lemur", db.SearchFilter{}, page+1, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != want || res.Total != 25 || res.Page != page+1 || res.Pages() != 3 {
			t.Errorf("page %d: %d hits, total %d, pages %d", page+1, len(res.Hits), res.Total, res.Pages())
		}
		for _, h := range res.Hits {
			if seen[h.ID] {
				t.Errorf("annotation %d on two pages", h.ID)
			}
			seen[h.ID] = true
		}
	}
	if len(seen) != 25 {
		t.Errorf("%d distinct hits over the pages", len(seen))
	}
	for _, tc := range []struct{ page, per, wantPage, wantPer int }{
		{0, 0, 1, db.DefaultPerPage}, {-5, 1000, 1, db.MaxPerPage}, {1 << 40, 10, 1 << 40, 10},
	} {
		res, err := f.DB.Search(ctx, db.Anonymous, "lemur", db.SearchFilter{}, tc.page, tc.per)
		if err != nil || res.Page != tc.wantPage || res.PerPage != tc.wantPer || res.Total != 25 {
			t.Errorf("page %d per %d: page %d per %d total %d, %v", tc.page, tc.per, res.Page, res.PerPage, res.Total, err)
		}
	}
}

// hostileQueries are inputs a search box must survive.
var hostileQueries = []string{
	`"`, `""`, `"""`, `*`, `**`, `"*"`, `OR`, `AND`, `NOT`, `OR OR`, `a OR`, `NOT a`, `-`, `--`, `-"`, `+`,
	`'; DROP TABLE annotations; --`, `" OR 1=1 --`, `NEAR(`, `NEAR(a b)`, `NEAR("a" "b", 2)`,
	`col:term`, `body:zebra`, `exact:asylum`, `{body exact}: zebra`, `^`, `^refugees`, `a + b`, `(`, `)`, `((a)`,
	`\`, `\"`, `%`, `_`, `%' OR '1'='1`, "\x00", "a\x00b", "\xff\xfe\xfd", "\xed\xa0\x80", "🎉🎉", "\u200b",
	"\uE000refugees\uE001", strings.Repeat("refugees ", 2000), strings.Repeat("x", 10000),
	strings.Repeat(`"a" OR `, 500), strings.Repeat("a* ", 500), strings.Repeat("(", 300), "北朝鲜", "탈북자", "ا",
	"Pyöngyang", "e\u0301", "\u0301", "rank:1", "rowid", "search_annotations", "*refugees", "refugees*****",
}

func TestSearchHostileInputs(t *testing.T) {
	f := newSearchFixture(t, storetest.MustOpenDB(t))
	f.annotate(t, f.Author, f.Article, "asylum seekers", "zebra", "public", "")
	for _, q := range hostileQueries {
		for _, v := range []db.Viewer{db.Anonymous, f.Member} {
			res, err := f.DB.Search(context.Background(), v, q, db.SearchFilter{}, 1, 10)
			if err != nil {
				t.Errorf("Search(%.40q): %v", q, err)
				continue
			}
			checkResults(t, q, res)
		}
	}
	// They also match as FTS5 expressions on every index.
	for _, q := range hostileQueries {
		checkMatch(t, f.DB, q)
	}
}

// checkMatch runs q, as the query parser translates it, through the
// engine's own index (Engine.CheckQuery): it must be accepted.
func checkMatch(t testing.TB, d storetest.Engine, q string) {
	t.Helper()
	if err := d.CheckQuery(context.Background(), q); err != nil {
		t.Fatalf("%q: %v", q, err)
	}
}

func checkIndex(t testing.TB, d storetest.Engine) {
	t.Helper()
	if err := d.CheckSearchIndex(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestSearchIndexFollowsWrites(t *testing.T) {
	ctx := context.Background()
	f := newSearchFixture(t, storetest.MustOpenDB(t))
	found := func(q string, v db.Viewer) []string {
		t.Helper()
		checkIndex(t, f.DB)
		return keys(mustSearch(t, f.DB, v, q, db.SearchFilter{}))
	}
	t.Run("Annotations", func(t *testing.T) {
		a := f.annotate(t, f.Author, f.Article, "border", "capybara", "public", "")
		r, err := f.DB.CreateReply(ctx, f.Member, a.ID, "capybara too")
		if err != nil {
			t.Fatal(err)
		}
		if got := found("capybara", db.Anonymous); !slices.Equal(got, sorted(keysOf("annotation", a.ID), keysOf("reply", r.ID))) {
			t.Errorf("after create: %v", got)
		}
		if _, err := f.DB.UpdateAnnotation(ctx, f.Author, a.ID, db.AnnotationUpdate{Body: "tapir", Visibility: "public"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.DB.UpdateAnnotation(ctx, f.Member, r.ID, db.AnnotationUpdate{Body: "tapir reply"}); err != nil {
			t.Fatal(err)
		}
		if got := found("capybara", db.Anonymous); got != nil {
			t.Errorf("old words still found: %v", got)
		}
		if got := found("tapir", db.Anonymous); len(got) != 2 {
			t.Errorf("new words: %v", got)
		}
		// Visibility changes need no reindex: permissions are read at query time.
		if _, err := f.DB.UpdateAnnotation(ctx, f.Author, a.ID, db.AnnotationUpdate{Body: "tapir", Visibility: "private"}); err != nil {
			t.Fatal(err)
		}
		if got := found("tapir", db.Anonymous); got != nil {
			t.Errorf("a thread made private is still found: %v", got)
		}
		if _, err := f.DB.DeleteAnnotation(ctx, f.Author, a.ID); err != nil {
			t.Fatal(err)
		}
		if got := found("tapir", f.Author); got != nil {
			t.Errorf("after delete (the reply cascades): %v", got)
		}
	})
	t.Run("Notes", func(t *testing.T) {
		n := f.note(t, f.Author, f.Article, "axolotl", "public")
		if got := found("axolotl", db.Anonymous); !slices.Equal(got, keysOf("note", n.ID)) {
			t.Errorf("after create: %v", got)
		}
		if _, err := f.DB.UpdateNote(ctx, f.Author, n.ID, db.NoteInput{Body: "quokka", Visibility: "public"}); err != nil {
			t.Fatal(err)
		}
		if got := found("axolotl", db.Anonymous); got != nil {
			t.Errorf("old words: %v", got)
		}
		if _, err := f.DB.DeleteNote(ctx, f.Author, n.ID); err != nil {
			t.Fatal(err)
		}
		if got := found("quokka", f.Author); got != nil {
			t.Errorf("after delete: %v", got)
		}
	})
	// Ranking weighs each match's text as it is now: an edit moves it
	// (SQLite keeps what ranking read per row and query until it changes).
	t.Run("RankFollowsEdits", func(t *testing.T) {
		first := func(q string) string {
			t.Helper()
			res := mustSearch(t, f.DB, db.Anonymous, q, db.SearchFilter{})
			if len(res.Hits) != 2 {
				t.Fatalf("%q found %d", q, len(res.Hits))
			}
			return key(res.Hits[0])
		}
		// Two of each kind, the second edited to say the word three
		// times, then the first five times: each edit puts it first.
		for _, k := range []struct {
			kind, word string
			write      func(body string) int64
			edit       func(id int64, body string)
		}{
			{"annotation", "okapi", func(body string) int64 {
				return f.annotate(t, f.Author, f.Article, "border", body, "public", "").ID
			}, func(id int64, body string) {
				if _, err := f.DB.UpdateAnnotation(ctx, f.Author, id, db.AnnotationUpdate{Body: body, Visibility: "public"}); err != nil {
					t.Fatal(err)
				}
			}},
			{"note", "eland", func(body string) int64 {
				return f.note(t, f.Author, f.Article, body, "public").ID
			}, func(id int64, body string) {
				if _, err := f.DB.UpdateNote(ctx, f.Author, id, db.NoteInput{Body: body, Visibility: "public"}); err != nil {
					t.Fatal(err)
				}
			}},
		} {
			a := k.write("an " + k.word + " seen near the border today")
			b := k.write("a long note about nothing much, then one " + k.word)
			first(k.word)
			k.edit(b, strings.Repeat(k.word+" ", 3))
			if got := first(k.word); got != keysOf(k.kind, b)[0] {
				t.Errorf("after an edit made %s %d all %s, the first is %s", k.kind, b, k.word, got)
			}
			k.edit(a, strings.Repeat(k.word+" ", 5))
			if got := first(k.word); got != keysOf(k.kind, a)[0] {
				t.Errorf("after %s %d's edit, the first is %s", k.kind, a, got)
			}
		}
	})
	t.Run("Revisions", func(t *testing.T) {
		f.annotate(t, f.Author, f.b, "Shenyang", "pangolin", "public", "")
		in := db.ArticleInput{Slug: "b", Title: "Consulate bids", Publication: "Weekly", PublishedOn: "2004-06-01",
			Body: "Eight people climbed the consulate wall in Shenyang at dawn."}
		// Searched just before and after too (found checks the index,
		// which rebuilds it in a scratch transaction): what a search keeps
		// (SQLite keeps articles' windows) follows the change.
		searched := func(q string) []string {
			t.Helper()
			return keys(mustSearch(t, f.DB, db.Anonymous, q, db.SearchFilter{}))
		}
		if got := searched("dozens"); !slices.Equal(got, []string{"article:b"}) {
			t.Errorf("before the revision: %v", got)
		}
		searched("dawn")
		if out, err := f.DB.ImportArticle(ctx, in); err != nil || out != db.ImportRevised {
			t.Fatalf("%v, %v", out, err)
		}
		if got := searched("dozens"); got != nil {
			t.Errorf("right after the revision, the old one is still searched: %v", got)
		}
		if got := searched("dawn"); !slices.Equal(got, []string{"article:b"}) {
			t.Errorf("right after the revision, the new one: %v", got)
		}
		if got := found("dozens", db.Anonymous); got != nil {
			t.Errorf("the old revision is still searched: %v", got)
		}
		if got := found("dawn", db.Anonymous); !slices.Equal(got, []string{"article:b"}) {
			t.Errorf("the new revision: %v", got)
		}
		if got := found("embassy", db.Anonymous); !slices.Equal(got, []string{"article:a"}) {
			t.Errorf("the old title is still searched: %v", got)
		}
		res := mustSearch(t, f.DB, db.Anonymous, "pangolin", db.SearchFilter{})
		b, _ := f.DB.ArticleBySlug(ctx, "b")
		if h := res.Hits[0]; string([]rune(b.Body)[h.Start:h.End]) != "Shenyang" {
			t.Errorf("the annotation lands at %d in the new text", h.Start)
		}
		// Metadata only: the title.
		searched("bids")
		in.Title = "Wall bids"
		if out, err := f.DB.ImportArticle(ctx, in); err != nil || out != db.ImportUpdated {
			t.Fatalf("%v, %v", out, err)
		}
		if got := searched("bids"); !slices.Equal(got, []string{"article:b"}) {
			t.Errorf("right after a title change: %v", got)
		}
		if got := found("wall", db.Anonymous); !slices.Equal(got, []string{"article:b"}) {
			t.Errorf("after a title change: %v", got)
		}
		if got := found("consulate", db.Anonymous); !slices.Equal(got, []string{"article:b"}) {
			t.Errorf("after a title change: %v", got)
		}
		// A revision deleted alone (nothing does this today): the previous
		// one is searched again.
		for _, body := range []string{"First okapi text.", "Second okapi text."} {
			if _, err := f.DB.ImportArticle(ctx, db.ArticleInput{Slug: "c", Title: "C", Body: body}); err != nil {
				t.Fatal(err)
			}
		}
		if got := found("first", db.Anonymous); got != nil {
			t.Errorf("the old revision is still searched: %v", got)
		}
		if err := f.DB.Exec(ctx, `DELETE FROM article_revisions WHERE number = 2
			AND article_id = (SELECT id FROM articles WHERE slug = 'c')`); err != nil {
			t.Fatal(err)
		}
		// Raw SQL: its index changes wait in the queue (see Cascades).
		if err := f.DB.FlushSearch(ctx); err != nil {
			t.Fatal(err)
		}
		if got := found("first", db.Anonymous); !slices.Equal(got, []string{"article:c"}) {
			t.Errorf("after deleting the current revision: %v", got)
		}
	})
	t.Run("Cascades", func(t *testing.T) {
		f.annotate(t, f.Outsider, f.b, "Shenyang", "meerkat", "public", "")
		f.note(t, f.Outsider, f.Article, "meerkat", "public")
		// Raw SQL, as a tool would delete: its index changes wait in the
		// queue for FlushSearch (the store's own writes flush at commit).
		if err := f.DB.Exec(ctx, `DELETE FROM users WHERE id = ?`, f.Outsider.UserID); err != nil {
			t.Fatal(err)
		}
		if err := f.DB.FlushSearch(ctx); err != nil {
			t.Fatal(err)
		}
		if got := found("meerkat", db.Anonymous); got != nil {
			t.Errorf("a deleted user's writing: %v", got)
		}
		f.annotate(t, f.Author, f.b, "Shenyang", "gecko", "public", "")
		if err := f.DB.Exec(ctx, `DELETE FROM articles WHERE slug = 'b'`); err != nil {
			t.Fatal(err)
		}
		if err := f.DB.FlushSearch(ctx); err != nil {
			t.Fatal(err)
		}
		if got := found("gecko OR shenyang OR bids", db.Anonymous); got != nil {
			t.Errorf("a deleted article: %v", got)
		}
	})
}

func TestReindex(t *testing.T) {
	ctx := context.Background()
	f := newSearchFixture(t, storetest.MustOpenDB(t))
	f.annotate(t, f.Author, f.Article, "asylum seekers", "zebra one", "public", "numbers")
	g := f.annotate(t, f.Member, f.b, "Shenyang", "zebra two", "group", "")
	f.DB.CreateReply(ctx, f.Author, g.ID, "zebra reply")
	f.note(t, f.Member, f.b, "zebra note", "private")
	f.DB.ImportArticle(ctx, db.ArticleInput{Slug: "b", Title: "Embassy bids", Body: searchTextB + " Zebra crossing."})

	queries := []string{"zebra", "deport*", "refugees OR shenyang", `"consulate wall"`, "zebra -two"}
	snapshot := func() string {
		var b strings.Builder
		for _, v := range []db.Viewer{db.Anonymous, f.Author, f.Member, f.Outsider} {
			for _, q := range queries {
				res := mustSearch(t, f.DB, v, q, db.SearchFilter{})
				fmt.Fprintf(&b, "%d %q %d %v:", v.UserID, q, res.Total, res.CountsByKind)
				for _, h := range res.Hits {
					fmt.Fprintf(&b, " %s@%.6f/%d", key(h), h.Rank, h.Start)
				}
				b.WriteString("\n")
			}
		}
		return b.String()
	}
	before := snapshot()
	checkIndex(t, f.DB)
	n, err := f.DB.Reindex(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2+3+1 {
		t.Errorf("reindexed %d items, want 6", n)
	}
	checkIndex(t, f.DB)
	if after := snapshot(); after != before {
		t.Errorf("reindex changed results:\nbefore\n%s\nafter\n%s", before, after)
	}
}

func TestSearchEmptyQuery(t *testing.T) {
	f := newSearchFixture(t, storetest.MustOpenDB(t))
	for _, q := range []string{"", "   ", "-refugees", "NOT refugees", "OR", "!!!", "*"} {
		res := mustSearch(t, f.DB, db.Anonymous, q, db.SearchFilter{})
		if !res.Query.Empty() || res.Total != 0 || len(res.Hits) != 0 || len(res.CountsByKind) != len(db.SearchKinds) {
			t.Errorf("%q: %+v", q, res)
		}
	}
}

// FuzzSearch runs any string through Search on a small database of the
// engine opener opens, with filters: no error but EINVALID for a bad
// filter, never a query the engine's index refuses. An engine's fuzz
// target calls it.
func FuzzSearch(f *testing.F, opener storetest.Opener) {
	fx := newSearchFixture(f, opener(f))
	fx.annotate(f, fx.Author, fx.Article, "asylum seekers", "zebra *bold* \"quoted\" OR NOT", "public", "numbers")
	fx.annotate(f, fx.Member, fx.b, "Shenyang", "group zebra", "group", "")
	fx.note(f, fx.Member, fx.b, "note zebra 北朝鲜", "public")
	for _, q := range hostileQueries {
		f.Add(q, "", "")
	}
	f.Add("zebra", "numbers", "2002-01-01")
	f.Add("refugees", "", "not a date")
	f.Fuzz(func(t *testing.T, q, tag, from string) {
		checkMatch(t, fx.DB, q)
		for _, v := range []db.Viewer{db.Anonymous, fx.Member} {
			res, err := fx.DB.Search(context.Background(), v, q, db.SearchFilter{}, 1, 5)
			if err != nil {
				t.Fatalf("Search(%q): %v", q, err)
			}
			checkResults(t, q, res)
			_, err = fx.DB.Search(context.Background(), v, q, db.SearchFilter{Tag: tag, From: from}, 2, 5)
			if err != nil && db.ErrorCode(err) != db.EINVALID {
				t.Fatalf("Search(%q, tag %q, from %q): %v", q, tag, from, err)
			}
		}
	})
}

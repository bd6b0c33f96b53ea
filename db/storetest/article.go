package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"gloss/db"
	"gloss/seeds"
)

func seedInputs(t testing.TB) []db.ArticleInput {
	t.Helper()
	arts, err := seeds.Load()
	if err != nil {
		t.Fatal(err)
	}
	var out []db.ArticleInput
	for _, a := range arts {
		out = append(out, a.Input())
	}
	return out
}

func TestImportArticle(t *testing.T) {
	ctx := context.Background()
	t.Run("SeedsAreIdempotent", func(t *testing.T) {
		d := MustOpenDB(t)
		for round, want := range []db.ImportOutcome{db.ImportCreated, db.ImportUnchanged} {
			for _, in := range seedInputs(t) {
				got, err := d.ImportArticle(ctx, in)
				if err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Errorf("round %d, %s: outcome %s, want %s", round, in.Slug, got, want)
				}
			}
		}
		arts, err := d.Articles(ctx, db.ArticleFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(arts) != 5 {
			t.Fatalf("got %d articles after two imports, want 5", len(arts))
		}
		for _, a := range arts {
			if a.Revision != 1 {
				t.Errorf("%s at revision %d, want 1", a.Slug, a.Revision)
			}
		}
	})
	t.Run("ChangedTextBecomesRevision", func(t *testing.T) {
		d := MustOpenDB(t)
		in := seedInputs(t)[0]
		original := in.Body
		if _, err := d.ImportArticle(ctx, in); err != nil {
			t.Fatal(err)
		}
		in.Body = strings.Replace(in.Body, "NGOs", "non-governmental organisations", 1)
		got, err := d.ImportArticle(ctx, in)
		if err != nil || got != db.ImportRevised {
			t.Fatalf("outcome %s, %v; want revised", got, err)
		}
		a, err := d.ArticleBySlug(ctx, in.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if a.Revision != 2 || a.Body != in.Body {
			t.Errorf("current revision %d with the new text %v; want 2 and true", a.Revision, a.Body == in.Body)
		}
		revs, err := d.ArticleRevisions(ctx, a.ID)
		if err != nil || len(revs) != 2 || revs[0].SHA256 == revs[1].SHA256 {
			t.Fatalf("revisions %+v, %v", revs, err)
		}
		// The first text is still there, unchanged.
		if n := QueryInt(t, d, `SELECT COUNT(*) FROM article_revisions WHERE id = ? AND body = ?`, revs[0].ID, original); n != 1 {
			t.Error("revision 1 was altered")
		}
	})
	t.Run("MetadataChangeIsNotARevision", func(t *testing.T) {
		d := MustOpenDB(t)
		in := seedInputs(t)[1]
		if _, err := d.ImportArticle(ctx, in); err != nil {
			t.Fatal(err)
		}
		in.Title = "A corrected title"
		in.Authors = []string{"Seo Hyun-jin", "Second Author"}
		if got, err := d.ImportArticle(ctx, in); err != nil || got != db.ImportUpdated {
			t.Fatalf("outcome %s, %v; want updated", got, err)
		}
		a, err := d.ArticleBySlug(ctx, in.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if a.Revision != 1 || a.Title != in.Title || strings.Join(a.Authors, ";") != "Seo Hyun-jin;Second Author" {
			t.Errorf("got revision %d, title %q, authors %q", a.Revision, a.Title, a.Authors)
		}
	})
	t.Run("NormalizesToNFC", func(t *testing.T) {
		d := MustOpenDB(t)
		decomposed := "Cafe\u0301 and \u1100\u1161\u11a8 (Korean jamo)" // é and 각 decomposed
		in := db.ArticleInput{Slug: "nfc", Title: "NFC", Body: decomposed}
		if _, err := d.ImportArticle(ctx, in); err != nil {
			t.Fatal(err)
		}
		a, err := d.ArticleBySlug(ctx, "nfc")
		if err != nil {
			t.Fatal(err)
		}
		if want := "Caf\u00e9 and \uac01 (Korean jamo)"; a.Body != want {
			t.Errorf("stored %q, want NFC %q", a.Body, want)
		}
		// The same text in NFC is the same revision: the hash is of the stored form.
		in.Body = a.Body
		if got, err := d.ImportArticle(ctx, in); err != nil || got != db.ImportUnchanged {
			t.Errorf("re-import in NFC: %s, %v; want unchanged", got, err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		d := MustOpenDB(t)
		for name, in := range map[string]db.ArticleInput{
			"bad slug":     {Slug: "Not A Slug", Title: "x", Body: "x"},
			"no title":     {Slug: "a", Body: "x"},
			"no body":      {Slug: "a", Title: "x"},
			"bad date":     {Slug: "a", Title: "x", Body: "x", PublishedOn: "10 April 2005"},
			"invalid utf8": {Slug: "a", Title: "x", Body: "x\xff"},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := d.ImportArticle(ctx, in)
				if db.ErrorCode(err) != db.EINVALID || db.ErrorMessage(err) == "" {
					t.Fatalf("err = %v, want EINVALID with a message", err)
				}
			})
		}
		if arts, _ := d.Articles(ctx, db.ArticleFilter{}); len(arts) != 0 {
			t.Errorf("invalid imports left %d articles behind", len(arts))
		}
	})
}

func TestArticles(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	for _, in := range seedInputs(t) {
		if _, err := d.ImportArticle(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	slugs := func(arts []db.Article) string {
		var s []string
		for _, a := range arts {
			s = append(s, a.PublishedOn)
		}
		return strings.Join(s, " ")
	}
	t.Run("NewestFirst", func(t *testing.T) {
		arts, err := d.Articles(ctx, db.ArticleFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := slugs(arts), "2005-06-14 2005-04-10 2004-07-30 2002-05-29 2001-07-09"; got != want {
			t.Errorf("dates %s, want %s", got, want)
		}
		for _, a := range arts {
			if a.Words == 0 || a.Body != "" {
				t.Errorf("%s: words %d, body loaded %v", a.Slug, a.Words, a.Body != "")
			}
		}
	})
	t.Run("Title", func(t *testing.T) {
		arts, err := d.Articles(ctx, db.ArticleFilter{Sort: db.SortTitle})
		if err != nil {
			t.Fatal(err)
		}
		if arts[0].Title != "Aid Groups: China Has Increased Crackdown on Illegal Migrants" {
			t.Errorf("first by title: %q", arts[0].Title)
		}
	})
	t.Run("ByPublication", func(t *testing.T) {
		arts, err := d.Articles(ctx, db.ArticleFilter{Publication: "The Korea Herald"})
		if err != nil {
			t.Fatal(err)
		}
		if len(arts) != 1 || strings.Join(arts[0].Authors, ",") != "Seo Hyun-jin" {
			t.Fatalf("got %+v", arts)
		}
	})
	t.Run("Publications", func(t *testing.T) {
		pubs, err := d.Publications(ctx)
		if err != nil || len(pubs) != 5 {
			t.Fatalf("publications %q, %v", pubs, err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := d.ArticleBySlug(ctx, "no-such-article")
		if db.ErrorCode(err) != db.ENOTFOUND {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestArticlesPage(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	if pubs, err := d.Publications(ctx); err != nil || len(pubs) != 0 {
		t.Fatalf("publications of an empty library %q, %v", pubs, err)
	}
	// An article without a publication is not listed under "".
	if _, err := d.ImportArticle(ctx, db.ArticleInput{Slug: "p0", Title: "Zebra", PublishedOn: "1990-01-01", Authors: []string{"Kim"}, Body: "Text."}); err != nil {
		t.Fatal(err)
	}
	// Seven articles with equal dates and titles that differ only in case,
	// so the order needs its tie-breakers to be the same on every page.
	for _, a := range []struct{ slug, title, pub, date, author string }{
		{"p1", "banana", "Daily", "2003-05-01", "Kim"},
		{"p2", "Apple", "Weekly", "2003-05-01", "Lee"},
		{"p3", "apple", "Daily", "2003-05-01", "Kim"},
		{"p4", "Cherry", "Daily", "", "Park"},
		{"p5", "date", "Weekly", "1999-12-31", "Kim"},
		{"p6", "Apple", "Daily", "2010-01-01", "Lee"},
		{"p7", "elder", "Daily", "2003-01-02", "Choi"},
	} {
		if _, err := d.ImportArticle(ctx, db.ArticleInput{Slug: a.slug, Title: a.title, Publication: a.pub,
			PublishedOn: a.date, Authors: []string{a.author}, Body: "Text of " + a.slug + "."}); err != nil {
			t.Fatal(err)
		}
	}
	slugs := func(arts []db.Article) []string {
		var s []string
		for _, a := range arts {
			s = append(s, a.Slug)
		}
		return s
	}
	for _, f := range []db.ArticleFilter{
		{Sort: db.SortNewest}, {Sort: db.SortOldest}, {Sort: db.SortTitle},
		{Sort: db.SortTitle, Publication: "Daily"}, {Sort: db.SortOldest, Author: "Kim"}, {Year: "2003"},
	} {
		t.Run(fmt.Sprintf("%+v", f), func(t *testing.T) {
			all, err := d.Articles(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			// The pages, one after another, are the whole list in order:
			// nothing skipped, nothing twice.
			var paged []string
			first, err := d.ArticlesPage(ctx, f, 1, 3)
			if err != nil {
				t.Fatal(err)
			}
			if first.Total != len(all) || first.Pages() != max(1, (len(all)+2)/3) {
				t.Fatalf("total %d, pages %d; want %d articles", first.Total, first.Pages(), len(all))
			}
			for page := 1; page <= first.Pages(); page++ {
				p, err := d.ArticlesPage(ctx, f, page, 3)
				if err != nil {
					t.Fatal(err)
				}
				if p.Page != page || (page < p.Pages() && len(p.Articles) != 3) {
					t.Errorf("page %d: %d articles", page, len(p.Articles))
				}
				for _, a := range p.Articles {
					if len(a.Authors) != 1 || a.Words == 0 || a.Body != "" {
						t.Errorf("%s: authors %q, words %d, body loaded %v", a.Slug, a.Authors, a.Words, a.Body != "")
					}
				}
				paged = append(paged, slugs(p.Articles)...)
			}
			if want := slugs(all); !slices.Equal(paged, want) {
				t.Errorf("pages give %q, the whole list %q", paged, want)
			}
			if _, err := d.ArticlesPage(ctx, f, first.Pages()+1, 3); db.ErrorCode(err) != db.ENOTFOUND {
				t.Errorf("the page after the last: %v", err)
			}
		})
	}
	t.Run("OrderWithTies", func(t *testing.T) {
		p, err := d.ArticlesPage(ctx, db.ArticleFilter{Sort: db.SortTitle}, 1, 4)
		if err != nil {
			t.Fatal(err)
		}
		// Apple (2003, p2), apple (2003, p3): equal without case and date, so by id.
		if got, want := slugs(p.Articles), []string{"p2", "p3", "p6", "p1"}; !slices.Equal(got, want) {
			t.Errorf("by title %q, want %q", got, want)
		}
		p, err = d.ArticlesPage(ctx, db.ArticleFilter{Sort: db.SortOldest}, 3, 3)
		if err != nil {
			t.Fatal(err)
		}
		if got := slugs(p.Articles); !slices.Equal(got, []string{"p6", "p4"}) {
			t.Errorf("oldest first, last page %q: the undated article goes last", got)
		}
	})
	t.Run("Empty", func(t *testing.T) {
		p, err := d.ArticlesPage(ctx, db.ArticleFilter{Publication: "Nope"}, 1, 3)
		if err != nil || p.Total != 0 || p.Pages() != 1 || len(p.Articles) != 0 {
			t.Fatalf("%+v, %v", p, err)
		}
		if _, err := d.ArticlesPage(ctx, db.ArticleFilter{Publication: "Nope"}, 2, 3); db.ErrorCode(err) != db.ENOTFOUND {
			t.Errorf("page 2 of nothing: %v", err)
		}
	})
	t.Run("ErrPageNumber", func(t *testing.T) {
		for _, page := range []int{0, -1} {
			if _, err := d.ArticlesPage(ctx, db.ArticleFilter{}, page, 3); db.ErrorCode(err) != db.EINVALID {
				t.Errorf("page %d: %v", page, err)
			}
		}
	})
	t.Run("Publications", func(t *testing.T) {
		pubs, err := d.Publications(ctx)
		if err != nil || !slices.Equal(pubs, []string{"Daily", "Weekly"}) {
			t.Fatalf("publications %q, %v", pubs, err)
		}
	})
}

// TestArticleCounts counts, for the listed articles only, what each person
// may see: never someone else's private annotation or note, a group's only
// for its members, and a hidden one only for its author and the group's
// owners.
func TestArticleCounts(t *testing.T) {
	ctx := context.Background()
	f := newAnnotationFixture(t, sampleText)
	other, err := f.d.ImportArticle(ctx, db.ArticleInput{Slug: "b", Title: "B", Body: sampleText})
	if err != nil || other != db.ImportCreated {
		t.Fatal(other, err)
	}
	b, err := f.d.ArticleBySlug(ctx, "b")
	if err != nil {
		t.Fatal(err)
	}
	unlisted, err := f.d.ImportArticle(ctx, db.ArticleInput{Slug: "c", Title: "C", Body: sampleText})
	if err != nil || unlisted != db.ImportCreated {
		t.Fatal(unlisted, err)
	}
	c, _ := f.d.ArticleBySlug(ctx, "c")
	// A second member, who neither wrote the hidden annotation nor owns the group.
	ru := mustUser(t, f.d, "reader@example.org", "Reader", false)
	token, _, _ := f.d.CreateInvite(ctx, db.NewInvite{GroupID: f.group.ID, Role: db.RoleViewer, CreatedBy: f.author.UserID})
	if _, err := f.d.AcceptGroupInvite(ctx, token, ru.ID); err != nil {
		t.Fatal(err)
	}
	reader, err := f.d.ViewerFor(ctx, ru)
	if err != nil {
		t.Fatal(err)
	}
	group := itoa(f.group.ID)
	s, e := rng(sampleText, "100,000")
	on := func(art db.Article, v db.Viewer, vis string) db.Annotation {
		t.Helper()
		a, err := f.d.CreateAnnotation(ctx, v, art.ID, db.AnnotationInput{Start: s, End: e, Exact: "100,000", Body: vis, Visibility: vis, Group: map[string]string{"group": group}[vis]})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	note := func(art db.Article, v db.Viewer, vis string) {
		t.Helper()
		if _, err := f.d.CreateNote(ctx, v, art.ID, db.NoteInput{Body: vis, Visibility: vis, Group: map[string]string{"group": group}[vis]}); err != nil {
			t.Fatal(err)
		}
	}
	// Article a: the author's private, group and public annotations, a
	// member's reply to the group one, the member's group annotation that
	// the author (the group's owner) hid; notes of each visibility.
	on(f.article, f.author, "private")
	shared := on(f.article, f.author, "group")
	on(f.article, f.author, "public")
	if _, err := f.d.CreateReply(ctx, f.member, shared.ID, "a reply"); err != nil {
		t.Fatal(err)
	}
	hidden := on(f.article, f.member, "group")
	if _, err := f.d.SetHidden(ctx, f.author, hidden.ID, true); err != nil {
		t.Fatal(err)
	}
	note(f.article, f.author, "private")
	note(f.article, f.author, "group")
	note(f.article, f.member, "public")
	// Article b: only the member's private annotation and note.
	on(b, f.member, "private")
	note(b, f.member, "private")
	// Article c is not listed: its public annotation must not be counted.
	on(c, f.author, "public")

	ids := []int64{f.article.ID, b.ID}
	for name, tc := range map[string]struct {
		v    db.Viewer
		a, b db.Counts
	}{
		"author":    {f.author, db.Counts{Annotations: 5, Notes: 3}, db.Counts{}},
		"member":    {f.member, db.Counts{Annotations: 4, Notes: 2}, db.Counts{Annotations: 1, Notes: 1}},
		"reader":    {reader, db.Counts{Annotations: 3, Notes: 2}, db.Counts{}},
		"outsider":  {f.outsider, db.Counts{Annotations: 1, Notes: 1}, db.Counts{}},
		"anonymous": {db.Anonymous, db.Counts{Annotations: 1, Notes: 1}, db.Counts{}},
	} {
		t.Run(name, func(t *testing.T) {
			counts, err := f.d.ArticleCounts(ctx, tc.v, ids)
			if err != nil {
				t.Fatal(err)
			}
			if counts[f.article.ID] != tc.a || counts[b.ID] != tc.b {
				t.Errorf("a %+v, b %+v; want a %+v, b %+v", counts[f.article.ID], counts[b.ID], tc.a, tc.b)
			}
			if _, ok := counts[c.ID]; ok {
				t.Errorf("counted article c, which was not asked for")
			}
			// The counts agree with the lists the reader shows.
			list, err := f.d.ArticleAnnotations(ctx, tc.v, f.article.ID, db.AnnotationFilter{})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, a := range list {
				n += 1 + len(a.Replies)
			}
			if n != tc.a.Annotations {
				t.Errorf("the reader shows %d annotations, the library counts %d", n, tc.a.Annotations)
			}
		})
	}
	if counts, err := f.d.ArticleCounts(ctx, f.author, nil); err != nil || len(counts) != 0 {
		t.Errorf("no articles: %v, %v", counts, err)
	}
}

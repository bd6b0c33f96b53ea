package db_test

import (
	"context"
	"strings"
	"testing"

	"gloss/db"
	"gloss/seeds"
)

func seedInputs(t *testing.T) []db.ArticleInput {
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
		var first string
		if err := d.Writer().QueryRowContext(ctx, `SELECT body FROM article_revisions WHERE id = ?`, revs[0].ID).Scan(&first); err != nil || first != original {
			t.Errorf("revision 1 was altered (%v)", err)
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

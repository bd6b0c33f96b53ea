package storetest

import (
	"context"
	"fmt"
	"testing"

	"gloss/db"
)

// Seed articles the fixtures annotate, by slug.
const (
	SlugAlbion = "desperate-n-koreans-seek-asylum-in-china"
	SlugVOA    = "aid-groups-china-has-increased-crackdown-on-illegal-migrants"
	SlugHerald = "nk-defectors-in-china-remain-concern"
	SlugIHT    = "help-the-refugees-who-reach-china"
)

// SeedInputs are the seed corpus's articles, as the importer takes them.
func SeedInputs(tb testing.TB) []db.ArticleInput {
	tb.Helper()
	return seedInputs(tb)
}

// SeedFixture is the seed corpus with an annotator, a colleague in the
// annotator's group, an outsider and an administrator.
type SeedFixture struct {
	DB                              Engine
	Slugs                           map[string]int64 // the articles' ids
	Author, Member, Outsider, Admin db.Viewer
	Group                           db.Group
}

// NewSeedFixture makes the fixture in d, a fresh store.
func NewSeedFixture(tb testing.TB, d Engine) *SeedFixture {
	tb.Helper()
	ctx := context.Background()
	f := &SeedFixture{DB: d, Slugs: map[string]int64{}}
	for _, in := range seedInputs(tb) {
		if _, err := f.DB.ImportArticle(ctx, in); err != nil {
			tb.Fatal(err)
		}
		a, err := f.DB.ArticleBySlug(ctx, in.Slug)
		if err != nil {
			tb.Fatal(err)
		}
		f.Slugs[in.Slug] = a.ID
	}
	au := mustUser(tb, f.DB, "author@example.org", "Author", false)
	me := mustUser(tb, f.DB, "member@example.org", "Member", false)
	ou := mustUser(tb, f.DB, "outsider@example.org", "Outsider", false)
	ad := mustUser(tb, f.DB, "admin@example.org", "Admin", true)
	var err error
	if f.Group, err = f.DB.CreateGroup(ctx, au.ID, "Seminar", ""); err != nil {
		tb.Fatal(err)
	}
	token, _, _ := f.DB.CreateInvite(ctx, db.NewInvite{GroupID: f.Group.ID, Role: db.RoleMember, CreatedBy: au.ID})
	if _, err := f.DB.AcceptGroupInvite(ctx, token, me.ID); err != nil {
		tb.Fatal(err)
	}
	for _, p := range []struct {
		u db.User
		v *db.Viewer
	}{{au, &f.Author}, {me, &f.Member}, {ou, &f.Outsider}, {ad, &f.Admin}} {
		if *p.v, err = f.DB.ViewerFor(ctx, p.u); err != nil {
			tb.Fatal(err)
		}
	}
	return f
}

// Annotate creates an annotation with evidence ev on quote in the article
// slug, as v, for the audience vis ("group" is the fixture's group).
func (f *SeedFixture) Annotate(tb testing.TB, v db.Viewer, slug, quote, vis string, ev db.EvidenceInput) db.Annotation {
	tb.Helper()
	in := db.AnnotationInput{Start: -1, End: -1, Exact: quote, Visibility: vis}
	if vis == "group" {
		in.Group = fmt.Sprint(f.Group.ID)
	}
	a, err := f.DB.CreateEvidenceAnnotation(context.Background(), v, f.Slugs[slug], in, ev)
	if err != nil {
		tb.Fatalf("%s %q: %v", slug, quote, err)
	}
	return a
}

// evidenceFixture is the SeedFixture, in a store of the engine under test,
// as this package's tests name it.
type evidenceFixture struct {
	d                               Engine
	slugs                           map[string]int64
	author, member, outsider, admin db.Viewer
	group                           db.Group
	seed                            *SeedFixture
}

func newEvidenceFixture(t *testing.T) *evidenceFixture {
	t.Helper()
	x := NewSeedFixture(t, MustOpenDB(t))
	return &evidenceFixture{d: x.DB, slugs: x.Slugs, author: x.Author, member: x.Member, outsider: x.Outsider, admin: x.Admin, group: x.Group, seed: x}
}

func (f *evidenceFixture) annotate(t *testing.T, v db.Viewer, slug, quote, vis string, ev db.EvidenceInput) db.Annotation {
	t.Helper()
	return f.seed.Annotate(t, v, slug, quote, vis, ev)
}

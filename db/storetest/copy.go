package storetest

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"gloss/db"
	"gloss/db/sqlstore"
	"gloss/db/sqlstore/gencorpus"
	"gloss/seeds"
)

// CopyBetween checks web copy-db's store half (sqlstore.Copy) from a store
// that from opens to one that to opens (either engine each): everything
// people made arrives, ids and all, and works on the other side (sign-in,
// search, share links, the next annotation's id); sign-ins stay behind; a
// target holding data is refused without force and replaced with it.
func CopyBetween(t *testing.T, from, to func(testing.TB) *sqlstore.Store) {
	ctx := context.Background()
	src := from(t)
	lib := FillLibrary(t, src)

	dst := to(t)
	var told []string
	rep, err := sqlstore.Copy(ctx, src, dst, sqlstore.CopyOptions{Progress: func(table string, n int) { told = append(told, table) }})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, tb := range rep.Tables {
		counts[tb.Name] = tb.Rows
		if tb.Digest == "" {
			t.Errorf("%s: not verified", tb.Name)
		}
	}
	for _, table := range []string{"users", "groups", "group_members", "invites", "api_tokens", "articles", "article_revisions",
		"annotations", "annotation_tags", "annotation_evidence", "notes", "collections", "collection_items", "entities", "moderation_log", "group_codebook", "suggestion_dismissals"} {
		if counts[table] == 0 {
			t.Errorf("no %s copied: the library should hold some (%v)", table, counts)
		}
	}
	if len(told) <= len(rep.Tables) || rep.Search == 0 {
		t.Errorf("progress told %d tables and the index (%d items)", len(told), rep.Search)
	}

	// What works on the source works on the copy.
	u, err := dst.Authenticate(ctx, lib.Email, lib.Password)
	if err != nil {
		t.Fatalf("signing in on the copy: %v", err)
	}
	v, err := dst.ViewerFor(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := dst.AnnotationByID(ctx, v, lib.Private)
	if err != nil || priv.Body != lib.PrivateBody {
		t.Errorf("the private annotation on the copy: %q, %v", priv.Body, err)
	}
	if _, err := dst.AnnotationByID(ctx, db.Anonymous, lib.Private); db.ErrorCode(err) != db.ENOTFOUND {
		t.Errorf("the private annotation is readable by anyone on the copy: %v", err)
	}
	res, err := dst.Search(ctx, v, lib.Word, db.SearchFilter{}, 1, 10)
	if err != nil || res.Total == 0 {
		t.Errorf("search on the copy for %q: %d hits, %v", lib.Word, res.Total, err)
	}
	if c, err := dst.SharedCollection(ctx, lib.ShareToken); err != nil || c.ID != lib.Collection {
		t.Errorf("the share link on the copy: %+v, %v", c, err)
	}
	if err := dst.CheckSearchIndex(ctx); err != nil {
		t.Error(err)
	}
	if d, err := dst.DismissedSuggestions(ctx, v, lib.Article); err != nil || !d[lib.Dismissed] {
		t.Errorf("the dismissed suggestion on the copy: %v, %v", d, err)
	}
	next, err := dst.CreateAnnotation(ctx, v, lib.Article, db.AnnotationInput{Body: "after the copy", Exact: lib.Exact, Visibility: "private"})
	if err != nil {
		t.Fatal(err)
	}
	if next.ID <= lib.LastAnnotation {
		t.Errorf("the next annotation on the copy has id %d, not after %d (ids are never reused)", next.ID, lib.LastAnnotation)
	}
	if g, err := dst.CreateGroup(ctx, u.ID, "After the copy", ""); err != nil || g.ID <= lib.Group {
		t.Errorf("a new group on the copy: id %d after %d, %v", g.ID, lib.Group, err)
	}
	// Sign-ins are not copied.
	if _, err := dst.UserBySession(ctx, u.ID, lib.Session); db.ErrorCode(err) != db.EUNAUTHORIZED {
		t.Errorf("a session of the source signs in on the copy: %v", err)
	}

	// A target with data: refused, then replaced with force.
	if _, err := sqlstore.Copy(ctx, src, dst, sqlstore.CopyOptions{}); db.ErrorCode(err) != db.ECONFLICT || !strings.Contains(db.ErrorMessage(err), "-force") {
		t.Errorf("copy into a library that holds data: %v", err)
	}
	if _, err := dst.AnnotationByID(ctx, v, next.ID); err != nil {
		t.Errorf("a refused copy changed the target: %v", err)
	}
	if _, err := sqlstore.Copy(ctx, src, dst, sqlstore.CopyOptions{Force: true}); err != nil {
		t.Fatalf("copy with force: %v", err)
	}
	if _, err := dst.AnnotationByID(ctx, v, next.ID); db.ErrorCode(err) != db.ENOTFOUND {
		t.Errorf("what the target held before a forced copy is still there: %v", err)
	}
}

// Library is what FillLibrary made, to look for after a copy.
type Library struct {
	Email, Password       string
	Article               int64
	Exact                 string
	Private               int64
	PrivateBody           string
	Word                  string
	Collection            int64
	ShareToken            string
	LastAnnotation, Group int64
	Session               string
	Dismissed             string // a suggestion's key the person dismissed in Article
}

// FillLibrary fills a new store with some of everything: a generated
// corpus (people, groups, annotations, replies, notes, evidence), the seed
// articles and starter set (entities, a collection), and through the
// store's own methods a private annotation, a hidden one, tags, a
// codebook, an invite, an API token, a shared collection and a session.
func FillLibrary(t *testing.T, s *sqlstore.Store) Library {
	t.Helper()
	ctx := context.Background()
	arts, err := seeds.Load()
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, a := range arts {
		text.WriteString(a.Body + "\n\n")
	}
	lib := Library{Password: "correct horse battery staple", Email: gencorpus.UserEmail(1)}
	if err := gencorpus.Generate(ctx, s, gencorpus.Spec{Articles: 4, TopLevel: 8, Replies: 3, Notes: 2, Users: 6, Groups: 2,
		Source: text.String(), Password: lib.Password}); err != nil {
		t.Fatal(err)
	}
	if err := seeds.Import(ctx, s, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := seeds.ImportStarter(ctx, s); err != nil {
		t.Fatal(err)
	}
	u, err := s.UserByEmail(ctx, lib.Email)
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.ViewerFor(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	art, err := s.ArticleBySlug(ctx, arts[0].Slug)
	if err != nil {
		t.Fatal(err)
	}
	lib.Article, lib.Exact = art.ID, "North Korean"
	lib.PrivateBody, lib.Word = "Only mine: the zeppelin estimate", "zeppelin"
	priv, err := s.CreateAnnotation(ctx, v, art.ID, db.AnnotationInput{Body: lib.PrivateBody, Exact: lib.Exact, Visibility: "private", Tags: "copy-check"})
	if err != nil {
		t.Fatal(err)
	}
	lib.Private = priv.ID
	g, err := s.CreateGroup(ctx, u.ID, "Copy class", "")
	if err != nil {
		t.Fatal(err)
	}
	lib.Group = g.ID
	if v, err = s.ViewerFor(ctx, u); err != nil {
		t.Fatal(err)
	}
	shared, err := s.CreateAnnotation(ctx, v, art.ID, db.AnnotationInput{Body: "For the class", Exact: lib.Exact, Visibility: "group", Group: strconv.FormatInt(g.ID, 10), Tags: "figures"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetHidden(ctx, v, shared.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetCodebookEntries(ctx, v, g.ID, [][2]string{{"figures", "Counts of people"}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.CreateInvite(ctx, db.NewInvite{GroupID: g.ID, Role: db.RoleMember, CreatedBy: u.ID, MaxUses: 3}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.CreateAPIToken(ctx, u.ID, "script"); err != nil {
		t.Fatal(err)
	}
	lib.Collection, err = s.CreateCollection(ctx, v, db.CollectionInput{Title: "Copied lesson"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddItem(ctx, v, lib.Collection, db.ItemInput{AnnotationID: priv.ID, Start: -1, End: -1}); err != nil {
		t.Fatal(err)
	}
	if lib.ShareToken, err = s.ShareCollection(ctx, v, lib.Collection); err != nil {
		t.Fatal(err)
	}
	if lib.Session, err = s.CreateUserSession(ctx, u.ID, "Firefox", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	lib.Dismissed = "figure-0123456789abcdef"
	if err := s.DismissSuggestions(ctx, v, art.ID, []string{lib.Dismissed}); err != nil {
		t.Fatal(err)
	}
	ids, err := s.QueryInts(ctx, `SELECT MAX(id) FROM annotations`)
	if err != nil {
		t.Fatal(err)
	}
	lib.LastAnnotation = ids[0]
	return lib
}

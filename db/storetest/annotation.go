package storetest

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"gloss/db"
	"gloss/db/anchor"
)

// Fixture is a store with one article, "a", and three people: an author
// who owns the group "Seminar", a member of it and an outsider.
type Fixture struct {
	DB                       Engine
	Article                  db.Article
	Author, Member, Outsider db.Viewer
	Group                    db.Group
}

// NewFixture makes the fixture in d, a fresh store, with body as the
// article's text.
func NewFixture(tb testing.TB, d Engine, body string) *Fixture {
	tb.Helper()
	ctx := context.Background()
	if _, err := d.ImportArticle(ctx, db.ArticleInput{Slug: "a", Title: "A", Body: body}); err != nil {
		tb.Fatal(err)
	}
	art, err := d.ArticleBySlug(ctx, "a")
	if err != nil {
		tb.Fatal(err)
	}
	f := &Fixture{DB: d, Article: art}
	au := mustUser(tb, d, "author@example.org", "Author", false)
	me := mustUser(tb, d, "member@example.org", "Member", false)
	ou := mustUser(tb, d, "outsider@example.org", "Outsider", false)
	if f.Group, err = d.CreateGroup(ctx, au.ID, "Seminar", ""); err != nil {
		tb.Fatal(err)
	}
	token, _, _ := d.CreateInvite(ctx, db.NewInvite{GroupID: f.Group.ID, Role: db.RoleMember, CreatedBy: au.ID})
	if _, err := d.AcceptGroupInvite(ctx, token, me.ID); err != nil {
		tb.Fatal(err)
	}
	for _, p := range []struct {
		u db.User
		v *db.Viewer
	}{{au, &f.Author}, {me, &f.Member}, {ou, &f.Outsider}} {
		if *p.v, err = d.ViewerFor(ctx, p.u); err != nil {
			tb.Fatal(err)
		}
	}
	return f
}

// annotationFixture is the Fixture, in a store of the engine under test,
// as this package's tests name it.
type annotationFixture struct {
	d                        Engine
	article                  db.Article
	author, member, outsider db.Viewer
	group                    db.Group
	anonymous                db.Viewer
}

func newAnnotationFixture(t *testing.T, body string) *annotationFixture {
	t.Helper()
	x := NewFixture(t, MustOpenDB(t), body)
	return &annotationFixture{d: x.DB, article: x.Article, author: x.Author, member: x.Member, outsider: x.Outsider, group: x.Group}
}

func (f *annotationFixture) create(t *testing.T, v db.Viewer, in db.AnnotationInput) db.Annotation {
	t.Helper()
	a, err := f.d.CreateAnnotation(context.Background(), v, f.article.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// QuoteRange is where quote first stands in text, in code points.
func QuoteRange(text, quote string) (start, end int) { return rng(text, quote) }

func rng(text string, quote string) (int, int) {
	i := strings.Index(text, quote)
	s := len([]rune(text[:i]))
	return s, s + len([]rune(quote))
}

const sampleText = "Some 50,000 North Koreans are in China.\n\nAid groups estimate 100,000 are hiding.\n\nThe UNHCR asked for access to the North Koreans in China.\n\nBeijing denied everything, said the spokesman."

func TestCreateAnnotation(t *testing.T) {
	ctx := context.Background()
	f := newAnnotationFixture(t, sampleText)
	s, e := rng(sampleText, "50,000 North Koreans")
	t.Run("ByPosition", func(t *testing.T) {
		a := f.create(t, f.author, db.AnnotationInput{Start: s, End: e, Exact: "50,000 North Koreans", Body: "*low* estimate", Tags: "Figures, estimates", Visibility: "public"})
		if a.Selector.Start != s || a.Selector.End != e || a.Anchor.Status != anchor.Anchored {
			t.Errorf("selector %+v, anchor %+v", a.Selector, a.Anchor)
		}
		if a.Selector.Suffix != " are in China.\n\nAid groups estim" || a.Selector.Prefix != "Some " {
			t.Errorf("context %q / %q", a.Selector.Prefix, a.Selector.Suffix)
		}
		if a.BodyHTML != "<p><em>low</em> estimate</p>\n" {
			t.Errorf("body html %q", a.BodyHTML)
		}
		if strings.Join(a.Tags, ",") != "estimates,figures" {
			t.Errorf("tags %q", a.Tags)
		}
	})
	t.Run("WrongOffsetsRelocated", func(t *testing.T) {
		a := f.create(t, f.author, db.AnnotationInput{Start: 3, End: 9, Exact: "UNHCR", Visibility: "private"})
		want, _ := rng(sampleText, "UNHCR")
		if a.Selector.Start != want || a.Selector.Exact != "UNHCR" {
			t.Errorf("selector %+v, want start %d", a.Selector, want)
		}
	})
	t.Run("QuoteOnlyWithWhitespace", func(t *testing.T) {
		a := f.create(t, f.author, db.AnnotationInput{Start: -1, End: -1, Exact: "  estimate\n 100,000   are ", Visibility: "private"})
		if a.Selector.Exact != "estimate 100,000 are" {
			t.Errorf("exact %q", a.Selector.Exact)
		}
	})
	for name, in := range map[string]db.AnnotationInput{
		"not in text":     {Start: -1, End: -1, Exact: "300,000", Visibility: "private"},
		"ambiguous":       {Start: -1, End: -1, Exact: "North Koreans", Visibility: "private"},
		"nothing":         {Start: -1, End: -1, Visibility: "private"},
		"bad visibility":  {Start: s, End: e, Visibility: "secret"},
		"group not given": {Start: s, End: e, Visibility: "group"},
		"bad tag":         {Start: s, End: e, Visibility: "private", Tags: "<script>"},
		"invalid utf8":    {Start: s, End: e, Visibility: "private", Body: "\xff"},
	} {
		t.Run("Err/"+name, func(t *testing.T) {
			_, err := f.d.CreateAnnotation(ctx, f.author, f.article.ID, in)
			if db.ErrorCode(err) != db.EINVALID || db.ErrorMessage(err) == "" {
				t.Fatalf("err = %v", err)
			}
		})
	}
	t.Run("Err/ambiguous message", func(t *testing.T) {
		_, err := f.d.CreateAnnotation(ctx, f.author, f.article.ID, db.AnnotationInput{Start: -1, End: -1, Exact: "North Koreans", Visibility: "private"})
		if !strings.Contains(db.ErrorMessage(err), "occurs 2 times") {
			t.Errorf("message %q", db.ErrorMessage(err))
		}
	})
	t.Run("Err/anonymous", func(t *testing.T) {
		_, err := f.d.CreateAnnotation(ctx, db.Anonymous, f.article.ID, db.AnnotationInput{Start: s, End: e, Visibility: "public"})
		if db.ErrorCode(err) != db.EUNAUTHORIZED {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("Err/outsider in group", func(t *testing.T) {
		_, err := f.d.CreateAnnotation(ctx, f.outsider, f.article.ID, db.AnnotationInput{Start: s, End: e, Visibility: "group", Group: itoa(f.group.ID)})
		if db.ErrorCode(err) != db.ENOTFOUND {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("RemembersVisibility", func(t *testing.T) {
		f.create(t, f.member, db.AnnotationInput{Start: s, End: e, Visibility: "group", Group: itoa(f.group.ID)})
		p, err := f.d.PreferencesOf(ctx, f.member.UserID)
		if err != nil || p.Visibility != db.Shared || p.GroupID != f.group.ID {
			t.Errorf("preferences %+v, %v", p, err)
		}
		p, _ = f.d.PreferencesOf(ctx, f.outsider.UserID)
		if p.Visibility != db.Private {
			t.Errorf("a new user's default is %q, want private", p.Visibility)
		}
	})
	t.Run("NeverRemembersPublic", func(t *testing.T) {
		f.create(t, f.member, db.AnnotationInput{Start: s, End: e, Visibility: "group", Group: itoa(f.group.ID)})
		f.create(t, f.member, db.AnnotationInput{Start: s, End: e, Visibility: "public"})
		p, err := f.d.PreferencesOf(ctx, f.member.UserID)
		if err != nil || p.Visibility != db.Shared || p.GroupID != f.group.ID {
			t.Errorf("after a public annotation the default is %+v, %v; want the group chosen before", p, err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestAnnotationCJKAndEmoji(t *testing.T) {
	text := "탈북자들은 중국에서 숨어 지낸다 😀 — 朝鲜难民在中国躲藏。\n\n第二段 with 😀😀 emoji."
	f := newAnnotationFixture(t, text)
	for _, quote := range []string{"중국에서", "朝鲜难民", "😀😀 emoji", "躲藏。"} {
		s, e := rng(text, quote)
		a := f.create(t, f.author, db.AnnotationInput{Start: s, End: e, Exact: quote, Visibility: "private"})
		if got := string([]rune(text)[a.Selector.Start:a.Selector.End]); got != quote {
			t.Errorf("%q anchored to %q", quote, got)
		}
		// Quote-only finds the same place.
		b := f.create(t, f.author, db.AnnotationInput{Start: -1, End: -1, Exact: quote, Visibility: "private"})
		if b.Selector != a.Selector {
			t.Errorf("%q by quote %+v, by position %+v", quote, b.Selector, a.Selector)
		}
	}
}

func TestAnnotationVisibility(t *testing.T) {
	ctx := context.Background()
	f := newAnnotationFixture(t, sampleText)
	s, e := rng(sampleText, "100,000")
	private := f.create(t, f.author, db.AnnotationInput{Start: s, End: e, Body: "private thought", Visibility: "private"})
	shared := f.create(t, f.author, db.AnnotationInput{Start: s, End: e, Body: "for the seminar", Visibility: "group", Group: itoa(f.group.ID)})
	public := f.create(t, f.author, db.AnnotationInput{Start: s, End: e, Body: "for everyone", Visibility: "public"})
	if _, err := f.d.CreateReply(ctx, f.member, shared.ID, "a member replies"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.d.CreateReply(ctx, f.outsider, shared.ID, "sneaky"); db.ErrorCode(err) != db.ENOTFOUND {
		t.Errorf("outsider replying to a group annotation: %v", err)
	}
	if _, err := f.d.CreateReply(ctx, f.outsider, public.ID, "an outsider replies in public"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.d.CreateNote(ctx, f.author, f.article.ID, db.NoteInput{Body: "a private note", Visibility: "private"}); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		v     db.Viewer
		want  []int64
		notes int
	}{
		"author":    {f.author, []int64{private.ID, shared.ID, public.ID}, 1},
		"member":    {f.member, []int64{shared.ID, public.ID}, 0},
		"outsider":  {f.outsider, []int64{public.ID}, 0},
		"anonymous": {db.Anonymous, []int64{public.ID}, 0},
	} {
		t.Run(name, func(t *testing.T) {
			list, err := f.d.ArticleAnnotations(ctx, tc.v, f.article.ID, db.AnnotationFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, a := range list {
				got = append(got, a.ID)
				for _, r := range a.Replies {
					if r.Visibility != a.Visibility {
						t.Errorf("reply visibility %s under %s", r.Visibility, a.Visibility)
					}
				}
			}
			if !sameIDs(got, tc.want) {
				t.Errorf("sees %v, want %v", got, tc.want)
			}
			counts, err := f.d.ArticleCounts(ctx, tc.v, []int64{f.article.ID})
			if err != nil {
				t.Fatal(err)
			}
			replies := 0
			for _, a := range list {
				replies += len(a.Replies)
			}
			if c := counts[f.article.ID]; c.Annotations != len(tc.want)+replies || c.Notes != tc.notes {
				t.Errorf("counts %+v, want %d annotations and %d notes", c, len(tc.want)+replies, tc.notes)
			}
			for _, id := range []int64{private.ID, shared.ID} {
				_, err := f.d.AnnotationByID(ctx, tc.v, id)
				if can := contains(tc.want, id); can != (err == nil) {
					t.Errorf("AnnotationByID(%d): %v", id, err)
				}
			}
		})
	}
	t.Run("Filters", func(t *testing.T) {
		mine, _ := f.d.ArticleAnnotations(ctx, f.member, f.article.ID, db.AnnotationFilter{Scope: db.ScopeMine})
		if len(mine) != 0 {
			t.Errorf("member's own top-level annotations: %d", len(mine))
		}
		groups, _ := f.d.ArticleAnnotations(ctx, f.member, f.article.ID, db.AnnotationFilter{Scope: db.ScopeGroups})
		if len(groups) != 1 || groups[0].ID != shared.ID || len(groups[0].Replies) != 1 {
			t.Errorf("group scope: %+v", groups)
		}
	})
}

func sameIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !contains(b, x) {
			return false
		}
	}
	return true
}

func contains(list []int64, x int64) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}

func TestEditDeleteModerate(t *testing.T) {
	ctx := context.Background()
	f := newAnnotationFixture(t, sampleText)
	s, e := rng(sampleText, "UNHCR")
	a := f.create(t, f.member, db.AnnotationInput{Start: s, End: e, Body: "first", Tags: "unhcr", Visibility: "group", Group: itoa(f.group.ID)})
	reply, err := f.d.CreateReply(ctx, f.author, a.ID, "a reply")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OnlyAuthorEdits", func(t *testing.T) {
		_, err := f.d.UpdateAnnotation(ctx, f.author, a.ID, db.AnnotationUpdate{Body: "hijack", Visibility: "public"})
		if db.ErrorCode(err) != db.EFORBIDDEN {
			t.Errorf("owner editing a member's annotation: %v", err)
		}
		up, err := f.d.UpdateAnnotation(ctx, f.member, a.ID, db.AnnotationUpdate{Body: "second", Tags: "unhcr, access", Visibility: "public"})
		if err != nil || up.Body != "second" || up.Visibility != db.Public || len(up.Tags) != 2 {
			t.Fatalf("update: %+v, %v", up, err)
		}
		// The owner's reply was written for the group: the thread going
		// public does not publish it (issue 15, finding 2).
		if _, err := f.d.AnnotationByID(ctx, f.outsider, reply.ID); db.ErrorCode(err) != db.ENOTFOUND {
			t.Errorf("the owner's group reply followed its thread to public: %v", err)
		}
		if r, err := f.d.AnnotationByID(ctx, f.member, reply.ID); err != nil || r.Visibility != db.Shared {
			t.Errorf("the group no longer reads the reply: %+v, %v", r, err)
		}
	})
	t.Run("ModerationByOwner", func(t *testing.T) {
		if _, err := f.d.UpdateAnnotation(ctx, f.member, a.ID, db.AnnotationUpdate{Body: "second", Visibility: "group", Group: itoa(f.group.ID)}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.d.SetHidden(ctx, f.member, a.ID, true); db.ErrorCode(err) != db.EFORBIDDEN {
			t.Errorf("a member hiding: %v", err)
		}
		if _, err := f.d.SetHidden(ctx, f.author, a.ID, true); err != nil {
			t.Fatalf("the owner hiding: %v", err)
		}
		// The group's other members no longer see it; its author and the owner do.
		third := mustUser(t, f.d, "third@example.org", "Third", false)
		token, _, _ := f.d.CreateInvite(ctx, db.NewInvite{GroupID: f.group.ID, Role: db.RoleViewer, CreatedBy: f.author.UserID})
		f.d.AcceptGroupInvite(ctx, token, third.ID)
		tv, _ := f.d.ViewerFor(ctx, third)
		if _, err := f.d.AnnotationByID(ctx, tv, a.ID); db.ErrorCode(err) != db.ENOTFOUND {
			t.Errorf("a group viewer sees a hidden annotation: %v", err)
		}
		for _, v := range []db.Viewer{f.member, f.author} {
			if got, err := f.d.AnnotationByID(ctx, v, a.ID); err != nil || !got.Hidden {
				t.Errorf("user %d: %+v, %v", v.UserID, got.Hidden, err)
			}
		}
		if _, err := f.d.SetHidden(ctx, f.author, a.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := f.d.AnnotationByID(ctx, tv, a.ID); err != nil {
			t.Errorf("unhidden annotation: %v", err)
		}
		log, err := f.d.ModerationLog(ctx, a.ID)
		if err != nil || len(log) != 2 || log[0].Action != "hide" || log[1].Action != "unhide" || log[0].ActorName != "Author" {
			t.Errorf("log %+v, %v", log, err)
		}
	})
	t.Run("OnlyAuthorDeletes", func(t *testing.T) {
		if _, err := f.d.DeleteAnnotation(ctx, f.author, a.ID); db.ErrorCode(err) != db.EFORBIDDEN {
			t.Errorf("someone else deleting: %v", err)
		}
		if _, err := f.d.DeleteAnnotation(ctx, f.member, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.d.AnnotationByID(ctx, f.author, reply.ID); db.ErrorCode(err) != db.ENOTFOUND {
			t.Errorf("the reply outlived its thread: %v", err)
		}
	})
}

func TestReanchorOnRevision(t *testing.T) {
	ctx := context.Background()
	f := newAnnotationFixture(t, sampleText)
	make := func(quote string) db.Annotation {
		s, e := rng(sampleText, quote)
		return f.create(t, f.author, db.AnnotationInput{Start: s, End: e, Exact: quote, Visibility: "private"})
	}
	same := make("Some 50,000")
	moved := make("UNHCR asked for access")
	edited := make("Aid groups estimate 100,000 are hiding.")
	gone := make("Beijing denied everything")

	revised := "Preface added before everything else.\n\n" +
		"Some 50,000 North Koreans are in China, by one count.\n\n" +
		"Aid groups estimated that 100,000 were hiding.\n\n" +
		"The UNHCR asked for access to the North Koreans in China."
	if out, err := f.d.ImportArticle(ctx, db.ArticleInput{Slug: "a", Title: "A", Body: revised}); err != nil || out != db.ImportRevised {
		t.Fatalf("revise: %s, %v", out, err)
	}
	want := map[int64]anchor.Status{same.ID: anchor.Moved, moved.ID: anchor.Moved, edited.ID: anchor.Approximate, gone.ID: anchor.Orphaned}
	runes := []rune(revised)
	for id, status := range want {
		a, err := f.d.AnnotationByID(ctx, f.author, id)
		if err != nil {
			t.Fatal(err)
		}
		if a.Anchor.Status != status {
			t.Errorf("%q: %s, want %s", a.Selector.Exact, a.Anchor.Status, status)
			continue
		}
		switch status {
		case anchor.Moved:
			if got := string(runes[a.Anchor.Start:a.Anchor.End]); got != a.Selector.Exact {
				t.Errorf("%q moved onto %q", a.Selector.Exact, got)
			}
		case anchor.Approximate:
			if got := string(runes[a.Anchor.Start:a.Anchor.End]); !strings.Contains(got, "100,000 were hiding") {
				t.Errorf("%q approximated onto %q", a.Selector.Exact, got)
			}
		}
		if a.Selector.Start == a.Anchor.Start && status != anchor.Anchored {
			t.Logf("%q kept its offset", a.Selector.Exact)
		}
	}
	list, err := f.d.ArticleAnnotations(ctx, f.author, f.article.ID, db.AnnotationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if last := list[len(list)-1]; last.ID != gone.ID {
		t.Errorf("orphans should be listed last, got %q", last.Selector.Exact)
	}
}

func TestAnnotationIDsNeverReused(t *testing.T) {
	ctx := context.Background()
	f := newAnnotationFixture(t, sampleText)
	s, e := rng(sampleText, "UNHCR")
	a := f.create(t, f.author, db.AnnotationInput{Start: s, End: e, Visibility: "public"})
	if _, err := f.d.DeleteAnnotation(ctx, f.author, a.ID); err != nil {
		t.Fatal(err)
	}
	b := f.create(t, f.author, db.AnnotationInput{Start: s, End: e, Visibility: "public"})
	r, err := f.d.CreateReply(ctx, f.author, b.ID, "reply")
	if err != nil {
		t.Fatal(err)
	}
	if b.ID <= a.ID || r.ID <= b.ID {
		t.Errorf("ids %d, %d, %d: a deleted annotation's id was reused", a.ID, b.ID, r.ID)
	}
}

// TestChangesIfUnchanged: an update or delete that names the version it
// read is refused, inside the write, when another change came first, even
// within the same millisecond.
func TestChangesIfUnchanged(t *testing.T) {
	ctx := context.Background()
	f := newEvidenceFixture(t)
	frozen := f.d.Now()
	f.d.SetClock(func() time.Time { return frozen }) // every change in the same millisecond
	a := f.annotate(t, f.author, SlugIHT, "Some 50,000 North Koreans are in China", "public", db.EvidenceInput{Kind: db.KindComment})
	read := a.UpdatedAt

	first, err := f.d.UpdateAnnotation(ctx, f.author, a.ID, db.AnnotationUpdate{Body: "first", Visibility: "public", IfUnchangedSince: read})
	if err != nil {
		t.Fatal(err)
	}
	if !first.UpdatedAt.After(read) {
		t.Errorf("a change within the same millisecond kept the version time %v", read)
	}
	_, err = f.d.UpdateAnnotation(ctx, f.author, a.ID, db.AnnotationUpdate{Body: "second", Visibility: "public", IfUnchangedSince: read})
	if db.ErrorCode(err) != db.EPRECONDITION {
		t.Fatalf("a second change naming the old version: %v", err)
	}
	if _, err := f.d.DeleteAnnotationIfUnchanged(ctx, f.author, a.ID, read); db.ErrorCode(err) != db.EPRECONDITION {
		t.Fatalf("a delete naming the old version: %v", err)
	}
	if got, err := f.d.AnnotationByID(ctx, f.author, a.ID); err != nil || got.Body != "first" {
		t.Fatalf("after the refusals: %q, %v", got.Body, err)
	}
	if _, err := f.d.DeleteAnnotationIfUnchanged(ctx, f.author, a.ID, first.UpdatedAt); err != nil {
		t.Fatalf("a delete naming the current version: %v", err)
	}
}

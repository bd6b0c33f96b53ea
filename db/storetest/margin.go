package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"gloss/db"
	"gloss/db/anchor"
)

// TestMarginPages: the reader's margin in two parts (MarginSpans for every
// highlight, AnnotationThreads for one page of cards) says exactly what
// ArticleAnnotations says, for every viewer and filter, and never shows a
// private, group or hidden annotation (or a reply in one) to the wrong
// viewer, even when asked for it by id.
func TestMarginPages(t *testing.T) {
	ctx := context.Background()
	f := newAnnotationFixture(t, sampleText)
	at := func(quote string) (int, int) { return rng(sampleText, quote) }
	mk := func(v db.Viewer, quote, body, tags, vis string) db.Annotation {
		s, e := at(quote)
		in := db.AnnotationInput{Start: s, End: e, Exact: quote, Body: body, Tags: tags, Visibility: vis}
		if vis == "group" {
			in.Group = fmt.Sprint(f.group.ID)
		}
		return f.create(t, v, in)
	}
	public := mk(f.author, "50,000 North Koreans", "a *low* count", "zeta, alpha", "public")
	private := mk(f.author, "North Koreans are in China", "", "secret", "private")
	group := mk(f.member, "Aid groups estimate", "for the seminar", "alpha", "group")
	hidden := mk(f.member, "100,000 are hiding", "", "", "group")
	plain := mk(f.outsider, "UNHCR asked", "", "", "public")
	gone := mk(f.author, "Beijing denied everything", "soon gone", "", "public")
	reply := func(v db.Viewer, parent int64, body string) db.Annotation {
		r, err := f.d.CreateReply(ctx, v, parent, body)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	r1 := reply(f.outsider, public.ID, "an outsider answers")
	r2 := reply(f.author, r1.ID, "and the author answers back")
	r3 := reply(f.author, group.ID, "the owner answers in the group")
	if _, err := f.d.SetHidden(ctx, f.author, hidden.ID, true); err != nil {
		t.Fatal(err)
	}
	// A new revision without the last sentence leaves one annotation orphaned.
	revised := sampleText[:len(sampleText)-len("\n\nBeijing denied everything, said the spokesman.")]
	if _, err := f.d.ImportArticle(ctx, db.ArticleInput{Slug: "a", Title: "A", Body: revised}); err != nil {
		t.Fatal(err)
	}

	all := []int64{public.ID, private.ID, group.ID, hidden.ID, plain.ID, gone.ID, r1.ID, r2.ID, r3.ID}
	viewers := map[string]struct {
		v    db.Viewer
		sees []int64 // annotations and replies, in spans and threads
	}{
		"author":    {f.author, []int64{public.ID, private.ID, group.ID, hidden.ID, plain.ID, gone.ID, r1.ID, r2.ID, r3.ID}},
		"member":    {f.member, []int64{public.ID, group.ID, hidden.ID, plain.ID, gone.ID, r1.ID, r2.ID, r3.ID}},
		"outsider":  {f.outsider, []int64{public.ID, plain.ID, gone.ID, r1.ID, r2.ID}},
		"anonymous": {db.Anonymous, []int64{public.ID, plain.ID, gone.ID, r1.ID, r2.ID}},
	}
	filters := []db.AnnotationFilter{
		{}, {Scope: db.ScopeMine}, {Scope: db.ScopeGroups}, {Scope: db.ScopePublic},
		{Tag: "alpha"}, {AuthorID: f.member.UserID}, {Scope: db.ScopePublic, AuthorID: f.author.UserID},
	}
	for name, tc := range viewers {
		t.Run(name, func(t *testing.T) {
			spans, err := f.d.MarginSpans(ctx, tc.v, f.article.ID, db.AnnotationFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var seen []int64
			for _, s := range spans {
				seen = append(append(seen, s.ID), s.Replies...)
			}
			if !sameIDs(seen, tc.sees) {
				t.Errorf("spans and their replies: %v, want %v", seen, tc.sees)
			}
			// Asked by id for everything, the threads hold only what it sees.
			threads, err := f.d.AnnotationThreads(ctx, tc.v, f.article.ID, all)
			if err != nil {
				t.Fatal(err)
			}
			if got := flatIDs(threads); !sameIDs(got, tc.sees) {
				t.Errorf("threads asked for every id: %v, want %v", got, tc.sees)
			}
			for _, fl := range filters {
				t.Run(fmt.Sprintf("%+v", fl), func(t *testing.T) { checkMarginLikeList(t, f, tc.v, fl) })
			}
		})
	}
	t.Run("Spans", func(t *testing.T) {
		spans, err := f.d.MarginSpans(ctx, f.author, f.article.ID, db.AnnotationFilter{})
		if err != nil {
			t.Fatal(err)
		}
		last := spans[len(spans)-1]
		if last.ID != gone.ID || last.Anchor.Status != anchor.Orphaned {
			t.Errorf("last span %+v, want the orphan %d", last, gone.ID)
		}
		byID := map[int64]db.MarginSpan{}
		for _, s := range spans {
			byID[s.ID] = s
		}
		if s := byID[public.ID]; s.FirstTag != "alpha" || s.Highlight || s.AuthorName != "Author" || !slices.Equal(s.Replies, []int64{r1.ID, r2.ID}) {
			t.Errorf("public span %+v: want first tag alpha, a comment by Author, replies %d and %d", s, r1.ID, r2.ID)
		}
		if s := byID[private.ID]; !s.Highlight || s.FirstTag != "secret" {
			t.Errorf("private span %+v: want a highlight tagged secret", s)
		}
		if s := byID[plain.ID]; s.FirstTag != "" || !s.Highlight {
			t.Errorf("plain span %+v: want an untagged highlight", s)
		}
		runes := []rune(revised)
		if s := byID[group.ID]; string(runes[s.Anchor.Start:s.Anchor.End]) != "Aid groups estimate" {
			t.Errorf("group span lies on %q", string(runes[s.Anchor.Start:s.Anchor.End]))
		}
	})
	t.Run("ThreadsOfOnePage", func(t *testing.T) {
		// A reply's id, another article's or an unknown one asks for nothing.
		list, err := f.d.AnnotationThreads(ctx, f.member, f.article.ID, []int64{r1.ID, group.ID, 1 << 40})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].ID != group.ID || len(list[0].Replies) != 1 || list[0].Replies[0].ID != r3.ID || !slices.Equal(list[0].Tags, []string{"alpha"}) {
			t.Fatalf("threads %v, want the group annotation with its reply and tag", flatIDs(list))
		}
		other, err := f.d.AnnotationThreads(ctx, f.author, f.article.ID+1, []int64{public.ID})
		if err != nil || len(other) != 0 {
			t.Errorf("another article's threads: %v, %v", flatIDs(other), err)
		}
		if none, err := f.d.AnnotationThreads(ctx, f.author, f.article.ID, nil); err != nil || none != nil {
			t.Errorf("no ids: %v, %v", none, err)
		}
	})
}

// checkMarginLikeList compares the margin's two parts with
// ArticleAnnotations for one viewer and filter: the same top-level
// annotations in the same order, the same replies, and the full threads
// of a page the same as the list's.
func checkMarginLikeList(t *testing.T, f *annotationFixture, v db.Viewer, fl db.AnnotationFilter) {
	t.Helper()
	ctx := context.Background()
	want, err := f.d.ArticleAnnotations(ctx, v, f.article.ID, fl)
	if err != nil {
		t.Fatal(err)
	}
	spans, err := f.d.MarginSpans(ctx, v, f.article.ID, fl)
	if err != nil {
		t.Fatal(err)
	}
	if len(spans) != len(want) {
		t.Fatalf("%d spans, want %d", len(spans), len(want))
	}
	ids := make([]int64, len(spans))
	for i, s := range spans {
		w := want[i]
		ids[i] = s.ID
		first := ""
		if len(w.Tags) > 0 {
			first = w.Tags[0]
		}
		if s.ID != w.ID || s.Anchor.Start != w.Anchor.Start || s.Anchor.End != w.Anchor.End || s.Anchor.Status != w.Anchor.Status ||
			s.AuthorID != w.AuthorID || s.AuthorName != w.AuthorName || s.Highlight != w.Highlight() || s.FirstTag != first {
			t.Errorf("span %d is %+v, the list has %+v", i, s, *w)
		}
		if got := flatIDs(w.Replies); !slices.Equal(s.Replies, got) {
			t.Errorf("span %d's replies %v, the list has %v", s.ID, s.Replies, got)
		}
	}
	// The second half of the page, then the first: threads come in text order.
	half := len(ids) / 2
	threads, err := f.d.AnnotationThreads(ctx, v, f.article.ID, append(slices.Clone(ids[half:]), ids[:half]...))
	if err != nil {
		t.Fatal(err)
	}
	if got, w := flatIDs(threads), flatIDs(want); !slices.Equal(got, w) {
		t.Errorf("threads %v, the list has %v", got, w)
	}
	for i := range min(len(threads), len(want)) {
		if a, b := threads[i], want[i]; a.BodyHTML != b.BodyHTML || !slices.Equal(a.Tags, b.Tags) || a.Hidden != b.Hidden || a.GroupName != b.GroupName {
			t.Errorf("thread %d is %+v, the list has %+v", a.ID, *a, *b)
		}
	}
}

// flatIDs is a list's annotations and their replies, depth first.
func flatIDs(list []*db.Annotation) []int64 {
	var out []int64
	for _, a := range list {
		out = append(append(out, a.ID), flatIDs(a.Replies)...)
	}
	return out
}

// TestMarginPosition: where a card stands in the margin (the page a
// redirect to it leads to) is its index among MarginSpans' spans, for each
// viewer, through ties in position (longer first, then the older) and
// orphans; a reply stands with its thread; what the viewer may not see,
// or what is not on the article, has no place.
func TestMarginPosition(t *testing.T) {
	ctx := context.Background()
	f := newAnnotationFixture(t, sampleText)
	// Every annotation made in the same millisecond: the last tie is the id.
	frozen := time.Date(2026, 12, 5, 1, 0, 0, 0, time.UTC)
	f.d.SetClock(func() time.Time { return frozen })
	mk := func(v db.Viewer, quote, vis string) db.Annotation {
		s, e := rng(sampleText, quote)
		in := db.AnnotationInput{Start: s, End: e, Exact: quote, Body: "on " + quote, Visibility: vis}
		if vis == "group" {
			in.Group = fmt.Sprint(f.group.ID)
		}
		return f.create(t, v, in)
	}
	ids := []int64{
		mk(f.author, "North Koreans", "public").ID,
		mk(f.member, "North Koreans", "group").ID,
		mk(f.author, "North Koreans", "private").ID,
		mk(f.outsider, "North Koreans are in China", "public").ID, // same start, longer
		mk(f.outsider, "North Koreans", "public").ID,
		mk(f.member, "Aid groups estimate", "public").ID,
		mk(f.author, "Beijing denied everything", "public").ID, // orphaned below
		mk(f.member, "Some 50,000", "group").ID,
	}
	hidden := mk(f.member, "UNHCR asked", "group")
	if _, err := f.d.SetHidden(ctx, f.author, hidden.ID, true); err != nil {
		t.Fatal(err)
	}
	ids = append(ids, hidden.ID)
	for _, parent := range []int64{ids[0], ids[1], ids[5]} {
		r, err := f.d.CreateReply(ctx, f.member, parent, "a reply")
		if err != nil {
			t.Fatal(err)
		}
		rr, err := f.d.CreateReply(ctx, f.author, r.ID, "a reply to the reply")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID, rr.ID)
	}
	revised := sampleText[:len(sampleText)-len("\n\nBeijing denied everything, said the spokesman.")]
	if _, err := f.d.ImportArticle(ctx, db.ArticleInput{Slug: "a", Title: "A", Body: revised}); err != nil {
		t.Fatal(err)
	}
	ids = append(ids, 1<<40)

	for name, v := range map[string]db.Viewer{"author": f.author, "member": f.member, "outsider": f.outsider, "anonymous": db.Anonymous} {
		t.Run(name, func(t *testing.T) {
			spans, err := f.d.MarginSpans(ctx, v, f.article.ID, db.AnnotationFilter{})
			if err != nil {
				t.Fatal(err)
			}
			want := map[int64]int{}
			for i, s := range spans {
				want[s.ID] = i
				for _, r := range s.Replies {
					want[r] = i
				}
			}
			for _, id := range ids {
				got, ok, err := f.d.MarginPosition(ctx, v, f.article.ID, id)
				if err != nil {
					t.Fatal(err)
				}
				w, seen := want[id]
				if ok != seen || got != w {
					t.Errorf("annotation %d stands at %d (%v), want %d (%v)", id, got, ok, w, seen)
				}
			}
			if _, ok, err := f.d.MarginPosition(ctx, v, f.article.ID+1, ids[0]); err != nil || ok {
				t.Errorf("asked on another article: %v %v", ok, err)
			}
		})
	}
}

package storetest

import (
	"context"
	"strings"
	"testing"

	"gloss/db"
)

func TestAnnotationsPage(t *testing.T) {
	ctx := context.Background()
	f := newAnnotationFixture(t, sampleText)
	if _, err := f.d.ImportArticle(ctx, db.ArticleInput{Slug: "b", Title: "B", Body: sampleText}); err != nil {
		t.Fatal(err)
	}
	other, _ := f.d.ArticleRefBySlug(ctx, "b")
	s, e := rng(sampleText, "100,000")
	private := f.create(t, f.author, db.AnnotationInput{Start: s, End: e, Visibility: "private", Tags: "mine"})
	shared := f.create(t, f.author, db.AnnotationInput{Start: s, End: e, Body: "seminar", Visibility: "group", Group: itoa(f.group.ID), Tags: "seminar, figures"})
	public := f.create(t, f.author, db.AnnotationInput{Start: s, End: e, Body: "all", Visibility: "public"})
	reply, err := f.d.CreateReply(ctx, f.member, shared.ID, "a member replies")
	if err != nil {
		t.Fatal(err)
	}
	elsewhere, err := f.d.CreateAnnotation(ctx, f.author, other.ID, db.AnnotationInput{Start: s, End: e, Visibility: "public"})
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		v       db.Viewer
		article int64
		want    []int64
	}{
		"AuthorAll":      {f.author, 0, []int64{private.ID, shared.ID, public.ID, reply.ID, elsewhere.ID}},
		"AuthorArticle":  {f.author, f.article.ID, []int64{private.ID, shared.ID, public.ID, reply.ID}},
		"Member":         {f.member, 0, []int64{shared.ID, public.ID, reply.ID, elsewhere.ID}},
		"Outsider":       {f.outsider, f.article.ID, []int64{public.ID}},
		"Anonymous":      {db.Anonymous, 0, []int64{public.ID, elsewhere.ID}},
		"AnonymousOther": {db.Anonymous, other.ID, []int64{elsewhere.ID}},
	} {
		t.Run(name, func(t *testing.T) {
			// Walk in pages of two: ids ascend, totals are what the viewer may see.
			var got []int64
			for off := 0; ; off += 2 {
				list, total, err := f.d.AnnotationsPage(ctx, tc.v, tc.article, off, 2)
				if err != nil {
					t.Fatal(err)
				}
				if total != len(tc.want) {
					t.Fatalf("total %d, want %d", total, len(tc.want))
				}
				if len(list) == 0 {
					break
				}
				for _, a := range list {
					got = append(got, a.ID)
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %v, want %v (in id order)", got, tc.want)
				}
			}
		})
	}
	t.Run("TagsLoaded", func(t *testing.T) {
		list, _, err := f.d.AnnotationsPage(ctx, f.author, f.article.ID, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(list[1].Tags, ",") != "figures,seminar" || strings.Join(list[0].Tags, ",") != "mine" {
			t.Errorf("tags %v %v", list[0].Tags, list[1].Tags)
		}
	})
	t.Run("CountOnly", func(t *testing.T) {
		list, total, err := f.d.AnnotationsPage(ctx, f.member, 0, 0, 0)
		if err != nil || list != nil || total != 4 {
			t.Errorf("list %v total %d err %v", list, total, err)
		}
	})
	t.Run("HiddenLeavesOthers", func(t *testing.T) {
		if _, err := f.d.SetHidden(ctx, f.author, shared.ID, true); err != nil {
			t.Fatal(err)
		}
		_, total, _ := f.d.AnnotationsPage(ctx, f.member, f.article.ID, 0, 0)
		// Only the public one: a hidden annotation hides its thread, the
		// member's own reply in it included, as in the reader (issue 15,
		// finding 1).
		if total != 1 {
			t.Errorf("member sees %d after hiding, want 1", total)
		}
	})
}

package storetest

import (
	"context"
	"fmt"
	"testing"

	"gloss/db"
)

// flatten lists an export's annotation ids, replies after their parents.
func flatten(arts []db.ExportArticle) []int64 {
	var out []int64
	var walk func([]*db.Annotation)
	walk = func(list []*db.Annotation) {
		for _, a := range list {
			out = append(out, a.ID)
			walk(a.Replies)
		}
	}
	for _, art := range arts {
		walk(art.Annotations)
	}
	return out
}

func TestExportAnnotations(t *testing.T) {
	ctx := context.Background()
	f := newAnnotationFixture(t, sampleText)
	s, e := rng(sampleText, "100,000")
	s2, e2 := rng(sampleText, "Some 50,000")
	private := f.create(t, f.author, db.AnnotationInput{Start: s, End: e, Body: "private thought", Tags: "mine", Visibility: "private"})
	shared := f.create(t, f.author, db.AnnotationInput{Start: s, End: e, Body: "for the seminar", Tags: "figures, estimates", Visibility: "group", Group: itoa(f.group.ID)})
	early := f.create(t, f.member, db.AnnotationInput{Start: s2, End: e2, Visibility: "group", Group: itoa(f.group.ID)})
	public := f.create(t, f.outsider, db.AnnotationInput{Start: s, End: e, Body: "for everyone", Visibility: "public"})
	reply, err := f.d.CreateReply(ctx, f.member, shared.ID, "a member replies")
	if err != nil {
		t.Fatal(err)
	}
	hidden := f.create(t, f.member, db.AnnotationInput{Start: s, End: e, Body: "moderated", Visibility: "group", Group: itoa(f.group.ID)})
	if _, err := f.d.SetHidden(ctx, f.author, hidden.ID, true); err != nil {
		t.Fatal(err)
	}

	for name, tc := range map[string]struct {
		v     db.Viewer
		scope db.ExportScope
		want  []int64
	}{
		// Text order (50,000 comes first), then creation order; replies after parents.
		"AuthorEverything":  {f.author, db.ExportScope{}, []int64{early.ID, private.ID, shared.ID, reply.ID, public.ID}},
		"MemberEverything":  {f.member, db.ExportScope{}, []int64{early.ID, shared.ID, reply.ID, public.ID}},
		"OutsiderArticle":   {f.outsider, db.ExportScope{ArticleID: f.article.ID}, []int64{public.ID}},
		"AnonymousArticle":  {db.Anonymous, db.ExportScope{ArticleID: f.article.ID}, []int64{public.ID}},
		"MemberGroup":       {f.member, db.ExportScope{GroupID: f.group.ID}, []int64{early.ID, shared.ID, reply.ID}},
		"OwnerPseudonymous": {f.author, db.ExportScope{GroupID: f.group.ID, Pseudonymize: true}, []int64{early.ID, shared.ID, reply.ID}},
	} {
		t.Run(name, func(t *testing.T) {
			arts, err := f.d.ExportAnnotations(ctx, tc.v, tc.scope)
			if err != nil {
				t.Fatal(err)
			}
			if got := flatten(arts); !sameIDs(got, tc.want) || len(got) != len(tc.want) {
				t.Fatalf("exported %v, want %v", got, tc.want)
			}
			for i, id := range flatten(arts) {
				if id != tc.want[i] {
					t.Errorf("order: %v, want %v", flatten(arts), tc.want)
					break
				}
			}
			if len(arts) != 1 || arts[0].Slug != "a" || arts[0].Body != "" {
				t.Errorf("articles %+v", arts)
			}
		})
	}

	t.Run("AgreesWithReader", func(t *testing.T) {
		// Everything the reader shows, minus what moderation hid.
		for _, v := range []db.Viewer{f.author, f.member, f.outsider, db.Anonymous} {
			list, err := f.d.ArticleAnnotations(ctx, v, f.article.ID, db.AnnotationFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var want []int64
			var walk func([]*db.Annotation)
			walk = func(l []*db.Annotation) {
				for _, a := range l {
					if !a.Hidden {
						want = append(want, a.ID)
					}
					walk(a.Replies)
				}
			}
			walk(list)
			arts, err := f.d.ExportAnnotations(ctx, v, db.ExportScope{ArticleID: f.article.ID})
			if err != nil {
				t.Fatal(err)
			}
			if got := flatten(arts); !sameIDs(got, want) {
				t.Errorf("viewer %d: export %v, reader %v", v.UserID, got, want)
			}
		}
	})

	t.Run("TagsAndAuthors", func(t *testing.T) {
		arts, _ := f.d.ExportAnnotations(ctx, f.member, db.ExportScope{GroupID: f.group.ID})
		a := arts[0].Annotations[1]
		if a.ID != shared.ID || len(a.Tags) != 2 || a.Tags[0] != "estimates" || a.AuthorName != "Author" {
			t.Errorf("%+v", a)
		}
	})

	t.Run("Pseudonymized", func(t *testing.T) {
		arts, err := f.d.ExportAnnotations(ctx, f.author, db.ExportScope{GroupID: f.group.ID, Pseudonymize: true})
		if err != nil {
			t.Fatal(err)
		}
		list := arts[0].Annotations
		// Member wrote first in text order, then Author, then Member replied.
		got := []string{list[0].AuthorName, list[1].AuthorName, list[1].Replies[0].AuthorName}
		want := []string{"Participant 1", "Participant 2", "Participant 1"}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("pseudonyms %v, want %v", got, want)
			}
		}
		if list[0].AuthorID != 0 {
			t.Error("author ids kept")
		}
	})

	t.Run("FlatPseudonymized", func(t *testing.T) {
		// The flat export (JSON-LD) numbers people in id order: Author
		// wrote the shared annotation first, then Member the rest (the
		// hidden one too: the flat export shows the group's owner what the
		// protocol's containers do).
		x, err := f.d.ExportFlat(ctx, f.author, db.ExportScope{GroupID: f.group.ID, Pseudonymize: true})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range x.Annotations {
			got = append(got, fmt.Sprintf("%d:%s/%d/%d", a.ID, a.AuthorName, a.Participant, a.AuthorID))
		}
		want := []string{
			fmt.Sprintf("%d:Participant 1/1/0", shared.ID), fmt.Sprintf("%d:Participant 2/2/0", early.ID), fmt.Sprintf("%d:Participant 2/2/0", reply.ID),
			fmt.Sprintf("%d:Participant 2/2/0", hidden.ID),
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("got  %v\nwant %v", got, want)
		}
		plain, err := f.d.ExportFlat(ctx, f.author, db.ExportScope{GroupID: f.group.ID})
		if err != nil || plain.Annotations[0].AuthorName != "Author" || plain.Annotations[0].Participant != 0 {
			t.Errorf("without pseudonyms: %+v %v", plain.Annotations, err)
		}
		if _, err := f.d.ExportFlat(ctx, f.member, db.ExportScope{GroupID: f.group.ID, Pseudonymize: true}); db.ErrorCode(err) != db.EFORBIDDEN {
			t.Errorf("a member asking for pseudonyms: %v", err)
		}
	})

	for name, tc := range map[string]struct {
		v     db.Viewer
		scope db.ExportScope
		code  string
	}{
		"AnonymousEverything":       {db.Anonymous, db.ExportScope{}, db.EUNAUTHORIZED},
		"OutsiderGroup":             {f.outsider, db.ExportScope{GroupID: f.group.ID}, db.ENOTFOUND},
		"MemberPseudonymized":       {f.member, db.ExportScope{GroupID: f.group.ID, Pseudonymize: true}, db.EFORBIDDEN},
		"PseudonymizedWithoutGroup": {f.author, db.ExportScope{ArticleID: f.article.ID, Pseudonymize: true}, db.EINVALID},
		"NoSuchArticle":             {f.author, db.ExportScope{ArticleID: 9999}, db.ENOTFOUND},
	} {
		t.Run("Err"+name, func(t *testing.T) {
			if _, err := f.d.ExportAnnotations(ctx, tc.v, tc.scope); db.ErrorCode(err) != tc.code {
				t.Errorf("got %v, want %s", err, tc.code)
			}
		})
	}
}

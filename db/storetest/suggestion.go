package storetest

import (
	"context"
	"slices"
	"testing"

	"gloss/db"
)

// TestSuggestionDismissals: each person's dismissals of suggestions are
// theirs alone, per article; dismissing again changes nothing; a key that
// no suggestion could have is refused; restoring forgets them.
func TestSuggestionDismissals(t *testing.T) {
	ctx := context.Background()
	f := newEvidenceFixture(t)
	art, other := f.slugs[SlugIHT], f.slugs[SlugVOA]
	const k1, k2 = "figure-0123456789abcdef", "quote-fedcba9876543210"
	t.Run("OK", func(t *testing.T) {
		from := lastSeq(t, f.d)
		if err := f.d.DismissSuggestions(ctx, f.author, art, []string{k1, k2}); err != nil {
			t.Fatal(err)
		}
		// The person's pages show their suggestions' count: an event tells
		// them (and only them: no article is named).
		evs := eventsSince(t, f.d, from)
		if len(evs) != 1 || evs[0].Kind != db.SuggestionsChanged || evs[0].UserID != f.author.UserID || evs[0].ArticleID != 0 {
			t.Fatalf("a dismissal stored %+v", evs)
		}
		if err := f.d.DismissSuggestions(ctx, f.author, art, []string{k1}); err != nil {
			t.Fatalf("dismissed again: %v", err)
		}
		got, err := f.d.DismissedSuggestions(ctx, f.author, art)
		if err != nil || len(got) != 2 || !got[k1] || !got[k2] {
			t.Fatalf("dismissed %v, %v", got, err)
		}
	})
	t.Run("OnlyTheirs", func(t *testing.T) {
		for name, c := range map[string]struct {
			v  db.Viewer
			id int64
		}{"a colleague": {f.member, art}, "another article": {f.author, other}, "signed out": {db.Anonymous, art}} {
			if got, err := f.d.DismissedSuggestions(ctx, c.v, c.id); err != nil || len(got) != 0 {
				t.Errorf("%s sees dismissals %v (%v)", name, got, err)
			}
		}
	})
	t.Run("ErrSignIn", func(t *testing.T) {
		if err := f.d.DismissSuggestions(ctx, db.Anonymous, art, []string{k1}); db.ErrorCode(err) != db.EUNAUTHORIZED {
			t.Errorf("signed out: %v", err)
		}
	})
	t.Run("ErrKey", func(t *testing.T) {
		for _, keys := range [][]string{nil, {"figure-1"}, {k1, "comment-0123456789abcdef"}, {"<script>"}} {
			if err := f.d.DismissSuggestions(ctx, f.member, art, keys); db.ErrorCode(err) != db.EINVALID {
				t.Errorf("%q: %v", keys, err)
			}
		}
		if got, _ := f.d.DismissedSuggestions(ctx, f.member, art); len(got) != 0 {
			t.Errorf("a refused batch stored %v", got)
		}
	})
	t.Run("Restore", func(t *testing.T) {
		from := lastSeq(t, f.d)
		n, err := f.d.RestoreSuggestions(ctx, f.author, art)
		if err != nil || n != 2 {
			t.Fatalf("restored %d, %v", n, err)
		}
		if got := kinds(eventsSince(t, f.d, from)); !slices.Equal(got, []db.EventKind{db.SuggestionsChanged}) {
			t.Errorf("a restore stored %v", got)
		}
		if got, _ := f.d.DismissedSuggestions(ctx, f.author, art); len(got) != 0 {
			t.Errorf("still dismissed: %v", got)
		}
	})
}

// TestEvidenceSpans: the kinds and places of the annotations a viewer may
// read on an article, with their audience, as the evidence lists see them.
func TestEvidenceSpans(t *testing.T) {
	ctx := context.Background()
	f := newEvidenceFixture(t)
	fig := db.EvidenceInput{Kind: db.KindFigure, Low: "50,000", Unit: "people", Counted: "North Koreans in China"}
	pub := f.annotate(t, f.author, SlugIHT, "Some 50,000 North Koreans are in China", "public", fig)
	grp := f.annotate(t, f.author, SlugIHT, "Some 50,000 North Koreans", "group", db.EvidenceInput{Kind: db.KindEntity, Entity: "North Koreans", EntityType: "organization"})
	f.annotate(t, f.author, SlugIHT, "Some 50,000", "private", db.EvidenceInput{Kind: db.KindEvent, DateFrom: "2005"})
	if _, err := f.d.CreateAnnotation(ctx, f.author, f.slugs[SlugIHT], db.AnnotationInput{Start: -1, End: -1, Exact: "Some 50,000", Visibility: "public"}); err != nil {
		t.Fatal(err) // a plain comment: no kind, no span
	}
	f.annotate(t, f.author, SlugVOA, "as many as 100,000 North Koreans are still hiding inside China", "public", fig)
	kinds := func(v db.Viewer) []string {
		spans, err := f.d.EvidenceSpans(ctx, v, f.slugs[SlugIHT])
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range spans {
			out = append(out, s.Kind+"/"+string(s.Visibility))
			switch s.Kind {
			case db.KindFigure:
				if s.Start != pub.Anchor.Start || s.End != pub.Anchor.End || s.GroupID != 0 {
					t.Errorf("figure at %d-%d in group %d, want %d-%d", s.Start, s.End, s.GroupID, pub.Anchor.Start, pub.Anchor.End)
				}
			case db.KindEntity:
				if s.GroupID != f.group.ID || s.End-s.Start != grp.Anchor.End-grp.Anchor.Start {
					t.Errorf("entity span %+v", s)
				}
			}
		}
		slices.Sort(out)
		return out
	}
	for name, c := range map[string]struct {
		v    db.Viewer
		want []string
	}{
		"author":   {f.author, []string{"entity/group", "event/private", "figure/public"}},
		"member":   {f.member, []string{"entity/group", "figure/public"}},
		"outsider": {f.outsider, []string{"figure/public"}},
	} {
		if got := kinds(c.v); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
	}
}

// TestKnownEntities: the entities a viewer sees, with their aliases, and
// not those named only where they may not read.
func TestKnownEntities(t *testing.T) {
	ctx := context.Background()
	f := newEvidenceFixture(t)
	pub := f.annotate(t, f.author, SlugHerald, "U.S. Committee for Refugees", "public", db.EvidenceInput{Kind: db.KindEntity, Entity: "US Committee for Refugees", EntityType: "organization"})
	f.annotate(t, f.author, SlugIHT, "Some 50,000 North Koreans", "private", db.EvidenceInput{Kind: db.KindEntity, Entity: "Secret Name", EntityType: "person"})
	ev, _ := f.d.EvidenceOf(ctx, []int64{pub.ID})
	for _, alias := range []string{"USCR", "U.S.C.R."} {
		if err := f.d.AddAlias(ctx, f.admin, ev[pub.ID].EntityID, alias); err != nil {
			t.Fatal(err)
		}
	}
	names := func(v db.Viewer) []string {
		list, err := f.d.KnownEntities(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range list {
			out = append(out, e.Name+":"+e.Type)
			out = append(out, e.Aliases...)
		}
		return out
	}
	if got, want := names(db.Anonymous), []string{"US Committee for Refugees:organization", "U.S.C.R.", "USCR"}; !slices.Equal(got, want) {
		t.Errorf("signed out: %v, want %v", got, want)
	}
	if got := names(f.author); !slices.Contains(got, "Secret Name:person") {
		t.Errorf("the author does not see the name they typed: %v", got)
	}
	if got := names(f.member); slices.Contains(got, "Secret Name:person") {
		t.Errorf("a private name is known to another: %v", got)
	}
}

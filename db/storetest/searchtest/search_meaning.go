package searchtest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"gloss/db"
	"gloss/db/storetest"
)

// TestSearchMeaning: search finds what people mean (issue 20): word
// forms by their stem in everything people write, phrases as written,
// exact forms ranked first, tag names and tag:, entity names and aliases,
// kind:, words inside Korean and Chinese, and a "did you mean" that never
// tells one person the words of another's private writing.
func TestSearchMeaning(t *testing.T) {
	ctx := context.Background()
	f := newSearchFixture(t, storetest.MustOpenDB(t))
	ann := f.annotate(t, f.Author, f.Article, "asylum seekers", "They feared repatriation.", "public", "")
	reply, err := f.DB.CreateReply(ctx, f.Member, ann.ID, "Many were deported in winter.")
	if err != nil {
		t.Fatal(err)
	}
	note := f.note(t, f.Member, f.b, "The consulate deports people.", "public")
	find := func(v db.Viewer, q string, filter db.SearchFilter) []string {
		t.Helper()
		return keys(mustSearch(t, f.DB, v, q, filter))
	}

	t.Run("WordForms", func(t *testing.T) {
		for q, want := range map[string][]string{
			"repatriate":  keysOf("annotation", ann.ID),
			"repatriated": keysOf("annotation", ann.ID),
			"deport":      sorted([]string{"article:a", "article:b"}, keysOf("reply", reply.ID), keysOf("note", note.ID)),
			"deporting":   sorted([]string{"article:a", "article:b"}, keysOf("reply", reply.ID), keysOf("note", note.ID)),
			"fear":        keysOf("annotation", ann.ID),
			// In quotes, as written.
			`"deported"`:      sorted([]string{"article:b"}, keysOf("reply", reply.ID)),
			`"repatriate"`:    nil,
			`"were deported"`: keysOf("reply", reply.ID),
		} {
			if got := find(db.Anonymous, q, db.SearchFilter{}); !slices.Equal(got, want) {
				t.Errorf("%q: %v, want %v", q, got, want)
			}
		}
	})
	t.Run("SnippetMarksTheWordAsWritten", func(t *testing.T) {
		res := mustSearch(t, f.DB, db.Anonymous, "repatriate", db.SearchFilter{})
		if len(res.Hits) != 1 || !slices.Contains(res.Hits[0].Snippet, db.SnippetPart{Text: "repatriation", Match: true}) {
			t.Errorf("snippet %+v", res.Hits)
		}
		res = mustSearch(t, f.DB, db.Anonymous, "deportation", db.SearchFilter{Kind: db.KindArticle})
		for _, h := range res.Hits {
			var marked []string
			for _, p := range h.Snippet {
				if p.Match {
					marked = append(marked, p.Text)
				}
			}
			if len(marked) == 0 || !slices.ContainsFunc(marked, func(s string) bool { return strings.HasPrefix(s, "Deport") || strings.HasPrefix(s, "deport") }) {
				t.Errorf("%s: marked %q", h.ArticleSlug, marked)
			}
		}
	})
	t.Run("ExactFormsFirst", func(t *testing.T) {
		one := f.annotate(t, f.Author, f.b, "Shenyang", "a lone wombats tale", "public", "")
		other := f.annotate(t, f.Author, f.b, "Shenyang", "a lone wombat tale", "public", "")
		for q, first := range map[string]int64{"wombat": other.ID, "wombats": one.ID} {
			res := mustSearch(t, f.DB, db.Anonymous, q, db.SearchFilter{})
			if len(res.Hits) != 2 || res.Hits[0].ID != first {
				t.Errorf("%q: %v, want %d first", q, keys(res), first)
			}
		}
	})
	t.Run("Tags", func(t *testing.T) {
		tagged := f.annotate(t, f.Author, f.Article, "embassy", "No word of it here.", "public", "Figures, actors/ngo")
		under, err := f.DB.CreateReply(ctx, f.Outsider, tagged.ID, "A reply in the thread.")
		if err != nil {
			t.Fatal(err)
		}
		hidden := f.annotate(t, f.Member, f.Article, "border", "Mine alone.", "private", "figures")
		if err := f.DB.TagArticle(ctx, f.Author, f.b.ID, "figures"); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			v    db.Viewer
			q    string
			want []string
		}{
			{db.Anonymous, "figures", sorted(keysOf("annotation", tagged.ID), []string{"article:b"})},
			{db.Anonymous, "figure", sorted(keysOf("annotation", tagged.ID), []string{"article:b"})}, // stems of tag names too
			{db.Anonymous, "ngo", keysOf("annotation", tagged.ID)},
			{db.Anonymous, "tag:figures", sorted(keysOf("annotation", tagged.ID), keysOf("reply", under.ID), []string{"article:b"})},
			{db.Anonymous, "tag:actors/ngo", sorted(keysOf("annotation", tagged.ID), keysOf("reply", under.ID))},
			{db.Anonymous, "tag:ACTORS/NGO thread", keysOf("reply", under.ID)},
			{db.Anonymous, "tag:actors", nil}, // exactly the tag
			{db.Anonymous, "tag:figures -tag:actors/ngo", []string{"article:b"}},
			{db.Anonymous, "tag:figures kind:reply", keysOf("reply", under.ID)},
			{f.Member, "tag:figures kind:annotation", keysOf("annotation", tagged.ID, hidden.ID)},
			{f.Outsider, "tag:figures kind:annotation", keysOf("annotation", tagged.ID)},
		} {
			if got := find(tc.v, tc.q, db.SearchFilter{}); !slices.Equal(got, tc.want) {
				t.Errorf("viewer %d, %q: %v, want %v", tc.v.UserID, tc.q, got, tc.want)
			}
		}
		// The filter and the operator agree.
		if got, want := find(db.Anonymous, "thread", db.SearchFilter{Tag: "actors/ngo"}), keysOf("reply", under.ID); !slices.Equal(got, want) {
			t.Errorf("Tag filter: %v, want %v", got, want)
		}
		// Tags changed later: the index follows, the thread with them.
		if _, err := f.DB.UpdateAnnotation(ctx, f.Author, tagged.ID, db.AnnotationUpdate{Body: "No word of it here.", Visibility: "public", Tags: "numbers"}); err != nil {
			t.Fatal(err)
		}
		checkIndex(t, f.DB)
		if got := find(db.Anonymous, "tag:actors/ngo", db.SearchFilter{}); got != nil {
			t.Errorf("after untagging: %v", got)
		}
		if got, want := find(db.Anonymous, "tag:numbers kind:reply", db.SearchFilter{}), keysOf("reply", under.ID); !slices.Equal(got, want) {
			t.Errorf("the thread's new tag: %v, want %v", got, want)
		}
	})
	t.Run("EvidenceNamesAndKinds", func(t *testing.T) {
		admin := storetest.MustUser(t, f.DB, "admin@example.org", "Admin", true)
		av, err := f.DB.ViewerFor(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		mention, err := f.DB.CreateEvidenceAnnotation(ctx, f.Author, f.Article.ID, db.AnnotationInput{Start: -1, End: -1, Exact: "embassy", Visibility: "public"},
			db.EvidenceInput{Kind: db.KindEntity, Entity: "UNHCR", EntityType: "organization"})
		if err != nil {
			t.Fatal(err)
		}
		figure, err := f.DB.CreateEvidenceAnnotation(ctx, f.Author, f.Article.ID, db.AnnotationInput{Start: -1, End: -1, Exact: "Beijing", Visibility: "public"},
			db.EvidenceInput{Kind: db.KindFigure, Low: "300", Unit: "people", Counted: "asylum seekers in embassies", Estimator: "UNHCR"})
		if err != nil {
			t.Fatal(err)
		}
		unhcr := storetest.QueryInt(t, f.DB, `SELECT id FROM entities WHERE name = 'UNHCR'`)
		if err := f.DB.AddAlias(ctx, av, unhcr, "High Commissioner for Refugees"); err != nil {
			t.Fatal(err)
		}
		checkIndex(t, f.DB)
		for q, want := range map[string][]string{
			"unhcr":                         keysOf("annotation", mention.ID, figure.ID),
			`"high commissioner"`:           keysOf("annotation", mention.ID, figure.ID), // an alias added later
			"kind:figure":                   keysOf("annotation", figure.ID),
			"kind:figures unhcr":            keysOf("annotation", figure.ID),
			"kind:entity OR kind:figure":    keysOf("annotation", mention.ID, figure.ID),
			"embassies kind:figure":         keysOf("annotation", figure.ID), // what a figure counts
			"kind:quote":                    nil,
			"kind:figure kind:article bids": sorted(keysOf("annotation"), []string{"article:b"}),
		} {
			if got := find(db.Anonymous, q, db.SearchFilter{}); !slices.Equal(got, want) {
				t.Errorf("%q: %v, want %v", q, got, want)
			}
		}
	})
	t.Run("CJK", func(t *testing.T) {
		ko := f.annotate(t, f.Author, f.Article, "border", "탈북자들은 중국에서 숨어 지낸다 according to NGOs", "public", "")
		zh := f.note(t, f.Author, f.b, "北朝鲜难民在中国东北躲藏。Refugees hide.", "public")
		for q, want := range map[string][]string{
			"탈북자":             sorted([]string{"article:a"}, keysOf("annotation", ko.ID)),
			"중국에서":            keysOf("annotation", ko.ID),
			"숨어 ngo":          keysOf("annotation", ko.ID),
			"难民":              sorted([]string{"article:a"}, keysOf("note", zh.ID)),
			"东北":              keysOf("note", zh.ID),
			`"难民在中国东北"`:       keysOf("note", zh.ID),
			"难民 refugee hide": keysOf("note", zh.ID),
			"东京":              nil,
		} {
			if got := find(db.Anonymous, q, db.SearchFilter{}); !slices.Equal(got, want) {
				t.Errorf("%q: %v, want %v", q, got, want)
			}
		}
		res := mustSearch(t, f.DB, db.Anonymous, "东北", db.SearchFilter{})
		if len(res.Hits) != 1 || !slices.Contains(res.Hits[0].Snippet, db.SnippetPart{Text: "东北", Match: true}) {
			t.Errorf("snippet %+v", res.Hits)
		}
	})
	t.Run("DidYouMean", func(t *testing.T) {
		for q, want := range map[string]string{
			"repatriatoin":       "repatriation",
			"consulat wall":      "consulate wall",
			"deported comsulate": "deported consulate",
			"repatriation":       "", // found: no suggestion
			"xyzzyq":             "", // nothing near
		} {
			res := mustSearch(t, f.DB, db.Anonymous, q, db.SearchFilter{})
			if res.Suggestion != want {
				t.Errorf("%q: suggestion %q, want %q (total %d)", q, res.Suggestion, want, res.Total)
			}
		}
		// A word only in private writing is suggested to its author alone.
		f.annotate(t, f.Member, f.b, "Shenyang", "okapiology", "private", "")
		if res := mustSearch(t, f.DB, f.Member, "okapiolgy", db.SearchFilter{}); res.Suggestion != "okapiology" {
			t.Errorf("to its author: %q", res.Suggestion)
		}
		for _, v := range []db.Viewer{db.Anonymous, f.Outsider, f.Author} {
			if res := mustSearch(t, f.DB, v, "okapiolgy", db.SearchFilter{}); res.Suggestion != "" {
				t.Errorf("viewer %d is offered %q", v.UserID, res.Suggestion)
			}
		}
	})
}

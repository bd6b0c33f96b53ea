package storetest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"gloss/db"
	"gloss/db/anchor"
)

const base = "https://gloss.test"

func TestAnnotationToW3C(t *testing.T) {
	at := time.Date(2024, 3, 1, 9, 30, 15, 123e6, time.UTC)
	a := &db.Annotation{
		ID: 7, ArticleSlug: "a", AuthorID: 3, AuthorName: "Ada", Body: "**low** figure",
		Visibility: db.Shared, GroupID: 2, GroupName: "Seminar", Tags: []string{"estimates", "figures"},
		Selector:  anchor.Selector{Start: 5, End: 11, Exact: "50,000", Prefix: "Some ", Suffix: " North"},
		CreatedAt: at, UpdatedAt: at.Add(time.Hour),
	}
	data, err := json.Marshal(db.AnnotationToW3C(base, a))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	want := `{"@context":["http://www.w3.org/ns/anno.jsonld",{"gloss":"https://gloss.test/ns#","gloss:group":{"@type":"@id"}}],` +
		`"id":"https://gloss.test/annotations/7","type":"Annotation","motivation":"commenting",` +
		`"creator":{"id":"https://gloss.test/users/3","type":"Person","name":"Ada"},` +
		`"created":"2024-03-01T09:30:15Z","modified":"2024-03-01T10:30:15Z",` +
		`"body":[{"type":"TextualBody","value":"**low** figure","format":"text/markdown","purpose":"commenting"},` +
		`{"type":"TextualBody","value":"estimates","purpose":"tagging"},{"type":"TextualBody","value":"figures","purpose":"tagging"}],` +
		`"target":{"source":"https://gloss.test/articles/a","selector":[{"type":"TextQuoteSelector","exact":"50,000","prefix":"Some ","suffix":" North"},` +
		`{"type":"TextPositionSelector","start":5,"end":11}]},` +
		`"gloss:visibility":"group","gloss:group":"https://gloss.test/groups/2"}`
	var wantMap map[string]any
	if err := json.Unmarshal([]byte(want), &wantMap); err != nil {
		t.Fatal(err)
	}
	gotJSON, _ := json.Marshal(got)
	wantJSON, _ := json.Marshal(wantMap)
	if string(gotJSON) != string(wantJSON) {
		t.Errorf("got\n%s\nwant\n%s", gotJSON, wantJSON)
	}

	for name, tc := range map[string]struct {
		a          db.Annotation
		motivation string
	}{
		"Highlight": {db.Annotation{Visibility: db.Private}, "highlighting"},
		"TagsOnly":  {db.Annotation{Visibility: db.Private, Tags: []string{"x"}}, "tagging"},
		"Comment":   {db.Annotation{Visibility: db.Private, Body: "hm"}, "commenting"},
		"Reply":     {db.Annotation{Visibility: db.Public, Body: "yes", ParentID: 7}, "replying"},
	} {
		t.Run(name, func(t *testing.T) {
			w := db.AnnotationToW3C(base, &tc.a)
			if w.Motivation != tc.motivation {
				t.Errorf("motivation %q, want %q", w.Motivation, tc.motivation)
			}
			if tc.a.ParentID != 0 {
				if w.Target != "https://gloss.test/annotations/7" || w.Body[0].Purpose != "replying" {
					t.Errorf("reply target %v, body %+v", w.Target, w.Body)
				}
			}
			if tc.a.Body == "" && len(tc.a.Tags) == 0 && w.Body != nil {
				t.Errorf("a highlight has no body: %+v", w.Body)
			}
			if w.Group != "" {
				t.Errorf("group IRI %q on a %s annotation", w.Group, tc.a.Visibility)
			}
		})
	}
}

func TestW3CRoundTrip(t *testing.T) {
	a := &db.Annotation{
		ID: 7, ArticleSlug: "a", AuthorID: 3, AuthorName: "Ada", Body: "朝鲜 *note*",
		Visibility: db.Shared, GroupID: 2, Tags: []string{"figures", "north korea"},
		Selector: anchor.Selector{Start: 5, End: 11, Exact: "50,000", Prefix: "Some ", Suffix: " North"},
	}
	data, _ := json.Marshal(db.AnnotationToW3C(base, a))
	in, err := db.W3CToInput(base, data)
	if err != nil {
		t.Fatal(err)
	}
	want := db.AnnotationInput{Start: 5, End: 11, Exact: "50,000", Prefix: "Some ", Suffix: " North",
		Body: "朝鲜 *note*", Tags: "figures, north korea", Visibility: "group", Group: "2",
		Provenance: db.Provenance{Via: base + "/annotations/7"}} // where it came from (issue 15, finding 17)
	if in.Annotation != want || in.ArticleSlug != "a" || in.ParentID != 0 || in.IRI != base+"/annotations/7" {
		t.Errorf("got %+v\nwant %+v", in, want)
	}
	reply := &db.Annotation{ID: 8, ParentID: 7, Body: "agreed", Visibility: db.Public}
	data, _ = json.Marshal(db.AnnotationToW3C(base, reply))
	in, err = db.W3CToInput(base, data)
	if err != nil {
		t.Fatal(err)
	}
	if in.ParentID != 7 || in.Annotation.Body != "agreed" || in.Annotation.Visibility != "public" {
		t.Errorf("reply: %+v", in)
	}
}

func TestW3CToInput(t *testing.T) {
	ok := map[string]struct {
		doc  string
		want func(db.W3CInput) bool
	}{
		"Minimal": {`{"type":"Annotation","target":{"source":"/articles/a","selector":{"type":"TextQuoteSelector","exact":"x"}}}`,
			func(in db.W3CInput) bool {
				return in.ArticleSlug == "a" && in.Annotation.Exact == "x" && in.Annotation.Start == -1 && in.Annotation.Visibility == "private"
			}},
		"BodyValue": {`{"type":"Annotation","bodyValue":"hi","target":{"source":"http://gloss.test/articles/a","selector":{"type":"TextQuoteSelector","exact":"x"}}}`,
			func(in db.W3CInput) bool { return in.Annotation.Body == "hi" && in.ArticleSlug == "a" }},
		"SingleBodyObject": {`{"type":["Annotation"],"body":{"type":"TextualBody","value":"hi"},"target":{"selector":[{"type":"TextPositionSelector","start":1,"end":3}]}}`,
			func(in db.W3CInput) bool {
				return in.Annotation.Body == "hi" && in.ArticleSlug == "" && in.Annotation.Start == 1 && in.Annotation.End == 3 && in.HasSelector
			}},
		"ReplyByString": {`{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Annotation","motivation":"replying","body":{"value":"yes","purpose":"replying"},"target":"https://gloss.test/annotations/12"}`,
			func(in db.W3CInput) bool { return in.ParentID == 12 && in.Annotation.Body == "yes" }},
		"ReplyByID": {`{"type":"Annotation","body":{"value":"yes"},"target":{"id":"/annotations/12"}}`,
			func(in db.W3CInput) bool { return in.ParentID == 12 }},
		"GroupImpliesVisibility": {`{"type":"Annotation","gloss:group":"https://gloss.test/groups/4","target":{"source":"/articles/a"}}`,
			func(in db.W3CInput) bool {
				return in.Annotation.Visibility == "group" && in.Annotation.Group == "4" && in.Audience
			}},
		"GroupAsObject": {`{"type":"Annotation","gloss:visibility":"group","gloss:group":{"id":"/groups/4"},"target":{"source":"/articles/a"}}`,
			func(in db.W3CInput) bool { return in.Annotation.Group == "4" }},
		"Tags": {`{"type":"Annotation","body":[{"type":"TextualBody","value":"A","purpose":"tagging"},{"type":"TextualBody","value":"b c","purpose":"oa:tagging"}],"target":"/articles/a"}`,
			func(in db.W3CInput) bool { return in.Annotation.Tags == "A, b c" && in.Annotation.Body == "" }},
	}
	for name, tc := range ok {
		t.Run(name, func(t *testing.T) {
			in, err := db.W3CToInput(base, []byte(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			if !tc.want(in) {
				t.Errorf("got %+v", in)
			}
		})
	}
	bad := map[string]struct{ doc, msg string }{
		"NotObject":        {`[1]`, "JSON object"},
		"NotAnnotation":    {`{"type":"Note","target":"/articles/a"}`, "not an annotation"},
		"NoType":           {`{"target":"/articles/a"}`, "not an annotation"},
		"OtherContext":     {`{"@context":"https://schema.org","type":"Annotation","target":"/articles/a"}`, "@context"},
		"BadMotivation":    {`{"type":"Annotation","motivation":"liking","target":"/articles/a"}`, "motivation"},
		"NoTarget":         {`{"type":"Annotation"}`, "needs a “target”"},
		"TwoTargets":       {`{"type":"Annotation","target":["/articles/a","/articles/b"]}`, "one target"},
		"ForeignTarget":    {`{"type":"Annotation","target":"https://example.com/page"}`, "not an article or annotation on this server"},
		"UnknownSelector":  {`{"type":"Annotation","target":{"source":"/articles/a","selector":{"type":"CssSelector","value":"p"}}}`, "CssSelector"},
		"RefinedBy":        {`{"type":"Annotation","target":{"source":"/articles/a","selector":{"type":"TextQuoteSelector","exact":"x","refinedBy":{}}}}`, "refinedBy"},
		"EmptyQuote":       {`{"type":"Annotation","target":{"source":"/articles/a","selector":{"type":"TextQuoteSelector","exact":""}}}`, "exact"},
		"BadPosition":      {`{"type":"Annotation","target":{"source":"/articles/a","selector":{"type":"TextPositionSelector","start":4,"end":2}}}`, "start < end"},
		"FloatPosition":    {`{"type":"Annotation","target":{"source":"/articles/a","selector":{"type":"TextPositionSelector","start":1.5,"end":2}}}`, "malformed"},
		"TwoQuotes":        {`{"type":"Annotation","target":{"source":"/articles/a","selector":[{"type":"TextQuoteSelector","exact":"x"},{"type":"TextQuoteSelector","exact":"y"}]}}`, "one TextQuoteSelector"},
		"ExternalBody":     {`{"type":"Annotation","body":"https://example.com/b","target":"/articles/a"}`, "external"},
		"ImageBody":        {`{"type":"Annotation","body":{"type":"Image","id":"x"},"target":"/articles/a"}`, "TextualBody"},
		"HTMLBody":         {`{"type":"Annotation","body":{"type":"TextualBody","value":"<p>x</p>","format":"text/html"},"target":"/articles/a"}`, "text/html"},
		"TwoComments":      {`{"type":"Annotation","body":[{"value":"a"},{"value":"b"}],"target":"/articles/a"}`, "one comment"},
		"CommaTag":         {`{"type":"Annotation","body":{"value":"a,b","purpose":"tagging"},"target":"/articles/a"}`, "comma"},
		"OddPurpose":       {`{"type":"Annotation","body":{"value":"a","purpose":"linking"},"target":"/articles/a"}`, "purpose"},
		"BadVisibility":    {`{"type":"Annotation","gloss:visibility":"friends","target":"/articles/a"}`, "visibility"},
		"ForeignGroup":     {`{"type":"Annotation","gloss:group":"https://example.com/groups/1","target":"/articles/a"}`, "not a group on this server"},
		"GroupButPrivate":  {`{"type":"Annotation","gloss:visibility":"private","gloss:group":"/groups/1","target":"/articles/a"}`, "goes with"},
		"ReplyWithQuote":   {`{"type":"Annotation","target":{"source":"/annotations/3","selector":{"type":"TextQuoteSelector","exact":"x"}}}`, "no selector"},
		"QueryInTarget":    {`{"type":"Annotation","target":"/articles/a?x=1"}`, "not an article"},
		"NonStringBody":    {`{"type":"Annotation","body":{"value":5},"target":"/articles/a"}`, "value"},
		"NonStringID":      {`{"id":5,"type":"Annotation","target":"/articles/a"}`, "id"},
		"NonStringMotive":  {`{"type":"Annotation","motivation":{"x":1},"target":"/articles/a"}`, "motivation"},
		"GroupNotAnIRI":    {`{"type":"Annotation","gloss:group":7,"target":"/articles/a"}`, "gloss:group"},
		"SelectorNotArray": {`{"type":"Annotation","target":{"source":"/articles/a","selector":"x"}}`, "malformed"},
	}
	for name, tc := range bad {
		t.Run("Err"+name, func(t *testing.T) {
			_, err := db.W3CToInput(base, []byte(tc.doc))
			if db.ErrorCode(err) != db.EINVALID || !strings.Contains(db.ErrorMessage(err), tc.msg) {
				t.Errorf("got %v, want EINVALID mentioning %q", err, tc.msg)
			}
		})
	}
}

func TestAnnotationETag(t *testing.T) {
	a := db.Annotation{ID: 1, Visibility: db.Private, UpdatedAt: time.Unix(100, 0)}
	e := db.AnnotationETag(&a)
	if !strings.HasPrefix(e, `"`) || !strings.HasSuffix(e, `"`) || strings.HasPrefix(e, "W/") {
		t.Fatalf("not a strong ETag: %s", e)
	}
	for name, change := range map[string]func(*db.Annotation){
		"Updated":    func(a *db.Annotation) { a.UpdatedAt = a.UpdatedAt.Add(time.Millisecond) },
		"Visibility": func(a *db.Annotation) { a.Visibility = db.Public },
		"Tags":       func(a *db.Annotation) { a.Tags = []string{"x"} },
		"Body":       func(a *db.Annotation) { a.Body = "x" },
		"Group":      func(a *db.Annotation) { a.GroupID = 3 },
		"Hidden":     func(a *db.Annotation) { a.Hidden = true },
	} {
		b := a
		change(&b)
		if db.AnnotationETag(&b) == e {
			t.Errorf("%s: ETag unchanged", name)
		}
	}
}

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

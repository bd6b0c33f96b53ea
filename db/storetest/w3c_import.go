package storetest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"gloss/db"
)

func TestW3CItems(t *testing.T) {
	one := `{"type": "Annotation", "target": "x"}`
	for name, tc := range map[string]struct {
		doc   string
		n     int
		error string
	}{
		"Annotation":          {one, 1, ""},
		"Array":               {"[" + one + "," + one + "]", 2, ""},
		"Page":                {`{"type": "AnnotationPage", "items": [` + one + `]}`, 1, ""},
		"CollectionFirstPage": {`{"type": ["BasicContainer", "AnnotationCollection"], "first": {"type": "AnnotationPage", "items": [` + one + `]}}`, 1, ""},
		"CollectionItems":     {`{"type": "AnnotationCollection", "items": [` + one + `,` + one + `]}`, 2, ""},
		"Malformed":           {`{"type": `, 0, "not well-formed JSON"},
		"Scalar":              {`"Annotation"`, 0, "must hold a JSON object or array"},
		"OtherType":           {`{"type": "Note"}`, 0, "this document's type is \"Note\""},
		"FirstIsIRI":          {`{"type": "AnnotationCollection", "first": "http://x.example/c?page=0"}`, 0, "does not embed its items"},
		"MorePages":           {`{"type": "AnnotationCollection", "first": {"items": [], "next": "http://x.example/c?page=1"}}`, 0, "only the collection's first page"},
		"PageWithoutItems":    {`{"type": "AnnotationPage"}`, 0, "no “items”"},
	} {
		t.Run(name, func(t *testing.T) {
			items, err := db.W3CItems([]byte(tc.doc))
			if tc.error != "" {
				if db.ErrorCode(err) != db.EINVALID || !strings.Contains(db.ErrorMessage(err), tc.error) {
					t.Fatalf("error %v, want %q", err, tc.error)
				}
				return
			}
			if err != nil || len(items) != tc.n {
				t.Fatalf("%d items, %v", len(items), err)
			}
		})
	}
}

func TestImportW3C(t *testing.T) {
	ctx := context.Background()
	f := newAnnotationFixture(t, sampleText)
	const base = "http://here.example"
	item := func(id, target string) json.RawMessage {
		return json.RawMessage(`{"id": "` + id + `", "type": "Annotation", "body": {"type": "TextualBody", "value": "text of ` + id + `"}, "target": ` + target + `}`)
	}
	passage := func(exact string) string {
		return `{"source": "http://there.example/articles/a", "selector": {"type": "TextQuoteSelector", "exact": "` + exact + `"}}`
	}
	count := func() int {
		_, n, err := f.d.AnnotationsPage(ctx, f.author, 0, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	t.Run("RepliesAfterParents", func(t *testing.T) {
		// A reply to a reply, listed before both.
		items := []json.RawMessage{
			item("http://there.example/annotations/3", `"http://there.example/annotations/2"`),
			item("http://there.example/annotations/2", `"http://there.example/annotations/1"`),
			item("http://there.example/annotations/1", passage("Aid groups estimate")),
		}
		rep, err := f.d.ImportW3C(ctx, f.author, items, db.W3CImportOptions{Base: base})
		if err != nil || !rep.Stored || rep.Taken != 3 {
			t.Fatalf("%+v %v", rep, err)
		}
		ids := map[int]int64{}
		for _, c := range rep.Created {
			ids[c.Index] = c.AnnotationID
		}
		for child, parent := range map[int]int{0: 1, 1: 2} {
			a, err := f.d.AnnotationByID(ctx, f.author, ids[child])
			if err != nil || a.ParentID != ids[parent] || a.Body != "text of http://there.example/annotations/"+string(rune('3'-child)) {
				t.Errorf("item %d: parent %d, want %d; body %q (%v)", child, a.ParentID, ids[parent], a.Body, err)
			}
		}
		if !strings.HasPrefix(rep.Created[0].ID, base+"/annotations/") {
			t.Errorf("new IRI %q", rep.Created[0].ID)
		}
	})

	t.Run("RefusalsAndRollback", func(t *testing.T) {
		items := []json.RawMessage{
			item("http://there.example/annotations/1", passage("Aid groups estimate")),
			item("http://there.example/annotations/1", passage("Beijing denied")),                      // same id
			item("http://there.example/annotations/5", `"http://there.example/annotations/6"`),         // a cycle
			item("http://there.example/annotations/6", `"http://there.example/annotations/5"`),         // of two
			item("http://there.example/annotations/7", `"http://there.example/annotations/7"`),         // itself
			item("http://there.example/annotations/8", passage("North Koreans")),                       // twice in the text
			item("http://there.example/annotations/9", `"https://there.example/news/2005/story.html"`), // not Gloss
			json.RawMessage(`{"type": "Annotation", "target": ` + passage("Aid groups estimate") + `, "body": [{"type": "TextualBody", "value": "x", "purpose": "tagging"}], "gloss:visibility": "public", "gloss:group": "http://here.example/groups/1"}`),
			json.RawMessage(`{"type": "Annotation", "target": "http://there.example/annotations/1", "body": {"type": "TextualBody", "value": "tagged", "purpose": "tagging"}}`),
			json.RawMessage(`"http://there.example/annotations/10"`),
		}
		want := map[int]string{
			1: "already used by item 0",
			2: "replies to item 3",
			3: "cycle",
			4: "cycle",
			5: "occurs 2 times",
			6: "not a Gloss article or annotation",
			7: "goes with “gloss:visibility”: “group”",
			8: "A reply cannot carry tags",
			9: "only an IRI",
		}
		before := count()
		rep, err := f.d.ImportW3C(ctx, f.author, items, db.W3CImportOptions{Base: base})
		if err != nil || rep.Stored || rep.Taken != 0 || rep.Ready != 1 || len(rep.Refused) != len(want) {
			t.Fatalf("%+v %v", rep, err)
		}
		for _, r := range rep.Refused {
			if !strings.Contains(r.Reason, want[r.Index]) {
				t.Errorf("item %d: %q, want %q", r.Index, r.Reason, want[r.Index])
			}
		}
		if count() != before {
			t.Fatal("a refused all-or-nothing import stored something")
		}
		rep, err = f.d.ImportW3C(ctx, f.author, items, db.W3CImportOptions{Base: base, Partial: true})
		if err != nil || !rep.Stored || rep.Taken != 1 || count() != before+1 {
			t.Fatalf("partial: %+v %v", rep, err)
		}
	})

	t.Run("Policy", func(t *testing.T) {
		items := []json.RawMessage{item("x", passage("Aid groups estimate"))}
		if _, err := f.d.ImportW3C(ctx, f.anonymous, items, db.W3CImportOptions{Base: base}); db.ErrorCode(err) != db.EUNAUTHORIZED {
			t.Errorf("anonymous: %v", err)
		}
		if _, err := f.d.ImportW3C(ctx, f.outsider, items, db.W3CImportOptions{Base: base, Visibility: db.ImportGroup, GroupID: f.group.ID}); db.ErrorCode(err) != db.ENOTFOUND {
			t.Errorf("outsider into the group: %v", err)
		}
		rep, err := f.d.ImportW3C(ctx, f.member, items, db.W3CImportOptions{Base: base, Visibility: db.ImportGroup, GroupID: f.group.ID})
		if err != nil || rep.Created[0].Visibility != "group" || rep.Created[0].GroupID != f.group.ID {
			t.Errorf("member into the group: %+v %v", rep, err)
		}
		// Imports leave the person's default visibility alone.
		p, err := f.d.PreferencesOf(ctx, f.member.UserID)
		if err != nil || p.Visibility != db.Private {
			t.Errorf("preferences %+v %v", p, err)
		}
	})
}

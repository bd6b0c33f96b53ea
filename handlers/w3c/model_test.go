package w3c

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"gloss/db"
	"gloss/db/anchor"
)

// The mapping between the store's annotations and the Data Model's JSON-LD,
// without a store: what is written (model.go) and read back (read.go,
// import_read.go). The protocol and the exchange are tested through the
// whole app in package handlers.

const base = "https://gloss.test"

func TestAnnotationToW3C(t *testing.T) {
	at := time.Date(2024, 3, 1, 9, 30, 15, 123e6, time.UTC)
	a := &db.Annotation{
		ID: 7, ArticleSlug: "a", AuthorID: 3, AuthorName: "Ada", Body: "**low** figure",
		Visibility: db.Shared, GroupID: 2, GroupName: "Seminar", Tags: []string{"estimates", "figures"},
		Selector:  anchor.Selector{Start: 5, End: 11, Exact: "50,000", Prefix: "Some ", Suffix: " North"},
		CreatedAt: at, UpdatedAt: at.Add(time.Hour),
	}
	data, err := json.Marshal(annotationToW3C(base, a))
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
			w := annotationToW3C(base, &tc.a)
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
	data, _ := json.Marshal(annotationToW3C(base, a))
	in, err := toInput(base, data)
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
	data, _ = json.Marshal(annotationToW3C(base, reply))
	in, err = toInput(base, data)
	if err != nil {
		t.Fatal(err)
	}
	if in.ParentID != 7 || in.Annotation.Body != "agreed" || in.Annotation.Visibility != "public" {
		t.Errorf("reply: %+v", in)
	}
}

func TestToInput(t *testing.T) {
	ok := map[string]struct {
		doc  string
		want func(w3cInput) bool
	}{
		"Minimal": {`{"type":"Annotation","target":{"source":"/articles/a","selector":{"type":"TextQuoteSelector","exact":"x"}}}`,
			func(in w3cInput) bool {
				return in.ArticleSlug == "a" && in.Annotation.Exact == "x" && in.Annotation.Start == -1 && in.Annotation.Visibility == "private"
			}},
		"BodyValue": {`{"type":"Annotation","bodyValue":"hi","target":{"source":"http://gloss.test/articles/a","selector":{"type":"TextQuoteSelector","exact":"x"}}}`,
			func(in w3cInput) bool { return in.Annotation.Body == "hi" && in.ArticleSlug == "a" }},
		"SingleBodyObject": {`{"type":["Annotation"],"body":{"type":"TextualBody","value":"hi"},"target":{"selector":[{"type":"TextPositionSelector","start":1,"end":3}]}}`,
			func(in w3cInput) bool {
				return in.Annotation.Body == "hi" && in.ArticleSlug == "" && in.Annotation.Start == 1 && in.Annotation.End == 3 && in.HasSelector
			}},
		"ReplyByString": {`{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Annotation","motivation":"replying","body":{"value":"yes","purpose":"replying"},"target":"https://gloss.test/annotations/12"}`,
			func(in w3cInput) bool { return in.ParentID == 12 && in.Annotation.Body == "yes" }},
		"ReplyByID": {`{"type":"Annotation","body":{"value":"yes"},"target":{"id":"/annotations/12"}}`,
			func(in w3cInput) bool { return in.ParentID == 12 }},
		"GroupImpliesVisibility": {`{"type":"Annotation","gloss:group":"https://gloss.test/groups/4","target":{"source":"/articles/a"}}`,
			func(in w3cInput) bool {
				return in.Annotation.Visibility == "group" && in.Annotation.Group == "4" && in.Audience
			}},
		"GroupAsObject": {`{"type":"Annotation","gloss:visibility":"group","gloss:group":{"id":"/groups/4"},"target":{"source":"/articles/a"}}`,
			func(in w3cInput) bool { return in.Annotation.Group == "4" }},
		"Tags": {`{"type":"Annotation","body":[{"type":"TextualBody","value":"A","purpose":"tagging"},{"type":"TextualBody","value":"b c","purpose":"oa:tagging"}],"target":"/articles/a"}`,
			func(in w3cInput) bool { return in.Annotation.Tags == "A, b c" && in.Annotation.Body == "" }},
	}
	for name, tc := range ok {
		t.Run(name, func(t *testing.T) {
			in, err := toInput(base, []byte(tc.doc))
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
			_, err := toInput(base, []byte(tc.doc))
			if db.ErrorCode(err) != db.EINVALID || !strings.Contains(db.ErrorMessage(err), tc.msg) {
				t.Errorf("got %v, want EINVALID mentioning %q", err, tc.msg)
			}
		})
	}
}

func TestAnnotationETag(t *testing.T) {
	a := db.Annotation{ID: 1, Visibility: db.Private, UpdatedAt: time.Unix(100, 0)}
	e := annotationETag(&a)
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
		if annotationETag(&b) == e {
			t.Errorf("%s: ETag unchanged", name)
		}
	}
}

func TestFileItems(t *testing.T) {
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
			items, err := fileItems([]byte(tc.doc))
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

// FuzzW3C feeds the JSON-LD readers (the protocol's toInput and the
// import's fileItems and readItem) anything: they must not panic, and
// every refusal must be a coded client error, never an internal one.
func FuzzW3C(f *testing.F) {
	const base = "https://gloss.example"
	for _, seed := range []string{
		`{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Annotation","body":{"type":"TextualBody","value":"hi"},` +
			`"target":{"source":"https://gloss.example/articles/a","selector":[{"type":"TextQuoteSelector","exact":"x","prefix":"","suffix":""},` +
			`{"type":"TextPositionSelector","start":-1,"end":99999999999999999999}]}}`,
		`{"type":"AnnotationCollection","first":{"type":"AnnotationPage","items":[{"type":"Annotation","motivation":"replying","target":"https://gloss.example/annotations/1"}]}}`,
		`[{"type":"Annotation","gloss:visibility":"group","gloss:group":"https://gloss.example/groups/9223372036854775807"}]`,
		`{"type":"AnnotationPage","items":null,"next":"x"}`,
		"{\"type\":\"Annotation\",\"body\":[{\"value\":\"\x00\xff\",\"purpose\":\"tagging\"}]}",
		`[[[[[]]]]]`, `null`, `"x"`, `{}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := toInput(base, data); err != nil && db.ErrorCode(err) == db.EINTERNAL {
			t.Fatalf("toInput: internal error %v", err)
		}
		items, err := fileItems(data)
		if err != nil {
			if db.ErrorCode(err) == db.EINTERNAL {
				t.Fatalf("fileItems: internal error %v", err)
			}
			return
		}
		for _, raw := range items {
			readItem(base, raw)
		}
	})
}

// TestReadItem: an import file's item becomes a domain item with portable
// ids (any host), the file's audience read apart, or a refusal of its own.
func TestReadItem(t *testing.T) {
	const passage = `{"source": "http://there.example/articles/a", "gloss:sourceSha256": "` +
		`0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "selector": {"type": "TextQuoteSelector", "exact": "x"}}`
	for name, tc := range map[string]struct {
		doc  string
		want func(db.ImportItem) bool
	}{
		"Passage": {`{"id": "HTTP://There.Example/annotations/3", "type": "Annotation", "creator": {"id": "http://there.example/users/1", "name": "Ada"},
			"body": [{"value": "hm"}, {"value": "t", "purpose": "tagging"}], "target": ` + passage + `}`,
			func(it db.ImportItem) bool {
				return it.From == "HTTP://There.Example/annotations/3" && it.Key == "there.example/annotations/3" && it.ArticleSlug == "a" &&
					it.HasSelector && it.Annotation.Exact == "x" && it.Annotation.Body == "hm" && len(it.TagList) == 1 && it.Parent == "" &&
					it.SHA256[:4] == "0123" && it.Visibility == db.Private && it.Creator == "Ada <http://there.example/users/1>" &&
					it.Annotation.Via == "HTTP://There.Example/annotations/3"
			}},
		"Reply": {`{"type": "Annotation", "body": {"value": "yes"}, "target": "https://There.example/annotations/2"}`,
			func(it db.ImportItem) bool {
				return it.Parent == "there.example/annotations/2" && it.ParentIRI == "https://There.example/annotations/2" && it.ArticleSlug == ""
			}},
		"Note": {`{"type": "Annotation", "body": {"value": "on the whole"}, "target": "http://there.example/articles/a"}`,
			func(it db.ImportItem) bool { return it.ArticleSlug == "a" && !it.HasSelector && it.Parent == "" }},
		"GroupHere": {`{"type": "Annotation", "gloss:group": "` + base + `/groups/4", "gloss:groupName": "Seminar", "target": ` + passage + `}`,
			func(it db.ImportItem) bool {
				return it.Visibility == db.Shared && it.LocalGroup == 4 && it.GroupName == "Seminar" && it.Annotation.Group == ""
			}},
		"GroupElsewhere": {`{"type": "Annotation", "gloss:visibility": "group", "gloss:group": "https://else.example/groups/4", "target": ` + passage + `}`,
			func(it db.ImportItem) bool {
				return it.Err == nil && it.Visibility == db.Shared && it.LocalGroup == 0 && it.GroupIRI == "https://else.example/groups/4"
			}},
		"Public": {`{"type": "Annotation", "gloss:visibility": "public", "target": ` + passage + `}`,
			func(it db.ImportItem) bool {
				return it.Visibility == db.Public && it.Annotation.Visibility == "private"
			}},
	} {
		t.Run(name, func(t *testing.T) {
			it := readItem(base, json.RawMessage(tc.doc))
			if it.Err != nil || !tc.want(it) {
				t.Errorf("got %+v", it)
			}
		})
	}
	for name, tc := range map[string]struct{ doc, msg string }{
		"OnlyAnIRI":      {`"http://there.example/annotations/10"`, "only an IRI"},
		"NotAnObject":    {`5`, "not an annotation object"},
		"NotGloss":       {`{"type": "Annotation", "target": "https://there.example/news/2005/story.html"}`, "not a Gloss article or annotation"},
		"GroupButPublic": {`{"type": "Annotation", "gloss:visibility": "public", "gloss:group": "/groups/1", "target": ` + passage + `}`, "goes with “gloss:visibility”: “group”"},
		"BadSHA":         {`{"type": "Annotation", "target": {"source": "/articles/a", "gloss:sourceSha256": "xyz"}}`, "gloss:sourceSha256"},
		"BadGroupName":   {`{"type": "Annotation", "gloss:groupName": 5, "target": ` + passage + `}`, "gloss:groupName"},
		"NotAnnotation":  {`{"type": "Note", "target": ` + passage + `}`, "not an annotation"},
	} {
		t.Run("Err"+name, func(t *testing.T) {
			it := readItem(base, json.RawMessage(tc.doc))
			if db.ErrorCode(it.Err) != db.EINVALID || !strings.Contains(db.ErrorMessage(it.Err), tc.msg) {
				t.Errorf("got %v, want EINVALID mentioning %q", it.Err, tc.msg)
			}
		})
	}
	if it := readItem(base, json.RawMessage(`"http://there.example/annotations/10"`)); it.From != "http://there.example/annotations/10" {
		t.Errorf("a refused IRI item keeps its id for the report: %+v", it)
	}
}

// TestEvidenceBodyRoundTrip: each kind's fields, written as a gloss:kind
// body and read back, are the form's input that made them.
func TestEvidenceBodyRoundTrip(t *testing.T) {
	for name, tc := range map[string]struct {
		ev   db.Evidence
		want db.EvidenceInput
	}{
		"Figure": {db.Evidence{Kind: db.KindFigure, HasValue: true, Low: 50000, High: 300000, Unit: "people", Counted: "North Koreans in China", EntityName: "civic groups", EntityType: db.EntityOrganization},
			db.EvidenceInput{Kind: db.KindFigure, Low: "50000", High: "300000", Unit: "people", Counted: "North Koreans in China", Estimator: "civic groups", EstimatorType: db.EntityOrganization}},
		"Quote": {db.Evidence{Kind: db.KindQuote, EntityName: "Joel R. Charny", EntityType: db.EntityPerson},
			db.EvidenceInput{Kind: db.KindQuote, Speaker: "Joel R. Charny", SpeakerType: db.EntityPerson}},
		"Entity": {db.Evidence{Kind: db.KindEntity, EntityName: "UNHCR", EntityType: db.EntityOrganization},
			db.EvidenceInput{Kind: db.KindEntity, Entity: "UNHCR", EntityType: db.EntityOrganization}},
		"Event": {db.Evidence{Kind: db.KindEvent, DateFrom: "2004-07-27", DateTo: "2004-07-28", PlaceName: "Seoul"},
			db.EvidenceInput{Kind: db.KindEvent, DateFrom: "2004-07-27", DateTo: "2004-07-28", Place: "Seoul"}},
	} {
		t.Run(name, func(t *testing.T) {
			a := &db.Annotation{ID: 1, ArticleSlug: "a", Visibility: db.Public, Evidence: &tc.ev,
				Selector: anchor.Selector{Start: 0, End: 1, Exact: "x"}}
			data, err := json.Marshal(annotationToW3C(base, a))
			if err != nil {
				t.Fatal(err)
			}
			in, err := toInput(base, data)
			if err != nil {
				t.Fatalf("%v\n%s", err, data)
			}
			if in.Evidence != tc.want {
				t.Errorf("got  %+v\nwant %+v", in.Evidence, tc.want)
			}
		})
	}
}

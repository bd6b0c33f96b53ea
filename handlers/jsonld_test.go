package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"

	"gloss/db"
	"gloss/handlers/w3c"
)

// cjkSlug is an article both instances of the round trip hold besides the
// seeds, so a CJK quote travels too.
const (
	cjkSlug = "cjk-sample"
	cjkText = "탈북자들은 중국에서 숨어 지낸다 — 朝鲜难民在中国躲藏。\n\n第二段 with emoji 😀 and 朝鲜难民 again."
)

// ldWorld is the annotation world with API tokens and the CJK article.
type ldWorld struct {
	*annotationWorld
	tokens map[string]string // email -> "Bearer …"
}

func newLDWorld(t *testing.T) *ldWorld {
	t.Helper()
	ctx := context.Background()
	w := &ldWorld{annotationWorld: newAnnotationWorld(t), tokens: map[string]string{}}
	if _, err := w.store.ImportArticle(ctx, db.ArticleInput{Slug: cjkSlug, Title: "CJK sample", Body: cjkText}); err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"owner@example.org", "member@example.org", "viewer@example.org", "outsider@example.org", "admin@example.org"} {
		u, err := w.store.UserByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		raw, _, err := w.store.CreateAPIToken(ctx, u.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		w.tokens[email] = "Bearer " + raw
	}
	return w
}

// importLD posts a document to the import as a script would, with query
// options, and decodes the JSON answer.
func (w *ldWorld) importLD(t *testing.T, email, query, doc string) (*httptest.ResponseRecorder, importReport) {
	t.Helper()
	path := "/import/annotations"
	if query != "" {
		path += "?" + query
	}
	rec := call(t, w.e, http.MethodPost, path, doc, "Authorization", w.tokens[email])
	var rep importReport
	if rec.Header().Get("Content-Type") == "application/json" || strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json;") {
		if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
			t.Fatalf("status %d: %v\n%s", rec.Code, err, rec.Body)
		}
	}
	return rec, rep
}

type importReport struct {
	Message string
	Total   int
	Taken   int
	Ready   int
	Stored  bool
	Created []struct {
		Index           int
		From, ID        string
		Visibility      string `json:"gloss:visibility"`
		OriginalCreator string
		Notes           []string
	}
	Refused []struct {
		Index              int
		From, Code, Reason string
	}
}

// refusal returns the reason item i was refused, or "".
func (r importReport) refusal(i int) string {
	for _, x := range r.Refused {
		if x.Index == i {
			return x.Reason
		}
	}
	return ""
}

// exportLD downloads a JSON-LD export and checks the headers every export has.
func exportLD(t *testing.T, cl *client, path string) map[string]any {
	t.Helper()
	rec := cl.get(path)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", path, rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != annoMedia {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment; filename=\"gloss-") || !strings.HasSuffix(cd, ".jsonld\"") {
		t.Errorf("Content-Disposition %q", cd)
	}
	return decode(t, rec)
}

// ldItems returns an export's items.
func ldItems(t *testing.T, doc map[string]any) []map[string]any {
	t.Helper()
	first, ok := doc["first"].(map[string]any)
	if !ok {
		t.Fatalf("no embedded first page: %v", doc)
	}
	var out []map[string]any
	for _, it := range first["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	if n := int(doc["total"].(float64)); n != len(out) {
		t.Errorf("total %d, %d items", n, len(out))
	}
	return out
}

// ldID is an item's numeric id.
func ldID(t *testing.T, item map[string]any) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(item["id"].(string), annoBase+"/annotations/%d", &id); err != nil {
		t.Fatalf("id %v", item["id"])
	}
	return id
}

func ldIDs(t *testing.T, items []map[string]any) []int64 {
	var out []int64
	for _, it := range items {
		out = append(out, ldID(t, it))
	}
	return out
}

// canonical describes an exported annotation without what a round trip
// changes (ids, the IRIs' host, times, creator, and via: an import keeps
// the id each item had in the file as via); a reply by what it answers.
func canonical(items []map[string]any) []string {
	byID := map[string]map[string]any{}
	for _, it := range items {
		byID[it["id"].(string)] = it
	}
	var describe func(it map[string]any) string
	describe = func(it map[string]any) string {
		c := map[string]any{}
		for k, v := range it {
			switch k {
			case "id", "created", "modified", "creator", "via":
			case "gloss:group":
				u, _ := url.Parse(v.(string))
				c[k] = u.Path
			case "target":
				if iri, ok := v.(string); ok {
					c[k] = "reply to " + describe(byID[iri])
					continue
				}
				t := v.(map[string]any)
				u, _ := url.Parse(t["source"].(string))
				c[k] = map[string]any{"source": u.Path, "selector": t["selector"], "sha": t["gloss:sourceSha256"]}
			default:
				c[k] = v
			}
		}
		b, _ := json.Marshal(c) // maps marshal in key order
		return string(b)
	}
	var out []string
	for _, it := range items {
		out = append(out, describe(it))
	}
	sort.Strings(out)
	return out
}

func TestJSONLDRoundTrip(t *testing.T) {
	ctx := context.Background()
	a := newLDWorld(t)
	member := mustViewer(t, a.store, "member@example.org")
	owner := mustViewer(t, a.store, "owner@example.org")
	art, err := a.store.ArticleBySlug(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	cjk, err := a.store.ArticleBySlug(ctx, cjkSlug)
	if err != nil {
		t.Fatal(err)
	}
	group := fmt.Sprint(a.group.ID)
	at := func(text, quote string, nth int) (int, int) {
		i := -1
		for range nth + 1 {
			i += 1 + strings.Index(text[i+1:], quote)
		}
		s := len([]rune(text[:i]))
		return s, s + len([]rune(quote))
	}
	mk := func(v db.Viewer, art db.Article, quote string, nth int, body, tags, vis string) int64 {
		t.Helper()
		s, e := at(art.Body, quote, nth)
		in := db.AnnotationInput{Start: s, End: e, Exact: quote, Body: body, Tags: tags, Visibility: vis}
		if vis == "group" {
			in.Group = group
		}
		got, err := a.store.CreateAnnotation(ctx, v, art.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		return got.ID
	}
	reply := func(v db.Viewer, parent int64, body string) int64 {
		t.Helper()
		r, err := a.store.CreateReply(ctx, v, parent, body)
		if err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	pub := mk(member, art, "an estimated 100,000 North Koreans", 0, "The *low* estimate.", "figures, estimates", "public")
	mk(member, art, "North Koreans", 2, "", "", "public") // a repeated phrase: only the position tells which
	shared := mk(member, art, "North Koreans", 3, "For the seminar.", "seminar", "group")
	mk(member, art, "China", 1, "", "figures", "group") // a tagged group highlight
	mk(member, art, "hush-hush", 0, "Note to self", "", "private")
	mk(member, cjk, "朝鲜难民", 1, "中文评论：第二次出现。", "朝鲜", "public")
	mk(member, cjk, "중국에서", 0, "", "", "private")
	r1 := reply(owner, pub, "A public reply.")
	reply(member, r1, "A reply to the reply.")
	reply(owner, shared, "A group reply.")
	secret := mk(owner, art, "hush-hush", 0, "SECRET of the owner", "", "private")

	exported := ldItems(t, exportLD(t, a.member, "/export.jsonld"))
	if len(exported) != 10 {
		t.Fatalf("member's export holds %d annotations, want 10", len(exported))
	}
	for _, it := range exported {
		if ldID(t, it) == secret {
			t.Fatal("the owner's private annotation is in the member's export")
		}
	}
	file, _ := json.Marshal(exportLD(t, a.member, "/export.jsonld"))

	// A fresh instance with the same seed articles, people and group.
	b := newLDWorld(t)
	if b.group.ID != a.group.ID || b.group.Name != a.group.Name {
		t.Fatalf("the second instance's group is %d %q", b.group.ID, b.group.Name)
	}
	rec, rep := b.importLD(t, "member@example.org", "visibility=keep", string(file))
	if rec.Code != http.StatusOK || !rep.Stored || rep.Taken != 10 || len(rep.Refused) != 0 {
		t.Fatalf("import: %d %+v", rec.Code, rep)
	}
	for _, c := range rep.Created {
		if c.OriginalCreator == "" || len(c.Notes) != 0 {
			t.Errorf("item %d: creator %q, notes %v", c.Index, c.OriginalCreator, c.Notes)
		}
	}
	again := ldItems(t, exportLD(t, b.member, "/export.jsonld"))
	want, got := canonical(exported), canonical(again)
	if strings.Join(want, "\n") != strings.Join(got, "\n") {
		t.Fatalf("round trip differs:\nwant\n%s\ngot\n%s", strings.Join(want, "\n"), strings.Join(got, "\n"))
	}
	// Imported annotations are the importer's, wherever they came from.
	for _, it := range again {
		if name := it["creator"].(map[string]any)["name"]; name != "Member" {
			t.Errorf("creator %v", name)
		}
	}
	// What was private stays private: the owner of the second instance sees
	// only the public and group ones.
	if n := len(ldItems(t, exportLD(t, b.owner, "/export.jsonld"))); n != 8 {
		t.Errorf("the owner sees %d imported annotations, want 8", n)
	}
}

func TestJSONLDExport(t *testing.T) {
	ctx := context.Background()
	w := newLDWorld(t)
	member := mustViewer(t, w.store, "member@example.org")
	owner := mustViewer(t, w.store, "owner@example.org")
	mk := func(v db.Viewer, vis, body string) int64 {
		t.Helper()
		a, err := w.store.CreateAnnotation(ctx, v, w.articleID, db.AnnotationInput{Start: -1, End: -1,
			Exact: "an estimated 100,000 North Koreans", Body: body, Visibility: vis, Group: fmt.Sprint(w.group.ID)})
		if err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	public := mk(member, "public", "public")
	shared := mk(member, "group", "shared")
	hidden := mk(member, "group", "hidden by the owner")
	private := mk(member, "private", "the member's")
	ownerPrivate := mk(owner, "private", "the owner's")
	reply, err := w.store.CreateReply(ctx, owner, shared, "a group reply")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.SetHidden(ctx, owner, hidden, true); err != nil {
		t.Fatal(err)
	}
	other, err := w.store.ArticleBySlug(ctx, cjkSlug)
	if err != nil {
		t.Fatal(err)
	}
	elsewhere, err := w.store.CreateAnnotation(ctx, member, other.ID, db.AnnotationInput{Start: 0, End: 3, Visibility: "public"})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("Document", func(t *testing.T) {
		doc := exportLD(t, w.member, "/articles/"+slug+"/export.jsonld")
		ctxList, _ := doc["@context"].([]any)
		if len(ctxList) != 2 || ctxList[0] != w3c.AnnoContext || ctxList[1].(map[string]any)["gloss"] != annoBase+"/ns#" {
			t.Errorf("@context %v", doc["@context"])
		}
		if doc["type"] != "AnnotationCollection" || doc["id"] != annoBase+"/articles/"+slug+"/export.jsonld" {
			t.Errorf("type %v id %v", doc["type"], doc["id"])
		}
		items := ldItems(t, doc)
		if got, want := ldIDs(t, items), []int64{public, shared, hidden, private, reply.ID}; !sameOrder(got, want) {
			t.Fatalf("items %v, want %v (id order: parents before replies)", got, want)
		}
		art, _ := w.store.ArticleBySlug(ctx, slug)
		target := items[0]["target"].(map[string]any)
		if target["source"] != annoBase+"/articles/"+slug || target["gloss:sourceSha256"] != art.SHA256 {
			t.Errorf("target %v, want the article's IRI and text hash %s", target, art.SHA256)
		}
		if items[1]["gloss:groupName"] != "Seminar" || items[1]["gloss:group"] != fmt.Sprintf("%s/groups/%d", annoBase, w.group.ID) {
			t.Errorf("group item %v", items[1])
		}
		if items[2]["gloss:hidden"] != true {
			t.Error("the member's hidden annotation should be exported to them marked hidden")
		}
		if items[4]["target"] != fmt.Sprintf("%s/annotations/%d", annoBase, shared) || items[4]["motivation"] != "replying" {
			t.Errorf("reply %v", items[4])
		}
		if _, ok := items[0]["@context"]; ok {
			t.Error("embedded items need no @context of their own")
		}
	})

	t.Run("Permissions", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			cl   *client
			path string
			want []int64
		}{
			{"MemberAll", w.member, "/export.jsonld", []int64{public, shared, hidden, private, reply.ID, elsewhere.ID}},
			{"OwnerAll", w.owner, "/export.jsonld", []int64{public, shared, hidden, ownerPrivate, reply.ID, elsewhere.ID}},
			{"ViewerAll", w.viewer, "/export.jsonld", []int64{public, shared, reply.ID, elsewhere.ID}},
			{"OutsiderAll", w.outsider, "/export.jsonld", []int64{public, elsewhere.ID}},
			{"AdminAll", w.admin, "/export.jsonld", []int64{public, elsewhere.ID}},
			{"AnonymousArticle", w.anonymous, "/articles/" + slug + "/export.jsonld", []int64{public}},
			{"OutsiderArticle", w.outsider, "/articles/" + slug + "/export.jsonld", []int64{public}},
			{"MemberGroup", w.member, fmt.Sprintf("/groups/%d/export.jsonld", w.group.ID), []int64{shared, hidden, reply.ID}},
			{"ViewerGroup", w.viewer, fmt.Sprintf("/groups/%d/export.jsonld", w.group.ID), []int64{shared, reply.ID}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if got := ldIDs(t, ldItems(t, exportLD(t, tc.cl, tc.path))); !sameOrder(got, tc.want) {
					t.Errorf("got %v, want %v", got, tc.want)
				}
			})
		}
		for _, tc := range []struct {
			name string
			cl   *client
			path string
			want int
		}{
			{"AnonymousAll", w.anonymous, "/export.jsonld", http.StatusSeeOther},
			{"AnonymousGroup", w.anonymous, fmt.Sprintf("/groups/%d/export.jsonld", w.group.ID), http.StatusSeeOther},
			{"OutsiderGroup", w.outsider, fmt.Sprintf("/groups/%d/export.jsonld", w.group.ID), http.StatusNotFound},
			{"AdminGroup", w.admin, fmt.Sprintf("/groups/%d/export.jsonld", w.group.ID), http.StatusForbidden},
			{"UnknownArticle", w.member, "/articles/no-such-article/export.jsonld", http.StatusNotFound},
			{"UnknownGroup", w.member, "/groups/999/export.jsonld", http.StatusNotFound},
		} {
			t.Run(tc.name, func(t *testing.T) {
				rec := tc.cl.get(tc.path)
				if rec.Code != tc.want {
					t.Fatalf("status %d, want %d", rec.Code, tc.want)
				}
				if strings.Contains(rec.Body.String(), "the owner's") || strings.Contains(rec.Body.String(), "the member's") {
					t.Error("a private annotation leaked into an error")
				}
			})
		}
	})
}

// ldDoc is one annotation on the seed article, in the Data Model.
func ldDoc(id, source, exact, extra string) string {
	return `{"id": "` + id + `", "type": "Annotation", "motivation": "commenting",
		"body": {"type": "TextualBody", "value": "imported", "format": "text/markdown"},
		"target": {"source": "` + source + `", "selector": {"type": "TextQuoteSelector", "exact": ` + jsonString(exact) + `}}` + extra + `}`
}

// ldReply is a reply in the Data Model.
func ldReply(id, parent, body string) string {
	return `{"id": "` + id + `", "type": "Annotation", "motivation": "replying",
		"body": {"type": "TextualBody", "value": ` + jsonString(body) + `}, "target": "` + parent + `"}`
}

const (
	ldSource = "https://elsewhere.example/articles/" + slug // any host: the path names the article
	ldQuote  = "an estimated 100,000 North Koreans"
)

// ldCollection wraps items as an export does.
func ldCollection(items ...string) string {
	return `{"@context": ["http://www.w3.org/ns/anno.jsonld", {"gloss": "https://elsewhere.example/ns#"}],
		"type": "AnnotationCollection", "total": ` + fmt.Sprint(len(items)) + `,
		"first": {"type": "AnnotationPage", "items": [` + strings.Join(items, ",") + `]}}`
}

// count is how many annotations the member may see, on every article.
func (w *ldWorld) count(t *testing.T) int {
	t.Helper()
	_, n, err := w.store.AnnotationsPage(context.Background(), mustViewer(t, w.store, "member@example.org"), 0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestJSONLDImport(t *testing.T) {
	w := newLDWorld(t)
	const member = "member@example.org"
	good := ldDoc("https://elsewhere.example/annotations/1", ldSource, ldQuote, `, "gloss:visibility": "public"`)

	t.Run("RequestErrors", func(t *testing.T) {
		before := w.count(t)
		wantError(t, call(t, w.e, "POST", "/import/annotations", good), http.StatusUnauthorized, "sign in")
		wantError(t, call(t, w.e, "POST", "/import/annotations", "{not json", "Authorization", w.tokens[member]),
			http.StatusBadRequest, "not well-formed JSON")
		wantError(t, call(t, w.e, "POST", "/import/annotations", good, "Authorization", w.tokens[member], "Content-Type", "text/plain"),
			http.StatusUnsupportedMediaType, "application/ld+json")
		big := `{"type": "Annotation", "x": "` + strings.Repeat("a", 10<<20) + `"}`
		wantError(t, call(t, w.e, "POST", "/import/annotations", big, "Authorization", w.tokens[member]),
			http.StatusRequestEntityTooLarge, "10 MiB")
		wantError(t, call(t, w.e, "POST", "/import/annotations", `{"type": "Note"}`, "Authorization", w.tokens[member]),
			http.StatusUnprocessableEntity, "AnnotationCollection, an AnnotationPage")
		wantError(t, call(t, w.e, "POST", "/import/annotations", `{"type": "AnnotationCollection", "first": "https://x.example/c?page=0"}`, "Authorization", w.tokens[member]),
			http.StatusUnprocessableEntity, "does not embed its items")
		wantError(t, call(t, w.e, "POST", "/import/annotations", `[]`, "Authorization", w.tokens[member]),
			http.StatusUnprocessableEntity, "no annotations")
		wantError(t, call(t, w.e, "POST", "/import/annotations?visibility=group&group="+fmt.Sprint(w.group.ID), good, "Authorization", w.tokens["viewer@example.org"]),
			http.StatusForbidden, "role is viewer")
		wantError(t, call(t, w.e, "POST", "/import/annotations?visibility=secret", good, "Authorization", w.tokens[member]),
			http.StatusUnprocessableEntity, "not a visibility")
		if after := w.count(t); after != before {
			t.Errorf("refused requests stored %d annotations", after-before)
		}
	})

	t.Run("Shapes", func(t *testing.T) {
		for name, doc := range map[string]string{
			"Annotation": good,
			"Array":      "[" + good + "]",
			"Page":       `{"type": "AnnotationPage", "items": [` + good + `]}`,
			"Collection": ldCollection(good),
		} {
			t.Run(name, func(t *testing.T) {
				rec, rep := w.importLD(t, member, "", doc)
				if rec.Code != http.StatusOK || rep.Taken != 1 || rep.Created[0].Visibility != "public" {
					t.Fatalf("%d %+v", rec.Code, rep)
				}
			})
		}
	})

	// One file with one good item and each kind of refusal.
	unknownSelector := `{"id": "https://elsewhere.example/annotations/2", "type": "Annotation",
		"target": {"source": "` + ldSource + `", "selector": {"type": "XPathSelector", "value": "/p[1]"}}}`
	items := []string{
		good,            // 0
		unknownSelector, // 1
		ldDoc("https://elsewhere.example/annotations/3", ldSource, "words that are nowhere in the text", ""),                // 2 quote not found
		ldDoc("https://elsewhere.example/annotations/4", "https://elsewhere.example/articles/no-such-article", ldQuote, ""), // 3 unknown article
		ldReply("https://elsewhere.example/annotations/5", "https://elsewhere.example/annotations/3", "a reply to a refused parent"),
		ldReply("https://elsewhere.example/annotations/6", "https://elsewhere.example/annotations/1", "a good reply"),
		ldReply("https://elsewhere.example/annotations/7", "https://elsewhere.example/annotations/99", "a reply to nothing in the file"),
	}
	file := ldCollection(items...)
	wantReasons := map[int]string{
		1: "selector type \"XPathSelector\" is not supported",
		2: "is not in this article's text",
		3: "no article \"no-such-article\" here",
		4: "replies to item 2 (https://elsewhere.example/annotations/3), which was refused",
		6: "https://elsewhere.example/annotations/99, which is not in this file",
	}

	t.Run("AllOrNothing", func(t *testing.T) {
		before := w.count(t)
		rec, rep := w.importLD(t, member, "", file)
		if rec.Code != http.StatusUnprocessableEntity || rep.Stored || rep.Taken != 0 || rep.Ready != 2 || len(rep.Created) != 0 {
			t.Fatalf("%d %+v", rec.Code, rep)
		}
		if !strings.Contains(rep.Message, "partial=1") {
			t.Errorf("message %q", rep.Message)
		}
		for i, want := range wantReasons {
			if got := rep.refusal(i); !strings.Contains(got, want) {
				t.Errorf("item %d: reason %q, want %q", i, got, want)
			}
		}
		if len(rep.Refused) != len(wantReasons) {
			t.Errorf("refused %+v", rep.Refused)
		}
		if after := w.count(t); after != before {
			t.Errorf("an all-or-nothing import that was refused stored %d annotations", after-before)
		}
	})

	t.Run("Partial", func(t *testing.T) {
		before := w.count(t)
		rec, rep := w.importLD(t, member, "partial=1&visibility=private", file)
		if rec.Code != http.StatusOK || !rep.Stored || rep.Taken != 2 || len(rep.Refused) != len(wantReasons) {
			t.Fatalf("%d %+v", rec.Code, rep)
		}
		if rep.Created[0].Index != 0 || rep.Created[1].Index != 5 || rep.Created[0].Visibility != "private" || rep.Created[1].Visibility != "private" {
			t.Errorf("created %+v", rep.Created)
		}
		if after := w.count(t); after != before+2 {
			t.Errorf("stored %d, want 2", after-before)
		}
		var id int64
		fmt.Sscanf(rep.Created[1].ID, annoBase+"/annotations/%d", &id)
		r, err := w.store.AnnotationByID(context.Background(), mustViewer(t, w.store, member), id)
		if err != nil || r.ParentID == 0 || r.Body != "a good reply" {
			t.Errorf("the reply was stored as %+v (%v)", r, err)
		}
	})

	t.Run("KeepVisibility", func(t *testing.T) {
		group := fmt.Sprintf(`, "gloss:visibility": "group", "gloss:group": "%s/groups/%d"`, annoBase, w.group.ID)
		foreign := `, "gloss:visibility": "group", "gloss:group": "https://elsewhere.example/groups/1"`
		renamed := group + `, "gloss:groupName": "Another seminar"`
		doc := "[" + strings.Join([]string{
			ldDoc("a:1", ldSource, ldQuote, group),
			ldDoc("a:2", ldSource, ldQuote, foreign),
			ldDoc("a:3", ldSource, ldQuote, renamed),
			ldDoc("a:4", ldSource, ldQuote, ""),
		}, ",") + "]"
		_, rep := w.importLD(t, member, "", doc)
		if !rep.Stored || rep.Taken != 4 {
			t.Fatalf("%+v", rep)
		}
		for i, want := range []struct{ vis, note string }{{"group", ""}, {"private", "not on this server"}, {"private", "not the file's “Another seminar”"}, {"private", ""}} {
			c := rep.Created[i]
			if c.Visibility != want.vis || (want.note == "") != (len(c.Notes) == 0) || (want.note != "" && !strings.Contains(c.Notes[0], want.note)) {
				t.Errorf("item %d: %s %v, want %s %q", i, c.Visibility, c.Notes, want.vis, want.note)
			}
		}
		// A viewer of the group may not share into it: kept private.
		_, rep = w.importLD(t, "viewer@example.org", "", "["+ldDoc("a:1", ldSource, ldQuote, group)+"]")
		if rep.Taken != 1 || rep.Created[0].Visibility != "private" || len(rep.Created[0].Notes) == 0 {
			t.Errorf("viewer: %+v", rep)
		}
	})

	t.Run("TextChanged", func(t *testing.T) {
		doc := `{"type": "Annotation", "target": {"source": "` + ldSource + `", "gloss:sourceSha256": "` + strings.Repeat("0", 64) + `",
			"selector": [{"type": "TextQuoteSelector", "exact": "` + ldQuote + `"}, {"type": "TextPositionSelector", "start": 0, "end": 34}]}}`
		_, rep := w.importLD(t, member, "", doc)
		if rep.Taken != 1 || len(rep.Created[0].Notes) != 1 || !strings.Contains(rep.Created[0].Notes[0], "anchored by the quote") {
			t.Fatalf("%+v", rep)
		}
		var id int64
		fmt.Sscanf(rep.Created[0].ID, annoBase+"/annotations/%d", &id)
		a, _ := w.store.AnnotationByID(context.Background(), mustViewer(t, w.store, member), id)
		if a.Selector.Exact != ldQuote || a.Selector.Start == 0 {
			t.Errorf("anchored at %+v, want the quote, not the stale position", a.Selector)
		}
	})
}

// ldUpload posts the import form with a file, as a browser would.
func ldUpload(t *testing.T, cl *client, fields url.Values, name string, data []byte) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(data)
	}
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, origin+"/import/annotations", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", origin)
	req.RemoteAddr = cl.ip + ":50000"
	u, _ := url.Parse(origin)
	for _, c := range cl.jar.Cookies(u) {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	cl.e.ServeHTTP(rec, req)
	return rec
}

func TestJSONLDImportPage(t *testing.T) {
	w := newLDWorld(t)
	if rec := w.anonymous.get("/import/annotations"); rec.Code != http.StatusSeeOther {
		t.Errorf("anonymous: %d", rec.Code)
	}
	doc := parse(t, w.member.get("/import/annotations"))
	if doc.Find(`[data-testid="import-annotations-form"] input[type=file][name=file]`).Length() != 1 {
		t.Fatal("no upload form")
	}
	if got := doc.Find(`#f-visibility option[selected]`).AttrOr("value", ""); got != "keep" {
		t.Errorf("default visibility %q", got)
	}
	if doc.Find(`[data-testid="jsonld-exports"] a[href="/groups/`+fmt.Sprint(w.group.ID)+`/export.jsonld"]`).Length() != 1 {
		t.Error("the member's group export is not offered")
	}

	good := ldDoc("x:1", ldSource, ldQuote, `, "creator": {"id": "https://elsewhere.example/users/7", "name": "Ada"}`)
	bad := ldDoc("x:2", ldSource, "nowhere in the text at all", "")
	file := []byte("[" + good + "," + bad + "]")

	rec := ldUpload(t, w.member, url.Values{"visibility": {"private"}}, "gloss.jsonld", file)
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("all or nothing: %d", rec.Code)
	}
	page := parse(t, rec)
	if s := page.Find(`[data-testid="import-summary"]`).Text(); !strings.Contains(s, "Nothing was imported") {
		t.Errorf("summary %q", s)
	}
	if s := page.Find(`[data-testid="import-refused"]`).Text(); !strings.Contains(s, "Item 1") || !strings.Contains(s, "is not in this article's text") {
		t.Errorf("refused %q", s)
	}

	rec = ldUpload(t, w.member, url.Values{"visibility": {"private"}, "partial": {"1"}}, "gloss.jsonld", file)
	if rec.Code != http.StatusOK {
		t.Fatalf("partial: %d", rec.Code)
	}
	page = parse(t, rec)
	if s := page.Find(`[data-testid="import-summary"]`).Text(); !strings.Contains(s, "Imported 1 annotation of 2") {
		t.Errorf("summary %q", s)
	}
	if s := page.Find(`[data-testid="import-created"]`).Text(); !strings.Contains(s, "originally by Ada <https://elsewhere.example/users/7>") || !strings.Contains(s, "Only you") {
		t.Errorf("created %q", s)
	}
	if page.Find(`#f-partial[checked]`).Length() != 1 {
		t.Error("the form forgot the partial choice")
	}

	for name, tc := range map[string]struct {
		file []byte
		want int
		msg  string
	}{
		"Malformed": {[]byte("{oops"), http.StatusBadRequest, "not well-formed JSON"},
		"TooLarge":  {bytes.Repeat([]byte(" "), 10<<20+1), http.StatusRequestEntityTooLarge, "larger than 10 MiB"},
		"NoFile":    {nil, http.StatusUnprocessableEntity, "Choose a JSON-LD file"},
	} {
		t.Run(name, func(t *testing.T) {
			fname := "gloss.jsonld"
			if tc.file == nil {
				fname = ""
			}
			rec := ldUpload(t, w.member, url.Values{"visibility": {"keep"}}, fname, tc.file)
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d", rec.Code, tc.want)
			}
			if s := parse(t, rec).Find(`[data-testid="form-error"]`).Text(); !strings.Contains(s, tc.msg) {
				t.Errorf("error %q, want %q", s, tc.msg)
			}
		})
	}
}

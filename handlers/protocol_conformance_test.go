package handlers_test

// The Web Annotation Protocol and Data Model points of issue 15 (findings
// 14 and 17 to 22): what a conformance run found, each decided and tested.

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gloss/db"
)

// TestPerPageRefusedBothEnds (finding 14): per_page beyond what a page
// holds is refused as per_page=0 is, with one message, not clamped.
func TestPerPageRefusedBothEnds(t *testing.T) {
	w := newProtocolWorld(t)
	for _, n := range []string{"0", "1001", "99999", "-1", "x"} {
		wantError(t, call(t, w.e, http.MethodGet, "/annotations/?per_page="+n, ""), http.StatusBadRequest, "per_page must be a whole number from 1 to 1000")
		wantError(t, call(t, w.e, http.MethodGet, "/annotations/?page=0&per_page="+n, ""), http.StatusBadRequest, "from 1 to 1000")
	}
	if rec := call(t, w.e, http.MethodGet, "/annotations/?per_page=1000", ""); rec.Code != http.StatusOK {
		t.Errorf("per_page=1000: %d", rec.Code)
	}
}

// TestProtocolKeepsCanonicalAndVia (finding 17): a POSTed annotation keeps
// its canonical IRI (a MUST) and the id the client gave it as via (a
// SHOULD); a reply too; neither changes on PUT, and a PUT that would change
// canonical is refused.
func TestProtocolKeepsCanonicalAndVia(t *testing.T) {
	w := newProtocolWorld(t)
	member := w.auth("member@example.org")
	const canon, theirs = "urn:uuid:7d6b1c2e-5f0e-4a53-9a55-2c8f6f0f9e11", "https://elsewhere.example/annotations/42"
	doc := quoteDoc("/articles/"+slug, w.quote, `"id":"`+theirs+`","canonical":"`+canon+`","gloss:visibility":"public"`)
	rec := call(t, w.e, http.MethodPost, "/annotations/", doc, member...)
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	a := decode(t, rec)
	loc := rec.Header().Get("Location")
	if a["canonical"] != canon || a["via"] != theirs || a["id"] != loc || loc == theirs {
		t.Errorf("created %v (Location %s)", a, loc)
	}
	path := strings.TrimPrefix(loc, annoBase)
	got := call(t, w.e, http.MethodGet, path, "")
	if g := decode(t, got); g["canonical"] != canon || g["via"] != theirs {
		t.Errorf("GET lost them: %v", g)
	}
	// A PUT of what GET gave keeps both; one with another canonical is refused.
	etag := got.Header().Get("ETag")
	put := func(canonical string) *httpResult {
		extra := `"gloss:visibility":"public","bodyValue":"edited"`
		if canonical != "" {
			extra += `,"canonical":"` + canonical + `"`
		}
		r := call(t, w.e, http.MethodPut, path, quoteDoc("/articles/"+slug, w.quote, extra), append(member, "If-Match", etag)...)
		return &httpResult{r.Code, r.Body.String(), r.Header().Get("ETag")}
	}
	if r := put("urn:uuid:00000000-0000-4000-8000-000000000000"); r.code != http.StatusConflict || !strings.Contains(r.body, "canonical") {
		t.Errorf("changing canonical: %d %s", r.code, r.body)
	}
	r := put("")
	if r.code != http.StatusOK || !strings.Contains(r.body, canon) || !strings.Contains(r.body, theirs) {
		t.Errorf("a PUT without canonical: %d %s", r.code, r.body)
	}
	// A reply keeps its own.
	reply := fmt.Sprintf(`{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Annotation","id":"https://elsewhere.example/r/1","canonical":"urn:x-test:reply-1","bodyValue":"yes","target":"%s"}`, loc)
	rec = call(t, w.e, http.MethodPost, "/annotations/", reply, member...)
	if rr := decode(t, rec); rec.Code != http.StatusCreated || rr["canonical"] != "urn:x-test:reply-1" || rr["via"] != "https://elsewhere.example/r/1" {
		t.Errorf("reply: %d %v", rec.Code, rr)
	}
	// They are in the exports too, and a canonical that is no IRI is refused.
	if body := w.member.get("/export.jsonld").Body.String(); !strings.Contains(body, canon) {
		t.Error("the export lost canonical")
	}
	wantError(t, call(t, w.e, http.MethodPost, "/annotations/", quoteDoc("/articles/"+slug, w.quote, `"canonical":"not an iri"`), member...), http.StatusUnprocessableEntity, "canonical")
}

type httpResult struct {
	code       int
	body, etag string
}

// gunzip reads a gzip body.
func gunzip(t testing.TB, body io.Reader) string {
	t.Helper()
	zr, err := gzip.NewReader(body)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestProtocolRepresentationETags (finding 18): the gzip and identity
// bodies, and the application/json and application/ld+json ones, each have
// their own strong ETag; answers say Vary: Accept-Encoding; a conditional
// GET matches the representation the client holds, and If-Match any
// representation of the current version.
func TestProtocolRepresentationETags(t *testing.T) {
	w := newProtocolWorld(t)
	member := w.auth("member@example.org")
	long := strings.Repeat("A long comment, so that the answer is compressed. ", 60)
	rec := call(t, w.e, http.MethodPost, "/annotations/", quoteDoc("/articles/"+slug, w.quote, `"bodyValue":"`+long+`","gloss:visibility":"public"`), member...)
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d", rec.Code)
	}
	path := strings.TrimPrefix(rec.Header().Get("Location"), annoBase)
	for _, p := range []string{path, "/annotations/", "/annotations/?page=0", "/articles/" + slug + "/annotations/"} {
		plain := call(t, w.e, http.MethodGet, p, "")
		zipped := call(t, w.e, http.MethodGet, p, "", "Accept-Encoding", "gzip")
		asJSON := call(t, w.e, http.MethodGet, p, "", "Accept", "application/json")
		if zipped.Header().Get("Content-Encoding") != "gzip" {
			t.Fatalf("%s: not compressed", p)
		}
		if gunzip(t, zipped.Body) != plain.Body.String() {
			t.Fatalf("%s: the gzip body is not the identity one", p)
		}
		tags := map[string]string{"identity": plain.Header().Get("ETag"), "gzip": zipped.Header().Get("ETag"), "json": asJSON.Header().Get("ETag")}
		seen := map[string]string{}
		for name, tag := range tags {
			if !strings.HasPrefix(tag, `"`) {
				t.Errorf("%s: the %s ETag %q is not strong", p, name, tag)
			}
			if other, dup := seen[tag]; dup {
				t.Errorf("%s: the %s and %s representations share the ETag %s", p, name, other, tag)
			}
			seen[tag] = name
		}
		for _, r := range []*struct {
			name string
			vary string
		}{{"identity", plain.Header().Get("Vary")}, {"gzip", zipped.Header().Get("Vary")}, {"json", asJSON.Header().Get("Vary")}} {
			if !strings.Contains(r.vary, "Accept-Encoding") || !strings.Contains(r.vary, "Accept") {
				t.Errorf("%s, %s: Vary %q", p, r.name, r.vary)
			}
		}
		// A client revalidates the copy it holds.
		if r := call(t, w.e, http.MethodGet, p, "", "Accept-Encoding", "gzip", "If-None-Match", tags["gzip"]); r.Code != http.StatusNotModified {
			t.Errorf("%s: If-None-Match with the gzip ETag: %d", p, r.Code)
		}
		if r := call(t, w.e, http.MethodGet, p, "", "If-None-Match", tags["identity"]); r.Code != http.StatusNotModified {
			t.Errorf("%s: If-None-Match with the identity ETag: %d", p, r.Code)
		}
		if r := call(t, w.e, http.MethodGet, p, "", "If-None-Match", tags["json"]); r.Code != http.StatusOK {
			t.Errorf("%s: the JSON representation's ETag matched the JSON-LD one: %d", p, r.Code)
		}
	}
	// If-Match takes any representation's tag of the current version.
	zipped := call(t, w.e, http.MethodGet, path, "", "Accept-Encoding", "gzip").Header().Get("ETag")
	doc := quoteDoc("/articles/"+slug, w.quote, `"bodyValue":"changed","gloss:visibility":"public"`)
	if r := call(t, w.e, http.MethodPut, path, doc, append(member, "If-Match", zipped)...); r.Code != http.StatusOK {
		t.Fatalf("PUT with the gzip ETag: %d %s", r.Code, r.Body)
	}
	if r := call(t, w.e, http.MethodPut, path, doc, append(member, "If-Match", zipped)...); r.Code != http.StatusPreconditionFailed {
		t.Errorf("PUT with a stale gzip ETag: %d", r.Code)
	}
}

// TestProtocolRefusalsCarryContainerHeaders (finding 19): whatever refuses
// a POST to a container (no token, too large, wrong type, a bad document,
// the site's body limit), the answer still has the container's Link with
// constrainedBy, Allow and Accept-Post.
func TestProtocolRefusalsCarryContainerHeaders(t *testing.T) {
	w := newProtocolWorld(t)
	member := w.auth("member@example.org")
	huge := quoteDoc("/articles/"+slug, w.quote, `"bodyValue":"`+strings.Repeat("x", 5<<20)+`"`)
	for _, tc := range []struct {
		name   string
		path   string
		body   string
		header []string
		status int
	}{
		{"Unauthorized", "/annotations/", quoteDoc("/articles/"+slug, w.quote, ""), nil, http.StatusUnauthorized},
		{"ForgedToken", "/annotations/", quoteDoc("/articles/"+slug, w.quote, ""), []string{"Authorization", "Bearer gls_forged"}, http.StatusUnauthorized},
		{"TooLarge", "/annotations/", quoteDoc("/articles/"+slug, w.quote, `"bodyValue":"`+strings.Repeat("x", 1<<20)+`"`), member, http.StatusRequestEntityTooLarge},
		{"OverTheSiteLimit", "/articles/" + slug + "/annotations/", huge, member, http.StatusRequestEntityTooLarge},
		{"UnsupportedType", "/annotations/", "exact=x", append(append([]string{}, member...), "Content-Type", "text/plain"), http.StatusUnsupportedMediaType},
		{"Unprocessable", "/annotations/", quoteDoc("/articles/"+slug, "not in the article", ""), member, http.StatusUnprocessableEntity},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := call(t, w.e, http.MethodPost, tc.path, tc.body, tc.header...)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d", rec.Code, tc.status)
			}
			h := rec.Header()
			if links := strings.Join(h.Values("Link"), ", "); !strings.Contains(links, `rel="http://www.w3.org/ns/ldp#constrainedBy"`) || !strings.Contains(links, "ldp#BasicContainer") {
				t.Errorf("Link %q", links)
			}
			if h.Get("Allow") != "GET, HEAD, OPTIONS, POST" || !strings.Contains(h.Get("Accept-Post"), "application/ld+json") {
				t.Errorf("Allow %q, Accept-Post %q", h.Get("Allow"), h.Get("Accept-Post"))
			}
		})
	}
}

// TestProtocolTooLargeSaysOneMiB (finding 20): a body over the protocol's
// 1 MiB is refused with the protocol's limit, not the site's 4 MiB.
func TestProtocolTooLargeSaysOneMiB(t *testing.T) {
	w := newProtocolWorld(t)
	member := w.auth("member@example.org")
	for _, size := range []int{1<<20 + 10, 5 << 20} {
		body := quoteDoc("/articles/"+slug, w.quote, `"bodyValue":"`+strings.Repeat("x", size)+`"`)
		rec := call(t, w.e, http.MethodPost, "/annotations/", body, member...)
		wantError(t, rec, http.StatusRequestEntityTooLarge, "at most 1 MiB")
		if strings.Contains(rec.Body.String(), "4 MiB") {
			t.Errorf("a %d-byte annotation is told the limit is 4 MiB", size)
		}
	}
}

// TestSelectorsNormalisedToNFC (finding 21): a quote, prefix or suffix
// sent decomposed (NFD) finds the stored NFC text, by protocol and by form.
func TestSelectorsNormalisedToNFC(t *testing.T) {
	w := newProtocolWorld(t)
	ctx := context.Background()
	text := "Un café au lait, s’il vous plaît. Le café ferme tôt."
	if _, err := w.store.ImportArticle(ctx, db.ArticleInput{Slug: "cafe", Title: "Café", Body: text}); err != nil {
		t.Fatal(err)
	}
	second := len([]rune(text[:strings.LastIndex(text, "café")]))
	doc := `{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Annotation","gloss:visibility":"public",` +
		`"target":{"source":"/articles/cafe","selector":{"type":"TextQuoteSelector","exact":"cafe\u0301","prefix":"plai\u0302t. Le ","suffix":" ferme to\u0302t"}}}`
	rec := call(t, w.e, http.MethodPost, "/annotations/", doc, w.auth("member@example.org")...)
	if rec.Code != http.StatusCreated {
		t.Fatalf("an NFD quote: %d %s", rec.Code, rec.Body)
	}
	sels := decode(t, rec)["target"].(map[string]any)["selector"].([]any)
	if q, p := sels[0].(map[string]any), sels[1].(map[string]any); q["exact"] != "café" || int(p["start"].(float64)) != second {
		t.Errorf("anchored at %v %v, want the second café at %d", q, p, second)
	}
	form := w.member.post("/articles/cafe/annotations", url.Values{"exact": {"cafe\u0301 au lait"}, "visibility": {"private"}})
	if form.Code != http.StatusSeeOther {
		t.Errorf("an NFD quote in the form: %d", form.Code)
	}
}

// TestContextAndFormatDecisions (finding 22): a document sent as JSON-LD
// must carry its @context (422 without); plain JSON is read as Web
// Annotation JSON. A body without a format is Markdown (it comes back as
// text/markdown, unchanged); a text/plain body is kept so it reads as
// sent: escaped into Markdown, shown literally.
func TestContextAndFormatDecisions(t *testing.T) {
	w := newProtocolWorld(t)
	member := w.auth("member@example.org")
	bare := `{"type":"Annotation","gloss:visibility":"public","target":{"source":"/articles/` + slug + `","selector":{"type":"TextQuoteSelector","exact":"` + w.quote + `"}}`
	wantError(t, call(t, w.e, http.MethodPost, "/annotations/", bare+`}`, member...), http.StatusUnprocessableEntity, "@context")
	if rec := call(t, w.e, http.MethodPost, "/annotations/", bare+`}`, append(member, "Content-Type", "application/json")...); rec.Code != http.StatusCreated {
		t.Errorf("plain JSON without @context: %d %s", rec.Code, rec.Body)
	}
	noFormat := call(t, w.e, http.MethodPost, "/annotations/", quoteDoc("/articles/"+slug, w.quote, `"body":{"type":"TextualBody","value":"Which *estimate*?"},"gloss:visibility":"public"`), member...)
	if b := decode(t, noFormat)["body"].([]any)[0].(map[string]any); b["format"] != "text/markdown" || b["value"] != "Which *estimate*?" {
		t.Errorf("a body without a format: %v", b)
	}
	plain := call(t, w.e, http.MethodPost, "/annotations/", quoteDoc("/articles/"+slug, w.quote, `"body":{"type":"TextualBody","value":"*not* emphasis <b>nor bold</b>","format":"text/plain"},"gloss:visibility":"public"`), member...)
	if plain.Code != http.StatusCreated {
		t.Fatalf("text/plain: %d %s", plain.Code, plain.Body)
	}
	b := decode(t, plain)["body"].([]any)[0].(map[string]any)
	if b["format"] != "text/markdown" || !strings.Contains(b["value"].(string), `\*not\*`) {
		t.Errorf("a text/plain body came back as %v", b)
	}
	page := w.anonymous.get("/articles/" + slug).Body.String()
	if !strings.Contains(page, "*not* emphasis &lt;b&gt;nor bold&lt;/b&gt;") || strings.Contains(page, "<em>not</em> emphasis") {
		t.Error("the text/plain comment does not read as sent")
	}
}

package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"gloss/db"
)

const (
	annoMedia = `application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"`
	annoBase  = "http://gloss.test"
)

// call sends one API request, as a script would (no cookies, no browser
// headers), with header name/value pairs.
func call(t testing.TB, e *echo.Echo, method, path, body string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, annoBase+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", annoMedia)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

func decode(t testing.TB, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("status %d, body not JSON: %v\n%s", rec.Code, err, rec.Body)
	}
	return m
}

// wantError checks a precise JSON error.
func wantError(t testing.TB, rec *httptest.ResponseRecorder, status int, msg string) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d\n%s", rec.Code, status, rec.Body)
	}
	var e struct {
		Error struct {
			Status  int
			Message string
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error.Status != status {
		t.Fatalf("not a JSON error: %s", rec.Body)
	}
	if !strings.Contains(e.Error.Message, msg) {
		t.Errorf("message %q, want it to mention %q", e.Error.Message, msg)
	}
}

// protocolWorld is the annotation world with API tokens and a few
// annotations of each visibility written by the member.
type protocolWorld struct {
	*annotationWorld
	tokens                                map[string]string // email -> "Bearer gls_..."
	private, shared, public, reply, other int64
	quote                                 string
}

func newProtocolWorld(t *testing.T) *protocolWorld {
	t.Helper()
	ctx := context.Background()
	w := &protocolWorld{annotationWorld: newAnnotationWorld(t), tokens: map[string]string{}}
	for _, email := range []string{"owner@example.org", "member@example.org", "viewer@example.org", "outsider@example.org"} {
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
	member := mustViewer(t, w.store, "member@example.org")
	owner := mustViewer(t, w.store, "owner@example.org")
	w.quote = "an estimated 100,000 North Koreans"
	mk := func(v db.Viewer, articleID int64, vis, body, tags string) int64 {
		a, err := w.store.CreateAnnotation(ctx, v, articleID, db.AnnotationInput{Start: -1, End: -1, Exact: w.quote,
			Body: body, Tags: tags, Visibility: vis, Group: fmt.Sprint(w.group.ID)})
		if err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	w.private = mk(member, w.articleID, "private", "my own thought", "")
	w.shared = mk(member, w.articleID, "group", "for the seminar", "figures, seminar")
	w.public = mk(member, w.articleID, "public", "", "")
	r, err := w.store.CreateReply(ctx, owner, w.public, "a public reply")
	if err != nil {
		t.Fatal(err)
	}
	w.reply = r.ID
	other, err := w.store.ArticleBySlug(ctx, "help-the-refugees-who-reach-china")
	if err != nil {
		t.Fatal(err)
	}
	a, err := w.store.CreateAnnotation(ctx, member, other.ID, db.AnnotationInput{Start: 0, End: 4, Visibility: "public"})
	if err != nil {
		t.Fatal(err)
	}
	w.other = a.ID
	return w
}

func (w *protocolWorld) auth(email string) []string {
	return []string{"Authorization", w.tokens[email]}
}

// itemIDs lists the annotation ids in a page's items (IRIs or descriptions).
func itemIDs(t testing.TB, page map[string]any) []int64 {
	t.Helper()
	var out []int64
	items, ok := page["items"].([]any)
	if !ok {
		t.Fatalf("no items in %v", page)
	}
	for _, it := range items {
		iri, ok := it.(string)
		if !ok {
			iri, _ = it.(map[string]any)["id"].(string)
		}
		var id int64
		if _, err := fmt.Sscanf(iri, annoBase+"/annotations/%d", &id); err != nil {
			t.Fatalf("item %v", it)
		}
		out = append(out, id)
	}
	return out
}

func sameOrder(a, b []int64) bool { return fmt.Sprint(a) == fmt.Sprint(b) }

func TestProtocolContainer(t *testing.T) {
	w := newProtocolWorld(t)
	member := w.auth("member@example.org")
	t.Run("Headers", func(t *testing.T) {
		rec := call(t, w.e, http.MethodGet, "/annotations/", "")
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != annoMedia {
			t.Fatalf("status %d, type %q", rec.Code, rec.Header().Get("Content-Type"))
		}
		links := strings.Join(rec.Header().Values("Link"), ", ")
		for _, want := range []string{`<http://www.w3.org/ns/ldp#BasicContainer>; rel="type"`,
			`<http://www.w3.org/TR/annotation-protocol/>; rel="http://www.w3.org/ns/ldp#constrainedBy"`} {
			if !strings.Contains(links, want) {
				t.Errorf("Link %q lacks %s", links, want)
			}
		}
		h := rec.Header()
		if !strings.Contains(h.Get("Allow"), "POST") || !strings.Contains(h.Get("Accept-Post"), "application/ld+json") ||
			!strings.Contains(h.Get("Vary"), "Accept") || !strings.HasPrefix(h.Get("ETag"), `"`) ||
			h.Get("Content-Location") != annoBase+"/annotations/" {
			t.Errorf("headers %v", h)
		}
	})
	t.Run("AnonymousSeesPublicOnly", func(t *testing.T) {
		col := decode(t, call(t, w.e, http.MethodGet, "/annotations/", ""))
		if col["total"] != 3.0 || col["id"] != annoBase+"/annotations/" || col["label"] == "" {
			t.Errorf("collection %v", col)
		}
		if types := fmt.Sprint(col["type"]); types != "[BasicContainer AnnotationCollection]" {
			t.Errorf("type %s", types)
		}
		first := col["first"].(map[string]any)
		if got := itemIDs(t, first); !sameOrder(got, []int64{w.public, w.reply, w.other}) {
			t.Errorf("anonymous items %v", got)
		}
		if first["id"] != annoBase+"/annotations/?page=0" || col["last"] != annoBase+"/annotations/?page=0" {
			t.Errorf("first %v last %v", first["id"], col["last"])
		}
	})
	t.Run("Visibility", func(t *testing.T) {
		for _, tc := range []struct {
			who  string
			path string
			want []int64
		}{
			{"member@example.org", "/annotations/", []int64{w.private, w.shared, w.public, w.reply, w.other}},
			{"owner@example.org", "/annotations/", []int64{w.shared, w.public, w.reply, w.other}},
			{"viewer@example.org", "/articles/" + slug + "/annotations/", []int64{w.shared, w.public, w.reply}},
			{"outsider@example.org", "/annotations/", []int64{w.public, w.reply, w.other}},
			{"outsider@example.org", "/articles/" + slug + "/annotations/", []int64{w.public, w.reply}},
			{"", "/articles/" + slug + "/annotations/", []int64{w.public, w.reply}},
		} {
			col := decode(t, call(t, w.e, http.MethodGet, tc.path, "", w.auth(tc.who)...))
			got := itemIDs(t, col["first"].(map[string]any))
			if !sameOrder(got, tc.want) || col["total"] != float64(len(tc.want)) {
				t.Errorf("%s on %s: total %v items %v, want %v", tc.who, tc.path, col["total"], got, tc.want)
			}
			// What one may not see is in no page and no count.
			body := call(t, w.e, http.MethodGet, tc.path+"?page=0&iris=1", "", w.auth(tc.who)...).Body.String()
			for _, hidden := range []int64{w.private, w.shared} {
				if !contains64(tc.want, hidden) && strings.Contains(body, fmt.Sprintf("/annotations/%d\"", hidden)) {
					t.Errorf("%s sees %d in a page", tc.who, hidden)
				}
			}
		}
	})
	t.Run("ArticleContainer", func(t *testing.T) {
		rec := call(t, w.e, http.MethodGet, "/articles/"+slug+"/annotations/", "", member...)
		col := decode(t, rec)
		if col["id"] != annoBase+"/articles/"+slug+"/annotations/" || !strings.Contains(col["label"].(string), "NK Defectors") {
			t.Errorf("collection %v", col)
		}
		wantError(t, call(t, w.e, http.MethodGet, "/articles/nope/annotations/", ""), http.StatusNotFound, "nope")
	})
	t.Run("Paging", func(t *testing.T) {
		col := decode(t, call(t, w.e, http.MethodGet, "/annotations/?per_page=2", "", member...))
		if col["total"] != 5.0 || col["last"] != annoBase+"/annotations/?page=2&per_page=2" {
			t.Errorf("collection %v", col)
		}
		first := col["first"].(map[string]any)
		if first["next"] != annoBase+"/annotations/?page=1&per_page=2" || first["prev"] != nil || first["startIndex"] != 0.0 {
			t.Errorf("first %v", first)
		}
		rec := call(t, w.e, http.MethodGet, "/annotations/?page=1&per_page=2", "", member...)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != annoMedia || rec.Header().Get("ETag") == "" {
			t.Fatalf("page: %d %v", rec.Code, rec.Header())
		}
		page := decode(t, rec)
		partOf := page["partOf"].(map[string]any)
		if page["type"] != "AnnotationPage" || page["id"] != annoBase+"/annotations/?page=1&per_page=2" ||
			page["startIndex"] != 2.0 || page["prev"] != annoBase+"/annotations/?page=0&per_page=2" ||
			page["next"] != annoBase+"/annotations/?page=2&per_page=2" ||
			partOf["id"] != annoBase+"/annotations/?per_page=2" || partOf["total"] != 5.0 || page["@context"] == nil {
			t.Errorf("page %v", page)
		}
		if got := itemIDs(t, page); !sameOrder(got, []int64{w.public, w.reply}) {
			t.Errorf("page 1 items %v", got)
		}
		last := decode(t, call(t, w.e, http.MethodGet, "/annotations/?page=2&per_page=2", "", member...))
		if last["next"] != nil || !sameOrder(itemIDs(t, last), []int64{w.other}) {
			t.Errorf("last page %v", last)
		}
		// Every page's descriptions carry what the container's did.
		item := page["items"].([]any)[0].(map[string]any)
		if item["type"] != "Annotation" || item["@context"] != nil || item["target"] == nil {
			t.Errorf("embedded item %v", item)
		}
		wantError(t, call(t, w.e, http.MethodGet, "/annotations/?page=3&per_page=2", "", member...), http.StatusNotFound, "last page is 2")
		wantError(t, call(t, w.e, http.MethodGet, "/annotations/?page=-1", ""), http.StatusBadRequest, "page")
		wantError(t, call(t, w.e, http.MethodGet, "/annotations/?page=x", ""), http.StatusBadRequest, "page")
		wantError(t, call(t, w.e, http.MethodGet, "/annotations/?per_page=0", ""), http.StatusBadRequest, "per_page")
		// More than a page holds is refused like too few, not clamped
		// (issue 15, finding 14).
		wantError(t, call(t, w.e, http.MethodGet, "/annotations/?per_page=99999", ""), http.StatusBadRequest, "from 1 to 1000")
		// An empty container still has a (empty) first page.
		empty := decode(t, call(t, w.e, http.MethodGet, "/articles/desperate-n-koreans-seek-asylum-in-china/annotations/?page=0", ""))
		if empty["total"] != nil || len(empty["items"].([]any)) != 0 || empty["partOf"].(map[string]any)["total"] != 0.0 {
			t.Errorf("empty page %v", empty)
		}
	})
	t.Run("Prefer", func(t *testing.T) {
		rec := call(t, w.e, http.MethodGet, "/annotations/", "", append(member, "Prefer",
			`return=representation;include="http://www.w3.org/ns/ldp#PreferMinimalContainer"`)...)
		col := decode(t, rec)
		if col["first"] != annoBase+"/annotations/?page=0" || col["total"] != 5.0 || rec.Header().Get("Preference-Applied") != "return=representation" {
			t.Errorf("minimal: %v %v", col, rec.Header())
		}
		rec = call(t, w.e, http.MethodGet, "/annotations/", "", append(member, "Prefer",
			`return=representation; include="http://www.w3.org/ns/oa#PreferContainedIRIs"`)...)
		col = decode(t, rec)
		first := col["first"].(map[string]any)
		if col["id"] != annoBase+"/annotations/?iris=1" || first["id"] != annoBase+"/annotations/?iris=1&page=0" ||
			rec.Header().Get("Content-Location") != annoBase+"/annotations/?iris=1" || rec.Header().Get("Preference-Applied") == "" {
			t.Errorf("IRIs: %v", col)
		}
		if _, ok := first["items"].([]any)[0].(string); !ok {
			t.Errorf("items are not IRIs: %v", first["items"])
		}
		rec = call(t, w.e, http.MethodGet, "/annotations/", "", append(member, "Prefer",
			`return=representation;include="http://www.w3.org/ns/ldp#PreferMinimalContainer http://www.w3.org/ns/oa#PreferContainedIRIs"`)...)
		if col := decode(t, rec); col["first"] != annoBase+"/annotations/?iris=1&page=0" || col["last"] != annoBase+"/annotations/?iris=1&page=0" {
			t.Errorf("minimal IRIs: %v", col)
		}
		rec = call(t, w.e, http.MethodGet, "/annotations/", "", append(member, "Prefer",
			`return=representation;include="http://www.w3.org/ns/oa#PreferContainedDescriptions"`)...)
		col = decode(t, rec)
		if _, ok := col["first"].(map[string]any)["items"].([]any)[0].(map[string]any); !ok || col["id"] != annoBase+"/annotations/" {
			t.Errorf("descriptions: %v", col)
		}
		if rec := call(t, w.e, http.MethodGet, "/annotations/", "", member...); rec.Header().Get("Preference-Applied") != "" {
			t.Error("Preference-Applied without a Prefer header")
		}
		page := decode(t, call(t, w.e, http.MethodGet, "/annotations/?iris=1&page=0", "", member...))
		if _, ok := page["items"].([]any)[0].(string); !ok || page["partOf"].(map[string]any)["id"] != annoBase+"/annotations/?iris=1" {
			t.Errorf("IRI page %v", page)
		}
	})
	t.Run("Negotiation", func(t *testing.T) {
		rec := call(t, w.e, http.MethodGet, "/annotations/", "", "Accept", "application/json")
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json" {
			t.Errorf("application/json: %d %q", rec.Code, rec.Header().Get("Content-Type"))
		}
		rec = call(t, w.e, http.MethodGet, "/annotations/", "", "Accept", annoMedia)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != annoMedia {
			t.Errorf("ld+json: %d %q", rec.Code, rec.Header().Get("Content-Type"))
		}
		browser := "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
		if rec := call(t, w.e, http.MethodGet, "/annotations/", "", "Accept", browser); rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != annoMedia {
			t.Errorf("browser: %d %q", rec.Code, rec.Header().Get("Content-Type"))
		}
		wantError(t, call(t, w.e, http.MethodGet, "/annotations/", "", "Accept", "text/turtle"), http.StatusNotAcceptable, "JSON-LD")
		wantError(t, call(t, w.e, http.MethodGet, "/annotations/", "", "Accept", "application/ld+json;q=0"), http.StatusNotAcceptable, "JSON-LD")
	})
	t.Run("ConditionalHeadOptions", func(t *testing.T) {
		rec := call(t, w.e, http.MethodGet, "/annotations/", "", member...)
		etag := rec.Header().Get("ETag")
		if rec := call(t, w.e, http.MethodGet, "/annotations/", "", append(member, "If-None-Match", etag)...); rec.Code != http.StatusNotModified {
			t.Errorf("If-None-Match: %d", rec.Code)
		}
		if rec := call(t, w.e, http.MethodGet, "/annotations/", "", "If-None-Match", etag); rec.Code != http.StatusOK {
			t.Errorf("another viewer's ETag matched: %d", rec.Code)
		}
		head := call(t, w.e, http.MethodHead, "/annotations/", "", member...)
		if head.Code != http.StatusOK || head.Body.Len() != 0 || head.Header().Get("ETag") != etag || head.Header().Get("Content-Type") != annoMedia {
			t.Errorf("HEAD: %d %v %q", head.Code, head.Header(), head.Body)
		}
		opt := call(t, w.e, http.MethodOptions, "/articles/"+slug+"/annotations/", "")
		if opt.Code != http.StatusOK || opt.Header().Get("Allow") != "GET, HEAD, OPTIONS, POST" || opt.Header().Get("Accept-Post") == "" || len(opt.Header().Values("Link")) != 2 {
			t.Errorf("OPTIONS: %d %v", opt.Code, opt.Header())
		}
		wantError(t, call(t, w.e, http.MethodPut, "/annotations/", "{}", member...), http.StatusMethodNotAllowed, "")
	})
}

func contains64(list []int64, x int64) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}

func TestProtocolAnnotation(t *testing.T) {
	w := newProtocolWorld(t)
	member := w.auth("member@example.org")
	t.Run("Representation", func(t *testing.T) {
		rec := call(t, w.e, http.MethodGet, fmt.Sprintf("/annotations/%d", w.shared), "", member...)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != annoMedia {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		h := rec.Header()
		if h.Get("Link") != `<http://www.w3.org/ns/ldp#Resource>; rel="type"` || h.Get("Allow") != "GET, HEAD, OPTIONS, PUT, DELETE" ||
			h.Get("Vary") != "Accept, Accept-Encoding" || !strings.HasPrefix(h.Get("ETag"), `"`) {
			t.Errorf("headers %v", h)
		}
		a := decode(t, rec)
		ctx := a["@context"].([]any)
		if ctx[0] != "http://www.w3.org/ns/anno.jsonld" || ctx[1].(map[string]any)["gloss"] != annoBase+"/ns#" {
			t.Errorf("@context %v", ctx)
		}
		if a["id"] != fmt.Sprintf("%s/annotations/%d", annoBase, w.shared) || a["type"] != "Annotation" || a["motivation"] != "commenting" ||
			a["gloss:visibility"] != "group" || a["gloss:group"] != fmt.Sprintf("%s/groups/%d", annoBase, w.group.ID) {
			t.Errorf("annotation %v", a)
		}
		creator := a["creator"].(map[string]any)
		if creator["type"] != "Person" || creator["name"] != "Member" || !strings.HasPrefix(creator["id"].(string), annoBase+"/users/") {
			t.Errorf("creator %v", creator)
		}
		if strings.Contains(rec.Body.String(), "@example.org") {
			t.Error("an email address is in the JSON-LD")
		}
		if c := a["created"].(string); len(c) != 20 || !strings.HasSuffix(c, "Z") {
			t.Errorf("created %q is not an xsd:dateTime in UTC", c)
		}
		body := a["body"].([]any)
		comment := body[0].(map[string]any)
		if len(body) != 3 || comment["value"] != "for the seminar" || comment["format"] != "text/markdown" || comment["purpose"] != "commenting" ||
			body[1].(map[string]any)["purpose"] != "tagging" || body[1].(map[string]any)["value"] != "figures" {
			t.Errorf("body %v", body)
		}
		target := a["target"].(map[string]any)
		sels := target["selector"].([]any)
		quote, pos := sels[0].(map[string]any), sels[1].(map[string]any)
		art, _ := w.store.ArticleBySlug(context.Background(), slug)
		start, end := int(pos["start"].(float64)), int(pos["end"].(float64))
		if target["source"] != annoBase+"/articles/"+slug || quote["type"] != "TextQuoteSelector" || quote["exact"] != w.quote ||
			pos["type"] != "TextPositionSelector" || string([]rune(art.Body)[start:end]) != w.quote ||
			!strings.HasSuffix(quote["prefix"].(string), string([]rune(art.Body)[start-3:start])) {
			t.Errorf("target %v", target)
		}
	})
	t.Run("ReplyAndHighlight", func(t *testing.T) {
		r := decode(t, call(t, w.e, http.MethodGet, fmt.Sprintf("/annotations/%d", w.reply), ""))
		if r["motivation"] != "replying" || r["target"] != fmt.Sprintf("%s/annotations/%d", annoBase, w.public) ||
			r["body"].([]any)[0].(map[string]any)["purpose"] != "replying" {
			t.Errorf("reply %v", r)
		}
		h := decode(t, call(t, w.e, http.MethodGet, fmt.Sprintf("/annotations/%d", w.public), ""))
		if h["motivation"] != "highlighting" || h["body"] != nil || h["gloss:visibility"] != "public" || h["gloss:group"] != nil {
			t.Errorf("highlight %v", h)
		}
	})
	t.Run("HTMLRedirectsToReader", func(t *testing.T) {
		rec := call(t, w.e, http.MethodGet, fmt.Sprintf("/annotations/%d", w.public), "", "Accept", "text/html,*/*;q=0.8")
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != fmt.Sprintf("/articles/%s?card=%d#a-%d", slug, w.public, w.public) ||
			!strings.Contains(rec.Header().Get("Vary"), "Accept") {
			t.Errorf("%d %v", rec.Code, rec.Header())
		}
		// What one may not see is not found, as a page for a browser.
		rec = call(t, w.e, http.MethodGet, fmt.Sprintf("/annotations/%d", w.private), "", "Accept", "text/html")
		if rec.Code != http.StatusNotFound || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			t.Errorf("private as HTML: %d %q", rec.Code, rec.Header().Get("Content-Type"))
		}
	})
	t.Run("NotVisible", func(t *testing.T) {
		for _, who := range []string{"", "outsider@example.org", "owner@example.org"} {
			wantError(t, call(t, w.e, http.MethodGet, fmt.Sprintf("/annotations/%d", w.private), "", w.auth(who)...), http.StatusNotFound, "no such annotation")
		}
		wantError(t, call(t, w.e, http.MethodGet, fmt.Sprintf("/annotations/%d", w.shared), "", w.auth("outsider@example.org")...), http.StatusNotFound, "no such annotation")
		if rec := call(t, w.e, http.MethodGet, fmt.Sprintf("/annotations/%d", w.shared), "", w.auth("viewer@example.org")...); rec.Code != http.StatusOK {
			t.Errorf("a group viewer reading a group annotation: %d", rec.Code)
		}
		wantError(t, call(t, w.e, http.MethodGet, "/annotations/999999", ""), http.StatusNotFound, "")
		wantError(t, call(t, w.e, http.MethodGet, "/annotations/abc", ""), http.StatusNotFound, "")
		wantError(t, call(t, w.e, http.MethodGet, "/annotations/1", "", "Authorization", "Bearer gls_forged"), http.StatusUnauthorized, "")
	})
	t.Run("ConditionalHeadOptions", func(t *testing.T) {
		path := fmt.Sprintf("/annotations/%d", w.public)
		etag := call(t, w.e, http.MethodGet, path, "").Header().Get("ETag")
		if rec := call(t, w.e, http.MethodGet, path, "", "If-None-Match", `W/`+etag); rec.Code != http.StatusNotModified {
			t.Errorf("If-None-Match: %d", rec.Code)
		}
		head := call(t, w.e, http.MethodHead, path, "")
		if head.Code != http.StatusOK || head.Body.Len() != 0 || head.Header().Get("ETag") != etag || head.Header().Get("Link") == "" {
			t.Errorf("HEAD %d %v", head.Code, head.Header())
		}
		if rec := call(t, w.e, http.MethodHead, fmt.Sprintf("/annotations/%d", w.private), ""); rec.Code != http.StatusNotFound || rec.Body.Len() != 0 {
			t.Errorf("HEAD private: %d", rec.Code)
		}
		opt := call(t, w.e, http.MethodOptions, path, "")
		if opt.Code != http.StatusOK || opt.Header().Get("Allow") != "GET, HEAD, OPTIONS, PUT, DELETE" {
			t.Errorf("OPTIONS %d %v", opt.Code, opt.Header())
		}
		wantError(t, call(t, w.e, http.MethodPost, path, "{}", member...), http.StatusMethodNotAllowed, "")
	})
}

// quoteDoc is a JSON-LD annotation on a passage, with extra properties.
func quoteDoc(source, exact string, extra string) string {
	target := `{"selector":{"type":"TextQuoteSelector","exact":` + jsonString(exact) + `}}`
	if source != "" {
		target = `{"source":` + jsonString(source) + `,"selector":{"type":"TextQuoteSelector","exact":` + jsonString(exact) + `}}`
	}
	doc := `{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Annotation","target":` + target
	if extra != "" {
		doc += "," + extra
	}
	return doc + "}"
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestProtocolLifecycle(t *testing.T) {
	w := newProtocolWorld(t)
	member := w.auth("member@example.org")
	doc := quoteDoc(annoBase+"/articles/"+slug, "North Koreans",
		`"motivation":"commenting","body":[{"type":"TextualBody","value":"Which *estimate*?","format":"text/markdown","purpose":"commenting"},{"type":"TextualBody","value":"Figures","purpose":"tagging"}],"gloss:visibility":"group","gloss:group":"`+fmt.Sprintf("%s/groups/%d", annoBase, w.group.ID)+`"`)
	// "North Koreans" occurs often: only the exact passage with context is accepted.
	wantError(t, call(t, w.e, http.MethodPost, "/annotations/", doc, member...), http.StatusUnprocessableEntity, "occurs")
	doc = strings.Replace(doc, `"exact":"North Koreans"`, `"exact":"North Koreans","prefix":"an estimated 100,000 "`, 1)
	rec := call(t, w.e, http.MethodPost, "/annotations/", doc, member...)
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	created := decode(t, rec)
	loc := rec.Header().Get("Location")
	if loc == "" || created["id"] != loc || rec.Header().Get("ETag") == "" || rec.Header().Get("Content-Type") != annoMedia ||
		rec.Header().Get("Link") != `<http://www.w3.org/ns/ldp#Resource>; rel="type"` {
		t.Fatalf("create: %v %v", rec.Header(), created)
	}
	path := strings.TrimPrefix(loc, annoBase)
	if created["gloss:visibility"] != "group" || created["motivation"] != "commenting" || len(created["body"].([]any)) != 2 ||
		created["body"].([]any)[1].(map[string]any)["value"] != "figures" {
		t.Errorf("created %v", created)
	}

	// GET gives the same ETag; group members see it, outsiders do not.
	get := call(t, w.e, http.MethodGet, path, "", w.auth("viewer@example.org")...)
	etag := get.Header().Get("ETag")
	if get.Code != http.StatusOK || etag != rec.Header().Get("ETag") {
		t.Fatalf("GET %d, ETag %q vs %q", get.Code, etag, rec.Header().Get("ETag"))
	}
	wantError(t, call(t, w.e, http.MethodGet, path, "", w.auth("outsider@example.org")...), http.StatusNotFound, "")

	// PUT: If-Match is required and must be current.
	var put map[string]any
	json.Unmarshal(get.Body.Bytes(), &put)
	put["body"] = []any{map[string]any{"type": "TextualBody", "value": "The *low* estimate.", "format": "text/markdown"}}
	put["gloss:visibility"] = "public"
	delete(put, "gloss:group")
	putDoc, _ := json.Marshal(put)
	wantError(t, call(t, w.e, http.MethodPut, path, string(putDoc), member...), http.StatusPreconditionRequired, "If-Match")
	wantError(t, call(t, w.e, http.MethodPut, path, string(putDoc), append(member, "If-Match", `"stale"`)...), http.StatusPreconditionFailed, "changed")
	wantError(t, call(t, w.e, http.MethodPut, path, string(putDoc), append(member, "If-Match", "W/"+etag)...), http.StatusPreconditionFailed, "changed")
	wantError(t, call(t, w.e, http.MethodPut, path, string(putDoc), append(w.auth("owner@example.org"), "If-Match", etag)...), http.StatusForbidden, "author")
	wantError(t, call(t, w.e, http.MethodPut, path, string(putDoc), "If-Match", etag), http.StatusUnauthorized, "")
	rec = call(t, w.e, http.MethodPut, path, string(putDoc), append(member, "If-Match", etag)...)
	if rec.Code != http.StatusOK {
		t.Fatalf("PUT: %d %s", rec.Code, rec.Body)
	}
	updated := decode(t, rec)
	newTag := rec.Header().Get("ETag")
	if newTag == etag || updated["gloss:visibility"] != "public" || updated["body"].([]any)[0].(map[string]any)["value"] != "The *low* estimate." ||
		len(updated["body"].([]any)) != 1 || updated["motivation"] != "commenting" {
		t.Errorf("updated %v (ETag %s)", updated, newTag)
	}
	if anon := call(t, w.e, http.MethodGet, path, ""); anon.Code != http.StatusOK || anon.Header().Get("ETag") != newTag {
		t.Errorf("now public: %d", anon.Code)
	}
	// The old ETag is stale now.
	wantError(t, call(t, w.e, http.MethodPut, path, string(putDoc), append(member, "If-Match", etag)...), http.StatusPreconditionFailed, "")
	// The target is fixed.
	moved := quoteDoc(annoBase+"/articles/"+slug, "Chinese", "")
	wantError(t, call(t, w.e, http.MethodPut, path, moved, append(member, "If-Match", newTag)...), http.StatusConflict, "target")
	other := strings.Replace(string(putDoc), `"id":"`+loc+`"`, `"id":"`+annoBase+`/annotations/1"`, 1)
	wantError(t, call(t, w.e, http.MethodPut, path, other, append(member, "If-Match", newTag)...), http.StatusConflict, "id")

	// A reply through the container, targeting the annotation's IRI.
	reply := `{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Annotation","motivation":"replying","body":{"type":"TextualBody","value":"Agreed.","purpose":"replying"},"target":"` + loc + `"}`
	rec = call(t, w.e, http.MethodPost, "/articles/"+slug+"/annotations/", reply, w.auth("outsider@example.org")...)
	if rec.Code != http.StatusCreated {
		t.Fatalf("reply: %d %s", rec.Code, rec.Body)
	}
	if r := decode(t, rec); r["target"] != loc || r["motivation"] != "replying" || r["gloss:visibility"] != "public" {
		t.Errorf("reply %v", r)
	}
	replyPath := strings.TrimPrefix(rec.Header().Get("Location"), annoBase)

	// DELETE: the same rules; the replies go too.
	wantError(t, call(t, w.e, http.MethodDelete, path, "", member...), http.StatusPreconditionRequired, "If-Match")
	wantError(t, call(t, w.e, http.MethodDelete, path, "", append(member, "If-Match", etag)...), http.StatusPreconditionFailed, "")
	wantError(t, call(t, w.e, http.MethodDelete, path, "", append(w.auth("outsider@example.org"), "If-Match", newTag)...), http.StatusForbidden, "")
	wantError(t, call(t, w.e, http.MethodDelete, path, "", "If-Match", newTag), http.StatusUnauthorized, "")
	rec = call(t, w.e, http.MethodDelete, path, "", append(member, "If-Match", newTag)...)
	if rec.Code != http.StatusNoContent || rec.Body.Len() != 0 {
		t.Fatalf("DELETE: %d %s", rec.Code, rec.Body)
	}
	wantError(t, call(t, w.e, http.MethodGet, path, "", member...), http.StatusNotFound, "")
	wantError(t, call(t, w.e, http.MethodGet, replyPath, "", member...), http.StatusNotFound, "")
	wantError(t, call(t, w.e, http.MethodDelete, path, "", append(member, "If-Match", "*")...), http.StatusNotFound, "")
}

func TestProtocolCreate(t *testing.T) {
	w := newProtocolWorld(t)
	member := w.auth("member@example.org")
	ctx := context.Background()
	countAll := func() int {
		_, n, err := w.store.AnnotationsPage(ctx, mustViewer(t, w.store, "member@example.org"), 0, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	t.Run("ArticleContainerDefaults", func(t *testing.T) {
		rec := call(t, w.e, http.MethodPost, "/articles/"+slug+"/annotations/", quoteDoc("", w.quote, ""), member...)
		if rec.Code != http.StatusCreated {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		a := decode(t, rec)
		if a["gloss:visibility"] != "private" || a["motivation"] != "highlighting" || a["target"].(map[string]any)["source"] != annoBase+"/articles/"+slug {
			t.Errorf("created %v", a)
		}
		if rec := call(t, w.e, http.MethodGet, strings.TrimPrefix(rec.Header().Get("Location"), annoBase), ""); rec.Code != http.StatusNotFound {
			t.Errorf("a private annotation made through the API is visible to anonymous: %d", rec.Code)
		}
	})
	t.Run("PlainJSONAndPositions", func(t *testing.T) {
		art, _ := w.store.ArticleBySlug(ctx, slug)
		i := strings.Index(art.Body, w.quote)
		start := len([]rune(art.Body[:i]))
		doc := fmt.Sprintf(`{"type":"Annotation","target":{"source":"/articles/%s","selector":{"type":"TextPositionSelector","start":%d,"end":%d}},"gloss:visibility":"public"}`,
			slug, start, start+len([]rune(w.quote)))
		rec := call(t, w.e, http.MethodPost, "/annotations/", doc, append(member, "Content-Type", "application/json", "Accept", "application/json")...)
		if rec.Code != http.StatusCreated || rec.Header().Get("Content-Type") != "application/json" {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		sels := decode(t, rec)["target"].(map[string]any)["selector"].([]any)
		if sels[0].(map[string]any)["exact"] != w.quote {
			t.Errorf("selectors %v", sels)
		}
	})
	t.Run("CJKQuote", func(t *testing.T) {
		text := "탈북자들은 중국에서 숨어 지낸다 😀 — 朝鲜难民在中国躲藏。\n\n第二段 with 😀😀 emoji."
		if _, err := w.store.ImportArticle(ctx, db.ArticleInput{Slug: "cjk", Title: "CJK", Body: text}); err != nil {
			t.Fatal(err)
		}
		rec := call(t, w.e, http.MethodPost, "/articles/cjk/annotations/", quoteDoc("", "朝鲜难民", `"bodyValue":"难民 **数字**","gloss:visibility":"public"`), member...)
		if rec.Code != http.StatusCreated {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		a := decode(t, rec)
		sels := a["target"].(map[string]any)["selector"].([]any)
		pos := sels[1].(map[string]any)
		start, end := int(pos["start"].(float64)), int(pos["end"].(float64))
		want := len([]rune(text[:strings.Index(text, "朝鲜难民")]))
		if got := string([]rune(text)[start:end]); got != "朝鲜难民" || start != want {
			t.Errorf("positions [%d,%d) select %q", start, end, got)
		}
		if sels[0].(map[string]any)["prefix"] != "탈북자들은 중국에서 숨어 지낸다 😀 — " || a["body"].([]any)[0].(map[string]any)["value"] != "难民 **数字**" {
			t.Errorf("annotation %v", a)
		}
	})
	t.Run("FormEndpointUnchanged", func(t *testing.T) {
		id := w.annotate(t, w.member, url.Values{"exact": {w.quote}, "visibility": {"private"}})
		if rec := call(t, w.e, http.MethodGet, fmt.Sprintf("/annotations/%d", id), "", member...); rec.Code != http.StatusOK {
			t.Errorf("form-made annotation over the API: %d", rec.Code)
		}
	})

	before := countAll()
	big := quoteDoc("", w.quote, `"bodyValue":"`+strings.Repeat("x", 1<<20)+`"`)
	for _, tc := range []struct {
		name, path, body string
		header           []string
		status           int
		msg              string
	}{
		{"Anonymous", "/annotations/", quoteDoc("/articles/"+slug, w.quote, ""), nil, http.StatusUnauthorized, "sign in"},
		{"ForgedToken", "/annotations/", quoteDoc("/articles/"+slug, w.quote, ""), []string{"Authorization", "Bearer gls_nope"}, http.StatusUnauthorized, ""},
		{"WrongContentType", "/annotations/", quoteDoc("/articles/"+slug, w.quote, ""), append(member, "Content-Type", "text/plain"), http.StatusUnsupportedMediaType, "application/ld+json"},
		{"FormContentType", "/annotations/", "exact=x", append(member, "Content-Type", "application/x-www-form-urlencoded"), http.StatusUnsupportedMediaType, ""},
		{"MalformedJSON", "/annotations/", `{"type":"Annotation",`, member, http.StatusBadRequest, "well-formed JSON"},
		{"TooLarge", "/articles/" + slug + "/annotations/", big, member, http.StatusRequestEntityTooLarge, "too large"},
		{"NotAcceptable", "/annotations/", quoteDoc("/articles/"+slug, w.quote, ""), append(member, "Accept", "text/html"), http.StatusNotAcceptable, ""},
		{"UnknownSelector", "/annotations/", `{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Annotation","target":{"source":"/articles/` + slug + `","selector":{"type":"XPathSelector","value":"/p[1]"}}}`, member, http.StatusUnprocessableEntity, "XPathSelector"},
		{"QuoteNotFound", "/annotations/", quoteDoc("/articles/"+slug, "not in this article at all", ""), member, http.StatusUnprocessableEntity, "not in this article"},
		{"NoQuote", "/annotations/", `{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Annotation","target":"/articles/` + slug + `"}`, member, http.StatusUnprocessableEntity, "Select a passage"},
		{"NoSource", "/annotations/", quoteDoc("", w.quote, ""), member, http.StatusUnprocessableEntity, "source"},
		{"UnknownArticle", "/annotations/", quoteDoc("/articles/nope", w.quote, ""), member, http.StatusUnprocessableEntity, "names no article"},
		{"OtherArticle", "/articles/" + slug + "/annotations/", quoteDoc("/articles/help-the-refugees-who-reach-china", "refugees", ""), member, http.StatusUnprocessableEntity, "not this container's"},
		{"UnknownContainer", "/articles/nope/annotations/", quoteDoc("", w.quote, ""), member, http.StatusNotFound, "nope"},
		{"NotAnAnnotation", "/annotations/", `{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Note","target":"/articles/` + slug + `"}`, member, http.StatusUnprocessableEntity, "not an annotation"},
		{"BadTag", "/annotations/", quoteDoc("/articles/"+slug, w.quote, `"body":{"value":"a<b","purpose":"tagging"}`), member, http.StatusUnprocessableEntity, "tag"},
		{"GroupViewerCannotWrite", "/annotations/", quoteDoc("/articles/"+slug, w.quote, fmt.Sprintf(`"gloss:group":"/groups/%d"`, w.group.ID)), w.auth("viewer@example.org"), http.StatusForbidden, "viewer"},
		{"OutsiderGroup", "/annotations/", quoteDoc("/articles/"+slug, w.quote, fmt.Sprintf(`"gloss:group":"/groups/%d"`, w.group.ID)), w.auth("outsider@example.org"), http.StatusNotFound, "group"},
		{"ReplyToInvisible", "/annotations/", fmt.Sprintf(`{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Annotation","bodyValue":"hi","target":"/annotations/%d"}`, w.private), w.auth("outsider@example.org"), http.StatusNotFound, ""},
		{"ReplyWithTags", "/annotations/", fmt.Sprintf(`{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Annotation","body":[{"value":"hi"},{"value":"t","purpose":"tagging"}],"target":"/annotations/%d"}`, w.public), member, http.StatusUnprocessableEntity, "tags"},
		{"ReplyOtherAudience", "/annotations/", fmt.Sprintf(`{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Annotation","bodyValue":"hi","gloss:visibility":"private","target":"/annotations/%d"}`, w.public), member, http.StatusUnprocessableEntity, "visibility"},
		{"ReplyElsewhere", "/articles/" + slug + "/annotations/", fmt.Sprintf(`{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Annotation","bodyValue":"hi","target":"/annotations/%d"}`, w.other), member, http.StatusUnprocessableEntity, "another article"},
		{"EmptyReply", "/annotations/", fmt.Sprintf(`{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Annotation","target":"/annotations/%d"}`, w.public), member, http.StatusUnprocessableEntity, "reply"},
	} {
		t.Run("Err"+tc.name, func(t *testing.T) {
			wantError(t, call(t, w.e, http.MethodPost, tc.path, tc.body, tc.header...), tc.status, tc.msg)
		})
	}
	if after := countAll(); after != before {
		t.Errorf("refused requests stored something: %d annotations, was %d", after, before)
	}
	t.Run("AnonymousGetsWWWAuthenticate", func(t *testing.T) {
		rec := call(t, w.e, http.MethodPost, "/annotations/", quoteDoc("/articles/"+slug, w.quote, ""))
		if rec.Header().Get("WWW-Authenticate") == "" {
			t.Error("no WWW-Authenticate on 401")
		}
	})
	t.Run("CrossSiteBrowserRefused", func(t *testing.T) {
		rec := call(t, w.e, http.MethodPost, "/annotations/", quoteDoc("/articles/"+slug, w.quote, ""), append(member, "Sec-Fetch-Site", "cross-site")...)
		if rec.Code != http.StatusForbidden {
			t.Errorf("cross-site POST: %d", rec.Code)
		}
	})
}

// TestProtocolKind: an annotation's kind travels as the gloss:kind body in
// every response, a PUT can change it, and a PUT without it (the whole
// annotation replaced) makes it a plain comment again.
func TestProtocolKind(t *testing.T) {
	w := newProtocolWorld(t)
	member := w.auth("member@example.org")
	doc := quoteDoc(annoBase+"/articles/"+slug, "an estimated 100,000 North Koreans in China",
		`"motivation":"describing","body":[{"type":"TextualBody","value":"An estimate","purpose":"describing","gloss:kind":"figure","gloss:low":100000,"gloss:unit":"people","gloss:counted":"North Koreans in China"}],"gloss:visibility":"public"`)
	rec := call(t, w.e, http.MethodPost, "/annotations/", doc, member...)
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	path := strings.TrimPrefix(rec.Header().Get("Location"), annoBase)
	kindOf := func(a map[string]any) map[string]any {
		for _, b := range a["body"].([]any) {
			if m := b.(map[string]any); m["gloss:kind"] != nil {
				return m
			}
		}
		return nil
	}
	if k := kindOf(decode(t, rec)); k == nil || k["gloss:kind"] != "figure" || k["gloss:low"] != 100000.0 {
		t.Errorf("the created annotation's kind: %v", k)
	}
	get := call(t, w.e, http.MethodGet, path, "")
	got := decode(t, get)
	if k := kindOf(got); k == nil || k["gloss:counted"] != "North Koreans in China" {
		t.Errorf("GET: kind %v", k)
	}
	page := decode(t, call(t, w.e, http.MethodGet, "/articles/"+slug+"/annotations/?page=0", ""))
	found := false
	for _, it := range page["items"].([]any) {
		if m := it.(map[string]any); m["id"] == got["id"] {
			found = kindOf(m) != nil
		}
	}
	if !found {
		t.Errorf("the container page lost the kind: %v", page["items"])
	}

	// Change it to an event, then drop it.
	k := kindOf(got)
	for _, f := range []string{"gloss:low", "gloss:high", "gloss:unit", "gloss:counted"} {
		delete(k, f)
	}
	k["gloss:kind"], k["gloss:dateFrom"] = "event", "2004-07"
	put, _ := json.Marshal(got)
	rec = call(t, w.e, http.MethodPut, path, string(put), append(member, "If-Match", get.Header().Get("ETag"))...)
	if rec.Code != http.StatusOK {
		t.Fatalf("PUT event: %d %s", rec.Code, rec.Body)
	}
	if k := kindOf(decode(t, rec)); k == nil || k["gloss:kind"] != "event" || k["gloss:dateFrom"] != "2004-07" {
		t.Errorf("after PUT: %v", k)
	}
	k["gloss:dateTo"] = "2004-06" // before it starts
	put, _ = json.Marshal(got)
	wantError(t, call(t, w.e, http.MethodPut, path, string(put), append(member, "If-Match", rec.Header().Get("ETag"))...), http.StatusUnprocessableEntity, "before it starts")

	got["body"] = []any{map[string]any{"type": "TextualBody", "value": "Just a comment now.", "format": "text/markdown"}}
	got["motivation"] = "commenting"
	put, _ = json.Marshal(got)
	rec = call(t, w.e, http.MethodPut, path, string(put), append(member, "If-Match", rec.Header().Get("ETag"))...)
	if rec.Code != http.StatusOK {
		t.Fatalf("PUT comment: %d %s", rec.Code, rec.Body)
	}
	if k := kindOf(decode(t, rec)); k != nil {
		t.Errorf("a PUT without gloss:kind kept %v", k)
	}
}

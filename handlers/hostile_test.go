package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"gloss/db"
	"gloss/db/sqlite"
)

// hostilePayloads are what people paste: scripts, SQL, NUL bytes, text that
// is not UTF-8, offsets no text has, and very long strings.
var hostilePayloads = []struct {
	name  string
	value string
}{
	{"Script", `<script>alert("gloss-xss")</script>`},
	{"Attr", `"><img src=x onerror=alert("gloss-xss")>`},
	{"SQL", `1' OR '1'='1'; DROP TABLE annotations; --`},
	{"NUL", "a\x00b"},
	{"InvalidUTF8", "\xff\xfe\xc3\x28 caf\xe9"},
	{"Negative", "-1"},
	{"Huge", "99999999999999999999999999"},
	{"MaxInt", strconv.FormatInt(1<<63-1, 10)},
	{"FTS", `"unclosed NEAR( * OR AND -- ^ :`},
	{"Long", strings.Repeat("é", 5_000)}, // in each of 65 fields: about 2 MB of form
}

// hostileFields is every form and query field a handler reads; each gets
// the payload, so whatever a route looks at is hostile.
var hostileFields = []string{
	"annotation", "article", "at", "author", "authors", "body", "choose", "collection", "color", "commentary",
	"confirm", "current", "definition", "dek", "description", "dir", "email", "end", "exact", "format", "from",
	"group", "heading", "highlights", "into", "intro", "iris", "item", "items", "kind", "name", "names",
	"new_title", "next", "order", "page", "partial", "password", "per_page", "prefix", "publication",
	"published_on", "q", "role", "show", "slug", "sort", "source", "source_note", "start", "step", "suffix",
	"summary", "tag", "tags", "text", "title", "to", "uses", "visibility", "year", "pseudonymize", "bom",
}

// hostileWorld is a seeded app with one of everything a route can name,
// and an administrator (who may reach every route) signed in.
type hostileWorld struct {
	store  *sqlite.Store
	admin  *client
	params map[string]string // a real value for each path parameter
}

func newHostileWorld(t *testing.T) (*hostileWorld, func() []routeInfo) {
	e, store := newApp(t)
	ctx := context.Background()
	u := mustUser(t, store, "admin@example.org", "Admin", true)
	mustUser(t, store, "member@example.org", "Member", false)
	g, err := store.CreateGroup(ctx, u.ID, "Seminar", "")
	if err != nil {
		t.Fatal(err)
	}
	v, err := store.ViewerFor(ctx, u) // with the group made
	if err != nil {
		t.Fatal(err)
	}
	const slug = "desperate-n-koreans-seek-asylum-in-china"
	a, err := store.ArticleBySlug(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	an, err := store.CreateAnnotation(ctx, v, a.ID, db.AnnotationInput{Start: 10, End: 40, Body: "a comment", Tags: "unhcr", Visibility: "group", Group: strconv.FormatInt(g.ID, 10)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateReply(ctx, v, an.ID, "a reply"); err != nil {
		t.Fatal(err)
	}
	n, err := store.CreateNote(ctx, v, a.ID, db.NoteInput{Body: "a note", Visibility: "public"})
	if err != nil {
		t.Fatal(err)
	}
	col, err := store.CreateCollection(ctx, v, db.CollectionInput{Title: "Lesson", Group: strconv.FormatInt(g.ID, 10)})
	if err != nil {
		t.Fatal(err)
	}
	w := &hostileWorld{store: store, admin: signedIn(t, e, "admin@example.org")}
	w.params = map[string]string{
		"slug": slug, "name": "unhcr", "token": strings.Repeat("ab", 32), "user": strconv.FormatInt(u.ID, 10),
		"invite": "1", "item": "1", "n": "1", "*": "css/app.css",
		"annotations": strconv.FormatInt(an.ID, 10), "notes": strconv.FormatInt(n.ID, 10),
		"groups": strconv.FormatInt(g.ID, 10), "collections": strconv.FormatInt(col, 10), "sessions": "1", "tokens": "1",
	}
	return w, func() []routeInfo {
		var out []routeInfo
		seen := map[string]bool{}
		for _, r := range e.Routes() {
			if seen[r.Method+" "+r.Path] || strings.HasPrefix(r.Name, "github.com/labstack/echo") {
				continue
			}
			seen[r.Method+" "+r.Path] = true
			out = append(out, routeInfo{r.Method, r.Path})
		}
		// Routes that destroy what they name go last, so the others still
		// find it.
		destructive := regexp.MustCompile(`/(delete|remove|revoke|leave|merge|hide)$|^DELETE`)
		sort.SliceStable(out, func(i, j int) bool {
			di, dj := destructive.MatchString(out[i].method+out[i].path), destructive.MatchString(out[j].method+out[j].path)
			if di != dj {
				return dj
			}
			return out[i].path+out[i].method < out[j].path+out[j].method
		})
		return out
	}
}

type routeInfo struct{ method, path string }

// fill puts a value in each path parameter: the real one, or (when
// hostile is not empty) the hostile one, escaped as a browser would.
func (w *hostileWorld) fill(path, hostile string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		var name string
		switch {
		case s == "*":
			name = "*"
		case strings.HasPrefix(s, ":"):
			name = s[1:]
			if name == "id" && i > 0 {
				name = segs[i-1] // /groups/:id, /annotations/:id, ...
			}
		default:
			continue
		}
		val, ok := w.params[name]
		if !ok {
			val = "1"
		}
		if hostile != "" {
			val = url.PathEscape(hostile)
		}
		segs[i] = val
	}
	return strings.Join(segs, "/")
}

// fingerprint hashes every row of every table people's data lives in, so a
// test can tell whether a request changed anything (the store's digests:
// sign-ins, which every visit touches, and the search index are left out).
func fingerprint(t *testing.T, store *sqlite.Store) string {
	t.Helper()
	digests, err := store.Digests(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(digests) // fmt sorts a map's keys
}

var reflectedScript = regexp.MustCompile(`(?i)<script>alert|<img src=x onerror`)

// TestHostileInput sends every route every hostile payload: in every field
// of a form, a JSON body and the query string, and in place of the path's
// ids and slugs. It asserts no 5xx, no script reflected into HTML, and, when
// the path names nothing real, no change to stored data.
func TestHostileInput(t *testing.T) {
	w, routes := newHostileWorld(t)
	check := func(t *testing.T, rec *httptest.ResponseRecorder, what string) {
		t.Helper()
		if rec.Code >= 500 {
			t.Errorf("%s: status %d\n%.400s", what, rec.Code, rec.Body)
		}
		if strings.Contains(rec.Header().Get("Content-Type"), "html") && reflectedScript.Match(rec.Body.Bytes()) {
			t.Errorf("%s: script reflected into the page\n%.400s", what, rec.Body)
		}
	}
	// Each payload's form, encoded once.
	forms := make([]string, len(hostilePayloads))
	for i, p := range hostilePayloads {
		f := url.Values{}
		for _, k := range hostileFields {
			f.Set(k, p.value)
		}
		forms[i] = f.Encode()
	}
	const formType = "application/x-www-form-urlencoded"
	for _, rt := range routes() {
		if rt.path == "/logout" {
			continue // signs the admin out; covered by TestSignIn
		}
		t.Run(rt.method+rt.path, func(t *testing.T) {
			for i, p := range hostilePayloads {
				q := "?" + forms[i]
				if len(q) > 8000 {
					q = "?q=" + url.QueryEscape(p.value[:4000]) // a browser's URL limit
				}
				// The path names nothing real: nothing may change.
				var before string
				if namesByID(rt.path) {
					before = fingerprint(t, w.store)
				}
				target := w.fill(rt.path, p.value)
				check(t, w.admin.doBody(rt.method, target+q, formType, forms[i]), p.name+" in path, form and query")
				rec := w.admin.doBody(rt.method, target, "application/ld+json", "")
				check(t, rec, p.name+" in path")
				if namesByID(rt.path) {
					if after := fingerprint(t, w.store); after != before {
						t.Errorf("%s in path: stored data changed (status %d)", p.name, rec.Code)
					}
				}
				// Real ids and slugs, hostile fields and bodies.
				target = w.fill(rt.path, "")
				check(t, w.admin.doBody(rt.method, target+q, formType, forms[i]), p.name+" in form and query")
				check(t, w.admin.doBody(rt.method, target, "application/ld+json", `{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Annotation","body":{"type":"TextualBody","value":`+strconv.Quote(p.value)+`},"target":`+strconv.Quote(p.value)+`}`), p.name+" in JSON")
				check(t, w.admin.doBody(rt.method, target, "application/ld+json", p.value), p.name+" as a raw body")
			}
			// Over the 4 MiB body limit: refused before any handler reads it.
			if rt.method == http.MethodPost || rt.method == http.MethodPut {
				size := 5 << 20
				if strings.HasPrefix(rt.path, "/import/annotations") {
					size = 11 << 20 // this one takes up to 10 MiB
				}
				big := strings.Repeat("x", size)
				rec := w.admin.doBody(rt.method, w.fill(rt.path, ""), "application/x-www-form-urlencoded", "body="+big)
				check(t, rec, "oversized body")
				if rec.Code/100 != 4 {
					t.Errorf("oversized body: status %d, want 4xx", rec.Code)
				}
			}
		})
	}
}

// namesByID reports whether a route names what it acts on by id or token
// only: a hostile value there names nothing (a tag or slug such as "-1"
// may exist, made by an earlier request).
func namesByID(path string) bool {
	return strings.Contains(path, ":") && !strings.Contains(path, ":name") && !strings.Contains(path, ":slug")
}

// doBody sends a raw body of the given type, as a script would.
func (cl *client) doBody(method, path, contentType, body string) *httptest.ResponseRecorder {
	cl.t.Helper()
	req := httptest.NewRequest(method, origin+path, strings.NewReader(body))
	if p, _, _ := strings.Cut(path, "?"); strings.HasSuffix(p, "/events") {
		// A live stream answers until its client goes: this one goes soon.
		ctx, cancel := context.WithTimeout(req.Context(), 20*time.Millisecond)
		defer cancel()
		req = req.WithContext(ctx)
	}
	req.Header.Set("Content-Type", contentType)
	req.RemoteAddr = cl.ip + ":50000"
	if method != http.MethodGet && method != http.MethodHead {
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Origin", origin)
	}
	u, _ := url.Parse(origin)
	for _, c := range cl.jar.Cookies(u) {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	cl.e.ServeHTTP(rec, req)
	return rec
}

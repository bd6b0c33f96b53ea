package handlers_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"gloss/db"
)

// The signed-out reader page is kept whole (handlers/pagecache) until
// an event. These tests change the database behind the store's back (SQL
// that stores no event) to see whether a response came from the kept page:
// such a change shows only on a page rendered afresh.

// changeBehind rewrites an annotation's shown body without an event.
func changeBehind(t *testing.T, w *annotationWorld, id int64, html string) {
	t.Helper()
	if _, err := w.store.Writer().Exec(`UPDATE annotations SET body_html = ? WHERE id = ?`, html, id); err != nil {
		t.Fatal(err)
	}
}

func TestPageCacheKeepsTheSignedOutReader(t *testing.T) {
	w := newAnnotationWorld(t)
	id := w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"Kept words"}, "visibility": {"public"}})
	page := "/articles/" + slug
	first := get(t, w.e, page)
	if first.Code != http.StatusOK || !strings.Contains(first.Body.String(), "Kept words") {
		t.Fatalf("first page: %d", first.Code)
	}
	etag := first.Result().Header.Get("ETag")
	if !strings.HasPrefix(etag, `"`) || first.Result().Header.Get("Cache-Control") != "private, no-cache" {
		t.Fatalf("ETag %q, Cache-Control %q", etag, first.Result().Header.Get("Cache-Control"))
	}
	changeBehind(t, w, id, "<p>Changed behind</p>")

	t.Run("Kept", func(t *testing.T) {
		again := get(t, w.e, page)
		if !bytes.Equal(again.Body.Bytes(), first.Body.Bytes()) || again.Result().Header.Get("ETag") != etag {
			t.Error("the second signed-out request was rendered again")
		}
	})
	t.Run("NotModified", func(t *testing.T) {
		if rec := get(t, w.e, page, "If-None-Match", etag); rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
			t.Errorf("If-None-Match with the page's ETag: %d, %d bytes", rec.Code, rec.Body.Len())
		}
		if rec := get(t, w.e, page, "If-None-Match", `W/`+etag+`, "other"`); rec.Code != http.StatusNotModified {
			t.Errorf("If-None-Match with a list naming it: %d", rec.Code)
		}
		if rec := get(t, w.e, page, "If-None-Match", `"other"`); rec.Code != http.StatusOK || rec.Body.Len() == 0 {
			t.Errorf("If-None-Match with another ETag: %d", rec.Code)
		}
	})
	t.Run("HEAD", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodHead, page, nil)
		rec := httptest.NewRecorder()
		w.e.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || rec.Body.Len() != 0 || rec.Result().Header.Get("ETag") != etag {
			t.Errorf("HEAD: %d, %d bytes, ETag %q", rec.Code, rec.Body.Len(), rec.Result().Header.Get("ETag"))
		}
	})
	t.Run("Gzip", func(t *testing.T) {
		// Another variant: rendered now (it shows the change), then kept.
		rec := get(t, w.e, page, "Accept-Encoding", "gzip, deflate")
		h := rec.Result().Header
		if h.Get("Content-Encoding") != "gzip" || !strings.HasSuffix(h.Get("ETag"), `-gzip"`) || !strings.Contains(strings.Join(h.Values("Vary"), ","), "Accept-Encoding") {
			t.Fatalf("gzip variant: %v", h)
		}
		zr, err := gzip.NewReader(bytes.NewReader(rec.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		html, err := io.ReadAll(zr)
		if err != nil || !strings.Contains(string(html), "Changed behind") {
			t.Fatalf("gzip body: %v", err)
		}
		again := get(t, w.e, page, "Accept-Encoding", "gzip")
		if !bytes.Equal(again.Body.Bytes(), rec.Body.Bytes()) {
			t.Error("the gzip variant was not kept")
		}
		if r := get(t, w.e, page, "Accept-Encoding", "gzip", "If-None-Match", etag); r.Code != http.StatusOK {
			t.Errorf("the identity ETag matched the gzip variant: %d", r.Code)
		}
	})
	t.Run("TheQueryIsInTheKey", func(t *testing.T) {
		for _, q := range []string{"?at=5-40", "?show=public", "?highlights=off"} {
			rec := get(t, w.e, page+q)
			if !strings.Contains(rec.Body.String(), "Changed behind") {
				t.Errorf("%s was served from the plain page", q)
			}
		}
	})
	t.Run("AnotherArticlesEventKeepsIt", func(t *testing.T) {
		w.annotateOn(t, w.member, "help-the-refugees-who-reach-china", url.Values{"exact": {"Some 50,000 North Koreans are in China"}, "body": {"Elsewhere"}, "visibility": {"public"}})
		if rec := get(t, w.e, page, "If-None-Match", etag); rec.Code != http.StatusNotModified {
			t.Errorf("after an event about another article: %d", rec.Code)
		}
	})
	t.Run("ASiteEventDropsIt", func(t *testing.T) {
		// A person renamed: their name is on their cards everywhere.
		u, err := w.store.UserByEmail(context.Background(), "owner@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if err := w.store.UpdateUserName(context.Background(), u.ID, "Owner Renamed"); err != nil {
			t.Fatal(err)
		}
		rec := get(t, w.e, page, "If-None-Match", etag)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Changed behind") || rec.Result().Header.Get("ETag") == etag {
			t.Errorf("after an event about the site: %d, ETag %q (was %q)", rec.Code, rec.Result().Header.Get("ETag"), etag)
		}
	})
}

// TestPageCacheShowsEveryChange: each change to what a signed-out reader
// sees shows on the very next request, the page having been kept just
// before it.
func TestPageCacheShowsEveryChange(t *testing.T) {
	w := newAnnotationWorld(t)
	ctx := context.Background()
	page := "/articles/" + slug
	var id int64
	card := func() string { return fmt.Sprintf("#a-%d", id) }
	has := func(sel string) func(string) bool {
		return func(html string) bool {
			doc := parse(t, &httptest.ResponseRecorder{Body: bytes.NewBufferString(html)})
			return doc.Find(sel).Length() > 0
		}
	}
	contains := func(s string) func(string) bool {
		return func(html string) bool { return strings.Contains(strings.ToLower(html), strings.ToLower(s)) }
	}
	steps := []struct {
		name   string
		change func(t *testing.T)
		shows  func(html string) bool
	}{
		{"Created", func(t *testing.T) {
			id = w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"First public words"}, "tags": {"Keptag"}, "visibility": {"public"}})
		}, contains("First public words")},
		{"Edited", func(t *testing.T) {
			post(t, w.member, fmt.Sprintf("/annotations/%d/edit", id), url.Values{"body": {"Edited public words"}, "tags": {"Keptag"}, "visibility": {"public"}})
		}, contains("Edited public words")},
		{"Replied", func(t *testing.T) {
			post(t, w.owner, fmt.Sprintf("/annotations/%d/replies", id), url.Values{"body": {"A public reply"}})
		}, contains("A public reply")},
		{"TagRenamed", func(t *testing.T) {
			post(t, w.admin, "/tags/keptag/edit", url.Values{"name": {"Renamedtag"}, "color": {"3"}, "description": {""}})
		}, contains("renamedtag")},
		{"ArticleTagged", func(t *testing.T) {
			post(t, w.admin, "/articles/"+slug+"/tags", url.Values{"tags": {"Lessonone"}})
		}, contains("lessonone")},
		{"NoteAdded", func(t *testing.T) {
			post(t, w.member, "/articles/"+slug+"/notes", url.Values{"body": {"A public note"}, "visibility": {"public"}})
		}, contains("A public note")},
		{"Revised", func(t *testing.T) {
			a, _ := w.store.ArticleBySlug(ctx, slug)
			in := db.ArticleInput{Slug: a.Slug, Title: a.Title, Publication: a.Publication, Authors: a.Authors, PublishedOn: a.PublishedOn,
				Dek: a.Dek, Summary: a.Summary, SourceNote: a.SourceNote, Body: a.Body + "\n\nA paragraph added in revision."}
			if _, err := w.store.ImportArticle(ctx, in); err != nil {
				t.Fatal(err)
			}
		}, contains("A paragraph added in revision.")},
		{"Narrowed", func(t *testing.T) {
			post(t, w.member, fmt.Sprintf("/annotations/%d/edit", id), url.Values{"body": {"Edited public words"}, "visibility": {"group"}, "group": {fmt.Sprint(w.group.ID)}})
		}, func(html string) bool { return !has(card())(html) && !strings.Contains(html, "Edited public words") }},
		{"Widened", func(t *testing.T) {
			post(t, w.member, fmt.Sprintf("/annotations/%d/edit", id), url.Values{"body": {"Edited public words"}, "visibility": {"public"}})
		}, func(html string) bool { return has(card())(html) }},
		{"Deleted", func(t *testing.T) {
			post(t, w.member, fmt.Sprintf("/annotations/%d/delete", id), url.Values{})
		}, func(html string) bool { return !has(card())(html) && !strings.Contains(html, "A public reply") }},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			before := get(t, w.e, page) // kept now
			if before.Code != http.StatusOK {
				t.Fatalf("before: %d", before.Code)
			}
			if st.shows(before.Body.String()) {
				t.Fatal("the page shows the change before it is made: the test proves nothing")
			}
			st.change(t)
			for _, enc := range []string{"", "gzip"} {
				rec := get(t, w.e, page, "Accept-Encoding", enc, "If-None-Match", before.Result().Header.Get("ETag"))
				if rec.Code != http.StatusOK {
					t.Fatalf("after (%q): %d, the old ETag still matched", enc, rec.Code)
				}
				html := rec.Body.String()
				if enc == "gzip" {
					zr, err := gzip.NewReader(rec.Body)
					if err != nil {
						t.Fatal(err)
					}
					b, _ := io.ReadAll(zr)
					html = string(b)
				}
				if !st.shows(html) {
					t.Errorf("the next signed-out request (%q) does not show the change", enc)
				}
			}
		})
	}
}

func post(t *testing.T, cl *client, path string, form url.Values) {
	t.Helper()
	if rec := cl.post(path, form); rec.Code != http.StatusSeeOther {
		t.Fatalf("POST %s: %d\n%.500s", path, rec.Code, rec.Body)
	}
}

// TestPageCacheNeverCrossesViewers: a signed-in request never gets the
// kept signed-out page, nor leaves its own to signed-out readers; a
// one-time message is neither served from it nor kept.
func TestPageCacheNeverCrossesViewers(t *testing.T) {
	page := "/articles/" + slug
	signedInPage := func(rec *httptest.ResponseRecorder) bool {
		return strings.Contains(rec.Body.String(), `data-testid="account-link"`)
	}
	t.Run("SignedInAfterSignedOut", func(t *testing.T) {
		w := newAnnotationWorld(t)
		id := w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"Before"}, "visibility": {"public"}})
		out := get(t, w.e, page)
		changeBehind(t, w, id, "<p>Changed behind</p>")
		for name, cl := range map[string]*client{"member": w.member, "outsider": w.outsider, "admin": w.admin} {
			rec := cl.get(page, "If-None-Match", out.Result().Header.Get("ETag"))
			if rec.Code != http.StatusOK || !signedInPage(rec) || !strings.Contains(rec.Body.String(), "Changed behind") {
				t.Errorf("%s got the kept signed-out page (%d)", name, rec.Code)
			}
			if tag := rec.Result().Header.Get("ETag"); tag == out.Result().Header.Get("ETag") {
				t.Errorf("%s's page has the signed-out page's ETag", name)
			}
		}
		if strings.Contains(get(t, w.e, page).Body.String(), "Changed behind") {
			t.Error("the signed-out page was not kept: this test proves nothing")
		}
	})
	t.Run("SignedOutAfterSignedIn", func(t *testing.T) {
		w := newAnnotationWorld(t)
		id := w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"Before"}, "visibility": {"public"}})
		w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"Only the group"}, "visibility": {"group"}, "group": {fmt.Sprint(w.group.ID)}})
		for _, enc := range []string{"", "gzip"} {
			if rec := w.member.get(page, "Accept-Encoding", enc); rec.Code != http.StatusOK {
				t.Fatalf("member: %d", rec.Code)
			}
		}
		changeBehind(t, w, id, "<p>Changed behind</p>")
		rec := get(t, w.e, page)
		if signedInPage(rec) || strings.Contains(rec.Body.String(), "Only the group") || !strings.Contains(rec.Body.String(), "Changed behind") {
			t.Error("a signed-out reader got the page a member's request left")
		}
	})
	t.Run("Flash", func(t *testing.T) {
		w := newAnnotationWorld(t)
		get(t, w.e, page) // kept
		leaving := signedIn(t, w.e, "viewer@example.org")
		post(t, leaving, "/logout", url.Values{})
		if rec := leaving.get(page); !strings.Contains(rec.Body.String(), "You are signed out.") || rec.Result().Header.Get("ETag") != "" {
			t.Error("the page after signing out lost its message to the kept page")
		}
		if strings.Contains(get(t, w.e, page).Body.String(), "You are signed out.") {
			t.Error("someone else's message was kept")
		}
	})
}

// TestPageCacheSignedIn: each signed-in viewer's page is kept for them,
// served again (or answered 304) until something that could change it
// happens, and never to anyone else. Each case first has the page kept,
// then changes something through the app, and checks the very next
// request; a sentinel annotation rewritten behind the store's back tells
// a kept page from a fresh one.
func TestPageCacheSignedIn(t *testing.T) {
	page := "/articles/" + slug
	ctx := context.Background()
	type world struct {
		*annotationWorld
		sentinel int64
	}
	setup := func(t *testing.T) world {
		w := newAnnotationWorld(t)
		id := w.annotate(t, w.owner, url.Values{"exact": {"hush-hush"}, "body": {"Sentinel as written"}, "visibility": {"public"}})
		return world{w, id}
	}
	// keptFor primes cl's page and reports whether the next request is
	// served from it (the sentinel rewritten in between).
	keptFor := func(t *testing.T, w world, cl *client) (etag string) {
		t.Helper()
		// As the reader's script does: the Suggestions switch's count, which
		// the page is kept with once known.
		if rec := cl.get(page + "/suggestions/count"); rec.Code != http.StatusOK {
			t.Fatalf("the suggestions' count: %d", rec.Code)
		}
		first := cl.get(page)
		changeBehind(t, w.annotationWorld, w.sentinel, "<p>Sentinel rewritten</p>")
		again := cl.get(page)
		if first.Code != http.StatusOK || !bytes.Equal(first.Body.Bytes(), again.Body.Bytes()) {
			t.Fatalf("the page was not kept (%d): this test proves nothing", first.Code)
		}
		if rec := cl.get(page, "If-None-Match", again.Result().Header.Get("ETag")); rec.Code != http.StatusNotModified {
			t.Fatalf("a reload with the page's ETag: %d", rec.Code)
		}
		return again.Result().Header.Get("ETag")
	}
	fresh := func(t *testing.T, rec *httptest.ResponseRecorder) string {
		t.Helper()
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Sentinel rewritten") {
			t.Fatalf("the next request got the kept page (%d)", rec.Code)
		}
		return rec.Body.String()
	}
	memberID := func(w world, email string) int64 {
		u, err := w.store.UserByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		return u.ID
	}

	t.Run("NeverAnotherViewersPage", func(t *testing.T) {
		w := setup(t)
		w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"Only the group"}, "visibility": {"group"}, "group": {fmt.Sprint(w.group.ID)}})
		w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"The member alone"}, "visibility": {"private"}})
		keptFor(t, w, w.member)
		for name, cl := range map[string]*client{"outsider": w.outsider, "viewer": w.viewer, "owner": w.owner, "admin": w.admin, "anonymous": w.anonymous} {
			html := fresh(t, cl.get(page))
			if strings.Contains(html, "The member alone") {
				t.Errorf("%s got the member's private annotation", name)
			}
			if inGroup := name == "viewer" || name == "owner"; strings.Contains(html, "Only the group") != inGroup {
				t.Errorf("%s: the group's annotation shown %t", name, !inGroup)
			}
		}
	})
	t.Run("VisibilityNarrowed", func(t *testing.T) {
		w := setup(t)
		id := w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"Public for now"}, "visibility": {"public"}})
		keptFor(t, w, w.outsider)
		post(t, w.member, fmt.Sprintf("/annotations/%d/edit", id), url.Values{"body": {"Public for now"}, "visibility": {"private"}})
		if strings.Contains(fresh(t, w.outsider.get(page)), "Public for now") {
			t.Error("the outsider still sees an annotation made private")
		}
	})
	t.Run("Hidden", func(t *testing.T) {
		w := setup(t)
		id := w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"Soon hidden"}, "visibility": {"group"}, "group": {fmt.Sprint(w.group.ID)}})
		keptFor(t, w, w.viewer)
		post(t, w.owner, fmt.Sprintf("/annotations/%d/hide", id), url.Values{})
		if strings.Contains(fresh(t, w.viewer.get(page)), "Soon hidden") {
			t.Error("a group viewer still sees an annotation its owner hid")
		}
	})
	t.Run("LeftTheGroup", func(t *testing.T) {
		w := setup(t)
		w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"For the group"}, "visibility": {"group"}, "group": {fmt.Sprint(w.group.ID)}})
		keptFor(t, w, w.viewer)
		post(t, w.owner, fmt.Sprintf("/groups/%d/members/%d/remove", w.group.ID, memberID(w, "viewer@example.org")), url.Values{})
		if strings.Contains(fresh(t, w.viewer.get(page)), "For the group") {
			t.Error("someone removed from the group still sees its annotation")
		}
	})
	t.Run("SignedOut", func(t *testing.T) {
		w := setup(t)
		w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"The member alone"}, "visibility": {"private"}})
		keptFor(t, w, w.member)
		cookie := w.member.sessionCookie()
		post(t, w.member, "/logout", url.Values{})
		w.member.get(page) // the one-time message
		for name, rec := range map[string]*httptest.ResponseRecorder{
			"the same browser": w.member.get(page),
			"the old cookie":   get(t, w.e, page, "Cookie", "gloss_session="+cookie),
		} {
			if html := rec.Body.String(); strings.Contains(html, "The member alone") || strings.Contains(html, `data-testid="account-link"`) {
				t.Errorf("%s after signing out got the member's page", name)
			}
		}
	})
	t.Run("TheBell", func(t *testing.T) {
		w := setup(t)
		id := w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"Reply to me"}, "visibility": {"public"}})
		keptFor(t, w, w.member)
		post(t, w.owner, fmt.Sprintf("/annotations/%d/replies", id), url.Values{"body": {"A reply"}})
		doc := parse(t, w.member.get(page))
		if got := strings.TrimSpace(doc.Find("#bell-count").Text()); got != "1" {
			t.Errorf("the bell says %q after a reply, want 1", got)
		}
	})
	t.Run("ActsElsewhere", func(t *testing.T) {
		// The annotate form remembers the last audience chosen, on any article.
		w := setup(t)
		keptFor(t, w, w.member)
		w.annotateOn(t, w.member, "help-the-refugees-who-reach-china", url.Values{"exact": {"Some 50,000 North Koreans are in China"}, "body": {"Elsewhere"},
			"visibility": {"group"}, "group": {fmt.Sprint(w.group.ID)}})
		doc := parse(t, w.member.get(page))
		if got, _ := doc.Find(`#toolbar-audience option[selected]`).Attr("value"); got != fmt.Sprintf("group:%d", w.group.ID) {
			t.Errorf("the annotate form's audience is %q after choosing a group elsewhere, want group:%d", got, w.group.ID)
		}
	})
	t.Run("WithoutTheScript", func(t *testing.T) {
		// No one asks for the suggestions' count: the first page starts
		// computing them, and a page is kept once it shows the count.
		w := setup(t)
		deadline := time.Now().Add(10 * time.Second)
		for parse(t, w.member.get(page)).Find(`[data-count-url]`).AttrOr("data-count-url", "") != "" {
			if time.Now().After(deadline) {
				t.Fatal("the suggestions were never computed for a page without the script")
			}
			time.Sleep(10 * time.Millisecond)
		}
		first := w.member.get(page)
		changeBehind(t, w.annotationWorld, w.sentinel, "<p>Sentinel rewritten</p>")
		if again := w.member.get(page); !bytes.Equal(first.Body.Bytes(), again.Body.Bytes()) {
			t.Error("the page with the count was not kept")
		}
	})
	t.Run("OthersActElsewhere", func(t *testing.T) {
		w := setup(t)
		etag := keptFor(t, w, w.member)
		w.annotateOn(t, w.owner, "help-the-refugees-who-reach-china", url.Values{"exact": {"Some 50,000 North Koreans are in China"}, "body": {"Elsewhere"}, "visibility": {"public"}})
		if rec := w.member.get(page, "If-None-Match", etag); rec.Code != http.StatusNotModified {
			t.Errorf("another person's annotation on another article dropped the page: %d", rec.Code)
		}
	})
}

// TestTagSuggestionsApart: the reader page carries no tag names (a kept
// page would go on offering a tag after the annotation that used it
// became private elsewhere); the reader's script asks for them, and each
// viewer gets only the names on what they may read.
func TestTagSuggestionsApart(t *testing.T) {
	w := newAnnotationWorld(t)
	id := w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"Tagged"}, "tags": {"Sometimes-secret"}, "visibility": {"public"}})
	list := parse(t, w.outsider.get("/articles/"+slug)).Find("datalist#tag-suggestions")
	if src, _ := list.Attr("data-src"); src != "/tag-suggestions" || list.Children().Length() != 0 {
		t.Fatalf("the reader's datalist: data-src %q, %d options", src, list.Children().Length())
	}
	offered := func(cl *client) bool {
		rec := cl.get("/tag-suggestions")
		if rec.Code != http.StatusOK {
			t.Fatalf("GET /tag-suggestions: %d", rec.Code)
		}
		return parse(t, rec).Find(`datalist#tag-suggestions option[value="sometimes-secret"]`).Length() == 1
	}
	if !offered(w.outsider) || !offered(w.anonymous) {
		t.Fatal("a public annotation's tag is not offered")
	}
	post(t, w.member, fmt.Sprintf("/annotations/%d/edit", id), url.Values{"body": {"Tagged"}, "tags": {"Sometimes-secret"}, "visibility": {"private"}})
	if offered(w.outsider) || offered(w.anonymous) {
		t.Error("a private annotation's tag is offered to others")
	}
	if !offered(w.member) {
		t.Error("the author lost their own tag")
	}
}

// TestShareLinkKept: a share link's page is kept whole (signed out, and
// compressed once), still says no-store to browsers, shows the next
// request every change to the collection or its annotations, and stops at
// once when the link is withdrawn.
func TestShareLinkKept(t *testing.T) {
	w := newCollectionWorld(t)
	page := "/s/" + w.token
	kept := func(t *testing.T) *httptest.ResponseRecorder {
		t.Helper()
		first := get(t, w.e, page)
		if first.Code != http.StatusOK || first.Result().Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("share page: %d, Cache-Control %q", first.Code, first.Result().Header.Get("Cache-Control"))
		}
		changeBehind(t, w.annotationWorld, w.public, "<p>Changed behind</p>")
		if again := get(t, w.e, page); !bytes.Equal(again.Body.Bytes(), first.Body.Bytes()) {
			t.Fatal("the share page was not kept: this test proves nothing")
		}
		return first
	}
	t.Run("Gzip", func(t *testing.T) {
		rec := get(t, w.e, page, "Accept-Encoding", "gzip")
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		html, _ := io.ReadAll(zr)
		if rec.Result().Header.Get("Content-Encoding") != "gzip" || !strings.Contains(string(html), "Class lesson") {
			t.Errorf("the compressed share page (compressed twice?): %q", html[:min(80, len(html))])
		}
	})
	t.Run("CollectionEdited", func(t *testing.T) {
		kept(t)
		post(t, w.owner, fmt.Sprintf("/collections/%d/edit", w.lesson), url.Values{"title": {"Class lesson"},
			"intro": {"INTRO-CHANGED"}, "group": {fmt.Sprint(w.group.ID)}, "names": {"hidden"}})
		if html := get(t, w.e, page).Body.String(); !strings.Contains(html, "INTRO-CHANGED") || !strings.Contains(html, "Changed behind") {
			t.Error("the next request after an edit of the collection got the kept page")
		}
	})
	t.Run("AnnotationEdited", func(t *testing.T) {
		kept(t)
		post(t, w.member, fmt.Sprintf("/annotations/%d/edit", w.public), url.Values{"body": {"PUBLIC-EDITED"}, "visibility": {"public"}})
		if html := get(t, w.e, page).Body.String(); !strings.Contains(html, "PUBLIC-EDITED") {
			t.Error("the next request after an annotation in it was edited got the kept page")
		}
	})
	t.Run("AnnotationNarrowed", func(t *testing.T) {
		kept(t)
		post(t, w.member, fmt.Sprintf("/annotations/%d/edit", w.public), url.Values{"body": {"PUBLIC-EDITED"}, "visibility": {"private"}})
		if html := get(t, w.e, page).Body.String(); strings.Contains(html, "PUBLIC-EDITED") {
			t.Error("an annotation made private still shows on the share link")
		}
	})
	t.Run("Withdrawn", func(t *testing.T) {
		kept(t)
		if rec := w.owner.post(fmt.Sprintf("/collections/%d/share/revoke", w.lesson), url.Values{}); rec.Code != http.StatusSeeOther {
			t.Fatalf("revoke: %d", rec.Code)
		}
		if rec := get(t, w.e, page); rec.Code != http.StatusNotFound {
			t.Errorf("the withdrawn link answers %d", rec.Code)
		}
	})
}

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

	"gloss/db"
)

// The signed-out reader page is kept whole (handlers/pagecache.go) until
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
	t.Run("AnyEventDropsIt", func(t *testing.T) {
		// An event about another article: every kept page goes.
		w.annotateOn(t, w.member, "help-the-refugees-who-reach-china", url.Values{"exact": {"Some 50,000 North Koreans are in China"}, "body": {"Elsewhere"}, "visibility": {"public"}})
		rec := get(t, w.e, page, "If-None-Match", etag)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Changed behind") || rec.Result().Header.Get("ETag") == etag {
			t.Errorf("after an event: %d, ETag %q (was %q)", rec.Code, rec.Result().Header.Get("ETag"), etag)
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
			if rec.Result().Header.Get("ETag") != "" {
				t.Errorf("%s's page has an ETag", name)
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

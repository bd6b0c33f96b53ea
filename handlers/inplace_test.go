package handlers_test

// The reader's in-place protocol: a request with HX-Request gets the
// reader's parts (views.ReaderParts) instead of a redirect or a page, a
// refusal gets a message naming its field, and the forms without the
// header behave as before (annotations_test.go).

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"gloss/db"
)

var inPlace = []string{"HX-Request", "true"}

// parts parses a ReaderParts answer and checks it has every part.
func parts(t *testing.T, rec *httptest.ResponseRecorder) *goquery.Document {
	t.Helper()
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d, want 200:\n%s", rec.Code, rec.Body.String())
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(rec.Body.String()))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"article-text", "card-list", "cards", "note-list", "annotation-count", "note-count", "article-tags", "reader-update"} {
		if doc.Find("#"+id).Length() != 1 {
			t.Errorf("the parts have no #%s", id)
		}
	}
	if doc.Find("header.site-header, #annotate-form").Length() != 0 {
		t.Error("the parts carry the page around them")
	}
	return doc
}

func update(doc *goquery.Document) (announce, focus string) {
	u := doc.Find("#reader-update")
	return u.AttrOr("data-announce", ""), u.AttrOr("data-focus", "")
}

func TestInPlaceCreate(t *testing.T) {
	w := newAnnotationWorld(t)
	path := "/articles/" + slug + "/annotations"

	t.Run("Comment", func(t *testing.T) {
		rec := w.member.post(path, url.Values{"exact": {"hush-hush"}, "body": {"*why*"}, "visibility": {"group"}, "group": {fmt.Sprint(w.group.ID)}}, inPlace...)
		doc := parts(t, rec)
		announce, focus := update(doc)
		if announce != "Comment saved. Members of Seminar can see this." {
			t.Errorf("announce %q", announce)
		}
		id, _ := strconv.ParseInt(strings.TrimPrefix(focus, "a-"), 10, 64)
		if doc.Find("#"+focus+" .body em").Text() != "why" || doc.Find(fmt.Sprintf(`#article-text mark[data-ids~="%d"]`, id)).Text() != "hush-hush" {
			t.Errorf("the parts do not show the new card and highlight (focus %q)", focus)
		}
		if got := doc.Find("#annotation-count").Text(); got != "1" {
			t.Errorf("count %q", got)
		}
	})
	t.Run("HighlightKeepsTheFilters", func(t *testing.T) {
		// Public only: the member's new private highlight is saved but not
		// shown, and the answer says why instead of focusing nothing.
		rec := w.member.post(path+"?show=public", url.Values{"exact": {"embracing all escapees"}, "visibility": {"private"}}, inPlace...)
		doc := parts(t, rec)
		announce, focus := update(doc)
		if focus != "" || announce != "Highlight saved. The filters in force hide it." {
			t.Errorf("announce %q, focus %q", announce, focus)
		}
		if doc.Find(`#cards > li`).Length() != 0 {
			t.Error("the public filter shows the member's group and private annotations")
		}
	})
	t.Run("RefusalNamesItsField", func(t *testing.T) {
		for name, tc := range map[string]struct {
			form         url.Values
			status       int
			field, words string
		}{
			"passage": {url.Values{"exact": {"300,000 in Mongolia"}, "visibility": {"private"}}, 422, "exact", "is not in this article"},
			"tag":     {url.Values{"exact": {"hush-hush"}, "tags": {"bad<tag"}, "visibility": {"private"}}, 422, "tags", "bad<tag"},
			"group":   {url.Values{"exact": {"hush-hush"}, "visibility": {"group"}}, 422, "group", "Choose the group"},
			"body":    {url.Values{"exact": {"hush-hush"}, "body": {strings.Repeat("x", db.MaxCommentLen+1)}, "visibility": {"private"}}, 422, "body", "at most"},
		} {
			t.Run(name, func(t *testing.T) {
				rec := w.member.post(path, tc.form, inPlace...)
				if rec.Code != tc.status {
					t.Fatalf("status %d, want %d", rec.Code, tc.status)
				}
				doc := parse(t, rec)
				p := doc.Find("[data-error]")
				if p.Length() != 1 || p.AttrOr("data-field", "") != tc.field || !strings.Contains(p.Text(), tc.words) {
					t.Errorf("refusal %q about %q, want %q about %q", p.Text(), p.AttrOr("data-field", ""), tc.words, tc.field)
				}
				if doc.Find("header.site-header").Length() != 0 {
					t.Error("a refusal in place sent a whole page")
				}
			})
		}
	})
	t.Run("SignedOutIsToldNotRedirected", func(t *testing.T) {
		rec := w.anonymous.post(path, url.Values{"exact": {"hush-hush"}, "visibility": {"private"}}, inPlace...)
		if rec.Code != http.StatusUnauthorized || !strings.Contains(parse(t, rec).Find("[data-error]").Text(), "signed out") {
			t.Errorf("status %d: %s", rec.Code, rec.Body.String())
		}
	})
	t.Run("WithoutTheHeaderARefusalIsThePage", func(t *testing.T) {
		rec := w.member.post(path, url.Values{"exact": {"bad passage nowhere"}, "visibility": {"private"}})
		doc := parse(t, rec)
		if rec.Code != 422 || doc.Find("details#annotate[open] #f-exact-error").Length() != 1 {
			t.Errorf("status %d; the page's form is not open with the message beside the passage", rec.Code)
		}
	})
}

func TestInPlaceThread(t *testing.T) {
	w := newAnnotationWorld(t)
	id := w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"first"}, "visibility": {"group"}, "group": {fmt.Sprint(w.group.ID)}})
	a := fmt.Sprintf("/annotations/%d", id)

	rec := w.owner.post(a+"/replies", url.Values{"body": {"a *reply*"}}, inPlace...)
	doc := parts(t, rec)
	announce, focus := update(doc)
	if !strings.HasPrefix(announce, "Reply posted.") || doc.Find(fmt.Sprintf("#a-%d .replies #%s .body em", id, focus)).Text() != "reply" {
		t.Errorf("reply: announce %q, focus %q", announce, focus)
	}
	rec = w.owner.post(a+"/replies", url.Values{"body": {"  "}}, inPlace...)
	if rec.Code != 422 || parse(t, rec).Find("[data-error]").AttrOr("data-field", "") != "body" {
		t.Errorf("an empty reply: %d %s", rec.Code, rec.Body.String())
	}

	rec = w.owner.post(a+"/hide", nil, inPlace...)
	doc = parts(t, rec)
	if _, focus := update(doc); focus != fmt.Sprintf("a-%d", id) || doc.Find("#"+focus+` [data-testid="hidden-note"]`).Length() != 1 {
		t.Errorf("hide: focus %q, card %s", focus, doc.Find("#"+focus).Text())
	}
	rec = w.owner.post(a+"/unhide", nil, inPlace...)
	parts(t, rec)

	// The edit form in place carries the card's own ids.
	rec = w.member.get(a+"/edit", inPlace...)
	doc = parse(t, rec)
	if rec.Code != 200 || doc.Find(fmt.Sprintf(`form#edit-form-%d textarea#e%d-body`, id, id)).Length() != 1 || doc.Find("header.site-header").Length() != 0 {
		t.Fatalf("edit in place: %d %s", rec.Code, rec.Body.String())
	}
	if doc.Find("#f-body, #f-kind, #entity-suggestions").Length() != 0 {
		t.Error("the edit form in place reuses the annotate form's ids")
	}
	rec = w.member.post(a+"/edit", url.Values{"body": {"second"}, "tags": {""}, "visibility": {"private"}, "kind": {"comment"}}, inPlace...)
	doc = parts(t, rec)
	if announce, _ := update(doc); announce != "Annotation saved. Only you can see this." {
		t.Errorf("edit: %q", announce)
	}
	rec = w.member.post(a+"/edit", url.Values{"body": {"x"}, "tags": {"bad<tag"}, "visibility": {"private"}}, inPlace...)
	if rec.Code != 422 || parse(t, rec).Find("[data-error]").AttrOr("data-field", "") != "tags" {
		t.Errorf("a refused edit: %d %s", rec.Code, rec.Body.String())
	}

	rec = w.member.post(a+"/delete", nil, inPlace...)
	doc = parts(t, rec)
	if announce, _ := update(doc); announce != "Annotation deleted." || doc.Find(fmt.Sprintf("#a-%d", id)).Length() != 0 {
		t.Errorf("delete: %q", announce)
	}
}

func TestInPlaceNotesAndTags(t *testing.T) {
	w := newAnnotationWorld(t)
	rec := w.member.post("/articles/"+slug+"/notes", url.Values{"body": {"a *note*"}, "visibility": {"private"}}, inPlace...)
	doc := parts(t, rec)
	_, focus := update(doc)
	if doc.Find("#note-list #"+focus+" .body em").Text() != "note" || doc.Find("#note-count").Text() != "1" {
		t.Errorf("note: focus %q", focus)
	}
	id := strings.TrimPrefix(focus, "n-")
	rec = w.member.get("/notes/"+id+"/edit", inPlace...)
	if d := parse(t, rec); d.Find("form#edit-note-form-"+id+" textarea#ne"+id+"-body").Length() != 1 {
		t.Errorf("note edit in place: %s", rec.Body.String())
	}
	rec = w.member.post("/notes/"+id+"/delete", nil, inPlace...)
	if doc = parts(t, rec); doc.Find("#note-list li").Length() != 0 {
		t.Error("the deleted note is in the parts")
	}
	rec = w.member.post("/articles/"+slug+"/notes", url.Values{"body": {""}, "visibility": {"private"}}, inPlace...)
	if rec.Code != 422 || parse(t, rec).Find("[data-error]").AttrOr("data-field", "") != "body" {
		t.Errorf("an empty note: %d", rec.Code)
	}
	rec = w.member.post("/articles/"+slug+"/tags", url.Values{"tags": {"context"}}, inPlace...)
	if doc = parts(t, rec); doc.Find(`#article-tags a[href="/tags/context"]`).Length() != 1 {
		t.Error("the article's new tag is not in the parts")
	}
}

func TestInPlaceFilters(t *testing.T) {
	w := newAnnotationWorld(t)
	w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "tags": {"secret"}, "visibility": {"public"}})
	w.annotate(t, w.member, url.Values{"exact": {"embracing all escapees"}, "visibility": {"public"}})

	rec := w.anonymous.get("/articles/"+slug+"?tag=secret", inPlace...)
	doc := parts(t, rec)
	if n := doc.Find("#cards > li").Length(); n != 1 {
		t.Errorf("filtered by tag: %d cards, want 1", n)
	}
	if announce, _ := update(doc); announce != "Showing 1 annotation and 0 notes." {
		t.Errorf("announce %q", announce)
	}
	if v := rec.Header().Values("Vary"); !contains(v, "HX-Request") {
		t.Errorf("Vary %q: a cache could serve the parts for the page", v)
	}
	rec = w.anonymous.get("/articles/"+slug+"?highlights=off", inPlace...)
	if doc = parts(t, rec); doc.Find("#article-text.no-highlights").Length() != 1 || doc.Find("#article-text mark.hl").Length() != 0 {
		t.Error("hide highlights: the parts still highlight")
	}
	rec = w.anonymous.get("/articles/"+slug+"?show=everyone", inPlace...)
	if rec.Code != 422 || parse(t, rec).Find("[data-error]").Length() != 1 {
		t.Errorf("a bad filter in place: %d", rec.Code)
	}
}

// A reader's remembered audience is never public: after a public comment,
// the toolbar and the forms offer the choice made before it.
func TestAudienceNeverDefaultsToPublic(t *testing.T) {
	w := newAnnotationWorld(t)
	w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "visibility": {"group"}, "group": {fmt.Sprint(w.group.ID)}})
	w.annotate(t, w.member, url.Values{"exact": {"embracing all escapees"}, "visibility": {"public"}})
	doc := parse(t, w.member.get("/articles/"+slug))
	group := fmt.Sprint(w.group.ID)
	if got := doc.Find(`#toolbar-audience option[selected]`).AttrOr("value", ""); got != "group:"+group {
		t.Errorf("the toolbar offers %q, want the group chosen before the public comment", got)
	}
	if got := doc.Find(`#toolbar-audience`).AttrOr("data-default", ""); got != "group:"+group {
		t.Errorf("the toolbar's default is %q", got)
	}
	for _, sel := range []string{"#a-visibility", "#n-visibility"} {
		if got := doc.Find(sel+` option[selected]`).AttrOr("value", ""); got != "group" {
			t.Errorf("%s offers %q", sel, got)
		}
	}
	// A database from before the rule may remember public: still not offered.
	if _, err := w.store.Writer().Exec(`UPDATE users SET last_visibility = 'public', last_group_id = NULL WHERE email = 'member@example.org'`); err != nil {
		t.Fatal(err)
	}
	// (Changed behind the store's back, with no event: another address
	// than the page's, which may be kept.)
	doc = parse(t, w.member.get("/articles/"+slug+"?show="))
	if got := doc.Find(`#toolbar-audience option[selected]`).AttrOr("value", ""); got != "private" {
		t.Errorf("with public remembered the toolbar offers %q", got)
	}
	if got := doc.Find(`#a-visibility option[selected]`).AttrOr("value", ""); got != "private" {
		t.Errorf("with public remembered the form offers %q", got)
	}
}

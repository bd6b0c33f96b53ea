package handlers_test

// The reader's margin in pages (margin.go): a page of cards at a time
// with a no-JS pager, every highlight in the text, exact counts, and the
// pages the reader's script holds kept through in-place changes.

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/db/sqlite"
	"gloss/handlers"
	"gloss/handlers/paths"
)

type marginWorld struct {
	e              *echo.Echo
	store          db.Store
	ada, bob, anon *client
	public         []int64 // Ada's and Carol's public annotations, in text order
	private        []int64 // Ada's private ones, among them
	all            []int64 // what Ada sees, in text order
	orphan         int64   // public, its passage gone: after the last page
	replies        int     // public replies (all by Bob)
	carol          int64   // Carol's user id: she wrote one annotation, late in the text
	adaID          int64
}

const marginPer = 5

// newMarginWorld: 14 annotations spread through an article (three public
// ones with a reply, every third tagged, the 13th by Carol), 2 of them
// private, and one public orphan; five cards a page.
func newMarginWorld(t *testing.T) *marginWorld {
	t.Helper()
	ctx := context.Background()
	e, store := newAppWith(t, handlers.Config{CardsPerPage: marginPer})
	w := &marginWorld{e: e, store: store}
	ada := mustUser(t, store, "ada@example.org", "Ada", false)
	bobU := mustUser(t, store, "bob@example.org", "Bob", false)
	carolU := mustUser(t, store, "carol@example.org", "Carol", false)
	w.adaID, w.carol = ada.ID, carolU.ID
	va, _ := store.ViewerFor(ctx, ada)
	vb, _ := store.ViewerFor(ctx, bobU)
	vc, _ := store.ViewerFor(ctx, carolU)
	a, err := store.ArticleBySlug(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	// The orphan first: its passage goes in a revision below.
	orphan, err := store.CreateAnnotation(ctx, va, a.ID, db.AnnotationInput{Start: -1, End: -1, Exact: "hush-hush", Visibility: "public", Body: "gone soon"})
	if err != nil {
		t.Fatal(err)
	}
	w.orphan = orphan.ID
	n := len([]rune(a.Body))
	for i := range 14 {
		start := (i + 1) * (n - 200) / 15
		in := db.AnnotationInput{Start: start, End: start + 12, Visibility: "public", Body: fmt.Sprintf("Note %d", i)}
		v := va
		switch {
		case i == 4 || i == 9:
			in.Visibility = "private"
		case i == 12:
			v = vc
		}
		if i%3 == 0 {
			in.Tags, in.Body = "theme", ""
		}
		an, err := store.CreateAnnotation(ctx, v, a.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		w.all = append(w.all, an.ID)
		if in.Visibility == "private" {
			w.private = append(w.private, an.ID)
			continue
		}
		w.public = append(w.public, an.ID)
		if i%4 == 1 {
			if _, err := store.CreateReply(ctx, vb, an.ID, "Bob answers"); err != nil {
				t.Fatal(err)
			}
			w.replies++
		}
	}
	in := db.ArticleInput{Slug: a.Slug, Title: a.Title, Publication: a.Publication, Authors: a.Authors, PublishedOn: a.PublishedOn,
		Dek: a.Dek, Summary: a.Summary, SourceNote: a.SourceNote,
		Body: strings.Replace(a.Body, `conducted in a "hush-hush" manner`, "kept quiet", 1)}
	if _, err := store.ImportArticle(ctx, in); err != nil {
		t.Fatal(err)
	}
	w.ada = signedIn(t, e, "ada@example.org")
	w.bob = signedIn(t, e, "bob@example.org")
	w.anon = newClient(t, e)
	return w
}

func cardIDs(doc *goquery.Selection) []int64 {
	var out []int64
	doc.Find(`.card-slot > .card`).Each(func(_ int, s *goquery.Selection) {
		id, _ := strconv.ParseInt(s.AttrOr("data-id", ""), 10, 64)
		out = append(out, id)
	})
	return out
}

func okDoc(t *testing.T, cl *client, path string, header ...string) *goquery.Document {
	t.Helper()
	rec := cl.get(path, header...)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", path, rec.Code, rec.Body)
	}
	return parse(t, rec)
}

func TestMarginPager(t *testing.T) {
	w := newMarginWorld(t)
	base := "/articles/" + slug
	// Signed out: 12 public anchored annotations and the orphan, 3 pages.
	wantOrder := append(slices.Clone(w.public), w.orphan)
	t.Run("FirstPage", func(t *testing.T) {
		doc := okDoc(t, w.anon, base)
		if got := cardIDs(doc.Selection); !slices.Equal(got, w.public[:marginPer]) {
			t.Errorf("the first page's cards are %v, want %v", got, w.public[:marginPer])
		}
		if got, want := doc.Find(`#annotation-count`).Text(), strconv.Itoa(len(wantOrder)+w.replies); got != want {
			t.Errorf("the count says %s, want %s (every annotation and reply the reader may see)", got, want)
		}
		if got := strings.Join(strings.Fields(doc.Find(`[data-testid="card-range"]`).Text()), " "); got != "Annotations 1–5 of 13" {
			t.Errorf("the pager says %q", got)
		}
		if next := doc.Find(`[data-testid="card-pager"] a[rel="next"]`).AttrOr("href", ""); next != base+"?cards=2" {
			t.Errorf("next page: %q", next)
		}
		if doc.Find(`[data-testid="card-pager"] a[rel="prev"]`).Length() != 0 || doc.Find(`[data-testid="orphans"]`).Length() != 0 {
			t.Error("the first page has a previous page, or the orphans")
		}
		// Every public highlight is in the text; a card on another page is
		// linked at its page's address.
		for i, id := range w.public {
			if doc.Find(fmt.Sprintf(`mark[data-ids~="%d"]`, id)).Length() == 0 {
				t.Errorf("annotation %d (card %d) is not highlighted", id, i+1)
			}
			ref := doc.Find(fmt.Sprintf(`a.mark-ref[data-id="%d"]`, id))
			want, page := fmt.Sprintf("#a-%d", id), ""
			if i >= marginPer {
				page = strconv.Itoa(i/marginPer + 1)
				want = base + "?cards=" + page + want
			}
			if ref.AttrOr("href", "") != want || ref.AttrOr("data-cards", "") != page {
				t.Errorf("the marker of card %d links %q (page %q), want %q", i+1, ref.AttrOr("href", ""), ref.AttrOr("data-cards", ""), want)
			}
		}
		// The author filter names Carol, whose card is on a later page.
		if doc.Find(fmt.Sprintf(`#filter-author option[value="%d"]`, w.carol)).Length() != 1 {
			t.Error("the author filter lacks an author whose card is on a later page")
		}
	})
	t.Run("FollowTheLinks", func(t *testing.T) {
		var seen []int64
		path, pages := base, 0
		for path != "" {
			pages++
			if pages > 5 {
				t.Fatal("the pager does not end")
			}
			doc := okDoc(t, w.anon, path)
			ids := cardIDs(doc.Selection)
			seen = append(seen, ids...)
			orphans := cardIDs(doc.Find(`[data-testid="orphans"]`))
			if last := pages == 3; last != (len(orphans) == 1) {
				t.Errorf("page %d has orphans %v", pages, orphans)
			}
			if pages > 1 && doc.Find(`a[rel="prev"]`).AttrOr("href", "") != paths.ArticleWith(slug, pageQuery(pages-1)) {
				t.Errorf("page %d's previous page is %q", pages, doc.Find(`a[rel="prev"]`).AttrOr("href", ""))
			}
			path = doc.Find(`[data-testid="card-pager"] a[rel="next"]`).AttrOr("href", "")
		}
		if pages != 3 || !slices.Equal(seen, wantOrder) {
			t.Errorf("%d pages held %v, want 3 pages of %v", pages, seen, wantOrder)
		}
	})
	t.Run("PrivateStaysPrivate", func(t *testing.T) {
		for _, cl := range []*client{w.anon, w.bob} {
			for p := 1; p <= 3; p++ {
				doc := okDoc(t, cl, base+"?cards="+strconv.Itoa(p))
				for _, id := range w.private {
					if doc.Find(fmt.Sprintf(`#a-%d, mark[data-ids~="%d"], a.mark-ref[data-id="%d"], [data-id="%d"]`, id, id, id, id)).Length() != 0 {
						t.Errorf("page %d shows someone else's private annotation %d", p, id)
					}
				}
				if got := doc.Find(`#annotation-count`).Text(); got != strconv.Itoa(len(wantOrder)+w.replies) {
					t.Errorf("page %d counts %s", p, got)
				}
			}
		}
		// Ada sees her private ones too, on the pages their place gives them.
		doc := okDoc(t, w.ada, base+"?cards=2")
		if got := cardIDs(doc.Selection); !slices.Equal(got, w.all[marginPer:2*marginPer]) {
			t.Errorf("Ada's second page: %v, want %v", got, w.all[marginPer:2*marginPer])
		}
		if got, want := doc.Find(`#annotation-count`).Text(), strconv.Itoa(len(w.all)+1+w.replies); got != want {
			t.Errorf("Ada's count is %s, want %s", got, want)
		}
	})
	t.Run("FiltersKept", func(t *testing.T) {
		doc := okDoc(t, w.ada, base+"?show=public&tag=theme")
		if doc.Find(`[data-testid="card-pager"]`).Length() != 0 {
			t.Error("a filter that leaves one page still shows a pager")
		}
		doc = okDoc(t, w.ada, base+"?show=public&highlights=off")
		next := doc.Find(`a[rel="next"]`).AttrOr("href", "")
		if next != base+"?cards=2&highlights=off&show=public" {
			t.Errorf("next page with filters: %q", next)
		}
		// The author filter stays exact whatever the page.
		doc = okDoc(t, w.ada, base+"?author="+strconv.FormatInt(w.carol, 10))
		if got := cardIDs(doc.Selection); len(got) != 1 || got[0] != w.public[len(w.public)-2] {
			t.Errorf("Carol's annotations: %v", got)
		}
	})
	t.Run("BadPages", func(t *testing.T) {
		for _, q := range []string{"0", "x", "3-2", "-1", "1-"} {
			rec := w.anon.get(base + "?cards=" + url.QueryEscape(q))
			if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "?cards=2 for the second") {
				t.Errorf("?cards=%s: %d", q, rec.Code)
			}
		}
		if rec := w.anon.get(base + "?part=all"); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("?part=all: %d", rec.Code)
		}
		// A page past the end (annotations deleted since) is the last.
		doc := okDoc(t, w.anon, base+"?cards=9")
		if got := cardIDs(doc.Find(`[data-testid="orphans"]`)); !slices.Equal(got, []int64{w.orphan}) {
			t.Errorf("page 9 of 3 holds orphans %v, want the last page's", got)
		}
	})
}

func pageQuery(n int) url.Values {
	if n <= 1 {
		return nil
	}
	return url.Values{"cards": {strconv.Itoa(n)}}
}

// TestMarginInPlace: the reader's script holds pages 1 to N and asks for
// them all; it adds one with ?part=cards; a change keeps the pages held
// and adds the page of the card it focuses.
func TestMarginInPlace(t *testing.T) {
	w := newMarginWorld(t)
	base := "/articles/" + slug
	t.Run("Held", func(t *testing.T) {
		doc := parts(t, w.anon.get(base+"?cards=1-2", inPlace...))
		if got := cardIDs(doc.Selection); !slices.Equal(got, w.public[:2*marginPer]) {
			t.Errorf("pages 1-2 hold %v", got)
		}
		cl := doc.Find("#card-list")
		if cl.AttrOr("data-first", "") != "1" || cl.AttrOr("data-last", "") != "2" || cl.AttrOr("data-pages", "") != "3" {
			t.Errorf("the card list says it holds %s-%s of %s", cl.AttrOr("data-first", ""), cl.AttrOr("data-last", ""), cl.AttrOr("data-pages", ""))
		}
		if got := strings.Join(strings.Fields(doc.Find(`[data-testid="card-range"]`).Text()), " "); got != "Annotations 1–10 of 13" {
			t.Errorf("the pager says %q", got)
		}
	})
	t.Run("OnePageMore", func(t *testing.T) {
		rec := w.anon.get(base+"?cards=2&part=cards", inPlace...)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d", rec.Code)
		}
		doc := parse(t, rec)
		if doc.Find("#article-text, #note-list").Length() != 0 {
			t.Error("a page of cards carries the text or the notes")
		}
		if got := cardIDs(doc.Selection); !slices.Equal(got, w.public[marginPer:2*marginPer]) {
			t.Errorf("page 2 holds %v", got)
		}
		if got := doc.Find("#reader-update").AttrOr("data-announce", ""); got != "Showing annotations 6 to 10 of 13." {
			t.Errorf("announce %q", got)
		}
	})
	t.Run("ChangeKeepsPages", func(t *testing.T) {
		rec := w.bob.post(fmt.Sprintf("/annotations/%d/replies?cards=1-2", w.public[0]), url.Values{"body": {"again"}}, inPlace...)
		doc := parts(t, rec)
		if got := topIDs(doc.Selection); !slices.Equal(got, w.public[:2*marginPer]) {
			t.Errorf("after a reply, pages 1-2 hold %v", got)
		}
	})
	t.Run("ChangeAddsItsPage", func(t *testing.T) {
		a, _ := w.store.ArticleBySlug(context.Background(), slug)
		n := len([]rune(a.Body))
		rec := w.ada.post(base+"/annotations?cards=1", url.Values{"start": {strconv.Itoa(n - 20)}, "end": {strconv.Itoa(n - 10)},
			"exact": {string([]rune(a.Body)[n-20 : n-10])}, "visibility": {"public"}}, inPlace...)
		doc := parts(t, rec)
		announce, focus := update(doc)
		if strings.Contains(announce, "hide it") || focus == "" {
			t.Fatalf("announce %q, focus %q", announce, focus)
		}
		if doc.Find("#"+focus).Length() != 1 {
			t.Errorf("the new card %s is not in the parts", focus)
		}
		if cl := doc.Find("#card-list"); cl.AttrOr("data-first", "") != "1" || cl.AttrOr("data-last", "") != "3" {
			t.Errorf("the parts hold pages %s-%s, want 1-3", cl.AttrOr("data-first", ""), cl.AttrOr("data-last", ""))
		}
	})
	t.Run("NoScriptRedirectToItsPage", func(t *testing.T) {
		rec := w.ada.post(fmt.Sprintf("/annotations/%d/edit", w.public[len(w.public)-1]), url.Values{"body": {"edited"}, "visibility": {"public"}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("edit: %d", rec.Code)
		}
		// Ada sees her private ones too: the last public card is on her page 3.
		want := fmt.Sprintf("%s?cards=3#a-%d", base, w.public[len(w.public)-1])
		if got := rec.Header().Get("Location"); got != want {
			t.Errorf("redirect to %q, want %q", got, want)
		}
		page := okDoc(t, w.ada, strings.Split(want, "#")[0])
		if page.Find(fmt.Sprintf("#a-%d", w.public[len(w.public)-1])).Length() != 1 {
			t.Error("the page redirected to lacks the card")
		}
	})
}

// topIDs is the top-level cards' ids.
func topIDs(doc *goquery.Selection) []int64 {
	var out []int64
	doc.Find(`#cards > .card-slot`).Each(func(_ int, s *goquery.Selection) {
		id, _ := strconv.ParseInt(s.AttrOr("data-id", ""), 10, 64)
		out = append(out, id)
	})
	return out
}

// TestMarginCardLink: a link to a card (paths.CardLink: notifications,
// search, activity, collections) leads to the page of cards that holds it,
// a reply to its thread's, without JavaScript; one the viewer may not see
// leads to the first page and says nothing of it.
func TestMarginCardLink(t *testing.T) {
	w := newMarginWorld(t)
	if _, ok := w.store.(*sqlite.Store); !ok {
		t.Skip("needs the SQLite store for a direct read")
	}
	reader := "/articles/" + slug
	to := func(cl *client, card string) string {
		t.Helper()
		rec := cl.get(reader + "?card=" + card)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("?card=%s: %d", card, rec.Code)
		}
		return rec.Header().Get("Location")
	}
	last := w.all[len(w.all)-1] // Ada sees all 14: the third page of 5
	if got, want := to(w.ada, fmt.Sprint(last)), fmt.Sprintf("%s?cards=3#a-%d", reader, last); got != want {
		t.Errorf("Ada's link to her last card goes to %q, want %q", got, want)
	}
	var reply int64
	if err := w.store.(*sqlite.Store).Writer().QueryRow(`SELECT id FROM annotations WHERE parent_id = ?`, last).Scan(&reply); err != nil {
		t.Fatal(err)
	}
	if got, want := to(w.ada, fmt.Sprint(reply)), fmt.Sprintf("%s?cards=3#a-%d", reader, reply); got != want {
		t.Errorf("a reply's link goes to %q, want its thread's page %q", got, want)
	}
	// Signed out, the two private ones are not counted: the last is on page 3 too (12 public).
	private := w.private[0]
	if got, want := to(w.anon, fmt.Sprint(private)), fmt.Sprintf("%s#a-%d", reader, private); got != want {
		t.Errorf("a private annotation's link, signed out, goes to %q, want the first page %q", got, want)
	}
	if got := to(w.anon, fmt.Sprint(last)); !strings.Contains(got, "?cards=3#") {
		t.Errorf("signed out, the last public card's link goes to %q", got)
	}
	if rec := w.ada.get(reader + "?card=x"); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("?card=x: %d", rec.Code)
	}
}

package main

// Browser tests of finding things: the search box in the header and the
// search page with its filters, the tags page and a tag's edit page, a
// group's codebook and the library index. Each page gets axe, the phone
// check and screenshots.

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gloss/db"
)

func TestBrowserSearchAndTags(t *testing.T) {
	g := startGloss(t)
	ctx := context.Background()
	ada := g.person("Ada Lovelace", "ada@example.org", true)
	grp, err := g.store.CreateGroup(ctx, ada.ID, "Seminar", "")
	if err != nil {
		t.Fatal(err)
	}
	v, err := g.store.ViewerFor(ctx, ada.User)
	if err != nil {
		t.Fatal(err)
	}
	art, err := g.store.ArticleBySlug(ctx, "nk-defectors-in-china-remain-concern")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []db.AnnotationInput{
		{Start: -1, End: -1, Exact: "an estimated 100,000 North Koreans", Body: "A *low* estimate", Tags: "figures/estimates", Visibility: "public"},
		{Start: -1, End: -1, Exact: "468 North Korean defectors", Body: "A count, not an estimate", Tags: "figures/counts", Visibility: "group", Group: strconv.FormatInt(grp.ID, 10)},
		{Start: -1, End: -1, Exact: "hush-hush", Body: "Private thought about secrecy", Tags: "secrecy", Visibility: "private"},
	} {
		if _, err := g.store.CreateAnnotation(ctx, v, art.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := g.store.SetCodebookEntries(ctx, v, grp.ID, [][2]string{{"figures/estimates", "A number someone estimated"}}); err != nil {
		t.Fatal(err)
	}

	b := g.tab()
	b.subtest("HeaderSearchSignedOut", func(t *testing.T) {
		b.navigate("/")
		b.typeInto("#header-q", "estimat*")
		b.clickAndLoad(`.header-search button`)
		if got := b.text(`[data-testid="result-count"]`); !strings.Contains(got, "result") {
			t.Fatalf("result count %q", got)
		}
		if body := b.text("main"); strings.Contains(body, "A count, not an estimate") || strings.Contains(body, "Private thought") {
			t.Error("a signed-out search shows group or private annotations")
		}
		checkPage(b, "search results (signed out)", "search")
	})
	b.subtest("ResultLandsOnPassage", func(t *testing.T) {
		b.navigate("/search?q=" + url.QueryEscape("Kyungnam"))
		b.clickAndLoad(`.hit h3 a`)
		if got := b.text("mark.found"); got != "Kyungnam" {
			t.Errorf("the reader marks %q", got)
		}
		if !eval[bool](b, `(() => { const r = document.querySelector('mark.found').getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight })()`) {
			t.Error("the found passage is not scrolled into view")
		}
	})
	b.subtest("SignedInFiltersAndTabs", func(t *testing.T) {
		signIn(b, ada)
		b.navigate("/search?q=estimate")
		if !strings.Contains(b.text("main"), "A count, not an estimate") {
			t.Error("a group member does not find the group annotation")
		}
		b.clickAndLoad(`.kind-tabs a[href*="kind=annotation"]`)
		for _, k := range b.texts(`.hit .hit-kind`) {
			if k != "ANNOTATIONS" && k != "Annotations" {
				t.Errorf("kind tab shows a %q result", k)
			}
		}
		b.navigateStatus("/search?q=estimate&from=not-a-date", 422)
		if !b.has(`[data-testid="search-error"]`) {
			t.Error("a bad date filter is not explained")
		}
		b.navigate("/search?q=" + url.QueryEscape(`"unbalanced OR *`))
		checkPage(b, "search page with filters", "search-filters")
	})
	b.subtest("TagsPage", func(t *testing.T) {
		b.navigate("/tags")
		rows := b.texts(`[data-testid="tags"] tbody tr`)
		if len(rows) < 4 || !strings.HasPrefix(rows[0], "figures/") {
			t.Errorf("tag rows %q: want the figures/ heading before its children", rows)
		}
		checkPage(b, "tags", "tags")
		b.navigate("/tags/" + url.PathEscape("figures/estimates") + "/edit")
		checkPage(b, "tag edit", "tag-edit")
		b.typeInto("#f-description", "Numbers someone estimated")
		b.clickAndLoad(`form[action$="/edit"] button[type="submit"]`)
		if got := b.text(`[data-testid="tag-description"]`); got != "Numbers someone estimated" {
			t.Errorf("description %q", got)
		}
		checkPage(b, "tag page", "tag")
	})
	b.subtest("CodebookAndIndex", func(t *testing.T) {
		b.navigate("/groups/" + strconv.FormatInt(grp.ID, 10) + "/codebook")
		if got := b.texts(`[data-testid="codebook-row"]`); len(got) != 2 {
			t.Errorf("codebook rows %q", got)
		}
		checkPage(b, "codebook", "codebook")
		b.navigate("/index")
		checkPage(b, "index", "index")
		b.clickAndLoad(`[data-testid="index-years"] a`)
		if n := len(b.texts(`[data-testid="article"]`)); n != 1 {
			t.Errorf("library for the first year lists %d articles", n)
		}
	})
}

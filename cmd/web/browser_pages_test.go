package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"gloss/db"
)

const (
	articleTitles   = `[...document.querySelectorAll('[data-testid="article"] h2')].map(h => h.textContent.trim())`
	firstArticleURL = `[data-testid="article"] h2 a`
)

func TestBrowserLibrary(t *testing.T) {
	b := newTab(t)
	b.navigate("/")
	b.run(chromedp.WaitVisible(chromedp.CSS(`[data-testid="article-list"]`)))

	titles := eval[[]string](b, articleTitles)
	want := []string{
		"Help the Refugees Who Reach China",
		"Rescue of a few N Koreans hurts majority: expert",
		"NK Defectors in China Remain Concern",
		"Aid Groups: China Has Increased Crackdown on Illegal Migrants",
		"Desperate N Koreans Seek Asylum In China",
	}
	if !slices.Equal(titles, want) {
		t.Errorf("library lists, newest first:\n%q\nwant:\n%q", titles, want)
	}
	b.axe("library")
	b.screenshot("library")
}

func TestBrowserLibrarySortByTitle(t *testing.T) {
	b := newTab(t)
	b.navigate("/")
	before := eval[[]string](b, articleTitles)

	b.run(chromedp.SetValue(chromedp.CSS("#sort"), "title"))
	b.clickAndLoad(`.library-controls button[type="submit"]`)
	b.run(chromedp.WaitVisible(chromedp.CSS(`[data-testid="article-list"]`)))

	after := eval[[]string](b, articleTitles)
	if slices.Equal(after, before) {
		t.Fatalf("sorting by title did not change the order: %q", after)
	}
	sorted := slices.SortedFunc(slices.Values(before), func(x, y string) int {
		return strings.Compare(strings.ToLower(x), strings.ToLower(y))
	})
	if !slices.Equal(after, sorted) {
		t.Errorf("sorted by title:\n%q\nwant:\n%q", after, sorted)
	}
	if got := b.path(); !strings.Contains(got, "sort=title") {
		t.Errorf("URL after sorting %q lacks sort=title", got)
	}
	if got := value(b, chromedp.Value(chromedp.CSS("#sort"))); got != "title" {
		t.Errorf("the sort control shows %q after sorting by title", got)
	}
}

func TestBrowserLibraryFilterByPublication(t *testing.T) {
	b := newTab(t)
	b.navigate("/")

	const pub = "Voice of America"
	b.run(chromedp.SetValue(chromedp.CSS("#publication"), pub))
	b.clickAndLoad(`.library-controls button[type="submit"]`)
	b.run(chromedp.WaitVisible(chromedp.CSS(`[data-testid="article-list"]`)))

	if got := eval[[]string](b, articleTitles); !slices.Equal(got, []string{"Aid Groups: China Has Increased Crackdown on Illegal Migrants"}) {
		t.Errorf("articles from %s: %q", pub, got)
	}
	pubs := eval[[]string](b, `[...document.querySelectorAll('[data-testid="article"] [data-testid="publication"]')].map(e => e.textContent)`)
	if !slices.Equal(pubs, []string{pub}) {
		t.Errorf("publications listed: %q", pubs)
	}
	if got := value(b, chromedp.Text(chromedp.CSS(`[data-testid="library-count"]`))); !strings.Contains(got, "1 article") || !strings.Contains(got, pub) {
		t.Errorf("count line %q", got)
	}
	if got := value(b, chromedp.Value(chromedp.CSS("#publication"))); got != pub {
		t.Errorf("the publication control shows %q", got)
	}
}

// openFirstArticle goes from the library to the reader by clicking the
// first article's link, as a reader would.
func openFirstArticle(b *tab) {
	b.t.Helper()
	b.navigate("/")
	b.clickAndLoad(firstArticleURL)
	b.run(chromedp.WaitVisible(chromedp.CSS(`[data-testid="article-text"] p`)))
	if got, want := b.path(), "/articles/help-the-refugees-who-reach-china"; got != want {
		b.t.Fatalf("clicking the first article opened %q, want %q", got, want)
	}
}

func TestBrowserReader(t *testing.T) {
	b := newTab(t)
	openFirstArticle(b)

	if got := value(b, chromedp.Text(chromedp.CSS("h1"))); got != "Help the Refugees Who Reach China" {
		t.Errorf("reader heading %q", got)
	}
	paras := eval[[]string](b, `[...document.querySelectorAll('[data-testid="article-text"] p')].map(p => p.textContent)`)
	if len(paras) < 3 {
		t.Fatalf("%d paragraphs of text, want several", len(paras))
	}
	for i, p := range paras {
		if strings.TrimSpace(p) == "" {
			t.Errorf("paragraph %d is empty", i)
		}
	}
	if got := eval[string](b, `document.querySelector('[data-testid="article-text"] p').dataset.start`); got != "0" {
		t.Errorf("first paragraph starts at %q, want 0", got)
	}
	b.axe("reader")
	b.screenshot("reader")
}

// TestBrowserReaderPhone reads an article on a 390px phone: nothing may be
// wider than the screen.
func TestBrowserReaderPhone(t *testing.T) {
	b := newTab(t)
	b.setViewport(phone)
	openFirstArticle(b)

	// On a mobile screen Chromium zooms out to fit a page that is too wide,
	// which widens innerWidth with it, so check innerWidth against the
	// screen as well as scrollWidth against the layout viewport.
	type fit struct {
		ScrollWidth int64    `json:"scrollWidth"`
		ClientWidth int64    `json:"clientWidth"`
		InnerWidth  int64    `json:"innerWidth"`
		Wide        []string `json:"wide"`
	}
	got := eval[fit](b, `(() => {
		const root = document.documentElement;
		return {
			scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, innerWidth: window.innerWidth,
			wide: [...document.querySelectorAll('body *')]
				.filter(e => e.getBoundingClientRect().right > root.clientWidth + 0.5)
				.slice(0, 5)
				.map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).trim().split(/\s+/).join('.') : '')),
		};
	})()`)
	if got.InnerWidth != phone.width || got.ScrollWidth > got.InnerWidth || got.ScrollWidth > got.ClientWidth {
		t.Errorf("page overflows a %dpx screen: scrollWidth %d, clientWidth %d, innerWidth %d; too wide: %q",
			phone.width, got.ScrollWidth, got.ClientWidth, got.InnerWidth, got.Wide)
	}
	size := eval[float64](b, `parseFloat(getComputedStyle(document.querySelector('[data-testid="article-text"] p')).fontSize)`)
	if size < 16 {
		t.Errorf("article text is %.1fpx on a phone, want at least 16px", size)
	}
	b.axe("reader (phone)")
}

func TestBrowserNotFound(t *testing.T) {
	b := newTab(t)
	b.navigateStatus("/no-such-page", 404)
	b.run(chromedp.WaitVisible(chromedp.CSS(`[data-testid="error"]`)))
	if got := value(b, chromedp.Text(chromedp.CSS("h1"))); got != "Not Found" {
		t.Errorf("404 heading %q", got)
	}
	b.clickAndLoad(`[data-testid="error"] a[href="/"]`)
	if got := b.path(); got != "/" {
		t.Errorf("the way back from the 404 page leads to %q", got)
	}
	b.navigateStatus("/no-such-page", 404)
	b.axe("404")
	b.screenshot("404")
}

// TestBrowserSkipLink: the first Tab reaches "Skip to content", which is
// then visible with a focus ring, and Enter moves focus to main.
func TestBrowserSkipLink(t *testing.T) {
	b := newTab(t)
	b.navigate("/")
	b.run(chromedp.KeyEvent(kb.Tab))

	type focused struct {
		Text       string  `json:"text"`
		Href       string  `json:"href"`
		Outline    string  `json:"outline"`
		OutlineW   float64 `json:"outlineWidth"`
		Top        float64 `json:"top"`
		Bottom     float64 `json:"bottom"`
		Width      float64 `json:"width"`
		FocusVisib bool    `json:"focusVisible"`
	}
	got := eval[focused](b, `(() => {
		const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
		return {
			text: e.textContent.trim(), href: e.getAttribute('href') || '',
			outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0,
			top: r.top, bottom: r.bottom, width: r.width, focusVisible: e.matches(':focus-visible'),
		};
	})()`)
	if got.Text != "Skip to content" || got.Href != "#main" {
		t.Fatalf("first Tab focused %q (href %q), want the skip link", got.Text, got.Href)
	}
	if got.Outline == "none" || got.OutlineW == 0 || !got.FocusVisib {
		t.Errorf("focused skip link has no visible focus ring: outline %q %vpx, :focus-visible %v", got.Outline, got.OutlineW, got.FocusVisib)
	}
	if got.Top < 0 || got.Bottom > float64(desktop.height) || got.Width == 0 {
		t.Errorf("focused skip link is off screen: top %v bottom %v width %v", got.Top, got.Bottom, got.Width)
	}
	b.screenshot("skip-link")

	b.run(chromedp.KeyEvent(kb.Enter))
	b.waitFor(`document.activeElement && document.activeElement.id === 'main'`)
}

// TestBrowserLibraryPager pages through a library longer than one page with
// the pager's plain links, keeping the sort, and checks the pager with axe
// and on a phone.
func TestBrowserLibraryPager(t *testing.T) {
	g := startGloss(t)
	for i := 1; i <= 70; i++ {
		if _, err := g.store.ImportArticle(context.Background(), db.ArticleInput{
			Slug: fmt.Sprintf("pager-%03d", i), Title: fmt.Sprintf("Pager test %03d", i), Publication: "Gloss test corpus",
			PublishedOn: fmt.Sprintf("19%02d-06-01", i), Body: "A short text for the pager.",
		}); err != nil {
			t.Fatal(err)
		}
	}
	b := g.tab()
	b.navigate("/?sort=title")
	if got := b.texts(`[data-testid="pager"] a[aria-current="page"]`); !slices.Equal(got, []string{"Page 1"}) {
		t.Fatalf("current page %q", got)
	}
	checkPage(b, "library pager", "library-pager")
	b.clickAndLoad(`[data-testid="pager"] a[rel="next"]`)
	if got := b.path(); got != "/?page=2&sort=title" {
		t.Errorf("next page at %q", got)
	}
	titles := eval[[]string](b, articleTitles)
	if len(titles) != 25 || titles[0] != "Pager test 047" {
		t.Errorf("page 2 by title: %d articles, first %q", len(titles), titles)
	}
	if b.has(`[data-testid="pager"] a[rel="next"]`) || !b.has(`[data-testid="pager"] a[rel="prev"]`) {
		t.Error("the last page offers a next page or no previous page")
	}
	b.clickAndLoad(`[data-testid="pager"] a[rel="prev"]`)
	if got := b.path(); got != "/?sort=title" {
		t.Errorf("back to page 1 at %q", got)
	}
}

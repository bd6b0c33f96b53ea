package main

// Browser test of a fresh install: the starter set fills the evidence views,
// and its example collection says its figures' values on the slides and,
// duplicated and shared, on the share link.

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gloss/db/sqlite"

	"github.com/chromedp/chromedp"
)

func TestBrowserFreshInstall(t *testing.T) {
	chromium.get(t)
	dbPath := filepath.Join(t.TempDir(), "gloss.db")
	g := &gloss{t: t, base: startFresh(t, dbPath)}
	store, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	g.store = store
	b := g.tab()

	b.subtest("Figures", func(t *testing.T) {
		b.navigate("/figures")
		group := `[data-testid="figure-group"][data-counted="North Koreans in China"][data-unit="people"]`
		if n := len(b.texts(group + ` [data-testid="figure-row"]`)); n != 7 {
			t.Errorf("%d estimates of North Koreans in China, want 7", n)
		}
		if got := b.texts(group + ` [data-testid="estimator"]`); !strings.Contains(strings.Join(got, "|"), "International aid groups") {
			t.Errorf("estimators: %v", got)
		}
		checkPage(b, "figures (starter set)", "starter-figures")
		chartReadable(b, desktop)
		chartReadable(b, phone)
	})
	b.subtest("Voices", func(t *testing.T) {
		b.navigate("/voices")
		if n := len(b.texts(`[data-testid="voice-row"]`)); n < 20 {
			t.Errorf("%d voices", n)
		}
		checkPage(b, "voices (starter set)", "starter-voices")
	})
	b.subtest("Timeline", func(t *testing.T) {
		b.navigate("/timeline")
		if n := len(b.texts(`[data-testid="timeline-entry"][data-kind="event"]`)); n != 10 {
			t.Errorf("%d events, want 10", n)
		}
		checkPage(b, "timeline (starter set)", "starter-timeline")
	})

	want := "150,000–300,000 people (North Koreans in China) · International aid groups · 2001"
	eve := g.person("Eve Educator", "eve@example.org", false)
	signIn(b, eve)
	var copyBase string
	b.subtest("ExampleCollectionSlides", func(t *testing.T) {
		b.navigate("/collections")
		b.clickAndLoad(`a[href^="/collections/"]:not([href$="/new"])`)
		if got := b.text(`h1`); got != "How many North Koreans are in China?" {
			t.Fatalf("opened %q", got)
		}
		if got := b.texts(`[data-testid="chosen-evidence"]`); len(got) != 5 || !strings.Contains(got[0], want) {
			t.Errorf("the collection's figures say %q", got)
		}
		checkPage(b, "example collection", "starter-collection")
		base := b.path()
		b.navigate(base + "/present/3")
		if got := b.text(`[data-testid="chosen-evidence"]`); !strings.Contains(got, want) {
			t.Errorf("slide 3 says %q, want the figure's values", got)
		}
		b.navigate(base)
		b.clickAndLoad(`form[action$="/duplicate"] button`)
		copyBase = strings.TrimSuffix(b.path(), "/edit")
	})
	b.subtest("ShareLinkOfACopy", func(t *testing.T) {
		if copyBase == "" {
			t.Skip("no copy")
		}
		b.navigate(copyBase + "/edit")
		b.clickAndLoad(`[data-testid="make-share"]`)
		link := strings.TrimPrefix(b.text(`[data-testid="share-url"] code`), g.base)
		anon := g.tab()
		anon.t = t // its failures are this subtest's
		anon.navigate(link)
		if got := anon.texts(`[data-testid="chosen-evidence"]`); len(got) != 5 || !strings.Contains(got[0], want) {
			t.Errorf("the share link's figures say %q", got)
		}
		anon.navigate(link + "/present/3")
		if got := anon.text(`[data-testid="chosen-evidence"]`); !strings.Contains(got, want) {
			t.Errorf("the shared slide 3 says %q", got)
		}
		checkPage(anon, "shared slide with a figure", "starter-shared-slide")
	})
}

// chartReadable checks /figures at a screen size: every label in type of at
// least 13px (the SVG of old scaled 12px labels to 6px on a phone), single
// values as points of at least 12px, and the table scrolling inside its own
// box rather than widening the page.
func chartReadable(b *tab, v viewport) {
	b.t.Helper()
	was := b.view
	b.setViewport(v)
	defer b.setViewport(was)
	type measure struct {
		MinLabel, MinTick, MinPoint float64
		Points, Bars                int
		PageWidth, WrapWidth        float64
		TableWidth                  float64
		LabelsCrossed               int
	}
	m := eval[measure](b, `(() => {
		// The size as rendered: SVG text in a viewBox is scaled with it.
		const px = el => parseFloat(getComputedStyle(el).fontSize) * (el.getScreenCTM ? el.getScreenCTM().a : 1);
		const labels = [...document.querySelectorAll('.chart-label')];
		const ticks = [...document.querySelectorAll('.chart-tick')].filter(t => getComputedStyle(t).display !== 'none');
		const points = [...document.querySelectorAll('[data-testid="chart-point"]')];
		const wrap = document.querySelector('.figure-group .table-wrap');
		// A label is crossed when a gridline's box overlaps its box.
		const grids = [...document.querySelectorAll('.chart-grid')].map(g => g.getBoundingClientRect());
		let crossed = 0;
		for (const l of labels) {
			const r = l.getBoundingClientRect();
			if (grids.some(g => g.left < r.right && r.left < g.right && g.top < r.bottom && r.top < g.bottom)) crossed++;
		}
		return {
			MinLabel: Math.min(...labels.map(px)), MinTick: Math.min(...ticks.map(px)),
			MinPoint: Math.min(...points.map(p => p.getBoundingClientRect().width)),
			Points: points.length, Bars: document.querySelectorAll('[data-testid="chart-bar"]').length,
			PageWidth: document.documentElement.scrollWidth, WrapWidth: wrap.getBoundingClientRect().width,
			TableWidth: wrap.querySelector('table').getBoundingClientRect().width, LabelsCrossed: crossed,
		};
	})()`)
	if m.MinLabel < 13 || m.MinTick < 12 {
		b.t.Errorf("%s: labels in %vpx type, ticks in %vpx", v.name, m.MinLabel, m.MinTick)
	}
	if m.Points == 0 || m.MinPoint < 12 {
		b.t.Errorf("%s: %d single values, the smallest %vpx wide", v.name, m.Points, m.MinPoint)
	}
	if m.LabelsCrossed != 0 {
		b.t.Errorf("%s: gridlines cross %d labels", v.name, m.LabelsCrossed)
	}
	if m.PageWidth > float64(v.width) || m.WrapWidth > float64(v.width) {
		b.t.Errorf("%s: the page is %vpx wide, the table's box %vpx (table %vpx)", v.name, m.PageWidth, m.WrapWidth, m.TableWidth)
	}
	b.t.Logf("%s: labels %vpx, ticks %vpx, points %vpx (%d), bars %d, table %vpx in a box of %vpx",
		v.name, m.MinLabel, m.MinTick, m.MinPoint, m.Points, m.Bars, m.TableWidth, m.WrapWidth)
	if *screenshotDir != "" {
		// The comparison of the corpus, close up, for a person to look at.
		png := value(b, chromedp.Screenshot(chromedp.CSS(`[data-testid="figure-group"][data-unit="people"][data-counted="North Koreans in China"]`)))
		if err := os.WriteFile(filepath.Join(*screenshotDir, "starter-chart-"+v.name+".png"), png, 0o644); err != nil {
			b.t.Fatal(err)
		}
	}
}

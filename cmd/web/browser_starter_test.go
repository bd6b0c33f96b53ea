package main

// Browser test of a fresh install: the starter set fills the evidence views,
// and its example collection says its figures' values on the slides and,
// duplicated and shared, on the share link.

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"gloss/db"
)

func TestBrowserFreshInstall(t *testing.T) {
	chromium.get(t)
	dbPath := filepath.Join(t.TempDir(), "gloss.db")
	g := &gloss{t: t, base: startFresh(t, dbPath)}
	store, err := db.Open(context.Background(), dbPath)
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

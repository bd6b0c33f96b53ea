package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"gloss/seeds"
)

// TestStarterSetPages: with the starter set imported, as on a fresh
// install, a signed-out reader finds figures on /figures, entities on
// /voices and events on /timeline; an administrator removes the set from
// the admin page after ticking the box, and then the views are empty.
func TestStarterSetPages(t *testing.T) {
	e, store := newApp(t)
	if _, err := seeds.ImportStarter(context.Background(), store); err != nil {
		t.Fatal(err)
	}

	figures := parse(t, get(t, e, "/figures"))
	group := figures.Find(`[data-testid=figure-group][data-counted="North Koreans in China"]`)
	if group.Length() == 0 || group.Find("[data-testid=figure-row]").Length() < 7 {
		t.Fatalf("/figures: %d groups, the estimates of North Koreans in China missing", figures.Find("[data-testid=figure-group]").Length())
	}
	if !strings.Contains(group.Find("[data-testid=figures-table]").Text(), "International aid groups") {
		t.Error("/figures: the aid groups' estimate is not in the table")
	}
	voices := parse(t, get(t, e, "/voices"))
	if n := voices.Find("[data-testid=voice-row]").Length(); n < 20 || !strings.Contains(voices.Text(), "UNHCR") {
		t.Errorf("/voices: %d entities", n)
	}
	timeline := parse(t, get(t, e, "/timeline"))
	if n := timeline.Find(`[data-testid=timeline-entry][data-kind=event]`).Length(); n != 10 {
		t.Errorf("/timeline: %d events, want 10", n)
	}

	// Search results say an annotation's kind and fields as everywhere.
	hits := parse(t, get(t, e, "/search?q=ceiling&kind=annotation"))
	if got := hits.Find(`[data-testid="hit-evidence"]`).Text(); !strings.Contains(got, "100,000 people (North Koreans in China) · Aid workers in China · 2002") {
		t.Errorf("search result's evidence: %q", got)
	}

	mustUser(t, store, "ada@example.org", "Ada Admin", true)
	mustUser(t, store, "bo@example.org", "Bo Member", false)
	admin, member := signedIn(t, e, "ada@example.org"), signedIn(t, e, "bo@example.org")

	t.Run("TheExampleCollectionIsEveryones", func(t *testing.T) {
		doc := parse(t, member.get("/collections"))
		link := doc.Find(`a:contains("How many North Koreans are in China?")`)
		if link.Length() == 0 {
			t.Fatal("a member does not see the example collection")
		}
	})

	// A figure in a collection says its values on the page, a slide and a
	// share link: the example, duplicated and shared by a member.
	t.Run("FigureOnSlideAndShareLink", func(t *testing.T) {
		want := "150,000–300,000 people (North Koreans in China) · International aid groups · 2001"
		list := parse(t, member.get("/collections"))
		href := list.Find(`a:contains("How many North Koreans are in China?")`).AttrOr("href", "")
		if got := parse(t, member.get(href+"/present/3")).Find(`[data-testid="chosen-evidence"]`).Text(); !strings.Contains(got, want) {
			t.Errorf("slide 3 of the example says %q", got)
		}
		rec := member.post(href+"/duplicate", url.Values{})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("duplicate: %d", rec.Code)
		}
		copyBase := strings.TrimSuffix(rec.Header().Get("Location"), "/edit")
		page := parse(t, member.post(copyBase+"/share", url.Values{}))
		u, err := url.Parse(page.Find(`[data-testid="share-url"] code`).Text())
		if err != nil || !strings.HasPrefix(u.Path, "/s/") {
			t.Fatalf("share link %v %v", u, err)
		}
		link := u.Path
		anon := newClient(t, e)
		for _, path := range []string{link, link + "/present/3", link + "/print"} {
			doc := parse(t, anon.get(path))
			if got := doc.Find(`[data-testid="chosen-evidence"]`).First().Text(); !strings.Contains(got, want) {
				t.Errorf("%s says %q", path, got)
			}
			if strings.Contains(doc.Text(), "Highlighted") {
				t.Errorf("%s calls a figure a highlight", path)
			}
		}
	})

	t.Run("AdminPageShowsIt", func(t *testing.T) {
		doc := parse(t, admin.get("/admin"))
		if got := doc.Find("[data-testid=starter-count]").Text(); got != "42" {
			t.Errorf("starter annotations on the admin page: %q", got)
		}
	})

	t.Run("OnlyAdministrators", func(t *testing.T) {
		if rec := member.post("/admin/starter/remove", url.Values{"confirm": {"yes"}}); rec.Code != http.StatusForbidden {
			t.Errorf("a member removing the starter set: %d", rec.Code)
		}
		if rec := newClient(t, e).post("/admin/starter/remove", url.Values{"confirm": {"yes"}}); rec.Code < 400 || rec.Code >= 500 {
			t.Errorf("signed out: %d", rec.Code)
		}
	})

	t.Run("NeedsTheBoxTicked", func(t *testing.T) {
		rec := admin.post("/admin/starter/remove", url.Values{})
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Tick the box") {
			t.Fatalf("without confirmation: %d", rec.Code)
		}
		if n := parse(t, get(t, e, "/figures")).Find("[data-testid=figure-group]").Length(); n == 0 {
			t.Fatal("the starter set went without confirmation")
		}
	})

	t.Run("Removes", func(t *testing.T) {
		rec := admin.post("/admin/starter/remove", url.Values{"confirm": {"yes"}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("remove: %d\n%s", rec.Code, rec.Body)
		}
		page := admin.get("/admin").Body.String()
		if !strings.Contains(page, "Starter set removed: 42 annotations, 1 collection and") {
			t.Error("no message saying what was removed")
		}
		if !strings.Contains(page, "removed by Ada Admin") {
			t.Error("the admin page does not say who removed it")
		}
		if !strings.Contains(get(t, e, "/figures").Body.String(), "No figures yet") {
			t.Error("/figures still shows figures")
		}
		if rec := admin.post("/admin/starter/remove", url.Values{"confirm": {"yes"}}); rec.Code != http.StatusConflict {
			t.Errorf("removing again: %d, want 409", rec.Code)
		}
		rep, err := seeds.ImportStarter(context.Background(), store)
		if err != nil || !rep.Removed || rep.Added != 0 {
			t.Errorf("import after removal: %+v, %v", rep, err)
		}
		// The member's copy stays theirs; the example is gone.
		titles := parse(t, member.get("/collections")).Find("a").Map(func(_ int, a *goquery.Selection) string { return a.Text() })
		for _, title := range titles {
			if title == "How many North Koreans are in China?" {
				t.Error("the example collection is still listed")
			}
		}
	})
}

package handlers_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestArticleTagsWhoMayTagAndRemove (issue 15, finding 12): tags on an
// article are shown to everyone, so only administrators and people who
// write in a group add them (not a group's viewers, nor an account in no
// group); whoever added a tag, and administrators, remove it; the reader
// offers each only what they may do.
func TestArticleTagsWhoMayTagAndRemove(t *testing.T) {
	w := newAnnotationWorld(t)
	tags := func() []string { // as every reader sees them
		var out []string
		parse(t, w.anonymous.get("/articles/"+slug)).Find(`[data-testid="article-tags"] li a`).Each(func(_ int, s *goquery.Selection) {
			out = append(out, s.Text())
		})
		return out
	}
	add := func(cl *client, tag string) int {
		return cl.post("/articles/"+slug+"/tags", url.Values{"tags": {tag}}).Code
	}
	remove := func(cl *client, tag string) int {
		return cl.post("/articles/"+slug+"/tags/remove", url.Values{"tag": {tag}}).Code
	}
	for name, cl := range map[string]*client{"a group's viewer": w.viewer, "an account in no group": w.outsider} {
		if code := add(cl, "spam"); code != http.StatusForbidden {
			t.Errorf("%s tagging the article: %d", name, code)
		}
		if parse(t, cl.get("/articles/"+slug)).Find(`form[action="/articles/`+slug+`/tags"]`).Length() != 0 {
			t.Errorf("the reader offers %s to tag the article", name)
		}
	}
	if code := add(w.member, "refugees"); code != http.StatusSeeOther {
		t.Fatalf("a member tagging: %d", code)
	}
	if code := add(w.admin, "asylum"); code != http.StatusSeeOther {
		t.Fatalf("an administrator tagging: %d", code)
	}
	if got := tags(); !slices.Equal(got, []string{"asylum", "refugees"}) {
		t.Fatalf("tags %v", got)
	}
	// Only the adder and administrators see, and may use, Remove.
	removable := func(cl *client) []string {
		var out []string
		parse(t, cl.get("/articles/"+slug)).Find(`[data-testid="untag-article"] input[name="tag"]`).Each(func(_ int, s *goquery.Selection) {
			out = append(out, s.AttrOr("value", ""))
		})
		return out
	}
	if got := removable(w.member); !slices.Equal(got, []string{"refugees"}) {
		t.Errorf("the member may remove %v", got)
	}
	if got := removable(w.owner); len(got) != 0 {
		t.Errorf("another member may remove %v", got)
	}
	if got := removable(w.admin); !slices.Equal(got, []string{"asylum", "refugees"}) {
		t.Errorf("an administrator may remove %v", got)
	}
	if code := remove(w.owner, "refugees"); code != http.StatusForbidden {
		t.Errorf("another member removing a tag: %d", code)
	}
	if code := remove(w.anonymous, "refugees"); code != http.StatusUnauthorized && code != http.StatusSeeOther {
		t.Errorf("signed out removing a tag: %d", code)
	}
	if code := remove(w.member, "refugees"); code != http.StatusSeeOther {
		t.Errorf("the adder removing their tag: %d", code)
	}
	if code := remove(w.admin, "asylum"); code != http.StatusSeeOther {
		t.Errorf("an administrator removing a tag: %d", code)
	}
	if code := remove(w.admin, "asylum"); code != http.StatusNotFound {
		t.Errorf("removing a tag the article does not have: %d", code)
	}
	if got := tags(); len(got) != 0 {
		t.Errorf("tags left: %v", got)
	}
}

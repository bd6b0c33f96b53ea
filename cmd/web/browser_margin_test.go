package main

// Browser test of the reader's margin in pages (handlers/margin.go): the
// next page of cards arrives as the reader scrolls, a highlight whose card
// is on a later page loads it, a change keeps the pages loaded, and the
// pager works without JavaScript.

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"gloss/db"
)

func TestBrowserMarginPages(t *testing.T) {
	g := startGloss(t)
	ada := g.person("Ada Lovelace", "ada@example.org", false)
	ctx := context.Background()
	const slug = "desperate-n-koreans-seek-asylum-in-china"
	art, err := g.store.ArticleBySlug(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	// 95 public comments spread through the text, in text order: pages of
	// 40, 40 and 15 cards.
	const total = 95
	n := len([]rune(art.Body))
	var ids []string
	for i := range total {
		start := i * (n - 40) / total
		a, err := g.store.CreateAnnotation(ctx, viewerOf(g, ada), art.ID, db.AnnotationInput{
			Start: start, End: start + 6, Visibility: "public", Body: fmt.Sprintf("Card %d", i+1)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, cardSel(a.ID)[1:])
	}
	path := "/articles/" + slug
	b := g.tab()
	signIn(b, ada)
	pagerSays := func() string { return b.text(`[data-testid="card-range"]`) }

	b.subtest("ScrollBringsTheNextPage", func(t *testing.T) {
		b.navigate(path)
		mark := watchPage(b)
		if got := cardIDs(b); !slices.Equal(got, ids[:40]) {
			t.Fatalf("the page opens with %d cards (%v…), want the first 40", len(got), got[:min(3, len(got))])
		}
		if got := pagerSays(); got != "Annotations 1–40 of 95" {
			t.Errorf("the pager says %q", got)
		}
		if !eval[bool](b, `document.querySelector('[data-cards-more]').checkVisibility() && !document.querySelector('[data-cards-next]').checkVisibility()`) {
			t.Error("with JavaScript the pager offers no More annotations button, or still the link that leaves the page")
		}
		b.run(chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, document.getElementById('card-pager').getBoundingClientRect().top + scrollY - innerHeight + 100)`))
		b.waitFor(`document.querySelectorAll('[data-testid="cards"] > li').length >= 80`)
		if got := cardIDs(b); !slices.Equal(got[:80], ids[:80]) {
			t.Errorf("after scrolling the margin holds %v…, want the first 80 cards in order", got[38:min(42, len(got))])
		}
		b.waitFor(`document.querySelector('[data-testid="card-range"]').textContent.includes('1–80')`)
		noReload(b, mark, "scrolling to the margin's end")
	})

	b.subtest("HighlightOfALaterCard", func(t *testing.T) {
		b.navigate(path)
		mark := watchPage(b)
		target := ids[90]
		// Its highlight is drawn, its card not yet loaded.
		if b.has("#" + target) {
			t.Fatal("the 91st card is on the first page")
		}
		b.run(chromedp.Evaluate[chromedp.Void](`document.querySelector('#article-text mark[data-ids~="` + target[2:] + `"]').scrollIntoView({block: 'center'})`))
		settle(b)
		b.run(chromedp.Click(chromedp.CSS(`#article-text mark[data-ids~="` + target[2:] + `"]`)))
		b.waitFor(`document.activeElement && document.activeElement.id === '` + target + `'`)
		if got := cardIDs(b); !slices.Equal(got, ids) {
			t.Errorf("after opening the 91st card the margin holds %d cards, want all %d in order", len(got), total)
		}
		if got := pagerSays(); got != "Annotations 1–95 of 95" {
			t.Errorf("the pager says %q", got)
		}
		if value(b, chromedp.Evaluate[bool](`Array.from(document.querySelectorAll('[data-cards-more]')).some(e => !e.hidden || e.offsetParent !== null)`)) {
			t.Error("More annotations is offered (or drawn) with every page loaded")
		}
		noReload(b, mark, "opening a card on a later page")
		checkPage(b, "reader with every page of cards", "reader-margin-pages")
	})

	b.subtest("ChangeKeepsThePages", func(t *testing.T) {
		b.navigate(path)
		watchPage(b)
		b.run(chromedp.Click(chromedp.CSS(`[data-cards-more]`)))
		b.waitFor(`document.querySelectorAll('[data-testid="cards"] > li').length === 80`)
		if got := eval[string](b, `document.activeElement.id`); got != ids[40] {
			t.Errorf("after More annotations the focus is on #%s, want the first card added (#%s)", got, ids[40])
		}
		c := "#" + ids[0]
		b.run(chromedp.Evaluate[chromedp.Void](`document.querySelector('` + c + `').focus()`))
		settle(b)
		b.run(chromedp.Evaluate[chromedp.Void](`document.querySelector('` + c + `').scrollIntoView({block: 'center'})`))
		settle(b)
		b.run(chromedp.Click(chromedp.CSS(c + " details.reply summary")))
		b.waitFor(`document.querySelector('` + c + ` details.reply').open`)
		b.typeInto(c+" details.reply textarea", "A reply while two pages are loaded.")
		n := saves(b)
		b.run(chromedp.Click(chromedp.CSS(c + ` details.reply button[type="submit"]`)))
		savedInPlace(b, n)
		if got := cardIDs(b); !slices.Equal(got, ids[:80]) {
			t.Errorf("after a reply the margin holds %d cards, want the 80 loaded", len(got))
		}
		if got := b.text(`#annotation-count`); got != strconv.Itoa(total+1) {
			t.Errorf("the count says %s", got)
		}
	})

	b.subtest("PhoneScroll", func(t *testing.T) {
		b.setViewport(phone)
		defer b.setViewport(desktop)
		b.navigate(path)
		watchPage(b)
		b.run(chromedp.Evaluate[chromedp.Void](`document.getElementById('card-pager').scrollIntoView()`))
		b.waitFor(`document.querySelectorAll('[data-testid="cards"] > li').length >= 80`)
	})

	b.subtest("WithoutJavaScript", func(t *testing.T) {
		nb := g.tab()
		nb.run(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}))
		nb.t = t
		nb.navigate(path)
		if got := cardIDs(nb); !slices.Equal(got, ids[:40]) {
			t.Fatalf("the first page holds %d cards", len(got))
		}
		nb.clickAndLoad(`[data-testid="card-pager"] a[rel="next"]`)
		if got := nb.path(); got != path+"?cards=2" {
			t.Errorf("Next annotations leads to %q", got)
		}
		if got := cardIDs(nb); !slices.Equal(got, ids[40:80]) {
			t.Errorf("the second page holds %d cards (%v…)", len(got), got[:min(2, len(got))])
		}
		if got := nb.text(`[data-testid="card-range"]`); got != "Annotations 41–80 of 95" {
			t.Errorf("the pager says %q", got)
		}
		// A highlight's marker leads to its card's page.
		target := ids[85]
		nb.run(chromedp.Evaluate[chromedp.Void](`document.querySelector('a.mark-ref[data-id="` + target[2:] + `"]').scrollIntoView({block: 'center'})`))
		nb.clickAndLoad(`a.mark-ref[data-id="` + target[2:] + `"]`)
		if got := nb.path(); got != path+"?cards=3#"+target {
			t.Errorf("the marker of the 86th card leads to %q", got)
		}
		if !nb.has("#" + target + ":target") {
			t.Error("the 86th card is not on the page its marker leads to")
		}
		nb.clickAndLoad(`[data-testid="card-pager"] a[rel="prev"]`)
		if got := nb.path(); got != path+"?cards=2" {
			t.Errorf("Previous annotations leads to %q", got)
		}
	})
}

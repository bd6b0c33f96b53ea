package main

// Browser tests of suggested evidence: the reader's Suggestions switch,
// the underlines and their card, accepting a figure into the composer with
// its fields filled in, dismissing one (gone after a reload), the same
// without JavaScript, on a phone, and the bulk review into a group.

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"gloss/db"
)

// shownSuggestion is an item of the reader's suggestions panel.
type shownSuggestion struct {
	Key, Kind  string
	Start, End int
	Fields     map[string]string
}

// panelSuggestions lists the panel's items, as the page has them.
func panelSuggestions(b *tab) []shownSuggestion {
	b.t.Helper()
	raw := eval[string](b, `JSON.stringify([...document.querySelectorAll('#suggestions li[data-key]')].map(li => ({
		Key: li.dataset.key, Kind: li.dataset.kind, Start: +li.dataset.start, End: +li.dataset.end, Fields: JSON.parse(li.dataset.fields)})))`)
	var out []shownSuggestion
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		b.t.Fatal(err)
	}
	return out
}

// readyFigure is the first figure suggested with what it counts and its unit.
func readyFigure(b *tab) shownSuggestion {
	b.t.Helper()
	for _, s := range panelSuggestions(b) {
		if s.Kind == "figure" && s.Fields["unit"] != "" && s.Fields["counted"] != "" {
			return s
		}
	}
	b.t.Fatal("no figure ready to accept among the suggestions")
	return shownSuggestion{}
}

// underlined is how many passages each kind's underline covers.
func underlined(b *tab) map[string]int {
	b.t.Helper()
	return eval[map[string]int](b, `Object.fromEntries(['figure', 'quote', 'entity', 'event'].map(k => [k, CSS.highlights.get('gloss-sg-' + k)?.size || 0]))`)
}

// suggestionPoint scrolls a suggestion's passage into view and returns the
// middle of its first line, where a click lands on it.
func suggestionPoint(b *tab, key string) (x, y float64) {
	b.t.Helper()
	type pt struct{ X, Y float64 }
	p := eval[pt](b, `(() => {
		const li = document.querySelector('#suggestions li[data-key="`+key+`"]');
		const a = GlossReader.pointAt(+li.dataset.start), z = GlossReader.pointAt(+li.dataset.end);
		const r = document.createRange();
		r.setStart(a.node, a.offset);
		r.setEnd(z.node, z.offset);
		a.node.parentElement.scrollIntoView({block: 'center'});
		const q = r.getClientRects()[0];
		return {X: q.left + Math.min(q.width / 2, 20), Y: q.top + q.height / 2};
	})()`)
	return p.X, p.Y
}

// turnSuggestionsOn clicks the switch and waits for the panel.
func turnSuggestionsOn(b *tab) {
	b.t.Helper()
	b.run(chromedp.Click(chromedp.CSS(`#suggest-toggle`)))
	waitSoon(b, `document.querySelector('#suggestions:not([hidden]) li[data-key]') !== null`, "the suggestions did not show")
}

func TestBrowserSuggestions(t *testing.T) {
	g := startGloss(t)
	sue := g.person("Sue Suggest", "sue@example.org", false)
	b := g.tab()
	signIn(b, sue)
	b.navigate(refugeesPath)
	mark := watchPage(b)
	left := 0

	b.subtest("TurnOn", func(t *testing.T) {
		if b.has(`#suggestions`) || eval[string](b, `document.getElementById('suggest-toggle').getAttribute('aria-checked')`) != "false" {
			t.Fatal("the suggestions show before the switch is turned on")
		}
		// The count comes once the page is there (asked by the script).
		waitSoon(b, `document.querySelector('#suggest-toggle [data-suggest-count]').textContent.trim() !== ''`, "the switch got no count")
		var err error
		if left, err = strconv.Atoi(b.text(`#suggest-toggle [data-suggest-count]`)); err != nil || left < 5 {
			t.Fatalf("the switch counts %q", b.text(`#suggest-toggle`))
		}
		turnSuggestionsOn(b)
		noReload(b, mark, "turning the suggestions on")
		items := panelSuggestions(b)
		if len(items) != left || eval[string](b, `document.getElementById('suggest-toggle').getAttribute('aria-checked')`) != "true" {
			t.Errorf("%d suggestions listed, the switch counted %d", len(items), left)
		}
		lines := underlined(b)
		if lines["figure"] == 0 || lines["quote"] == 0 || lines["entity"] == 0 || lines["event"] == 0 ||
			lines["figure"]+lines["quote"]+lines["entity"]+lines["event"] != len(items) {
			t.Errorf("underlines %v for %d suggestions", lines, len(items))
		}
		if !strings.Contains(b.path(), "suggestions=on") {
			t.Errorf("the address %q does not keep the switch", b.path())
		}
		checkPage(b, "reader with suggestions", "suggestions-reader")
	})

	b.subtest("AcceptFigure", func(t *testing.T) {
		fig := readyFigure(b)
		b.run(chromedp.Click(chromedp.CSS(`#s-` + fig.Key + ` [data-accept]`)))
		waitSoon(b, `!document.getElementById('composer').hidden`, "accepting did not open the composer")
		got := eval[map[string]string](b, `Object.fromEntries(['kind', 'low', 'high', 'unit', 'counted', 'ref_date', 'estimator', 'estimator_type', 'start', 'end']
			.map(n => [n, document.querySelector('#composer [name="' + n + '"]').value]))`)
		for name, want := range fig.Fields {
			if got[name] != want {
				t.Errorf("field %s reads %q, want %q", name, got[name], want)
			}
		}
		if got["start"] != strconv.Itoa(fig.Start) || got["end"] != strconv.Itoa(fig.End) {
			t.Errorf("the composer is on %s-%s, the suggestion on %d-%d", got["start"], got["end"], fig.Start, fig.End)
		}
		if !eval[bool](b, `!document.querySelector('#composer .evidence-fieldset[data-kind="figure"]').hidden && document.activeElement.id === 'f-low'`) {
			t.Error("the figure's fields are not showing with the focus in them")
		}
		checkPage(b, "composer from a suggestion", "suggestions-composer")
		// The fields can be edited before saving.
		b.run(chromedp.SetValue(chromedp.CSS(`#composer [name="counted"]`), "North Koreans in China"))
		n := saves(b)
		b.run(chromedp.Click(chromedp.CSS(`#composer button[type="submit"]:not([formaction])`)))
		id := savedInPlace(b, n)
		ev, err := g.store.EvidenceOf(context.Background(), []int64{id})
		if err != nil || ev[id].Kind != db.KindFigure || ev[id].Counted != "North Koreans in China" {
			t.Errorf("stored %+v (%v)", ev[id], err)
		}
		waitSoon(b, `document.querySelector('#s-`+fig.Key+`') === null`, "the accepted suggestion is still listed")
		if got := b.text(`#suggest-toggle [data-suggest-count]`); got != strconv.Itoa(left-1) {
			t.Errorf("the switch counts %s, want %d", got, left-1)
		}
		left--
		noReload(b, mark, "accepting a suggestion")
	})

	b.subtest("UnderlineOpensItsCard", func(t *testing.T) {
		var q shownSuggestion
		for _, s := range panelSuggestions(b) {
			if s.Kind == "entity" {
				q = s
				break
			}
		}
		x, y := suggestionPoint(b, q.Key)
		b.run(chromedp.MouseClickXY(x, y))
		waitSoon(b, `!document.getElementById('suggestion-pop').hidden`, "a click on an underline opened nothing")
		if got := eval[[]string](b, `[...document.querySelectorAll('#suggestion-pop li')].map(li => li.dataset.key)`); len(got) == 0 || got[0] != q.Key {
			t.Errorf("the card shows %v, want %s first", got, q.Key)
		}
		if !eval[bool](b, `document.activeElement.matches('#suggestion-pop [data-accept]')`) {
			t.Error("the focus is not on the card's Accept")
		}
		// axe alone: checkPage's look at a phone's width closes the card.
		b.axe("a suggestion's card")
		b.screenshot("suggestions-card")
		pressKey(b, kb.Escape)
		waitSoon(b, `document.getElementById('suggestion-pop').hidden && document.activeElement.id === 'article-text'`, "Escape did not close the card back to the text")
		// With the keyboard: the caret in the passage, then Enter.
		eval[bool](b, `(() => { const p = GlossReader.pointAt(`+strconv.Itoa(q.Start+1)+`); getSelection().collapse(p.node, p.offset); return true; })()`)
		pressKey(b, kb.Enter)
		waitSoon(b, `!document.getElementById('suggestion-pop').hidden`, "Enter in an underlined passage opened nothing")
		pressKey(b, kb.Enter) // on Accept
		waitSoon(b, `!document.getElementById('composer').hidden && document.querySelector('#composer [name="kind"]').value === 'entity'`, "Accept from the card did not open the composer")
		if got := eval[string](b, `document.querySelector('#composer [name="entity"]').value`); got != q.Fields["entity"] {
			t.Errorf("the entity reads %q, want %q", got, q.Fields["entity"])
		}
		pressKey(b, kb.Escape)
		waitSoon(b, `document.getElementById('composer').hidden`, "Escape did not close the composer")
	})

	b.subtest("DismissGoneAfterReload", func(t *testing.T) {
		items := panelSuggestions(b)
		gone := items[0]
		b.run(chromedp.Click(chromedp.CSS(`#s-` + gone.Key + ` [data-testid="dismiss-suggestion"]`)))
		waitSoon(b, `document.querySelector('#s-`+gone.Key+`') === null`, "the dismissed suggestion is still listed")
		if !eval[bool](b, `document.activeElement.matches('#s-`+items[1].Key+` [data-accept]')`) {
			t.Error("after dismissing, the focus is not on the next suggestion")
		}
		noReload(b, mark, "dismissing a suggestion")
		b.navigate(b.path())
		b.waitFor(`document.querySelector('#suggestions li[data-key]') !== null`)
		after := panelSuggestions(b)
		if len(after) != left-1 {
			t.Errorf("after a reload %d suggestions, want %d", len(after), left-1)
		}
		for _, s := range after {
			if s.Key == gone.Key {
				t.Error("the dismissed suggestion is back after a reload")
			}
		}
		if got := underlined(b); got["figure"]+got["quote"]+got["entity"]+got["event"] != len(after) {
			t.Errorf("after a reload the underlines are %v for %d suggestions", got, len(after))
		}
		// Another person still has it.
		other := g.tab()
		signIn(other, g.person("Otto Other", "otto@example.org", false))
		other.navigate(refugeesPath + "?suggestions=on")
		other.waitFor(`document.querySelector('#suggestions li[data-key]') !== null`)
		if !other.has(`#s-` + gone.Key) {
			t.Error("Sue's dismissal hid the suggestion from Otto")
		}
	})

	b.subtest("Phone", func(t *testing.T) {
		b.setViewport(phone)
		defer b.setViewport(desktop)
		fig := readyFigure(b)
		x, y := suggestionPoint(b, fig.Key)
		b.run(chromedp.MouseClickXY(x, y))
		waitSoon(b, `!document.getElementById('suggestion-pop').hidden`, "a tap on an underline opened nothing")
		sheet := boxOf(b, `document.getElementById('suggestion-pop')`)
		if h := eval[float64](b, `innerHeight`); sheet.Bottom < h-2 || sheet.Left > 1 {
			t.Errorf("the card is not a sheet at the bottom: %+v in a screen %v high", sheet, h)
		}
		checkPage(b, "a suggestion's card on a phone", "suggestions-card-phone")
		b.run(chromedp.Click(chromedp.CSS(`#suggestion-pop [data-accept]`)))
		waitSoon(b, `document.getElementById('composer').classList.contains('as-sheet') && !document.getElementById('composer').hidden`, "Accept did not open the composer as a sheet")
		if !eval[bool](b, `document.getElementById('suggestion-pop').hidden`) {
			t.Error("the card stays open over the composer")
		}
		if got := eval[string](b, `document.querySelector('#composer [name="low"]').value`); got != fig.Fields["low"] {
			t.Errorf("low reads %q, want %q", got, fig.Fields["low"])
		}
		pressKey(b, kb.Escape)
		waitSoon(b, `document.getElementById('composer').hidden`, "Escape did not close the composer")
	})

	b.subtest("TurnOff", func(t *testing.T) {
		b.run(chromedp.Click(chromedp.CSS(`#suggest-toggle`)))
		waitSoon(b, `document.getElementById('suggestions').hidden`, "the panel stayed")
		if got := underlined(b); got["figure"]+got["quote"]+got["entity"]+got["event"] != 0 {
			t.Errorf("underlines left: %v", got)
		}
		if strings.Contains(b.path(), "suggestions=on") {
			t.Errorf("the address %q still turns them on", b.path())
		}
	})
}

// followLink clicks a link and waits for the page it leads to. A link with
// a fragment (#annotate) fires no load event that chromedp sees reliably,
// so this waits for the address and a complete document instead.
func followLink(b *tab, sel string) {
	b.t.Helper()
	href := eval[string](b, `document.querySelector(`+strconv.Quote(sel)+`).href`)
	b.run(chromedp.Click(chromedp.CSS(sel)))
	arrived := `location.href === ` + strconv.Quote(href) + ` && document.readyState === 'complete'`
	for deadline := time.Now().Add(waitTimeout); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		// The old page's context goes away under a poll: ask again.
		if ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](arrived)); err == nil && ok {
			return
		}
	}
	b.t.Fatalf("following %s did not arrive at %s", sel, href)
}

func TestBrowserSuggestionsWithoutJavaScript(t *testing.T) {
	g := startGloss(t)
	nina := g.person("Nina Nojs", "nina@example.org", false)
	b := g.tab()
	b.run(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	signIn(b, nina)
	b.navigate(refugeesPath)
	if eval[bool](b, `document.documentElement.classList.contains('js')`) {
		t.Fatal("JavaScript is not off")
	}
	followLink(b, `[data-testid="suggest-link"]`)
	fig := readyFigure(b)
	// No axe here: it runs as a script (the same list is checked above).
	b.screenshot("suggestions-nojs")
	followLink(b, `#s-`+fig.Key+` [data-accept]`)
	if !eval[bool](b, `document.getElementById('annotate').open`) || value(b, chromedp.Value(chromedp.CSS(`#f-kind`))) != "figure" {
		t.Fatal("accepting did not open the annotate form with the figure's kind")
	}
	if got := value(b, chromedp.Value(chromedp.CSS(`#f-low`))); got != fig.Fields["low"] {
		t.Errorf("low reads %q, want %q", got, fig.Fields["low"])
	}
	if !strings.HasPrefix(b.text(`[data-testid="suggested-note"]`), "Suggested by Gloss: Figure") {
		t.Errorf("the form says %q", b.text(`[data-testid="suggested-note"]`))
	}
	b.clickAndLoad(`#annotate-form button[type="submit"]:not([formaction])`)
	id := savedID(b)
	ev, _ := g.store.EvidenceOf(context.Background(), []int64{id})
	if ev[id].Kind != db.KindFigure {
		t.Errorf("stored %+v", ev[id])
	}
	b.navigate(refugeesPath + "?suggestions=on")
	if b.has(`#s-` + fig.Key) {
		t.Error("the accepted suggestion is still listed")
	}
	first := panelSuggestions(b)[0]
	b.clickAndLoad(`#s-` + first.Key + ` [data-testid="dismiss-suggestion"]`)
	if got := b.text(`[data-testid="flash"]`); !strings.HasPrefix(got, "Dismissed:") {
		t.Errorf("after dismissing the message is %q", got)
	}
	if b.has(`#s-` + first.Key) {
		t.Error("the dismissed suggestion is still listed")
	}
}

func TestBrowserSuggestionReview(t *testing.T) {
	g := startGloss(t)
	olga := g.person("Olga Owner", "olga@example.org", true)
	group, err := g.store.CreateGroup(context.Background(), olga.ID, "Seminar", "")
	if err != nil {
		t.Fatal(err)
	}
	b := g.tab()
	signIn(b, olga)
	b.navigate(refugeesPath + "?suggestions=on")
	b.clickAndLoad(`[data-testid="review-link"]`)
	if got := b.text(`#review-group option[selected]`); got != "Seminar" {
		t.Fatalf("reviewing into %q", got)
	}
	total := len(b.texts(`[data-testid="review-item"]`))
	progress := func() string { return b.text(`[data-testid="review-progress"]`) }
	if !strings.HasPrefix(progress(), strconv.Itoa(total)+" of "+strconv.Itoa(total)+" suggestions left") {
		t.Errorf("progress %q with %d items", progress(), total)
	}
	checkPage(b, "suggestion review", "suggestions-review")

	b.subtest("AcceptAllFigures", func(t *testing.T) {
		label := b.text(`[data-testid="accept-all-kind"][data-kind="figure"]`)
		n, err := strconv.Atoi(strings.Fields(label)[2])
		if err != nil || n == 0 {
			t.Fatalf("the button says %q", label)
		}
		b.clickAndLoad(`[data-testid="accept-all-kind"][data-kind="figure"]`)
		if got := b.text(`[data-testid="flash"]`); !strings.HasPrefix(got, "Accepted "+strconv.Itoa(n)+" figure") {
			t.Errorf("flash %q", got)
		}
		if got := progress(); !strings.Contains(got, strconv.Itoa(n)+" accepted into Seminar") {
			t.Errorf("progress %q", got)
		}
		total -= n
	})
	b.subtest("EditAndAccept", func(t *testing.T) {
		key := eval[string](b, `document.querySelector('[data-testid="review-item"][data-kind="quote"]').dataset.key`)
		field := `#s-` + key + `-speaker`
		eval[bool](b, `(document.querySelector(`+strconv.Quote(field)+`).value = '', true)`) // emptied, then typed
		b.typeInto(field, "An edited speaker")
		b.clickAndLoad(`#s-` + key + ` [data-testid="review-accept"]`)
		if b.has(`#s-` + key) {
			t.Error("the accepted quote is still to review")
		}
		v := db.Viewer{UserID: olga.ID, Roles: map[int64]db.Role{group.ID: db.RoleOwner}}
		items, err := g.store.EvidenceItems(context.Background(), v, db.EvidenceFilter{Kind: db.KindQuote})
		if err != nil || len(items) != 1 || items[0].EntityName != "An edited speaker" {
			t.Errorf("quotes stored: %+v (%v)", items, err)
		}
		total--
	})
	b.subtest("Dismiss", func(t *testing.T) {
		key := eval[string](b, `document.querySelector('[data-testid="review-item"]').dataset.key`)
		b.clickAndLoad(`#s-` + key + ` [data-testid="review-dismiss"]`)
		if b.has(`#s-` + key) {
			t.Error("the dismissed suggestion is still to review")
		}
		total--
		if got := progress(); !strings.HasPrefix(got, strconv.Itoa(total)+" of ") || !strings.Contains(got, "1 dismissed") {
			t.Errorf("progress %q, want %d left", progress(), total)
		}
		checkPage(b, "suggestion review, under way", "suggestions-review-progress")
	})
}

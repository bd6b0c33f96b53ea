package main

// Browser tests of annotating, done as a person does it: select words with
// the mouse, the keyboard or a finger, comment in Markdown, highlight, tag,
// reply, filter, edit, delete, moderate, and read the result signed out;
// and the same form without JavaScript. Each step checks what is stored,
// not only what is shown, and axe checks the pages on the way.

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"gloss/db"
)

// The seed article the mouse flows annotate, and an article of our own
// whose Korean and emoji make code points and UTF-16 units differ.
const (
	refugeesPath = "/articles/help-the-refugees-who-reach-china"
	borderSlug   = "voices-from-the-border"
	borderPath   = "/articles/" + borderSlug
	borderBody   = `Voices from the border

탈북자 😀 이야기: 국경을 넘은 사람들의 증언과 기록.

The river is narrow at Hyesan, and in winter it freezes hard enough to walk across. Those who cross at night say the guards can be paid, but the price keeps rising.

Aid workers in Yanbian describe a quieter crisis: women who cross alone, children without papers, and families who wait for word from the other side.
`
)

// importBorderArticle adds the test article to the running program's
// library. It is imported after the server started, because the server
// seeds only an empty library.
func importBorderArticle(g *gloss) {
	g.t.Helper()
	if _, err := g.store.ImportArticle(context.Background(), db.ArticleInput{
		Slug: borderSlug, Title: "Voices from the border", Publication: "Gloss test corpus",
		PublishedOn: "2005-06-01", Body: borderBody,
	}); err != nil {
		g.t.Fatal(err)
	}
}

// storedAnnotation is the annotation as the store has it, seen by p.
func storedAnnotation(g *gloss, p person, id int64) db.Annotation {
	g.t.Helper()
	ctx := context.Background()
	v, err := g.store.ViewerFor(ctx, p.User)
	if err != nil {
		g.t.Fatal(err)
	}
	a, err := g.store.AnnotationByID(ctx, v, id)
	if err != nil {
		g.t.Fatalf("annotation %d: %v", id, err)
	}
	return a
}

// codePoints is where phrase lies in text, in code points, the unit of the
// stored offsets. phrase must occur once.
func codePoints(t *testing.T, text, phrase string) (start, end int) {
	t.Helper()
	i := strings.Index(text, phrase)
	if i < 0 || strings.Count(text, phrase) != 1 {
		t.Fatalf("%q occurs %d times in the text, want once", phrase, strings.Count(text, phrase))
	}
	start = utf8.RuneCountInString(text[:i])
	return start, start + utf8.RuneCountInString(phrase)
}

// pressKey presses each key of keys as a keyboard does: a raw key down, the
// character it types (if any, and not under Ctrl, Alt or Meta) and a key
// up. chromedp.KeyEvent sends a "keyDown" that carries no text followed
// by a separate "char", so the character is typed even when the page
// cancelled the key down; no keyboard does that, and it would press a
// button that a handler just focused.
func pressKey(b *tab, keys string, mods ...chromedp.Modifier) {
	b.t.Helper()
	b.run(typeKeys(keys, mods...))
}

func typeKeys(keys string, mods ...chromedp.Modifier) chromedp.Action[chromedp.Void] {
	var mod int64
	for _, m := range mods {
		mod |= int64(m)
	}
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, r := range keys {
			for _, k := range kb.Encode(r) {
				k.Modifiers |= mod
				switch k.Type {
				case kb.KeyDown:
					k.Type = kb.KeyRawDown
				case kb.KeyChar:
					if mod&^int64(chromedp.ModifierShift) != 0 {
						continue
					}
				}
				if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, *k); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// phraseEnds are the points a person presses and releases the mouse at
// to select a phrase: a quarter into its first character and a quarter
// before the end of its last, in CSS pixels of the viewport.
type phraseEnds struct {
	FromX float64 `json:"fromX"`
	FromY float64 `json:"fromY"`
	ToX   float64 `json:"toX"`
	ToY   float64 `json:"toY"`
}

// findPhrase says where phrase begins and ends on the screen, scrolling
// its paragraph to the middle if it is not in view. Footnote numbers
// are not part of the text, as for the reader's script.
func findPhrase(b *tab, phrase string) phraseEnds {
	b.t.Helper()
	return eval[phraseEnds](b, `((phrase) => {
		for (const p of document.querySelectorAll('#article-text p[data-start]')) {
			const nodes = [];
			const w = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
			for (let n = w.nextNode(); n; n = w.nextNode()) if (!n.parentElement.closest('.mark-ref')) nodes.push(n);
			const i = nodes.map(n => n.data).join('').indexOf(phrase);
			if (i < 0) continue;
			const char = k => {
				for (const n of nodes) {
					if (k < n.data.length) {
						const r = document.createRange();
						r.setStart(n, k);
						r.setEnd(n, k + (/[\ud800-\udbff]/.test(n.data[k]) ? 2 : 1));
						return r.getClientRects()[0];
					}
					k -= n.data.length;
				}
			};
			const last = phrase.length - (/[\udc00-\udfff]/.test(phrase.at(-1)) ? 2 : 1);
			let a = char(i), z = char(i + last);
			if (a.top < 0 || z.bottom > innerHeight) {
				p.scrollIntoView({block: 'center'});
				a = char(i), z = char(i + last);
			}
			return {fromX: a.left + a.width / 4, fromY: a.top + a.height / 2, toX: z.right - z.width / 4, toY: z.top + z.height / 2};
		}
		throw new Error('not in the article text: ' + phrase);
	})(`+strconv.Quote(phrase)+`)`)
}

// leftHeld marks a mouse move as a drag with the left button held.
func leftHeld(p *input.DispatchMouseEventParams) { p.Buttons = 1 }

// mouseDrag presses the left button at one point, moves to the other in two
// steps and releases it there.
func mouseDrag(b *tab, fromX, fromY, toX, toY float64) {
	b.t.Helper()
	b.run(
		chromedp.MouseEvent(chromedp.MouseMoved, fromX, fromY),
		chromedp.MouseEvent(chromedp.MousePressed, fromX, fromY, chromedp.ButtonLeft, chromedp.ClickCount(1), leftHeld),
		chromedp.MouseEvent(chromedp.MouseMoved, (fromX+toX)/2, (fromY+toY)/2, chromedp.ButtonLeft, leftHeld),
		chromedp.MouseEvent(chromedp.MouseMoved, toX, toY, chromedp.ButtonLeft, leftHeld),
		chromedp.MouseEvent(chromedp.MouseReleased, toX, toY, chromedp.ButtonLeft, chromedp.ClickCount(1)),
	)
}

// selectWithMouse drags across phrase in the article text and waits for
// the selection toolbar.
func selectWithMouse(b *tab, phrase string) {
	b.t.Helper()
	at := findPhrase(b, phrase)
	mouseDrag(b, at.FromX, at.FromY, at.ToX, at.ToY)
	if got := selectedText(b); got != phrase {
		b.t.Fatalf("dragging across %q selected %q", phrase, got)
	}
	waitToolbar(b)
}

// selectedText is the selected text without footnote numbers.
func selectedText(b *tab) string {
	b.t.Helper()
	return eval[string](b, `(() => {
		const s = getSelection();
		if (!s.rangeCount) return '';
		const f = s.getRangeAt(0).cloneContents();
		f.querySelectorAll('.mark-ref').forEach(r => r.remove());
		return f.textContent;
	})()`)
}

// center is the middle of the element sel on the screen.
func center(b *tab, sel string) (x, y float64) {
	b.t.Helper()
	c := eval[[]float64](b, `(() => { const r = document.querySelector(`+strconv.Quote(sel)+`).getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()`)
	return c[0], c[1]
}

const toolbarShown = `!document.getElementById('selection-toolbar').hidden`

// soon waits seconds, not the tab's minute, for the JavaScript expression
// to be truthy: what the reader's script does is immediate, or one request
// away (on a machine busy with other tests, more than 3 s at times).
func soon(b *tab, expr string) error {
	return chromedp.Do(b.ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(10*time.Second)))
}

// waitSoon is soon that stops the test, saying what did not happen.
func waitSoon(b *tab, expr, what string) {
	b.t.Helper()
	if err := soon(b, expr); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// waitToolbar waits for the selection toolbar to open.
func waitToolbar(b *tab) {
	b.t.Helper()
	if err := soon(b, toolbarShown); err != nil {
		b.t.Fatalf("the selection toolbar did not open (selected: %q): %v", selectedText(b), err)
	}
}

// afterQueued evaluates expr after the page has run what it queued (the reader
// handles a selection on the next task), so a check that nothing happened
// is not made too early.
func afterQueued[T any](b *tab, expr string) T {
	b.t.Helper()
	return value(b, chromedp.Evaluate[T](`new Promise(done => setTimeout(() => requestAnimationFrame(() => done(`+expr+`)), 50))`, chromedp.EvalAwaitPromise))
}

// toolbarButton selects one of the selection toolbar's buttons.
func toolbarButton(action string) string {
	return `#selection-toolbar button[data-action="` + action + `"]`
}

// highlightedText is the text of the highlights of annotation id, in order.
func highlightedText(b *tab, id int64) string {
	b.t.Helper()
	return eval[string](b, `[...document.querySelectorAll('#article-text mark[data-ids]')]
		.filter(m => m.dataset.ids.split(' ').includes('`+strconv.FormatInt(id, 10)+`'))
		.map(m => m.textContent).join('')`)
}

// cardSel selects the card of annotation id.
func cardSel(id int64) string { return "#a-" + strconv.FormatInt(id, 10) }

// cardIDs lists the top-level annotation cards in the margin, in order.
func cardIDs(b *tab) []string {
	b.t.Helper()
	return eval[[]string](b, `[...document.querySelectorAll('[data-testid="cards"] > li > [data-testid="card"]')].map(c => c.id)`)
}

// ---- The in-place reader ----

// watchPage marks the page so that a reload would be noticed, and counts
// the reader's saves made in place (its "gloss:saved" events). It returns
// the mark.
func watchPage(b *tab) float64 {
	b.t.Helper()
	b.waitFor(`document.documentElement.classList.contains('js')`)
	return eval[float64](b, `(() => {
		if (!window.__page) {
			window.__page = Math.random() + 1;
			window.__saves = [];
			document.addEventListener('gloss:saved', e => __saves.push(Object.assign({at: performance.now()}, e.detail)));
		}
		return window.__page;
	})()`)
}

// noReload fails the test if the page was loaded anew since watchPage.
func noReload(b *tab, mark float64, what string) {
	b.t.Helper()
	if got := eval[float64](b, `window.__page || 0`); got != mark {
		b.t.Errorf("%s reloaded the page", what)
	}
}

// saves is how many saves the page has made in place.
func saves(b *tab) int {
	b.t.Helper()
	return eval[int](b, `(window.__saves || []).length`)
}

// savedInPlace waits for the save after the first n and returns the id
// of the annotation (or note) it focused or made.
func savedInPlace(b *tab, n int) int64 {
	b.t.Helper()
	if err := soon(b, `(window.__saves || []).length > `+strconv.Itoa(n)); err != nil {
		b.t.Fatalf("nothing was saved in place (%s): %v", b.text(`main`), err)
	}
	focus := eval[string](b, `__saves[`+strconv.Itoa(n)+`].focus || ''`)
	id, err := strconv.ParseInt(strings.TrimLeft(focus, "an-"), 10, 64)
	if err != nil {
		b.t.Fatalf("the save focused %q, not an annotation or note", focus)
	}
	return id
}

// settle waits until the reader has laid out its cards after a change
// (two animation frames), so a click lands where the card now is.
func settle(b *tab) {
	b.t.Helper()
	b.run(chromedp.Evaluate[chromedp.Void](`new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))`, chromedp.EvalAwaitPromise))
}

// rect is an element's box on the screen.
type rect struct{ Top, Bottom, Left, Right float64 }

func boxOf(b *tab, expr string) rect {
	b.t.Helper()
	return eval[rect](b, `(() => { const r = (`+expr+`).getBoundingClientRect(); return {Top: r.top, Bottom: r.bottom, Left: r.left, Right: r.right}; })()`)
}

// markBox is the box of the first line of annotation id's highlight.
func markBox(b *tab, id int64) rect {
	b.t.Helper()
	return eval[rect](b, `(() => {
		const r = document.querySelector('#article-text mark[data-ids~="`+strconv.FormatInt(id, 10)+`"]').getClientRects()[0];
		return {Top: r.top, Bottom: r.bottom, Left: r.left, Right: r.right};
	})()`)
}

// inView fails the test unless the box is on the screen.
func inView(b *tab, r rect, what string) {
	b.t.Helper()
	if r.Top < 0 || r.Bottom > float64(b.view.height) || r.Bottom <= r.Top {
		b.t.Errorf("%s is not on the screen: %+v on a %dpx tall screen", what, r, b.view.height)
	}
}

func activeID(b *tab) string {
	b.t.Helper()
	return eval[string](b, `document.activeElement ? document.activeElement.id : ''`)
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// selectPhrase selects phrase in the text as a long press and its handles
// would (headless Chromium turns no synthetic touch into a selection),
// and waits for the toolbar.
func selectPhrase(b *tab, phrase string) {
	b.t.Helper()
	at := findPhrase(b, phrase) // scrolls it into view
	b.run(chromedp.TapXY(at.FromX, at.FromY))
	b.run(chromedp.Evaluate[chromedp.Void](`((phrase) => {
		for (const p of document.querySelectorAll('#article-text p[data-start]')) {
			const w = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
			for (let n = w.nextNode(); n; n = w.nextNode()) {
				const i = n.data.indexOf(phrase);
				if (i >= 0) { getSelection().setBaseAndExtent(n, i, n, i + phrase.length); return; }
			}
		}
		throw new Error('not in one text node: ' + phrase);
	})(` + strconv.Quote(phrase) + `)`))
	waitToolbar(b)
}

// TestBrowserAnnotate follows one reader, Ada, through annotating two
// articles in place, with Bob writing in her group. The subtests run in
// order on one server and build on each other.
func TestBrowserAnnotate(t *testing.T) {
	g := startGloss(t)
	importBorderArticle(g)
	ada := g.person("Ada Lovelace", "ada@example.org", false)
	bob := g.person("Bob Brewster", "bob@example.org", false)
	b := g.tab()
	signIn(b, ada)

	// Annotations made along the way, by what they are.
	var comment, korean, tagged, overlap, bobs, reply int64
	need := func(t *testing.T, ids ...int64) {
		t.Helper()
		if slices.Contains(ids, 0) {
			t.Skip("an earlier subtest did not make the annotations this one builds on")
		}
	}

	b.subtest("CommentAtTheSelection", func(t *testing.T) {
		const passage = "suffer in isolation and silence"
		b.navigate(refugeesPath)
		mark := watchPage(b)
		selectWithMouse(b, passage)
		if got := value(b, chromedp.Value(chromedp.CSS(`#toolbar-audience`))); got != "private" {
			t.Errorf("the toolbar says a highlight would be %q, want private at first", got)
		}
		sel := boxOf(b, `getSelection().getRangeAt(0)`)
		b.run(chromedp.Click(chromedp.CSS(toolbarButton("comment"))))
		waitSoon(b, `!document.getElementById('composer').hidden`, "Comment did not open the composer")
		if got := activeID(b); got != "f-body" {
			t.Fatalf("after Comment the focus is on #%s, want the comment field", got)
		}
		if eval[bool](b, toolbarShown) {
			t.Error("the toolbar stays open after choosing Comment")
		}
		// Beside the selection, in the margin, level with it; the words
		// stay marked while the focus is in the composer.
		comp := boxOf(b, `document.getElementById('composer')`)
		sel2 := boxOf(b, `CSS.highlights.get('gloss-pending').values().next().value`)
		if abs(comp.Top-sel2.Top) > 8 || comp.Left < sel.Right {
			t.Errorf("the composer at %+v is not beside the selection at %+v", comp, sel2)
		}
		inView(b, comp, "the composer")
		if got := eval[string](b, `[...CSS.highlights.get('gloss-pending')][0].toString()`); got != passage {
			t.Errorf("the pending highlight marks %q, want %q", got, passage)
		}
		if got := b.text(`#composer [data-quote-preview]`); got != passage {
			t.Errorf("the composer quotes %q", got)
		}
		b.axe("reader with the composer open")
		b.run(chromedp.KeyEvent("**bold** and *it*"))
		b.run(chromedp.SetValue(chromedp.CSS("#a-visibility"), "public"))
		n := saves(b)
		pressKey(b, "\r", chromedp.ModifierCtrl) // Ctrl+Enter saves
		comment = savedInPlace(b, n)
		noReload(b, mark, "saving a comment")
		if !eval[bool](b, `document.getElementById('composer').hidden`) {
			t.Error("the composer stays open after saving")
		}
		if got := activeID(b); got != cardSel(comment)[1:] {
			t.Errorf("after saving the focus is on #%s, want the new card", got)
		}
		hl := markBox(b, comment)
		inView(b, hl, "the passage after saving")
		card := boxOf(b, `document.querySelector('`+cardSel(comment)+`')`)
		inView(b, card, "the new card")
		if abs(card.Top-hl.Top) > 24 {
			t.Errorf("the card (top %v) is not level with its passage (top %v)", card.Top, hl.Top)
		}
		if got := b.text(`#reader-status`); !strings.HasPrefix(got, "Comment saved. Anyone can see this") {
			t.Errorf("the live region says %q", got)
		}

		a := storedAnnotation(g, ada, comment)
		art, err := g.store.ArticleBySlug(context.Background(), strings.TrimPrefix(refugeesPath, "/articles/"))
		if err != nil {
			t.Fatal(err)
		}
		start, end := codePoints(t, art.Body, passage)
		if a.Selector.Exact != passage || a.Selector.Start != start || a.Selector.End != end {
			t.Errorf("stored passage %q at [%d,%d), want %q at [%d,%d)", a.Selector.Exact, a.Selector.Start, a.Selector.End, passage, start, end)
		}
		if a.Body != "**bold** and *it*" || a.Visibility != db.Public {
			t.Errorf("stored body %q, visibility %s", a.Body, a.Visibility)
		}
		for range 2 { // as saved, and again after a reload
			if got := highlightedText(b, comment); got != passage {
				t.Errorf("the highlight covers %q, want exactly %q", got, passage)
			}
			c := cardSel(comment)
			if got := b.text(c + ` [data-testid="body"] strong`); got != "bold" {
				t.Errorf("the card's comment shows <strong>%s</strong>", got)
			}
			if got := b.text(c + ` [data-testid="audience"]`); !strings.HasPrefix(got, "Anyone can see this") {
				t.Errorf("the card says %q about who sees it", got)
			}
			b.navigate(refugeesPath)
		}

		// The marker after the passage and the passage itself lead to the
		// card; the card's quote leads back to the passage.
		c := cardSel(comment)
		id := strconv.FormatInt(comment, 10)
		b.run(chromedp.Click(chromedp.CSS(`#article-text a.mark-ref[href="` + c + `"]`)))
		waitSoon(b, `document.activeElement === document.querySelector('`+c+`')`, "the marker did not lead to the card")
		if got := b.path(); got != refugeesPath {
			t.Errorf("following the marker changed the address to %q", got)
		}
		b.run(chromedp.Click(chromedp.CSS(c + " .quote-link")))
		waitSoon(b, `document.querySelector('#article-text mark[data-ids~="`+id+`"]').classList.contains('flash-target')`,
			"the card's quote did not mark the passage")
		b.run(chromedp.Click(chromedp.CSS(`#article-text mark[data-ids="` + id + `"]`)))
		waitSoon(b, `document.activeElement === document.querySelector('`+c+`')`, "clicking the highlight did not focus its card")
		if eval[bool](b, toolbarShown) {
			t.Error("clicking a highlight opened the selection toolbar")
		}
		// Hovering the card marks its passage, and the other way round.
		hx, hy := center(b, c+" .byline")
		b.run(chromedp.MouseEvent(chromedp.MouseMoved, hx, hy))
		waitSoon(b, `document.querySelector('#article-text mark[data-ids~="`+id+`"]').classList.contains('is-hover')`, "hovering the card did not mark its passage")
	})

	// One public comment does not make the next quick highlight public:
	// public is chosen for each save.
	b.subtest("PublicIsNeverCarriedOver", func(t *testing.T) {
		need(t, comment)
		b.navigate(refugeesPath)
		mark := watchPage(b)
		selectWithMouse(b, "Thousands of North Koreans have succeeded")
		if got := b.text(`#toolbar-audience option:checked`); got != "Private" {
			t.Errorf("after a public comment the toolbar says %q, want Private", got)
		}
		n := saves(b)
		b.run(chromedp.Click(chromedp.CSS(toolbarButton("highlight"))))
		private := savedInPlace(b, n)
		if a := storedAnnotation(g, ada, private); a.Visibility != db.Private || a.Body != "" {
			t.Errorf("the quick highlight is %s with %q", a.Visibility, a.Body)
		}
		if got := activeID(b); got != "article-text" {
			t.Errorf("after a highlight the focus is on #%s, want back in the text", got)
		}
		// Chosen in the toolbar, public is for that one highlight.
		selectWithMouse(b, "hope of refuge")
		b.run(chromedp.SetValue(chromedp.CSS("#toolbar-audience"), "public"))
		b.run(chromedp.Click(chromedp.CSS(toolbarButton("highlight"))))
		public := savedInPlace(b, n+1)
		if a := storedAnnotation(g, ada, public); a.Visibility != db.Public {
			t.Errorf("the highlight chosen public is %s", a.Visibility)
		}
		selectWithMouse(b, "humanitarian assistance")
		if got := value(b, chromedp.Value(chromedp.CSS(`#toolbar-audience`))); got != "private" {
			t.Errorf("after a public highlight the toolbar offers %q, want private again", got)
		}
		noReload(b, mark, "highlighting")
		for _, id := range []int64{private, public} {
			if _, err := g.store.DeleteAnnotation(context.Background(), viewerOf(g, ada), id); err != nil {
				t.Fatal(err)
			}
		}
	})

	// Drags that end outside the text: in the margin beside the line, and
	// up in the heading. The toolbar follows the new selection, never the
	// one before, and annotates only what lies in the text.
	b.subtest("SelectionEndingOutsideTheText", func(t *testing.T) {
		b.navigate(refugeesPath)
		watchPage(b)
		selectWithMouse(b, "suffer in isolation and silence")

		const lineStart = "Some 50,000 North Koreans are in China"
		at := findPhrase(b, lineStart)
		left := eval[float64](b, `document.getElementById('article-text').getBoundingClientRect().left`)
		mouseDrag(b, at.ToX, at.ToY, left-24, at.ToY)
		if got := selectedText(b); got != lineStart {
			t.Fatalf("dragging into the left margin selected %q", got)
		}
		waitToolbar(b)
		b.run(chromedp.Click(chromedp.CSS(toolbarButton("comment"))))
		if got := b.text(`#composer [data-quote-preview]`); got != lineStart {
			t.Errorf("after a drag released in the margin, Comment took the passage %q, want %q", got, lineStart)
		}
		pressKey(b, kb.Escape)
		if !eval[bool](b, `document.getElementById('composer').hidden`) || activeID(b) != "article-text" {
			t.Error("Escape did not close the composer and return to the text")
		}
		if got := selectedText(b); got != lineStart {
			t.Errorf("after Escape the selection is %q, want it kept", got)
		}

		b.navigate(refugeesPath)
		at = findPhrase(b, "Thousands of North Koreans")
		x, y := center(b, "h1")
		mouseDrag(b, at.ToX, at.ToY, x, y)
		waitToolbar(b)
		b.run(chromedp.Click(chromedp.CSS(toolbarButton("comment"))))
		// The headline repeated at the top is furniture (folded away), so the
		// passage starts with the first paragraph of the text shown.
		if got := value(b, chromedp.Value(chromedp.CSS(`#annotate-form textarea[name="exact"]`))); !strings.HasPrefix(got, "Thousands of North Koreans") || strings.Contains(got, "Help the Refugees") {
			t.Errorf("after a drag up into the heading, Comment took the passage %q", got)
		}
		start := value(b, chromedp.Value(chromedp.CSS(`#annotate-form input[name="start"]`)))
		if first := eval[string](b, `document.querySelector('#article-text > p[data-start]').dataset.start`); start != first {
			t.Errorf("the passage from the top of the text starts at %s, want %s (the first paragraph shown)", start, first)
		}
		b.run(chromedp.Click(chromedp.CSS(`#composer [data-cancel]`)))
	})

	b.subtest("HighlightWithTheKeyboard", func(t *testing.T) {
		const passage = "이야기: 국경을"
		b.navigate(borderPath)
		mark := watchPage(b)
		tabUntil(b, "#article-text")
		// Down to the Korean line; past two words (탈북자, 😀) and a space;
		// then select three stops by word: 이야기, the colon, 국경을 (on
		// Linux, Ctrl+Right stops at the end of each word).
		pressKey(b, kb.ArrowDown)
		pressKey(b, kb.ArrowRight+kb.ArrowRight, chromedp.ModifierCtrl)
		pressKey(b, kb.ArrowRight)
		pressKey(b, kb.ArrowRight+kb.ArrowRight+kb.ArrowRight, chromedp.ModifierCtrl, chromedp.ModifierShift)
		if got := eval[string](b, `getSelection().toString()`); got != passage {
			t.Fatalf("Shift+Ctrl+Right selected %q, want %q", got, passage)
		}
		if eval[bool](b, toolbarShown) {
			t.Error("the toolbar opened before Enter")
		}
		pressKey(b, kb.Enter)
		waitToolbar(b)
		if got := eval[string](b, `document.activeElement.dataset.action || document.activeElement.tagName`); got != "highlight" {
			t.Fatalf("Enter opened the toolbar with the focus on %q, want its first button, Highlight", got)
		}
		pressKey(b, kb.ArrowRight)
		if got := eval[string](b, `document.activeElement.dataset.action || ''`); got != "comment" {
			t.Errorf("Right in the toolbar moved to %q, want comment", got)
		}
		pressKey(b, kb.ArrowLeft)
		pressKey(b, kb.Escape)
		if eval[bool](b, toolbarShown) || activeID(b) != "article-text" {
			t.Error("Escape did not close the toolbar and return to the text")
		}
		if got := eval[string](b, `getSelection().toString()`); got != passage {
			t.Errorf("after Escape the selection is %q, want it kept", got)
		}
		pressKey(b, kb.Enter)
		waitToolbar(b)
		n := saves(b)
		pressKey(b, kb.Enter) // on Highlight
		korean = savedInPlace(b, n)
		noReload(b, mark, "a highlight made with the keyboard")
		if got := activeID(b); got != "article-text" {
			t.Errorf("after the highlight the focus is on #%s, want the text", got)
		}

		a := storedAnnotation(g, ada, korean)
		start, end := codePoints(t, borderBody, passage)
		if a.Selector.Exact != passage || a.Selector.Start != start || a.Selector.End != end {
			t.Errorf("stored passage %q at [%d,%d), want %q at [%d,%d) in code points", a.Selector.Exact, a.Selector.Start, a.Selector.End, passage, start, end)
		}
		if a.Body != "" || a.Visibility != db.Private {
			t.Errorf("the highlight stored %q as %s, want no comment and private", a.Body, a.Visibility)
		}
		if got := highlightedText(b, korean); got != passage {
			t.Errorf("the highlight covers %q, want %q", got, passage)
		}
		if got := b.text(cardSel(korean) + " .quote"); !strings.Contains(got, passage) {
			t.Errorf("the card quotes %q", got)
		}
		// Make it public for the signed-out checks at the end.
		if _, err := g.store.UpdateAnnotation(context.Background(), viewerOf(g, ada), korean, db.AnnotationUpdate{Visibility: "public"}); err != nil {
			t.Fatal(err)
		}
	})

	b.subtest("ReplyTagAndFilter", func(t *testing.T) {
		need(t, comment)
		b.navigate(refugeesPath)
		mark := watchPage(b)
		c := cardSel(comment)
		b.run(chromedp.Click(chromedp.CSS(c + " details.reply summary")))
		b.typeInto(c+" details.reply textarea", "Agreed: see the *second* paragraph.")
		n := saves(b)
		b.run(chromedp.Click(chromedp.CSS(c + ` details.reply button[type="submit"]`)))
		reply = savedInPlace(b, n)
		if got := b.text(c + " .replies " + cardSel(reply) + ` [data-testid="body"] em`); got != "second" {
			t.Errorf("the reply under the card shows <em>%s</em>", got)
		}
		if got := activeID(b); got != cardSel(reply)[1:] {
			t.Errorf("after replying the focus is on #%s, want the reply", got)
		}

		const passage = "Women and children are especially vulnerable."
		selectWithMouse(b, passage)
		b.run(chromedp.Click(chromedp.CSS(toolbarButton("tag"))))
		if got := activeID(b); got != "f-tags" {
			t.Fatalf("after Tag the focus is on #%s, want the tags field", got)
		}
		b.run(chromedp.KeyEvent("At  Risk, women"))
		b.run(chromedp.SetValue(chromedp.CSS("#a-visibility"), "public"))
		b.run(chromedp.Click(chromedp.CSS(`#composer button[type="submit"]:not([formaction])`)))
		tagged = savedInPlace(b, n+1)
		if got := b.texts(cardSel(tagged) + " .tag-list a"); !slices.Equal(got, []string{"at risk", "women"}) {
			t.Errorf("the tagged card shows the tags %q", got)
		}
		if got := highlightedText(b, tagged); got != passage {
			t.Errorf("the tagged highlight covers %q", got)
		}

		// Filters update the margin and the highlights in place and keep
		// the address in step.
		b.typeInto("#filter-tag", "at risk")
		// The page carries no tag names: the first use of a tag field asks for them.
		waitSoon(b, `!!document.querySelector('#tag-suggestions option[value="at risk"]')`, "the tag field's suggestions did not arrive")
		waitSoon(b, `location.search.includes('tag=at+risk')`, "the tag filter did not reach the address")
		waitSoon(b, `document.querySelectorAll('[data-testid="cards"] > li').length === 1`, "the tag filter did not narrow the margin")
		if got, want := cardIDs(b), []string{cardSel(tagged)[1:]}; !slices.Equal(got, want) {
			t.Errorf("filtered by the tag, the margin shows %q, want only %q", got, want)
		}
		if got := highlightedText(b, comment); got != "" {
			t.Errorf("filtered by the tag, the untagged passage is still highlighted: %q", got)
		}
		b.axe("reader filtered by a tag")
		noReload(b, mark, "replying, tagging and filtering")
		b.navigate(refugeesPath + "?tag=at+risk") // the filtered reader is a link
		mark = watchPage(b)
		if got := cardIDs(b); len(got) != 1 {
			t.Errorf("the filtered address shows %d cards", len(got))
		}
		b.run(chromedp.Click(chromedp.CSS(`[data-filter-clear]`)))
		waitSoon(b, `location.search === '' && document.querySelectorAll('[data-testid="cards"] > li').length === 2`, "Clear filters did not bring the cards back")
		b.run(chromedp.SetValue(chromedp.CSS(`#filter-highlights`), "off"))
		b.run(chromedp.Click(chromedp.CSS(`#filter-highlights`)))
		waitSoon(b, `document.getElementById('article-text').classList.contains('no-highlights') && location.search === '?highlights=off'`, "Hide highlights did not hide them")
		noReload(b, mark, "filtering")
		b.run(chromedp.Click(chromedp.CSS(`#filter-highlights`)))
		waitSoon(b, `!document.getElementById('article-text').classList.contains('no-highlights')`, "the highlights did not come back")

		settle(b)
		b.clickAndLoad(cardSel(tagged) + ` .tag-list a[href="/tags/at%20risk"]`)
		if got := b.path(); got != "/tags/at%20risk" {
			t.Fatalf("the tag link led to %q", got)
		}
		if got := b.texts(`[data-testid="tag-cards"] [data-testid="card"] .quote`); len(got) != 1 || got[0] != passage {
			t.Errorf("the tag page lists the passages %q, want only %q", got, passage)
		}
		checkPage(b, "tag", "annotate-tag")
		b.clickAndLoad(`[data-testid="tag-cards"] li > p a`)
		if got := b.path(); got != refugeesPath+cardSel(tagged) {
			t.Errorf("the tag page's link to the passage led to %q", got)
		}
		waitSoon(b, `document.activeElement === document.querySelector('`+cardSel(tagged)+`')`, "landing on the card's address did not focus it")
	})

	b.subtest("RefusedSaveKeepsWhatWasTyped", func(t *testing.T) {
		b.navigate(refugeesPath)
		mark := watchPage(b)
		selectWithMouse(b, "forced labor")
		b.run(chromedp.Click(chromedp.CSS(toolbarButton("comment"))))
		b.run(chromedp.KeyEvent("Kept while I fix the tag."))
		b.typeInto("#f-tags", "bad<tag")
		b.expectRefusal(refugeesPath + "/annotations")
		b.run(chromedp.Click(chromedp.CSS(`#composer button[type="submit"]:not([formaction])`)))
		waitSoon(b, `document.querySelector('#f-tags-error') !== null`, "the refusal was not shown beside the tags")
		if got := b.text(`#f-tags-error`); !strings.Contains(got, "bad<tag") {
			t.Errorf("the message beside the tags says %q", got)
		}
		if got := eval[string](b, `document.getElementById('f-tags').getAttribute('aria-invalid') + ' ' + document.getElementById('f-tags').getAttribute('aria-describedby')`); got != "true f-tags-error" {
			t.Errorf("the tags field is marked %q", got)
		}
		if got := value(b, chromedp.Value(chromedp.CSS("#f-body"))); got != "Kept while I fix the tag." {
			t.Errorf("after the refusal the comment reads %q", got)
		}
		if eval[bool](b, `document.getElementById('composer').hidden`) {
			t.Error("the refusal closed the composer")
		}
		b.axe("composer with a refusal")
		b.run(chromedp.SetValue(chromedp.CSS("#f-tags"), "labour"))
		n := saves(b)
		b.run(chromedp.Click(chromedp.CSS(`#composer button[type="submit"]:not([formaction])`)))
		id := savedInPlace(b, n)
		if a := storedAnnotation(g, ada, id); a.Body != "Kept while I fix the tag." || !slices.Equal(a.Tags, []string{"labour"}) {
			t.Errorf("stored %q with %v", a.Body, a.Tags)
		}
		if b.has(`#f-tags-error`) || b.has(`#annotate-form [data-testid="form-error"]`) {
			t.Error("the message stayed after the save went through")
		}
		noReload(b, mark, "a refused save")
		if _, err := g.store.DeleteAnnotation(context.Background(), viewerOf(g, ada), id); err != nil {
			t.Fatal(err)
		}
	})

	b.subtest("ReaderWithEverything", func(t *testing.T) {
		need(t, comment, tagged)
		ctx := context.Background()
		// Bob writes in Ada's group, over the end of her comment.
		grp, err := g.store.CreateGroup(ctx, ada.ID, "Reading circle", "")
		if err != nil {
			t.Fatal(err)
		}
		token, _, err := g.store.CreateInvite(ctx, db.NewInvite{GroupID: grp.ID, Role: db.RoleMember, CreatedBy: ada.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := g.store.AcceptGroupInvite(ctx, token, bob.ID); err != nil {
			t.Fatal(err)
		}
		art, err := g.store.ArticleBySlug(ctx, strings.TrimPrefix(refugeesPath, "/articles/"))
		if err != nil {
			t.Fatal(err)
		}
		an, err := g.store.CreateAnnotation(ctx, viewerOf(g, bob), art.ID, db.AnnotationInput{Start: -1, End: -1,
			Exact: "silence, their plight a sideshow", Body: "Off topic, and rude about it.",
			Visibility: string(db.Shared), Group: strconv.FormatInt(grp.ID, 10)})
		if err != nil {
			t.Fatal(err)
		}
		bobs = an.ID

		// Ada highlights across both, so "silence" is under three. The
		// toolbar offers her group.
		b.navigate(refugeesPath)
		mark := watchPage(b)
		selectWithMouse(b, "and silence, their plight")
		if got := b.texts(`#toolbar-audience option`); !slices.Equal(got, []string{"Private", "Group: Reading circle", "Public"}) {
			t.Errorf("the toolbar offers %q", got)
		}
		b.run(chromedp.SetValue(chromedp.CSS("#toolbar-audience"), "group:"+strconv.FormatInt(grp.ID, 10)))
		n := saves(b)
		b.run(chromedp.Click(chromedp.CSS(toolbarButton("highlight"))))
		overlap = savedInPlace(b, n)
		if got := b.texts(`#article-text mark.depth-3`); !slices.Equal(got, []string{"silence"}) {
			t.Errorf("the passage under three highlights shows as %q, want \"silence\"", got)
		}
		if a := storedAnnotation(g, ada, overlap); a.Visibility != db.Shared || a.GroupID != grp.ID {
			t.Errorf("the highlight for the group is %s in %d", a.Visibility, a.GroupID)
		}
		// A group is remembered: the next selection offers it again.
		selectWithMouse(b, "Women and children")
		if got := value(b, chromedp.Value(chromedp.CSS(`#toolbar-audience`))); got != "group:"+strconv.FormatInt(grp.ID, 10) {
			t.Errorf("after a group highlight the toolbar offers %q", got)
		}
		b.run(chromedp.MouseClickXY(5, 300))

		// Ada owns the group: she hides Bob's annotation, in place.
		settle(b)
		b.run(chromedp.Click(chromedp.CSS(cardSel(bobs) + ` form[action$="/hide"] button`)))
		waitSoon(b, `document.querySelector('`+cardSel(bobs)+` [data-testid="hidden-note"]') !== null`, "hiding did not mark the card")
		if got := b.text(`#reader-status`); !strings.HasPrefix(got, "Annotation hidden") {
			t.Errorf("after hiding, the live region says %q", got)
		}
		if got := activeID(b); got != cardSel(bobs)[1:] {
			t.Errorf("after hiding the focus is on #%s", got)
		}

		// A press on another card does not move it before the click lands
		// (it comes level after): its Reply opens at the first click.
		settle(b)
		b.run(chromedp.Click(chromedp.CSS(cardSel(tagged) + " details.reply > summary")))
		waitSoon(b, `document.querySelector('`+cardSel(tagged)+` details.reply').open`, "a click on Reply in a card not brought forward was lost")
		waitSoon(b, `document.querySelector('.card-slot.is-active') === document.querySelector('`+cardSel(tagged)+`').closest('li')`, "the clicked card did not come forward")
		b.run(chromedp.Click(chromedp.CSS(cardSel(tagged) + " details.reply > summary")))

		// A note, in the Notes tab.
		b.run(chromedp.Click(chromedp.CSS(`#tab-notes`)))
		b.typeInto("#note-body", "The author *works* for a refugee charity.")
		n = saves(b)
		b.run(chromedp.Click(chromedp.CSS(`[data-testid="note-form"] button[type="submit"]`)))
		note := savedInPlace(b, n)
		if got := b.texts(`[data-testid="note"] .body em`); !slices.Equal(got, []string{"works"}) {
			t.Errorf("notes show %q", got)
		}
		if got := activeID(b); got != "n-"+strconv.FormatInt(note, 10) {
			t.Errorf("after the note the focus is on #%s", got)
		}
		if got := b.text(`#tab-notes .count`); got != "1" {
			t.Errorf("the Notes tab counts %s", got)
		}
		if got := value(b, chromedp.Value(chromedp.CSS("#note-body"))); got != "" {
			t.Errorf("the note form still holds %q", got)
		}
		b.axe("reader with the notes tab")
		b.run(chromedp.Click(chromedp.CSS(`#tab-annotations`)))
		noReload(b, mark, "hiding and a note")

		// With no card brought forward (a click in the text, away from the
		// highlights), each card is level with its passage or, where they
		// crowd, below the card before it; none overlaps another.
		away := findPhrase(b, "The plight of North Koreans forced to flee")
		b.run(chromedp.MouseClickXY(away.FromX, away.FromY))
		type slot struct {
			ID               string
			Top, Bottom, Pas float64
		}
		waitSoon(b, `document.querySelector('.card-slot.is-active') === null`, "a click in the text left a card brought forward")
		slots := afterQueued[[]slot](b, `[...document.querySelectorAll('#cards > li')].map(li => {
			const r = li.getBoundingClientRect(), m = document.querySelector('#article-text mark[data-ids~="' + li.dataset.id + '"]');
			return {ID: li.dataset.id, Top: r.top, Bottom: r.bottom, Pas: m.getBoundingClientRect().top};
		})`)
		for i, s := range slots {
			if s.Top < s.Pas-4 {
				t.Errorf("card %s starts above its passage (%v < %v) %s", s.ID, s.Top, s.Pas, eval[string](b, `JSON.stringify([document.querySelector('.margin-tabs').getBoundingClientRect(), document.querySelector('#cards').getBoundingClientRect(), document.querySelector('#cards').style.height, [...document.querySelectorAll('#cards > li')].map(li => li.style.top), document.querySelector('[data-testid=crowded]') && document.querySelector('[data-testid=crowded]').outerHTML])`))
			}
			if i > 0 && s.Top < slots[i-1].Bottom {
				t.Errorf("card %s overlaps the one before it", s.ID)
			}
			if i > 0 && s.Top > s.Pas+4 && s.Top > slots[i-1].Bottom+20 {
				t.Errorf("card %s is below its passage (%v, passage %v) with room above", s.ID, s.Top, s.Pas)
			}
		}
		// Focusing a highlight's marker brings its card level with it.
		last := slots[len(slots)-1].ID
		b.run(chromedp.Focus(chromedp.CSS(`#article-text a.mark-ref[data-id="` + last + `"]`)))
		if err := soon(b, `Math.abs(document.querySelector('#cards > li[data-id="`+last+`"]').getBoundingClientRect().top - document.querySelector('#article-text mark[data-ids~="`+last+`"]').getBoundingClientRect().top) < 4`); err != nil {
			t.Errorf("focusing the last highlight did not bring its card level: %s", eval[string](b, `JSON.stringify([document.activeElement.outerHTML.slice(0, 80), ...[...document.querySelectorAll('#cards > li')].map(li => [li.dataset.id, li.className, li.getBoundingClientRect().top, li.offsetHeight, document.querySelector('#article-text mark[data-ids~="' + li.dataset.id + '"]').getBoundingClientRect().top])])`))
		}

		// A passage that is not in the text, typed into the form: the
		// refusal comes back beside the passage with what was typed.
		b.run(chromedp.Click(chromedp.CSS(`#annotate > summary`)))
		b.typeInto("#f-exact", "words this article never says")
		b.typeInto("#f-body", "kept")
		b.expectRefusal(refugeesPath + "/annotations")
		b.run(chromedp.Click(chromedp.CSS(`#annotate-form button[type="submit"]:not([formaction])`)))
		waitSoon(b, `document.querySelector('#f-exact-error') !== null`, "the refusal was not shown beside the passage")
		if got := b.text(`#annotate-form [data-testid="form-error"]`); !strings.Contains(got, "is not in this article's text") {
			t.Errorf("the form error says %q", got)
		}
		if got := value(b, chromedp.Value(chromedp.CSS("#f-body"))); got != "kept" {
			t.Errorf("after the error the comment field holds %q", got)
		}
		if got := len(cardIDs(b)); got != 4 {
			t.Errorf("the page with the error shows %d annotations, want 4", got)
		}
		// The open form pushed the margin's cards down: those crowded out
		// above by the card level with its passage are offered, not lost.
		settle(b)
		if err := soon(b, `document.querySelector('[data-testid="crowded"]') && !document.querySelector('[data-testid="crowded"]').hidden`); err != nil {
			t.Errorf("cards crowded out above are not offered: %d hidden", eval[int](b, `document.querySelectorAll('#cards > li.is-offstage').length`))
		} else {
			b.run(chromedp.Click(chromedp.CSS(`[data-testid="crowded"]`)))
			waitSoon(b, `document.querySelectorAll('#cards > li.is-offstage').length === 0 && document.querySelector('[data-testid="crowded"]').hidden`, "the crowded cards did not settle")
		}
		b.axe("reader with annotations, a reply, a hidden one, a note and a form error")
		b.screenshot("annotate-reader")
	})

	b.subtest("EditAndDeleteWithUndo", func(t *testing.T) {
		need(t, comment, overlap)
		b.navigate(refugeesPath)
		mark := watchPage(b)
		c := cardSel(comment)
		b.run(chromedp.Click(chromedp.CSS(c + ` .card-actions a[href$="/edit"]`)))
		body := "#e" + strconv.FormatInt(comment, 10) + "-body"
		waitSoon(b, `document.activeElement && document.activeElement.matches('`+body+`')`, "Edit did not open the form in the card with the focus in it")
		b.axe("reader with a card being edited")
		b.run(chromedp.Clear(chromedp.CSS(body)))
		b.typeInto(body, "Changed my mind: **private** now.")
		b.run(chromedp.SetValue(chromedp.CSS("#e"+strconv.FormatInt(comment, 10)+"-visibility"), "private"))
		n := saves(b)
		pressKey(b, "\r", chromedp.ModifierCtrl)
		savedInPlace(b, n)
		if got := b.text(`#reader-status`); got != "Annotation saved. Only you can see this." {
			t.Errorf("after editing the live region says %q", got)
		}
		if got := b.text(c + ` [data-testid="body"]`); got != "Changed my mind: private now." {
			t.Errorf("the edited card says %q", got)
		}
		if got := b.text(c + " .byline"); !strings.Contains(got, "edited") {
			t.Errorf("the edited card's byline %q does not say so", got)
		}
		if a := storedAnnotation(g, ada, comment); a.Visibility != db.Private || a.Body != "Changed my mind: **private** now." {
			t.Errorf("stored after editing: %s %q", a.Visibility, a.Body)
		}
		// Escape leaves an edit as it was.
		b.run(chromedp.Click(chromedp.CSS(c + ` .card-actions a[href$="/edit"]`)))
		waitSoon(b, `document.activeElement && document.activeElement.matches('`+body+`')`, "Edit did not open again")
		pressKey(b, kb.Escape)
		if b.has(c + " .edit-form") {
			t.Error("Escape left the edit form open")
		}

		// Delete offers Undo instead of asking first.
		del := cardSel(overlap) + ` form[action$="/delete"] button`
		settle(b)
		b.run(chromedp.Click(chromedp.CSS(del)))
		if err := soon(b, `document.activeElement && document.activeElement.closest('[data-testid="undo"]') !== null`); err != nil {
			t.Fatalf("Delete did not offer Undo (focus on %s)", eval[string](b, `document.activeElement.outerHTML.slice(0, 200)`))
		}
		if eval[bool](b, `document.querySelector('`+cardSel(overlap)+`').offsetParent !== null`) {
			t.Error("the card being deleted still shows")
		}
		settle(b) // the margin laid out again without the card
		b.run(chromedp.Click(chromedp.CSS(`[data-testid="undo"] button`)))
		if !eval[bool](b, `document.querySelector('`+cardSel(overlap)+`').offsetParent !== null`) || highlightedText(b, overlap) == "" {
			t.Fatal("Undo did not bring the annotation back")
		}
		if _, err := g.store.AnnotationByID(context.Background(), viewerOf(g, ada), overlap); err != nil {
			t.Errorf("after Undo the annotation is not stored: %v", err)
		}
		n = saves(b)
		settle(b)
		b.run(chromedp.Click(chromedp.CSS(del)))
		if err := chromedp.Do(b.ctx, chromedp.Poll[chromedp.Void](`__saves.length > `+strconv.Itoa(n), chromedp.WithPollingTimeout(15*time.Second))); err != nil {
			t.Fatalf("the deletion was not sent after the Undo time: %v", err)
		}
		if b.has(cardSel(overlap)) || highlightedText(b, overlap) != "" {
			t.Error("the deleted annotation is still shown")
		}
		noReload(b, mark, "editing and deleting")
		b.navigate(refugeesPath)
		if b.has(cardSel(overlap)) || !b.has(c) {
			t.Error("after a reload the deleted annotation is back, or the edited one is gone")
		}
	})

	b.subtest("Phone", func(t *testing.T) {
		need(t, tagged)
		b.setViewport(phone)
		defer b.setViewport(desktop)
		b.navigate(refugeesPath)
		mark := watchPage(b)
		fitsPhone(b, "reader")
		if h := boxOf(b, `document.querySelector('.site-header')`); h.Bottom > 80 {
			t.Errorf("the header takes %vpx of the phone's screen", h.Bottom)
		}
		if p := boxOf(b, `document.querySelector('#article-text > p')`); p.Top > float64(phone.height)-100 {
			t.Errorf("the text starts at y=%v, not on the first screen", p.Top)
		}
		b.run(chromedp.Click(chromedp.CSS(`.menu-button`)))
		waitSoon(b, `document.querySelector('.site-nav a[href="/groups"]').offsetParent !== null`, "Menu did not open the navigation")
		b.axe("reader (phone, menu open)")
		b.run(chromedp.Click(chromedp.CSS(`.menu-button`)))
		b.axe("reader (phone)")

		// The toolbar fits the screen and its buttons are big enough to hit.
		const passage = "the greater drama of nuclear politics"
		selectPhrase(b, passage)
		type box struct{ Left, Right, Top, Bottom, MinW, MinH, Width float64 }
		bar := eval[box](b, `(() => {
			const r = document.getElementById('selection-toolbar').getBoundingClientRect();
			const bs = [...document.querySelectorAll('#selection-toolbar button, #selection-toolbar select')].map(b => b.getBoundingClientRect());
			return {Left: r.left, Right: r.right, Top: r.top, Bottom: r.bottom, Width: document.documentElement.clientWidth,
				MinW: Math.min(...bs.map(b => b.width)), MinH: Math.min(...bs.map(b => b.height))};
		})()`)
		if bar.Left < 0 || bar.Right > bar.Width || bar.Top < 0 || bar.Bottom > float64(phone.height) {
			t.Errorf("the toolbar is not all on the %vpx screen: %+v", bar.Width, bar)
		}
		if bar.MinW < 24 || bar.MinH < 24 {
			t.Errorf("a toolbar control is %vx%vpx, want at least 24x24 (WCAG 2.5.8)", bar.MinW, bar.MinH)
		}
		// Comment opens a sheet at the bottom; the passage stays above it.
		y0 := eval[float64](b, `scrollY`)
		x, y := center(b, toolbarButton("comment"))
		b.run(chromedp.TapXY(x, y))
		waitSoon(b, `document.getElementById('composer').classList.contains('as-sheet') && !document.getElementById('composer').hidden`, "Comment did not open a sheet")
		sheet := boxOf(b, `document.getElementById('composer')`)
		pending := boxOf(b, `[...CSS.highlights.get('gloss-pending')][0]`)
		if abs(sheet.Bottom-float64(phone.height)) > 1 || pending.Bottom > sheet.Top || pending.Top < 0 {
			t.Errorf("the sheet %+v hides the passage %+v", sheet, pending)
		}
		if moved := abs(eval[float64](b, `scrollY`) - y0); moved > float64(phone.height) {
			t.Errorf("opening the composer scrolled %vpx, more than a screen", moved)
		}
		b.axe("reader (phone, composer sheet)")
		b.typeInto("#f-body", "Drama for whom?")
		n := saves(b)
		x, y = center(b, `#composer button[type="submit"]:not([formaction])`)
		b.run(chromedp.TapXY(x, y))
		id := savedInPlace(b, n)
		if got := highlightedText(b, id); got != passage {
			t.Errorf("the comment made on a phone highlights %q, want %q", got, passage)
		}
		inView(b, markBox(b, id), "the passage after saving on a phone")
		// Tapping a highlight opens its card as a sheet, without a jump.
		y0 = eval[float64](b, `scrollY`)
		m := markBox(b, id)
		b.run(chromedp.TapXY((m.Left+m.Right)/2, (m.Top+m.Bottom)/2))
		if err := soon(b, `document.querySelector('.card-slot.as-sheet') !== null`); err != nil {
			t.Fatalf("tapping a highlight did not open its card; at the tap: %s; toolbar %v; selection %q",
				eval[string](b, fmt.Sprintf(`document.elementFromPoint(%v, %v).outerHTML.slice(0, 200)`, (m.Left+m.Right)/2, (m.Top+m.Bottom)/2)),
				eval[bool](b, toolbarShown), selectedText(b))
		}
		if got := eval[string](b, `document.querySelector('.card-slot.as-sheet').dataset.id`); got != strconv.FormatInt(id, 10) {
			t.Errorf("the sheet shows card %s, want %d", got, id)
		}
		if moved := abs(eval[float64](b, `scrollY`) - y0); moved > 2 {
			t.Errorf("opening the card scrolled %vpx", moved)
		}
		b.axe("reader (phone, card sheet)")
		b.screenshot("annotate-reader-phone-sheet")
		pressKey(b, kb.Escape)
		waitSoon(b, `document.querySelector('.as-sheet') === null`, "Escape did not close the sheet")
		noReload(b, mark, "annotating on a phone")
	})

	b.subtest("SignedOut", func(t *testing.T) {
		need(t, comment, tagged, korean, bobs)
		b.clickAndLoad(`.site-header form[action="/logout"] button`)
		anon := g.tab()
		anon.t = t
		defer func() { anon.t = g.t }()
		for _, r := range []*tab{b, anon} {
			for range 2 { // and after a reload
				r.navigate(refugeesPath)
				if r.has(cardSel(comment)) || highlightedText(r, comment) != "" {
					t.Error("signed out, the private comment is shown")
				}
				if r.has(cardSel(bobs)) {
					t.Error("signed out, the group's hidden annotation is shown")
				}
				if got := highlightedText(r, tagged); got != "Women and children are especially vulnerable." {
					t.Errorf("signed out, the public annotation highlights %q", got)
				}
				if got := cardIDs(r); !slices.Equal(got, []string{cardSel(tagged)[1:]}) {
					t.Errorf("signed out, the margin shows %q", got)
				}
				if got := r.text(`[data-testid="annotation-count"]`); got != "1" {
					t.Errorf("signed out, the annotation count is %s, want 1", got)
				}
				if r.has(`#selection-toolbar`) || r.has(`#annotate-form`) {
					t.Error("signed out, the reader offers to annotate")
				}
				r.navigate(borderPath)
				if got := highlightedText(r, korean); got != "이야기: 국경을" {
					t.Errorf("signed out, the public Korean highlight covers %q", got)
				}
			}
		}
		anon.axe("reader signed out")
	})
}

// viewerOf is p as the store's permission rules see them.
func viewerOf(g *gloss, p person) db.Viewer {
	g.t.Helper()
	v, err := g.store.ViewerFor(context.Background(), p.User)
	if err != nil {
		g.t.Fatal(err)
	}
	return v
}

// TestBrowserAnnotateWithoutJavaScript types the passage into the form, as
// someone without JavaScript does, and sees it highlighted; the filters
// work as a form.
func TestBrowserAnnotateWithoutJavaScript(t *testing.T) {
	g := startGloss(t)
	importBorderArticle(g)
	nora := g.person("Nora Nojs", "nora@example.org", false)
	b := g.tab()
	b.run(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	signIn(b, nora)
	b.navigate(borderPath)
	if eval[bool](b, `document.documentElement.classList.contains('js')`) || b.has("#article-text[tabindex]") {
		t.Fatal("the reader's script ran: JavaScript is not off")
	}

	var ids []int64
	for _, c := range []struct{ typed, passage string }{
		// pasted across a line break, with the spaces it picked up
		{"the guards can be paid,\n  but the price", "the guards can be paid, but the price"},
		{"국경을 넘은 사람들의 증언", "국경을 넘은 사람들의 증언"},
	} {
		b.run(chromedp.Click(chromedp.CSS(`#annotate > summary`)))
		b.typeInto("#f-exact", c.typed)
		b.typeInto("#f-body", "Typed, not selected.")
		b.clickAndLoad(`#annotate-form button[type="submit"]`)
		id := savedID(b)
		ids = append(ids, id)
		if got := highlightedText(b, id); got != c.passage {
			t.Errorf("typing %q highlighted %q, want %q", c.typed, got, c.passage)
		}
		a := storedAnnotation(g, nora, id)
		start, end := codePoints(t, borderBody, c.passage)
		if a.Selector.Start != start || a.Selector.End != end {
			t.Errorf("%q stored at [%d,%d), want [%d,%d)", c.passage, a.Selector.Start, a.Selector.End, start, end)
		}
	}

	b.expectRefusal(borderPath + "/annotations")
	b.run(chromedp.Click(chromedp.CSS(`#annotate > summary`)))
	b.typeInto("#f-exact", "cross")
	b.clickAndLoad(`#annotate-form button[type="submit"]`)
	if got, want := b.text(`[data-testid="form-error"]`), fmt.Sprintf("occurs %d times", strings.Count(borderBody, "cross")); !strings.Contains(got, want) {
		t.Errorf("an ambiguous passage gives the error %q", got)
	}
	if !eval[bool](b, `document.getElementById('annotate').open`) || b.text(`#f-exact-error`) == "" {
		t.Error("the refused form is not open with its message beside the passage")
	}
	if got := len(cardIDs(b)); got != 2 {
		t.Errorf("after the error the margin shows %d annotations, want 2", got)
	}

	// The filters are a form with its button; the cards are a list.
	b.run(chromedp.SetValue(chromedp.CSS(`#filter-scope`), "public"))
	b.clickAndLoad(`#reader-filters button[type="submit"]`)
	if got := b.path(); !strings.Contains(got, "show=public") {
		t.Errorf("filtering led to %q", got)
	}
	if got := len(cardIDs(b)); got != 0 {
		t.Errorf("Nora's private annotations show under Public: %d cards", got)
	}
	// Delete is a plain form: no question, no Undo, the page reloads.
	b.navigate(borderPath)
	b.clickAndLoad(cardSel(ids[0]) + ` form[action$="/delete"] button`)
	if got := b.text(`[data-testid="flash"]`); got != "Annotation deleted." {
		t.Errorf("after deleting the message is %q", got)
	}
	if b.has(cardSel(ids[0])) {
		t.Error("the deleted annotation is still shown")
	}
}

// savedID is the annotation the page was sent to after saving one without
// JavaScript (the form's redirect to #a-ID).
func savedID(b *tab) int64 {
	b.t.Helper()
	p := b.path()
	i := strings.LastIndex(p, "#a-")
	id, err := strconv.ParseInt(p[i+len("#a-"):], 10, 64)
	if i < 0 || err != nil {
		b.t.Fatalf("after saving, the browser is at %q, not at an annotation (%s)", p, b.text("main"))
	}
	return id
}

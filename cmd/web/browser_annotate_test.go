package main

// Browser tests of annotating, done as a person does it: select words with
// the mouse, the keyboard or a finger, comment in Markdown, highlight, tag,
// reply, filter, edit, delete, moderate, and read the result signed out;
// and the same form without JavaScript. Each step checks what is stored,
// not only what is shown, and axe checks the pages on the way.

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
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

// soon waits a few seconds, not the tab's minute, for the JavaScript
// expression to be truthy: what the reader's script does is immediate.
func soon(b *tab, expr string) error {
	return chromedp.Do(b.ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(3*time.Second)))
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

var savedAnnotation = regexp.MustCompile(`#a-(\d+)$`)

// savedID is the annotation the page was sent to after saving one.
func savedID(b *tab) int64 {
	b.t.Helper()
	p := b.path()
	m := savedAnnotation.FindStringSubmatch(p)
	if m == nil {
		b.t.Fatalf("after saving, the browser is at %q, not at an annotation (%s)", p, b.text("main"))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
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

// answerConfirm clicks sel, whose form asks window.confirm before it is
// sent, and answers the question. It returns what the dialog asked.
func answerConfirm(b *tab, sel string, accept bool) string {
	b.t.Helper()
	ctx, cancel := context.WithCancel(b.ctx)
	defer cancel()
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	asked := make(chan string, 1)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				asked <- "error: " + err.Error()
				return
			}
			_, err := chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: accept})
			if err != nil {
				asked <- "error: " + err.Error()
				return
			}
			asked <- string(ev.Type) + ": " + ev.Message
			return
		}
	}()
	click := chromedp.Click(chromedp.CSS(sel))
	if accept {
		value(b, chromedp.WaitEvent(page.LoadEventFired, nil, click))
	} else {
		b.run(click)
	}
	select {
	case q := <-asked:
		return q
	case <-time.After(5 * time.Second):
		b.t.Fatalf("clicking %s asked nothing", sel)
		return ""
	}
}

// TestBrowserAnnotate follows one reader, Ada, through annotating two
// articles, with Bob writing in her group. The subtests run in order on one
// server and build on each other.
func TestBrowserAnnotate(t *testing.T) {
	g := startGloss(t)
	importBorderArticle(g)
	ada := g.person("Ada Lovelace", "ada@example.org", false)
	bob := g.person("Bob Brewster", "bob@example.org", false)
	b := g.tab()
	signIn(b, ada)

	// Annotations made along the way, by what they are.
	var comment, korean, tagged, overlap, bobs int64
	need := func(t *testing.T, ids ...int64) {
		t.Helper()
		if slices.Contains(ids, 0) {
			t.Skip("an earlier subtest did not make the annotations this one builds on")
		}
	}

	b.subtest("CommentWithTheMouse", func(t *testing.T) {
		const passage = "suffer in isolation and silence"
		b.navigate(refugeesPath)
		selectWithMouse(b, passage)
		b.run(chromedp.Click(chromedp.CSS(toolbarButton("comment"))))
		if got := eval[string](b, `document.activeElement.id`); got != "f-body" {
			t.Fatalf("after Comment the focus is on #%s, want the comment field", got)
		}
		if got := value(b, chromedp.Value(chromedp.CSS("#f-exact"))); got != passage {
			t.Errorf("the form's passage is %q, want %q", got, passage)
		}
		if eval[bool](b, toolbarShown) {
			t.Error("the toolbar stays open after choosing Comment")
		}
		b.run(chromedp.KeyEvent("**bold** and *it*"))
		b.run(chromedp.SetValue(chromedp.CSS("#a-visibility"), "public"))
		b.clickAndLoad(`#annotate-form button[type="submit"]`)
		comment = savedID(b)

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
			if got := b.text(c + ` [data-testid="body"] em`); got != "it" {
				t.Errorf("the card's comment shows <em>%s</em>", got)
			}
			if got := b.text(c + ` [data-testid="audience"]`); !strings.HasPrefix(got, "Anyone can see this") {
				t.Errorf("the card says %q about who sees it", got)
			}
			b.navigate(refugeesPath)
		}

		// The footnote number after the passage leads to the card, the
		// card's quote back to the passage, and clicking the highlight
		// puts the focus on the card.
		c := cardSel(comment)
		ref := `#article-text a.mark-ref[href="` + c + `"]`
		num := b.text(ref)
		if want := b.text(c + " .quote-link .num"); num == "" || num != want {
			t.Errorf("the footnote after the passage is %q, the card's number %q", num, want)
		}
		id := strconv.FormatInt(comment, 10)
		b.run(chromedp.Click(chromedp.CSS(ref)))
		waitSoon(b, `location.hash === '`+c+`' && document.querySelector('`+c+`').classList.contains('flash-target')`,
			"the footnote number did not lead to the card")
		b.run(chromedp.Click(chromedp.CSS(c + " .quote-link")))
		waitSoon(b, `location.hash === '#m-`+id+`' && document.querySelector('#m-`+id+` + mark').classList.contains('flash-target')`,
			"the card's quote did not lead back to the passage")
		b.run(chromedp.Click(chromedp.CSS(`#article-text mark[data-ids="` + id + `"]`)))
		waitSoon(b, `document.activeElement === document.querySelector('`+c+`')`, "clicking the highlight did not focus its card")
		if eval[bool](b, toolbarShown) {
			t.Error("clicking a highlight opened the selection toolbar")
		}
	})

	// Drags that end outside the text: in the margin beside the line, and
	// up in the heading. The toolbar follows the new selection, never the
	// one before, and annotates only what lies in the text.
	b.subtest("SelectionEndingOutsideTheText", func(t *testing.T) {
		b.navigate(refugeesPath)
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
		if got := value(b, chromedp.Value(chromedp.CSS("#f-exact"))); got != lineStart {
			t.Errorf("after a drag released in the margin, Comment took the passage %q, want %q", got, lineStart)
		}

		b.navigate(refugeesPath)
		at = findPhrase(b, "Thousands of North Koreans")
		x, y := center(b, "h1")
		mouseDrag(b, at.ToX, at.ToY, x, y)
		waitToolbar(b)
		b.run(chromedp.Click(chromedp.CSS(toolbarButton("comment"))))
		const want = "Help the Refugees Who Reach China\n\nThousands of North Koreans"
		if got := value(b, chromedp.Value(chromedp.CSS("#f-exact"))); got != want {
			t.Errorf("after a drag up into the heading, Comment took the passage %q, want the text's part %q", got, want)
		}
		if got := value(b, chromedp.Value(chromedp.CSS(`#annotate-form input[name="start"]`))); got != "0" {
			t.Errorf("the passage from the top of the text starts at %s, want 0", got)
		}
	})

	b.subtest("HighlightWithTheKeyboard", func(t *testing.T) {
		const passage = "이야기: 국경을"
		b.navigate(borderPath)
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
		if eval[bool](b, toolbarShown) || eval[string](b, `document.activeElement.id`) != "article-text" {
			t.Error("Escape did not close the toolbar and return to the text")
		}
		if got := eval[string](b, `getSelection().toString()`); got != passage {
			t.Errorf("after Escape the selection is %q, want it kept", got)
		}
		pressKey(b, kb.Enter)
		waitToolbar(b)
		value(b, chromedp.WaitEvent(page.LoadEventFired, nil, typeKeys(kb.Enter))) // on Highlight
		korean = savedID(b)

		a := storedAnnotation(g, ada, korean)
		start, end := codePoints(t, borderBody, passage)
		if a.Selector.Exact != passage || a.Selector.Start != start || a.Selector.End != end {
			t.Errorf("stored passage %q at [%d,%d), want %q at [%d,%d) in code points", a.Selector.Exact, a.Selector.Start, a.Selector.End, passage, start, end)
		}
		if a.Body != "" {
			t.Errorf("a highlight stored the comment %q", a.Body)
		}
		if a.Visibility != db.Public {
			t.Errorf("the highlight is %s: the form should have kept the last choice, public", a.Visibility)
		}
		if got := highlightedText(b, korean); got != passage {
			t.Errorf("the highlight covers %q, want %q", got, passage)
		}
		if got := b.text(cardSel(korean) + " .quote"); !strings.Contains(got, passage) {
			t.Errorf("the card quotes %q", got)
		}
	})

	b.subtest("ReplyTagAndFilter", func(t *testing.T) {
		need(t, comment)
		b.navigate(refugeesPath)
		c := cardSel(comment)
		b.run(chromedp.Click(chromedp.CSS(c + " details.reply summary")))
		b.typeInto(c+" details.reply textarea", "Agreed: see the *second* paragraph.")
		b.clickAndLoad(c + ` details.reply button[type="submit"]`)
		reply := savedID(b)
		if got := b.text(c + " .replies " + cardSel(reply) + ` [data-testid="body"] em`); got != "second" {
			t.Errorf("the reply under the card shows <em>%s</em>", got)
		}

		const passage = "Women and children are especially vulnerable."
		selectWithMouse(b, passage)
		b.run(chromedp.Click(chromedp.CSS(toolbarButton("tag"))))
		if got := eval[string](b, `document.activeElement.id`); got != "f-tags" {
			t.Fatalf("after Tag the focus is on #%s, want the tags field", got)
		}
		b.run(chromedp.KeyEvent("At  Risk, women"))
		b.run(chromedp.SetValue(chromedp.CSS("#a-visibility"), "public"))
		b.clickAndLoad(`#annotate-form button[type="submit"]`)
		tagged = savedID(b)
		if got := b.texts(cardSel(tagged) + " .tag-list a"); !slices.Equal(got, []string{"at risk", "women"}) {
			t.Errorf("the tagged card shows the tags %q", got)
		}
		if got := highlightedText(b, tagged); got != passage {
			t.Errorf("the tagged highlight covers %q", got)
		}

		b.typeInto("#filter-tag", "at risk")
		b.clickAndLoad(`.reader-filters button[type="submit"]`)
		if got := b.path(); !strings.Contains(got, "tag=at+risk") {
			t.Errorf("filtering by tag led to %q", got)
		}
		if got, want := cardIDs(b), []string{cardSel(tagged)[1:]}; !slices.Equal(got, want) {
			t.Errorf("filtered by the tag, the margin shows %q, want only %q", got, want)
		}
		if got := highlightedText(b, comment); got != "" {
			t.Errorf("filtered by the tag, the untagged passage is still highlighted: %q", got)
		}
		if got := value(b, chromedp.Value(chromedp.CSS("#filter-tag"))); got != "at risk" {
			t.Errorf("the tag filter shows %q", got)
		}

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
		bv, err := g.store.ViewerFor(ctx, bob.User)
		if err != nil {
			t.Fatal(err)
		}
		art, err := g.store.ArticleBySlug(ctx, strings.TrimPrefix(refugeesPath, "/articles/"))
		if err != nil {
			t.Fatal(err)
		}
		an, err := g.store.CreateAnnotation(ctx, bv, art.ID, db.AnnotationInput{Start: -1, End: -1,
			Exact: "silence, their plight a sideshow", Body: "Off topic, and rude about it.",
			Visibility: string(db.Shared), Group: strconv.FormatInt(grp.ID, 10)})
		if err != nil {
			t.Fatal(err)
		}
		bobs = an.ID

		// Ada highlights across both, so "silence" is under three.
		b.navigate(refugeesPath)
		selectWithMouse(b, "and silence, their plight")
		value(b, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(toolbarButton("highlight")))))
		overlap = savedID(b)
		if got := b.texts(`#article-text mark.depth-3`); !slices.Equal(got, []string{"silence"}) {
			t.Errorf("the passage under three highlights shows as %q, want \"silence\"", got)
		}
		for _, id := range []int64{comment, overlap, bobs} {
			if !strings.Contains(highlightedText(b, id), "silence") {
				t.Errorf("annotation %d is not highlighted over \"silence\": %q", id, highlightedText(b, id))
			}
		}

		// Ada owns the group: she hides Bob's annotation.
		b.clickAndLoad(cardSel(bobs) + ` form[action$="/hide"] button`)
		if got := b.text(`[data-testid="flash"]`); !strings.HasPrefix(got, "Annotation hidden") {
			t.Errorf("after hiding, the message is %q", got)
		}
		if !b.has(cardSel(bobs) + ` [data-testid="hidden-note"]`) {
			t.Error("the hidden annotation's card does not say it is hidden")
		}

		b.typeInto("#note-body", "The author *works* for a refugee charity.")
		b.clickAndLoad(`[data-testid="note-form"] button[type="submit"]`)
		if got := b.texts(`[data-testid="note"] .body em`); !slices.Equal(got, []string{"works"}) {
			t.Errorf("notes show %q", got)
		}

		// A passage that is not in the text: the form comes back with the
		// reason and what was typed.
		b.expectRefusal(refugeesPath + "/annotations")
		b.typeInto("#f-exact", "words this article never says")
		b.typeInto("#f-body", "kept")
		b.clickAndLoad(`#annotate-form button[type="submit"]`)
		if got := b.text(`[data-testid="form-error"]`); !strings.Contains(got, "is not in this article's text") {
			t.Errorf("the form error says %q", got)
		}
		if got := value(b, chromedp.Value(chromedp.CSS("#f-body"))); got != "kept" {
			t.Errorf("after the error the comment field holds %q", got)
		}
		if got := len(cardIDs(b)); got != 4 {
			t.Errorf("the page with the error shows %d annotations, want 4", got)
		}
		b.axe("reader with annotations, a reply, a hidden one, a note and a form error")
		b.screenshot("annotate-reader")
	})

	b.subtest("EditAndDelete", func(t *testing.T) {
		need(t, comment, overlap)
		b.navigate(refugeesPath)
		b.clickAndLoad(cardSel(comment) + ` .card-actions a[href$="/edit"]`)
		checkPage(b, "edit annotation", "annotate-edit")
		b.run(chromedp.Clear(chromedp.CSS("#f-body")))
		b.typeInto("#f-body", "Changed my mind: **private** now.")
		b.run(chromedp.SetValue(chromedp.CSS("#e-visibility"), "private"))
		b.clickAndLoad(`[data-testid="edit-form"] button[type="submit"]`)
		if got := b.text(`[data-testid="flash"]`); got != "Annotation saved. Only you can see this." {
			t.Errorf("after editing the message is %q", got)
		}
		c := cardSel(comment)
		if got := b.text(c + ` [data-testid="body"]`); got != "Changed my mind: private now." {
			t.Errorf("the edited card says %q", got)
		}
		if got := b.text(c + " .byline"); !strings.Contains(got, "edited") {
			t.Errorf("the edited card's byline %q does not say so", got)
		}
		if a := storedAnnotation(g, ada, comment); a.Visibility != db.Private || a.Body != "Changed my mind: **private** now." {
			t.Errorf("stored after editing: %s %q", a.Visibility, a.Body)
		}

		del := cardSel(overlap) + ` form[action$="/delete"] button`
		if q := answerConfirm(b, del, false); q != "confirm: Delete this annotation and its replies?" {
			t.Errorf("Delete asked %q", q)
		}
		if !b.has(cardSel(overlap)) || highlightedText(b, overlap) == "" {
			t.Fatal("answering No to the question deleted the annotation")
		}
		answerConfirm(b, del, true)
		if got := b.text(`[data-testid="flash"]`); got != "Annotation deleted." {
			t.Errorf("after deleting the message is %q", got)
		}
		if b.has(cardSel(overlap)) || highlightedText(b, overlap) != "" {
			t.Error("the deleted annotation is still shown")
		}
		b.navigate(refugeesPath)
		if b.has(cardSel(overlap)) || !b.has(c) {
			t.Error("after a reload the deleted annotation is back, or the edited one is gone")
		}
	})

	b.subtest("Phone", func(t *testing.T) {
		need(t, tagged)
		b.setViewport(phone)
		defer b.setViewport(desktop)
		b.navigate(borderPath)
		fitsPhone(b, "reader")
		b.axe("reader (phone)")

		// With a mouse on a narrow window, then with a finger: the
		// toolbar fits the screen and its buttons are big enough to hit.
		const passage = "the guards can be paid"
		selectWithMouse(b, passage)
		type box struct{ Left, Right, Top, Bottom, MinW, MinH, Width float64 }
		bar := eval[box](b, `(() => {
			const r = document.getElementById('selection-toolbar').getBoundingClientRect();
			const bs = [...document.querySelectorAll('#selection-toolbar button')].map(b => b.getBoundingClientRect());
			return {Left: r.left, Right: r.right, Top: r.top, Bottom: r.bottom, Width: document.documentElement.clientWidth,
				MinW: Math.min(...bs.map(b => b.width)), MinH: Math.min(...bs.map(b => b.height))};
		})()`)
		if bar.Left < 0 || bar.Right > bar.Width || bar.Top < 0 || bar.Bottom > float64(phone.height) {
			t.Errorf("the toolbar is not all on the %vpx screen: %+v", bar.Width, bar)
		}
		if bar.MinW < 24 || bar.MinH < 24 {
			t.Errorf("a toolbar button is %vx%vpx, want at least 24x24 (WCAG 2.5.8)", bar.MinW, bar.MinH)
		}
		b.run(chromedp.MouseClickXY(1, 1)) // elsewhere: the selection and toolbar go
		if afterQueued[bool](b, toolbarShown) {
			t.Error("the toolbar stays after clicking elsewhere")
		}

		// A finger selects by a long press and the handles, which fire no
		// mouse events; headless Chromium does not turn a synthetic long
		// press into a selection, so the test taps the text, then selects
		// as the long press would.
		at := findPhrase(b, passage)
		b.run(chromedp.TapXY(at.FromX, at.FromY))
		if afterQueued[bool](b, toolbarShown) {
			t.Error("a tap that selects nothing opened the toolbar")
		}
		b.run(chromedp.Evaluate[chromedp.Void](`(() => {
			const p = [...document.querySelectorAll('#article-text p')].find(p => p.textContent.includes(` + strconv.Quote(passage) + `));
			const n = p.firstChild, i = n.data.indexOf(` + strconv.Quote(passage) + `);
			getSelection().setBaseAndExtent(n, i, n, i + ` + strconv.Itoa(len(passage)) + `);
		})()`))
		waitToolbar(b)
		x, y := center(b, toolbarButton("highlight"))
		value(b, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.TapXY(x, y)))
		id := savedID(b)
		if got := highlightedText(b, id); got != passage {
			t.Errorf("the highlight made with a finger covers %q, want %q", got, passage)
		}
		b.screenshot("annotate-reader-border")
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
				// The reply followed its comment into private.
				if got := r.text(`[data-testid="annotation-count"]`); got != "1" {
					t.Errorf("signed out, the annotation count is %s, want 1", got)
				}
				if eval[bool](r, `document.documentElement.classList.contains('js') || document.querySelector('script[src*="reader"]') !== null`) {
					t.Error("signed out, the reader's script is loaded")
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

// TestBrowserAnnotateWithoutJavaScript types the passage into the form, as
// someone without JavaScript does, and sees it highlighted.
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

	for _, c := range []struct{ typed, passage string }{
		// pasted across a line break, with the spaces it picked up
		{"the guards can be paid,\n  but the price", "the guards can be paid, but the price"},
		{"국경을 넘은 사람들의 증언", "국경을 넘은 사람들의 증언"},
	} {
		b.typeInto("#f-exact", c.typed)
		b.typeInto("#f-body", "Typed, not selected.")
		b.clickAndLoad(`#annotate-form button[type="submit"]`)
		id := savedID(b)
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
	b.typeInto("#f-exact", "cross")
	b.clickAndLoad(`#annotate-form button[type="submit"]`)
	if got, want := b.text(`[data-testid="form-error"]`), fmt.Sprintf("occurs %d times", strings.Count(borderBody, "cross")); !strings.Contains(got, want) {
		t.Errorf("an ambiguous passage gives the error %q", got)
	}
	if got := len(cardIDs(b)); got != 2 {
		t.Errorf("after the error the margin shows %d annotations, want 2", got)
	}
}

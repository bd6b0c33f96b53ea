package main

// Browser tests of collections, as an educator builds one and a class
// reads it: make a collection, add to it from the reader (an annotation's
// card, a selection) and from search, reorder it with the keyboard and by
// dragging, choose what shows under a passage, publish it at a link, read
// and present that link signed out (with and without JavaScript), print
// it, withdraw the link, and open the class overview. axe checks every
// page on the way.

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"gloss/db"
)

// classroom is a running Gloss with an educator who owns a group, and a
// student in it who has annotated the refugees article.
type classroom struct {
	*gloss
	erin, sam             person
	group                 db.Group
	samGroup, samPrivate  int64 // Sam's annotations: shared with the group, and private
	samPublic, erinPublic int64
}

func newClassroom(t *testing.T) *classroom {
	t.Helper()
	ctx := context.Background()
	c := &classroom{gloss: startGloss(t)}
	c.erin = c.person("Erin Educator", "erin@example.org", false)
	c.sam = c.person("Sam Student", "sam@example.org", false)
	var err error
	if c.group, err = c.store.CreateGroup(ctx, c.erin.ID, "Seminar", ""); err != nil {
		t.Fatal(err)
	}
	token, _, err := c.store.CreateInvite(ctx, db.NewInvite{GroupID: c.group.ID, Role: db.RoleMember, CreatedBy: c.erin.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.store.AcceptGroupInvite(ctx, token, c.sam.ID); err != nil {
		t.Fatal(err)
	}
	art, err := c.store.ArticleBySlug(ctx, strings.TrimPrefix(refugeesPath, "/articles/"))
	if err != nil {
		t.Fatal(err)
	}
	annotate := func(p person, quote, body, vis string) int64 {
		v, err := c.store.ViewerFor(ctx, p.User)
		if err != nil {
			t.Fatal(err)
		}
		a, err := c.store.CreateAnnotation(ctx, v, art.ID, db.AnnotationInput{Start: -1, End: -1, Exact: quote, Body: body,
			Visibility: vis, Group: strconv.FormatInt(c.group.ID, 10)})
		if err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	const passage = "suffer in isolation and silence"
	c.samGroup = annotate(c.sam, passage, "Why *silence*? Nobody asks them.", "group")
	c.samPrivate = annotate(c.sam, passage, "SAM-PRIVATE draft thought", "private")
	c.samPublic = annotate(c.sam, passage, "A public remark by Sam.", "public")
	c.erinPublic = annotate(c.erin, "Some 50,000 North Koreans are in China", "The low estimate.", "public")
	return c
}

// storedOrder is the kinds of a collection's items, in order, as stored.
func (c *classroom) storedItems(t *testing.T, id int64) []*db.CollectionItem {
	t.Helper()
	ctx := context.Background()
	v, err := c.store.ViewerFor(ctx, c.erin.User)
	if err != nil {
		t.Fatal(err)
	}
	col, err := c.store.CollectionByID(ctx, v, id)
	if err != nil {
		t.Fatal(err)
	}
	return col.Items
}

func itemIDStrings(items []*db.CollectionItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, strconv.FormatInt(it.ID, 10))
	}
	return out
}

// editOrder is the item ids in the editor's list, in order.
func editOrder(b *tab) []string {
	b.t.Helper()
	return eval[[]string](b, `[...document.querySelectorAll('[data-testid="edit-item"]')].map(li => li.dataset.item)`)
}

var editPath = regexp.MustCompile(`^/collections/(\d+)/edit(#item-\d+)?$`)

// chooseCollection finishes the "Add to a collection" page: into the
// collection id, with a commentary.
func chooseCollection(b *tab, id int64, commentary string) {
	b.t.Helper()
	b.run(chromedp.SetValue(chromedp.CSS("#add-collection"), strconv.FormatInt(id, 10)))
	if commentary != "" {
		b.typeInto("#add-commentary", commentary)
	}
	b.clickAndLoad(`[data-testid="add-form"] button[type="submit"]`)
	if m := editPath.FindStringSubmatch(b.path()); m == nil || m[1] != strconv.FormatInt(id, 10) {
		b.t.Fatalf("adding led to %q (%s)", b.path(), b.text("main"))
	}
	if got := b.text(`[data-testid="flash"]`); !strings.HasPrefix(got, "Added to “") {
		b.t.Errorf("after adding the message is %q", got)
	}
}

// dragBefore drags the item whose handle is at handleSel onto the top of
// the element at targetSel, the way a mouse does it: Chromium's drag is
// intercepted (there is no OS to carry it in a headless browser) and its
// data dispatched to the drop point, as drag and drop in a page sees it.
func dragBefore(b *tab, handleSel, targetSel string) {
	b.t.Helper()
	b.run(chromedp.Evaluate[chromedp.Void](`document.querySelector(` + strconv.Quote(targetSel) + `).scrollIntoView({block: 'start'})`))
	fx, fy := center(b, handleSel)
	to := eval[[]float64](b, `(() => { const r = document.querySelector(`+strconv.Quote(targetSel)+`).getBoundingClientRect(); return [r.left + r.width / 2, r.top + 8]; })()`)
	tx, ty := to[0], to[1]
	ctx, cancel := context.WithCancel(b.ctx)
	defer cancel()
	drags := chromedp.Events(ctx, input.DragIntercepted)
	got := make(chan *input.DragData, 1)
	go func() {
		for ev, err := range drags {
			if err == nil {
				got <- ev.Data
			}
			return
		}
	}()
	intercept := func(on bool) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, input.SetInterceptDrags, input.SetInterceptDragsParams{Enabled: on})
			return err
		})
	}
	b.run(intercept(true),
		chromedp.MouseEvent(chromedp.MouseMoved, fx, fy),
		chromedp.MouseEvent(chromedp.MousePressed, fx, fy, chromedp.ButtonLeft, chromedp.ClickCount(1), leftHeld),
		chromedp.MouseEvent(chromedp.MouseMoved, fx, fy+10, chromedp.ButtonLeft, leftHeld),
		chromedp.MouseEvent(chromedp.MouseMoved, tx, ty, chromedp.ButtonLeft, leftHeld),
	)
	var data *input.DragData
	select {
	case data = <-got:
	case <-time.After(5 * time.Second):
		b.t.Fatal("dragging the handle started no drag")
	}
	dispatch := func(typ input.DispatchDragEventType) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, input.DispatchDragEvent, input.DispatchDragEventParams{Type: typ, X: tx, Y: ty, Data: data})
			return err
		})
	}
	b.run(dispatch(input.DispatchDragEventTypeDragEnter), dispatch(input.DispatchDragEventTypeDragOver), dispatch(input.DispatchDragEventTypeDrop),
		chromedp.MouseEvent(chromedp.MouseReleased, tx, ty, chromedp.ButtonLeft, chromedp.ClickCount(1)),
		intercept(false))
}

// TestBrowserCollections follows Erin, who teaches Seminar, from an empty
// collection to a shared, presented and withdrawn one. The subtests run
// in order on one server and build on each other.
func TestBrowserCollections(t *testing.T) {
	c := newClassroom(t)
	b := c.tab()
	signIn(b, c.erin)

	var id int64
	var base, shareURL string
	need := func(t *testing.T) {
		t.Helper()
		if id == 0 {
			t.Skip("an earlier subtest did not make the collection")
		}
	}

	b.subtest("Create", func(t *testing.T) {
		b.clickAndLoad(`.site-nav a[href="/collections"]`)
		checkPage(b, "collections (none yet)", "collections-empty")
		b.typeInto("#f-title", "Counting refugees")
		b.run(chromedp.SetValue(chromedp.CSS("#f-group"), strconv.FormatInt(c.group.ID, 10)))
		b.clickAndLoad(`[data-testid="new-collection"] button[type="submit"]`)
		m := editPath.FindStringSubmatch(b.path())
		if m == nil {
			t.Fatalf("creating led to %q", b.path())
		}
		id, _ = strconv.ParseInt(m[1], 10, 64)
		base = "/collections/" + m[1]
		if got := b.text(`[data-testid="collection-audience"]`); !strings.Contains(got, "Members of Seminar can read this collection") {
			t.Errorf("the editor says %q about who sees it", got)
		}
		b.run(chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="add-text"]').closest('details').querySelector('summary').click()`))
		b.typeInto("#add-heading", "How many are there?")
		b.typeInto("#add-text-commentary", "Estimates run from *50,000* to 300,000.")
		b.clickAndLoad(`[data-testid="add-text"] button[type="submit"]`)
		checkPage(b, "collection editor", "collection-edit")
	})

	b.subtest("AddFromTheReaderCard", func(t *testing.T) {
		need(t)
		b.navigate(refugeesPath)
		b.clickAndLoad(cardSel(c.samGroup) + ` [data-testid="collect"]`)
		if got := b.text(`[data-testid="adding-quote"]`); got != "suffer in isolation and silence" {
			t.Errorf("the page adds the passage %q", got)
		}
		checkPage(b, "add to a collection", "collection-add")
		chooseCollection(b, id, "Read Sam's question aloud.")
		items := c.storedItems(t, id)
		if len(items) != 2 || items[1].Kind != db.ItemPassage || len(items[1].Annotations) != 1 || items[1].Annotations[0].ID != c.samGroup {
			t.Fatalf("stored items after adding the annotation: %+v", items)
		}
	})

	b.subtest("AddASelection", func(t *testing.T) {
		need(t)
		const passage = "Some 50,000 North Koreans are in China"
		b.navigate(refugeesPath)
		selectWithMouse(b, passage)
		b.run(chromedp.Click(chromedp.CSS(toolbarButton("comment"))))
		b.clickAndLoad(`[data-testid="collect-selection"]`)
		if got := value(b, chromedp.Value(chromedp.CSS("#add-exact"))); got != passage {
			t.Errorf("the page offers the passage %q", got)
		}
		chooseCollection(b, id, "")
		items := c.storedItems(t, id)
		art, err := c.store.ArticleBySlug(context.Background(), strings.TrimPrefix(refugeesPath, "/articles/"))
		if err != nil {
			t.Fatal(err)
		}
		start, end := codePoints(t, art.Body, passage)
		if last := items[len(items)-1]; last.Selector.Exact != passage || last.Selector.Start != start || last.Selector.End != end {
			t.Errorf("the selection is stored as %q at [%d,%d), want [%d,%d)", last.Selector.Exact, last.Selector.Start, last.Selector.End, start, end)
		}
	})

	b.subtest("AddFromSearch", func(t *testing.T) {
		need(t)
		b.navigate("/search?q=prosteletizing&kind=article")
		b.clickAndLoad(`li.hit[data-kind="article"] [data-testid="collect"]`)
		b.run(chromedp.Click(chromedp.CSS("#kind-article")))
		chooseCollection(b, id, "The whole report, for homework.")
		items := c.storedItems(t, id)
		if last := items[len(items)-1]; last.Kind != db.ItemArticle {
			t.Errorf("the search result was added as a %s", last.Kind)
		}
	})

	b.subtest("ReorderWithTheKeyboard", func(t *testing.T) {
		need(t)
		b.navigate(base + "/edit")
		before := editOrder(b)
		if len(before) != 4 {
			t.Fatalf("the editor lists %d items, want 4", len(before))
		}
		b.run(chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="edit-item"] [data-testid="move-down"]').focus()`))
		pressKey(b, "\r")
		want := []string{before[1], before[0], before[2], before[3]}
		waitSoon(b, `document.getElementById('order-status').textContent.startsWith('Moved')`, "the move was not announced")
		if got := editOrder(b); !slices.Equal(got, want) {
			t.Errorf("after Move down the list is %q, want %q", got, want)
		}
		if got := eval[string](b, `document.activeElement.closest('[data-testid="edit-item"]').dataset.item + ' ' + document.activeElement.dataset.testid`); got != before[0]+" move-down" {
			t.Errorf("after moving, the focus is on %q", got)
		}
		if got := b.text("#order-status"); !strings.HasSuffix(got, "to position 2 of 4.") {
			t.Errorf("the move was announced as %q", got)
		}
		if got := itemIDStrings(c.storedItems(t, id)); !slices.Equal(got, want) {
			t.Errorf("stored order %q, want %q", got, want)
		}
		// Once more up: it is first again, and Move up is disabled, so the
		// focus goes to its Move down.
		b.run(chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-item="` + before[0] + `"] [data-testid="move-up"]').focus()`))
		pressKey(b, "\r")
		waitSoon(b, `document.querySelector('[data-testid="edit-item"]').dataset.item === '`+before[0]+`'`, "Move up did not move the item")
		if got := eval[string](b, `document.activeElement.dataset.testid`); got != "move-down" {
			t.Errorf("at the top the focus is on %q, want the Move down button", got)
		}
		waitSoon(b, `document.querySelector('[data-reorder]').dataset.saved === '`+strings.Join(before, ",")+`'`, "the order was not saved")
		// The page as reloaded agrees.
		b.navigate(base + "/edit")
		if got := editOrder(b); !slices.Equal(got, before) {
			t.Errorf("after a reload the order is %q, want %q", got, before)
		}
	})

	b.subtest("ReorderByDragging", func(t *testing.T) {
		need(t)
		b.navigate(base + "/edit")
		before := editOrder(b)
		dragBefore(b, `[data-item="`+before[2]+`"] .drag-handle`, `[data-item="`+before[0]+`"]`)
		want := []string{before[2], before[0], before[1], before[3]}
		waitSoon(b, `document.querySelector('[data-reorder]').dataset.saved === '`+strings.Join(want, ",")+`'`, "the dragged order was not saved")
		if got := itemIDStrings(c.storedItems(t, id)); !slices.Equal(got, want) {
			t.Errorf("stored order after dragging %q, want %q", got, want)
		}
		if got := eval[[]bool](b, `[...document.querySelectorAll('[data-testid="move-up"]')].map(b => b.disabled)`); !slices.Equal(got, []bool{true, false, false, false}) {
			t.Errorf("after dragging, the Move up buttons' disabled states are %v", got)
		}
	})

	b.subtest("ChooseAnnotationsAndNames", func(t *testing.T) {
		need(t)
		b.navigate(base + "/edit")
		var passageItem string
		for _, it := range c.storedItems(t, id) {
			if it.Kind == db.ItemPassage && it.Selector.Exact == "suffer in isolation and silence" {
				passageItem = strconv.FormatInt(it.ID, 10)
			}
		}
		li := `[data-item="` + passageItem + `"]`
		b.run(chromedp.Click(chromedp.CSS(li + " details.item-form summary")))
		// Erin sees the group and public annotations on the passage, not Sam's private one.
		ids := eval[[]string](b, `[...document.querySelectorAll('`+li+` input[name="annotation"]')].map(i => i.value)`)
		if slices.Contains(ids, strconv.FormatInt(c.samPrivate, 10)) || !slices.Contains(ids, strconv.FormatInt(c.samPublic, 10)) {
			t.Errorf("annotations offered: %q", ids)
		}
		b.run(chromedp.Click(chromedp.CSS(li + ` input[value="` + strconv.FormatInt(c.samPublic, 10) + `"]`)))
		b.clickAndLoad(li + ` details.item-form button[type="submit"]`)
		b.run(chromedp.Click(chromedp.CSS("#names-hidden")))
		b.run(chromedp.SetValue(chromedp.CSS("#f-intro"), "We compare *how* the estimates were made."))
		b.clickAndLoad(`[data-testid="about-form"] button[type="submit"]`)
		b.navigate(base)
		if got := b.texts(`[data-testid="annotator"]`); !slices.Equal(got, []string{"Participant 1", "Participant 1"}) {
			t.Errorf("annotators on the collection page: %q", got)
		}
		checkPage(b, "collection", "collection")
	})

	b.subtest("Share", func(t *testing.T) {
		need(t)
		b.navigate(base + "/edit")
		b.clickAndLoad(`[data-testid="make-share"]`)
		shareURL = b.text(`[data-testid="share-url"] code`)
		if !strings.HasPrefix(shareURL, c.base+"/s/shr_") {
			t.Fatalf("share link %q", shareURL)
		}
		checkPage(b, "collection editor (new share link)", "collection-shared")
	})

	anon := c.tab()
	b.subtest("ReadTheLinkSignedOut", func(t *testing.T) {
		if shareURL == "" {
			t.Skip("no share link")
		}
		resp := value(anon, chromedp.NavigateResponse(shareURL))
		if resp.Status != 200 {
			t.Fatalf("status %d", resp.Status)
		}
		if got := resp.Headers["Referrer-Policy"]; got != "no-referrer" {
			t.Errorf("Referrer-Policy %v", got)
		}
		body := eval[string](anon, `document.documentElement.outerHTML`)
		for _, never := range []string{"SAM-PRIVATE", "@example.org", "Sam Student", "Erin Educator", "/collections/", "/login"} {
			if strings.Contains(body, never) {
				t.Errorf("the shared page contains %q", never)
			}
		}
		if got := anon.texts(`[data-testid="chosen-annotation"] .body`); len(got) != 2 || !strings.Contains(got[0], "Why silence?") {
			t.Errorf("annotations on the shared page: %q", got)
		}
		if got := anon.text(`[data-testid="item"] [data-testid="commentary"] em`); got != "50,000" {
			t.Errorf("the first commentary's emphasis is %q", got)
		}
		checkPage(anon, "shared collection (signed out)", "collection-link")
	})

	b.subtest("PresentTheLink", func(t *testing.T) {
		if shareURL == "" {
			t.Skip("no share link")
		}
		anon.clickAndLoad(`[data-testid="present-link"]`)
		slidePath := strings.TrimPrefix(shareURL, c.base) + "/present/"
		if got := anon.path(); got != slidePath+"1" {
			t.Fatalf("Present led to %q", got)
		}
		if got := anon.text(`[data-testid="slide-number"]`); got != "Slide 1 of 5" {
			t.Errorf("title slide says %q", got)
		}
		checkPage(anon, "presentation: title slide", "present-1")
		// Arrow keys and buttons change slides without loading a page: a
		// mark left on the window survives.
		anon.run(chromedp.Evaluate[chromedp.Void](`window.stillHere = true`))
		at := func(n int, how string) {
			t.Helper()
			waitSoon(anon, `location.pathname === '`+slidePath+strconv.Itoa(n)+`' && document.querySelector('[data-testid="slide-number"]').textContent === 'Slide `+strconv.Itoa(n)+` of 5'`,
				how+" did not lead to slide "+strconv.Itoa(n))
			if !eval[bool](anon, `window.stillHere === true`) {
				t.Fatalf("%s reloaded the page", how)
			}
			if got := eval[string](anon, `document.title`); !strings.HasPrefix(got, "Slide "+strconv.Itoa(n)+" of 5") {
				t.Errorf("the title is %q on slide %d", got, n)
			}
		}
		pressKey(anon, kb.ArrowRight)
		at(2, "ArrowRight")
		anon.run(chromedp.Click(chromedp.CSS(`[data-testid="next-slide"]`)))
		at(3, "the Next button")
		if got := eval[string](anon, `document.activeElement.dataset.testid`); got != "next-slide" {
			t.Errorf("after Next the focus is on %q, want the Next button", got)
		}
		if got := anon.text("#slide-status"); got != "Slide 3 of 5" {
			t.Errorf("the slide change was announced as %q", got)
		}
		pressKey(anon, kb.End)
		at(5, "End")
		if anon.has(`[data-testid="next-slide"]`) {
			t.Error("the last slide links to a next one")
		}
		pressKey(anon, kb.ArrowLeft)
		at(4, "ArrowLeft")
		anon.run(chromedp.Evaluate[chromedp.Void](`history.back()`))
		at(5, "Back")
		pressKey(anon, kb.Home)
		at(1, "Home")
		// The slide of the passage Sam discussed, in large type with his annotations.
		n := 0
		for i, it := range c.storedItems(t, id) {
			if it.Selector.Exact == "suffer in isolation and silence" {
				n = i + 2
			}
		}
		anon.navigate(slidePath + strconv.Itoa(n))
		if got := anon.text(`[data-testid="slide"] [data-testid="passage-text"]`); got != "suffer in isolation and silence" {
			t.Errorf("slide %d quotes %q", n, got)
		}
		if got := anon.texts(`[data-testid="slide"] [data-testid="annotator"]`); len(got) != 2 {
			t.Errorf("slide %d shows the annotators %q", n, got)
		}
		checkPage(anon, "presentation: a passage", "present-passage")
	})

	b.subtest("PresentWithoutJavaScript", func(t *testing.T) {
		if shareURL == "" {
			t.Skip("no share link")
		}
		nojs := c.tab()
		nojs.run(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}))
		slidePath := strings.TrimPrefix(shareURL, c.base) + "/present/"
		nojs.navigate(slidePath + "1")
		nojs.clickAndLoad(`[data-testid="next-slide"]`)
		nojs.clickAndLoad(`[data-testid="next-slide"]`)
		if got := nojs.path(); got != slidePath+"3" {
			t.Errorf("two Next links led to %q", got)
		}
		nojs.clickAndLoad(`[data-testid="prev-slide"]`)
		if got := nojs.text(`[data-testid="slide-number"]`); got != "Slide 2 of 5" {
			t.Errorf("Previous led to %q", got)
		}
		nojs.clickAndLoad(`[data-testid="exit-slides"]`)
		if got := nojs.path(); got != strings.TrimPrefix(shareURL, c.base) {
			t.Errorf("Exit led to %q", got)
		}
	})

	b.subtest("Print", func(t *testing.T) {
		need(t)
		b.navigate(base)
		b.clickAndLoad(`a[href="` + base + `/print"]`)
		// Each article once, with its author, publication, date and address.
		got := strings.Join(b.texts(`[data-testid="sources"] li`), "\n")
		for _, want := range []string{"Joel R. Charny. Help the Refugees Who Reach China. International Herald Tribune, 14 June 2005. " + c.base + refugeesPath,
			"Aid Groups: China Has Increased Crackdown on Illegal Migrants. Voice of America, 29 May 2002."} {
			if !strings.Contains(got, want) {
				t.Errorf("the sources lack %q:\n%s", want, got)
			}
		}
		if n := len(b.texts(`[data-testid="sources"] li`)); n != 2 {
			t.Errorf("%d sources, want 2", n)
		}
		b.run(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		}))
		if got := eval[[]string](b, `[...document.querySelectorAll('.no-print, .print-actions')].filter(e => getComputedStyle(e).display !== 'none').map(e => e.className)`); len(got) != 0 {
			t.Errorf("on paper these still show: %q", got)
		}
		b.run(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""})
			return err
		}))
		checkPage(b, "print view", "collection-print")
	})

	b.subtest("Overview", func(t *testing.T) {
		b.navigate(fmt.Sprintf("/groups/%d", c.group.ID))
		b.clickAndLoad(`[data-testid="overview-link"]`)
		rows := b.texts(`[data-testid="overview-name"]`)
		if !slices.Equal(rows, []string{"Erin Educator", "Sam Student"}) {
			t.Errorf("overview rows %q", rows)
		}
		checkPage(b, "class overview", "overview")
		sam := c.tab()
		signIn(sam, c.sam)
		sam.navigate(fmt.Sprintf("/groups/%d/overview", c.group.ID))
		if got := sam.texts(`[data-testid="overview-name"]`); !slices.Equal(got, []string{"Sam Student"}) {
			t.Errorf("Sam sees the rows %q", got)
		}
		checkPage(sam, "class overview (member)", "overview-member")
	})

	b.subtest("Withdraw", func(t *testing.T) {
		if shareURL == "" {
			t.Skip("no share link")
		}
		b.navigate(base + "/edit")
		if q := answerConfirm(b, `[data-testid="revoke-share"]`, true); !strings.Contains(q, "Stop sharing?") {
			t.Errorf("withdrawing asked %q", q)
		}
		if got := b.text(`[data-testid="share-state"]`); got != "Not shared." {
			t.Errorf("after withdrawing the editor says %q", got)
		}
		anon.navigateStatus(strings.TrimPrefix(shareURL, c.base), 404)
	})
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

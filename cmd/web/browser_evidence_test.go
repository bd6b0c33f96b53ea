package main

// Browser tests of annotating with a kind (entity, quote, figure, event)
// as a person does it in the annotate form, and of the three evidence
// views built from them: Voices, Figures, Timeline.

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gloss/db"
)

// chooseKind opens the Kind fields and picks a kind, as a person would with
// the select; evidence.js then shows only that kind's fieldset.
func chooseKind(b *tab, kind string) {
	b.t.Helper()
	openTypedForm(b)
	if !eval[bool](b, `document.querySelector('[data-testid="evidence-kind"]').open`) {
		b.run(chromedp.Click(chromedp.CSS(`[data-testid="evidence-kind"] summary`)))
	}
	b.run(chromedp.SetValue(chromedp.CSS(`#f-kind`), kind))
	eval[bool](b, `document.querySelector('#f-kind').dispatchEvent(new Event('change')), true`)
	shown := eval[[]string](b, `[...document.querySelectorAll('.evidence-fieldset')].filter(f => !f.hidden).map(f => f.dataset.kind)`)
	if len(shown) != 1 || shown[0] != kind {
		b.t.Errorf("choosing %s shows the fieldsets %v", kind, shown)
	}
}

// openTypedForm opens the reader's "Annotate by typing a passage" form.
func openTypedForm(b *tab) {
	b.t.Helper()
	if eval[bool](b, `document.getElementById('annotate') !== null && !document.getElementById('annotate').open`) {
		b.run(chromedp.Click(chromedp.CSS(`#annotate > summary`)))
	}
}

func TestBrowserEvidenceKinds(t *testing.T) {
	g := startGloss(t)
	ada := g.person("Ada Evidence", "ada@example.org", false)
	b := g.tab()
	signIn(b, ada)
	ctx := context.Background()
	v, err := g.store.ViewerFor(ctx, ada.User)
	if err != nil {
		t.Fatal(err)
	}
	save := func(passage string) (int64, db.Evidence) {
		b.t.Helper()
		openTypedForm(b)
		b.typeInto("#f-exact", passage)
		b.run(chromedp.SetValue(chromedp.CSS(`#a-visibility`), "public"))
		watchPage(b)
		n := saves(b)
		b.run(chromedp.Click(chromedp.CSS(`#annotate-form button[type="submit"]:not([formaction])`)))
		id := savedInPlace(b, n)
		if _, err := g.store.AnnotationByID(ctx, v, id); err != nil {
			t.Fatal(err)
		}
		ev, err := g.store.EvidenceOf(ctx, []int64{id})
		if err != nil {
			t.Fatal(err)
		}
		return id, ev[id]
	}

	b.navigate(refugeesPath)
	checkPage(b, "reader with the Kind fields", "evidence-form")
	var figureID int64

	b.subtest("Entity", func(t *testing.T) {
		chooseKind(b, "entity")
		b.typeInto("#f-entity", "UN High Commissioner for Refugees")
		b.run(chromedp.SetValue(chromedp.CSS(`#f-entity-type`), "organization"))
		id, ev := save("the office of the UN High Commissioner for Refugees")
		if ev.Kind != db.KindEntity || ev.EntityName != "UN High Commissioner for Refugees" {
			t.Errorf("stored %+v", ev)
		}
		if got := b.text(`#a-` + strconv.FormatInt(id, 10) + ` [data-testid="kind"]`); !strings.Contains(got, "UN High Commissioner") {
			t.Errorf("card shows %q", got)
		}
	})
	b.subtest("Quote", func(t *testing.T) {
		chooseKind(b, "quote")
		b.typeInto("#f-speaker", "Joel R. Charny")
		b.run(chromedp.SetValue(chromedp.CSS(`#f-speaker-type`), "person"))
		_, ev := save("The plight of North Koreans forced to flee must not be forgotten")
		if ev.Kind != db.KindQuote || ev.EntityName != "Joel R. Charny" {
			t.Errorf("stored %+v", ev)
		}
	})
	b.subtest("Figure", func(t *testing.T) {
		chooseKind(b, "figure")
		// Opening the Kind fields fetched the names saved above as suggestions.
		b.run(chromedp.WaitReady(chromedp.CSS(`#entity-suggestions option[value="Joel R. Charny"]`)))
		b.typeInto("#f-low", "50,000")
		b.typeInto("#f-unit", "people")
		b.typeInto("#f-counted", "North Koreans in China")
		b.typeInto("#f-ref-date", "2005")
		b.typeInto("#f-estimator", "Joel R. Charny")
		var ev db.Evidence
		figureID, ev = save("Some 50,000 North Koreans are in China")
		if ev.Kind != db.KindFigure || ev.Low != 50000 || ev.High != 50000 || ev.EntityName != "Joel R. Charny" {
			t.Errorf("stored %+v", ev)
		}
	})
	b.subtest("FigureRefused", func(t *testing.T) {
		b.expectRefusal(refugeesPath + "/annotations")
		chooseKind(b, "figure")
		b.typeInto("#f-low", "300")
		b.typeInto("#f-high", "100")
		b.typeInto("#f-unit", "people")
		b.typeInto("#f-counted", "x")
		b.typeInto("#f-exact", "Thousands of North Koreans")
		b.run(chromedp.Click(chromedp.CSS(`#annotate-form button[type="submit"]:not([formaction])`)))
		waitSoon(b, `document.querySelector('#annotate-form [data-testid="form-error"]') !== null`, "the refusal was not shown in the form")
		if got := b.text(`#annotate-form [data-testid="form-error"]`); !strings.Contains(got, "greater than the high value") {
			t.Errorf("error %q", got)
		}
		// The form keeps what was typed, with the figure's fields showing.
		if got := value(b, chromedp.Value(chromedp.CSS(`#f-low`))); got != "300" {
			t.Errorf("after the error the low value reads %q", got)
		}
		if !eval[bool](b, `document.querySelector('[data-testid="evidence-kind"]').open && !document.querySelector('.evidence-fieldset[data-kind="figure"]').hidden`) {
			t.Error("after the error the figure's fields are not showing")
		}
		b.navigate(refugeesPath)
	})
	b.subtest("Event", func(t *testing.T) {
		chooseKind(b, "event")
		b.typeInto("#f-date-from", "2005-06")
		b.typeInto("#f-place", "Washington")
		_, ev := save("the quiet appointment of a senior envoy")
		if ev.Kind != db.KindEvent || ev.DateFrom != "2005-06" || ev.PlaceName != "Washington" {
			t.Errorf("stored %+v", ev)
		}
	})
	b.subtest("PlainCommentUnchanged", func(t *testing.T) {
		openTypedForm(b)
		b.typeInto("#f-body", "Just a comment.")
		id, ev := save("Women and children are especially vulnerable")
		if ev.Kind != "" {
			t.Errorf("a plain comment got a kind: %+v", ev)
		}
		if b.has(`#a-` + strconv.FormatInt(id, 10) + ` [data-testid="kind"]`) {
			t.Error("a plain comment shows a kind")
		}
	})

	b.subtest("Views", func(t *testing.T) {
		b.navigate("/figures")
		if got := b.texts(`[data-testid="figure-row"] [data-testid="source"]`); len(got) != 1 || got[0] != "International Herald Tribune, 2005-06-14" {
			t.Errorf("figures %v", got)
		}
		checkPage(b, "figures", "evidence-figures")
		b.navigate("/voices")
		if n := len(b.texts(`[data-testid="voice-row"]`)); n != 3 {
			t.Errorf("%d voices, want 3", n)
		}
		checkPage(b, "voices", "evidence-voices")
		b.clickAndLoad(`[data-testid="voice-row"] a`)
		checkPage(b, "voice", "evidence-voice")
		b.navigate("/timeline")
		if n := len(b.texts(`[data-testid="timeline-entry"][data-kind="event"]`)); n != 1 {
			t.Errorf("%d events on the timeline, want 1", n)
		}
		checkPage(b, "timeline", "evidence-timeline")
	})
	// The author changes the figure into an event on its edit page: the
	// stored kind shows, and the new one replaces it.
	b.subtest("EditKind", func(t *testing.T) {
		if figureID == 0 {
			t.Skip("the figure was not made")
		}
		b.navigate("/annotations/" + strconv.FormatInt(figureID, 10) + "/edit")
		if got := eval[string](b, `document.querySelector('#f-low').value`); got != "50,000" {
			t.Errorf("the edit page shows low %q", got)
		}
		checkPage(b, "edit annotation with a kind", "evidence-edit")
		chooseKind(b, "event")
		b.typeInto("#f-date-from", "2005-06")
		b.clickAndLoad(`[data-testid="edit-form"] button[type="submit"]`)
		ev, err := g.store.EvidenceOf(ctx, []int64{figureID})
		if err != nil || ev[figureID].Kind != db.KindEvent || ev[figureID].DateFrom != "2005-06" {
			t.Errorf("after editing: %+v, %v", ev[figureID], err)
		}
		if got := b.text(`#a-` + strconv.FormatInt(figureID, 10) + ` [data-testid="kind"]`); !strings.Contains(got, "June 2005") {
			t.Errorf("the card says %q", got)
		}
	})
}

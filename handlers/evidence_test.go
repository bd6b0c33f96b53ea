package handlers_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"gloss/db"
)

// annotateOn posts the create form on another seed article.
func (w *annotationWorld) annotateOn(t *testing.T, cl *client, articleSlug string, form url.Values) {
	t.Helper()
	rec := cl.post("/articles/"+articleSlug+"/annotations", form)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("create on %s: %d\n%s", articleSlug, rec.Code, parse(t, rec).Find(`[data-testid="form-error"]`).Text())
	}
}

func figureForm(quote, low, high, who, typ, vis string) url.Values {
	return url.Values{"exact": {quote}, "kind": {"figure"}, "low": {low}, "high": {high}, "unit": {"people"},
		"counted": {"North Koreans in China"}, "estimator": {who}, "estimator_type": {typ}, "visibility": {vis}}
}

// annotateSeedFigures marks every estimate of how many North Koreans are
// in China in the seed corpus, in an order unlike the articles' dates.
func (w *annotationWorld) annotateSeedFigures(t *testing.T) {
	t.Helper()
	w.annotateOn(t, w.member, "help-the-refugees-who-reach-china", figureForm("Some 50,000 North Koreans are in China", "50,000", "", "Joel R. Charny", "person", "public"))
	f := figureForm("The number of North Korean escapees to China varies from 50,000 to 300,000", "50000", "300000", "civic groups", "organization", "group")
	f.Set("group", fmt.Sprint(w.group.ID))
	w.annotateOn(t, w.member, slug, f)
	w.annotateOn(t, w.owner, slug, figureForm("an estimated 100,000 North Koreans in China", "100,000", "", "", "", "public"))
	w.annotateOn(t, w.member, "aid-groups-china-has-increased-crackdown-on-illegal-migrants", figureForm("as many as 100,000 North Koreans are still hiding inside China", "100,000", "", "aid workers", "organization", "public"))
	w.annotateOn(t, w.member, "desperate-n-koreans-seek-asylum-in-china", figureForm("from 150,000 and 300,000 North Korean refugees", "150,000", "300,000", "International aid groups", "organization", "private"))
}

type figureRow struct{ source, low, high, who string }

func figureRows(t *testing.T, doc *goquery.Document, counted string) []figureRow {
	var out []figureRow
	doc.Find(fmt.Sprintf(`[data-testid="figure-group"][data-counted="%s"] [data-testid="figure-row"]`, counted)).Each(func(_ int, s *goquery.Selection) {
		out = append(out, figureRow{s.Find(`[data-testid="source"]`).Text(), s.Find(`[data-testid="low"]`).Text(),
			s.Find(`[data-testid="high"]`).Text(), s.Find(`[data-testid="estimator"]`).Text()})
	})
	return out
}

func TestFiguresPage(t *testing.T) {
	w := newAnnotationWorld(t)
	w.annotateSeedFigures(t)
	t.Run("InOrderWithSources", func(t *testing.T) {
		rec := w.member.get("/figures")
		if rec.Code != http.StatusOK {
			t.Fatalf("figures: %d", rec.Code)
		}
		doc := parse(t, rec)
		want := []figureRow{
			{"Albion Monitor, 2001-07-09", "150,000", "300,000", "International aid groups"},
			{"Voice of America, 2002-05-29", "100,000", "100,000", "aid workers"},
			{"The Korea Herald, 2004-07-30", "100,000", "100,000", ""},
			{"The Korea Herald, 2004-07-30", "50,000", "300,000", "civic groups"},
			{"International Herald Tribune, 2005-06-14", "50,000", "50,000", "Joel R. Charny"},
		}
		if got := figureRows(t, doc, "North Koreans in China"); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("figures\n got %v\nwant %v", got, want)
		}
		chart := doc.Find(`[data-testid="figure-chart"]`)
		if chart.Length() != 1 || chart.AttrOr("role", "") != "img" {
			t.Fatalf("%d charts", chart.Length())
		}
		for _, id := range strings.Fields(chart.AttrOr("aria-labelledby", "")) {
			if doc.Find("#"+id).Text() == "" {
				t.Errorf("the chart is labelled by #%s, which says nothing", id)
			}
		}
		// Ranges are bars, single values points, each under its label.
		rows := chart.Find(`[data-testid="chart-row"]`)
		bars, points := rows.Find(`[data-testid="chart-bar"]`).Length(), rows.Find(`[data-testid="chart-point"]`).Length()
		if rows.Length() != 5 || bars != 2 || points != 3 {
			t.Errorf("%d rows, %d bars, %d points; want 5, 2 and 3", rows.Length(), bars, points)
		}
		if got := rows.First().Find(".chart-label").Text(); got != "150,000–300,000 · Albion Monitor, 2001-07-09 · International aid groups" {
			t.Errorf("first label %q", got)
		}
		// Gridlines are drawn in the strips only, never over a label.
		if n := chart.Find(".chart-label line, .chart-label svg").Length(); n != 0 {
			t.Errorf("%d lines in the labels", n)
		}
		if html, _ := chart.Html(); strings.Contains(html, "style=") {
			t.Error("inline style in the chart")
		}
	})
	t.Run("VisibilityLikeEverythingElse", func(t *testing.T) {
		for name, c := range map[string]struct {
			cl   *client
			want int
		}{"Owner": {w.owner, 4}, "Outsider": {w.outsider, 3}, "Anonymous": {w.anonymous, 3}, "Admin": {w.admin, 3}} {
			if got := len(figureRows(t, parse(t, c.cl.get("/figures")), "North Koreans in China")); got != c.want {
				t.Errorf("%s sees %d figures, want %d", name, got, c.want)
			}
		}
		rec := w.anonymous.get("/figures.csv")
		rows, err := csv.NewReader(rec.Body).ReadAll()
		if err != nil || len(rows) != 4 || rows[0][0] != "annotation_id" {
			t.Errorf("CSV for the signed-out visitor: %d rows, %v", len(rows), err)
		}
		if strings.Contains(rec.Body.String(), "International aid groups") {
			t.Error("a private figure in someone else's CSV")
		}
	})
	t.Run("LargeGroupsPage", func(t *testing.T) {
		// 55 more public estimates of one thing: the overview's chart shows
		// the first 50 and links to the group's pages, on one axis.
		art, err := w.store.ArticleBySlug(context.Background(), slug)
		if err != nil {
			t.Fatal(err)
		}
		v := mustViewer(t, w.store, "owner@example.org")
		for i := range 55 {
			if _, err := w.store.CreateEvidenceAnnotation(context.Background(), v, art.ID,
				db.AnnotationInput{Start: -1, End: -1, Exact: "an estimated 100,000 North Koreans in China", Visibility: "public"},
				db.EvidenceInput{Kind: "figure", Low: fmt.Sprint(1000 + i), Unit: "people", Counted: "Refugees in Yanbian"}); err != nil {
				t.Fatal(err)
			}
		}
		doc := parse(t, w.anonymous.get("/figures"))
		if n := len(figureRows(t, doc, "Refugees in Yanbian")); n != 50 {
			t.Errorf("overview shows %d of the group, want 50", n)
		}
		if n := len(figureRows(t, doc, "North Koreans in China")); n != 3 {
			t.Errorf("a small group cut: %d", n)
		}
		more := doc.Find(`[data-testid="figures-more"]`)
		if more.Length() != 1 || !strings.Contains(more.Text(), "All 55 estimates") {
			t.Fatalf("link to the group: %d %q", more.Length(), more.Text())
		}
		first := parse(t, w.anonymous.get(more.AttrOr("href", "")))
		next := first.Find(`[data-testid="pager"] a[rel="next"]`).AttrOr("href", "")
		second := parse(t, w.anonymous.get(next))
		if a, b := len(figureRows(t, first, "Refugees in Yanbian")), len(figureRows(t, second, "Refugees in Yanbian")); a != 50 || b != 5 {
			t.Errorf("group pages of %d and %d, want 50 and 5 (next %q)", a, b, next)
		}
		if first.Find(`[data-testid="figure-group"]`).Length() != 1 {
			t.Error("a group's page shows other groups")
		}
		if got := second.Find(`[data-testid="figures-shown"]`).Text(); !strings.Contains(got, "Estimates 51–55 of 55") {
			t.Errorf("second page says %q", got)
		}
		ticks := func(d *goquery.Document) string { return d.Find(".chart-tick").Text() }
		if ticks(first) != ticks(second) {
			t.Errorf("pages on different axes: %q and %q", ticks(first), ticks(second))
		}
		for path, status := range map[string]int{
			"/figures?counted=Nothing+counted":                        http.StatusNotFound,
			"/figures?counted=refugees+in+yanbian&unit=people&page=3": http.StatusNotFound,
			"/figures?counted=refugees+in+yanbian&page=x":             http.StatusUnprocessableEntity,
			"/figures?counted=refugees+in+yanbian":                    http.StatusOK,
		} {
			if rec := w.anonymous.get(path); rec.Code != status {
				t.Errorf("%s: status %d, want %d", path, rec.Code, status)
			}
		}
	})
	t.Run("ErrorsReRenderTheForm", func(t *testing.T) {
		for name, c := range map[string]struct {
			form url.Values
			want string
		}{
			"LowAboveHigh": {figureForm("an estimated 100,000 North Koreans in China", "300", "100", "", "", "private"), "greater than the high"},
			"NotANumber":   {figureForm("an estimated 100,000 North Koreans in China", "lots", "", "", "", "private"), "not a number"},
			"UnknownSpeaker": {url.Values{"exact": {"an estimated 100,000 North Koreans in China"}, "kind": {"quote"}, "speaker": {"Someone New"},
				"visibility": {"private"}}, "no entity named"},
			"BadEventDate": {url.Values{"exact": {"an estimated 100,000 North Koreans in China"}, "kind": {"event"}, "date_from": {"July 2004"},
				"visibility": {"private"}}, "not a date"},
		} {
			rec := w.member.post("/articles/"+slug+"/annotations", c.form)
			doc := parse(t, rec)
			if rec.Code != http.StatusUnprocessableEntity && rec.Code != http.StatusBadRequest {
				t.Errorf("%s: status %d", name, rec.Code)
			}
			if msg := doc.Find(`[data-testid="form-error"]`).Text(); !strings.Contains(msg, c.want) {
				t.Errorf("%s: message %q, want %q", name, msg, c.want)
			}
			if _, open := doc.Find(`[data-testid="evidence-kind"]`).Attr("open"); !open {
				t.Errorf("%s: the kind fields are closed after an error", name)
			}
		}
	})
}

func TestVoicesAndTimeline(t *testing.T) {
	w := newAnnotationWorld(t)
	w.annotateOn(t, w.member, slug, url.Values{"exact": {`"Any fundamental solution to the issue seems elusive`}, "kind": {"quote"},
		"speaker": {"Lee Woo-young"}, "speaker_type": {"person"}, "visibility": {"public"}})
	w.annotateOn(t, w.member, slug, url.Values{"exact": {"professor Lee Woo-young"}, "kind": {"entity"},
		"entity": {"lee woo-young"}, "visibility": {"private"}})
	w.annotateOn(t, w.member, slug, url.Values{"exact": {"468 North Korean defectors were brought"}, "kind": {"event"},
		"date_from": {"2004-07-27"}, "date_to": {"2004-07-28"}, "place": {"Seoul"}, "tags": {"airlift"}, "visibility": {"public"}})
	ents, err := w.store.Entities(context.Background(), db.Anonymous, false)
	if err != nil || len(ents) != 2 {
		t.Fatalf("entities: %+v, %v", ents, err)
	}
	lee := ents[0]
	t.Run("VoicesIndex", func(t *testing.T) {
		doc := parse(t, w.anonymous.get("/voices"))
		if n := doc.Find(`[data-testid="voice-row"]`).Length(); n != 2 {
			t.Errorf("%d entities listed", n)
		}
	})
	t.Run("VoiceRespectsVisibility", func(t *testing.T) {
		path := fmt.Sprintf("/voices/%d", lee.ID)
		if n := parse(t, w.member.get(path)).Find(`[data-testid="evidence-item"]`).Length(); n != 2 {
			t.Errorf("member sees %d passages, want 2", n)
		}
		doc := parse(t, w.anonymous.get(path))
		if n := doc.Find(`[data-testid="evidence-item"]`).Length(); n != 1 || doc.Find(`[data-testid="entity-name"]`).Text() == "" {
			t.Errorf("anonymous sees %d passages, want 1", n)
		}
		if rec := w.anonymous.get(path + ".csv"); rec.Code != http.StatusOK || strings.Count(rec.Body.String(), "\n") != 2 {
			t.Errorf("voice CSV: %d\n%s", rec.Code, rec.Body.String())
		}
	})
	t.Run("TimelineHasArticlesAndEvents", func(t *testing.T) {
		doc := parse(t, w.anonymous.get("/timeline"))
		if n := doc.Find(`[data-testid="timeline-entry"][data-kind="article"]`).Length(); n != 5 {
			t.Errorf("%d articles on the timeline", n)
		}
		var dates []string
		doc.Find(`[data-testid="timeline-entry"] time`).Each(func(_ int, s *goquery.Selection) { dates = append(dates, s.Text()) })
		if fmt.Sprint(dates) != "[2001-07-09 2002-05-29 2004-07-27 2004-07-30 2005-04-10 2005-06-14]" {
			t.Errorf("dates %v", dates)
		}
		doc = parse(t, w.anonymous.get("/timeline?tag=airlift"))
		if n := doc.Find(`[data-testid="timeline-entry"]`).Length(); n != 2 {
			t.Errorf("filtered by tag: %d entries, want the event and its article", n)
		}
		if rec := w.anonymous.get("/timeline?entity=x"); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("bad entity filter: %d", rec.Code)
		}
		if rec := w.anonymous.get("/timeline.csv?tag=airlift"); !strings.Contains(rec.Body.String(), "event") {
			t.Errorf("timeline CSV:\n%s", rec.Body.String())
		}
	})
	t.Run("CardShowsKind", func(t *testing.T) {
		doc := parse(t, w.anonymous.get("/articles/"+slug))
		if k := doc.Find(`[data-testid="kind"][data-kind="event"]`).Text(); !strings.Contains(k, "Seoul") {
			t.Errorf("event card: %q", k)
		}
	})
	t.Run("CSVHasTags", func(t *testing.T) {
		rec := w.anonymous.get(fmt.Sprintf("/voices/%d.csv", ents[1].ID))
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), "\ufeff"))).ReadAll()
		if rec.Code != http.StatusOK || err != nil || len(rows) != 2 {
			t.Fatalf("Seoul's CSV: %d %v %v", rec.Code, err, rows)
		}
		col := slices.Index(rows[0], "tags")
		if col < 0 || rows[1][col] != "airlift" {
			t.Errorf("tags column %d in %v", col, rows)
		}
	})
	t.Run("MergeOnlyByAdmin", func(t *testing.T) {
		seoul := ents[1]
		if rec := w.member.post(fmt.Sprintf("/voices/%d/merge", seoul.ID), url.Values{"into": {fmt.Sprint(lee.ID)}}); rec.Code != http.StatusForbidden {
			t.Errorf("member merges: %d", rec.Code)
		}
		if rec := w.admin.post(fmt.Sprintf("/voices/%d/aliases", lee.ID), url.Values{"alias": {"Prof. Lee"}}); rec.Code != http.StatusSeeOther {
			t.Errorf("admin alias: %d", rec.Code)
		}
		if !strings.Contains(parse(t, w.anonymous.get(fmt.Sprintf("/voices/%d", lee.ID))).Text(), "Prof. Lee") {
			t.Error("alias not shown")
		}
	})
	t.Run("AddViewToCollection", func(t *testing.T) {
		id, err := w.store.CreateCollection(context.Background(), mustViewer(t, w.store, "member@example.org"), db.CollectionInput{Title: "Lesson", Names: "full"})
		if err != nil {
			t.Fatal(err)
		}
		if rec := w.member.post("/evidence/collect", url.Values{"view": {"/figures"}, "title": {"Figures"}, "collection": {fmt.Sprint(id)}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("collect: %d", rec.Code)
		}
		if rec := w.member.post("/evidence/collect", url.Values{"view": {"https://evil.example/"}, "collection": {fmt.Sprint(id)}}); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("foreign view: %d", rec.Code)
		}
		if rec := w.outsider.post("/evidence/collect", url.Values{"view": {"/figures"}, "collection": {fmt.Sprint(id)}}); rec.Code < 400 {
			t.Errorf("outsider adds to someone's collection: %d", rec.Code)
		}
		if !strings.Contains(w.member.get(fmt.Sprintf("/collections/%d", id)).Body.String(), `href="/figures"`) {
			t.Error("no link to the view in the collection")
		}
	})
}

func TestEvidenceInJSONLDExport(t *testing.T) {
	w := newAnnotationWorld(t)
	w.annotateSeedFigures(t)
	body := w.anonymous.get("/articles/" + slug + "/export.jsonld").Body.String()
	for _, want := range []string{`"gloss:kind":"figure"`, `"purpose":"describing"`, `"gloss:low":100000`, `"gloss:counted":"North Koreans in China"`} {
		if !strings.Contains(strings.ReplaceAll(body, " ", ""), strings.ReplaceAll(want, " ", "")) {
			t.Errorf("export lacks %s", want)
		}
	}
	if strings.Contains(body, "civic groups") {
		t.Error("a group's figure in the signed-out visitor's export")
	}
	// The Markdown says each kind's fields in words, with the same privacy.
	md := w.anonymous.get("/articles/" + slug + "/export.md").Body.String()
	if !strings.Contains(md, "Figure: 100,000 people (North Koreans in China)") {
		t.Errorf("Markdown export lacks the figure's fields:\n%s", md)
	}
	// The CSV says them in the same words, in its last two columns.
	rows, err := csv.NewReader(w.anonymous.get("/articles/" + slug + "/export.csv").Body).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("CSV: %d rows, %v", len(rows), err)
	}
	if got := rows[1][len(rows[1])-2:]; got[0] != "figure" || got[1] != "100,000 people (North Koreans in China)" {
		t.Errorf("the CSV's kind and evidence: %q", got)
	}
	if strings.Contains(md, "civic groups") {
		t.Error("a group's figure in the signed-out visitor's Markdown")
	}
}

// TestEditKind changes an annotation's kind on its edit page, as a person
// would: the page shows the stored fields, a bad value is refused with the
// form kept, and a script's edit without a kind leaves it alone.
func TestEditKind(t *testing.T) {
	w := newAnnotationWorld(t)
	ctx := context.Background()
	w.annotateOn(t, w.member, "help-the-refugees-who-reach-china",
		figureForm("Some 50,000 North Koreans are in China", "50,000", "", "Joel R. Charny", "person", "public"))
	items, err := w.store.EvidenceItems(ctx, db.Anonymous, db.EvidenceFilter{})
	if err != nil || len(items) != 1 {
		t.Fatalf("evidence: %+v, %v", items, err)
	}
	id := items[0].AnnotationID
	edit := fmt.Sprintf("/annotations/%d/edit", id)

	doc := parse(t, w.member.get(edit))
	if got := doc.Find(`select[name="kind"] option[selected]`).AttrOr("value", ""); got != "figure" {
		t.Errorf("the edit page shows kind %q, want figure", got)
	}
	for name, want := range map[string]string{"low": "50,000", "high": "", "unit": "people", "counted": "North Koreans in China", "estimator": "Joel R. Charny"} {
		if got := doc.Find(`input[name="`+name+`"]`).AttrOr("value", "?"); got != want {
			t.Errorf("edit page %s = %q, want %q", name, got, want)
		}
	}
	if doc.Find(`script[src*="/js/evidence"]`).Length() != 1 {
		t.Error("the edit page does not load evidence.js")
	}

	form := url.Values{"body": {"A single estimate"}, "visibility": {"public"}, "kind": {"figure"}, "low": {"50,000"},
		"high": {"40,000"}, "unit": {"people"}, "counted": {"North Koreans in China"}}
	rec := w.member.post(edit, form)
	if rec.Code != http.StatusUnprocessableEntity && rec.Code != http.StatusBadRequest {
		t.Fatalf("low above high: %d", rec.Code)
	}
	doc = parse(t, rec)
	if msg := doc.Find(`[data-testid="form-error"]`).Text(); !strings.Contains(msg, "greater than the high value") {
		t.Errorf("error message %q", msg)
	}
	if got := doc.Find(`input[name="high"]`).AttrOr("value", ""); got != "40,000" {
		t.Errorf("the refused form lost what was typed: high = %q", got)
	}

	form = url.Values{"body": {"Now an event"}, "visibility": {"public"}, "kind": {"event"}, "date_from": {"2005-06"}, "place": {"Seoul"}}
	if rec := w.member.post(edit, form); rec.Code != http.StatusSeeOther {
		t.Fatalf("change to an event: %d\n%s", rec.Code, parse(t, rec).Find(`[data-testid="form-error"]`).Text())
	}
	evs, err := w.store.EvidenceOf(ctx, []int64{id})
	if ev := evs[id]; err != nil || ev.Kind != db.KindEvent || ev.DateFrom != "2005-06" || ev.PlaceName != "Seoul" {
		t.Fatalf("after the edit: %+v, %v", ev, err)
	}
	if rows := figureRows(t, parse(t, w.anonymous.get("/figures")), "North Koreans in China"); len(rows) != 0 {
		t.Errorf("the figures page still lists it: %+v", rows)
	}

	if rec := w.member.post(edit, url.Values{"body": {"Script edit"}, "visibility": {"public"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("edit without a kind: %d", rec.Code)
	}
	if evs, _ := w.store.EvidenceOf(ctx, []int64{id}); evs[id].Kind != db.KindEvent {
		t.Errorf("an edit without a kind changed it to %+v", evs[id])
	}
}

// TestTimelinePages pages an unfiltered timeline of 205 articles (the 5
// seeds and 200 more) at 200 entries a page, following the pager as a
// browser without JavaScript would; the CSV keeps every entry.
func TestTimelinePages(t *testing.T) {
	e, store := newApp(t)
	ctx := context.Background()
	for i := 1; i <= 200; i++ {
		if _, err := store.ImportArticle(ctx, db.ArticleInput{Slug: fmt.Sprintf("dated-%03d", i), Title: fmt.Sprintf("Dated %03d", i),
			Publication: "Daily", PublishedOn: fmt.Sprintf("19%02d-02-03", i%100), Body: "Text about the border."}); err != nil {
			t.Fatal(err)
		}
	}
	seen, last := map[string]bool{}, ""
	pages := followPager(t, e, "/timeline", func(pages int, doc *goquery.Document) {
		entries := doc.Find(`[data-testid="timeline-entry"]`)
		if want := []int{200, 5}[min(pages, 2)-1]; entries.Length() != want {
			t.Errorf("page %d shows %d entries, want %d", pages, entries.Length(), want)
		}
		entries.Each(func(_ int, s *goquery.Selection) {
			link, date := s.Find("a").AttrOr("href", ""), s.Find("time").Text()
			if seen[link] {
				t.Errorf("%s on two pages", link)
			}
			if date < last {
				t.Errorf("%s (%s) after %s: not in date order across pages", link, date, last)
			}
			seen[link], last = true, date
		})
		if got := doc.Find(`[data-testid="timeline-range"]`).Text(); !strings.Contains(got, "of 205") {
			t.Errorf("page %d: range %q", pages, got)
		}
	})
	if pages != 2 || len(seen) != 205 {
		t.Errorf("%d pages, %d entries", pages, len(seen))
	}
	for path, status := range map[string]int{"/timeline?page=3": http.StatusNotFound, "/timeline?page=two": http.StatusUnprocessableEntity, "/timeline?page=0": http.StatusUnprocessableEntity} {
		if rec := get(t, e, path); rec.Code != status {
			t.Errorf("%s: status %d, want %d", path, rec.Code, status)
		}
	}
	rec := get(t, e, "/timeline.csv")
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil || len(rows) != 206 {
		t.Errorf("CSV: %d rows (with the header), %v", len(rows), err)
	}
}

// TestEvidenceSuggestions: the reader leaves the Kind fields' suggestions
// out of the page (evidence.js fetches them when the fields open), and they
// hold only what the viewer may see; a form that opens with a kind (here a
// refused one) has them in the page, for browsers without JavaScript.
func TestEvidenceSuggestions(t *testing.T) {
	w := newAnnotationWorld(t)
	w.annotateSeedFigures(t)
	doc := parse(t, w.member.get("/articles/"+slug))
	kind := doc.Find(`[data-testid="evidence-kind"]`)
	if kind.AttrOr("data-suggest", "") != "/evidence/suggestions" || kind.Find("#entity-suggestions option").Length() != 0 {
		t.Errorf("reader: data-suggest %q with %d suggestions in the page", kind.AttrOr("data-suggest", ""), kind.Find("#entity-suggestions option").Length())
	}
	suggestions := func(cl *client) (out struct{ Entities, Counted []string }) {
		t.Helper()
		rec := cl.get("/evidence/suggestions")
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			t.Fatalf("suggestions: %d %q", rec.Code, rec.Header().Get("Content-Type"))
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	mine := suggestions(w.member)
	if !slices.Contains(mine.Entities, "International aid groups") || !slices.Contains(mine.Counted, "North Koreans in China") {
		t.Errorf("the member's suggestions lack their own: %+v", mine)
	}
	for name, cl := range map[string]*client{"Outsider": w.outsider, "Anonymous": w.anonymous} {
		if got := suggestions(cl); slices.Contains(got.Entities, "International aid groups") || !slices.Contains(got.Entities, "Joel R. Charny") {
			t.Errorf("%s: %+v", name, got.Entities)
		}
	}
	rec := w.member.post("/articles/"+slug+"/annotations", figureForm("an estimated 100,000 North Koreans in China", "lots", "", "", "", "private"))
	kind = parse(t, rec).Find(`[data-testid="evidence-kind"]`)
	if kind.AttrOr("data-suggest", "") != "" || kind.Find(`#entity-suggestions option[value="International aid groups"]`).Length() != 1 {
		t.Errorf("refused form: data-suggest %q, suggestions %d", kind.AttrOr("data-suggest", ""), kind.Find("#entity-suggestions option").Length())
	}
}

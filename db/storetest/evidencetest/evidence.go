package evidencetest

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gloss/db"
	"gloss/db/anchor"
	"gloss/db/number"
	"gloss/db/storetest"
)

// evidenceFixture is storetest's SeedFixture: the seed corpus with an
// annotator, a colleague in the annotator's group, an outsider and an
// administrator.
type evidenceFixture struct{ *storetest.SeedFixture }

func newEvidenceFixture(t *testing.T) *evidenceFixture {
	t.Helper()
	return &evidenceFixture{storetest.NewSeedFixture(t, storetest.MustOpenDB(t))}
}

// annotateSeedFigures marks the corpus's estimates of how many North
// Koreans are in China, and the 7,800 repatriated in a year, in an order
// unlike the articles' dates.
func (f *evidenceFixture) annotateSeedFigures(t *testing.T) {
	const counted = "North Koreans in China"
	fig := func(low, high, who, typ string) db.EvidenceInput {
		return db.EvidenceInput{Kind: db.KindFigure, Low: low, High: high, Unit: "people", Counted: counted, Estimator: who, EstimatorType: typ}
	}
	f.Annotate(t, f.Author, storetest.SlugIHT, "Some 50,000 North Koreans are in China", "public", fig("50,000", "", "Joel R. Charny", "person"))
	f.Annotate(t, f.Author, storetest.SlugHerald, "The number of North Korean escapees to China varies from 50,000 to 300,000", "group", fig("50000", "300000", "civic groups", "organization"))
	f.Annotate(t, f.Author, storetest.SlugHerald, "an estimated 100,000 North Koreans in China", "public", fig("100,000", "100,000", "", ""))
	f.Annotate(t, f.Member, storetest.SlugVOA, "as many as 100,000 North Koreans are still hiding inside China", "public", fig("100,000", "", "aid workers", "organization"))
	f.Annotate(t, f.Author, storetest.SlugAlbion, "from 150,000 and 300,000 North Korean refugees", "private", fig("150,000", "300,000", "International aid groups", "organization"))
	f.Annotate(t, f.Author, storetest.SlugHerald, "repatriated some 7,800 North Korean defectors", "public", db.EvidenceInput{Kind: db.KindFigure,
		Low: "7800", Unit: "people per year", Counted: "North Koreans repatriated by China", RefDate: "2003", Estimator: "U.S. Committee for Refugees", EstimatorType: "organization"})
}

func TestFiguresOfTheSeedCorpus(t *testing.T) {
	ctx := context.Background()
	f := newEvidenceFixture(t)
	f.annotateSeedFigures(t)
	type row struct{ pub, low, high, who string }
	figures := func(v db.Viewer) map[string][]row {
		groups, err := f.DB.Figures(ctx, v, db.EvidenceFilter{})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]row{}
		for _, g := range groups {
			for _, it := range g.Figures {
				out[g.Counted] = append(out[g.Counted], row{it.Publication, number.Format(it.Low), number.Format(it.High), it.EntityName})
			}
		}
		return out
	}
	t.Run("AuthorSeesAllInArticleOrder", func(t *testing.T) {
		got := figures(f.Author)["North Koreans in China"]
		want := []row{
			{"Albion Monitor", "150,000", "300,000", "International aid groups"},
			{"Voice of America", "100,000", "100,000", "aid workers"},
			{"The Korea Herald", "100,000", "100,000", ""},
			{"The Korea Herald", "50,000", "300,000", "civic groups"},
			{"International Herald Tribune", "50,000", "50,000", "Joel R. Charny"},
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("figures\n got %v\nwant %v", got, want)
		}
		if r := figures(f.Author)["North Koreans repatriated by China"]; len(r) != 1 || r[0].low != "7,800" {
			t.Errorf("repatriations: %v", r)
		}
	})
	t.Run("VisibilityLikeEverythingElse", func(t *testing.T) {
		for name, c := range map[string]struct {
			v    db.Viewer
			want int
		}{"Member": {f.Member, 4}, "Outsider": {f.Outsider, 3}, "Anonymous": {db.Anonymous, 3}, "Admin": {f.Admin, 3}} {
			if got := len(figures(c.v)["North Koreans in China"]); got != c.want {
				t.Errorf("%s sees %d figures, want %d", name, got, c.want)
			}
		}
	})
	t.Run("EntityMentionsFollowVisibility", func(t *testing.T) {
		var private int64
		for _, c := range []struct {
			name  string
			v     db.Viewer
			all   bool
			shown bool
		}{{"Author", f.Author, false, true}, {"Anonymous", db.Anonymous, false, false}, {"Member", f.Member, true, false}, {"Admin", f.Admin, true, true}} {
			ents, err := f.DB.Entities(ctx, c.v, c.all)
			if err != nil {
				t.Fatal(err)
			}
			shown := false
			for _, e := range ents {
				if e.Name == "International aid groups" {
					shown, private = true, e.ID
				}
			}
			if shown != c.shown {
				t.Errorf("%s: entity named only in a private annotation listed: %v, want %v", c.name, shown, c.shown)
			}
			// The filters' and menus' list (no counts) names the same entities.
			choices, err := f.DB.EntityChoices(ctx, c.v, c.all)
			if err != nil {
				t.Fatal(err)
			}
			var want, got []string
			for _, e := range ents {
				want = append(want, e.Name)
			}
			for _, e := range choices {
				got = append(got, e.Name)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: choices %q, entities %q", c.name, got, want)
			}
		}
		if _, err := f.DB.EntityByID(ctx, f.Outsider, private); db.ErrorCode(err) != db.ENOTFOUND {
			t.Errorf("outsider reads an entity named only privately: %v", err)
		}
		names, err := f.DB.EntityNames(ctx, f.Outsider)
		if err != nil || strings.Contains(strings.Join(names, "|"), "International aid groups") {
			t.Errorf("suggestions for the outsider: %v, %v", names, err)
		}
		names, err = f.DB.EntityNames(ctx, f.Author)
		if err != nil || !slices.Contains(names, "International aid groups") || !slices.IsSorted(names) {
			t.Errorf("suggestions for the author: %v, %v", names, err)
		}
	})
}

func TestEvidenceValidation(t *testing.T) {
	f := newEvidenceFixture(t)
	quote := "Some 50,000 North Koreans are in China"
	for _, c := range []struct {
		name string
		in   db.EvidenceInput
		want string
	}{
		{"ErrKind", db.EvidenceInput{Kind: "rumour"}, "not a kind"},
		{"ErrLowNotNumber", db.EvidenceInput{Kind: db.KindFigure, Low: "many", Unit: "people", Counted: "x"}, "not a number"},
		{"ErrLowAboveHigh", db.EvidenceInput{Kind: db.KindFigure, Low: "300,000", High: "50,000", Unit: "people", Counted: "x"}, "greater than the high"},
		{"ErrUnitRequired", db.EvidenceInput{Kind: db.KindFigure, Low: "1", Counted: "x"}, "unit is required"},
		{"ErrCountedRequired", db.EvidenceInput{Kind: db.KindFigure, Low: "1", Unit: "people"}, "What is counted is required"},
		{"ErrRefDate", db.EvidenceInput{Kind: db.KindFigure, Low: "1", Unit: "people", Counted: "x", RefDate: "2004-13-01"}, "not a date"},
		{"ErrUnknownEstimator", db.EvidenceInput{Kind: db.KindFigure, Low: "1", Unit: "people", Counted: "x", Estimator: "Nobody Known"}, "no entity named"},
		{"ErrSpeakerRequired", db.EvidenceInput{Kind: db.KindQuote}, "speaker is required"},
		{"ErrEventDate", db.EvidenceInput{Kind: db.KindEvent}, "date is required"},
		{"ErrEventBackwards", db.EvidenceInput{Kind: db.KindEvent, DateFrom: "2004-07", DateTo: "2004-06"}, "ends"},
		{"ErrEntityType", db.EvidenceInput{Kind: db.KindEntity, Entity: "UNHCR", EntityType: "planet"}, "not a type"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.DB.CreateEvidenceAnnotation(context.Background(), f.Author, f.Slugs[storetest.SlugIHT],
				db.AnnotationInput{Start: -1, End: -1, Exact: quote, Visibility: "private"}, c.in)
			if db.ErrorCode(err) != db.EINVALID || !strings.Contains(db.ErrorMessage(err), c.want) {
				t.Errorf("got %v, want EINVALID with %q", err, c.want)
			}
		})
	}
	t.Run("NothingStoredOnError", func(t *testing.T) {
		list, err := f.DB.ArticleAnnotations(context.Background(), f.Author, f.Slugs[storetest.SlugIHT], db.AnnotationFilter{})
		if err != nil || len(list) != 0 {
			t.Errorf("annotations after refusals: %d, %v", len(list), err)
		}
	})
}

func TestEntitiesMergeAndAliases(t *testing.T) {
	ctx := context.Background()
	f := newEvidenceFixture(t)
	long := f.Annotate(t, f.Author, storetest.SlugHerald, "U.S. Committee for Refugees", "public", db.EvidenceInput{Kind: db.KindEntity, Entity: "US Committee for Refugees", EntityType: "organization"})
	short := f.Annotate(t, f.Author, storetest.SlugVOA, "as many as 100,000 North Koreans are still hiding inside China", "public", db.EvidenceInput{Kind: db.KindEntity, Entity: "USCR", EntityType: "organization"})
	ev, err := f.DB.EvidenceOf(ctx, []int64{long.ID, short.ID})
	if err != nil {
		t.Fatal(err)
	}
	into, from := ev[long.ID].EntityID, ev[short.ID].EntityID
	t.Run("ErrNotAdmin", func(t *testing.T) {
		if err := f.DB.MergeEntity(ctx, f.Author, from, into); db.ErrorCode(err) != db.EFORBIDDEN {
			t.Errorf("merge by a non-administrator: %v", err)
		}
		if err := f.DB.AddAlias(ctx, f.Member, into, "U.S.C.R."); db.ErrorCode(err) != db.EFORBIDDEN {
			t.Errorf("alias by a non-administrator: %v", err)
		}
	})
	t.Run("Merge", func(t *testing.T) {
		if err := f.DB.MergeEntity(ctx, f.Admin, from, into); err != nil {
			t.Fatal(err)
		}
		items, err := f.DB.EvidenceItems(ctx, db.Anonymous, db.EvidenceFilter{EntityID: into})
		if err != nil || len(items) != 2 {
			t.Fatalf("mentions after merge: %d, %v", len(items), err)
		}
		e, err := f.DB.EntityByID(ctx, f.Admin, into)
		if err != nil || fmt.Sprint(e.Aliases) != "[USCR]" {
			t.Errorf("aliases %v, %v", e.Aliases, err)
		}
		if _, err := f.DB.EntityByID(ctx, f.Admin, from); db.ErrorCode(err) != db.ENOTFOUND {
			t.Errorf("merged entity still there: %v", err)
		}
	})
	t.Run("AliasFindsEntity", func(t *testing.T) {
		if err := f.DB.AddAlias(ctx, f.Admin, into, "U.S. Committee for Refugees"); err != nil {
			t.Fatal(err)
		}
		if err := f.DB.AddAlias(ctx, f.Admin, into, "uscr"); db.ErrorCode(err) != db.ECONFLICT {
			t.Errorf("duplicate alias: %v", err)
		}
		q := f.Annotate(t, f.Member, storetest.SlugHerald, "repatriated some 7,800 North Korean defectors", "public", db.EvidenceInput{Kind: db.KindQuote, Speaker: "u.s. committee for refugees"})
		ev, _ := f.DB.EvidenceOf(ctx, []int64{q.ID})
		if ev[q.ID].EntityID != into {
			t.Errorf("speaker by alias resolved to %d, want %d", ev[q.ID].EntityID, into)
		}
	})
}

func TestEventsAndTimelineFilters(t *testing.T) {
	ctx := context.Background()
	f := newEvidenceFixture(t)
	a := f.Annotate(t, f.Author, storetest.SlugHerald, "468 North Korean defectors were brought", "public", db.EvidenceInput{Kind: db.KindEvent, DateFrom: "2004-07-27", DateTo: "2004-07-28", Place: "Seoul"})
	ev, err := f.DB.EvidenceOf(ctx, []int64{a.ID})
	if err != nil || ev[a.ID].PlaceName != "Seoul" || ev[a.ID].DateTo != "2004-07-28" {
		t.Fatalf("event %+v, %v", ev[a.ID], err)
	}
	items, err := f.DB.EvidenceItems(ctx, db.Anonymous, db.EvidenceFilter{Kind: db.KindEvent, EntityID: ev[a.ID].PlaceID})
	if err != nil || len(items) != 1 || items[0].Publication != "The Korea Herald" {
		t.Errorf("events at Seoul: %+v, %v", items, err)
	}
	if items, _ := f.DB.EvidenceItems(ctx, db.Anonymous, db.EvidenceFilter{Tag: "nothing"}); len(items) != 0 {
		t.Errorf("tag filter: %d items", len(items))
	}
}

// TestEvidenceExportImportRoundTrip exports annotations with kinds (the
// flat export the JSON-LD is written from) and imports them into another
// store: the kinds and fields come back. (handlers/w3c tests that the
// JSON-LD carries each field.)
func TestEvidenceExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	f := newEvidenceFixture(t)
	f.annotateSeedFigures(t)
	f.Annotate(t, f.Author, storetest.SlugHerald, "468 North Korean defectors were brought", "public", db.EvidenceInput{Kind: db.KindEvent, DateFrom: "2004-07-27", Place: "Seoul"})
	x, err := f.DB.ExportFlat(ctx, f.Author, db.ExportScope{ArticleID: f.Slugs[storetest.SlugHerald]})
	if err != nil {
		t.Fatal(err)
	}
	var items []db.ImportItem
	for _, a := range x.Annotations {
		items = append(items, importItemOf(a))
	}
	if len(items) != 4 || x.Annotations[0].Evidence == nil || x.Annotations[0].Evidence.Kind != db.KindFigure {
		t.Fatalf("exported %d items, first %+v", len(items), x.Annotations[0])
	}
	g := newEvidenceFixture(t)
	rep, err := g.DB.ImportAnnotations(ctx, g.Author, items, db.ImportOptions{})
	if err != nil || rep.Taken != 4 {
		t.Fatalf("import: %+v, %v", rep, err)
	}
	groups, err := g.DB.Figures(ctx, g.Author, db.EvidenceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, gr := range groups {
		for _, it := range gr.Figures {
			got = append(got, fmt.Sprintf("%s %s-%s %s %s", gr.Counted, number.Format(it.Low), number.Format(it.High), it.Unit, it.EntityName))
		}
	}
	want := "[North Koreans in China 100,000-100,000 people  North Koreans in China 50,000-300,000 people civic groups North Koreans repatriated by China 7,800-7,800 people per year U.S. Committee for Refugees]"
	if fmt.Sprint(got) != want {
		t.Errorf("imported figures\n got %v\nwant %v", got, want)
	}
	events, err := g.DB.EvidenceItems(ctx, g.Author, db.EvidenceFilter{Kind: db.KindEvent})
	if err != nil || len(events) != 1 || events[0].PlaceName != "Seoul" || events[0].DateFrom != "2004-07-27" {
		t.Errorf("imported events %+v, %v", events, err)
	}
	t.Run("ErrBadFields", func(t *testing.T) {
		bad := db.ImportItem{ArticleSlug: storetest.SlugHerald, HasSelector: true, Visibility: db.Private,
			Annotation: db.AnnotationInput{Start: -1, End: -1, Exact: "468 North Korean defectors", Body: "x"},
			Evidence:   db.EvidenceInput{Kind: db.KindFigure, Low: "5", High: "1", Unit: "people", Counted: "x"}}
		rep, err := g.DB.ImportAnnotations(ctx, g.Author, []db.ImportItem{bad}, db.ImportOptions{})
		if err != nil || rep.Stored || len(rep.Refused) != 1 || rep.Refused[0].Code != db.EINVALID {
			t.Errorf("a figure with low > high was imported: %+v", rep)
		}
	})
}

// importItemOf is an exported annotation as an import reads it back: its
// passage, comment, tags and kind, as the forms would send them.
func importItemOf(a *db.Annotation) db.ImportItem {
	it := db.ImportItem{ArticleSlug: a.ArticleSlug, HasSelector: true, Visibility: a.Visibility, TagList: a.Tags,
		Annotation: db.AnnotationInput{Start: a.Selector.Start, End: a.Selector.End, Exact: a.Selector.Exact,
			Prefix: a.Selector.Prefix, Suffix: a.Selector.Suffix, Body: a.Body, Tags: strings.Join(a.Tags, ", ")}}
	if e := a.Evidence; e != nil {
		num := func(f float64) string {
			if !e.HasValue {
				return ""
			}
			return strconv.FormatFloat(f, 'f', -1, 64)
		}
		it.Evidence = db.EvidenceInput{Kind: e.Kind, Low: num(e.Low), High: num(e.High), Unit: e.Unit, Counted: e.Counted,
			RefDate: e.RefDate, DateFrom: e.DateFrom, DateTo: e.DateTo, Place: e.PlaceName}
		switch e.Kind {
		case db.KindEntity:
			it.Evidence.Entity, it.Evidence.EntityType = e.EntityName, e.EntityType
		case db.KindQuote:
			it.Evidence.Speaker, it.Evidence.SpeakerType = e.EntityName, e.EntityType
		case db.KindFigure:
			it.Evidence.Estimator, it.Evidence.EstimatorType = e.EntityName, e.EntityType
		}
	}
	return it
}

func TestUpdateAnnotationKind(t *testing.T) {
	ctx := context.Background()
	f := newEvidenceFixture(t)
	a := f.Annotate(t, f.Author, storetest.SlugIHT, "Some 50,000 North Koreans are in China", "public", db.EvidenceInput{Kind: db.KindComment})
	kindOf := func() (db.Evidence, bool) {
		t.Helper()
		evs, err := f.DB.EvidenceOf(ctx, []int64{a.ID})
		if err != nil {
			t.Fatal(err)
		}
		ev, ok := evs[a.ID]
		return ev, ok
	}
	update := func(v db.Viewer, ev *db.EvidenceInput) error {
		_, err := f.DB.UpdateAnnotation(ctx, v, a.ID, db.AnnotationUpdate{Body: "edited", Visibility: "public", Evidence: ev})
		return err
	}

	figure := db.EvidenceInput{Kind: db.KindFigure, Low: "50,000", Unit: "people", Counted: "North Koreans in China",
		Estimator: "Joel R. Charny", EstimatorType: db.EntityPerson}
	if err := update(f.Author, &figure); err != nil {
		t.Fatal(err)
	}
	if ev, ok := kindOf(); !ok || ev.Kind != db.KindFigure || ev.Low != 50000 || ev.High != 50000 || ev.EntityName != "Joel R. Charny" {
		t.Fatalf("after making it a figure: %+v %v", ev, ok)
	}

	t.Run("ErrInvalidChangesNothing", func(t *testing.T) {
		bad := db.EvidenceInput{Kind: db.KindFigure, Low: "300,000", High: "50,000", Unit: "people", Counted: "x"}
		if err := update(f.Author, &bad); db.ErrorCode(err) != db.EINVALID {
			t.Fatalf("low above high: %v", err)
		}
		unknown := db.EvidenceInput{Kind: db.KindQuote, Speaker: "Nobody Known"}
		if err := update(f.Author, &unknown); db.ErrorCode(err) != db.EINVALID {
			t.Fatalf("unknown speaker: %v", err)
		}
		if ev, _ := kindOf(); ev.Kind != db.KindFigure || ev.Low != 50000 {
			t.Errorf("a refused change altered the kind: %+v", ev)
		}
		if got, _ := f.DB.AnnotationByID(ctx, f.Author, a.ID); got.Body != "edited" {
			t.Errorf("a refused change altered the comment: %q", got.Body)
		}
	})
	t.Run("ErrNotTheAuthor", func(t *testing.T) {
		event := db.EvidenceInput{Kind: db.KindEvent, DateFrom: "2004"}
		if err := update(f.Member, &event); db.ErrorCode(err) != db.EFORBIDDEN {
			t.Fatalf("someone else changed the kind: %v", err)
		}
	})
	t.Run("NilLeavesTheKind", func(t *testing.T) {
		if err := update(f.Author, nil); err != nil {
			t.Fatal(err)
		}
		if ev, ok := kindOf(); !ok || ev.Kind != db.KindFigure {
			t.Errorf("an update without a kind dropped it: %+v %v", ev, ok)
		}
	})
	t.Run("BackToAComment", func(t *testing.T) {
		if err := update(f.Author, &db.EvidenceInput{Kind: db.KindComment}); err != nil {
			t.Fatal(err)
		}
		if ev, ok := kindOf(); ok {
			t.Errorf("still has a kind: %+v", ev)
		}
		groups, err := f.DB.Figures(ctx, f.Author, db.EvidenceFilter{})
		if err != nil || len(groups) != 0 {
			t.Errorf("figures after turning it back into a comment: %+v, %v", groups, err)
		}
	})
}

// TestEvidenceOrphansLeaveTheViews: a mention whose passage is gone from
// the article's new text (orphaned) leaves the lists, and so the counts,
// menus and suggestions that go with them: an entity is not counted in
// Voices with no passage to show.
func TestEvidenceOrphansLeaveTheViews(t *testing.T) {
	ctx := context.Background()
	f := newEvidenceFixture(t)
	const quote = "Some 50,000 North Koreans are in China"
	a := f.Annotate(t, f.Author, storetest.SlugIHT, quote, "public", db.EvidenceInput{Kind: "entity", Entity: "Orphan Relief", EntityType: "organization"})
	names := func() []string {
		ents, err := f.DB.Entities(ctx, f.Author, false)
		if err != nil {
			t.Fatal(err)
		}
		choices, err := f.DB.EntityChoices(ctx, f.Author, false)
		if err != nil {
			t.Fatal(err)
		}
		suggested, err := f.DB.EntityNames(ctx, f.Author)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range ents {
			out = append(out, "voices:"+e.Name)
		}
		for _, e := range choices {
			out = append(out, "menu:"+e.Name)
		}
		for _, n := range suggested {
			out = append(out, "suggested:"+n)
		}
		return out
	}
	if got := names(); !slices.Contains(got, "voices:Orphan Relief") || !slices.Contains(got, "menu:Orphan Relief") || !slices.Contains(got, "suggested:Orphan Relief") {
		t.Fatalf("before: %v", got)
	}
	for _, in := range storetest.SeedInputs(t) {
		if in.Slug == storetest.SlugIHT {
			in.Body = strings.Replace(in.Body, quote, "Nobody knows how many people have crossed over the years", 1)
			if _, err := f.DB.ImportArticle(ctx, in); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got, err := f.DB.AnnotationByID(ctx, f.Author, a.ID); err != nil || got.Anchor.Status != anchor.Orphaned {
		t.Fatalf("the mention is %q (%v), want orphaned", got.Anchor.Status, err)
	}
	for _, n := range names() {
		if strings.HasSuffix(n, ":Orphan Relief") {
			t.Errorf("an orphaned mention still lists %s", n)
		}
	}
}

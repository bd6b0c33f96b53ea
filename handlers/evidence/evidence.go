// Package evidence serves the views built from the kinds of annotation
// (Voices, Figures, Timeline, with their CSVs and the entities' curation)
// and the suggested evidence: the reader's Suggestions panel and the bulk
// review into a group.
package evidence

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/db/evidence"
	"gloss/db/number"
	"gloss/handlers/collections"
	"gloss/handlers/paths"
	"gloss/handlers/web"
	"gloss/views"
)

// Evidence views: Voices (entities and what is said by and about them),
// Figures (every number claimed, compared) and Timeline (articles and
// events). Every list is what the viewer may see (db/sqlstore/evidence.go).

// Store is what the evidence views and the suggestions ask of the store.
type Store interface {
	db.EvidenceStore
	db.SuggestionStore
	db.Articles    // the article suggested in, the timeline's articles
	db.Annotations // the annotate form's default audience
	db.Collections // a view added to a collection
	db.Groups      // the groups a review may be into
	db.Tags        // the timeline's tag filter
}

// Server holds what the evidence views and the suggestions use.
type Server struct {
	db   Store
	site web.Site
	// collections makes the views' form that adds one to a collection.
	collections *collections.Server
	// suggester keeps the suggested evidence of recently read articles.
	suggester *suggester
}

// New makes the evidence views' and the suggestions' handlers over store.
func New(store Store, site web.Site, col *collections.Server) *Server {
	return &Server{db: store, site: site, collections: col, suggester: newSuggester()}
}

// Routes registers the evidence views and the suggestions.
func (s *Server) Routes(e *echo.Echo) {
	e.GET("/voices", s.voices)
	e.GET("/voices.csv", s.voicesCSV)
	e.GET("/voices/:id", s.voice)
	e.POST("/voices/:id/aliases", s.addEntityAlias)
	e.POST("/voices/:id/merge", s.mergeEntity)
	e.GET("/figures", s.figures)
	e.GET("/figures.csv", s.figuresCSV)
	e.GET("/timeline", s.timeline)
	e.GET("/timeline.csv", s.timelineCSV)
	e.POST("/evidence/collect", s.collectView)
	e.GET("/evidence/suggestions", s.evidenceSuggestions)
	s.suggestionRoutes(e)
}

// KindSuggestions are the annotate form's suggestions for its Kind fields,
// for the viewer: the names and aliases of the entities and what figures
// count, among what they may see.
func (s *Server) KindSuggestions(r *http.Request) (names, counted []string, err error) {
	ctx, v := r.Context(), web.Viewer(r)
	if names, err = s.db.EntityNames(ctx, v); err != nil {
		return nil, nil, err
	}
	counted, err = s.db.EvidenceCounted(ctx, v)
	return names, counted, err
}

// evidenceSuggestions answers evidence.js with the suggestions, as JSON.
func (s *Server) evidenceSuggestions(c echo.Context) error {
	names, counted, err := s.KindSuggestions(c.Request())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, no-cache")
	return c.JSON(http.StatusOK, map[string][]string{"entities": nonNil(names), "counted": nonNil(counted)})
}

// nonNil makes an empty list [] in JSON rather than null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func evidenceRef(it db.EvidenceItem) views.EvidenceRef {
	return views.EvidenceRef{
		AnnotationID: it.AnnotationID, Kind: it.Kind, ArticleSlug: it.ArticleSlug, ArticleTitle: it.ArticleTitle,
		Publication: it.Publication, Published: it.Published, Prefix: it.Prefix, Exact: it.Exact, Suffix: it.Suffix,
		Start: it.Start, End: it.End, Body: it.Body, AuthorName: it.AuthorName,
		EntityID: it.EntityID, EntityName: it.EntityName, PlaceID: it.PlaceID, PlaceName: it.PlaceName,
		Value: evidence.Value(it.Fields()), Counted: it.Counted, RefDate: evidence.Date(it.RefDate), When: evidence.When(it.DateFrom, it.DateTo),
	}
}

func entityRow(e db.Entity) views.EntityRow {
	return views.EntityRow{ID: e.ID, Name: e.Name, Type: e.Type, Aliases: e.Aliases, Mentions: e.Mentions}
}

func (s *Server) voices(c echo.Context) error {
	// Administrators see every entity, to curate the vocabulary.
	list, err := s.db.Entities(c.Request().Context(), web.Viewer(c.Request()), true)
	if err != nil {
		return err
	}
	m := views.VoicesPage{}
	for _, e := range list {
		m.Entities = append(m.Entities, entityRow(e))
	}
	if m.Collect, err = s.collections.CollectForm(c.Request(), paths.Voices, "Voices: who is named and quoted"); err != nil {
		return err
	}
	return web.Render(c, http.StatusOK, views.Voices(m))
}

func (s *Server) voicesCSV(c echo.Context) error {
	list, err := s.db.Entities(c.Request().Context(), web.Viewer(c.Request()), false)
	if err != nil {
		return err
	}
	w := web.CSV(c, "voices.csv")
	w.Write([]string{"entity_id", "name", "type", "aliases", "passages"})
	for _, e := range list {
		w.Write(web.CSVRow(strconv.FormatInt(e.ID, 10), e.Name, e.Type, strings.Join(e.Aliases, "; "), strconv.Itoa(e.Mentions)))
	}
	w.Flush()
	return w.Error()
}

// evidenceHeader and evidenceCSVRow are the columns every evidence CSV shares.
var evidenceHeader = []string{"annotation_id", "kind", "article_slug", "article_title", "publication", "published",
	"quote", "entity", "low", "high", "unit", "counted", "ref_date", "date_from", "date_to", "place", "comment", "tags", "annotator", "link"}

func evidenceCSVRow(base string, it db.EvidenceItem) []string {
	low, high := "", ""
	if it.HasValue {
		low, high = strconv.FormatFloat(it.Low, 'f', -1, 64), strconv.FormatFloat(it.High, 'f', -1, 64)
	}
	return web.CSVRow(strconv.FormatInt(it.AnnotationID, 10), it.Kind, it.ArticleSlug, it.ArticleTitle, it.Publication, it.Published,
		it.Exact, it.EntityName, low, high, it.Unit, it.Counted, it.RefDate, it.DateFrom, it.DateTo, it.PlaceName,
		it.Body, strings.Join(it.Tags, "; "), it.AuthorName,
		base+paths.ArticleAt(it.ArticleSlug, it.Start, it.End))
}

func (s *Server) voice(c echo.Context) error {
	raw := c.Param("id")
	idText, isCSV := strings.CutSuffix(raw, ".csv")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return db.Errorf(db.ENOTFOUND, "There is nothing at this address.")
	}
	return s.renderVoice(c, http.StatusOK, id, isCSV, views.Form{})
}

func (s *Server) renderVoice(c echo.Context, status int, id int64, isCSV bool, f views.Form) error {
	ctx := c.Request().Context()
	v := web.Viewer(c.Request())
	e, err := s.db.EntityByID(ctx, v, id)
	if err != nil {
		return err
	}
	items, err := s.db.EvidenceItems(ctx, v, db.EvidenceFilter{EntityID: id})
	if err != nil {
		return err
	}
	if isCSV {
		w, base := web.CSV(c, "voice-"+strconv.FormatInt(id, 10)+".csv"), s.site.BaseIRI(c.Request())
		w.Write(evidenceHeader)
		for _, it := range items {
			w.Write(evidenceCSVRow(base, it))
		}
		w.Flush()
		return w.Error()
	}
	m := views.VoicePage{Entity: entityRow(e), Form: f, CanCurate: v.CurateEntities() == nil}
	for _, it := range items {
		m.Items = append(m.Items, evidenceRef(it))
	}
	if m.CanCurate {
		all, err := s.db.EntityChoices(ctx, v, true)
		if err != nil {
			return err
		}
		for _, o := range all {
			if o.ID != id {
				m.MergeChoices = append(m.MergeChoices, views.Option{Value: strconv.FormatInt(o.ID, 10), Label: o.Name + " (" + o.Type + ")"})
			}
		}
	}
	if m.Collect, err = s.collections.CollectForm(c.Request(), paths.Voice(id), "Voices: "+e.Name); err != nil {
		return err
	}
	return web.Render(c, status, views.Voice(m))
}

func (s *Server) addEntityAlias(c echo.Context) error {
	id, err := web.ID(c.Param("id"))
	if err != nil {
		return err
	}
	f := web.FormOf(c.Request(), "alias")
	if err := s.db.AddAlias(c.Request().Context(), web.Viewer(c.Request()), id, f.Value("alias")); err != nil {
		if code := db.ErrorCode(err); code == db.EINVALID || code == db.ECONFLICT {
			f.Error = db.ErrorMessage(err)
			return s.renderVoice(c, web.StatusFor(code), id, false, f)
		}
		return err
	}
	s.site.Flash(c.Request(), "Name added.")
	return c.Redirect(http.StatusSeeOther, paths.Voice(id))
}

func (s *Server) mergeEntity(c echo.Context) error {
	id, err := web.ID(c.Param("id"))
	if err != nil {
		return err
	}
	into, err := strconv.ParseInt(c.FormValue("into"), 10, 64)
	if err != nil {
		return web.BadRequest("Choose the entity to merge into.")
	}
	if err := s.db.MergeEntity(c.Request().Context(), web.Viewer(c.Request()), id, into); err != nil {
		return err
	}
	s.site.Flash(c.Request(), "Entities merged.")
	return c.Redirect(http.StatusSeeOther, paths.Voice(into))
}

// figureCharts lays out each group of figures as a chart and a table.
func figureCharts(groups []db.FigureGroup) []views.FigureChart {
	var out []views.FigureChart
	for i, g := range groups {
		ch := views.FigureChart{ID: fmt.Sprintf("fig-%d", i+1), Counted: g.Counted, Unit: g.Unit}
		for _, it := range g.Figures {
			ch.Rows = append(ch.Rows, views.FigureRow{Ref: evidenceRef(it), Low: it.Low, High: it.High,
				LowText: number.Format(it.Low), HighText: number.Format(it.High)})
		}
		out = append(out, views.LayoutFigureChart(ch))
	}
	return out
}

// figuresPerChart is how many estimates a chart shows at once: the
// overview's charts show the first of a group, linking to its own pages.
const figuresPerChart = 50

// figures is every group of figures (/figures), or one group's pages
// (/figures?counted=...&unit=...&page=N).
func (s *Server) figures(c echo.Context) error {
	counted, unit := strings.TrimSpace(c.QueryParam("counted")), strings.TrimSpace(c.QueryParam("unit"))
	page, err := web.PageNumber(c.QueryParam("page"))
	if err != nil {
		return err
	}
	groups, err := s.db.Figures(c.Request().Context(), web.Viewer(c.Request()), db.EvidenceFilter{})
	if err != nil {
		return err
	}
	charts := figureCharts(groups)
	m := views.FiguresPage{CSVURL: paths.FiguresCSV}
	if counted == "" {
		if page > 1 {
			return db.Errorf(db.ENOTFOUND, "The figures are on one page; each group's own pages are linked from it.")
		}
		for _, ch := range charts {
			if ch.Total > figuresPerChart {
				ch = ch.Window(0, figuresPerChart)
				ch.MoreURL = paths.FigureGroup(ch.Counted, ch.Unit, 1)
			}
			m.Charts = append(m.Charts, ch)
		}
		if m.Collect, err = s.collections.CollectForm(c.Request(), paths.Figures, "Figures: every estimate and its source"); err != nil {
			return err
		}
		return web.Render(c, http.StatusOK, views.Figures(m))
	}
	i := slices.IndexFunc(charts, func(ch views.FigureChart) bool {
		return strings.EqualFold(ch.Counted, counted) && (unit == "" || strings.EqualFold(ch.Unit, unit))
	})
	if i < 0 {
		return db.Errorf(db.ENOTFOUND, "No figure you can see counts %q.", counted)
	}
	ch := charts[i]
	pages := (ch.Total + figuresPerChart - 1) / figuresPerChart
	if page > pages {
		return db.Errorf(db.ENOTFOUND, "There is no page %d of these figures: there are %d.", page, pages)
	}
	m.Group = ch.Counted
	m.Charts = []views.FigureChart{ch.Window((page-1)*figuresPerChart, page*figuresPerChart)}
	m.Pager = web.Pager("Pages of "+ch.Counted, page, pages, func(n int) string { return paths.FigureGroup(ch.Counted, ch.Unit, n) })
	if m.Collect, err = s.collections.CollectForm(c.Request(), paths.FigureGroup(ch.Counted, ch.Unit, 1), "Figures: "+ch.Counted); err != nil {
		return err
	}
	return web.Render(c, http.StatusOK, views.Figures(m))
}

func (s *Server) figuresCSV(c echo.Context) error {
	groups, err := s.db.Figures(c.Request().Context(), web.Viewer(c.Request()), db.EvidenceFilter{})
	if err != nil {
		return err
	}
	w, base := web.CSV(c, "figures.csv"), s.site.BaseIRI(c.Request())
	w.Write(evidenceHeader)
	for _, g := range groups {
		for _, it := range g.Figures {
			w.Write(evidenceCSVRow(base, it))
		}
	}
	w.Flush()
	return w.Error()
}

// timelineQuery is the timeline's filter.
type timelineQuery struct {
	entity string
	filter db.EvidenceFilter
}

func parseTimelineQuery(query url.Values) (timelineQuery, error) {
	var q timelineQuery
	if e := strings.TrimSpace(query.Get("entity")); e != "" {
		id, err := strconv.ParseInt(e, 10, 64)
		if err != nil || id <= 0 {
			return q, web.BadRequest("Unknown entity %q.", e)
		}
		q.entity, q.filter.EntityID = e, id
	}
	if tag := strings.TrimSpace(query.Get("tag")); tag != "" {
		tags, err := db.ParseTags(tag)
		if err != nil {
			return q, err
		}
		if len(tags) > 0 {
			q.filter.Tag = tags[0]
		}
	}
	return q, nil
}

// timelinePerPage is how many entries a page of the timeline shows.
const timelinePerPage = 200

// timelineEntries puts articles (by publication date) and events (by event
// date) in one order. Unfiltered, every article is on it; filtered by
// entity or tag, only articles with a matching passage the viewer may see.
func (s *Server) timelineEntries(r *http.Request, q timelineQuery) ([]views.TimelineEntry, error) {
	ctx := r.Context()
	filtered := q.filter.EntityID != 0 || q.filter.Tag != ""
	f := q.filter
	if !filtered {
		// Every article is on it: of the evidence, only events are needed.
		f.Kind = db.KindEvent
	}
	items, err := s.db.EvidenceItems(ctx, web.Viewer(r), f)
	if err != nil {
		return nil, err
	}
	arts, err := s.db.Articles(ctx, db.ArticleFilter{Sort: db.SortOldest})
	if err != nil {
		return nil, err
	}
	matched := map[string]bool{}
	var out []views.TimelineEntry
	for _, it := range items {
		matched[it.ArticleSlug] = true
		if it.Kind != db.KindEvent {
			continue
		}
		r := evidenceRef(it)
		detail := evidence.Detail(it.Fields()) + " · reported by " + r.Source()
		out = append(out, views.TimelineEntry{Date: it.DateFrom, IsEvent: true, Title: views.Clip(it.Exact, 16), Link: r.Link(), Detail: detail})
	}
	for _, a := range arts {
		if filtered && !matched[a.Slug] {
			continue
		}
		detail := a.Publication
		if len(a.Authors) > 0 {
			detail += " · " + strings.Join(a.Authors, ", ")
		}
		out = append(out, views.TimelineEntry{Date: a.PublishedOn, Title: a.Title, Link: paths.Article(a.Slug), Detail: detail})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Date != out[j].Date {
			return out[i].Date < out[j].Date
		}
		return out[i].IsEvent && !out[j].IsEvent
	})
	return out, nil
}

func (s *Server) timeline(c echo.Context) error {
	ctx := c.Request().Context()
	v := web.Viewer(c.Request())
	q, err := parseTimelineQuery(c.QueryParams())
	if err != nil {
		return err
	}
	page, err := web.PageNumber(c.QueryParam("page"))
	if err != nil {
		return err
	}
	entries, err := s.timelineEntries(c.Request(), q)
	if err != nil {
		return err
	}
	ents, err := s.db.EntityChoices(ctx, v, false)
	if err != nil {
		return err
	}
	tags, err := s.db.VisibleTags(ctx, v)
	if err != nil {
		return err
	}
	m := views.TimelinePage{Total: len(entries), Entity: q.entity, Tag: q.filter.Tag, Tags: tags, CSVURL: paths.TimelineCSV(q.entity, q.filter.Tag)}
	// A page at a time: a library of 10,000 articles made a 3.5 MB page.
	pages := max(1, (len(entries)+timelinePerPage-1)/timelinePerPage)
	if page > pages {
		return db.Errorf(db.ENOTFOUND, "There is no page %d of the timeline: there are %d.", page, pages)
	}
	first := (page - 1) * timelinePerPage
	m.Entries, m.First = entries[first:min(first+timelinePerPage, len(entries))], first+1
	m.Pager = web.Pager("Timeline pages", page, pages, func(n int) string { return paths.TimelineOf(q.entity, q.filter.Tag, n) })
	for _, e := range ents {
		m.Entities = append(m.Entities, views.Option{Value: strconv.FormatInt(e.ID, 10), Label: e.Name})
	}
	if m.Collect, err = s.collections.CollectForm(c.Request(), paths.TimelineOf(q.entity, q.filter.Tag, 1), "Timeline"); err != nil {
		return err
	}
	return web.Render(c, http.StatusOK, views.Timeline(m))
}

func (s *Server) timelineCSV(c echo.Context) error {
	q, err := parseTimelineQuery(c.QueryParams())
	if err != nil {
		return err
	}
	entries, err := s.timelineEntries(c.Request(), q)
	if err != nil {
		return err
	}
	w, base := web.CSV(c, "timeline.csv"), s.site.BaseIRI(c.Request())
	w.Write([]string{"date", "kind", "title", "detail", "link"})
	for _, e := range entries {
		kind := "article"
		if e.IsEvent {
			kind = "event"
		}
		w.Write(web.CSVRow(e.Date, kind, e.Title, e.Detail, base+e.Link))
	}
	w.Flush()
	return w.Error()
}

// collectView adds an evidence view to a collection as a section: a
// heading and a link to the view (readers see it as they may see it).
func (s *Server) collectView(c echo.Context) error {
	view := c.FormValue("view")
	if !isEvidenceView(view) {
		return web.BadRequest("Only the Voices, Figures and Timeline views can be added this way.")
	}
	id, err := strconv.ParseInt(c.FormValue("collection"), 10, 64)
	if err != nil || id <= 0 {
		return web.BadRequest("Choose a collection.")
	}
	title := strings.TrimSpace(c.FormValue("title"))
	if title == "" {
		title = "Evidence"
	}
	_, err = s.db.AddItem(c.Request().Context(), web.Viewer(c.Request()), id, db.ItemInput{Kind: "text", Start: -1, End: -1,
		Heading: title, Commentary: "[Open this view](" + view + "): every passage each reader may see, with its source and date."})
	if err != nil {
		return err
	}
	s.site.Flash(c.Request(), "Added to the collection.")
	return c.Redirect(http.StatusSeeOther, paths.CollectionEdit(id))
}

// isEvidenceView accepts only local paths of the evidence views.
func isEvidenceView(p string) bool {
	if strings.ContainsAny(p, "()[]<>\\ \n\r") {
		return false
	}
	path, _, _ := strings.Cut(p, "?")
	if path == paths.Figures || path == paths.Timeline || path == paths.Voices {
		return true
	}
	rest, ok := strings.CutPrefix(path, paths.Voices+"/")
	if !ok {
		return false
	}
	_, err := strconv.ParseInt(rest, 10, 64)
	return err == nil
}

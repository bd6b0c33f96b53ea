package evidence

// Suggested evidence (db/suggest): in the reader, a Suggestions switch and
// a panel of what Gloss proposes in the text, each accepted through the
// ordinary annotate form or dismissed (remembered per person); and a bulk
// review of an article's suggestions into a group its owner chooses.
// Suggestions are computed, kept per article revision in a bounded cache,
// and never stored, counted or shown to anyone but the viewer.

import (
	"context"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/db/evidence"
	"gloss/db/suggest"
	"gloss/handlers/paths"
	"gloss/handlers/web"
	"gloss/views"
)

func (s *Server) suggestionRoutes(e *echo.Echo) {
	e.GET("/articles/:slug/suggestions", s.suggestionPanel)
	e.GET("/articles/:slug/suggestions/count", s.suggestionCount)
	e.POST("/articles/:slug/suggestions/dismiss", s.dismissSuggestion)
	e.POST("/articles/:slug/suggestions/restore", s.restoreSuggestions)
	e.GET("/articles/:slug/suggestions/review", s.suggestionReview)
	e.POST("/articles/:slug/suggestions/accept", s.acceptSuggestion)
	e.POST("/articles/:slug/suggestions/accept-all", s.acceptAllSuggestions)
}

const (
	// suggestionCacheSize is how many articles' suggestions are kept: a
	// seed article's are about 150 suggestions, some 40 KB.
	suggestionCacheSize = 256
	// knownEntitiesFor is how long the list of known entities is kept
	// before it is read again (a change to it computes suggestions again).
	knownEntitiesFor = 30 * time.Second
	// contextRunes is how much text the review page quotes on each side.
	contextRunes = 80
)

// suggester keeps the suggestions and the known entities they use.
type suggester struct {
	cache *suggest.Cache

	mu       sync.Mutex
	entities []suggest.Entity
	version  uint64 // suggest.Fingerprint of entities
	read     time.Time

	warming sync.Map // article id -> true: computed in the background (Warm)
}

func newSuggester() *suggester { return &suggester{cache: suggest.NewCache(suggestionCacheSize)} }

// knownEntities are the entities named in public annotations, with their
// aliases: the same for everyone, so that one computation serves every
// reader, and no name typed where only some may read it is suggested.
//
// The list is read without the lock held: a reader page reads it in its
// View (db.Lifecycle.View), holding a connection of the read pool, and
// pages waiting for the lock while its holder waited for one of their
// connections would wait until a request's context ended. Two requests
// may then read it at once; the later read is kept.
func (s *Server) knownEntities(ctx context.Context) ([]suggest.Entity, uint64, error) {
	sg := s.suggester
	sg.mu.Lock()
	if !sg.read.IsZero() && time.Since(sg.read) < knownEntitiesFor {
		defer sg.mu.Unlock()
		return sg.entities, sg.version, nil
	}
	sg.mu.Unlock()
	began := time.Now()
	list, err := s.db.KnownEntities(ctx, db.Anonymous)
	if err != nil {
		return nil, 0, err
	}
	ents := make([]suggest.Entity, len(list))
	for i, e := range list {
		ents[i] = suggest.Entity{ID: e.ID, Name: e.Name, Type: e.Type, Aliases: e.Aliases}
	}
	version := suggest.Fingerprint(ents)
	sg.mu.Lock()
	defer sg.mu.Unlock()
	if began.After(sg.read) {
		sg.entities, sg.version, sg.read = ents, version, began
	}
	return ents, version, nil
}

// keptSuggestions are the article's suggestions if the cache has them
// already (ok false: they would have to be computed).
func (s *Server) keptSuggestions(ctx context.Context, a db.Article) (list []suggest.Suggestion, ok bool, err error) {
	_, version, err := s.knownEntities(ctx)
	if err != nil {
		return nil, false, err
	}
	list, ok = s.suggester.cache.Peek(a.ID, suggest.Version{Revision: a.Revision, Entities: version})
	return list, ok, nil
}

// articleSuggestions are every suggestion in the article's current text.
// The list is shared: it must not be changed.
func (s *Server) articleSuggestions(ctx context.Context, a db.Article) ([]suggest.Suggestion, error) {
	ents, version, err := s.knownEntities(ctx)
	if err != nil {
		return nil, err
	}
	return s.suggester.cache.Get(a.ID, suggest.Version{Revision: a.Revision, Entities: version}, func() []suggest.Suggestion {
		all := suggest.Extract(a.Body, suggest.Options{Published: a.PublishedOn, Entities: ents})
		// Nothing in the lines from the source page (navigation, captions):
		// they are not the article, and the reader folds them away.
		out := all[:0:0]
		for _, sg := range all {
			if !inFurniture(a.Furniture, sg.Start, sg.End) {
				out = append(out, sg)
			}
		}
		return out
	}), nil
}

// inFurniture reports whether [start, end) touches the source page's lines.
func inFurniture(spans []db.Span, start, end int) bool {
	for _, f := range spans {
		if start < f.End && f.Start < end {
			return true
		}
	}
	return false
}

// suggestionState is an article's suggestions as one person sees them.
type suggestionState struct {
	all       []suggest.Suggestion
	left      []suggest.Suggestion // neither done nor dismissed
	done      []suggest.Suggestion // already an annotation of their kind on their passage
	accepted  int                  // len(done)
	dismissed int                  // dismissed by the viewer (and not done)
}

// isDone reports whether the suggestion with key is already an annotation.
func (st suggestionState) isDone(key string) bool {
	for _, sg := range st.done {
		if sg.Key == key {
			return true
		}
	}
	return false
}

// suggestionsFor sorts the article's suggestions for the viewer. A
// suggestion is done when an annotation of its kind lies exactly on its
// passage: among what the viewer may read (group 0, the reader), or among
// the group's annotations (the bulk review into that group).
func (s *Server) suggestionsFor(ctx context.Context, v db.Viewer, a db.Article, group int64) (suggestionState, error) {
	all, err := s.articleSuggestions(ctx, a)
	if err != nil {
		return suggestionState{}, err
	}
	return s.sortSuggestions(ctx, v, a, group, all)
}

// sortSuggestions is suggestionsFor on the article's suggestions all.
func (s *Server) sortSuggestions(ctx context.Context, v db.Viewer, a db.Article, group int64, all []suggest.Suggestion) (suggestionState, error) {
	var st suggestionState
	spans, err := s.db.EvidenceSpans(ctx, v, a.ID)
	if err != nil {
		return st, err
	}
	dismissed, err := s.db.DismissedSuggestions(ctx, v, a.ID)
	if err != nil {
		return st, err
	}
	type place struct {
		kind       string
		start, end int
	}
	done := make(map[place]bool, len(spans))
	for _, sp := range spans {
		if group == 0 || (sp.Visibility == db.Shared && sp.GroupID == group) {
			done[place{sp.Kind, sp.Start, sp.End}] = true
		}
	}
	st.all = all
	for _, sg := range all {
		switch {
		case done[place{sg.Kind, sg.Start, sg.End}]:
			st.done = append(st.done, sg)
			st.accepted++
		case dismissed[sg.Key]:
			st.dismissed++
		default:
			st.left = append(st.left, sg)
		}
	}
	return st, nil
}

// findSuggestion is the article's suggestion with this key, or a refusal a
// person understands (the text may have changed since the page was shown).
func (s *Server) findSuggestion(ctx context.Context, a db.Article, key string) (suggest.Suggestion, error) {
	if err := db.CheckSuggestionKeys([]string{key}); err != nil {
		return suggest.Suggestion{}, err
	}
	all, err := s.articleSuggestions(ctx, a)
	if err != nil {
		return suggest.Suggestion{}, err
	}
	for _, sg := range all {
		if sg.Key == key {
			return sg, nil
		}
	}
	return suggest.Suggestion{}, db.Errorf(db.ENOTFOUND, "This suggestion is no longer in the article (its text may have changed): show the suggestions again.")
}

// evidenceFieldsOf is a suggestion as the formatter (db/evidence) takes it.
func evidenceFieldsOf(sg suggest.Suggestion) evidence.Fields {
	f := evidence.Fields{Kind: sg.Kind, Unit: sg.Unit, Counted: sg.Counted, RefDate: sg.RefDate, DateFrom: sg.DateFrom, DateTo: sg.DateTo}
	switch sg.Kind {
	case suggest.KindFigure:
		f.HasValue, f.Low, f.High, f.Entity = true, sg.Low, sg.High, sg.Estimator
	case suggest.KindQuote:
		f.Entity = sg.Speaker
	case suggest.KindEntity:
		f.Entity = sg.Name
	}
	return f
}

func suggestionView(slug string, sg suggest.Suggestion) views.SuggestionView {
	return views.SuggestionView{Key: sg.Key, Kind: sg.Kind, Text: sg.Text, Start: sg.Start, End: sg.End,
		Detail: evidence.Detail(evidenceFieldsOf(sg)), Fields: sg.Fields(), AcceptHref: paths.AcceptSuggestion(slug, sg.Key)}
}

// ownsAGroup reports whether the viewer owns a group (and so may review
// suggestions in bulk).
func ownsAGroup(v db.Viewer) bool {
	for _, r := range v.Roles {
		if r == db.RoleOwner {
			return true
		}
	}
	return false
}

// ReaderSuggestions is the reader page's Suggestions switch, with the
// panel's list when on; nil for those who may not annotate.
func (s *Server) ReaderSuggestions(r *http.Request, a db.Article, on bool) (*views.ReaderSuggestions, error) {
	return s.readerSuggestions(r, a, on, "")
}

// readerSuggestions is ReaderSuggestions, announcing what changed when the
// panel is sent again after a dismissal or a restore. With the switch off,
// suggestions not computed yet are not computed for the page: the switch
// comes without its count, which the reader's script asks for once the
// page is there (CountURL), so the page never waits for an extraction.
func (s *Server) readerSuggestions(r *http.Request, a db.Article, on bool, announce string) (*views.ReaderSuggestions, error) {
	ctx, v := r.Context(), web.Viewer(r)
	if v.SuggestEvidence() != nil {
		return nil, nil
	}
	m := &views.ReaderSuggestions{Slug: a.Slug, On: on,
		OnHref: paths.ArticleWithSuggestions(a.Slug) + "#suggestions", OffHref: paths.Article(a.Slug), PanelURL: paths.ArticleSuggestions(a.Slug),
		DismissAction: paths.DismissSuggestion(a.Slug), RestoreAction: paths.RestoreSuggestions(a.Slug), Announce: announce}
	if ownsAGroup(v) {
		m.ReviewHref = paths.SuggestionReview(a.Slug, 0)
	}
	var all []suggest.Suggestion
	var err error
	if on {
		all, err = s.articleSuggestions(ctx, a)
	} else {
		var kept bool
		if all, kept, err = s.keptSuggestions(ctx, a); err == nil && !kept {
			m.CountURL = paths.SuggestionCount(a.Slug)
			return m, nil
		}
	}
	if err != nil {
		return nil, err
	}
	st, err := s.sortSuggestions(ctx, v, a, 0, all)
	if err != nil {
		return nil, err
	}
	m.Left, m.Dismissed = len(st.left), st.dismissed
	if on {
		for _, sg := range st.left {
			m.Items = append(m.Items, suggestionView(a.Slug, sg))
		}
	}
	return m, nil
}

// WarmSuggestions computes an article's suggestions in the background, if
// not already under way: a reader page shows the Suggestions switch
// without its count until they are known (the script asks for it), and
// the handlers' page cache keeps only a page with the count, so a page
// read without the script is kept from a later request on.
func (s *Server) WarmSuggestions(a db.Article) {
	if _, busy := s.suggester.warming.LoadOrStore(a.ID, true); busy {
		return
	}
	go func() {
		defer s.suggester.warming.Delete(a.ID)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_, _ = s.articleSuggestions(ctx, a) // a failure: the script's request says it
	}()
}

// AcceptForm is the reader's annotate form filled in from the suggestion
// with key: the reader's Accept without JavaScript. It also says the
// suggestion in words.
func (s *Server) AcceptForm(r *http.Request, a db.Article, key string) (views.Form, string, error) {
	ctx, v := r.Context(), web.Viewer(r)
	if err := v.SuggestEvidence(); err != nil {
		return views.Form{}, "", err
	}
	sg, err := s.findSuggestion(ctx, a, key)
	if err != nil {
		return views.Form{}, "", err
	}
	values, err := web.DefaultAudience(r, s.db.PreferencesOf)
	if err != nil {
		return views.Form{}, "", err
	}
	values["start"], values["end"], values["exact"] = strconv.Itoa(sg.Start), strconv.Itoa(sg.End), sg.Text
	maps.Copy(values, sg.Fields())
	return views.Form{Values: values}, evidence.Summary(evidenceFieldsOf(sg)), nil
}

// suggestionPanel is GET /articles/{slug}/suggestions: the reader's panel,
// for its script; a browser without it is sent to the reader showing it.
func (s *Server) suggestionPanel(c echo.Context) error {
	a, err := s.db.ArticleBySlug(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	if err := web.Viewer(c.Request()).SuggestEvidence(); err != nil {
		return err
	}
	c.Response().Header().Add("Vary", web.FragmentHeader)
	if !web.InPlace(c.Request()) {
		return c.Redirect(http.StatusSeeOther, paths.ArticleWithSuggestions(a.Slug)+"#suggestions")
	}
	return s.renderPanel(c, a, "")
}

// suggestionCount is GET /articles/{slug}/suggestions/count: how many
// suggestions are left for the viewer, as JSON, for the reader's switch.
func (s *Server) suggestionCount(c echo.Context) error {
	ctx, v := c.Request().Context(), web.Viewer(c.Request())
	a, err := s.db.ArticleBySlug(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	if err := v.SuggestEvidence(); err != nil {
		return err
	}
	st, err := s.suggestionsFor(ctx, v, a, 0)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, no-store")
	return c.JSON(http.StatusOK, map[string]int{"left": len(st.left), "dismissed": st.dismissed})
}

func (s *Server) renderPanel(c echo.Context, a db.Article, announce string) error {
	m, err := s.readerSuggestions(c.Request(), a, true, announce)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, no-store")
	return web.Render(c, http.StatusOK, views.SuggestionPanel(*m))
}

// dismissSuggestion is POST /articles/{slug}/suggestions/dismiss (key;
// group when it comes from the review page, which it goes back to).
func (s *Server) dismissSuggestion(c echo.Context) error {
	ctx, v := c.Request().Context(), web.Viewer(c.Request())
	a, err := s.db.ArticleBySlug(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	if err := v.SuggestEvidence(); err != nil {
		return err
	}
	group, err := groupParam(c.FormValue("group"))
	if err != nil {
		return err
	}
	sg, err := s.findSuggestion(ctx, a, c.FormValue("key"))
	if err != nil {
		return err
	}
	next := ""
	if group != 0 {
		if next, err = s.nextLeft(ctx, v, a, group, sg.Key); err != nil {
			return err
		}
	}
	if err := s.db.DismissSuggestions(ctx, v, a.ID, []string{sg.Key}); err != nil {
		return err
	}
	msg := "Dismissed: " + evidence.Label(sg.Kind) + " “" + views.Clip(sg.Text, 8) + "”. It stays hidden for you only."
	switch {
	case group != 0:
		s.site.Flash(c.Request(), msg)
		return c.Redirect(http.StatusSeeOther, paths.SuggestionReviewAt(a.Slug, group, next))
	case web.InPlace(c.Request()):
		return s.renderPanel(c, a, msg)
	}
	s.site.Flash(c.Request(), msg)
	return c.Redirect(http.StatusSeeOther, paths.ArticleWithSuggestions(a.Slug)+"#suggestions")
}

// restoreSuggestions is POST /articles/{slug}/suggestions/restore: the
// viewer's dismissed suggestions in the article show again.
func (s *Server) restoreSuggestions(c echo.Context) error {
	ctx, v := c.Request().Context(), web.Viewer(c.Request())
	a, err := s.db.ArticleBySlug(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	n, err := s.db.RestoreSuggestions(ctx, v, a.ID)
	if err != nil {
		return err
	}
	msg := web.Plural(n, "dismissed suggestion", "dismissed suggestions") + " shown again."
	if web.InPlace(c.Request()) {
		return s.renderPanel(c, a, msg)
	}
	s.site.Flash(c.Request(), msg)
	return c.Redirect(http.StatusSeeOther, paths.ArticleWithSuggestions(a.Slug)+"#suggestions")
}

// groupParam reads an optional group id from a form or query (0: none).
func groupParam(raw string) (int64, error) {
	if raw == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, web.BadRequest("%q is not a group: choose one of yours.", views.Clip(raw, 5))
	}
	return id, nil
}

// ownedGroups are the groups the viewer owns, for the review's choice.
func (s *Server) ownedGroups(ctx context.Context, v db.Viewer) ([]views.Option, error) {
	groups, err := s.db.GroupsOf(ctx, v.UserID)
	if err != nil {
		return nil, err
	}
	var out []views.Option
	for _, g := range groups {
		if g.Role == db.RoleOwner {
			out = append(out, views.Option{Value: strconv.FormatInt(g.ID, 10), Label: g.Name})
		}
	}
	return out, nil
}

// reviewGroup is the group a review is into: the one asked for, which the
// viewer must own, or else the first they own.
func (s *Server) reviewGroup(c echo.Context, raw string) (int64, []views.Option, error) {
	v := web.Viewer(c.Request())
	if err := v.SuggestEvidence(); err != nil {
		return 0, nil, err
	}
	group, err := groupParam(raw)
	if err != nil {
		return 0, nil, err
	}
	owned, err := s.ownedGroups(c.Request().Context(), v)
	if err != nil {
		return 0, nil, err
	}
	if group == 0 {
		if len(owned) == 0 {
			return 0, nil, db.Errorf(db.EFORBIDDEN, "Suggestions are reviewed in bulk into a group by its owners, and you own none: accept them one by one in the reader instead.")
		}
		group, _ = strconv.ParseInt(owned[0].Value, 10, 64)
	}
	return group, owned, v.ReviewSuggestions(group)
}

// suggestionReview is GET /articles/{slug}/suggestions/review?group=ID.
func (s *Server) suggestionReview(c echo.Context) error {
	a, err := s.db.ArticleBySlug(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	group, owned, err := s.reviewGroup(c, c.QueryParam("group"))
	if err != nil {
		return err
	}
	return s.renderReview(c, http.StatusOK, a, group, owned, reviewRefusal{})
}

// reviewRefusal is an accept the review page refused: which suggestion,
// what was typed and why (an accept-all's refusal has no key).
type reviewRefusal struct {
	key     string
	form    views.Form
	message string
}

func (s *Server) renderReview(c echo.Context, status int, a db.Article, group int64, owned []views.Option, refused reviewRefusal) error {
	st, err := s.suggestionsFor(c.Request().Context(), web.Viewer(c.Request()), a, group)
	if err != nil {
		return err
	}
	m := views.SuggestionReviewPage{Article: web.ArticleSummary(a), Groups: owned, Total: len(st.all), Left: len(st.left),
		Accepted: st.accepted, Dismissed: st.dismissed, ReaderHref: paths.ArticleWithSuggestions(a.Slug),
		AcceptAction: paths.AcceptSuggestionInGroup(a.Slug), AcceptAllAction: paths.AcceptAllSuggestions(a.Slug),
		DismissAction: paths.DismissSuggestion(a.Slug)}
	for _, g := range owned {
		if g.Value == strconv.FormatInt(group, 10) {
			m.Group = g
		}
	}
	if refused.key == "" {
		m.Error = refused.message
	}
	text := []rune(a.Body)
	ready, blocked := map[string]int{}, map[string]int{}
	for _, sg := range st.left {
		sv := suggestionView(a.Slug, sg)
		sv.Before, sv.After = contextOf(text, sg.Start, sg.End)
		sv.Form = views.Form{Values: sv.Fields}
		if _, err := db.PrepareEvidence(web.EvidenceInput(sv.Form)); err != nil {
			sv.Problem = "Not ready to accept: " + db.ErrorMessage(err)
			blocked[sg.Kind]++
		} else {
			ready[sg.Kind]++
		}
		if sg.Key == refused.key {
			sv.Form, sv.Problem = refused.form, refused.message
		}
		m.Items = append(m.Items, sv)
	}
	for _, k := range views.SuggestionKinds {
		if ready[k.Value]+blocked[k.Value] > 0 {
			m.AcceptAll = append(m.AcceptAll, views.AcceptAllButton{Kind: k.Value, Label: k.Label, Ready: ready[k.Value], Blocked: blocked[k.Value]})
		}
	}
	return web.Render(c, status, views.SuggestionReview(m))
}

// contextOf is a few words of text on each side of [start, end), cut at
// spaces and within the paragraph.
func contextOf(text []rune, start, end int) (before, after string) {
	from := max(0, start-contextRunes)
	b := string(text[from:start])
	if i := strings.LastIndex(b, "\n"); i >= 0 {
		b = b[i+1:]
	} else if i := strings.IndexByte(b, ' '); i >= 0 && from > 0 {
		b = b[i+1:]
	}
	to := min(len(text), end+contextRunes)
	f := string(text[end:to])
	if i := strings.IndexByte(f, '\n'); i >= 0 {
		f = f[:i]
	} else if i := strings.LastIndexByte(f, ' '); i >= 0 && to < len(text) {
		f = f[:i]
	}
	return b, f
}

// nextLeft is the key of the suggestion left after key in the review into
// group ("" when none): where the review goes on after it. A suggestion
// the group has already (an accept sent twice) is refused.
func (s *Server) nextLeft(ctx context.Context, v db.Viewer, a db.Article, group int64, key string) (string, error) {
	st, err := s.suggestionsFor(ctx, v, a, group)
	if err != nil {
		return "", err
	}
	if st.isDone(key) {
		return "", db.Errorf(db.ECONFLICT, "This suggestion is already an annotation of the group.")
	}
	for i, sg := range st.left {
		if sg.Key == key && i+1 < len(st.left) {
			return st.left[i+1].Key, nil
		}
	}
	return "", nil
}

// acceptInGroup makes a suggestion the group's annotation, with fields ev.
func (s *Server) acceptInGroup(ctx context.Context, v db.Viewer, a db.Article, group int64, sg suggest.Suggestion, ev db.EvidenceInput) error {
	ev.Kind = sg.Kind
	_, err := s.db.AddEvidenceAnnotation(ctx, v, a.ID, db.AnnotationInput{Start: sg.Start, End: sg.End, Exact: sg.Text,
		Visibility: string(db.Shared), Group: strconv.FormatInt(group, 10)}, ev)
	return err
}

// acceptTarget is an accepting form's article and group (the form's
// "group"; noGroup says what is missing when it names none), and the
// groups the viewer owns.
func (s *Server) acceptTarget(c echo.Context, noGroup string) (db.Article, int64, []views.Option, error) {
	a, err := s.db.ArticleBySlug(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return a, 0, nil, err
	}
	if c.FormValue("group") == "" {
		return a, 0, nil, web.BadRequest("%s", noGroup)
	}
	group, owned, err := s.reviewGroup(c, c.FormValue("group"))
	return a, group, owned, err
}

// acceptSuggestion is POST /articles/{slug}/suggestions/accept: one
// suggestion, with its fields as edited, becomes the group's annotation.
func (s *Server) acceptSuggestion(c echo.Context) error {
	ctx, v := c.Request().Context(), web.Viewer(c.Request())
	a, group, owned, err := s.acceptTarget(c, "Say which group to accept the suggestion into.")
	if err != nil {
		return err
	}
	sg, err := s.findSuggestion(ctx, a, c.FormValue("key"))
	if err != nil {
		return err
	}
	next, err := s.nextLeft(ctx, v, a, group, sg.Key)
	if err != nil {
		return err
	}
	f := web.FormOf(c.Request(), web.EvidenceFields...)
	f.Values["kind"] = sg.Kind
	if err := s.acceptInGroup(ctx, v, a, group, sg, web.EvidenceInput(f)); err != nil {
		if db.ErrorCode(err) != db.EINVALID {
			return err
		}
		return s.renderReview(c, web.StatusFor(db.EINVALID), a, group, owned, reviewRefusal{key: sg.Key, form: f, message: db.ErrorMessage(err)})
	}
	s.site.Flash(c.Request(), "Accepted into the group: "+evidence.Label(sg.Kind)+" “"+views.Clip(sg.Text, 8)+"”.")
	return c.Redirect(http.StatusSeeOther, paths.SuggestionReviewAt(a.Slug, group, next))
}

// acceptAllSuggestions is POST /articles/{slug}/suggestions/accept-all:
// every suggestion of a kind left in the review that is ready as it is
// becomes the group's annotation; those that need a field stay.
func (s *Server) acceptAllSuggestions(c echo.Context) error {
	ctx, v := c.Request().Context(), web.Viewer(c.Request())
	a, group, owned, err := s.acceptTarget(c, "Say which group to accept the suggestions into.")
	if err != nil {
		return err
	}
	kind := c.FormValue("kind")
	label := ""
	for _, k := range views.SuggestionKinds {
		if k.Value == kind {
			label = k.Label
		}
	}
	if label == "" {
		return web.BadRequest("Unknown kind %q: choose figure, quote, entity or event.", views.Clip(kind, 5))
	}
	st, err := s.suggestionsFor(ctx, v, a, group)
	if err != nil {
		return err
	}
	accepted, waiting := 0, 0
	for _, sg := range st.left {
		if sg.Kind != kind {
			continue
		}
		ev := web.EvidenceInput(views.Form{Values: sg.Fields()})
		if _, err := db.PrepareEvidence(ev); err != nil {
			waiting++
			continue
		}
		if err := s.acceptInGroup(ctx, v, a, group, sg, ev); err != nil {
			if db.ErrorCode(err) != db.EINVALID {
				return err
			}
			waiting++
			continue
		}
		accepted++
	}
	if accepted == 0 {
		return s.renderReview(c, http.StatusUnprocessableEntity, a, group, owned, reviewRefusal{
			message: "No " + label + " could be accepted as they are: fill in what each one needs, then accept it."})
	}
	msg := "Accepted " + web.Plural(accepted, strings.TrimSuffix(label, "s"), label) + " into the group."
	if waiting > 0 {
		msg += " " + web.Plural(waiting, "more needs", "more need") + " a field first: see below."
	}
	s.site.Flash(c.Request(), msg)
	return c.Redirect(http.StatusSeeOther, paths.SuggestionReview(a.Slug, group))
}

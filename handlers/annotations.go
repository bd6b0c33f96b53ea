package handlers

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/handlers/pagecache"
	"gloss/handlers/paths"
	"gloss/handlers/web"
	"gloss/views"
	"gloss/views/marks"
)

// readerQuery is the reader's filter, from the query string.
type readerQuery struct {
	filter         db.AnnotationFilter
	hideHighlights bool
	author         string
	found          views.Found // ?at=start-end: the passage a link points at
	// suggestions: the Suggestions switch is on; accept: the suggestion
	// whose fields fill the annotate form (handlers/evidence).
	suggestions bool
	accept      string
	// cards: the pages of the margin's cards asked for (margin.go); focus:
	// an annotation whose page must be among them; cardsOnly: only the
	// cards, for the reader's script adding a page (?part=cards).
	cards     cardRange
	focus     int64
	cardsOnly bool
}

func parseReaderQuery(query url.Values) (readerQuery, error) {
	var q readerQuery
	var err error
	switch scope := query.Get("show"); scope {
	case db.ScopeAll, db.ScopeMine, db.ScopeGroups, db.ScopePublic:
		q.filter.Scope = scope
	default:
		return q, web.BadRequest("Unknown filter %q: choose mine, groups or public.", scope)
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
	if a := query.Get("author"); a != "" {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id <= 0 {
			return q, web.BadRequest("Unknown author %q.", a)
		}
		q.filter.AuthorID, q.author = id, a
	}
	q.hideHighlights = query.Get("highlights") == "off"
	switch on := query.Get("suggestions"); on {
	case "", "off", "on":
		q.suggestions, q.accept = on == "on", query.Get("accept")
	default:
		return q, web.BadRequest("Unknown value %q for suggestions: choose on or off.", on)
	}
	if q.cards, err = parseCards(query.Get("cards")); err != nil {
		return q, err
	}
	switch part := query.Get("part"); part {
	case "", "cards":
		q.cardsOnly = part == "cards"
	default:
		return q, web.BadRequest("Unknown part %q of the reader: only cards can be asked for alone.", part)
	}
	if at := query.Get("at"); at != "" {
		// A link from search: out of range or malformed, it points nowhere
		// rather than failing the page.
		var s, e int
		if _, err := fmt.Sscanf(at, "%d-%d", &s, &e); err == nil && s >= 0 && e > s {
			q.found = views.Found{Start: s, End: e}
		}
	}
	return q, nil
}

// article serves the reader page, or the plain source text for slug.txt.
// Asked by the reader's script (inPlace), it sends only the reader's parts,
// which is how the filters update the page without a reload.
func (s *Server) article(c echo.Context) error {
	slug := c.Param("slug")
	if plain, isText := strings.CutSuffix(slug, ".txt"); isText {
		return s.articleText(c, plain)
	}
	if card := c.QueryParam("card"); card != "" {
		return s.toCard(c, slug, card)
	}
	c.Response().Header().Add("Vary", fragmentHeader)
	q, err := parseReaderQuery(c.QueryParams())
	if err != nil {
		return err
	}
	if inPlace(c.Request()) {
		var m views.ReaderPage
		err := s.articleView(c, slug, func(c echo.Context, a db.Article, since int64) (err error) {
			m, err = s.readerModel(c.Request(), a, q, since, views.Form{}, views.Form{})
			return err
		})
		if err != nil {
			return err
		}
		if q.cardsOnly {
			return web.Render(c, http.StatusOK, views.ReaderCards(m, views.ReaderUpdate{Announce: cardsAnnounce(m.Margin)}))
		}
		return web.Render(c, http.StatusOK, views.ReaderParts(m, views.ReaderUpdate{
			Announce: "Showing " + web.Plural(m.Total, "annotation", "annotations") + " and " + web.Plural(len(m.Notes), "note", "notes") + "."}))
	}
	// The whole page, kept when it may be (handlers/pagecache).
	return s.pages.Serve(c, func(keep bool) (pagecache.Rendered, error) {
		var (
			a db.Article
			m views.ReaderPage
		)
		err := s.articleView(c, slug, func(c echo.Context, read db.Article, since int64) (err error) {
			a = read
			m, err = s.readerPage(c, a, q, since, views.Form{}, views.Form{})
			return err
		})
		if err != nil {
			return pagecache.Rendered{}, err
		}
		body, release, err := web.RenderBytes(c.Request().Context(), views.Reader(m))
		if err != nil {
			return pagecache.Rendered{}, err
		}
		// A switch without its count (not computed yet in this process)
		// would keep lacking it: the page is kept once it has it.
		uncounted := m.Suggestions != nil && m.Suggestions.CountURL != ""
		if uncounted && keep {
			s.evidence.WarmSuggestions(a)
		}
		return pagecache.Rendered{Body: body, Article: a.ID, Release: release, Keep: !uncounted}, nil
	})
}

// fragmentHeader and inPlace are web's (FragmentHeader, InPlace): the
// subpackages' panels answer the reader's script too.
const fragmentHeader = web.FragmentHeader

func inPlace(r *http.Request) bool { return web.InPlace(r) }

// changed answers a change to the reader: without JavaScript, a redirect
// (with a flash, when given) to where the change shows; in place, the
// reader's parts as the viewer now sees them, with what to announce and
// where the focus goes. The reader's filters come in the URL's query.
func (s *Server) changed(c echo.Context, slug, redirect, flash string, u views.ReaderUpdate) error {
	fragment := inPlace(c.Request())
	var q readerQuery
	if fragment {
		var err error
		if q, err = parseReaderQuery(c.QueryParams()); err != nil {
			return err
		}
		q.focus = focusID(u.Focus)
	}
	// The reads, after the change: one snapshot that holds it.
	var m views.ReaderPage
	err := s.articleView(c, slug, func(c echo.Context, a db.Article, since int64) (err error) {
		if !fragment {
			if id := focusID(u.Focus); id != 0 {
				// The card may be on a later page of the margin.
				redirect, err = s.cardAddress(c.Request().Context(), web.Viewer(c.Request()), a, id)
			}
			return err
		}
		m, err = s.readerModel(c.Request(), a, q, since, views.Form{}, views.Form{})
		return err
	})
	if err != nil {
		return err
	}
	if !fragment {
		if flash != "" {
			s.site.Flash(c.Request(), flash)
		}
		return c.Redirect(http.StatusSeeOther, redirect)
	}
	if u.Focus != "" {
		if audience, shown := m.AudienceOf(u.Focus); !shown {
			u.Announce += " The filters in force hide it."
			u.Focus = ""
		} else if u.SayAudience {
			u.Announce += " " + audience
		}
	}
	return web.Render(c, http.StatusOK, views.ReaderParts(m, u))
}

// renderReader renders the reader page. The two forms carry what was just
// submitted when a submission is refused.
func (s *Server) renderReader(c echo.Context, status int, a db.Article, q readerQuery, annotate, note views.Form) error {
	m, err := s.readerPage(c, a, q, s.live.Since(c.Request().Context()), annotate, note)
	if err != nil {
		return err
	}
	return web.Render(c, status, views.Reader(m))
}

// readerPage is the reader page's model, suggestions included.
func (s *Server) readerPage(c echo.Context, a db.Article, q readerQuery, since int64, annotate, note views.Form) (views.ReaderPage, error) {
	suggested := ""
	if q.accept != "" && annotate.Values == nil {
		var err error
		if annotate, suggested, err = s.evidence.AcceptForm(c.Request(), a, q.accept); err != nil {
			return views.ReaderPage{}, err
		}
	}
	m, err := s.readerModel(c.Request(), a, q, since, annotate, note)
	if err != nil {
		return m, err
	}
	m.Annotate.Suggested = suggested
	m.Suggestions, err = s.evidence.ReaderSuggestions(c.Request(), a, q.suggestions)
	return m, err
}

// readerModel loads everything the reader shows for the viewer. since is
// the last event heard before any of its reads (the page's live stream
// starts after it, so an event the page may lack is heard again): read
// before the View (articleView).
func (s *Server) readerModel(r *http.Request, a db.Article, q readerQuery, since int64, annotate, note views.Form) (views.ReaderPage, error) {
	ctx := r.Context()
	v := web.Viewer(r)
	var m views.ReaderPage
	notes, err := s.db.ArticleNotes(ctx, v, a.ID, q.filter)
	if err != nil {
		return m, err
	}
	articleTags, err := s.db.ArticleTags(ctx, a.ID)
	if err != nil {
		return m, err
	}
	colors, err := s.db.TagColors(ctx)
	if err != nil {
		return m, err
	}
	tagNames := make([]string, len(articleTags))
	removable := map[string]bool{}
	for i, t := range articleTags {
		tagNames[i] = t.Name
		removable[t.Name] = v.UntagArticle(t.AddedBy) == nil
	}
	m = views.ReaderPage{
		Article: web.ArticleSummary(a), SourceNote: a.SourceNote, Revision: a.Revision, SHA256: a.SHA256,
		ArticleTags: web.TagChips(colors, tagNames), SignedIn: v.SignedIn(),
		CanTagArticle: v.TagArticles() == nil, RemovableTags: removable,
		Filter: views.ReaderFilter{Scope: q.filter.Scope, Tag: q.filter.Tag, Author: q.author, HideHighlights: q.hideHighlights,
			Active: q.filter != (db.AnnotationFilter{}) || q.hideHighlights},
		LiveSince: since,
	}
	mg, err := s.loadMargin(ctx, v, a, q, colors)
	if err != nil {
		return m, err
	}
	m.Cards, m.Orphans, m.Margin, m.Total = mg.cards, mg.orphans, mg.pages, mg.total
	authors := mg.authors
	for _, n := range notes {
		authors[n.AuthorID] = n.AuthorName
		m.Notes = append(m.Notes, noteCard(v, n))
	}
	for id, name := range authors {
		m.Filter.Authors = append(m.Filter.Authors, views.Option{Value: itoa64(id), Label: name})
	}
	sortOptions(m.Filter.Authors)
	highlighted := mg.highlights
	if q.hideHighlights || q.cardsOnly {
		highlighted = nil
	}
	if err := s.addEvidence(ctx, m.Cards, m.Orphans); err != nil {
		return m, err
	}
	furniture := make([]views.Span, len(a.Furniture))
	for i, f := range a.Furniture {
		furniture[i] = views.Span{Start: f.Start, End: f.End}
	}
	m.Blocks = views.TextBlocks(marks.Paragraphs(a.Body), highlighted, q.found, furniture)
	if v.SignedIn() {
		if m.Annotate, err = s.annotateForm(r, annotate); err != nil {
			return m, err
		}
		if m.NoteForm, err = s.annotateForm(r, note); err != nil {
			return m, err
		}
		m.Audiences, m.Audience = toolbarAudiences(m.Annotate)
	}
	return m, nil
}

// toolbarAudiences are who a quick highlight may be for, as the selection
// toolbar offers them, and the default: the annotate form's, which is
// never public.
func toolbarAudiences(f views.AnnotateForm) ([]views.Option, string) {
	opts := []views.Option{{Value: "private", Label: "Private"}}
	for _, g := range f.Groups {
		opts = append(opts, views.Option{Value: "group:" + g.Value, Label: "Group: " + g.Label})
	}
	opts = append(opts, views.Option{Value: "public", Label: "Public"})
	def := "private"
	if f.Form.Value("visibility") == string(db.Shared) {
		def = "group:" + f.Form.Value("group")
	}
	return opts, def
}

func noteCard(v db.Viewer, n db.Note) views.NoteCard {
	return views.NoteCard{ID: n.ID, AuthorName: n.AuthorName, Created: web.When(n.CreatedAt),
		Edited: n.UpdatedAt.After(n.CreatedAt), BodyHTML: n.BodyHTML, Audience: views.AudienceText(string(n.Visibility), n.GroupName),
		CanEdit: v.EditOwn(n.AuthorID) == nil}
}

// annotateForm fills the visibility choice with the person's groups and,
// for a fresh form, their last choice (private at first).
func (s *Server) annotateForm(r *http.Request, f views.Form) (views.AnnotateForm, error) {
	ctx := r.Context()
	v := web.Viewer(r)
	groups, err := s.db.GroupsOf(ctx, v.UserID)
	if err != nil {
		return views.AnnotateForm{}, err
	}
	out := views.AnnotateForm{Form: f}
	for _, g := range groups {
		if g.Role == db.RoleOwner || g.Role == db.RoleMember {
			out.Groups = append(out.Groups, views.Option{Value: itoa64(g.ID), Label: g.Name})
		}
	}
	// The Kind fields' suggestions cost a query per entity: they are in the
	// page only when the fields open with it (a kind chosen, a refused
	// form); otherwise evidence.js fetches them when the fields are opened.
	if kind := out.Form.Value("kind"); kind != "" && kind != db.KindComment {
		if out.EntityNames, out.Counted, err = s.evidence.KindSuggestions(r); err != nil {
			return out, err
		}
	} else {
		out.SuggestURL = paths.Suggestions
	}
	if out.Form.Values == nil {
		values, err := web.DefaultAudience(r, s.db.PreferencesOf)
		if err != nil {
			return out, err
		}
		out.Form = views.Form{Values: values}
	}
	return out, nil
}

// annotationCard is what the viewer sees of an annotation and may do with it.
func annotationCard(v db.Viewer, colors map[string]int, a *db.Annotation) views.AnnotationCard {
	c := views.AnnotationCard{
		ID: a.ID, Reply: a.ParentID != 0, ArticleSlug: a.ArticleSlug, ArticleName: a.ArticleTitle,
		Quote: a.Selector.Exact, Status: string(a.Anchor.Status), Start: a.Anchor.Start, End: a.Anchor.End,
		AuthorName: a.AuthorName, Created: web.When(a.CreatedAt), Edited: a.UpdatedAt.After(a.CreatedAt),
		BodyHTML: a.BodyHTML, Tags: web.TagChips(colors, a.Tags), Visibility: string(a.Visibility),
		Audience: views.AudienceText(string(a.Visibility), a.GroupName), Hidden: a.Hidden, Highlight: a.Highlight(),
		CanEdit:     v.EditOwn(a.AuthorID) == nil,
		CanReply:    v.Write(a.Visibility, a.GroupID) == nil,
		CanModerate: v.Moderate(a.Visibility, a.GroupID) == nil,
	}
	for _, r := range a.Replies {
		c.Replies = append(c.Replies, annotationCard(v, colors, r))
	}
	return c
}

// createAnnotation is POST /articles/{slug}/annotations, used by the
// toolbar (with offsets) and by the no-JavaScript form (quote only).
func (s *Server) createAnnotation(c echo.Context) error {
	ctx := c.Request().Context()
	a, err := s.db.ArticleBySlug(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	if err := web.Viewer(c.Request()).RequireSignIn(); err != nil {
		return err
	}
	f := web.FormOf(c.Request(), append([]string{"start", "end", "exact", "prefix", "suffix", "body", "tags", "visibility", "group"}, web.EvidenceFields...)...)
	// A plain comment (no kind) goes straight to CreateAnnotation (evidence.go).
	id, err := s.db.AddEvidenceAnnotation(ctx, web.Viewer(c.Request()), a.ID, db.AnnotationInput{
		Start: web.FormInt(c.Request(), "start"), End: web.FormInt(c.Request(), "end"),
		Exact: f.Value("exact"), Prefix: f.Value("prefix"), Suffix: f.Value("suffix"),
		Body: f.Value("body"), Tags: f.Value("tags"), Visibility: f.Value("visibility"), Group: f.Value("group"),
	}, web.EvidenceInput(f))
	if err != nil {
		if db.ErrorCode(err) == db.EINTERNAL || inPlace(c.Request()) {
			return err
		}
		web.Refused(&f, err)
		return s.renderReader(c, web.StatusFor(db.ErrorCode(err)), a, readerQuery{}, f, views.Form{})
	}
	what := "Comment saved."
	if strings.TrimSpace(f.Value("body")) == "" {
		what = "Highlight saved."
	}
	return s.changed(c, a.Slug, paths.AnnotationInArticle(a.Slug, id), "", views.ReaderUpdate{
		Announce: what, Focus: "a-" + itoa64(id), SayAudience: true})
}

func (s *Server) editAnnotationPage(c echo.Context, status int, a db.Annotation, f views.Form) error {
	form, err := s.annotateForm(c.Request(), f)
	if err != nil {
		return err
	}
	m := views.EditAnnotationPage{Card: annotationCard(web.Viewer(c.Request()), nil, &a), Form: form, IsReply: a.ParentID != 0, Inline: inPlace(c.Request())}
	if m.Inline {
		return web.Render(c, status, views.EditAnnotationForm(m))
	}
	return web.Render(c, status, views.EditAnnotation(m))
}

func (s *Server) editAnnotation(c echo.Context) error {
	a, err := web.Load(c.Request(), c.Param("id"), s.db.AnnotationByID)
	if err != nil {
		return err
	}
	if err := web.Viewer(c.Request()).EditOwn(a.AuthorID); err != nil {
		return err
	}
	f := views.Form{Values: map[string]string{"body": a.Body, "tags": strings.Join(a.Tags, ", "),
		"visibility": string(a.Visibility), "group": itoa64(a.GroupID), "kind": db.KindComment}}
	if err := s.db.AttachEvidence(c.Request().Context(), &a); err != nil {
		return err
	}
	if a.Evidence != nil {
		maps.Copy(f.Values, web.EvidenceValues(*a.Evidence))
	}
	return s.editAnnotationPage(c, http.StatusOK, a, f)
}

func (s *Server) updateAnnotation(c echo.Context) error {
	a, err := web.Load(c.Request(), c.Param("id"), s.db.AnnotationByID)
	if err != nil {
		return err
	}
	f := web.FormOf(c.Request(), append([]string{"body", "tags", "visibility", "group"}, web.EvidenceFields...)...)
	in := db.AnnotationUpdate{Body: f.Value("body"), Tags: f.Value("tags"), Visibility: f.Value("visibility"), Group: f.Value("group")}
	// A form without a kind (a script written before kinds) leaves it be.
	if form, err := c.FormParams(); err == nil && form.Has("kind") {
		ev := web.EvidenceInput(f)
		in.Evidence = &ev
	}
	up, err := s.db.UpdateAnnotation(c.Request().Context(), web.Viewer(c.Request()), a.ID, in)
	if err != nil {
		if code := db.ErrorCode(err); code == db.EINVALID && !inPlace(c.Request()) {
			web.Refused(&f, err)
			return s.editAnnotationPage(c, web.StatusFor(code), a, f)
		}
		return err
	}
	msg := "Annotation saved. " + views.AudienceText(string(up.Visibility), up.GroupName)
	return s.changed(c, up.ArticleSlug, paths.AnnotationInArticle(up.ArticleSlug, up.ID), msg, views.ReaderUpdate{Announce: msg, Focus: "a-" + itoa64(up.ID)})
}

func (s *Server) deleteAnnotation(c echo.Context) error {
	id, err := web.ID(c.Param("id"))
	if err != nil {
		return err
	}
	a, err := s.db.DeleteAnnotation(c.Request().Context(), web.Viewer(c.Request()), id)
	if err != nil {
		return err
	}
	return s.changed(c, a.ArticleSlug, paths.Article(a.ArticleSlug), "Annotation deleted.", views.ReaderUpdate{Announce: "Annotation deleted."})
}

func (s *Server) replyAnnotation(c echo.Context) error {
	id, err := web.ID(c.Param("id"))
	if err != nil {
		return err
	}
	r, err := s.db.CreateReply(c.Request().Context(), web.Viewer(c.Request()), id, c.FormValue("body"))
	if err != nil {
		return err
	}
	return s.changed(c, r.ArticleSlug, paths.AnnotationInArticle(r.ArticleSlug, r.ID), "", views.ReaderUpdate{
		Announce: "Reply posted. " + views.AudienceText(string(r.Visibility), r.GroupName), Focus: "a-" + itoa64(r.ID)})
}

func (s *Server) hideAnnotation(c echo.Context) error   { return s.moderate(c, true) }
func (s *Server) unhideAnnotation(c echo.Context) error { return s.moderate(c, false) }

func (s *Server) moderate(c echo.Context, hidden bool) error {
	id, err := web.ID(c.Param("id"))
	if err != nil {
		return err
	}
	a, err := s.db.SetHidden(c.Request().Context(), web.Viewer(c.Request()), id, hidden)
	if err != nil {
		return err
	}
	msg := "Annotation shown to the group again."
	if hidden {
		msg = "Annotation hidden from the group. Its author and the group's owners still see it."
	}
	return s.changed(c, a.ArticleSlug, paths.AnnotationInArticle(a.ArticleSlug, a.ID), msg, views.ReaderUpdate{Announce: msg, Focus: "a-" + itoa64(a.ID)})
}

// articleView reads slug's article, then what fn reads, in one View
// (view). since, for the reader's live stream (readerModel), is the last
// event heard before the View began: its snapshot, taken at its first
// read, holds at least that much.
func (s *Server) articleView(c echo.Context, slug string, fn func(c echo.Context, a db.Article, since int64) error) error {
	since := s.live.Since(c.Request().Context())
	return s.view(c, func(c echo.Context) error {
		a, err := s.db.ArticleBySlug(c.Request().Context(), slug)
		if err != nil {
			return err
		}
		return fn(c, a, since)
	})
}

// view runs fn with the request's reads in one read transaction of the
// store's (db.Lifecycle.View): the page waits for a read connection once
// and reads one snapshot. What fn renders after the View has returned
// runs outside it, on the request as it was.
func (s *Server) view(c echo.Context, fn func(c echo.Context) error) error {
	r := c.Request()
	defer c.SetRequest(r)
	return s.db.View(r.Context(), func(ctx context.Context) error {
		c.SetRequest(r.WithContext(ctx))
		return fn(c)
	})
}

// Package search serves the search page: one box across article text,
// annotations, replies and notes, with filters (the engine is the store's,
// db/sqlstore/search*.go; the syntax is db/searchquery).
package search

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/db/evidence"
	"gloss/handlers/paths"
	"gloss/handlers/web"
	"gloss/views"
)

// Store is what the search page asks of the store.
type Store interface {
	db.Searching
	db.Articles      // the publications to filter by
	db.Groups        // the viewer's groups to filter by
	db.EvidenceStore // the kinds of the annotations found
}

// Server holds what the search page uses.
type Server struct{ db Store }

// New makes the search page's handler over store.
func New(store Store) *Server { return &Server{db: store} }

// Routes registers the search page.
func (s *Server) Routes(e *echo.Echo) { e.GET("/search", s.search) }

// resultsPerPage is how many search results a page shows.
const resultsPerPage = 20

var kindLabels = map[string]string{"article": "Article text", "annotation": "Annotations", "reply": "Replies", "note": "Notes"}

// search is GET /search: one box across article text, annotations,
// replies and notes, grouped by kind, with filters. Any query is fine; only
// a malformed filter is refused (422 with the form kept).
func (s *Server) search(c echo.Context) error {
	ctx := c.Request().Context()
	v := web.Viewer(c.Request())
	f := web.FormOf(c.Request(), "kind", "publication", "article", "from", "to", "tag", "author", "group", "visibility")
	q := strings.TrimSpace(c.QueryParam("q"))
	m := views.SearchPage{Query: q, Form: f}
	pubs, err := s.db.Publications(ctx)
	if err != nil {
		return err
	}
	m.Publications = pubs
	if v.SignedIn() {
		groups, err := s.db.GroupsOf(ctx, v.UserID)
		if err != nil {
			return err
		}
		for _, g := range groups {
			m.Groups = append(m.Groups, views.Option{Value: strconv.FormatInt(g.ID, 10), Label: g.Name})
		}
	}
	if q == "" {
		return web.OK(c, views.Search(m))
	}
	filter := db.SearchFilter{Kind: f.Value("kind"), Publication: f.Value("publication"), Article: f.Value("article"),
		From: f.Value("from"), To: f.Value("to"), Tag: f.Value("tag"), Visibility: f.Value("visibility")}
	for name, dst := range map[string]*int64{"author": &filter.AuthorID, "group": &filter.GroupID} {
		if raw := f.Value(name); raw != "" {
			n, err := strconv.ParseInt(raw, 10, 64)
			if err != nil || n <= 0 {
				m.Error = fmt.Sprintf("The %s filter %q is not valid.", name, raw)
				return web.Render(c, http.StatusUnprocessableEntity, views.Search(m))
			}
			*dst = n
		}
	}
	page, _ := strconv.Atoi(c.QueryParam("page")) // pages count from 1
	page = max(page, 1)
	res, err := s.db.Search(ctx, v, q, filter, page, resultsPerPage)
	if err != nil {
		if db.ErrorCode(err) == db.EINVALID {
			m.Error = db.ErrorMessage(err)
			return web.Render(c, http.StatusUnprocessableEntity, views.Search(m))
		}
		return err
	}
	m.Searched, m.Total, m.TotalMore, m.Page = true, res.Total, res.TotalCapped, res.Page
	m.CountCap = db.SearchCountCap
	m.Ignored = res.Query.Ignored()
	link := func(kind string, page int) string {
		vals := c.QueryParams()
		u := url.Values{}
		for k, vs := range vals {
			u[k] = vs
		}
		u.Del("page")
		if kind != "-" {
			u.Set("kind", kind)
			if kind == "" {
				u.Del("kind")
			}
		}
		if page > 1 {
			u.Set("page", strconv.Itoa(page))
		}
		return paths.SearchFor(u)
	}
	all, allMore := 0, false
	for _, k := range []string{"article", "annotation", "reply", "note"} {
		all += res.CountsByKind[k]
		allMore = allMore || res.CappedKinds[k]
	}
	m.Kinds = append(m.Kinds, views.KindCount{Kind: "", Label: "All", N: all, More: allMore, Href: link("", 1), Active: filter.Kind == ""})
	for _, k := range []string{"article", "annotation", "reply", "note"} {
		if n := res.CountsByKind[k]; n > 0 || filter.Kind == k {
			m.Kinds = append(m.Kinds, views.KindCount{Kind: k, Label: kindLabels[k], N: n, More: res.CappedKinds[k], Href: link(k, 1), Active: filter.Kind == k})
		}
	}
	m.Pager = web.Pager("Result pages", res.Page, min(res.Pages(), db.MaxSearchPage), func(n int) string { return link("-", n) })
	if res.Suggestion != "" {
		// The same search, filters and all, with the suggested words.
		vals := maps.Clone(c.QueryParams())
		vals.Del("page")
		vals.Set("q", res.Suggestion)
		m.Suggestion, m.SuggestionHref = res.Suggestion, paths.SearchFor(vals)
	}
	var ids []int64
	for _, h := range res.Hits {
		m.Hits = append(m.Hits, searchHit(h))
		if h.Kind == "annotation" {
			ids = append(ids, h.ID)
		}
	}
	// An annotation with a kind says its fields, as everywhere (db/evidence).
	evs, err := s.db.EvidenceOf(ctx, ids)
	if err != nil {
		return err
	}
	for i, h := range res.Hits {
		if ev, ok := evs[h.ID]; ok && h.Kind == "annotation" {
			m.Hits[i].EvidenceKind, m.Hits[i].EvidenceText = ev.Kind, evidence.Detail(ev.Fields())
		}
	}
	return web.OK(c, views.Search(m))
}

// searchHit links a result to the exact passage: ?at= highlights it and
// #found scrolls to it, with or without JavaScript.
func searchHit(h db.SearchHit) views.SearchHit {
	out := views.SearchHit{Kind: h.Kind, KindLabel: kindLabels[h.Kind], ArticleTitle: h.ArticleTitle}
	switch {
	case h.Kind == "note":
		out.Href = paths.NoteInArticle(h.ArticleSlug, h.ID)
	case h.Start >= 0 && h.End > h.Start:
		out.Href = paths.ArticleAt(h.ArticleSlug, h.Start, h.End)
	case h.ID != 0:
		out.Href = paths.CardLink(h.ArticleSlug, h.ID)
	default:
		out.Href = paths.Article(h.ArticleSlug)
	}
	for _, p := range h.Snippet {
		out.Snippet = append(out.Snippet, views.SnippetPart{Text: p.Text, Match: p.Match})
	}
	var meta []string
	for _, s := range []string{h.Publication, h.PublishedOn} {
		if s != "" {
			meta = append(meta, s)
		}
	}
	if h.Kind != "article" {
		meta = append(meta, "by "+h.AuthorName, strings.TrimSuffix(views.AudienceText(string(h.Visibility), h.GroupName), "."))
		if h.Quote != "" {
			meta = append(meta, "on “"+h.Quote+"”")
		}
	}
	out.Meta = strings.Join(meta, " · ")
	switch {
	case h.Kind == "annotation" || h.Kind == "reply":
		out.CollectHref = paths.CollectAnnotation(h.ID)
	case h.Kind == "article" && h.Start >= 0 && h.End > h.Start:
		out.CollectHref = paths.CollectPassage(h.ArticleSlug, h.Start, h.End)
	}
	return out
}

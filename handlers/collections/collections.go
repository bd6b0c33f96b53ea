// Package collections serves curated collections for educators: making
// and editing them, share links, presenting and printing them, adding to
// them from the reader, search and the evidence views, and a group's class
// overview.
package collections

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/db/anchor"
	"gloss/db/evidence"
	"gloss/handlers/pagecache"
	"gloss/handlers/paths"
	"gloss/handlers/web"
	"gloss/views"
)

// Server holds what the collections' pages use.
type Server struct {
	db    db.Store
	site  web.Site
	pages *pagecache.Cache // keeps share links' pages whole; nil: none
}

// New makes the collections' handlers over store; pages keeps share
// links' pages (nil: none).
func New(store db.Store, site web.Site, pages *pagecache.Cache) *Server {
	return &Server{db: store, site: site, pages: pages}
}

// Routes registers curated collections, sharing and presenting.
func (s *Server) Routes(e *echo.Echo) {
	e.GET("/collections", s.collections)
	e.POST("/collections", s.createCollection)
	e.GET("/collections/add", s.addToCollectionForm)
	e.POST("/collections/add", s.addToCollection)
	e.GET("/collections/:id", s.collection)
	e.GET("/collections/:id/edit", s.editCollection)
	e.POST("/collections/:id/edit", s.updateCollection)
	e.POST("/collections/:id/delete", s.deleteCollection)
	e.POST("/collections/:id/duplicate", s.duplicateCollection)
	e.POST("/collections/:id/items", s.addCollectionItem)
	e.POST("/collections/:id/items/:item/edit", s.updateCollectionItem)
	e.POST("/collections/:id/items/:item/move", s.moveCollectionItem)
	e.POST("/collections/:id/items/:item/remove", s.removeCollectionItem)
	e.POST("/collections/:id/order", s.reorderCollection)
	e.POST("/collections/:id/share", s.shareCollection)
	e.POST("/collections/:id/share/revoke", s.unshareCollection)
	e.GET("/collections/:id/present", s.presentFirst)
	e.GET("/collections/:id/present/:n", s.presentCollection)
	e.GET("/collections/:id/print", s.printCollection)

	// Share links: whoever holds one reads the collection, signed out too.
	// The token is in the address, so no page under it may send it on.
	shared := e.Group("/s", shareHeaders)
	shared.GET("/:token", s.sharedCollection)
	shared.GET("/:token/present", s.presentFirst)
	shared.GET("/:token/present/:n", s.presentShared)
	shared.GET("/:token/print", s.printShared)

	e.GET("/groups/:id/overview", s.groupOverview)
	e.GET("/groups/:id/overview.csv", s.groupOverviewCSV)
}

// shareHeaders keeps a share link's token to itself: no Referer leaves
// its pages, no shared cache keeps them, no search engine lists them.
func shareHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Robots-Tag", "noindex, nofollow")
		return next(c)
	}
}

func (s *Server) collections(c echo.Context) error {
	m, err := s.collectionsPage(c.Request(), views.Form{})
	if err != nil {
		return err
	}
	return web.OK(c, views.Collections(m))
}

// collectionsPage lists the collections the viewer may see; f is the
// form for a new one.
func (s *Server) collectionsPage(r *http.Request, f views.Form) (views.CollectionsPage, error) {
	ctx := r.Context()
	v := web.Viewer(r)
	m := views.CollectionsPage{Form: f}
	list, err := s.db.Collections(ctx, v)
	if err != nil {
		return m, err
	}
	for _, col := range list {
		sum := views.CollectionSummary{ID: col.ID, Title: col.Title, Owner: col.OwnerName, Group: col.GroupName,
			Items: col.ItemCount, Shared: col.Shared, Updated: web.Day(col.UpdatedAt)}
		if col.OwnerID == v.UserID {
			m.Mine = append(m.Mine, sum)
		} else {
			m.Others = append(m.Others, sum)
		}
	}
	groups, err := s.db.GroupsOf(ctx, v.UserID)
	if err != nil {
		return m, err
	}
	for _, g := range groups {
		if v.PlaceCollection(g.ID) == nil {
			m.Groups = append(m.Groups, views.Option{Value: strconv.FormatInt(g.ID, 10), Label: g.Name})
		}
		m.Overviews = append(m.Overviews, views.GroupRef{ID: g.ID, Name: g.Name})
	}
	return m, nil
}

func (s *Server) createCollection(c echo.Context) error {
	if err := web.Viewer(c.Request()).RequireSignIn(); err != nil {
		return err
	}
	f := web.FormOf(c.Request(), "title", "group")
	id, err := s.db.CreateCollection(c.Request().Context(), web.Viewer(c.Request()), db.CollectionInput{Title: f.Value("title"), Group: f.Value("group")})
	if err != nil {
		if db.ErrorCode(err) == db.EINTERNAL {
			return err
		}
		f.Error = db.ErrorMessage(err)
		m, lerr := s.collectionsPage(c.Request(), f)
		if lerr != nil {
			return lerr
		}
		return web.Render(c, web.StatusFor(db.ErrorCode(err)), views.Collections(m))
	}
	s.site.Flash(c.Request(), "Collection created. Add articles, passages and commentary below.")
	return c.Redirect(http.StatusSeeOther, paths.CollectionEdit(id))
}

func (s *Server) collection(c echo.Context) error {
	col, err := web.Load(c.Request(), c.Param("id"), s.db.CollectionByID)
	if err != nil {
		return err
	}
	v := web.Viewer(c.Request())
	view, err := s.collectionView(c.Request(), col, paths.Collection(col.ID), false)
	if err != nil {
		return err
	}
	m := views.CollectionPage{View: view, CanDuplicate: v.SignedIn()}
	if col.Shared && m.View.CanEdit {
		m.SharedSince = web.When(col.SharedAt)
	}
	return web.OK(c, views.CollectionRead(m))
}

// collectionView is what a collection shows: to a viewer on its page, or
// to anyone through its share link (shared).
func (s *Server) collectionView(r *http.Request, col db.Collection, base string, shared bool) (views.CollectionView, error) {
	v := web.Viewer(r)
	out := views.CollectionView{ID: col.ID, Title: col.Title, IntroHTML: col.IntroHTML, Base: base, Shared: shared}
	if !shared {
		out.Byline = "A collection by " + col.OwnerName
		if col.GroupName != "" {
			out.Byline += " for " + col.GroupName
		}
		out.Audience = collectionAudience(col)
		out.CanEdit = v.EditCollection(col.Access()) == nil
	}
	names := newNamer(col.Names)
	cited := map[int64]bool{}
	site := s.site.BaseIRI(r)
	colors, err := s.db.TagColors(r.Context())
	if err != nil {
		return out, err
	}
	for _, it := range col.Items {
		out.Items = append(out.Items, itemView(it, names, shared, colors))
		if id := it.Source.ArticleID; id != 0 && !cited[id] {
			cited[id] = true
			src := sourceView(it.Source)
			src.URL = site + src.Href
			out.Sources = append(out.Sources, src)
		}
	}
	return out, nil
}

func collectionAudience(col db.Collection) string {
	if col.Example {
		return "An example from Gloss's starter set: everyone signed in can read it, and duplicate it to make a copy of their own to change."
	}
	if col.GroupID == 0 {
		return "Only " + col.OwnerName + " can see this collection."
	}
	return "Members of " + col.GroupName + " can read this collection; " + col.OwnerName + " and the owners of " + col.GroupName + " can change it."
}

func sourceView(src db.Source) views.SourceView {
	out := views.SourceView{Title: src.Title, Publication: src.Publication, Authors: views.Authors(src.Authors),
		DateISO: src.PublishedOn, Dek: src.Dek, Href: paths.Article(src.Slug)}
	if t, err := time.Parse(time.DateOnly, src.PublishedOn); err == nil {
		out.DateText = t.Format("2 January 2006")
	}
	return out
}

func itemView(it *db.CollectionItem, names *namer, shared bool, colors map[string]int) views.ItemView {
	out := views.ItemView{ID: it.ID, Num: it.Position, Kind: string(it.Kind), Heading: it.Heading, CommentaryHTML: it.CommentaryHTML}
	if it.Kind != db.ItemText {
		out.Source = sourceView(it.Source)
	}
	if it.Kind == db.ItemPassage {
		p := views.PassageView{Text: it.Current, Status: string(it.Anchor.Status), Revision: it.RevisionNumber, Current: it.CurrentRevision}
		switch it.Anchor.Status {
		case anchor.Approximate, anchor.Orphaned:
			p.Original = it.Selector.Exact
		}
		if it.Anchor.Status == anchor.Orphaned {
			p.Href = out.Source.Href
		} else {
			p.Href = paths.ArticleAt(it.Source.Slug, it.Anchor.Start, it.Anchor.End)
		}
		out.Passage = p
	}
	for k, a := range it.Annotations {
		ca := chosenView(a, names, shared, colors)
		ca.Anchor = fmt.Sprintf("item-%d-note-%d", it.Position, k+1)
		if a.ParentID == 0 && a.Selector.Exact != it.Selector.Exact {
			ca.Quote = views.Clip(a.Selector.Exact, 12)
		}
		out.Annotations = append(out.Annotations, ca)
	}
	return out
}

// chosenView is an annotation as a collection shows it: named as the
// collection names people, and on a share link without anything that
// leads into Gloss (its id, its place in the reader, its audience).
func chosenView(a *db.Annotation, names *namer, shared bool, colors map[string]int) views.ChosenAnnotation {
	out := views.ChosenAnnotation{Author: names.name(a.AuthorID, a.AuthorName), Date: web.Day(a.CreatedAt),
		DateISO: a.CreatedAt.UTC().Format(time.DateOnly), BodyHTML: a.BodyHTML, Highlight: a.Highlight(), Reply: a.ParentID != 0,
		Tags: web.TagChips(colors, a.Tags)}
	if a.Evidence != nil {
		out.Kind, out.KindText = a.Evidence.Kind, evidence.Detail(a.Evidence.Fields())
	}
	if !shared {
		out.Private = a.Visibility == db.Private
		out.Hidden = a.Hidden
		out.Href = paths.CardLink(a.ArticleSlug, a.ID)
	}
	return out
}

// namer names annotators as a collection chooses: in full, by initials, or
// as "Participant n", numbered in order of first appearance.
type namer struct {
	style db.NameStyle
	seen  map[int64]string
}

func newNamer(style db.NameStyle) *namer { return &namer{style: style, seen: map[int64]string{}} }

func (n *namer) name(userID int64, full string) string {
	switch n.style {
	case db.NamesInitials:
		return initials(full)
	case db.NamesHidden:
		if p, ok := n.seen[userID]; ok {
			return p
		}
		p := "Participant " + strconv.Itoa(len(n.seen)+1)
		n.seen[userID] = p
		return p
	}
	return full
}

// initials turns "Ada King Lovelace" into "A. K. L.".
func initials(name string) string {
	var parts []string
	for _, w := range strings.Fields(name) {
		for _, r := range w {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				parts = append(parts, string(unicode.ToUpper(r))+".")
				break
			}
		}
	}
	if len(parts) == 0 {
		return "?"
	}
	return strings.Join(parts, " ")
}

// The editor.

func (s *Server) editCollection(c echo.Context) error {
	col, err := web.Load(c.Request(), c.Param("id"), s.db.CollectionByID)
	if err != nil {
		return err
	}
	if err := web.Viewer(c.Request()).EditCollection(col.Access()); err != nil {
		return err
	}
	return s.renderEdit(c, http.StatusOK, col, views.CollectionEditPage{})
}

// editorPage is what the editor shows; m carries a refused form or a new link.
func (s *Server) editorPage(r *http.Request, col db.Collection, m views.CollectionEditPage) (views.CollectionEditPage, error) {
	ctx := r.Context()
	v := web.Viewer(r)
	base := paths.Collection(col.ID)
	var err error
	if m.View, err = s.collectionView(r, col, base, false); err != nil {
		return m, err
	}
	if m.Meta.Values == nil {
		group := ""
		if col.GroupID != 0 {
			group = strconv.FormatInt(col.GroupID, 10)
		}
		m.Meta = views.Form{Values: map[string]string{"title": col.Title, "intro": col.Intro, "group": group, "names": string(col.Names)}}
	}
	m.CanMove = v.UserID == col.OwnerID
	m.CanDelete = m.CanMove
	if m.CanMove {
		groups, err := s.db.GroupsOf(ctx, v.UserID)
		if err != nil {
			return m, err
		}
		for _, g := range groups {
			if v.PlaceCollection(g.ID) == nil {
				m.Groups = append(m.Groups, views.Option{Value: strconv.FormatInt(g.ID, 10), Label: g.Name})
			}
		}
	}
	// The article forms list the library, unless it is too large to list:
	// then they take an article's address.
	n, err := s.db.ArticleCount(ctx)
	if err != nil {
		return m, err
	}
	if n <= articlePickerMax {
		arts, err := s.db.Articles(ctx, db.ArticleFilter{Sort: db.SortTitle})
		if err != nil {
			return m, err
		}
		m.Articles = make([]views.Option, 0, len(arts))
		for _, a := range arts {
			m.Articles = append(m.Articles, views.Option{Value: a.Slug, Label: a.Title})
		}
	}
	onArticle := map[int64][]*db.Annotation{}
	for i, it := range col.Items {
		e := views.EditItem{ItemView: m.View.Items[i], First: i == 0, Last: i == len(col.Items)-1, Heading: it.Heading, Commentary: it.Commentary}
		if it.Kind == db.ItemPassage {
			list, seen := onArticle[it.Source.ArticleID]
			if !seen {
				if list, err = s.db.ArticleAnnotations(ctx, v, it.Source.ArticleID, db.AnnotationFilter{}); err != nil {
					return m, err
				}
				onArticle[it.Source.ArticleID] = list
			}
			e.Candidates = candidates(it, list)
		}
		m.Items = append(m.Items, e)
	}
	if col.Shared {
		m.SharedSince = web.When(col.SharedAt)
	}
	if col.GroupID != 0 {
		m.GroupName = col.GroupName
		publisher := v.UserID
		if col.Shared {
			publisher = col.SharedBy
		}
		roles, err := s.db.Memberships(ctx, publisher)
		if err != nil {
			return m, err
		}
		m.GroupOwned = roles[col.GroupID] == db.RoleOwner
	}
	return m, nil
}

// candidates are the annotations (with their replies) the editor may show
// under a passage: those on its words, and those chosen already.
func candidates(it *db.CollectionItem, onArticle []*db.Annotation) []views.Candidate {
	chosen := map[int64]bool{}
	for _, a := range it.Annotations {
		chosen[a.ID] = true
	}
	var out []views.Candidate
	var add func(a *db.Annotation)
	add = func(a *db.Annotation) {
		text := views.Clip(strings.TrimSpace(a.Body), 24)
		if text == "" {
			text = "Highlight"
		}
		out = append(out, views.Candidate{ID: a.ID, Author: a.AuthorName, Date: web.Day(a.CreatedAt), Text: text,
			Reply: a.ParentID != 0, Chosen: chosen[a.ID], Note: views.AudienceText(string(a.Visibility), a.GroupName)})
		for _, r := range a.Replies {
			add(r)
		}
	}
	p := it.Anchor
	for _, a := range onArticle {
		overlaps := p.Status != anchor.Orphaned && a.Anchor.Status != anchor.Orphaned && a.Anchor.Start < p.End && p.Start < a.Anchor.End
		if overlaps || chosenInThread(a, chosen) {
			add(a)
		}
	}
	return out
}

func chosenInThread(a *db.Annotation, chosen map[int64]bool) bool {
	if chosen[a.ID] {
		return true
	}
	for _, r := range a.Replies {
		if chosenInThread(r, chosen) {
			return true
		}
	}
	return false
}

// renderEdit shows the editor with status.
func (s *Server) renderEdit(c echo.Context, status int, col db.Collection, m views.CollectionEditPage) error {
	m, err := s.editorPage(c.Request(), col, m)
	if err != nil {
		return err
	}
	return web.Render(c, status, views.CollectionEdit(m))
}

// refuseEdit re-renders the editor with a refused form (which form is
// what m carries: meta or add), or passes other errors on.
func (s *Server) refuseEdit(c echo.Context, id int64, err error, m views.CollectionEditPage) error {
	code := db.ErrorCode(err)
	switch code {
	case db.EINTERNAL, db.ENOTFOUND, db.EUNAUTHORIZED, db.EFORBIDDEN:
		return err
	}
	col, lerr := s.db.CollectionByID(c.Request().Context(), web.Viewer(c.Request()), id)
	if lerr != nil {
		return lerr
	}
	if m.Meta.Values != nil {
		m.Meta.Error = db.ErrorMessage(err)
	} else {
		m.AddForm.Error = db.ErrorMessage(err)
	}
	return s.renderEdit(c, web.StatusFor(code), col, m)
}

func (s *Server) updateCollection(c echo.Context) error {
	id, err := web.ID(c.Param("id"))
	if err != nil {
		return err
	}
	f := web.FormOf(c.Request(), "title", "intro", "group", "names")
	err = s.db.UpdateCollection(c.Request().Context(), web.Viewer(c.Request()), id, db.CollectionInput{
		Title: f.Value("title"), Intro: f.Value("intro"), Group: f.Value("group"), Names: f.Value("names")})
	if err != nil {
		return s.refuseEdit(c, id, err, views.CollectionEditPage{Meta: f})
	}
	s.site.Flash(c.Request(), "Saved.")
	return c.Redirect(http.StatusSeeOther, paths.CollectionEdit(id))
}

func (s *Server) deleteCollection(c echo.Context) error {
	id, err := web.ID(c.Param("id"))
	if err != nil {
		return err
	}
	col, err := s.db.DeleteCollection(c.Request().Context(), web.Viewer(c.Request()), id)
	if err != nil {
		return err
	}
	s.site.Flash(c.Request(), "Collection “"+col.Title+"” deleted.")
	return c.Redirect(http.StatusSeeOther, paths.Collections)
}

func (s *Server) duplicateCollection(c echo.Context) error {
	id, err := web.ID(c.Param("id"))
	if err != nil {
		return err
	}
	copyID, err := s.db.DuplicateCollection(c.Request().Context(), web.Viewer(c.Request()), id)
	if err != nil {
		return err
	}
	s.site.Flash(c.Request(), "This is your copy. Change it as you like: the original stays as it was.")
	return c.Redirect(http.StatusSeeOther, paths.CollectionEdit(copyID))
}

// articlePickerMax is the largest library the collection editor lists in
// a menu (two menus of 10,000 articles made a page of 1.6 MB).
const articlePickerMax = 500

// articleSlug reads an article named by its slug or its address
// ("/articles/slug", or a whole URL, with a fragment or not).
func articleSlug(s string) string {
	s = strings.TrimSpace(s)
	if u, err := url.Parse(s); err == nil {
		if rest, ok := strings.CutPrefix(u.Path, "/articles/"); ok {
			s, _, _ = strings.Cut(rest, "/")
		}
	}
	return s
}

func (s *Server) addCollectionItem(c echo.Context) error {
	id, err := web.ID(c.Param("id"))
	if err != nil {
		return err
	}
	f := web.FormOf(c.Request(), "kind", "article", "exact", "heading", "commentary")
	added, err := s.db.AddItem(c.Request().Context(), web.Viewer(c.Request()), id, db.ItemInput{
		Kind: f.Value("kind"), ArticleSlug: articleSlug(f.Value("article")), Start: -1, End: -1, Exact: f.Value("exact"),
		Heading: f.Value("heading"), Commentary: f.Value("commentary")})
	if err != nil {
		return s.refuseEdit(c, id, err, views.CollectionEditPage{AddForm: f})
	}
	s.site.Flash(c.Request(), "Added at the end of the collection.")
	return c.Redirect(http.StatusSeeOther, paths.CollectionItemInEditor(id, added.ID))
}

// itemParams parses the collection and item ids in the path.
func itemParams(rawID, rawItem string) (int64, int64, error) {
	id, err := web.ID(rawID)
	if err != nil {
		return 0, 0, err
	}
	item, err := web.ID(rawItem)
	return id, item, err
}

func (s *Server) updateCollectionItem(c echo.Context) error {
	id, item, err := itemParams(c.Param("id"), c.Param("item"))
	if err != nil {
		return err
	}
	f := web.FormOf(c.Request(), "heading", "commentary", "choose")
	params, err := c.FormParams()
	if err != nil {
		return web.BadRequest("The form could not be read.")
	}
	var chosen []int64
	for _, raw := range params["annotation"] {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n <= 0 {
			return web.BadRequest("%q is not an annotation.", raw)
		}
		chosen = append(chosen, n)
	}
	err = s.db.UpdateItem(c.Request().Context(), web.Viewer(c.Request()), id, item, db.ItemUpdate{
		Heading: f.Value("heading"), Commentary: f.Value("commentary"), Choose: f.Value("choose") != "", Annotations: chosen})
	if err != nil {
		return s.refuseEdit(c, id, err, views.CollectionEditPage{})
	}
	s.site.Flash(c.Request(), "Item saved.")
	return c.Redirect(http.StatusSeeOther, paths.CollectionItemInEditor(id, item))
}

func (s *Server) moveCollectionItem(c echo.Context) error {
	id, item, err := itemParams(c.Param("id"), c.Param("item"))
	if err != nil {
		return err
	}
	delta := 0
	switch c.FormValue("dir") {
	case "up":
		delta = -1
	case "down":
		delta = 1
	default:
		return web.BadRequest("Move the item up or down.")
	}
	pos, err := s.db.MoveItem(c.Request().Context(), web.Viewer(c.Request()), id, item, delta)
	if err != nil {
		return err
	}
	s.site.Flash(c.Request(), "Moved to position "+strconv.Itoa(pos)+".")
	return c.Redirect(http.StatusSeeOther, paths.CollectionItemInEditor(id, item))
}

func (s *Server) removeCollectionItem(c echo.Context) error {
	id, item, err := itemParams(c.Param("id"), c.Param("item"))
	if err != nil {
		return err
	}
	if err := s.db.RemoveItem(c.Request().Context(), web.Viewer(c.Request()), id, item); err != nil {
		return err
	}
	s.site.Flash(c.Request(), "Item removed.")
	return c.Redirect(http.StatusSeeOther, paths.CollectionEditAt(id, "items-h"))
}

// reorderCollection is POST /collections/{id}/order with order=3,1,2: the
// whole new order, sent when an item is dropped (collections.js).
func (s *Server) reorderCollection(c echo.Context) error {
	id, err := web.ID(c.Param("id"))
	if err != nil {
		return err
	}
	var order []int64
	for _, raw := range strings.Split(c.FormValue("order"), ",") {
		n, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
		if err != nil {
			return web.BadRequest("The order must list the items' ids, separated by commas.")
		}
		order = append(order, n)
	}
	if err := s.db.ReorderItems(c.Request().Context(), web.Viewer(c.Request()), id, order); err != nil {
		return err
	}
	if web.PrefersJSON(c.Request()) {
		return c.NoContent(http.StatusNoContent)
	}
	s.site.Flash(c.Request(), "New order saved.")
	return c.Redirect(http.StatusSeeOther, paths.CollectionEditAt(id, "items-h"))
}

func (s *Server) shareCollection(c echo.Context) error {
	id, err := web.ID(c.Param("id"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	token, err := s.db.ShareCollection(ctx, web.Viewer(c.Request()), id)
	if err != nil {
		return err
	}
	col, err := s.db.CollectionByID(ctx, web.Viewer(c.Request()), id)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.renderEdit(c, http.StatusCreated, col, views.CollectionEditPage{NewShareURL: s.site.BaseIRI(c.Request()) + paths.Share(token)})
}

func (s *Server) unshareCollection(c echo.Context) error {
	id, err := web.ID(c.Param("id"))
	if err != nil {
		return err
	}
	if err := s.db.UnshareCollection(c.Request().Context(), web.Viewer(c.Request()), id); err != nil {
		return err
	}
	s.site.Flash(c.Request(), "Sharing stopped: the link no longer opens the collection.")
	return c.Redirect(http.StatusSeeOther, paths.CollectionEditAt(id, "share-h"))
}

// Presenting and paper.

// presentFirst sends /…/present to its first slide.
func (s *Server) presentFirst(c echo.Context) error {
	return c.Redirect(http.StatusSeeOther, strings.TrimSuffix(c.Request().URL.Path, "/")+"/1")
}

func (s *Server) presentCollection(c echo.Context) error {
	col, err := web.Load(c.Request(), c.Param("id"), s.db.CollectionByID)
	if err != nil {
		return err
	}
	m, err := s.slide(c.Request(), col, paths.Collection(col.ID), false, c.Param("n"))
	if err != nil {
		return err
	}
	return web.OK(c, views.Slide(m, false))
}

// slide is slide rawN of the collection read at base: 1 is the title
// slide, then one per item.
func (s *Server) slide(r *http.Request, col db.Collection, base string, shared bool, rawN string) (views.SlidePage, error) {
	n, err := strconv.Atoi(rawN)
	total := len(col.Items) + 1
	if err != nil || n < 1 || n > total {
		return views.SlidePage{}, db.Errorf(db.ENOTFOUND, "There is no slide %s: this presentation has %d.", rawN, total)
	}
	view, err := s.collectionView(r, col, base, shared)
	if err != nil {
		return views.SlidePage{}, err
	}
	slide := func(k int) string { return paths.Slide(base, k) }
	m := views.SlidePage{Title: col.Title, IntroHTML: col.IntroHTML, Byline: view.Byline, N: n, Total: total, Items: len(col.Items),
		First: slide(1), Last: slide(total), Exit: base}
	if n > 1 {
		m.Prev = slide(n - 1)
		m.Item = &view.Items[n-2]
	}
	if n < total {
		m.Next = slide(n + 1)
	}
	return m, nil
}

func (s *Server) printCollection(c echo.Context) error {
	col, err := web.Load(c.Request(), c.Param("id"), s.db.CollectionByID)
	if err != nil {
		return err
	}
	view, err := s.collectionView(c.Request(), col, paths.Collection(col.ID), false)
	if err != nil {
		return err
	}
	return web.OK(c, views.CollectionPrint(view))
}

// Share links.

// sharedCollection is a share link's page, kept whole (handlers/pagecache)
// until the collection (its link withdrawn or rotated too) or an
// annotation changes; a kept one is served only once every event in the
// log has been heard, so a withdrawn link stops at once on every instance.
func (s *Server) sharedCollection(c echo.Context) error {
	return s.pages.Serve(c, func(bool) (pagecache.Rendered, error) {
		col, base, err := s.loadShared(c.Request(), c.Param("token"))
		if err != nil {
			return pagecache.Rendered{}, err
		}
		view, err := s.collectionView(c.Request(), col, base, true)
		if err != nil {
			return pagecache.Rendered{}, err
		}
		body, release, err := web.RenderBytes(c.Request().Context(), views.SharedCollection(view))
		return pagecache.Rendered{Body: body, Release: release, Keep: true, Collection: true}, err
	})
}

func (s *Server) loadShared(r *http.Request, token string) (db.Collection, string, error) {
	col, err := s.db.SharedCollection(r.Context(), token)
	return col, paths.Share(token), err
}

func (s *Server) presentShared(c echo.Context) error {
	col, base, err := s.loadShared(c.Request(), c.Param("token"))
	if err != nil {
		return err
	}
	m, err := s.slide(c.Request(), col, base, true, c.Param("n"))
	if err != nil {
		return err
	}
	return web.OK(c, views.Slide(m, true))
}

func (s *Server) printShared(c echo.Context) error {
	col, base, err := s.loadShared(c.Request(), c.Param("token"))
	if err != nil {
		return err
	}
	view, err := s.collectionView(c.Request(), col, base, true)
	if err != nil {
		return err
	}
	return web.OK(c, views.CollectionPrint(view))
}

// Adding from the reader and from search results.

// addToCollectionForm is GET /collections/add?annotation=ID, or
// ?article=SLUG[&at=START-END]: choose the collection and write commentary.
func (s *Server) addToCollectionForm(c echo.Context) error {
	f := web.FormOf(c.Request(), "annotation", "article", "at", "start", "end", "exact", "prefix", "suffix", "kind", "collection", "new_title", "commentary")
	return s.renderAddPage(c, http.StatusOK, f)
}

// addToCollection saves the choice. Posted without step=save (the
// reader's annotate form, whose "Add to a collection" button posts the
// selection here), it shows the choice first.
func (s *Server) addToCollection(c echo.Context) error {
	f := web.FormOf(c.Request(), "annotation", "article", "start", "end", "exact", "prefix", "suffix", "kind", "collection", "new_title", "commentary", "body")
	if c.FormValue("step") != "save" {
		if f.Value("commentary") == "" {
			f.Values["commentary"] = f.Value("body")
		}
		if f.Value("exact") != "" {
			f.Values["kind"] = "passage"
		}
		return s.renderAddPage(c, http.StatusOK, f)
	}
	ctx := c.Request().Context()
	v := web.Viewer(c.Request())
	if err := v.RequireSignIn(); err != nil {
		return err
	}
	in := db.ItemInput{Kind: f.Value("kind"), ArticleSlug: f.Value("article"), Start: web.FormInt(c.Request(), "start"), End: web.FormInt(c.Request(), "end"),
		Exact: f.Value("exact"), Prefix: f.Value("prefix"), Suffix: f.Value("suffix"), Commentary: f.Value("commentary")}
	if raw := f.Value("annotation"); raw != "" {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n <= 0 {
			return db.Errorf(db.ENOTFOUND, "There is no such annotation, or you may not see it.")
		}
		in.AnnotationID = n
	}
	var (
		id    int64
		added db.AddedItem
		err   error
	)
	if f.Value("collection") == "new" || f.Value("collection") == "" {
		title := strings.TrimSpace(f.Value("new_title"))
		if title == "" {
			f.Errors = map[string]string{"new_title": "Give the new collection a title."}
			f.Error = "Give the new collection a title, or choose one of yours."
			return s.renderAddPage(c, http.StatusUnprocessableEntity, f)
		}
		id, added, err = s.db.CreateCollectionWith(ctx, v, db.CollectionInput{Title: title}, in)
	} else {
		id, err = strconv.ParseInt(f.Value("collection"), 10, 64)
		if err != nil {
			return db.Errorf(db.ENOTFOUND, "There is no such collection, or you may not see it.")
		}
		added, err = s.db.AddItem(ctx, v, id, in)
	}
	if err != nil {
		switch code := db.ErrorCode(err); code {
		case db.EINVALID, db.ECONFLICT:
			f.Error = db.ErrorMessage(err)
			return s.renderAddPage(c, web.StatusFor(code), f)
		}
		return err
	}
	col, err := s.db.CollectionInfo(ctx, v, id)
	if err != nil {
		return err
	}
	msg := "Added to “" + col.Title + "”."
	if added.PrivateChosen {
		msg += " The annotation is private: in the collection only you see it, and no share link shows it."
	}
	s.site.Flash(c.Request(), msg)
	return c.Redirect(http.StatusSeeOther, paths.CollectionItemInEditor(id, added.ID))
}

func (s *Server) renderAddPage(c echo.Context, status int, f views.Form) error {
	ctx := c.Request().Context()
	v := web.Viewer(c.Request())
	if err := v.RequireSignIn(); err != nil {
		return err
	}
	m := views.AddToCollectionPage{Form: f}
	if raw := f.Value("annotation"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			return db.Errorf(db.ENOTFOUND, "There is no such annotation, or you may not see it.")
		}
		a, err := s.db.AnnotationByID(ctx, v, id)
		if err != nil {
			return err
		}
		root := a
		for root.ParentID != 0 {
			if root, err = s.db.AnnotationByID(ctx, v, root.ParentID); err != nil {
				return err
			}
		}
		art, err := s.db.ArticleBySlug(ctx, a.ArticleSlug)
		if err != nil {
			return err
		}
		colors, err := s.db.TagColors(ctx)
		if err != nil {
			return err
		}
		ca := chosenView(&a, newNamer(db.NamesFull), false, colors)
		ca.Href = ""
		m.AnnotationID, m.Annotation, m.Quote, m.Private = id, &ca, root.Selector.Exact, a.Visibility == db.Private
		m.Source = sourceView(db.Source{Title: art.Title, Publication: art.Publication, PublishedOn: art.PublishedOn, Authors: art.Authors, Slug: art.Slug})
	} else {
		art, err := s.db.ArticleBySlug(ctx, f.Value("article"))
		if err != nil {
			if db.ErrorCode(err) == db.ENOTFOUND {
				return db.Errorf(db.ENOTFOUND, "Choose what to add: use “Add to collection” on an annotation in the reader or on a search result.")
			}
			return err
		}
		m.ArticleSlug, m.ChooseKind = art.Slug, true
		m.Source = sourceView(db.Source{Title: art.Title, Publication: art.Publication, PublishedOn: art.PublishedOn, Authors: art.Authors, Slug: art.Slug})
		if at := f.Value("at"); at != "" && f.Value("exact") == "" {
			// A search result points at the words it matched.
			var start, end int
			runes := []rune(art.Body)
			if _, err := fmt.Sscanf(at, "%d-%d", &start, &end); err == nil && start >= 0 && end > start && end <= len(runes) {
				f.Values["exact"] = string(runes[start:end])
				f.Values["start"], f.Values["end"] = strconv.Itoa(start), strconv.Itoa(end)
				f.Values["kind"] = "passage"
			}
		}
		if f.Value("kind") == "" {
			f.Values["kind"] = "article"
		}
		m.Form = f
	}
	collections, err := s.changeable(c.Request())
	if err != nil {
		return err
	}
	m.Collections = collections
	return web.Render(c, status, views.AddToCollection(m))
}

// CollectForm is the form that adds a view (its path, and a title for
// it) to one of the collections the viewer may change.
func (s *Server) CollectForm(r *http.Request, view, title string) (views.CollectForm, error) {
	f := views.CollectForm{View: view, Title: title}
	if !web.Viewer(r).SignedIn() {
		return f, nil
	}
	var err error
	f.Collections, err = s.changeable(r)
	return f, err
}

// changeable are the collections the viewer may add to, as choices
// labelled with their group.
func (s *Server) changeable(r *http.Request) ([]views.Option, error) {
	v := web.Viewer(r)
	list, err := s.db.Collections(r.Context(), v)
	if err != nil {
		return nil, err
	}
	var out []views.Option
	for _, col := range list {
		if v.EditCollection(col.Access()) != nil {
			continue
		}
		label := col.Title
		if col.GroupName != "" {
			label += " (" + col.GroupName + ")"
		}
		out = append(out, views.Option{Value: strconv.FormatInt(col.ID, 10), Label: label})
	}
	return out, nil
}

// The class overview.

func (s *Server) groupOverview(c echo.Context) error {
	id, err := web.ID(c.Param("id"))
	if err != nil {
		return err
	}
	o, err := s.db.GroupOverview(c.Request().Context(), web.Viewer(c.Request()), id)
	if err != nil {
		return err
	}
	m := views.OverviewPage{GroupID: id, GroupName: o.Group.Name, Everyone: o.Everyone}
	for _, r := range o.Members {
		row := views.OverviewRow{Name: r.Name, Role: string(r.Role), Annotations: r.Annotations, Replies: r.Replies, Notes: r.Notes,
			First: dayOrDash(r.First), Last: dayOrDash(r.Last)}
		for _, a := range r.Articles {
			row.Articles = append(row.Articles, views.OverviewArticle{Title: a.Title, Href: paths.Article(a.Slug),
				Annotations: a.Annotations, Replies: a.Replies, Notes: a.Notes, Last: web.Day(a.Last)})
		}
		m.Rows = append(m.Rows, row)
	}
	for _, p := range o.Passages {
		href := paths.Article(p.ArticleSlug)
		if p.Status != anchor.Orphaned {
			href = paths.ArticleAt(p.ArticleSlug, p.Start, p.End)
		}
		m.Passages = append(m.Passages, views.OverviewPassage{Quote: views.Clip(p.Quote, 40), ArticleTitle: p.ArticleTitle, Href: href,
			Status: string(p.Status), Annotations: p.Annotations, Replies: p.Replies, People: p.People, Last: web.Day(p.Last)})
	}
	return web.OK(c, views.Overview(m))
}

func dayOrDash(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return web.Day(t)
}

// groupOverviewCSV is the overview as one row per member and article
// (a member who wrote nothing gets one row with no article).
func (s *Server) groupOverviewCSV(c echo.Context) error {
	id, err := web.ID(c.Param("id"))
	if err != nil {
		return err
	}
	o, err := s.db.GroupOverview(c.Request().Context(), web.Viewer(c.Request()), id)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	w := web.CSV(c, fmt.Sprintf("overview-group-%d.csv", id))
	w.Write([]string{"member", "role", "article_slug", "article_title", "annotations", "replies", "notes", "first", "last"})
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	for _, m := range o.Members {
		if len(m.Articles) == 0 {
			w.Write(web.CSVRow(m.Name, string(m.Role), "", "", "0", "0", "0", "", ""))
		}
		for _, a := range m.Articles {
			w.Write(web.CSVRow(m.Name, string(m.Role), a.Slug, a.Title, strconv.Itoa(a.Annotations), strconv.Itoa(a.Replies),
				strconv.Itoa(a.Notes), stamp(a.First), stamp(a.Last)))
		}
	}
	w.Flush()
	return w.Error()
}

// Package tags serves the tag vocabulary: the tags in use and each tag's
// passages, their colours, descriptions and merges, and groups' codebooks.
// Tags on an article are changed from the reader (handlers/tags.go).
package tags

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/handlers/paths"
	"gloss/handlers/web"
	"gloss/views"
)

// Store is what the tags' pages ask of the store.
type Store interface {
	db.Codebooks
	db.Tags        // the names a viewer is offered
	db.Annotations // a tag's passages
	db.Articles    // the articles with a tag
	db.Groups      // a codebook's group
}

// Cards draws annotations as the reader's cards (colours by tag), with
// their kinds: the reader owns the card, the tag page shows them.
type Cards func(r *http.Request, colors map[string]int, list []*db.Annotation) ([]views.AnnotationCard, error)

// Server holds what the tags' pages use.
type Server struct {
	db    Store
	site  web.Site
	cards Cards
}

// New makes the tags' handlers over store.
func New(store Store, site web.Site, cards Cards) *Server {
	return &Server{db: store, site: site, cards: cards}
}

// Routes registers the tags' pages and the groups' codebooks.
func (s *Server) Routes(e *echo.Echo) {
	e.GET("/tags", s.tags)
	e.GET(paths.TagSuggestions, s.suggestions)
	e.GET("/tags/:name", s.tag)
	e.GET("/tags/:name/export.csv", s.tagCSV)
	e.GET("/tags/:name/edit", s.editTag)
	e.POST("/tags/:name/edit", s.updateTag)
	e.POST("/tags/:name/merge", s.mergeTag)
	e.GET("/groups/:id/codebook", s.codebook)
	e.GET("/groups/:id/codebook.csv", s.codebookCSV)
	e.POST("/groups/:id/codebook", s.defineCode)
	e.POST("/groups/:id/codebook/remove", s.removeCode)
	e.POST("/groups/:id/codebook/import", s.importCodebook)
}

// tagParam reads a tag name from the path; a slash in it (a hierarchy)
// arrives escaped.
func tagParam(rawName string) (string, error) {
	raw, err := url.PathUnescape(rawName)
	if err != nil {
		return "", db.Errorf(db.ENOTFOUND, "There is no such tag.")
	}
	tags, err := db.ParseTags(raw)
	if err != nil || len(tags) != 1 {
		return "", db.Errorf(db.ENOTFOUND, "There is no such tag.")
	}
	return tags[0], nil
}

// tags lists every tag the viewer can see in use, as a hierarchy.
// suggestions is the tag names the viewer may be offered (those on what
// they may read), as the reader's datalist: apart from the page, which is
// kept whole while they change with what anyone writes on any article.
func (s *Server) suggestions(c echo.Context) error {
	names, err := s.db.VisibleTags(c.Request().Context(), web.Viewer(c.Request()))
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "private, no-cache")
	h.Add(echo.HeaderVary, "Cookie")
	return web.Render(c, http.StatusOK, views.TagSuggestions(names))
}

func (s *Server) tags(c echo.Context) error {
	v := web.Viewer(c.Request())
	list, err := s.db.TagsWithCounts(c.Request().Context(), v)
	if err != nil {
		return err
	}
	// Sort by path segments, so children follow their parent even when
	// another tag shares the parent's prefix ("actors-x" vs "actors/ngo").
	sort.Slice(list, func(i, j int) bool {
		return strings.ReplaceAll(list[i].Name, "/", "\x00") < strings.ReplaceAll(list[j].Name, "/", "\x00")
	})
	m := views.TagsPage{IsAdmin: v.Administer() == nil}
	shown := map[string]bool{}
	for _, t := range list {
		// Parents that are not tags themselves still head their children.
		parts := strings.Split(t.Name, "/")
		for i := 1; i < len(parts); i++ {
			parent := strings.Join(parts[:i], "/")
			if !shown[parent] {
				row := views.NewTagRow(parent, 0, "", 0, 0)
				row.Heading = true
				m.Tags = append(m.Tags, row)
				shown[parent] = true
			}
		}
		shown[t.Name] = true
		m.Tags = append(m.Tags, views.NewTagRow(t.Name, t.Color, t.Description, t.Annotations, t.Articles))
	}
	return web.OK(c, views.Tags(m))
}

// tag lists every passage with a tag that the viewer may see.
func (s *Server) tag(c echo.Context) error {
	name, err := tagParam(c.Param("name"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	v := web.Viewer(c.Request())
	list, err := s.db.TagAnnotations(ctx, v, name)
	if err != nil {
		return err
	}
	arts, err := s.db.ArticlesTagged(ctx, name)
	if err != nil {
		return err
	}
	colors, err := s.db.TagColors(ctx)
	if err != nil {
		return err
	}
	info, err := s.tagInfo(c.Request(), name)
	if err != nil {
		return err
	}
	m := views.TagPage{Tag: name, Class: web.TagChips(colors, []string{name})[0].Class, Description: info.Description}
	if m.Cards, err = s.cards(c.Request(), colors, list); err != nil {
		return err
	}
	for _, a := range arts {
		m.Articles = append(m.Articles, web.ArticleSummary(a))
	}
	return web.OK(c, views.Tag(m))
}

// tagInfo finds a tag among those the viewer can see.
func (s *Server) tagInfo(r *http.Request, name string) (db.TagInfo, error) {
	list, err := s.db.TagsWithCounts(r.Context(), web.Viewer(r))
	if err != nil {
		return db.TagInfo{}, err
	}
	for _, t := range list {
		if t.Name == name {
			return t, nil
		}
	}
	return db.TagInfo{Name: name}, nil
}

// tagCSV exports the passages with a tag that the viewer may see.
func (s *Server) tagCSV(c echo.Context) error {
	name, err := tagParam(c.Param("name"))
	if err != nil {
		return err
	}
	list, err := s.db.TagAnnotations(c.Request().Context(), web.Viewer(c.Request()), name)
	if err != nil {
		return err
	}
	w := web.CSV(c, "tag-"+fileSafe(name)+".csv")
	w.Write([]string{"article_slug", "article_title", "quote", "comment", "tags", "author", "visibility", "group", "anchor_status", "created", "link"})
	base := s.site.BaseIRI(c.Request())
	for _, a := range list {
		w.Write(web.CSVRow(a.ArticleSlug, a.ArticleTitle, a.Selector.Exact, a.Body, strings.Join(a.Tags, "; "), a.AuthorName,
			string(a.Visibility), a.GroupName, string(a.Anchor.Status), a.CreatedAt.UTC().Format("2006-01-02T15:04:05Z"),
			base+paths.AnnotationInArticle(a.ArticleSlug, a.ID)))
	}
	w.Flush()
	return w.Error()
}

func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return r
		}
		return '-'
	}, s)
}

func (s *Server) tagEditPage(c echo.Context, status int, name string, f, merge views.Form) error {
	list, err := s.db.TagsWithCounts(c.Request().Context(), web.Viewer(c.Request()))
	if err != nil {
		return err
	}
	m := views.TagEditPage{Tag: name, Form: f, MergeForm: merge}
	for _, t := range list {
		if t.Name == name && f.Values == nil {
			m.Form = views.Form{Values: map[string]string{"name": t.Name, "description": t.Description, "color": "-1"}}
			if t.Color != db.DefaultColor(t.Name) {
				m.Form.Values["color"] = strconv.Itoa(t.Color)
			}
		}
		if t.Name != name {
			m.Others = append(m.Others, t.Name)
		}
	}
	if m.Form.Values == nil {
		m.Form = views.Form{Values: map[string]string{"name": name, "color": "-1"}}
	}
	return web.Render(c, status, views.TagEdit(m))
}

func (s *Server) editTag(c echo.Context) error {
	if err := web.Viewer(c.Request()).Administer(); err != nil {
		return err
	}
	name, err := tagParam(c.Param("name"))
	if err != nil {
		return err
	}
	return s.tagEditPage(c, http.StatusOK, name, views.Form{}, views.Form{})
}

func (s *Server) updateTag(c echo.Context) error {
	if err := web.Viewer(c.Request()).Administer(); err != nil {
		return err
	}
	name, err := tagParam(c.Param("name"))
	if err != nil {
		return err
	}
	f := web.FormOf(c.Request(), "name", "color", "description")
	color, cerr := strconv.Atoi(f.Value("color"))
	if cerr != nil {
		color = -1
	}
	newName, err := s.db.UpdateTag(c.Request().Context(), web.Viewer(c.Request()), name, db.TagUpdate{Name: f.Value("name"), Color: color, Description: f.Value("description")})
	if err != nil {
		if code := db.ErrorCode(err); code == db.EINVALID || code == db.ECONFLICT {
			f.Error = db.ErrorMessage(err)
			return s.tagEditPage(c, web.StatusFor(code), name, f, views.Form{})
		}
		return err
	}
	s.site.Flash(c.Request(), "Tag saved.")
	return c.Redirect(http.StatusSeeOther, paths.Tag(newName))
}

func (s *Server) mergeTag(c echo.Context) error {
	if err := web.Viewer(c.Request()).Administer(); err != nil {
		return err
	}
	name, err := tagParam(c.Param("name"))
	if err != nil {
		return err
	}
	f := web.FormOf(c.Request(), "into")
	if err := s.db.MergeTags(c.Request().Context(), web.Viewer(c.Request()), name, f.Value("into")); err != nil {
		if code := db.ErrorCode(err); code == db.EINVALID || code == db.ENOTFOUND {
			f.Error = db.ErrorMessage(err)
			return s.tagEditPage(c, web.StatusFor(db.EINVALID), name, views.Form{}, f)
		}
		return err
	}
	s.site.Flash(c.Request(), "Tag "+name+" merged into "+f.Value("into")+".")
	return c.Redirect(http.StatusSeeOther, paths.Tag(strings.TrimSpace(strings.ToLower(f.Value("into")))))
}

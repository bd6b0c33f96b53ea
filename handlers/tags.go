package handlers

import (
	"encoding/csv"
	"fmt"
	"io"
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
	for _, a := range list {
		m.Cards = append(m.Cards, annotationCard(v, colors, a))
	}
	if err := s.addEvidence(c.Request().Context(), m.Cards); err != nil {
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

func (s *Server) tagArticle(c echo.Context) error {
	a, err := s.db.ArticleBySlug(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	if err := s.db.TagArticle(c.Request().Context(), web.Viewer(c.Request()), a.ID, c.FormValue("tags")); err != nil {
		return err
	}
	return s.changed(c, a.Slug, paths.Article(a.Slug), "Tags added to the article.", views.ReaderUpdate{Announce: "Tags added to the article."})
}

func (s *Server) untagArticle(c echo.Context) error {
	a, err := s.db.ArticleBySlug(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	tag := strings.TrimSpace(c.FormValue("tag"))
	if err := s.db.UntagArticle(c.Request().Context(), web.Viewer(c.Request()), a.ID, tag); err != nil {
		return err
	}
	msg := "The tag " + tag + " is removed from the article."
	return s.changed(c, a.Slug, paths.Article(a.Slug), msg, views.ReaderUpdate{Announce: msg})
}

// codebookPage renders a group's codebook.
func (s *Server) codebookPage(c echo.Context, status int, id int64, f views.Form, imported int) error {
	ctx := c.Request().Context()
	v := web.Viewer(c.Request())
	g, err := s.db.GroupByID(ctx, id)
	if err != nil {
		return err
	}
	entries, err := s.db.Codebook(ctx, v, id)
	if err != nil {
		return err
	}
	m := views.CodebookPage{GroupID: id, GroupName: g.Name, CanManage: v.ManageGroup(id) == nil, Member: v.ReadGroupWork(id), Form: f, Imported: imported}
	for _, e := range entries {
		m.Entries = append(m.Entries, views.CodebookRow{Tag: e.Tag, Class: views.ColorClass(e.Color), Definition: e.Definition, InCodebook: e.InCodebook, Uses: e.Uses})
	}
	return web.Render(c, status, views.Codebook(m))
}

func (s *Server) codebook(c echo.Context) error {
	id, err := groupAccess(c.Request(), c.Param("id"), db.Viewer.ViewGroup)
	if err != nil {
		return err
	}
	return s.codebookPage(c, http.StatusOK, id, web.FormOf(c.Request()), 0)
}

func (s *Server) defineCode(c echo.Context) error {
	id, err := groupAccess(c.Request(), c.Param("id"), db.Viewer.ManageGroup)
	if err != nil {
		return err
	}
	f := web.FormOf(c.Request(), "tag", "definition")
	if _, err := s.db.SetCodebookEntries(c.Request().Context(), web.Viewer(c.Request()), id, [][2]string{{f.Value("tag"), f.Value("definition")}}); err != nil {
		if db.ErrorCode(err) == db.EINVALID {
			f.Error = db.ErrorMessage(err)
			return s.codebookPage(c, http.StatusUnprocessableEntity, id, f, 0)
		}
		return err
	}
	s.site.Flash(c.Request(), "Definition saved.")
	return c.Redirect(http.StatusSeeOther, paths.Codebook(id))
}

func (s *Server) removeCode(c echo.Context) error {
	id, err := groupAccess(c.Request(), c.Param("id"), db.Viewer.ManageGroup)
	if err != nil {
		return err
	}
	if err := s.db.RemoveCodebookEntry(c.Request().Context(), web.Viewer(c.Request()), id, c.FormValue("tag")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, paths.Codebook(id))
}

// MaxCodebookBytes bounds an imported codebook file.
const MaxCodebookBytes = 1 << 20

// importCodebook takes a CSV of tag,definition rows: all of them or none.
func (s *Server) importCodebook(c echo.Context) error {
	id, err := groupAccess(c.Request(), c.Param("id"), db.Viewer.ManageGroup)
	if err != nil {
		return err
	}
	refuse := func(msg string) error {
		return s.codebookPage(c, http.StatusUnprocessableEntity, id, views.Form{Error: msg}, 0)
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return refuse("Choose a CSV file to import.")
	}
	if fh.Size > MaxCodebookBytes {
		return refuse("The file is larger than 1 MiB.")
	}
	file, err := fh.Open()
	if err != nil {
		return err
	}
	defer file.Close()
	r := csv.NewReader(io.LimitReader(file, MaxCodebookBytes))
	r.FieldsPerRecord = -1
	records, err := r.ReadAll()
	if err != nil {
		return refuse("The file is not valid CSV: " + err.Error())
	}
	var rows [][2]string
	for i, rec := range records {
		if len(rec) == 0 || (len(rec) == 1 && strings.TrimSpace(rec[0]) == "") {
			continue
		}
		tag := strings.TrimPrefix(rec[0], "\ufeff")
		if i == 0 && strings.EqualFold(strings.TrimSpace(tag), "tag") {
			continue // header
		}
		def := ""
		if len(rec) > 1 {
			def = rec[1]
		}
		if len(rec) > 2 {
			return refuse(fmt.Sprintf("Row %d has %d columns: use two, tag and definition.", i+1, len(rec)))
		}
		rows = append(rows, [2]string{tag, strings.TrimPrefix(def, "'")})
	}
	if len(rows) == 0 {
		return refuse("The file has no rows to import.")
	}
	n, err := s.db.SetCodebookEntries(c.Request().Context(), web.Viewer(c.Request()), id, rows)
	if err != nil {
		if db.ErrorCode(err) == db.EINVALID {
			return refuse(db.ErrorMessage(err) + " Nothing was imported.")
		}
		return err
	}
	return s.codebookPage(c, http.StatusOK, id, web.FormOf(c.Request()), n)
}

func (s *Server) codebookCSV(c echo.Context) error {
	id, err := groupAccess(c.Request(), c.Param("id"), db.Viewer.ViewGroup)
	if err != nil {
		return err
	}
	entries, err := s.db.Codebook(c.Request().Context(), web.Viewer(c.Request()), id)
	if err != nil {
		return err
	}
	w := web.CSV(c, fmt.Sprintf("codebook-group-%d.csv", id))
	w.Write([]string{"tag", "definition"})
	for _, e := range entries {
		if e.InCodebook {
			w.Write(web.CSVRow(e.Tag, e.Definition))
		}
	}
	w.Flush()
	return w.Error()
}

// index lists publications, authors and years, linking to the library.
func (s *Server) index(c echo.Context) error {
	idx, err := s.db.ArticleIndex(c.Request().Context())
	if err != nil {
		return err
	}
	var m views.IndexPage
	for _, p := range idx.Publications {
		m.Publications = append(m.Publications, views.IndexEntry{Label: p.Value, N: p.N, Href: paths.LibraryWith(url.Values{"publication": {p.Value}})})
	}
	for _, a := range idx.Authors {
		m.Authors = append(m.Authors, views.IndexEntry{Label: a.Value, N: a.N, Href: paths.LibraryWith(url.Values{"author": {a.Value}})})
	}
	for _, y := range idx.Years {
		m.Years = append(m.Years, views.IndexEntry{Label: y.Value, N: y.N, Href: paths.LibraryWith(url.Values{"year": {y.Value}})})
	}
	return web.OK(c, views.Index(m))
}

func sortOptions(opts []views.Option) {
	sort.Slice(opts, func(i, j int) bool { return strings.ToLower(opts[i].Label) < strings.ToLower(opts[j].Label) })
}

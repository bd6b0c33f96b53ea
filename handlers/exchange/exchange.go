// Package exchange moves data in and out of Gloss: importing articles,
// exporting annotations as CSV and Markdown (everything, an article, a
// group, a collection), and downloading a backup. The JSON-LD exports and
// imports are the w3c package's.
package exchange

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/db/anchor"
	"gloss/db/evidence"
	"gloss/handlers/extract"
	"gloss/handlers/paths"
	"gloss/handlers/web"
	"gloss/views"
	"gloss/views/marks"
)

// Server holds what imports, exports and backups use.
type Server struct {
	db   db.Store
	site web.Site
}

// New makes the import, export and backup handlers over store.
func New(store db.Store, site web.Site) *Server { return &Server{db: store, site: site} }

// Routes registers imports, exports and backups.
func (s *Server) Routes(e *echo.Echo) {
	e.GET("/import", s.importForm)
	e.POST("/import", s.importUpload)
	e.POST("/import/save", s.importSave)

	e.GET("/export", s.exportsPage)
	for _, f := range []exportFormat{exportCSV, exportMarkdown} {
		e.GET("/export"+f.ext, s.exportAll(f))
		e.GET("/articles/:slug/export"+f.ext, s.exportArticle(f))
		e.GET("/groups/:id/export"+f.ext, s.exportGroup(f))
	}

	e.GET("/admin/backup", s.backupPage)
	e.GET("/admin/backup/download", s.downloadBackup)
	s.collectionExportRoutes(e)
}

// ---- Import ----

func importPage(f views.Form) templ.Component {
	return views.Import(views.ImportPage{Form: f, MaxMiB: extract.MaxBytes >> 20})
}

// importForm is step 1: a file or pasted text. Articles are the shared
// library, so only administrators import them.
func (s *Server) importForm(c echo.Context) error {
	if err := web.Viewer(c.Request()).Administer(); err != nil {
		return err
	}
	return web.OK(c, importPage(web.FormOf(c.Request())))
}

// importStatus is the status for text that cannot be imported.
func importStatus(err error) int {
	switch {
	case errors.Is(err, extract.ErrTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, extract.ErrBinary):
		return http.StatusUnsupportedMediaType
	}
	return http.StatusUnprocessableEntity
}

// importUpload reads the file or pasted text, extracts the article and
// shows step 2. Nothing is stored yet: the text travels in the form.
func (s *Server) importUpload(c echo.Context) error {
	if err := web.Viewer(c.Request()).Administer(); err != nil {
		return err
	}
	f := web.FormOf(c.Request(), "text", "format")
	refuse := func(status int, msg string) error {
		f.Error = msg
		return web.Render(c, status, importPage(f))
	}
	var (
		data   []byte
		format extract.Format
		source string
	)
	fh, err := c.FormFile("file")
	switch {
	case err == nil:
		f.Values["text"] = "" // a file wins over pasted text
		var known bool
		if format, known = extract.FormatOf(fh.Filename); !known {
			return refuse(http.StatusUnsupportedMediaType, fmt.Sprintf("Gloss cannot import %q: choose a .txt, .md or .html file.", fh.Filename))
		}
		if fh.Size > extract.MaxBytes {
			return refuse(http.StatusRequestEntityTooLarge, extract.ErrTooLarge.Error())
		}
		file, err := fh.Open()
		if err != nil {
			return err
		}
		data, err = io.ReadAll(io.LimitReader(file, extract.MaxBytes+1))
		file.Close()
		if err != nil {
			return err
		}
		source = "from the file " + fh.Filename
	case errors.Is(err, http.ErrMissingFile), errors.Is(err, http.ErrNotMultipart):
		if f.Value("text") == "" {
			return refuse(http.StatusUnprocessableEntity, "Choose a file, or paste the article's text.")
		}
		format = extract.Format(f.Value("format"))
		if format == "" {
			format = extract.Text
		}
		if !web.ValidOption(views.ImportFormats, string(format)) {
			return refuse(http.StatusUnprocessableEntity, "Choose whether the pasted text is plain text, Markdown or HTML.")
		}
		data = []byte(f.Value("text"))
		source = "pasted " + map[extract.Format]string{extract.Text: "text", extract.Markdown: "Markdown", extract.HTML: "HTML"}[format]
	default:
		return err
	}
	res, err := extract.Extract(data, format)
	if err != nil {
		return refuse(importStatus(err), err.Error())
	}
	sug := res.Suggest
	review := views.Form{Errors: map[string]string{}, Values: map[string]string{
		"text": res.Text, "source": source,
		"title": sug.Title, "slug": sug.Slug, "publication": sug.Publication,
		"authors": strings.Join(sug.Authors, ", "), "published_on": sug.Date,
		"dek": sug.Dek, "summary": sug.Summary, "source_note": sug.SourceNote,
	}}
	return s.renderImportReview(c, http.StatusOK, review)
}

// renderImportReview shows step 2: the details, a preview, and a warning
// when the slug names an article already.
func (s *Server) renderImportReview(c echo.Context, status int, f views.Form) error {
	text := f.Value("text")
	paras := marks.Paragraphs(text)
	m := views.ImportReviewPage{Form: f, Source: f.Value("source"), Paragraphs: len(paras), Words: len(strings.Fields(text))}
	if m.Source == "" {
		m.Source = "the text"
	}
	const shown = 3
	for i, p := range paras {
		if i == shown {
			m.More = len(paras) - shown
			break
		}
		m.Preview = append(m.Preview, views.Clip(p.Text, 80))
	}
	if slug := f.Value("slug"); isImportSlug(slug) {
		a, err := s.db.ArticleBySlug(c.Request().Context(), slug)
		switch {
		case err == nil:
			m.Existing = &views.ExistingArticle{Slug: a.Slug, Title: a.Title, Revision: a.Revision}
		case db.ErrorCode(err) != db.ENOTFOUND:
			return err
		}
	}
	return web.Render(c, status, views.ImportReview(m))
}

// importSave stores the article. Everything is checked again: the text
// came back from the browser.
func (s *Server) importSave(c echo.Context) error {
	if err := web.Viewer(c.Request()).Administer(); err != nil {
		return err
	}
	f := web.FormOf(c.Request(), "text", "source", "title", "slug", "publication", "authors", "published_on", "dek", "summary", "source_note", "confirm")
	text, err := extract.Clean([]byte(f.Value("text")))
	if err != nil {
		// Without usable text there is nothing to review: start again.
		start := web.FormOf(c.Request())
		start.Error = err.Error()
		return web.Render(c, importStatus(err), importPage(start))
	}
	f.Values["text"] = text
	for _, k := range []string{"title", "slug", "publication", "authors", "published_on"} {
		f.Values[k] = strings.TrimSpace(f.Values[k])
	}
	web.Require(&f, map[string]string{"title": "The title", "slug": "The slug"})
	if slug := f.Value("slug"); slug != "" && !isImportSlug(slug) {
		f.Errors["slug"] = "Use lowercase letters, digits and single hyphens"
		if sug := extract.Slug(slug); sug != "" {
			f.Errors["slug"] += ", for example " + sug
		}
		f.Errors["slug"] += "."
	}
	if d := f.Value("published_on"); d != "" {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			f.Errors["published_on"] = "Write the date as YYYY-MM-DD, e.g. 2005-06-14, or leave it empty."
		}
	}
	if len(f.Errors) > 0 {
		if f.Error == "" {
			f.Error = "Please correct the fields marked below."
		}
		return s.renderImportReview(c, http.StatusUnprocessableEntity, f)
	}
	ctx := c.Request().Context()
	slug := f.Value("slug")
	existing, err := s.db.ArticleBySlug(ctx, slug)
	switch {
	case err == nil && f.Value("confirm") != "1":
		f.Error = fmt.Sprintf("There is already an article at %s (“%s”). Saving would make this text a new revision of it: tick the box to confirm, or choose another slug.", paths.Article(slug), existing.Title)
		return s.renderImportReview(c, http.StatusConflict, f)
	case err != nil && db.ErrorCode(err) != db.ENOTFOUND:
		return err
	}
	var authors []string
	for _, a := range strings.Split(f.Value("authors"), ",") {
		if a = strings.TrimSpace(a); a != "" {
			authors = append(authors, a)
		}
	}
	outcome, err := s.db.ImportArticle(ctx, db.ArticleInput{
		Slug: slug, Title: f.Value("title"), Publication: f.Value("publication"), Authors: authors,
		PublishedOn: f.Value("published_on"), Dek: strings.TrimSpace(f.Value("dek")),
		Summary: strings.TrimSpace(f.Value("summary")), SourceNote: strings.TrimSpace(f.Value("source_note")),
		Body: text,
	})
	if err != nil {
		if db.ErrorCode(err) == db.EINTERNAL {
			return err
		}
		f.Error = db.ErrorMessage(err)
		return s.renderImportReview(c, web.StatusFor(db.ErrorCode(err)), f)
	}
	s.site.Flash(c.Request(), map[db.ImportOutcome]string{
		db.ImportCreated:   "Article imported.",
		db.ImportRevised:   "Saved as a new revision; its annotations were re-anchored.",
		db.ImportUpdated:   "The text was the same; the details were updated.",
		db.ImportUnchanged: "Nothing changed: the article already had this text and these details.",
	}[outcome])
	return c.Redirect(http.StatusSeeOther, paths.Article(slug))
}

var importSlugPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// isImportSlug is the store's rule for slugs, checked here to mark the field.
func isImportSlug(s string) bool { return len(s) <= db.MaxSlugLen && importSlugPattern.MatchString(s) }

// ---- Export ----

// exportFormat is one kind of export file.
type exportFormat struct {
	ext, contentType string
	write            func(w io.Writer, x exportDoc) error
}

var (
	exportCSV      = exportFormat{ext: ".csv", contentType: "text/csv; charset=utf-8", write: writeExportCSV}
	exportMarkdown = exportFormat{ext: ".md", contentType: "text/markdown; charset=utf-8", write: writeExportMarkdown}
)

// exportDoc is what an export file says.
type exportDoc struct {
	Title         string
	Base          string // scheme and host, for links
	At            time.Time
	Articles      []db.ExportArticle
	Pseudonymized bool
	BOM           bool
}

// sendExport builds the whole file before sending it, so a failure is an
// error page, never a truncated download.
func (s *Server) sendExport(c echo.Context, f exportFormat, scope db.ExportScope, title, filename string) error {
	bom, err := web.BoolQuery(c.Request(), "bom")
	if err != nil {
		return err
	}
	arts, err := s.db.ExportAnnotations(c.Request().Context(), web.Viewer(c.Request()), scope)
	if err != nil {
		return err
	}
	x := exportDoc{Title: title, Base: s.site.BaseIRI(c.Request()), At: s.db.Now().UTC(),
		Articles: arts, Pseudonymized: scope.Pseudonymize, BOM: bom && f.ext == ".csv"}
	var buf bytes.Buffer
	if err := f.write(&buf, x); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="`+filename+"-"+x.At.Format("20060102")+f.ext+`"`)
	h.Set("Cache-Control", "no-store") // private annotations must not sit in caches
	return c.Blob(http.StatusOK, f.contentType, buf.Bytes())
}

func (s *Server) exportArticle(f exportFormat) echo.HandlerFunc {
	return func(c echo.Context) error {
		a, err := s.db.ArticleBySlug(c.Request().Context(), c.Param("slug"))
		if err != nil {
			return err
		}
		scope := db.ExportScope{ArticleID: a.ID}
		if scope.Pseudonymize, err = web.BoolQuery(c.Request(), "pseudonymize"); err != nil {
			return err
		}
		return s.sendExport(c, f, scope, "Annotations on “"+a.Title+"”", "gloss-"+a.Slug)
	}
}

func (s *Server) exportGroup(f exportFormat) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := web.ID(c.Param("id"))
		if err != nil {
			return err
		}
		scope := db.ExportScope{GroupID: id}
		if scope.Pseudonymize, err = web.BoolQuery(c.Request(), "pseudonymize"); err != nil {
			return err
		}
		v := web.Viewer(c.Request())
		if err := v.CheckExport(scope); err != nil {
			if v.Admin { // administrators may know which groups exist
				if _, gerr := s.db.GroupByID(c.Request().Context(), id); gerr != nil {
					return gerr
				}
			}
			return err
		}
		g, err := s.db.GroupByID(c.Request().Context(), id)
		if err != nil {
			return err
		}
		return s.sendExport(c, f, scope, "Annotations shared with the group “"+g.Name+"”", "gloss-group-"+strconv.FormatInt(id, 10))
	}
}

func (s *Server) exportAll(f exportFormat) echo.HandlerFunc {
	return func(c echo.Context) error {
		v := web.Viewer(c.Request())
		scope := db.ExportScope{}
		var err error
		if scope.Pseudonymize, err = web.BoolQuery(c.Request(), "pseudonymize"); err != nil {
			return err
		}
		return s.sendExport(c, f, scope, "Annotations "+v.Name+" can see", "gloss-annotations")
	}
}

// exportsPage lists the exports a person can make.
func (s *Server) exportsPage(c echo.Context) error {
	v := web.Viewer(c.Request())
	if err := v.RequireSignIn(); err != nil {
		return err
	}
	groups, err := s.db.GroupsOf(c.Request().Context(), v.UserID)
	if err != nil {
		return err
	}
	var m views.ExportsPage
	for _, g := range groups {
		m.Groups = append(m.Groups, views.ExportGroup{ID: g.ID, Name: g.Name, Owner: g.Role == db.RoleOwner})
	}
	return web.OK(c, views.Exports(m))
}

// exportColumns head the CSV export, one row per annotation or reply.
var exportColumns = []string{
	"id", "parent_id", "article_slug", "article_title", "publication", "published_on",
	"quote", "prefix", "suffix", "start", "end", "anchor_status", "comment", "tags",
	"visibility", "group", "author", "created", "modified", "link", "kind", "evidence",
}

// csvTime is how times appear in exports: RFC 3339, UTC.
func csvTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func writeExportCSV(w io.Writer, x exportDoc) error {
	if x.BOM {
		// Excel reads a CSV file as UTF-8 only when it starts with a BOM.
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(exportColumns); err != nil {
		return err
	}
	for _, art := range x.Articles {
		var walk func([]*db.Annotation) error
		walk = func(list []*db.Annotation) error {
			for _, a := range list {
				row := []string{
					strconv.FormatInt(a.ID, 10), "", art.Slug, art.Title, art.Publication, art.PublishedOn,
					a.Selector.Exact, a.Selector.Prefix, a.Selector.Suffix, "", "", string(a.Anchor.Status),
					a.Body, strings.Join(a.Tags, ";"), string(a.Visibility), a.GroupName, a.AuthorName,
					csvTime(a.CreatedAt), csvTime(a.UpdatedAt),
					x.Base + paths.AnnotationInArticle(art.Slug, a.ID), "", "",
				}
				if a.Evidence != nil {
					// The kind and its fields in the words used everywhere.
					row[20], row[21] = a.Evidence.Kind, evidence.Detail(a.Evidence.Fields())
				}
				if a.ParentID != 0 {
					row[1] = strconv.FormatInt(a.ParentID, 10)
				} else if a.Anchor.Status != anchor.Orphaned {
					// Where the passage is in the current text, in code points.
					row[9], row[10] = strconv.Itoa(a.Anchor.Start), strconv.Itoa(a.Anchor.End)
				}
				if err := cw.Write(web.CSVRow(row...)); err != nil {
					return err
				}
				if err := walk(a.Replies); err != nil {
					return err
				}
			}
			return nil
		}
		if err := walk(art.Annotations); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// mdEscaper backslash-escapes what Markdown would read as formatting
// inside text we quote (titles, names, passages).
var mdEscaper = strings.NewReplacer(`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`, `<`, `\<`, `>`, `\>`)

// mdText escapes one line of quoted text, including what would start a
// heading, list or rule at the beginning of a line.
func mdText(s string) string {
	s = mdEscaper.Replace(s)
	trimmed := strings.TrimLeft(s, " ")
	if trimmed == "" {
		return s
	}
	lead := s[:len(s)-len(trimmed)]
	switch trimmed[0] {
	case '#', '+', '-', '=', '|':
		return lead + `\` + trimmed
	}
	if i := strings.IndexFunc(trimmed, func(r rune) bool { return r < '0' || r > '9' }); i > 0 && (trimmed[i] == '.' || trimmed[i] == ')') {
		return lead + trimmed[:i] + `\` + trimmed[i:]
	}
	return s
}

// mdDate formats a stored YYYY-MM-DD for people.
func mdDate(iso string) string {
	if t, err := time.Parse(time.DateOnly, iso); err == nil {
		return t.Format("2 January 2006")
	}
	return iso
}

func writeExportMarkdown(w io.Writer, x exportDoc) error {
	var b strings.Builder
	top, all, notes := 0, 0, 0
	for _, art := range x.Articles {
		top += len(art.Annotations)
		all += art.Count()
		notes += len(art.Notes)
	}
	fmt.Fprintf(&b, "# %s\n\n", mdText(x.Title))
	held := web.Plural(top, "annotation", "annotations") + " and " + web.Plural(all-top, "reply", "replies")
	if notes > 0 {
		held = web.Plural(top, "annotation", "annotations") + ", " + web.Plural(all-top, "reply", "replies") +
			" and " + web.Plural(notes, "note", "notes")
	}
	fmt.Fprintf(&b, "Exported from Gloss (%s) on %s: %s on %s.\n",
		x.Base, x.At.Format("2 January 2006 at 15:04 UTC"), held, web.Plural(len(x.Articles), "article", "articles"))
	if x.Pseudonymized {
		b.WriteString("Authors are pseudonymized as Participant 1, 2, … in the order they first appear; comments are as written.\n")
	}
	for _, art := range x.Articles {
		fmt.Fprintf(&b, "\n## %s\n\n", mdText(art.Title))
		var source []string
		if art.Publication != "" {
			source = append(source, "*"+mdText(art.Publication)+"*")
		}
		if art.PublishedOn != "" {
			source = append(source, mdDate(art.PublishedOn))
		}
		if len(art.Authors) > 0 {
			source = append(source, "by "+mdText(strings.Join(art.Authors, ", ")))
		}
		if len(source) > 0 {
			b.WriteString(strings.Join(source, " · ") + "  \n")
		}
		b.WriteString("<" + x.Base + paths.Article(art.Slug) + ">\n")
		if len(art.Annotations) == 0 {
			b.WriteString("\nNo annotations.\n")
		}
		for i, a := range art.Annotations {
			if i > 0 {
				b.WriteString("\n* * *\n")
			}
			b.WriteString("\n")
			for _, line := range strings.Split(a.Selector.Exact, "\n") {
				if line = mdText(strings.TrimRight(line, " \t")); line == "" {
					b.WriteString(">\n")
				} else {
					b.WriteString("> " + line + "\n")
				}
			}
			b.WriteString("\n" + mdByline(x, art.Slug, a) + "\n")
			if a.Evidence != nil {
				b.WriteString("\n" + mdText(evidence.Summary(a.Evidence.Fields())) + "\n")
			}
			if body := strings.TrimSpace(a.Body); body != "" {
				b.WriteString("\n" + body + "\n")
			}
			if len(a.Tags) > 0 {
				b.WriteString("\nTags: " + mdText(strings.Join(a.Tags, ", ")) + "\n")
			}
			writeMarkdownReplies(&b, x, art.Slug, a.Replies, "")
		}
		if len(art.Notes) > 0 {
			b.WriteString("\n### Notes on the article\n")
		}
		for _, n := range art.Notes {
			b.WriteString("\n" + mdNoteByline(x, art.Slug, n) + "\n\n" + strings.TrimSpace(n.Body) + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdNoteByline is a note's author, time, audience and link.
func mdNoteByline(x exportDoc, slug string, n db.Note) string {
	audience := string(n.Visibility)
	if n.Visibility == db.Shared {
		audience = "group " + mdText(n.GroupName)
	}
	return strings.Join([]string{"**" + mdText(n.AuthorName) + "**", n.CreatedAt.UTC().Format("2 Jan 2006 15:04 UTC"), audience,
		"[link](" + x.Base + paths.NoteInArticle(slug, n.ID) + ")"}, " · ")
}

// writeMarkdownReplies writes a thread as a nested list: each reply's
// byline, then its comment indented under it.
func writeMarkdownReplies(b *strings.Builder, x exportDoc, slug string, replies []*db.Annotation, indent string) {
	for _, r := range replies {
		b.WriteString("\n" + indent + "- " + mdByline(x, slug, r) + "\n")
		inner := indent + "  "
		if body := strings.TrimSpace(r.Body); body != "" {
			b.WriteString("\n")
			for _, line := range strings.Split(body, "\n") {
				if strings.TrimSpace(line) == "" {
					b.WriteString("\n")
				} else {
					b.WriteString(inner + line + "\n")
				}
			}
		}
		writeMarkdownReplies(b, x, slug, r.Replies, inner)
	}
}

// mdByline is who wrote an annotation, when, for whom, and where it is.
func mdByline(x exportDoc, slug string, a *db.Annotation) string {
	parts := []string{"**" + mdText(a.AuthorName) + "**", a.CreatedAt.UTC().Format("2 Jan 2006 15:04 UTC")}
	switch a.Visibility {
	case db.Shared:
		parts = append(parts, "group "+mdText(a.GroupName))
	default:
		parts = append(parts, string(a.Visibility))
	}
	if a.ParentID == 0 {
		switch a.Anchor.Status {
		case anchor.Approximate:
			parts = append(parts, "placed approximately in the current text")
		case anchor.Orphaned:
			parts = append(parts, "orphaned: the passage is no longer in the text")
		}
	}
	parts = append(parts, "[link]("+x.Base+paths.AnnotationInArticle(slug, a.ID)+")")
	return strings.Join(parts, " · ")
}

// ---- Backup ----

func (s *Server) backupPage(c echo.Context) error {
	if err := web.Viewer(c.Request()).Administer(); err != nil {
		return err
	}
	current, _, err := s.db.SchemaVersion(c.Request().Context())
	if err != nil {
		return err
	}
	m := views.BackupPage{SchemaVersion: current}
	if err := s.db.TakesBackups(); err != nil {
		m.Elsewhere = db.ErrorMessage(err)
	}
	return web.OK(c, views.Backup(m))
}

// downloadBackup streams a fresh, checked snapshot of the database.
func (s *Server) downloadBackup(c echo.Context) error {
	if err := web.Viewer(c.Request()).Administer(); err != nil {
		return err
	}
	snap, cleanup, err := s.db.SnapshotTo(c.Request().Context())
	if err != nil {
		return err
	}
	defer cleanup()
	file, err := os.Open(snap.Path)
	if err != nil {
		return err
	}
	defer file.Close()
	// A large database takes longer to send than the server's write timeout.
	_ = http.NewResponseController(c.Response().Writer).SetWriteDeadline(time.Now().Add(30 * time.Minute))
	h := c.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="gloss-`+s.db.Now().UTC().Format("20060102-150405")+`.db"`)
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.FormatInt(snap.Size, 10))
	return c.Stream(http.StatusOK, "application/vnd.sqlite3", file)
}

package w3c

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/handlers/paths"
	"gloss/handlers/web"
	"gloss/views"
)

// This file exports annotations as W3C Web Annotation JSON-LD (one
// AnnotationCollection document per article, group or viewer) and imports
// such files, from the browser or from scripts. The mapping is model.go's,
// reading a file import_read.go's; the import's validation and transaction
// are the store's (ImportAnnotations).

const (
	maxImportBytes  = 10 << 20 // an import file
	importFormSlack = 1 << 20  // the multipart envelope and the other fields
)

// jsonldRoutes registers the W3C JSON-LD exports and imports.
func (s *Server) jsonldRoutes(e *echo.Echo) {
	e.GET("/export.jsonld", s.exportAllJSONLD)
	e.GET("/articles/:slug/export.jsonld", s.exportArticleJSONLD)
	e.GET("/groups/:id/export.jsonld", s.exportGroupJSONLD)
	e.GET(paths.ImportAnnotation, s.importAnnotationsPage)
	e.POST(paths.ImportAnnotation, s.importAnnotations)
	e.GET("/collections/:id/export.jsonld", s.exportCollectionJSONLD)
}

// ---- Export ----

// jsonldCollection is an export: an AnnotationCollection whose one page,
// embedded, holds every item.
type jsonldCollection struct {
	Context   []any       `json:"@context"`
	ID        string      `json:"id"`
	Type      string      `json:"type"`
	Label     string      `json:"label"`
	Total     int         `json:"total"`
	Generated string      `json:"generated"`
	Generator jsonldAgent `json:"generator"`
	First     jsonldPage  `json:"first"`
	Last      string      `json:"last"`
}

type jsonldAgent struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	Name string `json:"name"`
}

type jsonldPage struct {
	ID         string       `json:"id"`
	Type       string       `json:"type"`
	StartIndex int          `json:"startIndex"`
	Items      []jsonldItem `json:"items"`
}

// jsonldItem is an annotation as the protocol shows it, plus its group's
// name, so an importer can tell whether the group it names is the same.
type jsonldItem struct {
	w3cAnnotation
	GroupName string `json:"gloss:groupName,omitempty"`
}

// jsonldTarget is the protocol's target plus the SHA-256 of the text the
// selectors were made on: an importer trusts the position only on the
// same text.
type jsonldTarget struct {
	Source   string        `json:"source"`
	SHA256   string        `json:"gloss:sourceSha256,omitempty"`
	Selector []w3cSelector `json:"selector,omitempty"`
}

func (s *Server) exportArticleJSONLD(c echo.Context) error {
	a, err := s.db.ArticleRefBySlug(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	return s.sendJSONLDExport(c, db.ExportScope{ArticleID: a.ID}, "Annotations on “"+a.Title+"”", "gloss-"+a.Slug)
}

func (s *Server) exportGroupJSONLD(c echo.Context) error {
	id, err := web.ID(c.Param("id"))
	if err != nil {
		return err
	}
	scope := db.ExportScope{GroupID: id}
	if scope.Pseudonymize, err = web.BoolQuery(c.Request(), "pseudonymize"); err != nil {
		return err
	}
	if err := web.Viewer(c.Request()).CheckExport(scope); err != nil {
		return err
	}
	g, err := s.db.GroupByID(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return s.sendJSONLDExport(c, scope, "Annotations shared with the group “"+g.Name+"”", "gloss-group-"+strconv.FormatInt(id, 10))
}

func (s *Server) exportAllJSONLD(c echo.Context) error {
	v := web.Viewer(c.Request())
	if err := v.RequireSignIn(); err != nil {
		return err
	}
	return s.sendJSONLDExport(c, db.ExportScope{}, "Annotations "+v.Name+" can see", "gloss-annotations")
}

// exportCollectionJSONLD exports the annotations chosen in a collection,
// with their replies: whoever may see the collection gets the chosen
// annotations they may see anyway.
func (s *Server) exportCollectionJSONLD(c echo.Context) error {
	col, err := web.Load(c.Request(), c.Param("id"), s.db.CollectionInfo)
	if err != nil {
		return err
	}
	return s.sendJSONLDExport(c, db.ExportScope{CollectionID: col.ID},
		"Annotations in the collection “"+col.Title+"”", "gloss-collection-"+strconv.FormatInt(col.ID, 10))
}

// sendJSONLDExport builds the whole document in memory (at most
// db.MaxFlatExport annotations and notes), so a failure is an error, never a
// truncated download.
func (s *Server) sendJSONLDExport(c echo.Context, scope db.ExportScope, label, filename string) error {
	now := s.db.Now().UTC()
	base := s.site.BaseIRI(c.Request())
	doc, err := Document(c.Request().Context(), s.db, web.Viewer(c.Request()), scope, base, base+c.Request().URL.Path, label, now)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="`+filename+"-"+now.Format("20060102")+`.jsonld"`)
	h.Set("Cache-Control", "no-store") // private annotations must not sit in caches
	return c.Blob(http.StatusOK, mediaAnno, doc)
}

// Document is the JSON-LD export (an AnnotationCollection) of what v may
// see in scope, as served at the IRI id under base, made at now. A
// pseudonymized scope comes from the store with its authors numbered
// (db.Pseudonymize); their creator IRIs are then local to the file. web
// copy-db compares the one of each side of a copy.
func Document(ctx context.Context, store db.Store, v db.Viewer, scope db.ExportScope, base, id, label string, now time.Time) ([]byte, error) {
	x, err := store.ExportFlat(ctx, v, scope)
	if err != nil {
		return nil, err
	}
	page := jsonldPage{ID: id + "#items", Type: "AnnotationPage", Items: make([]jsonldItem, 0, len(x.Annotations)+len(x.Notes))}
	for _, a := range x.Annotations {
		w := annotationInFile(base, id, a)
		w.Context = nil // the collection's covers it
		if t, ok := w.Target.(w3cTarget); ok {
			w.Target = jsonldTarget{Source: t.Source, SHA256: x.RevisionSHA256[a.RevisionID], Selector: t.Selector}
		}
		item := jsonldItem{w3cAnnotation: w}
		if a.Visibility == db.Shared {
			item.GroupName = a.GroupName
		}
		page.Items = append(page.Items, item)
	}
	for i := range x.Notes {
		n := &x.Notes[i]
		w := noteInFile(base, id, x.NoteSlugs[n.ArticleID], n)
		w.Context = nil
		item := jsonldItem{w3cAnnotation: w}
		if n.Visibility == db.Shared {
			item.GroupName = n.GroupName
		}
		page.Items = append(page.Items, item)
	}
	doc := jsonldCollection{
		Context: w3cContext(base), ID: id, Type: "AnnotationCollection", Label: label,
		Total: len(page.Items), Generated: w3cTime(now),
		Generator: jsonldAgent{ID: base + paths.Library, Type: "Software", Name: "Gloss"},
		First:     page, Last: page.ID,
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ---- Import ----

// importReply is the JSON report of an import.
type importReply struct {
	Message string         `json:"message"`
	Total   int            `json:"total"`  // items in the file
	Taken   int            `json:"taken"`  // annotations stored
	Ready   int            `json:"ready"`  // items that passed: stored unless another was refused without partial
	Stored  bool           `json:"stored"` // the import was committed
	Partial bool           `json:"partial"`
	Created []importedJSON `json:"created"`
	Refused []refusalJSON  `json:"refused"`
}

// importedJSON is one stored annotation or note: where it came from, its
// IRI here, and what was adjusted.
type importedJSON struct {
	Index           int      `json:"index"`          // position in the file's items, from 0
	From            string   `json:"from,omitempty"` // its id in the file
	ID              string   `json:"id"`             // its IRI here
	Visibility      string   `json:"gloss:visibility"`
	OriginalCreator string   `json:"originalCreator,omitempty"`
	Notes           []string `json:"notes,omitempty"`
}

// refusalJSON is one item that was not stored, and why.
type refusalJSON struct {
	Index  int    `json:"index"`
	From   string `json:"from,omitempty"`
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

// importJSON is the report of an import as a script reads it.
func importJSON(base string, r db.ImportReport) importReply {
	out := importReply{Message: importMessage(r), Total: r.Total, Taken: r.Taken, Ready: r.Ready, Stored: r.Stored, Partial: r.Partial,
		Created: make([]importedJSON, 0, len(r.Created)), Refused: make([]refusalJSON, 0, len(r.Refused))}
	for _, c := range r.Created {
		iri := annotationIRI(base, c.AnnotationID)
		if c.NoteID != 0 {
			iri = noteIRI(base, c.ArticleSlug, c.NoteID)
		}
		out.Created = append(out.Created, importedJSON{Index: c.Index, From: c.From, ID: iri, Visibility: c.Visibility,
			OriginalCreator: c.OriginalCreator, Notes: c.Notes})
	}
	for _, f := range r.Refused {
		out.Refused = append(out.Refused, refusalJSON{Index: f.Index, From: f.From, Code: f.Code, Reason: f.Reason})
	}
	return out
}

// importMessage sums up a report in a sentence.
func importMessage(r db.ImportReport) string {
	switch {
	case r.Stored && len(r.Refused) == 0:
		return "Imported " + web.Plural(r.Taken, "annotation", "annotations") + "."
	case r.Stored:
		return "Imported " + strconv.Itoa(r.Taken) + " of " + strconv.Itoa(r.Total) + " items; " + web.Plural(len(r.Refused), "was", "were") + " refused."
	case r.Ready > 0 && !r.Partial:
		return "Nothing was imported: " + web.Plural(len(r.Refused), "item was", "items were") + " refused. Correct them, or import with partial=1 to take the " + strconv.Itoa(r.Ready) + " that passed."
	}
	return "Nothing was imported: none of the " + strconv.Itoa(r.Total) + " items could be."
}

// importOptions reads the importer's choices (form fields or query
// parameters: visibility, group, partial).
func importOptions(vis, group, partial string) (db.ImportOptions, error) {
	opts := db.ImportOptions{Visibility: vis}
	switch partial {
	case "", "0", "false", "off":
	case "1", "true", "on":
		opts.Partial = true
	default:
		return opts, web.BadRequest("partial takes 1 or 0, not %q.", partial)
	}
	if vis == db.ImportGroup {
		id, err := strconv.ParseInt(strings.TrimSpace(group), 10, 64)
		if err != nil || id <= 0 {
			return opts, web.BadRequest("Choose the group the imported annotations are shared with (group=ID).")
		}
		opts.GroupID = id
	}
	return opts, nil
}

// jsonError is the protocol's JSON error, for failures the central
// handler would word generically (413, 415).
func jsonError(c echo.Context, status int, msg string) error {
	return c.JSON(status, map[string]any{"error": map[string]any{"status": status, "message": msg}})
}

var tooLargeMessage = "The file is larger than " + strconv.Itoa(maxImportBytes>>20) + " MiB: split it, by article or by group."

// importAnnotations is POST /import/annotations: a file from the form
// (an HTML report), or the document itself as JSON-LD from a script (a
// JSON report; options in the query).
func (s *Server) importAnnotations(c echo.Context) error {
	r := c.Request()
	mt, _, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	if mt == echo.MIMEMultipartForm || mt == echo.MIMEApplicationForm {
		return s.importAnnotationsForm(c)
	}
	// A script: errors are JSON, whatever it accepts.
	r.Header.Set(echo.HeaderAccept, mediaJSON)
	v := web.Viewer(c.Request())
	if err := v.RequireSignIn(); err != nil {
		return err
	}
	if mt != mediaLDJSON && mt != mediaJSON {
		return jsonError(c, http.StatusUnsupportedMediaType,
			"Send the annotations as "+mediaAnno+" (or application/json), or upload the file with the form at "+paths.ImportAnnotation+".")
	}
	if r.ContentLength > maxImportBytes {
		return jsonError(c, http.StatusRequestEntityTooLarge, tooLargeMessage)
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxImportBytes+1))
	if err != nil {
		return web.BadRequest("The request body could not be read.")
	}
	if len(data) > maxImportBytes {
		return jsonError(c, http.StatusRequestEntityTooLarge, tooLargeMessage)
	}
	if !json.Valid(data) {
		return jsonError(c, http.StatusBadRequest, "The request body is not well-formed JSON.")
	}
	q := c.QueryParams()
	opts, err := importOptions(q.Get("visibility"), q.Get("group"), q.Get("partial"))
	if err != nil {
		return err
	}
	base := s.site.BaseIRI(r)
	items, err := readImport(base, data)
	if err != nil {
		return err
	}
	rep, err := s.db.ImportAnnotations(r.Context(), v, items, opts)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if !rep.Stored {
		status = http.StatusUnprocessableEntity
	}
	return c.JSON(status, importJSON(base, rep))
}

// importAnnotationsPage is the upload form, with the JSON-LD exports.
func (s *Server) importAnnotationsPage(c echo.Context) error {
	if err := web.Viewer(c.Request()).RequireSignIn(); err != nil {
		return err
	}
	f := views.Form{Values: map[string]string{"visibility": db.ImportKeep}, Errors: map[string]string{}}
	iv, err := s.importAnnotationsView(c.Request())
	if err != nil {
		return err
	}
	return web.OK(c, iv.page(f, nil))
}

// importView is what the import page shows besides the form: the groups
// the person may share imports with and may export.
type importView struct {
	m          views.ImportAnnotationsPage
	groupNames map[int64]string
}

func (s *Server) importAnnotationsView(r *http.Request) (*importView, error) {
	groups, err := s.db.GroupsOf(r.Context(), web.Viewer(r).UserID)
	if err != nil {
		return nil, err
	}
	iv := &importView{m: views.ImportAnnotationsPage{MaxMiB: maxImportBytes >> 20}, groupNames: map[int64]string{}}
	for _, g := range groups {
		iv.groupNames[g.ID] = g.Name
		iv.m.ExportGroups = append(iv.m.ExportGroups, views.GroupRef{ID: g.ID, Name: g.Name})
		if g.Role == db.RoleOwner || g.Role == db.RoleMember {
			iv.m.Groups = append(iv.m.Groups, views.Option{Value: strconv.FormatInt(g.ID, 10), Label: g.Name})
		}
	}
	return iv, nil
}

func (iv *importView) page(f views.Form, r *views.ImportReport) templ.Component {
	m := iv.m
	m.Form, m.Report = f, r
	return views.ImportAnnotations(m)
}

// report shapes an import's report for the page.
func (iv *importView) report(r db.ImportReport) *views.ImportReport {
	out := &views.ImportReport{Total: r.Total, Taken: r.Taken, Ready: r.Ready, Stored: r.Stored, Partial: r.Partial}
	for _, it := range r.Refused {
		out.Refused = append(out.Refused, views.RefusedItem{Index: it.Index, From: it.From, Reason: it.Reason})
	}
	for _, it := range r.Created {
		link := paths.AnnotationInArticle(it.ArticleSlug, it.AnnotationID)
		if it.NoteID != 0 {
			link = paths.NoteInArticle(it.ArticleSlug, it.NoteID)
		}
		out.Created = append(out.Created, views.ImportedItem{Index: it.Index, From: it.From,
			Link:     link,
			Audience: views.AudienceText(it.Visibility, iv.groupNames[it.GroupID]), OriginalCreator: it.OriginalCreator, Notes: it.Notes})
	}
	return out
}

// importAnnotationsForm imports the uploaded file and shows the report.
func (s *Server) importAnnotationsForm(c echo.Context) error {
	v := web.Viewer(c.Request())
	if err := v.RequireSignIn(); err != nil {
		return err
	}
	iv, err := s.importAnnotationsView(c.Request())
	if err != nil {
		return err
	}
	r := c.Request()
	f := views.Form{Values: map[string]string{}, Errors: map[string]string{}}
	fail := func(status int, msg string) error {
		f.Error = msg
		return web.Render(c, status, iv.page(f, nil))
	}
	noReport := func(f views.Form) templ.Component { return iv.page(f, nil) }
	limit := int64(maxImportBytes + importFormSlack)
	if r.ContentLength > limit {
		return fail(http.StatusRequestEntityTooLarge, tooLargeMessage)
	}
	r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
	if err := r.ParseMultipartForm(limit); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return fail(http.StatusRequestEntityTooLarge, tooLargeMessage)
		}
		return fail(http.StatusBadRequest, "The upload could not be read: try again.")
	}
	f = web.FormOf(c.Request(), "visibility", "group", "partial")
	fh, err := c.FormFile("file")
	if err != nil {
		return fail(http.StatusUnprocessableEntity, "Choose a JSON-LD file (.jsonld or .json) to import.")
	}
	if fh.Size > maxImportBytes {
		return fail(http.StatusRequestEntityTooLarge, tooLargeMessage)
	}
	file, err := fh.Open()
	if err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(file, maxImportBytes+1))
	file.Close()
	if err != nil {
		return err
	}
	if len(data) > maxImportBytes {
		return fail(http.StatusRequestEntityTooLarge, tooLargeMessage)
	}
	if !json.Valid(data) {
		return fail(http.StatusBadRequest, "The file "+fh.Filename+" is not well-formed JSON.")
	}
	opts, err := importOptions(f.Value("visibility"), f.Value("group"), f.Value("partial"))
	if err != nil {
		return web.Refuse(c, err, f, noReport)
	}
	items, err := readImport(s.site.BaseIRI(r), data)
	if err == nil {
		var rep db.ImportReport
		if rep, err = s.db.ImportAnnotations(r.Context(), v, items, opts); err == nil {
			status := http.StatusOK
			if !rep.Stored {
				status = http.StatusUnprocessableEntity
			}
			return web.Render(c, status, iv.page(f, iv.report(rep)))
		}
	}
	return web.Refuse(c, err, f, noReport)
}

// Package w3c serves the W3C Web Annotation Protocol (protocol.go) and the
// JSON-LD exports and imports (jsonld.go), over the same store calls and
// policy as the browser's pages.
package w3c

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/unicode/norm"

	"gloss/db"
	"gloss/handlers/paths"
	"gloss/handlers/web"
)

// Server holds what the protocol and the JSON-LD exchange use.
type Server struct {
	db   db.Store
	site web.Site
}

// New makes the protocol's and the JSON-LD exchange's handlers over store.
func New(store db.Store, site web.Site) *Server { return &Server{db: store, site: site} }

// Routes registers the protocol's resources and the JSON-LD exports and
// imports.
func (s *Server) Routes(e *echo.Echo) {
	s.protocolRoutes(e)
	s.jsonldRoutes(e)
}

// The W3C Web Annotation Protocol (https://www.w3.org/TR/annotation-protocol/):
// two kinds of container (every annotation, and one per article), paged as
// AnnotationCollection and AnnotationPage, and each annotation as JSON-LD.
// Reads and writes go through the same db calls and policy as the browser.

const (
	mediaAnno   = `application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"`
	mediaLDJSON = "application/ld+json"
	mediaJSON   = "application/json"
	mediaHTML   = "text/html"

	linkContainer     = `<http://www.w3.org/ns/ldp#BasicContainer>; rel="type"`
	linkResource      = `<http://www.w3.org/ns/ldp#Resource>; rel="type"`
	linkConstrainedBy = `<http://www.w3.org/TR/annotation-protocol/>; rel="http://www.w3.org/ns/ldp#constrainedBy"`

	allowContainer  = "GET, HEAD, OPTIONS, POST"
	allowAnnotation = "GET, HEAD, OPTIONS, PUT, DELETE"
	acceptPost      = mediaAnno + ", " + mediaJSON

	preferMinimal      = "http://www.w3.org/ns/ldp#PreferMinimalContainer"
	preferIRIs         = "http://www.w3.org/ns/oa#PreferContainedIRIs"
	preferDescriptions = "http://www.w3.org/ns/oa#PreferContainedDescriptions"

	maxAnnotationBytes = 1 << 20
	// TooLarge is the refusal of an annotation document over 1 MiB.
	TooLarge       = "The annotation document is too large: it may be at most 1 MiB."
	defaultPerPage = 100
	maxPerPage     = 1000
)

// protocolRoutes registers the W3C Web Annotation Protocol endpoints. The
// containers end in a slash: POST /articles/{slug}/annotations without it
// is the browser's form.
func (s *Server) protocolRoutes(e *echo.Echo) {
	for _, p := range []string{paths.Annotations, "/articles/:slug/annotations/"} {
		e.GET(p, s.getContainer)
		e.HEAD(p, s.getContainer)
		e.OPTIONS(p, s.optionsContainer)
		e.POST(p, s.postAnnotation)
	}
	e.GET("/annotations/:id", s.getW3CAnnotation)
	e.HEAD("/annotations/:id", s.getW3CAnnotation)
	e.OPTIONS("/annotations/:id", s.optionsW3CAnnotation)
	e.PUT("/annotations/:id", s.putW3CAnnotation)
	e.DELETE("/annotations/:id", s.deleteW3CAnnotation)
}

var (
	annotationPath = regexp.MustCompile(`^/annotations/[^/]+$`)
	containerPath  = regexp.MustCompile(`^/(annotations|articles/[^/]+/annotations)/$`)
)

// IsContainer reports whether a URL path is a protocol container's.
func IsContainer(path string) bool { return containerPath.MatchString(path) }

// IsAnnotation reports whether a URL path is one annotation's (the
// protocol's resource; a browser asking for HTML is redirected to the reader).
func IsAnnotation(path string) bool { return annotationPath.MatchString(path) }

// IsAPI reports whether a request is for a protocol resource whose errors
// are JSON: always, except an annotation a browser asked for as HTML.
func IsAPI(r *http.Request) bool {
	p := r.URL.Path
	if IsContainer(p) {
		return true
	}
	return IsAnnotation(p) && negotiate(r.Header.Get("Accept"), mediaLDJSON, mediaJSON, mediaHTML) != mediaHTML
}

// negotiate picks the offer the Accept header ranks highest (the first
// offer on ties, and when there is no Accept header), or "" if none is
// acceptable. A media range's most specific match sets an offer's quality.
func negotiate(accept string, offers ...string) string {
	if strings.TrimSpace(accept) == "" {
		return offers[0]
	}
	best, bestQ := "", 0.0
	for _, offer := range offers {
		q, spec := 0.0, -1
		for _, part := range strings.Split(accept, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil {
				continue
			}
			s := -1
			switch {
			case mt == offer:
				s = 2
			case mt == "*/*":
				s = 0
			case strings.HasSuffix(mt, "/*") && strings.HasPrefix(offer, strings.TrimSuffix(mt, "*")):
				s = 1
			}
			if s <= spec {
				continue
			}
			spec, q = s, 1
			if v, ok := params["q"]; ok {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
		if q > bestQ {
			best, bestQ = offer, q
		}
	}
	return best
}

// jsonMedia negotiates the JSON-LD response type: 406 when the client
// accepts neither JSON-LD nor JSON.
func jsonMedia(r *http.Request) (string, error) {
	switch negotiate(r.Header.Get("Accept"), mediaLDJSON, mediaJSON) {
	case mediaLDJSON:
		return mediaAnno, nil
	case mediaJSON:
		return mediaJSON, nil
	}
	return "", echo.NewHTTPError(http.StatusNotAcceptable,
		"This address serves JSON-LD: accept "+mediaAnno+" or application/json.")
}

// sendJSONLD writes a JSON-LD document with a strong ETag of its own
// representation (representationETag of the version's tag given, or of a
// digest of the bytes), answering 304 to a matching If-None-Match and only
// headers to HEAD.
func sendJSONLD(c echo.Context, status int, media, etag string, doc any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return err
	}
	if etag == "" {
		sum := sha256.Sum256(buf.Bytes())
		etag = `"` + hex.EncodeToString(sum[:16]) + `"`
	}
	etag = representationETag(etag, media)
	h := c.Response().Header()
	h.Set("ETag", etag)
	// What a viewer sees depends on who they are: no shared caching, and
	// revalidate with the ETag.
	h.Set("Cache-Control", "private, no-cache")
	r := c.Request()
	if status == http.StatusOK && (r.Method == http.MethodGet || r.Method == http.MethodHead) && etagListed(r.Header.Get("If-None-Match"), etag, false) {
		return c.NoContent(http.StatusNotModified)
	}
	h.Set(echo.HeaderContentType, media)
	if r.Method == http.MethodHead {
		return c.NoContent(status)
	}
	return c.Blob(status, media, buf.Bytes())
}

// representationETag is the ETag of the representation in media of the
// version whose tag is etag.
func representationETag(etag, media string) string {
	if media == mediaJSON {
		return web.WithETagSuffix(etag, web.ETagJSON)
	}
	return etag
}

// etagListed reports whether a conditional header lists etag, or is "*".
// If-Match compares strongly (a weak tag never matches) and names a
// version, so etag is the version's tag and any of its representations'
// tags match; If-None-Match compares weakly, and etag is the
// representation's (its content coding aside: a client's cached gzip copy
// is the same representation).
func etagListed(header, etag string, strong bool) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" {
			return true
		}
		if weak, ok := strings.CutPrefix(t, "W/"); ok {
			if strong {
				continue
			}
			t = weak
		}
		t = web.WithoutETagSuffix(t, web.ETagGzip)
		if strong {
			t = web.WithoutETagSuffix(t, web.ETagJSON)
		}
		if t == etag {
			return true
		}
	}
	return false
}

// checkIfMatch requires If-Match on changes, so no one overwrites or
// deletes a version they have not seen.
func checkIfMatch(r *http.Request, etag string) error {
	h := r.Header.Get("If-Match")
	if strings.TrimSpace(h) == "" {
		return echo.NewHTTPError(http.StatusPreconditionRequired,
			"Send If-Match with the annotation's ETag (from GET) so changes made meanwhile are not lost.")
	}
	if !etagListed(h, etag, true) {
		return echo.NewHTTPError(http.StatusPreconditionFailed,
			"The annotation changed since you read it (its ETag is now "+etag+"): GET it again and reapply your change.")
	}
	return nil
}

// matchedVersion is the version an If-Match named (checked by
// checkIfMatch), for the store to check again inside its write, so two
// clients changing one annotation at once cannot both succeed; zero for
// If-Match: *, which names any version.
func matchedVersion(r *http.Request, a db.Annotation) time.Time {
	if strings.TrimSpace(r.Header.Get("If-Match")) == "*" {
		return time.Time{}
	}
	return a.UpdatedAt
}

// readAnnotationDoc reads a JSON-LD request body: the right media type,
// at most 1 MiB, and well-formed JSON.
func readAnnotationDoc(r *http.Request) ([]byte, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	if err != nil || (mt != mediaLDJSON && mt != mediaJSON) {
		return nil, echo.NewHTTPError(http.StatusUnsupportedMediaType,
			"Send the annotation as "+mediaAnno+" (or application/json).")
	}
	tooLarge := echo.NewHTTPError(http.StatusRequestEntityTooLarge, TooLarge)
	if r.ContentLength > maxAnnotationBytes {
		return nil, tooLarge
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxAnnotationBytes+1))
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) || len(data) > maxAnnotationBytes {
		return nil, tooLarge
	} else if err != nil {
		return nil, echo.NewHTTPError(http.StatusBadRequest, "The request body could not be read.")
	}
	if !json.Valid(data) {
		return nil, echo.NewHTTPError(http.StatusBadRequest, "The request body is not well-formed JSON.")
	}
	// JSON-LD means what its @context says: a document sent as JSON-LD
	// must carry one (toInput checks it names the Web Annotation
	// context). Plain JSON is read as Web Annotation JSON, its context
	// implied, for scripts that send application/json.
	if mt == mediaLDJSON {
		var doc map[string]json.RawMessage
		if json.Unmarshal(data, &doc) == nil && doc["@context"] == nil {
			return nil, db.Errorf(db.EINVALID, "A JSON-LD annotation needs its “@context”: send \"@context\": \"%s\" (or send the document as application/json).", AnnoContext)
		}
	}
	return data, nil
}

// setAnnotationHeaders are the protocol's headers on an annotation. Its
// representations differ by media type and content coding.
func setAnnotationHeaders(h http.Header) {
	h.Set("Link", linkResource)
	h.Set("Allow", allowAnnotation)
	h.Set("Vary", "Accept, Accept-Encoding")
}

// SetContainerHeaders are the protocol's headers on a container, on its
// answers and its refusals alike (the error handler sets them on errors).
func SetContainerHeaders(h http.Header) {
	h.Del("Link")
	h.Add("Link", linkContainer)
	h.Add("Link", linkConstrainedBy)
	h.Set("Allow", allowContainer)
	h.Set("Accept-Post", acceptPost)
	h.Set("Vary", "Accept, Prefer, Accept-Encoding")
}

// container is one annotation container: every annotation, or one article's.
type container struct {
	article db.ArticleRef // zero for /annotations/
	path    string
	label   string
}

func (s *Server) loadContainer(r *http.Request, slug string) (container, error) {
	if slug == "" {
		return container{path: paths.Annotations, label: "Annotations in Gloss"}, nil
	}
	a, err := s.db.ArticleRefBySlug(r.Context(), slug)
	if err != nil {
		return container{}, err
	}
	return container{article: a, path: paths.ArticleAnnotations(a.Slug), label: "Annotations on “" + a.Title + "”"}, nil
}

// paging is the view of a container a request asks for.
type paging struct {
	iris    bool // items as IRIs, not descriptions
	perPage int
}

// iri is the container's IRI for this view, with page >= 0 a page's.
func (p paging) iri(base string, cont container, page int) string {
	var q []string
	if p.iris {
		q = append(q, "iris=1")
	}
	if page >= 0 {
		q = append(q, "page="+strconv.Itoa(page))
	}
	if p.perPage != defaultPerPage {
		q = append(q, "per_page="+strconv.Itoa(p.perPage))
	}
	if len(q) == 0 {
		return base + cont.path
	}
	return base + cont.path + "?" + strings.Join(q, "&")
}

func lastPage(total, perPage int) int { return max(0, (total+perPage-1)/perPage-1) }

// preferences reads the Prefer header's container preferences (RFC 7240,
// LDP include): a minimal container, and IRIs or descriptions.
type preferences struct {
	minimal, iris, descriptions bool
}

func parsePrefer(values []string) preferences {
	var p preferences
	for _, v := range values {
		for _, pref := range splitOutsideQuotes(v, ',') {
			parts := splitOutsideQuotes(pref, ';')
			if strings.ReplaceAll(strings.TrimSpace(parts[0]), " ", "") != "return=representation" {
				continue
			}
			for _, param := range parts[1:] {
				k, val, _ := strings.Cut(strings.TrimSpace(param), "=")
				if strings.TrimSpace(k) != "include" {
					continue
				}
				for _, iri := range strings.Fields(strings.Trim(strings.TrimSpace(val), `"`)) {
					switch iri {
					case preferMinimal:
						p.minimal = true
					case preferIRIs:
						p.iris = true
					case preferDescriptions:
						p.descriptions = true
					}
				}
			}
		}
	}
	return p
}

func splitOutsideQuotes(s string, sep byte) []string {
	var out []string
	quoted, from := false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			quoted = !quoted
		case sep:
			if !quoted {
				out = append(out, s[from:i])
				from = i + 1
			}
		}
	}
	return append(out, s[from:])
}

// w3cPage is an AnnotationPage; partOf and @context are left out when it
// is embedded in its collection.
type w3cPage struct {
	Context    any        `json:"@context,omitempty"`
	ID         string     `json:"id"`
	Type       string     `json:"type"`
	PartOf     *w3cPartOf `json:"partOf,omitempty"`
	StartIndex int        `json:"startIndex"`
	Prev       string     `json:"prev,omitempty"`
	Next       string     `json:"next,omitempty"`
	Items      []any      `json:"items"`
}

type w3cPartOf struct {
	ID    string `json:"id"`
	Total int    `json:"total"`
	First string `json:"first"`
	Last  string `json:"last"`
}

// w3cCollection is a container as an AnnotationCollection.
type w3cCollection struct {
	Context []any    `json:"@context"`
	ID      string   `json:"id"`
	Type    []string `json:"type"`
	Label   string   `json:"label"`
	Total   int      `json:"total"`
	First   any      `json:"first"`
	Last    string   `json:"last"`
}

// getContainer is GET and HEAD on a container: the AnnotationCollection,
// or with ?page=N one AnnotationPage.
func (s *Server) getContainer(c echo.Context) error {
	cont, err := s.loadContainer(c.Request(), c.Param("slug"))
	if err != nil {
		return err
	}
	SetContainerHeaders(c.Response().Header())
	media, err := jsonMedia(c.Request())
	if err != nil {
		return err
	}
	p, err := parsePaging(c.QueryParams())
	if err != nil {
		return err
	}
	if c.QueryParams().Has("page") {
		return s.getPage(c, cont, p, media)
	}
	prefs := parsePrefer(c.Request().Header.Values("Prefer"))
	applied := false
	if !c.QueryParams().Has("iris") && prefs.iris != prefs.descriptions {
		p.iris, applied = prefs.iris, true
	}
	applied = applied || prefs.minimal
	base := s.site.BaseIRI(c.Request())
	limit := p.perPage
	if prefs.minimal {
		limit = 0
	}
	items, total, err := s.db.AnnotationsPage(c.Request().Context(), web.Viewer(c.Request()), cont.article.ID, 0, limit)
	if err != nil {
		return err
	}
	if err := s.db.AttachEvidence(c.Request().Context(), items...); err != nil {
		return err
	}
	col := w3cCollection{
		Context: []any{AnnoContext, LDPContext, glossContext(base)},
		ID:      p.iri(base, cont, -1),
		Type:    []string{"BasicContainer", "AnnotationCollection"},
		Label:   cont.label, Total: total,
		First: p.iri(base, cont, 0),
		Last:  p.iri(base, cont, lastPage(total, p.perPage)),
	}
	if !prefs.minimal {
		first := s.page(base, cont, p, 0, total, items)
		first.Context, first.PartOf = nil, nil
		col.First = first
	}
	if applied {
		c.Response().Header().Set("Preference-Applied", "return=representation")
	}
	c.Response().Header().Set("Content-Location", col.ID)
	return sendJSONLD(c, http.StatusOK, media, "", col)
}

func parsePaging(q url.Values) (paging, error) {
	p := paging{perPage: defaultPerPage}
	switch q.Get("iris") {
	case "", "0":
	case "1":
		p.iris = true
	default:
		return p, echo.NewHTTPError(http.StatusBadRequest, "iris must be 0 (descriptions) or 1 (IRIs).")
	}
	if v := q.Get("per_page"); v != "" {
		// Both ends refused alike: a client asking for more than a page
		// holds is told, not silently given less.
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPerPage {
			return p, echo.NewHTTPError(http.StatusBadRequest, "per_page must be a whole number from 1 to "+strconv.Itoa(maxPerPage)+".")
		}
		p.perPage = n
	}
	return p, nil
}

// getPage serves one AnnotationPage of a container.
func (s *Server) getPage(c echo.Context, cont container, p paging, media string) error {
	n, err := strconv.Atoi(c.QueryParam("page"))
	if err != nil || n < 0 {
		return echo.NewHTTPError(http.StatusBadRequest, "page must be a whole number from 0.")
	}
	items, total, err := s.db.AnnotationsPage(c.Request().Context(), web.Viewer(c.Request()), cont.article.ID, n*p.perPage, p.perPage)
	if err != nil {
		return err
	}
	if err := s.db.AttachEvidence(c.Request().Context(), items...); err != nil {
		return err
	}
	if last := lastPage(total, p.perPage); n > last {
		return db.Errorf(db.ENOTFOUND, "There is no page %d: the last page is %d.", n, last)
	}
	// A page is not a container: no type link, and Prefer does not apply.
	h := c.Response().Header()
	h.Del("Link")
	h.Del("Accept-Post")
	h.Set("Allow", "GET, HEAD, OPTIONS")
	h.Set("Vary", "Accept, Accept-Encoding")
	return sendJSONLD(c, http.StatusOK, media, "", s.page(s.site.BaseIRI(c.Request()), cont, p, n, total, items))
}

// page builds AnnotationPage n of a container from its items.
func (s *Server) page(base string, cont container, p paging, n, total int, items []*db.Annotation) w3cPage {
	last := lastPage(total, p.perPage)
	pg := w3cPage{
		Context: []any{AnnoContext, glossContext(base)},
		ID:      p.iri(base, cont, n),
		Type:    "AnnotationPage",
		PartOf: &w3cPartOf{ID: p.iri(base, cont, -1), Total: total,
			First: p.iri(base, cont, 0), Last: p.iri(base, cont, last)},
		StartIndex: n * p.perPage,
		Items:      make([]any, 0, len(items)),
	}
	if n > 0 {
		pg.Prev = p.iri(base, cont, n-1)
	}
	if n < last {
		pg.Next = p.iri(base, cont, n+1)
	}
	for _, a := range items {
		if p.iris {
			pg.Items = append(pg.Items, annotationIRI(base, a.ID))
			continue
		}
		w := annotationToW3C(base, a)
		w.Context = nil // the page's context covers it
		pg.Items = append(pg.Items, w)
	}
	return pg
}

func (s *Server) optionsContainer(c echo.Context) error {
	if _, err := s.loadContainer(c.Request(), c.Param("slug")); err != nil {
		return err
	}
	SetContainerHeaders(c.Response().Header())
	return c.NoContent(http.StatusOK)
}

// postAnnotation creates an annotation, or a reply when the target is an
// annotation, from a JSON-LD document posted to a container.
func (s *Server) postAnnotation(c echo.Context) error {
	ctx := c.Request().Context()
	v := web.Viewer(c.Request())
	cont, err := s.loadContainer(c.Request(), c.Param("slug"))
	if err != nil {
		return err
	}
	if err := v.RequireSignIn(); err != nil {
		return err
	}
	media, err := jsonMedia(c.Request())
	if err != nil {
		return err
	}
	data, err := readAnnotationDoc(c.Request())
	if err != nil {
		return err
	}
	base := s.site.BaseIRI(c.Request())
	in, err := toInput(base, data)
	if err != nil {
		return err
	}
	var created db.Annotation
	if in.ParentID != 0 {
		parent, err := s.db.AnnotationByID(ctx, v, in.ParentID)
		if err != nil {
			return err
		}
		vis, group, err := s.db.ReplyAudience(ctx, parent.ID)
		if err != nil {
			return err
		}
		if err := checkReply(in, vis, group); err != nil {
			return err
		}
		if cont.article.ID != 0 && parent.ArticleID != cont.article.ID {
			return web.BadRequest("The annotation replied to is on another article: post the reply to /annotations/ or to that article's container.")
		}
		if created, err = s.db.CreateReplyFrom(ctx, v, parent.ID, in.Annotation.Body, in.Annotation.Provenance); err != nil {
			return err
		}
	} else {
		articleID := cont.article.ID
		switch {
		case in.ArticleSlug == "" && articleID == 0:
			return web.BadRequest("The target needs a “source”: the IRI of the article, like %s.", articleIRI(base, "")+"{slug}")
		case in.ArticleSlug != "" && articleID != 0 && in.ArticleSlug != cont.article.Slug:
			return web.BadRequest("The target is the article %q, not this container's: post it to %s/annotations/ instead.", in.ArticleSlug, articleIRI(base, in.ArticleSlug))
		case articleID == 0:
			a, err := s.db.ArticleRefBySlug(ctx, in.ArticleSlug)
			if db.ErrorCode(err) == db.ENOTFOUND {
				return web.BadRequest("The target %s names no article here.", articleIRI(base, in.ArticleSlug))
			} else if err != nil {
				return err
			}
			articleID = a.ID
		}
		if created, err = s.db.CreateEvidenceAnnotation(ctx, v, articleID, in.Annotation, in.Evidence); err != nil {
			return err
		}
	}
	if err := s.db.AttachEvidence(ctx, &created); err != nil {
		return err
	}
	setAnnotationHeaders(c.Response().Header())
	c.Response().Header().Set("Location", annotationIRI(base, created.ID))
	return sendJSONLD(c, http.StatusCreated, media, annotationETag(&created), annotationToW3C(base, &created))
}

// checkReply refuses what a reply cannot carry: a reply has no tags, and
// its audience is its thread's (vis and group: db.ReplyAudience for a new
// reply, its own for one that exists).
func checkReply(in w3cInput, vis db.Visibility, group int64) error {
	if len(in.TagList) > 0 {
		return web.BadRequest("Replies cannot carry tags: tag the annotation replied to instead.")
	}
	if in.Audience && (in.Annotation.Visibility != string(vis) ||
		(vis == db.Shared && in.Annotation.Group != strconv.FormatInt(group, 10))) {
		return web.BadRequest("A reply shares its thread's visibility (%s): leave out gloss:visibility and gloss:group, or send the thread's.", vis)
	}
	return nil
}

// getW3CAnnotation is GET and HEAD on one annotation: JSON-LD, or for a
// browser a redirect to its place in the reader.
func (s *Server) getW3CAnnotation(c echo.Context) error {
	c.Response().Header().Set("Vary", "Accept, Accept-Encoding")
	a, err := web.Load(c.Request(), c.Param("id"), s.db.AnnotationByID)
	if err != nil {
		return err
	}
	if negotiate(c.Request().Header.Get("Accept"), mediaLDJSON, mediaJSON, mediaHTML) == mediaHTML {
		return c.Redirect(http.StatusSeeOther, paths.CardLink(a.ArticleSlug, a.ID))
	}
	setAnnotationHeaders(c.Response().Header())
	media, err := jsonMedia(c.Request())
	if err != nil {
		return err
	}
	if err := s.db.AttachEvidence(c.Request().Context(), &a); err != nil {
		return err
	}
	return sendJSONLD(c, http.StatusOK, media, annotationETag(&a), annotationToW3C(s.site.BaseIRI(c.Request()), &a))
}

func (s *Server) optionsW3CAnnotation(c echo.Context) error {
	if _, err := web.Load(c.Request(), c.Param("id"), s.db.AnnotationByID); err != nil {
		return err
	}
	setAnnotationHeaders(c.Response().Header())
	return c.NoContent(http.StatusOK)
}

// loadForChange loads an annotation its author means to change, checking
// in order: signed in, visible, theirs, and If-Match.
func (s *Server) loadForChange(r *http.Request, rawID string) (db.Annotation, error) {
	v := web.Viewer(r)
	if err := v.RequireSignIn(); err != nil {
		return db.Annotation{}, err
	}
	a, err := web.Load(r, rawID, s.db.AnnotationByID)
	if err != nil {
		return a, err
	}
	if err := v.EditOwn(a.AuthorID); err != nil {
		return a, err
	}
	return a, checkIfMatch(r, annotationETag(&a))
}

// putW3CAnnotation replaces an annotation's body, tags and audience. Its
// target cannot change.
func (s *Server) putW3CAnnotation(c echo.Context) error {
	a, err := s.loadForChange(c.Request(), c.Param("id"))
	if err != nil {
		return err
	}
	media, err := jsonMedia(c.Request())
	if err != nil {
		return err
	}
	data, err := readAnnotationDoc(c.Request())
	if err != nil {
		return err
	}
	base := s.site.BaseIRI(c.Request())
	in, err := toInput(base, data)
	if err != nil {
		return err
	}
	if in.IRI != "" {
		if id, ok := annotationIDFromIRI(base, in.IRI); !ok || id != a.ID {
			return db.Errorf(db.ECONFLICT, "The document's id %q is not this annotation's (%s).", in.IRI, annotationIRI(base, a.ID))
		}
	}
	if err := sameTarget(in, a); err != nil {
		return err
	}
	if in.Annotation.Canonical != "" && in.Annotation.Canonical != a.Canonical {
		return db.Errorf(db.ECONFLICT, "An annotation's canonical IRI cannot change (it is %q): leave it as it was.", a.Canonical)
	}
	if a.ParentID != 0 {
		if err := checkReply(in, a.Visibility, a.GroupID); err != nil {
			return err
		}
	}
	// PUT replaces the whole annotation: without a gloss:kind body it is a
	// plain comment again.
	ev := in.Evidence
	if ev.Kind == "" {
		ev.Kind = db.KindComment
	}
	up, err := s.db.UpdateAnnotation(c.Request().Context(), web.Viewer(c.Request()), a.ID, db.AnnotationUpdate{
		Body: in.Annotation.Body, Tags: in.Annotation.Tags, Visibility: in.Annotation.Visibility, Group: in.Annotation.Group,
		Evidence: &ev, IfUnchangedSince: matchedVersion(c.Request(), a),
	})
	if err != nil {
		return err
	}
	if err := s.db.AttachEvidence(c.Request().Context(), &up); err != nil {
		return err
	}
	setAnnotationHeaders(c.Response().Header())
	return sendJSONLD(c, http.StatusOK, media, annotationETag(&up), annotationToW3C(base, &up))
}

// sameTarget refuses a PUT that would move an annotation: the passage (or
// the annotation replied to) is fixed once made.
func sameTarget(in w3cInput, a db.Annotation) error {
	moved := db.Errorf(db.ECONFLICT, "An annotation's target cannot change: delete it and create a new one.")
	if a.ParentID != 0 {
		if in.ArticleSlug != "" || in.HasSelector || (in.ParentID != 0 && in.ParentID != a.ParentID) {
			return moved
		}
		return nil
	}
	if in.ParentID != 0 || (in.ArticleSlug != "" && in.ArticleSlug != a.ArticleSlug) {
		return moved
	}
	if in.Annotation.Exact != "" && strings.Join(strings.Fields(norm.NFC.String(in.Annotation.Exact)), " ") != strings.Join(strings.Fields(a.Selector.Exact), " ") {
		return moved
	}
	return nil
}

// deleteW3CAnnotation deletes an annotation and its replies.
func (s *Server) deleteW3CAnnotation(c echo.Context) error {
	a, err := s.loadForChange(c.Request(), c.Param("id"))
	if err != nil {
		return err
	}
	if _, err := s.db.DeleteAnnotationIfUnchanged(c.Request().Context(), web.Viewer(c.Request()), a.ID, matchedVersion(c.Request(), a)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

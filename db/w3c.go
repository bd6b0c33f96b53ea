package db

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gloss/db/markdown"
)

// JSON-LD contexts.
const (
	AnnoContext = "http://www.w3.org/ns/anno.jsonld"
	LDPContext  = "http://www.w3.org/ns/ldp.jsonld"
)

// W3CAnnotation is one annotation as the Data Model's JSON-LD. Gloss's own
// properties use the "gloss" prefix, bound by W3CContext to {base}/ns#.
type W3CAnnotation struct {
	Context    any         `json:"@context,omitempty"`
	ID         string      `json:"id"`
	Type       string      `json:"type"`
	Motivation string      `json:"motivation"`
	Creator    *W3CCreator `json:"creator,omitempty"`
	Created    string      `json:"created,omitempty"`
	Modified   string      `json:"modified,omitempty"`
	Body       []W3CBody   `json:"body,omitempty"`
	// Target is a W3CTarget on an article, or for a reply the IRI of the
	// annotation it answers.
	Target     any    `json:"target"`
	Visibility string `json:"gloss:visibility"`
	Group      string `json:"gloss:group,omitempty"`
	Hidden     bool   `json:"gloss:hidden,omitempty"`
	// Canonical and Via are the client's: its canonical IRI, and the id the
	// annotation had before it came here.
	Canonical string `json:"canonical,omitempty"`
	Via       string `json:"via,omitempty"`
}

// W3CCreator is the annotation's author: an IRI and a display name, never
// an email address.
type W3CCreator struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	Name string `json:"name"`
}

// W3CBody is a TextualBody: the comment (Markdown) or one tag.
type W3CBody struct {
	Type         string `json:"type"`
	Value        string `json:"value"`
	Format       string `json:"format,omitempty"`
	Purpose      string `json:"purpose,omitempty"`
	*W3CEvidence        // gloss:kind and its fields, on the one structured body (evidence.go)
}

// W3CTarget is a passage of an article.
type W3CTarget struct {
	Source   string        `json:"source"`
	Selector []W3CSelector `json:"selector,omitempty"`
}

// W3CSelector is a TextQuoteSelector or a TextPositionSelector; positions
// are code points of the revision the annotation was made on.
type W3CSelector struct {
	Type   string `json:"type"`
	Exact  string `json:"exact,omitempty"`
	Prefix string `json:"prefix,omitempty"`
	Suffix string `json:"suffix,omitempty"`
	Start  *int   `json:"start,omitempty"`
	End    *int   `json:"end,omitempty"`
}

// Selector and body types and purposes of the Data Model.
const (
	TextQuoteSelector    = "TextQuoteSelector"
	TextPositionSelector = "TextPositionSelector"
	TextualBody          = "TextualBody"
	FormatMarkdown       = "text/markdown"
)

// AnnotationIRI and the functions below build the IRIs of Gloss resources
// under base (scheme and host, no trailing slash).
func AnnotationIRI(base string, id int64) string { return base + "/annotations/" + w3cID(id) }

func ArticleIRI(base, slug string) string { return base + "/articles/" + slug }

func UserIRI(base string, id int64) string { return base + "/users/" + w3cID(id) }

func GroupIRI(base string, id int64) string { return base + "/groups/" + w3cID(id) }

func w3cID(n int64) string { return strconv.FormatInt(n, 10) }

// W3CContext is an annotation's @context: the Web Annotation context and
// the gloss prefix (gloss:group holds an IRI).
func W3CContext(base string) []any {
	return []any{AnnoContext, GlossContext(base)}
}

// GlossContext binds the gloss prefix for Gloss's own properties.
func GlossContext(base string) map[string]any {
	return map[string]any{
		"gloss":       base + "/ns#",
		"gloss:group": map[string]string{"@type": "@id"},
	}
}

// W3CTime formats a time as xsd:dateTime in UTC.
func W3CTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// Motivation is the Data Model motivation of an annotation: replying,
// commenting, tagging (only tags) or highlighting (nothing added).
func (a *Annotation) Motivation() string {
	switch {
	case a.ParentID != 0:
		return "replying"
	case a.Body != "":
		return "commenting"
	case len(a.Tags) > 0:
		return "tagging"
	}
	return "highlighting"
}

// AnnotationToW3C maps a stored annotation to the Data Model, with its
// @context, as a standalone document.
func AnnotationToW3C(base string, a *Annotation) W3CAnnotation {
	out := W3CAnnotation{
		Context:    W3CContext(base),
		ID:         AnnotationIRI(base, a.ID),
		Type:       "Annotation",
		Motivation: a.Motivation(),
		Creator:    &W3CCreator{ID: UserIRI(base, a.AuthorID), Type: "Person", Name: a.AuthorName},
		Created:    W3CTime(a.CreatedAt),
		Modified:   W3CTime(a.UpdatedAt),
		Visibility: string(a.Visibility),
		Hidden:     a.Hidden,
		Canonical:  a.Canonical,
		Via:        a.Via,
	}
	if a.Visibility == Shared {
		out.Group = GroupIRI(base, a.GroupID)
	}
	if a.Body != "" {
		purpose := "commenting"
		if a.ParentID != 0 {
			purpose = "replying"
		}
		out.Body = append(out.Body, W3CBody{Type: TextualBody, Value: a.Body, Format: FormatMarkdown, Purpose: purpose})
	}
	for _, t := range a.Tags {
		out.Body = append(out.Body, W3CBody{Type: TextualBody, Value: t, Purpose: "tagging"})
	}
	if a.Evidence != nil {
		out.Body = append(out.Body, evidenceBody(a.Evidence))
	}
	if a.ParentID != 0 {
		out.Target = AnnotationIRI(base, a.ParentID)
		return out
	}
	start, end := a.Selector.Start, a.Selector.End
	out.Target = W3CTarget{Source: ArticleIRI(base, a.ArticleSlug), Selector: []W3CSelector{
		{Type: TextQuoteSelector, Exact: a.Selector.Exact, Prefix: a.Selector.Prefix, Suffix: a.Selector.Suffix},
		{Type: TextPositionSelector, Start: &start, End: &end},
	}}
	return out
}

// NoteIRI is a note's IRI: its place beside the article in the reader.
func NoteIRI(base, slug string, id int64) string {
	return ArticleIRI(base, slug) + "#n-" + strconv.FormatInt(id, 10)
}

// NoteToW3C maps a note, a comment on a whole article, to the Data Model:
// an annotation whose target is the article itself, with no selector.
func NoteToW3C(base, slug string, n *Note) W3CAnnotation {
	out := W3CAnnotation{
		Context:    W3CContext(base),
		ID:         NoteIRI(base, slug, n.ID),
		Type:       "Annotation",
		Motivation: "commenting",
		Creator:    &W3CCreator{ID: UserIRI(base, n.AuthorID), Type: "Person", Name: n.AuthorName},
		Created:    W3CTime(n.CreatedAt),
		Modified:   W3CTime(n.UpdatedAt),
		Visibility: string(n.Visibility),
		Body:       []W3CBody{{Type: TextualBody, Value: n.Body, Format: FormatMarkdown, Purpose: "commenting"}},
		Target:     ArticleIRI(base, slug),
	}
	if n.Visibility == Shared {
		out.Group = GroupIRI(base, n.GroupID)
	}
	return out
}

// AnnotationETag is a strong entity tag for the annotation's JSON-LD: it
// changes whenever anything in the representation can.
func AnnotationETag(a *Annotation) string {
	h := sha256.New()
	fmt.Fprintf(h, "%d\x00%s\x00%s\x00%d\x00%t\x00%s\x00%s\x00%s\x00%d",
		a.ID, a.UpdatedAt.UTC().Format(time.RFC3339Nano), a.Visibility, a.GroupID, a.Hidden,
		strings.Join(a.Tags, "\x01"), a.Body, a.AuthorName, a.ParentID)
	return `"` + hex.EncodeToString(h.Sum(nil))[:32] + `"`
}

// W3CInput is what a Data Model document asks for, checked for shape but
// not against the store. The target sets ParentID (a reply) or ArticleSlug
// and the selectors; a target with selectors but no source leaves the
// article to the container it was posted to.
type W3CInput struct {
	IRI         string // the document's own id, if any (ignored on create)
	ArticleSlug string // the article the target's source names
	ParentID    int64  // the annotation a reply targets
	HasSelector bool   // the target had selectors
	Audience    bool   // gloss:visibility or gloss:group was given
	Annotation  AnnotationInput
	TagList     []string      // the tagging bodies, as sent
	Evidence    EvidenceInput // the body with gloss:kind, if any (evidence.go)
}

// w3cMotivations are the Data Model's (§3.3.5).
var w3cMotivations = map[string]bool{
	"assessing": true, "bookmarking": true, "classifying": true, "commenting": true, "describing": true,
	"editing": true, "highlighting": true, "identifying": true, "linking": true, "moderating": true,
	"questioning": true, "replying": true, "tagging": true,
}

// w3cTextPurposes are body purposes whose text Gloss keeps as the comment.
var w3cTextPurposes = map[string]bool{"": true, "commenting": true, "replying": true, "describing": true, "questioning": true, "editing": true}

// W3CToInput reads one annotation in the Data Model's JSON-LD. IRIs of
// articles, annotations and groups must be under base (any scheme) or
// absolute paths. Everything Gloss cannot store faithfully is refused with
// EINVALID rather than dropped; offsets are passed on, never trusted.
func W3CToInput(base string, data []byte) (W3CInput, error) {
	in := W3CInput{Annotation: AnnotationInput{Start: -1, End: -1}}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		return in, Errorf(EINVALID, "Send one annotation as a JSON object.")
	}
	if raw, ok := doc["@context"]; ok {
		if err := checkW3CContext(raw); err != nil {
			return in, err
		}
	}
	if raw, ok := doc["id"]; ok {
		if err := json.Unmarshal(raw, &in.IRI); err != nil {
			return in, Errorf(EINVALID, "“id” must be an IRI string.")
		}
	}
	if err := parseW3CProvenance(doc, &in); err != nil {
		return in, err
	}
	types, err := jsonStrings(doc["type"], "type")
	if err != nil {
		return in, err
	}
	if !hasType(types, "Annotation") {
		return in, Errorf(EINVALID, "This is not an annotation: its “type” must be “Annotation”.")
	}
	motives, err := jsonStrings(doc["motivation"], "motivation")
	if err != nil {
		return in, err
	}
	for _, m := range motives {
		if !w3cMotivations[strings.TrimPrefix(m, "oa:")] {
			return in, Errorf(EINVALID, "%q is not a Web Annotation motivation.", m)
		}
	}
	if err := parseW3CBodies(doc, &in); err != nil {
		return in, err
	}
	raw, ok := doc["target"]
	if !ok {
		return in, Errorf(EINVALID, "An annotation needs a “target”: the article passage, or the annotation it replies to.")
	}
	if err := parseW3CTarget(base, raw, &in); err != nil {
		return in, err
	}
	return in, parseW3CAudience(base, doc, &in)
}

// parseW3CProvenance reads canonical (kept as sent) and via: the id the
// document had where it came from, when it is an absolute IRI, which a new
// annotation here keeps as via (the protocol: a client's id becomes via),
// else a via it carries.
func parseW3CProvenance(doc map[string]json.RawMessage, in *W3CInput) error {
	if raw, ok := doc["canonical"]; ok {
		if err := json.Unmarshal(raw, &in.Annotation.Canonical); err != nil {
			return Errorf(EINVALID, "“canonical” must be one IRI string.")
		}
	}
	if raw, ok := doc["via"]; ok {
		vias, err := jsonStrings(raw, "via")
		if err != nil {
			return err
		}
		if len(vias) > 1 {
			return Errorf(EINVALID, "“via” here is one IRI, not %d.", len(vias))
		}
		if len(vias) == 1 {
			in.Annotation.Via = vias[0]
		}
	}
	if in.IRI != "" && (Provenance{Via: in.IRI}).Check() == nil {
		in.Annotation.Via = in.IRI // a relative or blank-node id says nothing elsewhere
	}
	return in.Annotation.Provenance.Check()
}

func checkW3CContext(raw json.RawMessage) error {
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		list = []json.RawMessage{raw}
	}
	for _, c := range list {
		var s string
		if json.Unmarshal(c, &s) == nil && (s == AnnoContext || s == "https://www.w3.org/ns/anno.jsonld") {
			return nil
		}
	}
	return Errorf(EINVALID, "The “@context” must include %s.", AnnoContext)
}

func parseW3CBodies(doc map[string]json.RawMessage, in *W3CInput) error {
	var comments []string
	if raw, ok := doc["bodyValue"]; ok {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return Errorf(EINVALID, "“bodyValue” must be a string.")
		}
		comments = append(comments, s)
	}
	bodies, err := JsonItems(doc["body"])
	if err != nil {
		return Errorf(EINVALID, "“body” must be a TextualBody object or a list of them.")
	}
	for _, raw := range bodies {
		var iri string
		if json.Unmarshal(raw, &iri) == nil {
			return Errorf(EINVALID, "The body %q is an external resource: Gloss keeps only TextualBody bodies (a comment and tags).", iri)
		}
		var b map[string]json.RawMessage
		if err := json.Unmarshal(raw, &b); err != nil {
			return Errorf(EINVALID, "Each body must be a TextualBody object.")
		}
		types, err := jsonStrings(b["type"], "body type")
		if err != nil {
			return err
		}
		if len(types) > 0 && !hasType(types, TextualBody) {
			return Errorf(EINVALID, "The body type %q is not supported: Gloss keeps only TextualBody bodies.", strings.Join(types, ", "))
		}
		if _, ok := b["gloss:kind"]; ok {
			if in.Evidence.Kind != "" {
				return Errorf(EINVALID, "An annotation has one kind: send one body with “gloss:kind”.")
			}
			if in.Evidence, err = parseEvidenceBody(b); err != nil {
				return err
			}
			continue
		}
		var value, format, purpose string
		if err := json.Unmarshal(jsonOrNull(b["value"]), &value); err != nil || b["value"] == nil {
			return Errorf(EINVALID, "A TextualBody needs a “value” string.")
		}
		if json.Unmarshal(jsonOrNull(b["format"]), &format) != nil {
			return Errorf(EINVALID, "A body's “format” must be a string.")
		}
		if json.Unmarshal(jsonOrNull(b["purpose"]), &purpose) != nil {
			return Errorf(EINVALID, "A body's “purpose” must be one string.")
		}
		purpose = strings.TrimPrefix(purpose, "oa:")
		switch {
		case purpose == "tagging":
			if strings.Contains(value, ",") {
				return Errorf(EINVALID, "The tag %q contains a comma: send one tag per tagging body.", value)
			}
			in.TagList = append(in.TagList, value)
		case w3cTextPurposes[purpose]:
			// Comments are Markdown: a body without a format is taken as
			// Markdown, and plain text is escaped so it reads as sent
			// (both come back as text/markdown).
			switch format {
			case "", FormatMarkdown:
			case "text/plain":
				value = markdown.Escape(value)
			default:
				return Errorf(EINVALID, "The body format %q is not supported: send text/markdown or text/plain.", format)
			}
			comments = append(comments, value)
		default:
			return Errorf(EINVALID, "The body purpose %q is not supported: use commenting, replying or tagging.", purpose)
		}
	}
	if len(comments) > 1 {
		return Errorf(EINVALID, "An annotation holds one comment: send one commenting body, not %d.", len(comments))
	}
	if len(comments) == 1 {
		in.Annotation.Body = comments[0]
	}
	in.Annotation.Tags = strings.Join(in.TagList, ", ")
	return nil
}

func parseW3CTarget(base string, raw json.RawMessage, in *W3CInput) error {
	targets, err := JsonItems(raw)
	if err != nil || len(targets) == 0 {
		return Errorf(EINVALID, "“target” must be an IRI or a SpecificResource object.")
	}
	if len(targets) > 1 {
		return Errorf(EINVALID, "An annotation here has one target, not %d.", len(targets))
	}
	t := targets[0]
	var source string
	var selectors []json.RawMessage
	if json.Unmarshal(t, &source) != nil {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(t, &obj); err != nil {
			return Errorf(EINVALID, "“target” must be an IRI or a SpecificResource object.")
		}
		if _, ok := obj["refinedBy"]; ok {
			return Errorf(EINVALID, "Refined selectors (“refinedBy”) are not supported: send a TextQuoteSelector.")
		}
		key := "source"
		if _, ok := obj[key]; !ok {
			key = "id" // a reply may name its parent as {"id": ...}
		}
		if r, ok := obj[key]; ok {
			if err := json.Unmarshal(r, &source); err != nil {
				return Errorf(EINVALID, "The target's “%s” must be an IRI string.", key)
			}
		}
		if r, ok := obj["selector"]; ok {
			if selectors, err = JsonItems(r); err != nil {
				return Errorf(EINVALID, "“selector” must be a selector object or a list of them.")
			}
		}
	}
	if source != "" {
		if id, ok := AnnotationIDFromIRI(base, source); ok {
			if len(selectors) > 0 {
				return Errorf(EINVALID, "A reply targets the whole annotation: send no selector.")
			}
			in.ParentID = id
			return nil
		}
		slug, ok := LocalIRI(base, source, "articles")
		if !ok {
			return Errorf(EINVALID, "The target %q is not an article or annotation on this server.", source)
		}
		in.ArticleSlug = slug
	}
	return parseW3CSelectors(selectors, in)
}

func parseW3CSelectors(selectors []json.RawMessage, in *W3CInput) error {
	seen := map[string]bool{}
	for _, raw := range selectors {
		var s struct {
			Type   string          `json:"type"`
			Exact  *string         `json:"exact"`
			Prefix string          `json:"prefix"`
			Suffix string          `json:"suffix"`
			Start  *int            `json:"start"`
			End    *int            `json:"end"`
			Refine json.RawMessage `json:"refinedBy"`
		}
		if err := json.Unmarshal(raw, &s); err != nil {
			return Errorf(EINVALID, "A selector is malformed: TextQuoteSelector takes exact, prefix and suffix strings; TextPositionSelector takes start and end integers.")
		}
		if s.Refine != nil {
			return Errorf(EINVALID, "Refined selectors (“refinedBy”) are not supported: send a TextQuoteSelector.")
		}
		if seen[s.Type] {
			return Errorf(EINVALID, "Send one %s, not several.", s.Type)
		}
		seen[s.Type] = true
		switch strings.TrimPrefix(s.Type, "oa:") {
		case TextQuoteSelector:
			if s.Exact == nil || *s.Exact == "" {
				return Errorf(EINVALID, "A TextQuoteSelector needs the quoted passage in “exact”.")
			}
			in.Annotation.Exact, in.Annotation.Prefix, in.Annotation.Suffix = *s.Exact, s.Prefix, s.Suffix
		case TextPositionSelector:
			if s.Start == nil || s.End == nil || *s.Start < 0 || *s.End <= *s.Start {
				return Errorf(EINVALID, "A TextPositionSelector needs integers 0 ≤ start < end.")
			}
			in.Annotation.Start, in.Annotation.End = *s.Start, *s.End
		default:
			return Errorf(EINVALID, "The selector type %q is not supported: use TextQuoteSelector and TextPositionSelector.", s.Type)
		}
		in.HasSelector = true
	}
	return nil
}

func parseW3CAudience(base string, doc map[string]json.RawMessage, in *W3CInput) error {
	var vis string
	if raw, ok := doc["gloss:visibility"]; ok {
		if err := json.Unmarshal(raw, &vis); err != nil {
			return Errorf(EINVALID, "“gloss:visibility” must be private, group or public.")
		}
		if _, err := ParseVisibility(vis); err != nil {
			return err
		}
		in.Audience = true
	}
	if raw, ok := doc["gloss:group"]; ok {
		var iri string
		if json.Unmarshal(raw, &iri) != nil {
			var obj struct {
				ID string `json:"id"`
			}
			if json.Unmarshal(raw, &obj) != nil || obj.ID == "" {
				return Errorf(EINVALID, "“gloss:group” must be a group's IRI.")
			}
			iri = obj.ID
		}
		id, ok := LocalIRI(base, iri, "groups")
		if n, err := strconv.ParseInt(id, 10, 64); !ok || err != nil || n <= 0 {
			return Errorf(EINVALID, "“gloss:group” %q is not a group on this server.", iri)
		}
		switch vis {
		case "":
			vis = string(Shared)
		case string(Shared):
		default:
			return Errorf(EINVALID, "“gloss:group” goes with “gloss:visibility”: “group”, not %q.", vis)
		}
		in.Annotation.Group = id
		in.Audience = true
	}
	if vis == "" {
		vis = string(Private)
	}
	in.Annotation.Visibility = vis
	return nil
}

// AnnotationIDFromIRI returns the id of an annotation IRI under base.
func AnnotationIDFromIRI(base, iri string) (int64, bool) {
	s, ok := LocalIRI(base, iri, "annotations")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// matchIRI returns the last path segment of iri if it is {base}/{kind}/{x}
// (any scheme, same host) or the absolute path /{kind}/{x}.
func LocalIRI(base, iri, kind string) (string, bool) {
	u, err := url.Parse(iri)
	if err != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", false
	}
	if u.Host != "" || u.Scheme != "" {
		b, err := url.Parse(base)
		if err != nil || !strings.EqualFold(u.Host, b.Host) || (u.Scheme != "http" && u.Scheme != "https") {
			return "", false
		}
	}
	rest, ok := strings.CutPrefix(u.Path, "/"+kind+"/")
	if !ok || rest == "" || strings.Contains(rest, "/") {
		return "", false
	}
	return rest, true
}

// stringList reads a JSON-LD value that may be one string or a list.
func jsonStrings(raw json.RawMessage, name string) ([]string, error) {
	if raw == nil {
		return nil, nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, Errorf(EINVALID, "“%s” must be a string or a list of strings.", name)
	}
	return list, nil
}

// objectList reads a JSON-LD value that may be one item or a list.
func JsonItems(raw json.RawMessage) ([]json.RawMessage, error) {
	if raw == nil || string(raw) == "null" {
		return nil, nil
	}
	if strings.HasPrefix(strings.TrimSpace(string(raw)), "[") {
		var list []json.RawMessage
		err := json.Unmarshal(raw, &list)
		return list, err
	}
	return []json.RawMessage{raw}, nil
}

func jsonOrNull(raw json.RawMessage) json.RawMessage {
	if raw == nil {
		return json.RawMessage("null")
	}
	return raw
}

func hasType(list []string, s string) bool {
	for _, x := range list {
		if x == s || x == "oa:"+s {
			return true
		}
	}
	return false
}

// ArticleRef is an article's id and title, without its text.
type ArticleRef struct {
	ID    int64
	Slug  string
	Title string
}

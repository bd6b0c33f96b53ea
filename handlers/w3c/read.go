package w3c

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"gloss/db"
	"gloss/db/markdown"
)

// This file reads one annotation in the Data Model's JSON-LD into the
// store's inputs (the protocol's POST and PUT, and each item of an
// import: import.go); model.go writes them.

// w3cInput is what a Data Model document asks for, checked for shape but
// not against the store. The target sets ParentID (a reply) or ArticleSlug
// and the selectors; a target with selectors but no source leaves the
// article to the container it was posted to.
type w3cInput struct {
	IRI         string // the document's own id, if any (ignored on create)
	ArticleSlug string // the article the target's source names
	ParentID    int64  // the annotation a reply targets
	HasSelector bool   // the target had selectors
	Audience    bool   // gloss:visibility or gloss:group was given
	Annotation  db.AnnotationInput
	TagList     []string         // the tagging bodies, as sent
	Evidence    db.EvidenceInput // the body with gloss:kind, if any (evidence.go)
}

// w3cMotivations are the Data Model's (§3.3.5).
var w3cMotivations = map[string]bool{
	"assessing": true, "bookmarking": true, "classifying": true, "commenting": true, "describing": true,
	"editing": true, "highlighting": true, "identifying": true, "linking": true, "moderating": true,
	"questioning": true, "replying": true, "tagging": true,
}

// w3cTextPurposes are body purposes whose text Gloss keeps as the comment.
var w3cTextPurposes = map[string]bool{"": true, "commenting": true, "replying": true, "describing": true, "questioning": true, "editing": true}

// toInput reads one annotation in the Data Model's JSON-LD. IRIs of
// articles, annotations and groups must be under base (any scheme) or
// absolute paths. Everything Gloss cannot store faithfully is refused with
// EINVALID rather than dropped; offsets are passed on, never trusted.
func toInput(base string, data []byte) (w3cInput, error) {
	in := w3cInput{Annotation: db.AnnotationInput{Start: -1, End: -1}}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		return in, db.Errorf(db.EINVALID, "Send one annotation as a JSON object.")
	}
	if raw, ok := doc["@context"]; ok {
		if err := checkW3CContext(raw); err != nil {
			return in, err
		}
	}
	if raw, ok := doc["id"]; ok {
		if err := json.Unmarshal(raw, &in.IRI); err != nil {
			return in, db.Errorf(db.EINVALID, "“id” must be an IRI string.")
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
		return in, db.Errorf(db.EINVALID, "This is not an annotation: its “type” must be “Annotation”.")
	}
	motives, err := jsonStrings(doc["motivation"], "motivation")
	if err != nil {
		return in, err
	}
	for _, m := range motives {
		if !w3cMotivations[strings.TrimPrefix(m, "oa:")] {
			return in, db.Errorf(db.EINVALID, "%q is not a Web Annotation motivation.", m)
		}
	}
	if err := parseW3CBodies(doc, &in); err != nil {
		return in, err
	}
	raw, ok := doc["target"]
	if !ok {
		return in, db.Errorf(db.EINVALID, "An annotation needs a “target”: the article passage, or the annotation it replies to.")
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
func parseW3CProvenance(doc map[string]json.RawMessage, in *w3cInput) error {
	if raw, ok := doc["canonical"]; ok {
		if err := json.Unmarshal(raw, &in.Annotation.Canonical); err != nil {
			return db.Errorf(db.EINVALID, "“canonical” must be one IRI string.")
		}
	}
	if raw, ok := doc["via"]; ok {
		vias, err := jsonStrings(raw, "via")
		if err != nil {
			return err
		}
		if len(vias) > 1 {
			return db.Errorf(db.EINVALID, "“via” here is one IRI, not %d.", len(vias))
		}
		if len(vias) == 1 {
			in.Annotation.Via = vias[0]
		}
	}
	if in.IRI != "" && (db.Provenance{Via: in.IRI}).Check() == nil {
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
	return db.Errorf(db.EINVALID, "The “@context” must include %s.", AnnoContext)
}

func parseW3CBodies(doc map[string]json.RawMessage, in *w3cInput) error {
	var comments []string
	if raw, ok := doc["bodyValue"]; ok {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return db.Errorf(db.EINVALID, "“bodyValue” must be a string.")
		}
		comments = append(comments, s)
	}
	bodies, err := jsonItems(doc["body"])
	if err != nil {
		return db.Errorf(db.EINVALID, "“body” must be a TextualBody object or a list of them.")
	}
	for _, raw := range bodies {
		var iri string
		if json.Unmarshal(raw, &iri) == nil {
			return db.Errorf(db.EINVALID, "The body %q is an external resource: Gloss keeps only TextualBody bodies (a comment and tags).", iri)
		}
		var b map[string]json.RawMessage
		if err := json.Unmarshal(raw, &b); err != nil {
			return db.Errorf(db.EINVALID, "Each body must be a TextualBody object.")
		}
		types, err := jsonStrings(b["type"], "body type")
		if err != nil {
			return err
		}
		if len(types) > 0 && !hasType(types, textualBody) {
			return db.Errorf(db.EINVALID, "The body type %q is not supported: Gloss keeps only TextualBody bodies.", strings.Join(types, ", "))
		}
		if _, ok := b["gloss:kind"]; ok {
			if in.Evidence.Kind != "" {
				return db.Errorf(db.EINVALID, "An annotation has one kind: send one body with “gloss:kind”.")
			}
			if in.Evidence, err = parseEvidenceBody(b); err != nil {
				return err
			}
			continue
		}
		var value, format, purpose string
		if err := json.Unmarshal(jsonOrNull(b["value"]), &value); err != nil || b["value"] == nil {
			return db.Errorf(db.EINVALID, "A TextualBody needs a “value” string.")
		}
		if json.Unmarshal(jsonOrNull(b["format"]), &format) != nil {
			return db.Errorf(db.EINVALID, "A body's “format” must be a string.")
		}
		if json.Unmarshal(jsonOrNull(b["purpose"]), &purpose) != nil {
			return db.Errorf(db.EINVALID, "A body's “purpose” must be one string.")
		}
		purpose = strings.TrimPrefix(purpose, "oa:")
		switch {
		case purpose == "tagging":
			if strings.Contains(value, ",") {
				return db.Errorf(db.EINVALID, "The tag %q contains a comma: send one tag per tagging body.", value)
			}
			in.TagList = append(in.TagList, value)
		case w3cTextPurposes[purpose]:
			// Comments are Markdown: a body without a format is taken as
			// Markdown, and plain text is escaped so it reads as sent
			// (both come back as text/markdown).
			switch format {
			case "", formatMarkdown:
			case "text/plain":
				value = markdown.Escape(value)
			default:
				return db.Errorf(db.EINVALID, "The body format %q is not supported: send text/markdown or text/plain.", format)
			}
			comments = append(comments, value)
		default:
			return db.Errorf(db.EINVALID, "The body purpose %q is not supported: use commenting, replying or tagging.", purpose)
		}
	}
	if len(comments) > 1 {
		return db.Errorf(db.EINVALID, "An annotation holds one comment: send one commenting body, not %d.", len(comments))
	}
	if len(comments) == 1 {
		in.Annotation.Body = comments[0]
	}
	in.Annotation.Tags = strings.Join(in.TagList, ", ")
	return nil
}

func parseW3CTarget(base string, raw json.RawMessage, in *w3cInput) error {
	targets, err := jsonItems(raw)
	if err != nil || len(targets) == 0 {
		return db.Errorf(db.EINVALID, "“target” must be an IRI or a SpecificResource object.")
	}
	if len(targets) > 1 {
		return db.Errorf(db.EINVALID, "An annotation here has one target, not %d.", len(targets))
	}
	t := targets[0]
	var source string
	var selectors []json.RawMessage
	if json.Unmarshal(t, &source) != nil {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(t, &obj); err != nil {
			return db.Errorf(db.EINVALID, "“target” must be an IRI or a SpecificResource object.")
		}
		if _, ok := obj["refinedBy"]; ok {
			return db.Errorf(db.EINVALID, "Refined selectors (“refinedBy”) are not supported: send a TextQuoteSelector.")
		}
		key := "source"
		if _, ok := obj[key]; !ok {
			key = "id" // a reply may name its parent as {"id": ...}
		}
		if r, ok := obj[key]; ok {
			if err := json.Unmarshal(r, &source); err != nil {
				return db.Errorf(db.EINVALID, "The target's “%s” must be an IRI string.", key)
			}
		}
		if r, ok := obj["selector"]; ok {
			if selectors, err = jsonItems(r); err != nil {
				return db.Errorf(db.EINVALID, "“selector” must be a selector object or a list of them.")
			}
		}
	}
	if source != "" {
		if id, ok := annotationIDFromIRI(base, source); ok {
			if len(selectors) > 0 {
				return db.Errorf(db.EINVALID, "A reply targets the whole annotation: send no selector.")
			}
			in.ParentID = id
			return nil
		}
		slug, ok := localIRI(base, source, "articles")
		if !ok {
			return db.Errorf(db.EINVALID, "The target %q is not an article or annotation on this server.", source)
		}
		in.ArticleSlug = slug
	}
	return parseW3CSelectors(selectors, in)
}

func parseW3CSelectors(selectors []json.RawMessage, in *w3cInput) error {
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
			return db.Errorf(db.EINVALID, "A selector is malformed: TextQuoteSelector takes exact, prefix and suffix strings; TextPositionSelector takes start and end integers.")
		}
		if s.Refine != nil {
			return db.Errorf(db.EINVALID, "Refined selectors (“refinedBy”) are not supported: send a TextQuoteSelector.")
		}
		if seen[s.Type] {
			return db.Errorf(db.EINVALID, "Send one %s, not several.", s.Type)
		}
		seen[s.Type] = true
		switch strings.TrimPrefix(s.Type, "oa:") {
		case textQuoteSelector:
			if s.Exact == nil || *s.Exact == "" {
				return db.Errorf(db.EINVALID, "A TextQuoteSelector needs the quoted passage in “exact”.")
			}
			in.Annotation.Exact, in.Annotation.Prefix, in.Annotation.Suffix = *s.Exact, s.Prefix, s.Suffix
		case textPositionSelector:
			if s.Start == nil || s.End == nil || *s.Start < 0 || *s.End <= *s.Start {
				return db.Errorf(db.EINVALID, "A TextPositionSelector needs integers 0 ≤ start < end.")
			}
			in.Annotation.Start, in.Annotation.End = *s.Start, *s.End
		default:
			return db.Errorf(db.EINVALID, "The selector type %q is not supported: use TextQuoteSelector and TextPositionSelector.", s.Type)
		}
		in.HasSelector = true
	}
	return nil
}

func parseW3CAudience(base string, doc map[string]json.RawMessage, in *w3cInput) error {
	var vis string
	if raw, ok := doc["gloss:visibility"]; ok {
		if err := json.Unmarshal(raw, &vis); err != nil {
			return db.Errorf(db.EINVALID, "“gloss:visibility” must be private, group or public.")
		}
		if _, err := db.ParseVisibility(vis); err != nil {
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
				return db.Errorf(db.EINVALID, "“gloss:group” must be a group's IRI.")
			}
			iri = obj.ID
		}
		id, ok := localIRI(base, iri, "groups")
		if n, err := strconv.ParseInt(id, 10, 64); !ok || err != nil || n <= 0 {
			return db.Errorf(db.EINVALID, "“gloss:group” %q is not a group on this server.", iri)
		}
		switch vis {
		case "":
			vis = string(db.Shared)
		case string(db.Shared):
		default:
			return db.Errorf(db.EINVALID, "“gloss:group” goes with “gloss:visibility”: “group”, not %q.", vis)
		}
		in.Annotation.Group = id
		in.Audience = true
	}
	if vis == "" {
		vis = string(db.Private)
	}
	in.Annotation.Visibility = vis
	return nil
}

// annotationIDFromIRI returns the id of an annotation IRI under base.
func annotationIDFromIRI(base, iri string) (int64, bool) {
	s, ok := localIRI(base, iri, "annotations")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// localIRI returns the last path segment of iri if it is {base}/{kind}/{x}
// (any scheme, same host) or the absolute path /{kind}/{x}.
func localIRI(base, iri, kind string) (string, bool) {
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

// jsonStrings reads a JSON-LD value that may be one string or a list.
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
		return nil, db.Errorf(db.EINVALID, "“%s” must be a string or a list of strings.", name)
	}
	return list, nil
}

// jsonItems reads a JSON-LD value that may be one item or a list.
func jsonItems(raw json.RawMessage) ([]json.RawMessage, error) {
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

// parseEvidenceBody reads a body with gloss:kind into the form's input, so
// the import validates it exactly as the annotate form does.
func parseEvidenceBody(b map[string]json.RawMessage) (db.EvidenceInput, error) {
	var w w3cEvidence
	raw, _ := json.Marshal(b)
	if err := json.Unmarshal(raw, &w); err != nil {
		return db.EvidenceInput{}, db.Errorf(db.EINVALID, "A body with “gloss:kind” has a field of the wrong type: numbers for gloss:low and gloss:high, strings otherwise.")
	}
	num := func(f *float64) string {
		if f == nil {
			return ""
		}
		return strconv.FormatFloat(*f, 'f', -1, 64)
	}
	in := db.EvidenceInput{Kind: w.Kind, Low: num(w.Low), High: num(w.High), Unit: w.Unit, Counted: w.Counted, RefDate: w.RefDate,
		DateFrom: w.DateFrom, DateTo: w.DateTo, Place: w.Place}
	switch w.Kind {
	case db.KindEntity:
		in.Entity, in.EntityType = w.Entity, w.EntityType
	case db.KindQuote:
		in.Speaker, in.SpeakerType = w.Entity, w.EntityType
	case db.KindFigure:
		in.Estimator, in.EstimatorType = w.Entity, w.EntityType
	case db.KindComment, "":
		return in, db.Errorf(db.EINVALID, "“gloss:kind” must be entity, quote, figure or event.")
	}
	if _, err := db.PrepareEvidence(in); err != nil {
		return in, err
	}
	return in, nil
}

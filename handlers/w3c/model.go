package w3c

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gloss/db"
	"gloss/db/evidence"
	"gloss/handlers/paths"
)

// This file maps the store's annotations and notes to the Web Annotation
// Data Model's JSON-LD; read.go reads such documents back.

// JSON-LD contexts.
const (
	AnnoContext = "http://www.w3.org/ns/anno.jsonld"
	LDPContext  = "http://www.w3.org/ns/ldp.jsonld"
)

// w3cAnnotation is one annotation as the Data Model's JSON-LD. Gloss's own
// properties use the "gloss" prefix, bound by w3cContext to {base}/ns#.
type w3cAnnotation struct {
	Context    any         `json:"@context,omitempty"`
	ID         string      `json:"id"`
	Type       string      `json:"type"`
	Motivation string      `json:"motivation"`
	Creator    *w3cCreator `json:"creator,omitempty"`
	Created    string      `json:"created,omitempty"`
	Modified   string      `json:"modified,omitempty"`
	Body       []w3cBody   `json:"body,omitempty"`
	// Target is a w3cTarget on an article, or for a reply the IRI of the
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

// w3cCreator is the annotation's author: an IRI and a display name, never
// an email address.
type w3cCreator struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	Name string `json:"name"`
}

// w3cBody is a TextualBody: the comment (Markdown), one tag, or the
// annotation's kind of evidence.
type w3cBody struct {
	Type         string `json:"type"`
	Value        string `json:"value"`
	Format       string `json:"format,omitempty"`
	Purpose      string `json:"purpose,omitempty"`
	*w3cEvidence        // gloss:kind and its fields, on the one structured body
}

// w3cEvidence is the gloss: part of an evidence body.
type w3cEvidence struct {
	Kind       string   `json:"gloss:kind"`
	Entity     string   `json:"gloss:entity,omitempty"`
	EntityType string   `json:"gloss:entityType,omitempty"`
	Low        *float64 `json:"gloss:low,omitempty"`
	High       *float64 `json:"gloss:high,omitempty"`
	Unit       string   `json:"gloss:unit,omitempty"`
	Counted    string   `json:"gloss:counted,omitempty"`
	RefDate    string   `json:"gloss:refDate,omitempty"`
	DateFrom   string   `json:"gloss:dateFrom,omitempty"`
	DateTo     string   `json:"gloss:dateTo,omitempty"`
	Place      string   `json:"gloss:place,omitempty"`
}

// w3cTarget is a passage of an article.
type w3cTarget struct {
	Source   string        `json:"source"`
	Selector []w3cSelector `json:"selector,omitempty"`
}

// w3cSelector is a TextQuoteSelector or a TextPositionSelector; positions
// are code points of the revision the annotation was made on.
type w3cSelector struct {
	Type   string `json:"type"`
	Exact  string `json:"exact,omitempty"`
	Prefix string `json:"prefix,omitempty"`
	Suffix string `json:"suffix,omitempty"`
	Start  *int   `json:"start,omitempty"`
	End    *int   `json:"end,omitempty"`
}

// Selector and body types and purposes of the Data Model.
const (
	textQuoteSelector    = "TextQuoteSelector"
	textPositionSelector = "TextPositionSelector"
	textualBody          = "TextualBody"
	formatMarkdown       = "text/markdown"
)

// annotationIRI and the functions below are the IRIs of Gloss resources
// under base (scheme and host, no trailing slash): the site's addresses.
func annotationIRI(base string, id int64) string { return base + paths.Annotation(id) }

func articleIRI(base, slug string) string { return base + paths.Article(slug) }

func userIRI(base string, id int64) string { return base + paths.User(id) }

func groupIRI(base string, id int64) string { return base + paths.Group(id) }

// noteIRI is a note's IRI: its place beside the article in the reader.
func noteIRI(base, slug string, id int64) string { return base + paths.NoteInArticle(slug, id) }

// w3cContext is an annotation's @context: the Web Annotation context and
// the gloss prefix (gloss:group holds an IRI).
func w3cContext(base string) []any {
	return []any{AnnoContext, glossContext(base)}
}

// glossContext binds the gloss prefix for Gloss's own properties.
func glossContext(base string) map[string]any {
	return map[string]any{
		"gloss":       base + paths.Vocabulary,
		"gloss:group": map[string]string{"@type": "@id"},
	}
}

// w3cTime formats a time as xsd:dateTime in UTC.
func w3cTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// motivation is the Data Model motivation of an annotation: replying,
// commenting, tagging (only tags) or highlighting (nothing added).
func motivation(a *db.Annotation) string {
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

// creator is an author as the Data Model's creator; in a pseudonymized
// export (db.Pseudonymize numbered them) an IRI local to the file, at
// fileIRI, so it tells nobody who they are.
func creator(base, fileIRI string, authorID int64, name string, participant int) *w3cCreator {
	if participant != 0 {
		return &w3cCreator{ID: fileIRI + "#participant-" + strconv.Itoa(participant), Type: "Person", Name: name}
	}
	return &w3cCreator{ID: userIRI(base, authorID), Type: "Person", Name: name}
}

// annotationToW3C maps a stored annotation to the Data Model, with its
// @context, as a standalone document.
func annotationToW3C(base string, a *db.Annotation) w3cAnnotation {
	return annotationInFile(base, "", a)
}

// annotationInFile is annotationToW3C in an export served at fileIRI.
func annotationInFile(base, fileIRI string, a *db.Annotation) w3cAnnotation {
	out := w3cAnnotation{
		Context:    w3cContext(base),
		ID:         annotationIRI(base, a.ID),
		Type:       "Annotation",
		Motivation: motivation(a),
		Creator:    creator(base, fileIRI, a.AuthorID, a.AuthorName, a.Participant),
		Created:    w3cTime(a.CreatedAt),
		Modified:   w3cTime(a.UpdatedAt),
		Visibility: string(a.Visibility),
		Hidden:     a.Hidden,
		Canonical:  a.Canonical,
		Via:        a.Via,
	}
	if a.Visibility == db.Shared {
		out.Group = groupIRI(base, a.GroupID)
	}
	if a.Body != "" {
		purpose := "commenting"
		if a.ParentID != 0 {
			purpose = "replying"
		}
		out.Body = append(out.Body, w3cBody{Type: textualBody, Value: a.Body, Format: formatMarkdown, Purpose: purpose})
	}
	for _, t := range a.Tags {
		out.Body = append(out.Body, w3cBody{Type: textualBody, Value: t, Purpose: "tagging"})
	}
	if a.Evidence != nil {
		out.Body = append(out.Body, evidenceBody(a.Evidence))
	}
	if a.ParentID != 0 {
		out.Target = annotationIRI(base, a.ParentID)
		return out
	}
	start, end := a.Selector.Start, a.Selector.End
	out.Target = w3cTarget{Source: articleIRI(base, a.ArticleSlug), Selector: []w3cSelector{
		{Type: textQuoteSelector, Exact: a.Selector.Exact, Prefix: a.Selector.Prefix, Suffix: a.Selector.Suffix},
		{Type: textPositionSelector, Start: &start, End: &end},
	}}
	return out
}

// noteInFile maps a note, a comment on a whole article, to the Data Model
// in an export served at fileIRI: an annotation whose target is the
// article itself, with no selector.
func noteInFile(base, fileIRI, slug string, n *db.Note) w3cAnnotation {
	out := w3cAnnotation{
		Context:    w3cContext(base),
		ID:         noteIRI(base, slug, n.ID),
		Type:       "Annotation",
		Motivation: "commenting",
		Creator:    creator(base, fileIRI, n.AuthorID, n.AuthorName, n.Participant),
		Created:    w3cTime(n.CreatedAt),
		Modified:   w3cTime(n.UpdatedAt),
		Visibility: string(n.Visibility),
		Body:       []w3cBody{{Type: textualBody, Value: n.Body, Format: formatMarkdown, Purpose: "commenting"}},
		Target:     articleIRI(base, slug),
	}
	if n.Visibility == db.Shared {
		out.Group = groupIRI(base, n.GroupID)
	}
	return out
}

// evidenceBody is the body that carries an annotation's kind of evidence:
// a readable summary, and the fields as gloss: properties.
func evidenceBody(e *db.Evidence) w3cBody {
	purpose := "describing"
	if e.Kind == db.KindEntity {
		purpose = "identifying"
	}
	w := &w3cEvidence{Kind: e.Kind, Entity: e.EntityName, EntityType: e.EntityType, Unit: e.Unit, Counted: e.Counted,
		RefDate: e.RefDate, DateFrom: e.DateFrom, DateTo: e.DateTo, Place: e.PlaceName}
	if e.HasValue {
		low, high := e.Low, e.High
		w.Low, w.High = &low, &high
	}
	return w3cBody{Type: textualBody, Value: evidence.Summary(e.Fields()), Format: "text/plain", Purpose: purpose, w3cEvidence: w}
}

// annotationETag is a strong entity tag for the annotation's JSON-LD: it
// changes whenever anything in the representation can.
func annotationETag(a *db.Annotation) string {
	h := sha256.New()
	fmt.Fprintf(h, "%d\x00%s\x00%s\x00%d\x00%t\x00%s\x00%s\x00%s\x00%d",
		a.ID, a.UpdatedAt.UTC().Format(time.RFC3339Nano), a.Visibility, a.GroupID, a.Hidden,
		strings.Join(a.Tags, "\x01"), a.Body, a.AuthorName, a.ParentID)
	return `"` + hex.EncodeToString(h.Sum(nil))[:32] + `"`
}

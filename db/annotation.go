package db

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gloss/db/anchor"
	"gloss/db/markdown"

	"golang.org/x/text/unicode/norm"
)

// Limits on annotations.
const (
	MaxQuoteLen   = 5000  // code points
	MaxCommentLen = 20000 // code points of Markdown
)

// Annotation is a highlight or comment on a passage, or a reply to one.
type Annotation struct {
	ID           int64
	ArticleID    int64
	ArticleSlug  string
	ArticleTitle string
	AuthorID     int64
	AuthorName   string
	Participant  int   // the author's number in a pseudonymized export (Pseudonymize), else 0
	ParentID     int64 // 0 for a top-level annotation
	Body         string
	BodyHTML     string // sanitized
	Visibility   Visibility
	GroupID      int64
	GroupName    string
	RevisionID   int64           // the revision the selector was made on
	Selector     anchor.Selector // empty on replies
	Anchor       anchor.Match    // where it lies in the current revision
	Tags         []string
	Hidden       bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Replies      []*Annotation
	Evidence     *Evidence // the kind's fields; filled by the exports and AttachEvidence (evidence.go)
	Provenance
}

// Provenance is where an annotation came from when a client or a file
// named it (the Web Annotation model's canonical and via): kept as sent,
// never changed.
type Provenance struct {
	Canonical string // the annotation's canonical IRI, everywhere
	Via       string // the IRI it had where it came from
}

// MaxIRILen bounds canonical and via.
const MaxIRILen = 2000

// check validates both as absolute IRIs.
func (p Provenance) Check() error {
	for _, f := range []struct{ name, iri string }{{"canonical", p.Canonical}, {"via", p.Via}} {
		if f.iri == "" {
			continue
		}
		u, err := url.Parse(f.iri)
		if !utf8.ValidString(f.iri) || len(f.iri) > MaxIRILen || err != nil || u.Scheme == "" || strings.ContainsFunc(f.iri, unicode.IsSpace) {
			return Errorf(EINVALID, "“%s” must be an absolute IRI of at most %d characters, like urn:uuid:… or https://….", f.name, MaxIRILen)
		}
	}
	return nil
}

// Highlight reports whether it is a bare highlight (no comment).
func (a *Annotation) Highlight() bool { return a.Body == "" && a.ParentID == 0 }

// AnnotationInput is what the create form and the API send. Start and End
// are code-point offsets into the current text, or -1 when not given (the
// no-JavaScript form, where only the quote is typed).
type AnnotationInput struct {
	Start, End     int
	Exact          string
	Prefix, Suffix string
	Body           string
	Tags           string
	Visibility     string
	Group          string // group id, for group visibility
	Provenance            // canonical and via, from the protocol and imports
}

// audience validates a visibility and group choice.
func Audience(vis, group string) (Visibility, int64, error) {
	v, err := ParseVisibility(vis)
	if err != nil {
		return "", 0, err
	}
	if v != Shared {
		return v, 0, nil
	}
	id, err := strconv.ParseInt(strings.TrimSpace(group), 10, 64)
	if err != nil || id <= 0 {
		return "", 0, Errorf(EINVALID, "Choose the group that may see this.")
	}
	return v, id, nil
}

func CleanBody(body string) (string, error) {
	return CleanText("The comment", body, 0, MaxCommentLen, true)
}

// annotationDraft is an AnnotationInput checked against the policy and the
// limits, before it meets the text.
type AnnotationDraft struct {
	Vis     Visibility
	GroupID int64
	Body    string
	HTML    string // body rendered, before the transaction
	Tags    []string
	From    Provenance
}

// prepareAnnotation checks what CreateAnnotation checks before opening its
// transaction: audience and permission, comment, tags, quote encoding.
func PrepareAnnotation(v Viewer, in AnnotationInput) (AnnotationDraft, error) {
	var d AnnotationDraft
	var err error
	if d.Vis, d.GroupID, err = Audience(in.Visibility, in.Group); err != nil {
		return d, About("group", err)
	}
	if err := v.Write(d.Vis, d.GroupID); err != nil {
		return d, err
	}
	if d.Body, err = CleanBody(in.Body); err != nil {
		return d, About("body", err)
	}
	d.HTML = markdown.HTML(d.Body)
	if d.Tags, err = ParseTags(in.Tags); err != nil {
		return d, About("tags", err)
	}
	if !utf8.ValidString(in.Exact + in.Prefix + in.Suffix) {
		return d, FieldErrorf("exact", "The quoted passage contains characters that are not valid text.")
	}
	if err := in.Provenance.Check(); err != nil {
		return d, err
	}
	d.From = in.Provenance
	return d, nil
}

// resolveTarget turns what the client sent into a selector on text. The
// stored text is NFC (the W3C rule for offsets), so the quote and its
// context are too before they are looked for: "cafe\u0301" finds "café",
// from a form, the protocol or a file alike.
func ResolveTarget(text string, in AnnotationInput) (anchor.Selector, error) {
	in.Exact, in.Prefix, in.Suffix = norm.NFC.String(in.Exact), norm.NFC.String(in.Prefix), norm.NFC.String(in.Suffix)
	runes := []rune(text)
	exact := in.Exact
	if in.Start >= 0 && in.End > in.Start && in.End <= len(runes) {
		at := string(runes[in.Start:in.End])
		if exact == "" || at == exact {
			return anchor.FromRange(text, in.Start, in.End)
		}
	}
	if strings.TrimSpace(exact) == "" {
		return anchor.Selector{}, FieldErrorf("exact", "Select a passage in the text, or type or paste the words you want to annotate.")
	}
	if utf8.RuneCountInString(exact) > MaxQuoteLen {
		return anchor.Selector{}, FieldErrorf("exact", "The passage is longer than %d characters: annotate a shorter one.", MaxQuoteLen)
	}
	if in.Start >= 0 || in.Prefix != "" || in.Suffix != "" {
		// The client had a position or context: trust only an exact find.
		m := anchor.Locate(text, anchor.Selector{Start: max(in.Start, 0), End: max(in.End, 0), Exact: exact, Prefix: in.Prefix, Suffix: in.Suffix})
		if m.Status == anchor.Anchored || m.Status == anchor.Moved {
			return anchor.FromRange(text, m.Start, m.End)
		}
	}
	starts, length := findQuote(runes, []rune(exact))
	switch len(starts) {
	case 0:
		return anchor.Selector{}, FieldErrorf("exact", "The passage “%s” is not in this article's text. Check it was copied exactly.", clipQuote(exact))
	case 1:
		return anchor.FromRange(text, starts[0], starts[0]+length[0])
	}
	return anchor.Selector{}, FieldErrorf("exact", "The passage “%s” occurs %d times in this article: quote a few more words so Gloss can tell which one you mean.", clipQuote(exact), len(starts))
}

// findQuote finds every occurrence of quote in text, treating any run of
// white space as equal to any other (pasted text rarely keeps line breaks)
// and ignoring white space at the quote's ends. It returns each match's
// start and length in code points of text.
func findQuote(text, quote []rune) (starts, lengths []int) {
	q := strings.Fields(string(quote))
	if len(q) == 0 {
		return nil, nil
	}
	// Normalized text: words joined by one space, with a map back to runes.
	var norm []rune
	var back []int
	inSpace := true
	for i, r := range text {
		if unicode.IsSpace(r) {
			if !inSpace {
				norm = append(norm, ' ')
				back = append(back, i)
			}
			inSpace = true
			continue
		}
		inSpace = false
		norm = append(norm, r)
		back = append(back, i)
	}
	pat := []rune(strings.Join(q, " "))
	for i := 0; i+len(pat) <= len(norm); i++ {
		if slices.Equal(norm[i:i+len(pat)], pat) {
			s, e := back[i], back[i+len(pat)-1]+1
			starts = append(starts, s)
			lengths = append(lengths, e-s)
		}
	}
	return starts, lengths
}

func clipQuote(s string) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return string(r)
}

// Annotation scopes for AnnotationFilter.Scope.
const (
	ScopeAll    = ""       // everything the viewer may see
	ScopeMine   = "mine"   // written by the viewer
	ScopeGroups = "groups" // shared with the viewer's groups
	ScopePublic = "public" // public ones
)

// AnnotationFilter narrows the annotations on an article.
type AnnotationFilter struct {
	Scope    string
	Tag      string
	AuthorID int64
}

// prepareReply checks a reply to parent: the viewer may write in its
// thread's audience, and says something. It returns the cleaned body.
func PrepareReply(v Viewer, parent *Annotation, body string) (string, error) {
	if err := v.Write(parent.Visibility, parent.GroupID); err != nil {
		return "", err
	}
	body, err := CleanBody(body)
	if err != nil {
		return "", About("body", err)
	}
	if strings.TrimSpace(body) == "" {
		return "", FieldErrorf("body", "Write something to reply.")
	}
	return body, nil
}

// AnnotationUpdate is what an author may change.
type AnnotationUpdate struct {
	Body       string
	Tags       string
	Visibility string
	Group      string
	Evidence   *EvidenceInput // its kind and fields; nil leaves them as they are
	// IfUnchangedSince, when set, is the UpdatedAt of the version the
	// caller read (the protocol's If-Match): a change made meanwhile
	// refuses the update with EPRECONDITION, checked inside the write.
	IfUnchangedSince time.Time
}

// ModerationEntry is one hide or unhide.
type ModerationEntry struct {
	AnnotationID int64
	ActorName    string
	Action       string
	At           time.Time
}

// Counts is how many annotations and notes on an article a viewer may see.
type Counts struct {
	Annotations int
	Notes       int
}

// Preferences are a user's defaults for new annotations.
type Preferences struct {
	Visibility Visibility
	GroupID    int64
}

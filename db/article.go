package db

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Article is a text in the library, at its current (newest) revision.
type Article struct {
	ID          int64
	Slug        string
	Title       string
	Publication string
	Authors     []string
	PublishedOn string // YYYY-MM-DD, or "" when unknown
	Dek         string
	Summary     string
	SourceNote  string
	Revision    int    // number of the current revision, from 1
	RevisionID  int64  // id of the current revision
	SHA256      string // hex digest of the current body
	Words       int
	Body        string // filled by ArticleBySlug only
	Furniture   []Span // spans of Body from the source page, not the article; ArticleBySlug only
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Span is a range of an article's text in code points, end exclusive.
type Span struct{ Start, End int }

// ArticleInput is what an import provides. Body is normalized to NFC.
type ArticleInput struct {
	Slug        string
	Title       string
	Publication string
	Authors     []string
	PublishedOn string
	Dek         string
	Summary     string
	SourceNote  string
	Body        string
	// Furniture quotes passages of Body that came with the source page
	// rather than the article (navigation, a dateline, the headline
	// repeated); each must occur in Body, and marks its first occurrence
	// after the one before.
	Furniture []string
}

// ImportOutcome says what ImportArticle did.
type ImportOutcome string

const (
	ImportCreated   ImportOutcome = "created"   // a new article, revision 1
	ImportRevised   ImportOutcome = "revised"   // the text changed: a new revision
	ImportUpdated   ImportOutcome = "updated"   // only metadata changed
	ImportUnchanged ImportOutcome = "unchanged" // nothing to do
)

// Limits on article fields.
const (
	MaxSlugLen  = 120
	MaxTitleLen = 500
	MaxFieldLen = 4000
	MaxBodyLen  = 2 << 20 // bytes
)

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// Validate checks the input and normalizes the body to NFC.
func (in *ArticleInput) Validate() error {
	in.Slug = strings.TrimSpace(in.Slug)
	in.Title = strings.TrimSpace(in.Title)
	switch {
	case !slugPattern.MatchString(in.Slug) || len(in.Slug) > MaxSlugLen:
		return Errorf(EINVALID, "The slug %q must be lowercase letters, digits and single hyphens, at most %d characters.", in.Slug, MaxSlugLen)
	case in.Title == "":
		return Errorf(EINVALID, "An article needs a title.")
	case utf8.RuneCountInString(in.Title) > MaxTitleLen:
		return Errorf(EINVALID, "The title is longer than %d characters.", MaxTitleLen)
	case in.Body == "":
		return Errorf(EINVALID, "The article %q has no text.", in.Slug)
	case len(in.Body) > MaxBodyLen:
		return Errorf(EINVALID, "The article text is larger than %d MiB.", MaxBodyLen>>20)
	}
	if in.PublishedOn != "" {
		if _, err := time.Parse(time.DateOnly, in.PublishedOn); err != nil {
			return Errorf(EINVALID, "The publication date %q is not a date like 2005-04-10.", in.PublishedOn)
		}
	}
	fields := append([]string{in.Title, in.Publication, in.PublishedOn, in.Dek, in.Summary, in.SourceNote, in.Body}, in.Authors...)
	for _, f := range fields {
		if !utf8.ValidString(f) {
			return Errorf(EINVALID, "The article %q contains text that is not valid UTF-8.", in.Slug)
		}
	}
	for _, f := range append([]string{in.Publication, in.Dek, in.Summary, in.SourceNote}, in.Authors...) {
		if utf8.RuneCountInString(f) > MaxFieldLen {
			return Errorf(EINVALID, "A metadata field of %q is longer than %d characters.", in.Slug, MaxFieldLen)
		}
	}
	in.Body = norm.NFC.String(in.Body)
	return nil
}

// furnitureSpans finds each furniture passage in body, in order.
func FurnitureSpans(body string, passages []string) ([]Span, error) {
	spans := []Span{}
	from, fromRunes := 0, 0 // where the next passage is looked for, in bytes and code points
	for _, p := range passages {
		p = norm.NFC.String(p)
		i := strings.Index(body[from:], p)
		if p == "" || i < 0 {
			return nil, Errorf(EINVALID, "The source furniture %q is not in the text (after the passage before it).", p)
		}
		start := fromRunes + utf8.RuneCountInString(body[from:from+i])
		end := start + utf8.RuneCountInString(p)
		spans = append(spans, Span{start, end})
		from, fromRunes = from+i+len(p), end
	}
	return spans, nil
}

// Article sort orders for ArticleFilter.Sort.
const (
	SortNewest = "newest"
	SortOldest = "oldest"
	SortTitle  = "title"
)

// ArticleFilter narrows and orders the library.
type ArticleFilter struct {
	Publication string // exact match; "" for all
	Author      string // exact match on one of the authors
	Year        string // YYYY of the publication date
	Sort        string // SortNewest (default), SortOldest or SortTitle
}

// ArticlePage is one page of the library.
type ArticlePage struct {
	Articles []Article
	Total    int // articles that match the filter, on all pages
	Page     int // from 1
	PerPage  int
}

// Pages is the number of pages, at least 1 (an empty library is one empty
// page).
func (p ArticlePage) Pages() int {
	return max(1, (p.Total+p.PerPage-1)/p.PerPage)
}

// Revision is one stored version of an article's text.
type Revision struct {
	ID        int64
	Number    int
	SHA256    string
	Words     int
	CreatedAt time.Time
}

// Count is a value with how many articles have it.
type Count struct {
	Value string
	N     int
}

// MetadataIndex is the library's metadata, for the index page.
type MetadataIndex struct {
	Publications []Count
	Authors      []Count
	Years        []Count
}

// ArticleRef is an article's id and title, without its text.
type ArticleRef struct {
	ID    int64
	Slug  string
	Title string
}

// Package extract turns an uploaded article (plain text, Markdown or HTML)
// into the text Gloss stores and suggestions for its metadata. It does no
// I/O, so it can be tested and fuzzed alone.
package extract

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"path"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Format is the kind of text uploaded.
type Format string

const (
	Text     Format = "text"
	Markdown Format = "markdown"
	HTML     Format = "html"
)

// MaxBytes is the largest article accepted: the store's limit.
const MaxBytes = 2 << 20

// Errors, each with a message a person can act on.
var (
	ErrEmpty       = errors.New("The text is empty: choose a file with the article in it, or paste the text.")
	ErrTooLarge    = fmt.Errorf("The text is larger than %d MiB: split the article or shorten it.", MaxBytes>>20)
	ErrBinary      = errors.New("This is not a text file (it looks like binary data such as a PDF, an image or a word-processor file): save it as .txt, .md or .html first.")
	ErrInvalidUTF8 = errors.New("The text is not valid UTF-8: save it with the UTF-8 encoding and try again.")
)

// Metadata are suggestions for an article's fields, to be checked by a person.
type Metadata struct {
	Title       string
	Slug        string
	Publication string
	Authors     []string
	Date        string // YYYY-MM-DD, or ""
	Dek         string
	Summary     string
	SourceNote  string
}

// Result is the text to store and what it suggests about itself.
type Result struct {
	Text    string
	Suggest Metadata
}

// FormatOf chooses the format by a file name's extension.
func FormatOf(filename string) (Format, bool) {
	switch strings.ToLower(path.Ext(filename)) {
	case ".txt", ".text":
		return Text, true
	case ".md", ".markdown":
		return Markdown, true
	case ".html", ".htm", ".xhtml":
		return HTML, true
	}
	return "", false
}

// Clean checks raw text and normalizes it the way every import does: no
// byte-order mark, line breaks as \n. It refuses text that is too large,
// binary, not UTF-8 or blank. Saving runs it again on what the form sent
// back (browsers send line breaks as \r\n).
func Clean(data []byte) (string, error) {
	if len(data) > MaxBytes {
		return "", ErrTooLarge
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if isBinary(data) {
		return "", ErrBinary
	}
	if !utf8.Valid(data) {
		return "", ErrInvalidUTF8
	}
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	if strings.TrimSpace(s) == "" {
		return "", ErrEmpty
	}
	return s, nil
}

// isBinary reports data that is not text: a NUL byte anywhere, or what
// content sniffing takes for a binary format.
func isBinary(data []byte) bool {
	if bytes.IndexByte(data, 0) >= 0 {
		return true
	}
	ct := http.DetectContentType(data)
	return !strings.HasPrefix(ct, "text/")
}

// Extract cleans data and turns it into article text by its format.
func Extract(data []byte, f Format) (Result, error) {
	s, err := Clean(data)
	if err != nil {
		return Result{}, err
	}
	var r Result
	switch f {
	case HTML:
		r = fromHTML(s)
	case Markdown:
		r = fromMarkdown(s)
	default:
		r = Result{Text: s, Suggest: Metadata{Title: firstLine(s)}}
	}
	if strings.TrimSpace(r.Text) == "" {
		return Result{}, ErrEmpty
	}
	if len(r.Text) > MaxBytes {
		return Result{}, ErrTooLarge
	}
	if r.Suggest.Slug == "" {
		r.Suggest.Slug = Slug(r.Suggest.Title)
	}
	return r, nil
}

// firstLine suggests a plain text's first line as its title, when it is
// short enough to be one.
func firstLine(s string) string {
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			if utf8.RuneCountInString(line) <= 200 {
				return line
			}
			return ""
		}
	}
	return ""
}

// MaxSlugLen is how long a suggested slug gets.
const MaxSlugLen = 80

// Slug suggests a slug for a title: lowercase ASCII letters and digits
// joined by single hyphens, accents dropped ("Réfugiés" → "refugies"),
// apostrophes dropped ("China's" → "chinas"), cut at a word boundary.
func Slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(strings.ToLower(title)) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case unicode.Is(unicode.Mn, r), r == '\'', r == '’', r == '`':
			// a combining accent or an apostrophe: part of the word
		default:
			if b.Len() > 0 && !dash {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > MaxSlugLen {
		s = s[:MaxSlugLen]
		if i := strings.LastIndexByte(s, '-'); i > MaxSlugLen/2 {
			s = s[:i]
		}
		s = strings.Trim(s, "-")
	}
	return s
}

var isoDate = regexp.MustCompile(`^(\d{4})[-/](\d{2})[-/](\d{2})`)

// Date takes the YYYY-MM-DD at the start of a date or timestamp
// ("2005-06-14T08:00:00Z", "2005/06/14"), or "".
func Date(s string) string {
	m := isoDate.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return ""
	}
	return m[1] + "-" + m[2] + "-" + m[3]
}

// Authors splits a byline into names: "By A, B and C" → [A B C].
func Authors(s string) []string {
	s = strings.TrimSpace(s)
	for _, by := range []string{"By ", "by ", "BY "} {
		s = strings.TrimPrefix(s, by)
	}
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '|' }) {
		for _, name := range strings.Split(part, " and ") {
			if name = strings.TrimSpace(name); name != "" {
				out = append(out, name)
			}
		}
	}
	return out
}

// Package marks turns stored article text into what the reader renders:
// paragraphs with their code-point offsets, and highlight segments.
// It does no I/O so it can be tested and fuzzed alone.
package marks

import (
	"strings"
	"unicode/utf8"
)

// Paragraph is a run of text between blank lines. Start and End are offsets
// in Unicode code points into the whole text (the W3C Web Annotation unit).
type Paragraph struct {
	Start int
	End   int
	Text  string
}

// Paragraphs splits text on blank lines (a line holding only spaces or tabs
// counts as blank). Single newlines stay inside a paragraph. Offsets are
// counted in code points so they match annotation selectors.
func Paragraphs(text string) []Paragraph {
	var out []Paragraph
	pos := 0 // code points consumed so far
	start, startByte := -1, 0
	lineStart := 0
	flush := func(endByte int) {
		if start < 0 {
			return
		}
		body := strings.TrimRight(text[startByte:endByte], "\n\r \t")
		out = append(out, Paragraph{Start: start, End: start + utf8.RuneCountInString(body), Text: body})
		start = -1
	}
	for lineStart <= len(text) {
		nl := strings.IndexByte(text[lineStart:], '\n')
		lineEnd := len(text)
		if nl >= 0 {
			lineEnd = lineStart + nl
		}
		line := text[lineStart:lineEnd]
		lineRunes := utf8.RuneCountInString(line)
		if strings.TrimSpace(line) == "" {
			flush(lineStart)
		} else if start < 0 {
			lead := len(line) - len(strings.TrimLeft(line, " \t"))
			start, startByte = pos+lead, lineStart+lead
		}
		pos += lineRunes
		if nl < 0 {
			break
		}
		pos++ // the newline
		lineStart = lineEnd + 1
	}
	flush(len(text))
	return out
}

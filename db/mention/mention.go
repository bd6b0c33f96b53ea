// Package mention finds @mentions in what people write: @[Name], or
// @[Name#12] where two people of that name could be meant. It only reads
// text: who a name is, and whether they may see what mentions them, is the
// store's to decide.
package mention

import (
	"regexp"
	"strconv"
	"strings"
)

// Max is how many different people one text may mention.
const Max = 10

// Mention is one @[...] in a text, at bytes [Start, End).
type Mention struct {
	Name       string
	ID         int64 // 0 unless written as @[Name#ID]
	Start, End int
}

// token is @[ then a name without brackets or line breaks, then an
// optional #id, then ].
var token = regexp.MustCompile(`@\[([^\[\]\n#]{1,100})(?:#([0-9]{1,18}))?\]`)

// Find returns the mentions in text, in order. Text in code (between
// backticks, or in an indented or fenced block) is not looked at.
func Find(text string) []Mention {
	var out []Mention
	code := codeSpans(text)
	for _, m := range token.FindAllStringSubmatchIndex(text, -1) {
		if inSpans(code, m[0]) {
			continue
		}
		name := strings.Join(strings.Fields(text[m[2]:m[3]]), " ")
		if name == "" {
			continue
		}
		mn := Mention{Name: name, Start: m[0], End: m[1]}
		if m[4] >= 0 {
			mn.ID, _ = strconv.ParseInt(text[m[4]:m[5]], 10, 64)
		}
		out = append(out, mn)
	}
	return out
}

// Rewrite replaces each mention by what link returns for it (the store
// turns a resolved one into a Markdown link to the person's page).
func Rewrite(text string, list []Mention, link func(Mention) string) string {
	var b strings.Builder
	at := 0
	for _, m := range list {
		b.WriteString(text[at:m.Start])
		b.WriteString(link(m))
		at = m.End
	}
	b.WriteString(text[at:])
	return b.String()
}

type span struct{ start, end int }

func inSpans(spans []span, at int) bool {
	for _, s := range spans {
		if at >= s.start && at < s.end {
			return true
		}
	}
	return false
}

var (
	fence      = regexp.MustCompile("(?m)^ {0,3}(```|~~~)[^\n]*\n(?s:.*?)(?:^ {0,3}(```|~~~)[ \t]*$|\\z)")
	indented   = regexp.MustCompile("(?m)(?:^(?:    |\t)[^\n]*\n?)+")
	inlineCode = regexp.MustCompile("`+[^`]*`+")
)

// codeSpans are the byte ranges of code in Markdown text, roughly as
// CommonMark sees them (fenced and indented blocks, backtick spans).
func codeSpans(text string) []span {
	var out []span
	for _, re := range []*regexp.Regexp{fence, inlineCode} {
		for _, m := range re.FindAllStringIndex(text, -1) {
			out = append(out, span{m[0], m[1]})
		}
	}
	// An indented block only after a blank line (or at the start): an
	// indented line right under a paragraph continues it.
	for _, m := range indented.FindAllStringIndex(text, -1) {
		if m[0] == 0 || strings.HasSuffix(text[:m[0]], "\n\n") {
			out = append(out, span{m[0], m[1]})
		}
	}
	return out
}

// Package markdown renders what people write (comments, replies, notes) to
// safe HTML: CommonMark through goldmark, then bluemonday's policy for user
// content, so no script, style or event handler ever reaches a page.
package markdown

import (
	"bytes"
	stdhtml "html"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

var (
	md = goldmark.New(
		goldmark.WithExtensions(extension.Strikethrough, extension.Linkify, extension.Table),
		// Raw HTML in the source is dropped by goldmark (no WithUnsafe) and
		// anything left is filtered by the policy below.
		goldmark.WithRendererOptions(html.WithHardWraps()),
	)
	policy = newPolicy()
)

func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowStandardURLs()
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowAttrs("href").OnElements("a")
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	// Text structure only: no images (they would load from anywhere, and
	// the CSP refuses them), no style, no classes, no ids.
	p.AllowElements("p", "br", "strong", "em", "del", "code", "pre", "blockquote",
		"ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
		"table", "thead", "tbody", "tr", "th", "td")
	return p
}

// HTML renders Markdown source to sanitized HTML. It never fails: input
// goldmark cannot parse comes out as escaped text.
func HTML(src string) string {
	if strings.TrimSpace(src) == "" {
		return ""
	}
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		buf.Reset()
		buf.WriteString("<p>")
		buf.WriteString(htmlEscape(src))
		buf.WriteString("</p>")
	}
	return policy.Sanitize(buf.String())
}

func htmlEscape(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")
	return r.Replace(s)
}

// Text is a plain-text rendering of Markdown, for search snippets: what a
// reader sees of it, without its marks (emphasis, links' addresses, code
// fences), entities decoded.
func Text(src string) string {
	return strings.TrimSpace(stdhtml.UnescapeString(textPolicy.Sanitize(HTML(src))))
}

// HTMLText is the text of HTML this package rendered (its tags stripped,
// entities decoded): what a reader sees of it.
func HTMLText(rendered string) string {
	return strings.TrimSpace(stdhtml.UnescapeString(textPolicy.Sanitize(rendered)))
}

// textPolicy strips every tag and keeps the text.
var textPolicy = bluemonday.StrictPolicy()

// Escape turns plain text into Markdown that reads as the same text: each
// ASCII punctuation character Markdown could take for syntax gets a
// backslash (CommonMark lets any ASCII punctuation be escaped), and line
// breaks stay line breaks (the renderer keeps hard wraps). Blank lines
// still separate paragraphs, as in plain text.
func Escape(text string) string {
	var b strings.Builder
	for _, r := range text {
		if r < 0x80 && strings.ContainsRune("\\`*_{}[]<>()#+-.!|~&", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

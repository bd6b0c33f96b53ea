package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// dropped are elements whose content is not the article: code, styling,
// site navigation, page furniture and form controls.
var dropped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Nav: true, atom.Header: true, atom.Footer: true,
	atom.Form: true, atom.Button: true, atom.Select: true, atom.Textarea: true,
	atom.Iframe: true, atom.Svg: true, atom.Canvas: true, atom.Object: true, atom.Embed: true,
	atom.Head: true,
}

// blocks are elements that start and end a paragraph.
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Ul: true, atom.Ol: true, atom.Li: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
	atom.Blockquote: true, atom.Pre: true, atom.Figure: true, atom.Figcaption: true,
	atom.Table: true, atom.Tr: true, atom.Caption: true, atom.Hr: true, atom.Address: true,
	atom.Aside: true, atom.Details: true, atom.Summary: true, atom.Body: true, atom.Center: true,
}

// fromHTML keeps the readable text of an HTML page: each block (paragraph,
// heading, list item...) becomes a paragraph, separated by blank lines;
// <br> a line break inside one. Entities are decoded by the parser.
// <h1> (else <title>) suggests the title, and meta tags the byline, date,
// publication and description.
func fromHTML(s string) Result {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil { // html.Parse recovers from any markup; only I/O fails
		return Result{Text: s}
	}
	var r Result
	meta := map[string]string{}
	var title, h1, timeAttr, canonical string
	// furniture: n is inside a dropped element, where an <h1> is the
	// site's name in its header, not the article's title.
	var walkMeta func(n *html.Node, furniture bool)
	walkMeta = func(n *html.Node, furniture bool) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Title:
				if title == "" {
					title = collapse(textOf(n))
				}
			case atom.H1:
				if h1 == "" && !furniture {
					h1 = collapse(textOf(n))
				}
			case atom.Meta:
				key := strings.ToLower(attr(n, "name") + attr(n, "property") + attr(n, "itemprop"))
				if v := strings.TrimSpace(attr(n, "content")); key != "" && v != "" {
					if _, seen := meta[key]; !seen {
						meta[key] = v
					}
				}
			case atom.Time:
				if timeAttr == "" {
					timeAttr = attr(n, "datetime")
				}
			case atom.Link:
				if strings.EqualFold(attr(n, "rel"), "canonical") {
					canonical = attr(n, "href")
				}
			}
		}
		furniture = furniture || n.Type == html.ElementNode && dropped[n.DataAtom]
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walkMeta(c, furniture)
		}
	}
	walkMeta(doc, false)

	r.Suggest.Title = firstOf(h1, title, meta["og:title"])
	r.Suggest.Publication = firstOf(meta["og:site_name"], meta["application-name"])
	r.Suggest.Authors = Authors(firstOf(meta["author"], meta["byl"], meta["dc.creator"], meta["citation_author"], nonURL(meta["article:author"])))
	for _, k := range []string{"article:published_time", "date", "pubdate", "publish-date", "publication_date",
		"citation_publication_date", "dc.date", "datepublished", "parsely-pub-date", "og:published_time"} {
		if d := Date(meta[k]); d != "" {
			r.Suggest.Date = d
			break
		}
	}
	if r.Suggest.Date == "" {
		r.Suggest.Date = Date(timeAttr)
	}
	r.Suggest.Dek = firstOf(meta["description"], meta["og:description"])
	if u := firstOf(canonical, meta["og:url"]); strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
		r.Suggest.SourceNote = "Imported from " + u + "."
	}

	t := &textBuilder{skipHeading: r.Suggest.Title}
	t.walk(doc)
	t.flush()
	r.Text = strings.Join(t.paras, "\n\n") + "\n"
	return r
}

// textBuilder collects paragraphs while walking the tree.
type textBuilder struct {
	paras       []string
	cur         strings.Builder
	pre         int    // inside <pre>: white space is kept
	skipHeading string // the first <h1> with this text is the title, not body
}

func (t *textBuilder) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		t.text(n.Data)
		return
	case html.ElementNode:
		if dropped[n.DataAtom] {
			return
		}
		switch n.DataAtom {
		case atom.Br:
			t.lineBreak()
			return
		case atom.Td, atom.Th:
			t.text(" ")
		case atom.H1:
			if t.skipHeading != "" && collapse(textOf(n)) == t.skipHeading {
				t.skipHeading = ""
				t.flush()
				return
			}
		}
	}
	block := n.Type == html.ElementNode && blocks[n.DataAtom]
	if block {
		t.flush()
	}
	if n.DataAtom == atom.Pre {
		t.pre++
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		t.walk(c)
	}
	if block {
		t.flush()
	}
	if n.DataAtom == atom.Pre {
		t.pre--
	}
}

// text adds running text, with runs of white space made one space
// (outside <pre>).
func (t *textBuilder) text(s string) {
	if t.pre > 0 {
		t.cur.WriteString(s)
		return
	}
	for _, r := range s {
		if isSpace(r) {
			cur := t.cur.String()
			if cur == "" || strings.HasSuffix(cur, " ") || strings.HasSuffix(cur, "\n") {
				continue
			}
			t.cur.WriteByte(' ')
			continue
		}
		t.cur.WriteRune(r)
	}
}

func (t *textBuilder) lineBreak() {
	cur := strings.TrimRight(t.cur.String(), " ")
	t.cur.Reset()
	t.cur.WriteString(cur)
	t.cur.WriteByte('\n')
}

// flush ends the paragraph being built. Its lines are trimmed and blank
// ones dropped, since a blank line would split it in two.
func (t *textBuilder) flush() {
	var lines []string
	for _, line := range strings.Split(t.cur.String(), "\n") {
		if line = strings.TrimRightFunc(line, isSpace); t.pre == 0 {
			line = strings.TrimLeftFunc(line, isSpace)
		}
		if strings.TrimSpace(line) != "" {
			lines = append(lines, line)
		}
	}
	t.cur.Reset()
	if len(lines) > 0 {
		t.paras = append(t.paras, strings.Join(lines, "\n"))
	}
}

// isSpace is HTML's white space; a no-break space is text and stays.
func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\f':
		return true
	}
	return false
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style) {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func firstOf(values ...string) string {
	for _, v := range values {
		if v = collapse(v); v != "" {
			return v
		}
	}
	return ""
}

func nonURL(s string) string {
	if strings.Contains(s, "://") {
		return ""
	}
	return s
}

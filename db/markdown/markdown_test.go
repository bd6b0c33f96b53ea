package markdown

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestHTML(t *testing.T) {
	for name, tc := range map[string]struct{ in, want string }{
		"emphasis": {"*Dr Smith* says **50,000**", "<em>Dr Smith</em> says <strong>50,000</strong>"},
		"link":     {"[UNHCR](https://www.unhcr.org)", `href="https://www.unhcr.org"`},
		"list":     {"- one\n- two", "<li>one</li>"},
		"korean":   {"탈북자 **难民**", "탈북자 <strong>难民</strong>"},
	} {
		t.Run(name, func(t *testing.T) {
			if got := HTML(tc.in); !strings.Contains(got, tc.want) {
				t.Errorf("HTML(%q) = %q, want it to contain %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestHTMLIsSafe(t *testing.T) {
	for _, in := range []string{
		`<script>alert(1)</script>`,
		`<img src=x onerror=alert(1)>`,
		`[click](javascript:alert(1))`,
		`<a href="javascript:alert(1)">x</a>`,
		`<div style="background:url(x)">x</div>`,
		"<svg><script>alert(1)</script></svg>",
		`[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
		"<iframe src=//evil.example></iframe>",
		"![tracker](https://evil.example/pixel.png)",
	} {
		got := strings.ToLower(HTML(in))
		for _, bad := range []string{"<script", "onerror", "javascript:", "style=", "data:text", "<iframe", "<img"} {
			if strings.Contains(got, bad) {
				t.Errorf("HTML(%q) = %q contains %q", in, got, bad)
			}
		}
	}
}

func FuzzHTML(f *testing.F) {
	f.Add("*a* [b](https://c) <script>x</script>")
	f.Add("` ``` <a href=javascript:x>")
	f.Fuzz(func(t *testing.T, in string) {
		got := HTML(in)
		if bad := unsafePart(got); bad != "" {
			t.Fatalf("unsafe output %q for %q: %s", got, in, bad)
		}
	})
}

// allowed is the policy's allow-list, and the elements the parser adds.
var allowed = map[string]bool{
	"p": true, "br": true, "strong": true, "em": true, "del": true, "code": true, "pre": true, "blockquote": true,
	"ul": true, "ol": true, "li": true, "a": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"hr": true, "table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true,
	"html": true, "head": true, "body": true,
}

// unsafePart parses out as a browser would and names the first element,
// attribute or link address the policy should have removed, or "". Text
// such as "javascript:" is not unsafe: only what a browser would run or load.
func unsafePart(out string) string {
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		return err.Error()
	}
	var walk func(*html.Node) string
	walk = func(n *html.Node) string {
		if n.Type == html.ElementNode {
			if !allowed[n.Data] {
				return "element " + n.Data
			}
			for _, a := range n.Attr {
				switch {
				case n.Data == "a" && a.Key == "rel" && a.Val == "nofollow noreferrer":
				case n.Data == "a" && a.Key == "href":
					if u, err := url.Parse(strings.TrimSpace(a.Val)); err != nil ||
						!(u.Scheme == "" || u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "mailto") {
						return "address " + a.Val
					}
				default:
					return "attribute " + a.Key + " of " + n.Data
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if bad := walk(c); bad != "" {
				return bad
			}
		}
		return ""
	}
	return walk(doc)
}

func TestUnsafePart(t *testing.T) {
	for out, want := range map[string]string{
		"<p>javascript: is text</p>":                              "",
		`<a href="https://x.org" rel="nofollow noreferrer">x</a>`: "",
		`<a href="/x">x</a>`:                                      "",
		`<a href="JaVaScRiPt:alert(1)">x</a>`:                     "address JaVaScRiPt:alert(1)",
		`<a href="java&#115;cript:alert(1)">x</a>`:                "address javascript:alert(1)",
		`<p onclick="x()">x</p>`:                                  "attribute onclick of p",
		`<img src="x">`:                                           "element img",
		"<script>x</script>":                                      "element script",
	} {
		if got := unsafePart(out); got != want {
			t.Errorf("unsafePart(%q) = %q, want %q", out, got, want)
		}
	}
}

func TestText(t *testing.T) {
	for src, want := range map[string]string{
		"Some **bold** and *emphasis*":           "Some bold and emphasis",
		"A [link](https://example.org/x) here":   "A link here",
		"Fish & chips < 5 \"quoted\" 'single'":   "Fish & chips < 5 \"quoted\" 'single'",
		"`<script>alert(1)</script>` as code":    "<script>alert(1)</script> as code",
		"# Heading\n\nA paragraph.":              "Heading\nA paragraph.",
		"<b>raw html</b> is dropped, text stays": "raw html is dropped, text stays",
	} {
		if got := Text(src); got != want {
			t.Errorf("Text(%q) = %q, want %q", src, got, want)
		}
	}
}

// TestEscape (issue 15, finding 22): plain text sent as text/plain reads
// the same once stored as Markdown: no emphasis, list, heading, link or tag
// appears, every character shows.
func TestEscape(t *testing.T) {
	for _, plain := range []string{
		"*not* emphasis, _nor_ this",
		"# not a heading\n- not a list\n1. nor this",
		"<b>no tag</b> & [no](link) ![no](image)",
		"a \\ backslash, `no code`, ~~no strike~~, a | pipe",
		"It's 5 + 3 = 8. Done!",
		"100,000 people (2004) — “quoted”",
	} {
		if got := Text(Escape(plain)); got != strings.Join(strings.Fields(plain), " ") && got != plain {
			t.Errorf("%q reads %q", plain, got)
		}
		if html := HTML(Escape(plain)); strings.Contains(html, "<em>") || strings.Contains(html, "<h1>") || strings.Contains(html, "<li>") ||
			strings.Contains(html, "<a ") || strings.Contains(html, "<code>") || strings.Contains(html, "<b>") || strings.Contains(html, "<del>") {
			t.Errorf("%q became %s", plain, html)
		}
	}
}

package markdown

import "testing"

// TestHTMLExact pins the whole output for each feature the renderer turns
// on (hard wraps, linkify, tables, strikethrough) and each rule of the
// policy (links marked nofollow and noreferrer, the schemes and elements
// allowed, raw HTML dropped).
func TestHTMLExact(t *testing.T) {
	for name, c := range map[string]struct{ in, want string }{
		"blank":         {" \n\t", ""},
		"link":          {"[a](https://x.org)", `<p><a href="https://x.org" rel="nofollow noreferrer">a</a></p>` + "\n"},
		"relative link": {"[a](/articles/x)", `<p><a href="/articles/x" rel="nofollow noreferrer">a</a></p>` + "\n"},
		"mailto":        {"[m](mailto:a@b.org)", `<p><a href="mailto:a@b.org" rel="nofollow noreferrer">m</a></p>` + "\n"},
		"ftp dropped":   {"[f](ftp://x.org/f)", "<p>f</p>\n"},
		"javascript":    {"[j](javascript:alert(1))", "<p>j</p>\n"},
		"hard wrap":     {"line one\nline two", "<p>line one<br>\nline two</p>\n"},
		"linkify":       {"see https://example.org/a?b=1 now", `<p>see <a href="https://example.org/a?b=1" rel="nofollow noreferrer">https://example.org/a?b=1</a> now</p>` + "\n"},
		"linkify www":   {"www.example.org", `<p><a href="http://www.example.org" rel="nofollow noreferrer">www.example.org</a></p>` + "\n"},
		"table": {"| a | b |\n|---|---|\n| 1 | 2 |",
			"<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>\n"},
		"strikethrough": {"~~gone~~", "<p><del>gone</del></p>\n"},
		"inline":        {"*em* **st** `c`", "<p><em>em</em> <strong>st</strong> <code>c</code></p>\n"},
		"blocks": {"# H\n\n###### h6\n\n> q\n\n- a\n1. b\n\n---\n\n```\ncode\n```",
			"<h1>H</h1>\n<h6>h6</h6>\n<blockquote>\n<p>q</p>\n</blockquote>\n<ul>\n<li>a</li>\n</ul>\n<ol>\n<li>b</li>\n</ol>\n<hr>\n<pre><code>code\n</code></pre>\n"},
		"raw html dropped": {"<em>raw</em> and <b>bold</b>", "<p>raw and bold</p>\n"},
		"image dropped":    {"![i](https://x.org/i.png)", "<p></p>\n"},
		"attributes":       {`[a](https://x.org "title")`, `<p><a href="https://x.org" rel="nofollow noreferrer">a</a></p>` + "\n"},
	} {
		if got := HTML(c.in); got != c.want {
			t.Errorf("%s: HTML(%q) = %q, want %q", name, c.in, got, c.want)
		}
	}
}

func TestTextExact(t *testing.T) {
	for in, want := range map[string]string{
		"  **Dr** [Smith](https://x.org) & co  ": "Dr Smith & co",
		"a < b > c \"d\" 'e'":                    `a < b > c "d" 'e'`,
		"~~x~~\n\n`y`":                           "x\ny",
		"":                                       "",
	} {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
	if got := htmlEscape(`<a href="x">'&'</a>`); got != "&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;" {
		t.Errorf("htmlEscape = %q", got)
	}
}

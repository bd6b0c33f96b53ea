package extract

import (
	"reflect"
	"strings"
	"testing"
)

// TestFrontMatterEndsAtFirstFence: a later "---" (a thematic break in the
// body) is text, not the end of the front matter.
func TestFrontMatterEndsAtFirstFence(t *testing.T) {
	r, err := Extract([]byte("---\ntitle: A\n---\nbody\n\n---\n\nmore: text\n"), Markdown)
	if err != nil {
		t.Fatal(err)
	}
	if r.Text != "body\n\n---\n\nmore: text\n" || r.Suggest.Title != "A" {
		t.Errorf("got text %q, title %q", r.Text, r.Suggest.Title)
	}
}

// TestHTMLFirstDateWins: the date meta tags are read in a fixed order of
// preference, and the first that holds a date wins.
func TestHTMLFirstDateWins(t *testing.T) {
	page := `<html><head>
<meta property="og:published_time" content="2010-01-01">
<meta name="date" content="not a date">
<meta property="article:published_time" content="2005-06-14T08:00:00Z">
<meta name="dc.date" content="2001/02/03">
</head><body><p>Text.</p><time datetime="1999-09-09">then</time></body></html>`
	r, err := Extract([]byte(page), HTML)
	if err != nil {
		t.Fatal(err)
	}
	if r.Suggest.Date != "2005-06-14" {
		t.Errorf("date = %q, want article:published_time's 2005-06-14", r.Suggest.Date)
	}
}

// TestHTMLPreEnds: white space is kept inside <pre> only.
func TestHTMLPreEnds(t *testing.T) {
	r, err := Extract([]byte("<p>a   b</p><pre>  x   y\n    z</pre><p>c   d\n  e</p><pre>p  q</pre>"), HTML)
	if err != nil {
		t.Fatal(err)
	}
	if want := "a b\n\n  x   y\n    z\n\nc d e\n\np  q\n"; r.Text != want {
		t.Errorf("text = %q, want %q", r.Text, want)
	}
}

func TestSlugEdges(t *testing.T) {
	for title, want := range map[string]string{
		"Zebra 1999 zz 09 az":      "zebra-1999-zz-09-az",
		"a/z 0-9":                  "a-z-0-9",
		"  --Réfugiés’ `zone`--  ": "refugies-zone",
		"@[{":                      "",
	} {
		if got := Slug(title); got != want {
			t.Errorf("Slug(%q) = %q, want %q", title, got, want)
		}
	}
}

func TestAuthorsEdges(t *testing.T) {
	for in, want := range map[string][]string{
		"By Ada Lovelace and Grace Hopper": {"Ada Lovelace", "Grace Hopper"},
		"by A; B | C,D":                    {"A", "B", "C", "D"},
		"BY A and  and B":                  {"A", "B"},
		"Anderson":                         {"Anderson"},
	} {
		if got := Authors(in); !reflect.DeepEqual(got, want) {
			t.Errorf("Authors(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFirstLineEdges(t *testing.T) {
	line200 := strings.Repeat("é", 200)
	for in, want := range map[string]string{
		"\n  \n  A title  \nbody": "A title",
		line200 + "\nbody":        line200,
		line200 + "é\nbody":       "",
		"":                        "",
	} {
		if got := firstLine(in); got != want {
			t.Errorf("firstLine(%.20q…) = %.20q…, want %.20q…", in, got, want)
		}
	}
}

func TestSlugLengthEdges(t *testing.T) {
	// 80 characters exactly: kept whole.
	eighty := strings.Repeat("abcdefghi-", 8)[:79] + "z"
	if got := Slug(eighty); got != eighty {
		t.Errorf("Slug of 80 = %q (%d), want it whole", got, len(got))
	}
	// Cut at 80, then back to the last hyphen when it lies past the middle (40).
	for in, want := range map[string]string{
		strings.Repeat("a", 41) + " " + strings.Repeat("b", 60): strings.Repeat("a", 41),
		strings.Repeat("a", 40) + " " + strings.Repeat("b", 60): strings.Repeat("a", 40) + "-" + strings.Repeat("b", 39),
		strings.Repeat("a", 85):                                 strings.Repeat("a", 80),
		strings.Repeat("a", 79) + " b":                          strings.Repeat("a", 79),
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%.12q… %d) = %q, want %q", in, len(in), got, want)
		}
	}
}

func TestFrontMatterEdges(t *testing.T) {
	for _, c := range []struct {
		src  string
		text string
		want Metadata
	}{
		{"---\ntitle: 'Single'\nby: Ada\nurl: https://example.org/a\n...\nbody\n", "body\n",
			Metadata{Title: "Single", Slug: "single", Authors: []string{"Ada"}, SourceNote: "Imported from https://example.org/a."}},
		{"---\ntitle: \"\"\nslug: My Slug!\nauthors: []\nauthor: [A, \"B\"]\nnote: From the archive.\nurl: https://x.org\n---\n# Heading\n", "# Heading\n",
			Metadata{Title: "Heading", Slug: "my-slug", Authors: []string{"A", "B"}, SourceNote: "From the archive."}},
		{"---\n# a comment\ntitle: T\n  nested: ignored\n- stray item\nsummary: S\ndescription:\n  - D1\n  - D2\nurl: not a link\nx\n---\nbody\n", "body\n",
			Metadata{Title: "T", Slug: "t", Summary: "S", Dek: "D1, D2"}},
		{"---\ntitle: \"\nq\": '\n---\n\nb\n", "b\n", Metadata{Title: `"`, Slug: ""}},
		{"---\ntitle: \"Half\ndek: Readers'\nsummary: 'Open\n---\nb\n", "b\n", Metadata{Title: `"Half`, Slug: "half", Dek: "Readers'", Summary: "'Open"}},
	} {
		r, err := Extract([]byte(c.src), Markdown)
		if err != nil {
			t.Fatal(err)
		}
		if r.Text != c.text || !reflect.DeepEqual(r.Suggest, c.want) {
			t.Errorf("Extract(%q) = %q %+v, want %q %+v", c.src, r.Text, r.Suggest, c.text, c.want)
		}
	}
}

func TestFirstHeadingEdges(t *testing.T) {
	for in, want := range map[string]string{
		"####### seven\n###### Six ##\n":  "Six",
		"#NoSpace\n#\tTab\n":              "Tab",
		"#\n# \n## ##\nplain line\n":      "#",
		"text first\n# Heading\n":         "Heading",
		"\n\n   # Indented heading #  \n": "Indented heading",
	} {
		if got := firstHeading(in); got != want {
			t.Errorf("firstHeading(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHTMLMetaEdges(t *testing.T) {
	page := `<html><head>
<title>First title</title><title>Second title</title>
<meta name="author" content="  ">
<meta name="AUTHOR" content="Ada Lovelace">
<meta name="author" content="Grace Hopper">
<meta property="article:author" content="https://example.org/ada">
<meta property="og:site_name" content="The Daily">
<meta name="description" content="First description">
<meta name="description" content="Second description">
<meta property="og:url" content="ftp://example.org/x">
</head><body>
<time datetime="2001-02-03">Feb</time><time datetime="2009-09-09">Sep</time>
<p>Text</p><table><tr><td>a</td><td>b</td></tr></table>
</body></html>`
	r, err := Extract([]byte(page), HTML)
	if err != nil {
		t.Fatal(err)
	}
	want := Metadata{Title: "First title", Slug: "first-title", Publication: "The Daily", Authors: []string{"Ada Lovelace"},
		Date: "2001-02-03", Dek: "First description"}
	if !reflect.DeepEqual(r.Suggest, want) {
		t.Errorf("suggestions %+v, want %+v", r.Suggest, want)
	}
	if r.Text != "FebSep\n\nText\n\na b\n" {
		t.Errorf("text %q", r.Text)
	}
}

func TestHTMLHeadingsAndSpaces(t *testing.T) {
	page := "<h1>Title</h1><p>Intro</p><h1>Title</h1><h1>Other</h1>" +
		"<p>  spaced \t out\n words </p><p>line<br>  <br>break </p><p>\u00a0kept\u00a0</p>"
	r, err := Extract([]byte(page), HTML)
	if err != nil {
		t.Fatal(err)
	}
	// The first <h1> is the title, not body; a repeat of it is body.
	if want := "Intro\n\nTitle\n\nOther\n\nspaced out words\n\nline\nbreak\n\n\u00a0kept\u00a0\n"; r.Text != want || r.Suggest.Title != "Title" {
		t.Errorf("text %q, title %q", r.Text, r.Suggest.Title)
	}
}

func TestFrontMatterAuthorsOrder(t *testing.T) {
	for src, want := range map[string][]string{
		"---\nauthor: [A, B]\nby: C\n---\nx\n":                             {"A", "B"},
		"---\nauthor: Ada\nby: [X, Y]\n---\nx\n":                           {"Ada"},
		"---\ntitle: [Draft\n---\nx\n":                                     nil,
		"---\nauthors:\n# both of them: see below\n  - A\n  - B\n---\nx\n": {"A", "B"},
	} {
		r, err := Extract([]byte(src), Markdown)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(r.Suggest.Authors, want) {
			t.Errorf("%q: authors %q, want %q", src, r.Suggest.Authors, want)
		}
		if strings.Contains(src, "[Draft") && r.Suggest.Title != "[Draft" {
			t.Errorf("%q: title %q, want [Draft", src, r.Suggest.Title)
		}
	}
}

func TestHTMLTitleWithoutScript(t *testing.T) {
	r, err := Extract([]byte("<h1>Title<script>var x</script><style>p{}</style> here</h1><p>Body</p>"), HTML)
	if err != nil {
		t.Fatal(err)
	}
	if r.Suggest.Title != "Title here" || r.Text != "Body\n" {
		t.Errorf("title %q, text %q", r.Suggest.Title, r.Text)
	}
}

func TestTooLargeSaysHowLarge(t *testing.T) {
	if !strings.Contains(ErrTooLarge.Error(), "larger than 2 MiB") {
		t.Errorf("ErrTooLarge = %q", ErrTooLarge)
	}
}

// TestHTMLTitleNotFromFurniture: an <h1> in the page's header or navigation
// is the site's name; the article's own <h1> is the title, and is not
// repeated as body text. An empty <h1> is neither.
func TestHTMLTitleNotFromFurniture(t *testing.T) {
	for page, want := range map[string][2]string{
		"<header><h1>The Daily</h1></header><article><h1>Story</h1><p>Body</p></article>":  {"Story", "Body\n"},
		"<head><title>Page</title></head><body><nav><h1>Menu</h1></nav><p>Body</p></body>": {"Page", "Body\n"},
		"<h1> </h1><h1>Real</h1><p>Body</p>":                                               {"Real", "Body\n"},
	} {
		r, err := Extract([]byte(page), HTML)
		if err != nil {
			t.Fatal(err)
		}
		if r.Suggest.Title != want[0] || r.Text != want[1] {
			t.Errorf("%s: title %q, text %q; want %q, %q", page, r.Suggest.Title, r.Text, want[0], want[1])
		}
	}
}

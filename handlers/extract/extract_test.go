package extract

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestHTML(t *testing.T) {
	page := `<!DOCTYPE html>
<html><head>
<title>Refugees in China – The Daily Example</title>
<meta name="author" content="Ada Lovelace and Grace Hopper">
<meta property="article:published_time" content="2005-06-14T08:30:00Z">
<meta property="og:site_name" content="The Daily Example">
<meta name="description" content="What happens at the border.">
<link rel="canonical" href="https://example.org/refugees">
<style>p { color: red }</style>
<script>var x = "<p>not text</p>";</script>
</head>
<body>
<header><a href="/">Home</a> <nav><a href="/world">World</a></nav></header>
<nav>Sections: World | Asia</nav>
<article>
  <h1>Refugees  in
  China</h1>
  <p>First   paragraph, with an <em>emphasised</em> word &amp; an entity &eacute;t&eacute; &#8212; done.</p>
  <p>Second line one<br>line two</p>
  <div>Loose text in a div</div>
  <ul><li>Item one</li><li>Item two</li></ul>
  <script>alert("no")</script>
  <noscript>Enable JavaScript</noscript>
  <p>   </p>
  <pre>  keep
    this</pre>
</article>
<footer>© The Daily Example</footer>
</body></html>`
	r, err := Extract([]byte(page), HTML)
	if err != nil {
		t.Fatal(err)
	}
	want := "First paragraph, with an emphasised word & an entity été — done.\n\n" +
		"Second line one\nline two\n\n" +
		"Loose text in a div\n\n" +
		"Item one\n\nItem two\n\n" +
		"  keep\n    this\n"
	if r.Text != want {
		t.Errorf("text:\n%q\nwant\n%q", r.Text, want)
	}
	wantMeta := Metadata{
		Title: "Refugees in China", Slug: "refugees-in-china", Publication: "The Daily Example",
		Authors: []string{"Ada Lovelace", "Grace Hopper"}, Date: "2005-06-14",
		Dek: "What happens at the border.", SourceNote: "Imported from https://example.org/refugees.",
	}
	if !reflect.DeepEqual(r.Suggest, wantMeta) {
		t.Errorf("suggestions:\n%+v\nwant\n%+v", r.Suggest, wantMeta)
	}
	for _, bad := range []string{"Home", "World", "Sections", "©", "alert", "color", "not text", "Enable JavaScript"} {
		if strings.Contains(r.Text, bad) {
			t.Errorf("kept %q from page furniture or code", bad)
		}
	}
}

func TestHTMLTitleFallback(t *testing.T) {
	r, err := Extract([]byte(`<title>Only &amp; a title</title><p>Body</p>`), HTML)
	if err != nil {
		t.Fatal(err)
	}
	if r.Suggest.Title != "Only & a title" || r.Suggest.Slug != "only-a-title" || r.Text != "Body\n" {
		t.Errorf("%+v", r)
	}
	if _, err := Extract([]byte(`<html><body><nav>menu</nav><script>x()</script></body></html>`), HTML); !errors.Is(err, ErrEmpty) {
		t.Errorf("a page with no article text: %v", err)
	}
}

func TestMarkdown(t *testing.T) {
	src := "---\ntitle: \"Help the Refugees\"\nauthors:\n  - Joel R. Charny\n  - Ann Other\ndate: 2005-06-14\npublication: The Washington Post\ndek: An op-ed\ntags: [a, b]\n---\n\n# Help the Refugees\n\nSome *Markdown* text.\r\n\r\nSecond paragraph.\n"
	r, err := Extract([]byte(src), Markdown)
	if err != nil {
		t.Fatal(err)
	}
	if want := "# Help the Refugees\n\nSome *Markdown* text.\n\nSecond paragraph.\n"; r.Text != want {
		t.Errorf("text %q, want %q", r.Text, want)
	}
	want := Metadata{Title: "Help the Refugees", Slug: "help-the-refugees", Publication: "The Washington Post",
		Authors: []string{"Joel R. Charny", "Ann Other"}, Date: "2005-06-14", Dek: "An op-ed"}
	if !reflect.DeepEqual(r.Suggest, want) {
		t.Errorf("suggestions %+v, want %+v", r.Suggest, want)
	}

	t.Run("NoFrontMatter", func(t *testing.T) {
		src := "Intro line\n\n## The *Heading* ##\n\n---\n\ntext\n"
		r, _ := Extract([]byte(src), Markdown)
		if r.Text != src || r.Suggest.Title != "The *Heading*" {
			t.Errorf("%+v", r)
		}
	})
	t.Run("UnclosedFrontMatterIsText", func(t *testing.T) {
		src := "---\ntitle: x\n\nbody\n"
		r, _ := Extract([]byte(src), Markdown)
		if r.Text != src {
			t.Errorf("%q", r.Text)
		}
	})
	t.Run("TOML", func(t *testing.T) {
		r, _ := Extract([]byte("+++\ntitle = \"T\"\nauthor = \"A, B\"\n+++\nbody\n"), Markdown)
		if r.Text != "body\n" || r.Suggest.Title != "T" || !reflect.DeepEqual(r.Suggest.Authors, []string{"A", "B"}) {
			t.Errorf("%+v", r)
		}
	})
}

func TestText(t *testing.T) {
	r, err := Extract([]byte("\xef\xbb\xbfA Title\r\n\r\nBody text.\r\n"), Text)
	if err != nil {
		t.Fatal(err)
	}
	if r.Text != "A Title\n\nBody text.\n" || r.Suggest.Title != "A Title" || r.Suggest.Slug != "a-title" {
		t.Errorf("%+v", r)
	}
}

func TestRefused(t *testing.T) {
	for name, tc := range map[string]struct {
		data []byte
		want error
	}{
		"Empty":     {nil, ErrEmpty},
		"Blank":     {[]byte(" \n\t\n"), ErrEmpty},
		"NUL":       {[]byte("text\x00more"), ErrBinary},
		"PDF":       {[]byte("%PDF-1.7\n%âãÏÓ\n1 0 obj"), ErrBinary},
		"PNG":       {[]byte("\x89PNG\r\n\x1a\n\x00\x00"), ErrBinary},
		"Latin1":    {[]byte("caf\xe9 au lait"), ErrInvalidUTF8},
		"TooLarge":  {[]byte(strings.Repeat("a", MaxBytes+1)), ErrTooLarge},
		"JustRight": {[]byte(strings.Repeat("a", MaxBytes)), nil},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Extract(tc.data, Text); !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Help the Refugees Who Reach China": "help-the-refugees-who-reach-china",
		"China's “Crackdown” — 2005!":       "chinas-crackdown-2005",
		"Réfugiés nord-coréens":             "refugies-nord-coreens",
		"  --  ":                            "",
		"북한 난민":                             "",
		strings.Repeat("word ", 40):         strings.TrimSuffix(strings.Repeat("word-", 16), "-"),
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFormatOf(t *testing.T) {
	for name, want := range map[string]Format{"a.txt": Text, "B.MD": Markdown, "c.markdown": Markdown, "d.htm": HTML, "e.html": HTML, "f.pdf": "", "g": ""} {
		if got, _ := FormatOf(name); got != want {
			t.Errorf("%s: %q", name, got)
		}
	}
}

func FuzzExtract(f *testing.F) {
	f.Add([]byte("<p>a<br>b</p><pre> x </pre>"), 2)
	f.Add([]byte("---\ntitle: x\n---\nbody"), 1)
	f.Add([]byte("plain\n\ntext"), 0)
	f.Fuzz(func(t *testing.T, data []byte, kind int) {
		format := []Format{Text, Markdown, HTML}[uint(kind)%3]
		r, err := Extract(data, format)
		if err != nil {
			return
		}
		if !utf8.ValidString(r.Text) || strings.TrimSpace(r.Text) == "" || strings.Contains(r.Text, "\r") {
			t.Fatalf("bad text %q", r.Text)
		}
		if r.Suggest.Slug != "" && Slug(r.Suggest.Slug) != r.Suggest.Slug {
			t.Fatalf("slug %q is not a slug", r.Suggest.Slug)
		}
	})
}

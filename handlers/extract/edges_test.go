package extract

import (
	"reflect"
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

package views

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"gloss/views/marks"
)

func readerDoc(t *testing.T, m ReaderPage) *goquery.Document {
	t.Helper()
	var buf bytes.Buffer
	if err := Reader(m).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

const furnishedText = "Accessibility links\n\nBreaking News\n\nThe article begins.\n\nIt goes on."

func TestTextBlocksFoldFurniture(t *testing.T) {
	paras := marks.Paragraphs(furnishedText)
	cards := []AnnotationCard{{ID: 7, Start: 21, End: 34, Highlight: true, AuthorName: "Ada"}} // "Breaking News"
	t.Run("Folded", func(t *testing.T) {
		blocks := TextBlocks(paras, nil, Found{}, []Span{{0, 19}, {21, 34}})
		if len(blocks) != 2 || !blocks[0].Furniture || blocks[0].Lines != 2 || blocks[0].Open || len(blocks[1].Paragraphs) != 2 || blocks[1].Furniture {
			t.Fatalf("blocks %+v", blocks)
		}
		doc := readerDoc(t, ReaderPage{Blocks: blocks})
		if got := doc.Find(`#article-text > details.furniture:not([open]) > summary`).Text(); got != "2 lines from the source page" {
			t.Errorf("summary %q", got)
		}
		if got := doc.Find(`#article-text > p`).Length(); got != 2 {
			t.Errorf("%d paragraphs outside the furniture, want 2", got)
		}
	})
	t.Run("OpenWhenHighlighted", func(t *testing.T) {
		blocks := TextBlocks(paras, cards, Found{}, []Span{{0, 34}})
		if !blocks[0].Open {
			t.Error("furniture with a highlight in it is folded")
		}
	})
	t.Run("OpenWhenPointedAt", func(t *testing.T) {
		blocks := TextBlocks(paras, nil, Found{Start: 0, End: 5}, []Span{{0, 34}})
		if !blocks[0].Open {
			t.Error("furniture a link points into is folded")
		}
	})
	t.Run("PartlyCoveredIsText", func(t *testing.T) {
		blocks := TextBlocks(paras, nil, Found{}, []Span{{0, 10}})
		if len(blocks) != 1 || blocks[0].Furniture {
			t.Errorf("a paragraph only partly furniture was folded: %+v", blocks)
		}
	})
}

func TestReaderCards(t *testing.T) {
	reply := func(id int64) AnnotationCard {
		return AnnotationCard{ID: id, Reply: true, AuthorName: "Bob", BodyHTML: "<p>re</p>"}
	}
	m := ReaderPage{
		Article: ArticleSummary{Slug: "a"},
		Blocks:  TextBlocks(marks.Paragraphs(furnishedText), nil, Found{}, nil),
		Cards: []AnnotationCard{
			{ID: 3, Quote: "The article", Start: 36, End: 47, AuthorName: "Ada", BodyHTML: "<p>one</p>", Replies: []AnnotationCard{reply(4), reply(5), reply(6)}},
			{ID: 8, Quote: "goes on", Start: 59, End: 66, AuthorName: "Cy", Highlight: true, Replies: []AnnotationCard{reply(9)}},
		},
		Total: 6,
	}
	m.Blocks = TextBlocks(marks.Paragraphs(furnishedText), m.Cards, Found{}, nil)
	doc := readerDoc(t, m)

	t.Run("NoPositionNumbers", func(t *testing.T) {
		// What a card or marker says is the same whoever looks and whatever
		// others add: no digits but the ids in attributes.
		doc.Find(`#cards .quote, #article-text a.mark-ref`).Each(func(_ int, s *goquery.Selection) {
			if strings.ContainsAny(s.Text(), "0123456789") {
				t.Errorf("%q carries a number", s.Text())
			}
		})
		if got := doc.Find(`#article-text a.mark-ref[href="#a-8"]`).AttrOr("aria-label", ""); got != "Highlight by Cy" {
			t.Errorf("the marker is labelled %q", got)
		}
		if got := doc.Find(`#article-text mark[data-ids="8"]`).AttrOr("aria-details", ""); got != "a-8" {
			t.Errorf("the highlight's aria-details is %q", got)
		}
	})
	t.Run("LongThreadsFold", func(t *testing.T) {
		if got := doc.Find(`#a-3 > details.thread-replies > summary`).Text(); got != "Show 3 replies" {
			t.Errorf("a thread of 3 replies is summed up as %q", got)
		}
		if doc.Find(`#a-8 > details.thread-replies`).Length() != 0 || doc.Find(`#a-8 > .replies #a-9`).Length() != 1 {
			t.Error("a thread of 1 reply is folded")
		}
	})
	t.Run("SlotsCarryTheirPassage", func(t *testing.T) {
		s := doc.Find(`#cards > li.card-slot[data-id="3"]`)
		if s.AttrOr("data-start", "") != "36" || s.AttrOr("data-end", "") != "47" {
			t.Errorf("slot %v", s.Nodes)
		}
	})
}

func TestReaderChrome(t *testing.T) {
	t.Run("SignedOutNothingWritten", func(t *testing.T) {
		doc := readerDoc(t, ReaderPage{Article: ArticleSummary{Slug: "a"}})
		if doc.Find(`#reader-filters, .margin-tabs, #selection-toolbar, #annotate-form, script[src*="reader"]`).Length() != 0 {
			t.Error("a signed-out reader of an article nobody wrote about gets the annotating machinery")
		}
	})
	t.Run("SignedOutWithAnnotations", func(t *testing.T) {
		doc := readerDoc(t, ReaderPage{Article: ArticleSummary{Slug: "a"}, Total: 1, Cards: []AnnotationCard{{ID: 1, AuthorName: "A"}}})
		if doc.Find(`#reader-filters`).Length() != 1 || doc.Find(`script[src*="/js/reader."]`).Length() != 1 {
			t.Error("annotations without the filters or the reader's script (cards beside passages)")
		}
		if doc.Find(`#selection-toolbar, #annotate-form, script[src*="evidence"]`).Length() != 0 {
			t.Error("a signed-out reader is offered to annotate")
		}
	})
	t.Run("Toolbar", func(t *testing.T) {
		doc := readerDoc(t, ReaderPage{Article: ArticleSummary{Slug: "a"}, SignedIn: true,
			Audiences: []Option{{"private", "Private"}, {"group:2", "Group: Class"}, {"public", "Public"}}, Audience: "group:2"})
		sel := doc.Find(`#selection-toolbar select#toolbar-audience`)
		if sel.AttrOr("data-default", "") != "group:2" || sel.Find(`option[selected]`).Text() != "Group: Class" {
			t.Errorf("the toolbar's audience: default %q, shown %q", sel.AttrOr("data-default", ""), sel.Find(`option[selected]`).Text())
		}
		if doc.Find(`label[for="toolbar-audience"]`).Length() != 1 {
			t.Error("the toolbar's audience has no label")
		}
	})
}

package views

import (
	"context"
	"io"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"gloss/views/marks"
)

// AnnotationCard is one annotation as the reader's margin shows it. Its
// label never depends on who looks or on what others add: no position
// numbers; the highlight and its card are paired by id.
type AnnotationCard struct {
	ID          int64
	Reply       bool // a reply in a thread
	ArticleSlug string
	ArticleName string
	Quote       string
	Status      string // anchored, moved, approximate, orphaned
	Start, End  int    // in the current text
	AuthorName  string
	Created     string
	Edited      bool
	BodyHTML    string // sanitized by db/markdown
	Tags        []TagChip
	Audience    string // who can see it, in words
	Visibility  string
	Hidden      bool
	Highlight   bool
	CanEdit     bool
	CanReply    bool
	CanModerate bool
	Replies     []AnnotationCard
	Kind        string // entity, quote, figure, event; "" for a comment (evidence.go)
	KindDetail  string // its structured fields in words
	KindLink    string // the evidence view it appears in
	// CardsPage, for a highlight whose card is on another page of the
	// margin, is that page (from 1) and CardsHref its address with #a-ID.
	CardsPage int
	CardsHref string
}

// ColorClass picks a highlight colour: the first tag's when there is one
// (the same tag is the same colour everywhere), else by kind.
func (a AnnotationCard) ColorClass() string {
	if len(a.Tags) > 0 {
		return a.Tags[0].Class
	}
	if a.Highlight {
		return "k-highlight"
	}
	return "k-comment"
}

// NoteCard is one note beside the article.
type NoteCard struct {
	ID         int64
	AuthorName string
	Created    string
	Edited     bool
	BodyHTML   string
	Audience   string
	CanEdit    bool
}

// AudienceText says in words who can see something.
func AudienceText(visibility, groupName string) string {
	switch visibility {
	case "private":
		return "Only you can see this."
	case "group":
		return "Members of " + groupName + " can see this."
	case "public":
		return "Anyone can see this, including people who are not signed in."
	}
	return ""
}

// Piece is a run of paragraph text with the highlights over it.
type Piece struct {
	Text    string
	Found   bool    // inside the passage a search result pointed at
	IDs     string  // space-separated annotation ids covering it; "" for plain text
	Class   string  // colour of the innermost highlight
	Depth   int     // how many highlights overlap here
	Starts  []int64 // annotations whose passage begins here (anchor targets)
	EndRefs []MarkRef
}

// MarkRef links the end of a highlighted passage to its card.
type MarkRef struct {
	ID    int64
	Label string
	Href  string // the card on another page of the margin; "" for #a-ID
	Page  int    // that page
}

// MarkedParagraph is a paragraph cut into pieces at highlight boundaries.
type MarkedParagraph struct {
	Start, End int
	Lines      int // lines of text in it
	Marked     bool
	Pieces     []Piece
}

// TextBlock is a run of paragraphs: the article's own, or furniture from
// the source page (navigation, a dateline, the headline repeated), which
// the reader shows dimmed and collapsed, open when something in it is
// highlighted or pointed at.
type TextBlock struct {
	Furniture  bool
	Lines      int
	Open       bool
	Paragraphs []MarkedParagraph
}

// Span is a range of the text in code points, end exclusive.
type Span struct{ Start, End int }

// foundID marks the passage a link pointed at (?at=start-end), which is
// highlighted and scrolled to (#found) without any script.
const foundID = -1

// Found is a passage to point at, in code points; End 0 means none.
type Found struct{ Start, End int }

// TextBlocks lays the cards' highlights, and the passage a link pointed
// at, over the paragraphs, and groups the paragraphs that furniture covers
// whole.
func TextBlocks(paras []marks.Paragraph, cards []AnnotationCard, found Found, furniture []Span) []TextBlock {
	var out []TextBlock
	for _, mp := range MarkParagraphs(paras, cards, found) {
		f := covered(furniture, mp.Start, mp.End)
		if n := len(out); n == 0 || out[n-1].Furniture != f {
			out = append(out, TextBlock{Furniture: f})
		}
		b := &out[len(out)-1]
		b.Paragraphs = append(b.Paragraphs, mp)
		b.Lines += mp.Lines
		b.Open = b.Open || mp.Marked
	}
	return out
}

func covered(spans []Span, start, end int) bool {
	for _, s := range spans {
		if s.Start <= start && end <= s.End {
			return true
		}
	}
	return false
}

// MarkParagraphs lays the cards' highlights, and the passage a link
// pointed at, over the paragraphs.
func MarkParagraphs(paras []marks.Paragraph, cards []AnnotationCard, found Found) []MarkedParagraph {
	ranges := make([]marks.Range, 0, len(cards)+1)
	if found.End > found.Start {
		ranges = append(ranges, marks.Range{ID: foundID, Start: found.Start, End: found.End, Class: "found"})
	}
	byID := make(map[int64]*AnnotationCard, len(cards))
	for i := range cards {
		c := &cards[i]
		if c.Status == "orphaned" || c.End <= c.Start {
			continue
		}
		ranges = append(ranges, marks.Range{ID: c.ID, Start: c.Start, End: c.End, Class: c.ColorClass()})
		byID[c.ID] = c
	}
	out := make([]MarkedParagraph, 0, len(paras))
	for i, p := range paras {
		// A passage may begin or end in the blank space between paragraphs:
		// its anchor goes to the next paragraph's start, its reference to the
		// previous paragraph's end.
		prevEnd, nextStart := -1, int(^uint(0)>>1)
		if i > 0 {
			prevEnd = paras[i-1].End
		}
		if i+1 < len(paras) {
			nextStart = paras[i+1].Start
		}
		mp := MarkedParagraph{Start: p.Start, End: p.End, Lines: 1 + strings.Count(p.Text, "\n")}
		for _, seg := range marks.Segments(p.Text, p.Start, ranges) {
			piece := Piece{Text: seg.Text, Depth: len(seg.Marks)}
			mp.Marked = mp.Marked || len(seg.Marks) > 0
			if len(seg.Marks) > 0 {
				ids := make([]string, 0, len(seg.Marks))
				var class string
				for _, m := range seg.Marks {
					if m.ID == foundID {
						piece.Found = true
						if m.Start == seg.Start || (seg.Start == p.Start && m.Start < p.Start && m.Start >= prevEnd) {
							piece.Starts = append(piece.Starts, m.ID)
						}
						continue
					}
					ids = append(ids, strconv.FormatInt(m.ID, 10))
					class = m.Class
					if m.Start == seg.Start || (seg.Start == p.Start && m.Start < p.Start && m.Start >= prevEnd) {
						piece.Starts = append(piece.Starts, m.ID)
					}
					if m.End == seg.End || (seg.End == p.End && m.End > p.End && m.End <= nextStart) {
						c := byID[m.ID]
						piece.EndRefs = append(piece.EndRefs, MarkRef{ID: m.ID, Label: refLabel(c), Href: c.CardsHref, Page: c.CardsPage})
					}
				}
				piece.IDs = strings.Join(ids, " ")
				piece.Class = class
				piece.Depth = len(ids)
			}
			mp.Pieces = append(mp.Pieces, piece)
		}
		out = append(out, mp)
	}
	return out
}

// refLabel names the annotation a highlight's marker leads to.
func refLabel(c *AnnotationCard) string {
	kind := "Comment"
	if c.Highlight {
		kind = "Highlight"
	}
	return kind + " by " + c.AuthorName
}

// detailsOf is the ids of the cards a highlight's pieces belong to
// (aria-details), from its space-separated annotation ids.
func detailsOf(ids string) string {
	return "a-" + strings.ReplaceAll(ids, " ", " a-")
}

func depthClass(d int) string {
	if d > 3 {
		d = 3
	}
	return "depth-" + strconv.Itoa(d)
}

// paragraphBody writes a paragraph's pieces with no white space between
// them: the rendered text must be exactly the stored text, because the
// reader's script counts code points in it.
func paragraphBody(p MarkedParagraph) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		var b strings.Builder
		for _, pc := range p.Pieces {
			for _, id := range pc.Starts {
				if id == foundID {
					b.WriteString(`<span class="mark-start" id="found" tabindex="-1"></span>`)
					continue
				}
				b.WriteString(`<span class="mark-start" id="m-`)
				b.WriteString(strconv.FormatInt(id, 10))
				b.WriteString(`"></span>`)
			}
			if pc.Found {
				b.WriteString(`<mark class="found">`)
			}
			if pc.IDs == "" {
				b.WriteString(templ.EscapeString(pc.Text))
			} else {
				b.WriteString(`<mark class="hl `)
				b.WriteString(templ.EscapeString(pc.Class))
				b.WriteString(" ")
				b.WriteString(depthClass(pc.Depth))
				b.WriteString(`" data-ids="`)
				b.WriteString(pc.IDs)
				b.WriteString(`" aria-details="`)
				b.WriteString(detailsOf(pc.IDs))
				b.WriteString(`">`)
				b.WriteString(templ.EscapeString(pc.Text))
				b.WriteString(`</mark>`)
			}
			if pc.Found {
				b.WriteString(`</mark>`)
			}
			for _, r := range pc.EndRefs {
				// Empty: its glyph is drawn by the stylesheet, so copying the
				// text copies no marker, and the script's offsets skip it.
				id := strconv.FormatInt(r.ID, 10)
				if r.Href != "" {
					// Its card is on another page of the margin (the script
					// loads that page in place).
					b.WriteString(`<a class="mark-ref" href="` + templ.EscapeString(r.Href) + `" data-id="` + id + `" data-cards="` + strconv.Itoa(r.Page) + `" aria-label="` + templ.EscapeString(r.Label) + `"></a>`)
					continue
				}
				b.WriteString(`<a class="mark-ref" href="#a-` + id + `" data-id="` + id + `" aria-label="` + templ.EscapeString(r.Label) + `"></a>`)
			}
		}
		_, err := io.WriteString(w, b.String())
		return err
	})
}

package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/db/anchor"
	"gloss/handlers/paths"
	"gloss/handlers/web"
	"gloss/views"
)

// The reader's margin in pages: every visible annotation's highlight is in
// the text, but only a page of cards (CardsPerPage top-level annotations
// in text order, each with its replies; orphans last) is read and
// rendered. ?cards=2 is the second page; the reader's script, which adds
// pages as the reader scrolls, asks for all it holds (?cards=1-3) when a
// change brings the margin up to date, so no change drops them.

const defaultCardsPerPage = 40

func (s *Server) cardsPerPage() int {
	if s.cfg.CardsPerPage > 0 {
		return s.cfg.CardsPerPage
	}
	return defaultCardsPerPage
}

// cardRange is the pages of cards asked for, from 1; zero: the first.
type cardRange struct{ first, last int }

// parseCards reads ?cards=: a page (2) or a run of pages (1-3).
func parseCards(raw string) (cardRange, error) {
	if raw == "" {
		return cardRange{1, 1}, nil
	}
	a, b, isRun := strings.Cut(raw, "-")
	if !isRun {
		b = a
	}
	first, err1 := strconv.Atoi(a)
	last, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || first < 1 || last < first {
		return cardRange{}, web.BadRequest("The annotations' pages are numbered 1, 2, 3…: use ?cards=2 for the second.")
	}
	return cardRange{first, last}, nil
}

// marginPlan is which top-level annotations a page's margin holds.
type marginPlan struct {
	per, pages  int
	first, last int // pages held, from 1
	from, to    int // spans[from:to] are held
}

// planMargin holds the pages asked for, within the pages there are (a
// stale link to a page past the end shows the last), widened to the page
// of the span at focus (-1: none), so a change's card is always there.
func planMargin(n, per int, r cardRange, focus int) marginPlan {
	p := marginPlan{per: per, pages: max(1, (n+per-1)/per)}
	p.first, p.last = min(max(r.first, 1), p.pages), min(max(r.last, 1), p.pages)
	if focus >= 0 {
		page := focus/per + 1
		p.first, p.last = min(p.first, page), max(p.last, page)
	}
	p.from, p.to = (p.first-1)*per, min(p.last*per, n)
	return p
}

// spanIndex is the position of the span holding the annotation or reply
// id, or -1.
func spanIndex(spans []db.MarginSpan, id int64) int {
	if id == 0 {
		return -1
	}
	for i, sp := range spans {
		if sp.ID == id {
			return i
		}
		for _, r := range sp.Replies {
			if r == id {
				return i
			}
		}
	}
	return -1
}

// focusID is the annotation an element id names ("a-12"), or 0.
func focusID(elementID string) int64 {
	n, err := strconv.ParseInt(strings.TrimPrefix(elementID, "a-"), 10, 64)
	if err != nil || !strings.HasPrefix(elementID, "a-") {
		return 0
	}
	return n
}

// readerParams is the reader's query that pages of cards keep: its filters.
func readerParams(q readerQuery) url.Values {
	u := url.Values{}
	if q.filter.Scope != "" {
		u.Set("show", q.filter.Scope)
	}
	if q.filter.Tag != "" {
		u.Set("tag", q.filter.Tag)
	}
	if q.author != "" {
		u.Set("author", q.author)
	}
	if q.hideHighlights {
		u.Set("highlights", "off")
	}
	if q.suggestions {
		u.Set("suggestions", "on")
	}
	return u
}

// margin is what readerModel needs of the annotations: the cards of the
// pages held, every highlight, the count and the authors.
type margin struct {
	cards, orphans []views.AnnotationCard
	highlights     []views.AnnotationCard // light: no body, replies or evidence
	pages          views.MarginPages
	total          int
	authors        map[int64]string
}

// loadMargin reads every span the viewer sees under the filters, and the
// full threads of the pages held only.
func (s *Server) loadMargin(ctx context.Context, v db.Viewer, a db.Article, q readerQuery, colors map[string]int) (margin, error) {
	var out margin
	spans, err := s.db.MarginSpans(ctx, v, a.ID, q.filter)
	if err != nil {
		return out, err
	}
	p := planMargin(len(spans), s.cardsPerPage(), q.cards, spanIndex(spans, q.focus))
	ids := make([]int64, 0, p.to-p.from)
	for _, sp := range spans[p.from:p.to] {
		ids = append(ids, sp.ID)
	}
	list, err := s.db.AnnotationThreads(ctx, v, a.ID, ids)
	if err != nil {
		return out, err
	}
	for _, an := range list {
		if an.Anchor.Status == anchor.Orphaned {
			out.orphans = append(out.orphans, annotationCard(v, colors, an))
		} else {
			out.cards = append(out.cards, annotationCard(v, colors, an))
		}
	}
	params := readerParams(q)
	pageHref := func(n int) string {
		if n > 1 {
			params.Set("cards", strconv.Itoa(n))
		} else {
			params.Del("cards")
		}
		return paths.ArticleWith(a.Slug, params)
	}
	hrefs := map[int]string{}
	out.authors = make(map[int64]string)
	out.highlights = make([]views.AnnotationCard, 0, len(spans))
	var one [1]string
	for i, sp := range spans {
		out.total += 1 + len(sp.Replies)
		out.authors[sp.AuthorID] = sp.AuthorName
		if sp.Anchor.Status == anchor.Orphaned {
			continue
		}
		h := views.AnnotationCard{ID: sp.ID, Start: sp.Anchor.Start, End: sp.Anchor.End, Status: string(sp.Anchor.Status),
			AuthorName: sp.AuthorName, Highlight: sp.Highlight}
		if sp.FirstTag != "" {
			one[0] = sp.FirstTag
			h.Tags = web.TagChips(colors, one[:])
		}
		if i < p.from || i >= p.to {
			h.CardsPage = i/p.per + 1
			if hrefs[h.CardsPage] == "" {
				hrefs[h.CardsPage] = pageHref(h.CardsPage)
			}
			h.CardsHref = hrefs[h.CardsPage] + "#a-" + itoa64(sp.ID)
		}
		out.highlights = append(out.highlights, h)
	}
	out.pages = views.MarginPages{First: p.first, Last: p.last, Pages: p.pages, From: p.from + 1, To: p.to, Of: len(spans)}
	if p.pages > 1 {
		if p.first > 1 {
			out.pages.Prev = pageHref(p.first - 1)
		}
		if p.last < p.pages {
			out.pages.Next = pageHref(p.last + 1)
		}
	}
	return out, nil
}

// cardAddress is where an annotation's card is for the viewer in the
// unfiltered reader: its article's page of cards that holds it.
func (s *Server) cardAddress(ctx context.Context, v db.Viewer, a db.Article, id int64) (string, error) {
	i, ok, err := s.db.MarginPosition(ctx, v, a.ID, id)
	if err != nil {
		return "", err
	}
	page := 1
	if ok {
		page = i/s.cardsPerPage() + 1
	}
	return paths.AnnotationOnCards(a.Slug, page, id), nil
}

// toCard answers ?card=ID (paths.CardLink) with a redirect to the page of
// cards that holds the annotation for the viewer; one they may not see (or
// that is gone) leads to the first page, which says nothing about it.
func (s *Server) toCard(c echo.Context, slug, card string) error {
	id, err := strconv.ParseInt(card, 10, 64)
	if err != nil || id <= 0 {
		return web.BadRequest("?card= names an annotation by its number, e.g. ?card=12.")
	}
	r := c.Request()
	a, err := s.db.ArticleBySlug(r.Context(), slug)
	if err != nil {
		return err
	}
	to, err := s.cardAddress(r.Context(), web.Viewer(r), a, id)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// cardsAnnounce says which cards a page of them added, for the reader's
// script to announce.
func cardsAnnounce(p views.MarginPages) string {
	return fmt.Sprintf("Showing annotations %d to %d of %d.", p.From, p.To, p.Of)
}

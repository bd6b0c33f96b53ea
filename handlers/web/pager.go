package web

import (
	"strconv"

	"gloss/views"
)

// PageNumber reads a ?page= parameter: absent is the first page.
func PageNumber(raw string) (int, error) {
	if raw == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		return 0, BadRequest("Pages are numbered 1, 2, 3…: use ?page=2 for the second page.")
	}
	return n, nil
}

// Pager links every page near the current one, the first and the last,
// with gaps between; href makes page n's URL.
func Pager(label string, page, pages int, href func(n int) string) views.Pager {
	if pages <= 1 {
		return views.Pager{}
	}
	p := views.Pager{Label: label}
	if page > 1 {
		p.Prev = href(page - 1)
	}
	if page < pages {
		p.Next = href(page + 1)
	}
	show := []int{1}
	for n := max(2, page-2); n <= min(pages-1, page+2); n++ {
		show = append(show, n)
	}
	show = append(show, pages)
	prev := 0
	for _, n := range show {
		switch {
		case n-prev == 2: // a gap of one page: show the page, not "…"
			p.Links = append(p.Links, views.PageLink{N: n - 1, Href: href(n - 1)})
		case n-prev > 2:
			p.Links = append(p.Links, views.PageLink{})
		}
		p.Links = append(p.Links, views.PageLink{N: n, Href: href(n), Current: n == page})
		prev = n
	}
	return p
}

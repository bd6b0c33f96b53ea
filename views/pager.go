package views

// Pager links the pages of a long list. It is empty (and renders nothing)
// when the list fits on one page.
type Pager struct {
	Label string // names the navigation landmark, e.g. "Library pages"
	Prev  string // URL of the previous page, "" on the first
	Next  string // URL of the next page, "" on the last
	Links []PageLink
}

// PageLink is one numbered page, or a gap for the pages left out.
type PageLink struct {
	N       int
	Href    string // "" for a gap
	Current bool
}

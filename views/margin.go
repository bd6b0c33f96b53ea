package views

// MarginPages says which pages of the margin's cards a reader page holds:
// a page is CardsPerPage top-level annotations in text order (orphans
// last), each with its replies. Without JavaScript the margin shows one
// page and links the next and previous; the reader's script adds the next
// pages as the reader scrolls, and asks for all it holds (?cards=1-3) when
// a change brings the margin up to date.
type MarginPages struct {
	First, Last int    // the pages held, from 1
	Pages       int    // how many there are; 0 or 1: no pager
	From, To    int    // positions of the first and last top-level annotation held, from 1
	Of          int    // top-level annotations in all
	Prev, Next  string // addresses of the pages before and after the ones held; "" for none
}

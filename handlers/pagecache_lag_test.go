package handlers

import (
	"testing"

	"gloss/handlers/pagecache"
)

// TestKeptPagesCatchUpCheaply: a kept page is served only while its live
// stream, starting from the page's last event, can catch up well within
// what a stream reads before it has the page reloaded (a page kept
// further behind would reload itself for ever).
func TestKeptPagesCatchUpCheaply(t *testing.T) {
	if pagecache.MaxLag*5 > maxCatchUp {
		t.Errorf("kept pages may be %d events behind; a stream catches up on at most %d", pagecache.MaxLag, maxCatchUp)
	}
}

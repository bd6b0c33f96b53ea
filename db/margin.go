package db

import "gloss/db/anchor"

// MarginSpan is a top-level annotation as the reader needs it for every
// annotation the viewer sees, whether or not its card is on the page: where
// its highlight goes, how it is drawn and labelled, and its thread's size.
// The cards themselves (bodies, replies, tags, evidence) are read only for
// the annotations a page shows (Annotations.AnnotationThreads).
type MarginSpan struct {
	ID         int64
	Anchor     anchor.Match // where it lies in the current revision (no score)
	AuthorID   int64
	AuthorName string
	Highlight  bool    // no comment
	FirstTag   string  // its first tag by name, "" for none: the highlight's colour
	Replies    []int64 // its visible replies at any depth, in the order they were made
}

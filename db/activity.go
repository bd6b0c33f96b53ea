package db

import (
	"context"
	"time"
)

// ActivityItem is one thing written in a group: an annotation, a reply or
// a note, as a group's owners follow them.
type ActivityItem struct {
	Kind         string // "annotation", "highlight", "reply" or "note"
	ID           int64
	ArticleSlug  string
	ArticleTitle string
	AuthorID     int64
	AuthorName   string
	Quote        string // the passage (a reply: the one its parent is about)
	Start, End   int
	Excerpt      string
	Hidden       bool
	CreatedAt    time.Time
}

// ActivityFilter narrows a group's activity to one member or one article.
type ActivityFilter struct {
	MemberID, ArticleID int64
}

// ActivityPage is one page of a group's activity, newest first.
type ActivityPage struct {
	Items []ActivityItem
	More  bool
	// Articles are those the group wrote about (for the filter).
	Articles []ArticleRef
}

// Activity: what a group's members write, for its owners.
type Activity interface {
	GroupActivity(ctx context.Context, v Viewer, groupID int64, f ActivityFilter, page, perPage int) (ActivityPage, error)
}

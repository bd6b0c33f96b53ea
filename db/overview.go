package db

import (
	"time"

	"gloss/db/anchor"
)

// Overview is a group's class overview: what each member wrote in the
// group, and which passages drew the most discussion. Only what members
// shared with the group counts; private and public writing is theirs.
type Overview struct {
	Group    Group
	Everyone bool // every member's row (owners, admins); else only the viewer's
	Members  []MemberActivity
	Passages []DiscussedPassage
}

// MemberActivity is one member's row.
type MemberActivity struct {
	UserID      int64
	Name        string
	Role        Role
	Annotations int
	Replies     int
	Notes       int
	First, Last time.Time // zero when they wrote nothing
	Articles    []ArticleActivity
}

// ArticleActivity is what one member wrote on one article.
type ArticleActivity struct {
	ArticleID   int64
	Slug        string
	Title       string
	Annotations int
	Replies     int
	Notes       int
	First, Last time.Time
}

// DiscussedPassage is a passage of an article with the annotations on it
// and the replies to them.
type DiscussedPassage struct {
	ArticleSlug  string
	ArticleTitle string
	Quote        string
	Status       anchor.Status
	Start, End   int // in the current text
	Annotations  int
	Replies      int
	People       int
	Last         time.Time
}

// MaxDiscussed is how many passages the overview ranks.
const MaxDiscussed = 10

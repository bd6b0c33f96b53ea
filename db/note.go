package db

import "time"

// Note is a thought about a whole article, kept beside its text.
type Note struct {
	ID          int64
	ArticleID   int64
	AuthorID    int64
	AuthorName  string
	Participant int // the author's number in a pseudonymized export (Pseudonymize), else 0
	Body        string
	BodyHTML    string
	Visibility  Visibility
	GroupID     int64
	GroupName   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// NoteInput is what the notes form sends.
type NoteInput struct {
	Body       string
	Visibility string
	Group      string
}

func (in NoteInput) Validate(v Viewer) (string, Visibility, int64, error) {
	vis, groupID, err := Audience(in.Visibility, in.Group)
	if err != nil {
		return "", "", 0, About("group", err)
	}
	if err := v.Write(vis, groupID); err != nil {
		return "", "", 0, err
	}
	body, err := CleanText("The note", in.Body, 1, MaxCommentLen, true)
	if err != nil {
		return "", "", 0, About("body", err)
	}
	return body, vis, groupID, nil
}

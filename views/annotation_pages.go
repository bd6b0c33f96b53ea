package views

// EditAnnotationPage edits one annotation (or reply).
type EditAnnotationPage struct {
	Card    AnnotationCard
	Form    AnnotateForm
	IsReply bool
}

// EditNotePage edits one note.
type EditNotePage struct {
	ID          int64
	ArticleSlug string
	Form        AnnotateForm
}

// TagPage lists every passage with a tag, across the corpus.
type TagPage struct {
	Tag         string
	Class       string
	Description string
	Cards       []AnnotationCard
	Articles    []ArticleSummary // articles tagged with it
}

package views

// EditAnnotationPage edits one annotation (or reply).
type EditAnnotationPage struct {
	Card    AnnotationCard
	Form    AnnotateForm
	IsReply bool
	Inline  bool // the form inside its card in the reader, not a page
}

// Ids of the edit form's fields: on its own page the annotate form's
// (f-body, e-visibility); in the reader each card's own (e12-body).
func (m EditAnnotationPage) formID() string {
	return "edit-form-" + itoa64(m.Card.ID)
}

func (m EditAnnotationPage) fieldID(name string) string {
	if m.Inline {
		return "e" + itoa64(m.Card.ID) + "-" + name
	}
	return "f-" + name
}

func (m EditAnnotationPage) evidencePrefix() string {
	if m.Inline {
		return "e" + itoa64(m.Card.ID)
	}
	return "f"
}

func (m EditAnnotationPage) audiencePrefix() string {
	if m.Inline {
		return "e" + itoa64(m.Card.ID)
	}
	return "e"
}

// EditNotePage edits one note.
type EditNotePage struct {
	ID          int64
	ArticleSlug string
	Form        AnnotateForm
	Inline      bool // inside its card in the reader
}

func (m EditNotePage) formID() string { return "edit-note-form-" + itoa64(m.ID) }

func (m EditNotePage) bodyID() string {
	if m.Inline {
		return "ne" + itoa64(m.ID) + "-body"
	}
	return "note-body"
}

func (m EditNotePage) audiencePrefix() string {
	if m.Inline {
		return "ne" + itoa64(m.ID)
	}
	return "n"
}

// TagPage lists every passage with a tag, across the corpus.
type TagPage struct {
	Tag         string
	Class       string
	Description string
	Cards       []AnnotationCard
	Articles    []ArticleSummary // articles tagged with it
}

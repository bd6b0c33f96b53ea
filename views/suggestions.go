package views

import (
	"encoding/json"
	"strings"
)

// SuggestionView is one piece of evidence Gloss suggests in an article's
// text (db/suggest), as the reader's panel and the review page show it.
// It is the viewer's alone: nothing of it is stored until it is accepted.
type SuggestionView struct {
	Key        string
	Kind       string
	Text       string // the passage
	Start, End int    // code points of the article's text
	Detail     string // the fields in the formatter's words (db/evidence)
	// Fields are the annotate form's fields it fills (kind, low, unit…).
	Fields map[string]string
	// AcceptHref, in the reader, opens the annotate form filled in (the
	// way without JavaScript; the script opens the composer instead).
	AcceptHref string
	// Before and After are a few words around the passage (review page).
	Before, After string
	// Problem, on the review page, says why it cannot be accepted as it
	// is (a field the text did not give), or why an accept was refused.
	Problem string
	// Form holds what was typed into it when an accept was refused.
	Form Form
}

// FieldsJSON is Fields for the reader's script (data-fields).
func (s SuggestionView) FieldsJSON() string {
	b, err := json.Marshal(s.Fields)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// Value is a field's value on the review page: what was typed when an
// accept was refused, else what the suggestion fills in.
func (s SuggestionView) Value(name string) string {
	if s.Form.Values != nil {
		return s.Form.Value(name)
	}
	return s.Fields[name]
}

// ReaderSuggestions is the reader's Suggestions switch, with how many are
// left, and, when it is on, the panel that lists them.
type ReaderSuggestions struct {
	Slug      string
	On        bool
	Left      int // suggestions neither dismissed nor already annotated
	Dismissed int
	Items     []SuggestionView // when On
	// CountURL, when the count is not known yet (the suggestions were
	// not computed for this page), is where the script asks for it.
	CountURL string
	// OnHref and OffHref turn the switch on and off without JavaScript;
	// PanelURL is where the script fetches the panel.
	OnHref, OffHref, PanelURL    string
	DismissAction, RestoreAction string
	// ReviewHref is the bulk review, for the owners of a group.
	ReviewHref string
	Announce   string // what an answer in place says
}

// SuggestionKinds are the kinds of suggestion, in the order the review
// page offers them, with their names in the plural.
var SuggestionKinds = []Option{{Value: "figure", Label: "figures"}, {Value: "quote", Label: "quotes"},
	{Value: "entity", Label: "mentions"}, {Value: "event", Label: "events"}}

// SuggestionReviewPage reviews every suggestion of an article into one of
// the groups the viewer owns.
type SuggestionReviewPage struct {
	Article ArticleSummary
	Groups  []Option // the groups the viewer owns
	Group   Option   // the one chosen ("" when none yet)
	// Total suggestions; Left of them to review; Accepted already are the
	// group's annotations; Dismissed by the viewer.
	Total, Left, Accepted, Dismissed int
	Items                            []SuggestionView
	AcceptAll                        []AcceptAllButton
	AcceptAction, AcceptAllAction    string
	DismissAction                    string
	ReaderHref                       string
	Error                            string
}

// AcceptAllButton accepts every suggestion of a kind that is ready.
type AcceptAllButton struct {
	Kind, Label    string
	Ready, Blocked int // can be accepted as they are; need a field first
}

// Progress says how far the review is, in words.
func (m SuggestionReviewPage) Progress() string {
	if m.Total == 0 {
		return "Gloss suggests nothing in this article."
	}
	if m.Left == 0 {
		return "All " + plural(m.Total, "suggestion", "suggestions") + " reviewed: " + itoa(m.Accepted) + " accepted into " + m.Group.Label + ", " + itoa(m.Dismissed) + " dismissed."
	}
	return itoa(m.Left) + " of " + plural(m.Total, "suggestion", "suggestions") + " left to review (" + itoa(m.Accepted) + " accepted into " + m.Group.Label + ", " + itoa(m.Dismissed) + " dismissed)."
}

// kindFields are the form fields of a kind, in the order the review page
// shows them, with their labels.
var kindFields = map[string][][2]string{
	"figure": {{"low", "Low value"}, {"high", "High value"}, {"unit", "Unit"}, {"counted", "What is counted"}, {"ref_date", "Date it refers to"}, {"estimator", "Whose estimate"}},
	"quote":  {{"speaker", "Speaker"}},
	"entity": {{"entity", "Name"}},
	"event":  {{"date_from", "Date"}, {"date_to", "Until"}, {"place", "Place"}},
}

// typeField is the field that gives a name's type, for the kinds with one.
var typeField = map[string]string{"figure": "estimator_type", "quote": "speaker_type", "entity": "entity_type"}

// suggestionName names a suggestion for a screen reader's button label:
// its kind and its first words.
func suggestionName(s SuggestionView) string {
	return strings.ToLower(KindLabel(s.Kind)) + " “" + Clip(s.Text, 8) + "”"
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

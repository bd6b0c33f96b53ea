package db

import (
	"fmt"
	"testing"
)

// TestPseudonymize: one rule for every export. People are numbered from 1
// in the order they first appear (annotations, replies beneath them, then
// notes), one person keeps one number, and no author id is left.
func TestPseudonymize(t *testing.T) {
	ada, bo, cy := int64(7), int64(3), int64(9)
	names := func(as []*Annotation, ns []Note) string {
		var out []string
		for _, a := range as {
			out = append(out, fmt.Sprintf("%s/%d/%d", a.AuthorName, a.Participant, a.AuthorID))
		}
		for _, n := range ns {
			out = append(out, fmt.Sprintf("%s/%d/%d", n.AuthorName, n.Participant, n.AuthorID))
		}
		return fmt.Sprint(out)
	}
	const want = "[Participant 1/1/0 Participant 2/2/0 Participant 1/1/0 Participant 2/2/0 Participant 3/3/0]"

	t.Run("Articles", func(t *testing.T) {
		reply := &Annotation{AuthorID: bo, AuthorName: "Bo"}
		first := &Annotation{AuthorID: ada, AuthorName: "Ada", Replies: []*Annotation{reply}}
		second := &Annotation{AuthorID: ada, AuthorName: "Ada"}
		arts := []ExportArticle{
			{Annotations: []*Annotation{first}, Notes: []Note{{AuthorID: bo, AuthorName: "Bo"}}},
			{Annotations: []*Annotation{second}, Notes: []Note{{AuthorID: cy, AuthorName: "Cy"}}},
		}
		Pseudonymize(arts)
		// Annotations of every article come before any note.
		if got := names([]*Annotation{first, reply, second}, append(arts[0].Notes, arts[1].Notes...)); got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	})
	t.Run("Flat", func(t *testing.T) {
		x := FlatExport{
			Annotations: []*Annotation{{AuthorID: ada, AuthorName: "Ada"}, {AuthorID: bo, AuthorName: "Bo"}, {AuthorID: ada, AuthorName: "Ada"}},
			Notes:       []Note{{AuthorID: bo, AuthorName: "Bo"}, {AuthorID: cy, AuthorName: "Cy"}},
		}
		x.Pseudonymize()
		if got := names(x.Annotations, x.Notes); got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	})
}

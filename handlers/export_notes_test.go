package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"gloss/db"
)

// TestNotesInExports: notes on whole articles travel in the Markdown and
// JSON-LD exports under the reader's visibility rule, pseudonymized with
// the rest, and a JSON-LD round trip brings them back as notes.
func TestNotesInExports(t *testing.T) {
	ctx := context.Background()
	w := newLDWorld(t)
	art, err := w.store.ArticleBySlug(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	note := func(email, body, vis string) db.Note {
		t.Helper()
		in := db.NoteInput{Body: body, Visibility: vis}
		if vis == "group" {
			in.Group = fmt.Sprint(w.group.ID)
		}
		n, err := w.store.CreateNote(ctx, mustViewer(t, w.store, email), art.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	group := note("member@example.org", "GROUP NOTE on *sources*.", "group")
	note("owner@example.org", "OWNER SECRET NOTE", "private")
	public := note("outsider@example.org", "Public note about the figures.", "public")

	t.Run("Markdown", func(t *testing.T) {
		md := w.member.get("/export.md").Body.String()
		for _, want := range []string{"\n### Notes on the article\n", "GROUP NOTE on *sources*.", "Public note about the figures.",
			fmt.Sprintf("[link](http://gloss.test/articles/%s#n-%d)", slug, group.ID), "and 2 notes on"} {
			if !strings.Contains(md, want) {
				t.Errorf("missing %q in\n%s", want, md)
			}
		}
		if strings.Contains(md, "OWNER SECRET") {
			t.Error("someone else's private note is in the export")
		}
		anon := w.anonymous.get("/articles/" + slug + "/export.md").Body.String()
		if !strings.Contains(anon, "Public note") || strings.Contains(anon, "GROUP NOTE") || strings.Contains(anon, "SECRET") {
			t.Errorf("signed out:\n%s", anon)
		}
		if csv := w.member.get("/export.csv").Body.String(); strings.Contains(csv, "NOTE") {
			t.Error("a note in the CSV, which holds one row per annotation")
		}
	})
	t.Run("Pseudonymized", func(t *testing.T) {
		md := w.owner.get(fmt.Sprintf("/groups/%d/export.md?pseudonymize=1", w.group.ID)).Body.String()
		if !strings.Contains(md, "GROUP NOTE") || !strings.Contains(md, "**Participant 1**") || strings.Contains(md, "Public note") {
			t.Errorf("group export:\n%s", md)
		}
		for _, real := range []string{"Member", "Owner"} {
			if strings.Contains(md, "**"+real+"**") {
				t.Errorf("%q in a pseudonymized export", real)
			}
		}
	})

	exported := ldItems(t, exportLD(t, w.member, "/export.jsonld"))
	var notes []map[string]any
	for _, it := range exported {
		if target, ok := it["target"].(string); ok && target == "http://gloss.test/articles/"+slug {
			notes = append(notes, it)
		}
	}
	if len(notes) != 2 || notes[0]["id"] != fmt.Sprintf("http://gloss.test/articles/%s#n-%d", slug, group.ID) ||
		notes[1]["id"] != fmt.Sprintf("http://gloss.test/articles/%s#n-%d", slug, public.ID) ||
		notes[0]["gloss:visibility"] != "group" || notes[0]["motivation"] != "commenting" {
		t.Fatalf("notes in the JSON-LD export: %v", notes)
	}
	if body := notes[0]["body"].([]any)[0].(map[string]any); body["value"] != "GROUP NOTE on *sources*." || body["format"] != "text/markdown" {
		t.Errorf("note body %v", body)
	}

	t.Run("RoundTrip", func(t *testing.T) {
		file, _ := json.Marshal(exportLD(t, w.member, "/export.jsonld"))
		b := newLDWorld(t)
		rec, rep := b.importLD(t, "member@example.org", "visibility=keep", string(file))
		if rec.Code != http.StatusOK || !rep.Stored || rep.Taken != 2 {
			t.Fatalf("import: %d %+v", rec.Code, rep)
		}
		barticle, err := b.store.ArticleBySlug(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		got, err := b.store.ArticleNotes(ctx, mustViewer(t, b.store, "member@example.org"), barticle.ID, db.AnnotationFilter{})
		if err != nil || len(got) != 2 {
			t.Fatalf("notes after the import: %+v, %v", got, err)
		}
		if got[0].Body != "GROUP NOTE on *sources*." || got[0].Visibility != db.Shared || got[0].GroupID != b.group.ID ||
			got[1].Body != "Public note about the figures." || got[1].Visibility != db.Public {
			t.Errorf("imported notes %+v", got)
		}
		if want := fmt.Sprintf("http://gloss.test/articles/%s#n-%d", slug, got[0].ID); rep.Created[0].ID != want {
			t.Errorf("the report names %q, want %q", rep.Created[0].ID, want)
		}
		// A note cannot carry tags: it is refused with a reason.
		tagged := `{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Annotation","motivation":"commenting",
			"body":[{"type":"TextualBody","value":"Tagged note","purpose":"commenting"},{"type":"TextualBody","value":"x","purpose":"tagging"}],
			"target":"http://gloss.test/articles/` + slug + `"}`
		if rec, rep := b.importLD(t, "member@example.org", "", tagged); rec.Code != http.StatusUnprocessableEntity || rep.Stored {
			t.Errorf("a tagged note: %d %+v", rec.Code, rep)
		}
	})
}

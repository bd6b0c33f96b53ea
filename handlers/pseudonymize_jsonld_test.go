package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"gloss/db"
)

// TestGroupJSONLDPseudonymized (issue 15, finding 13): ?pseudonymize=1 on
// the group's JSON-LD export names creators Participant 1, 2, … as the CSV
// and Markdown do, with no name or user IRI left; only owners may ask.
func TestGroupJSONLDPseudonymized(t *testing.T) {
	w := newAnnotationWorld(t)
	ctx := context.Background()
	member, owner := mustViewer(t, w.store, "member@example.org"), mustViewer(t, w.store, "owner@example.org")
	group := fmt.Sprint(w.group.ID)
	a, err := w.store.CreateAnnotation(ctx, member, w.articleID, db.AnnotationInput{Start: -1, End: -1, Exact: "North Koreans", Prefix: "an estimated 100,000 ", Body: "first", Visibility: "group", Group: group})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.CreateReply(ctx, owner, a.ID, "second"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.CreateReply(ctx, member, a.ID, "third"); err != nil {
		t.Fatal(err)
	}
	path := "/groups/" + group + "/export.jsonld?pseudonymize=1"
	doc := exportLD(t, w.owner, path)
	raw := w.owner.get(path).Body.String()
	for _, leak := range []string{`"Member"`, `"Owner"`, "/users/", "@example.org"} {
		if strings.Contains(raw, leak) {
			t.Errorf("the pseudonymized export holds %s", leak)
		}
	}
	names := map[string]string{}
	for _, it := range ldItems(t, doc) {
		c := it["creator"].(map[string]any)
		body := it["body"].([]any)[0].(map[string]any)["value"].(string)
		names[body] = c["name"].(string)
		if !strings.HasSuffix(c["id"].(string), "#participant-"+strings.TrimPrefix(c["name"].(string), "Participant ")) {
			t.Errorf("creator %v", c)
		}
	}
	if names["first"] != "Participant 1" || names["second"] != "Participant 2" || names["third"] != "Participant 1" {
		t.Errorf("pseudonyms %v", names)
	}
	if rec := w.member.get(path); rec.Code != http.StatusForbidden {
		t.Errorf("a member asking for a pseudonymized export: %d", rec.Code)
	}
	if !strings.Contains(w.owner.get("/groups/"+group).Body.String(), path) {
		t.Error("the group page does not offer the pseudonymized JSON-LD")
	}
}

package handlers_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestCollectionExports: a collection's exports hold the chosen annotations
// the viewer may see, and nothing else.
func TestCollectionExports(t *testing.T) {
	w := newCollectionWorld(t)
	lesson := fmt.Sprintf("/collections/%d", w.lesson)
	if parse(t, w.owner.get(lesson)).Find(`[data-testid="collection-exports"] a`).Length() != 3 {
		t.Error("the collection page does not offer its exports")
	}
	t.Run("OwnerCSV", func(t *testing.T) {
		rec := w.owner.get(lesson + "/export.csv")
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d", rec.Code)
		}
		body := rec.Body.String()
		for _, want := range []string{"OWNER-PRIVATE", "GROUP-SECRET", "PUBLIC-TEXT"} {
			if !strings.Contains(body, want) {
				t.Errorf("the owner's export lacks %s", want)
			}
		}
		if strings.Contains(body, "PRIVATE-SECRET") {
			t.Error("an annotation not chosen (and private to someone else) is exported")
		}
		if rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll(); err != nil || len(rows) != 4 {
			t.Errorf("%d rows, %v", len(rows), err)
		}
	})
	t.Run("MemberJSONLD", func(t *testing.T) {
		rec := w.member.get(lesson + "/export.jsonld")
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d", rec.Code)
		}
		var doc struct {
			Total int `json:"total"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		body := rec.Body.String()
		if doc.Total != 2 || strings.Contains(body, "OWNER-PRIVATE") || !strings.Contains(body, "GROUP-SECRET") {
			t.Errorf("member sees total %d: %s", doc.Total, body)
		}
	})
	t.Run("Markdown", func(t *testing.T) {
		if rec := w.viewer.get(lesson + "/export.md"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "PUBLIC-TEXT") {
			t.Errorf("viewer markdown: %d", rec.Code)
		}
	})
	t.Run("Refused", func(t *testing.T) {
		for who, cl := range map[string]*client{"outsider": w.outsider, "admin": w.admin} {
			if rec := cl.get(lesson + "/export.csv"); rec.Code != http.StatusNotFound {
				t.Errorf("%s: %d", who, rec.Code)
			}
		}
		if rec := w.anonymous.get(lesson + "/export.jsonld"); rec.Code == http.StatusOK {
			t.Errorf("anonymous: %d", rec.Code)
		}
	})
}

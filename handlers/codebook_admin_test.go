package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gloss/db"
)

// TestCodebookHidesGroupWorkFromAdminOutside (issue 15, finding 16): an
// administrator outside a group sees its codebook's definitions, to manage
// it, but not the tags its members use nor how often; a member sees both.
func TestCodebookHidesGroupWorkFromAdminOutside(t *testing.T) {
	w := newAnnotationWorld(t)
	ctx := context.Background()
	member := mustViewer(t, w.store, "member@example.org")
	if _, err := w.store.CreateAnnotation(ctx, member, w.articleID, db.AnnotationInput{Start: -1, End: -1, Exact: "North Koreans", Prefix: "an estimated 100,000 ",
		Tags: "secret-case-code", Visibility: "group", Group: fmt.Sprint(w.group.ID)}); err != nil {
		t.Fatal(err)
	}
	if rec := w.owner.post(fmt.Sprintf("/groups/%d/codebook", w.group.ID), url.Values{"tag": {"defined-code"}, "definition": {"What the owners wrote"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("define: %d", rec.Code)
	}
	path := fmt.Sprintf("/groups/%d/codebook", w.group.ID)
	admin := w.admin.get(path)
	if admin.Code != http.StatusOK {
		t.Fatalf("admin: %d", admin.Code)
	}
	body := admin.Body.String()
	if strings.Contains(body, "secret-case-code") || strings.Contains(body, "Uses in the group") {
		t.Error("an administrator outside the group sees the tags its members use, or their counts")
	}
	if !strings.Contains(body, "What the owners wrote") || parse(t, admin).Find(`[data-testid="codebook-outsider"]`).Length() != 1 {
		t.Error("the administrator does not see the definitions, or is not told why the rest is missing")
	}
	if csv := w.admin.get(path + ".csv").Body.String(); strings.Contains(csv, "secret-case-code") {
		t.Error("the codebook CSV shows an outsider a tag in use")
	}
	mine := w.member.get(path).Body.String()
	if !strings.Contains(mine, "secret-case-code") || !strings.Contains(mine, "Uses in the group") {
		t.Error("a member no longer sees the tags in use")
	}
}

package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestShareLinkWideningNeedsAuthorOrOwner (issue 15, finding 9): once a
// group owner shares a member's group collection, the link shows the
// group's annotations; the member may then add their own group annotations
// to it, but not another member's (that would publish it): only its author
// or the group's owners may. The refusal says why; the editor says so
// beforehand.
func TestShareLinkWideningNeedsAuthorOrOwner(t *testing.T) {
	w := newCollectionWorld(t)
	g := fmt.Sprint(w.group.ID)
	others := w.annotate(t, w.owner, url.Values{"exact": {"treaty with Pyongyang to return escapees"}, "body": {"OWNERS-GROUP-NOTE"}, "visibility": {"group"}, "group": {g}})
	token := shareLink(t, w.owner, w.memberGroup)
	add := func(cl *client, annotation int64) *httpRec {
		rec := cl.post("/collections/add", url.Values{"step": {"save"}, "annotation": {fmt.Sprint(annotation)}, "collection": {fmt.Sprint(w.memberGroup)}})
		return &httpRec{fmt.Sprint(rec.Code), rec.Body.String()}
	}
	if r := add(w.member, others); r.name != fmt.Sprint(http.StatusForbidden) || !strings.Contains(r.body, "can add it while the link is shared") {
		t.Errorf("a member adding another member's group annotation to a shared collection: %s", r.name)
	}
	rec := w.member.post(fmt.Sprintf("/collections/%d/items/%d/edit", w.memberGroup, w.memberItem), url.Values{"choose": {"1"},
		"annotation": {fmt.Sprint(w.public), fmt.Sprint(others)}})
	if rec.Code != http.StatusForbidden {
		t.Errorf("a member choosing another member's group annotation under a passage: %d", rec.Code)
	}
	if body := newClient(t, w.e).get("/s/" + token).Body.String(); strings.Contains(body, "OWNERS-GROUP-NOTE") {
		t.Error("the share link shows another member's group annotation a member added")
	}
	// Their own group annotation the member may publish; the owner may
	// publish anyone's in the group.
	if r := add(w.member, w.shared); r.name != fmt.Sprint(http.StatusSeeOther) {
		t.Errorf("a member adding their own group annotation: %s", r.name)
	}
	if r := add(w.owner, others); r.name != fmt.Sprint(http.StatusSeeOther) {
		t.Errorf("the owner adding a group annotation: %s", r.name)
	}
	body := newClient(t, w.e).get("/s/" + token).Body.String()
	if !strings.Contains(body, "GROUP-SECRET") || !strings.Contains(body, "OWNERS-GROUP-NOTE") {
		t.Error("the share link does not show what its author and the owner published")
	}
	if note := parse(t, w.member.get(fmt.Sprintf("/collections/%d/edit", w.memberGroup))).Find(`[data-testid="share-panel"]`).Text(); !strings.Contains(note, "choosing it publishes it") {
		t.Errorf("the editor does not say who may add group annotations while shared: %q", note)
	}
}

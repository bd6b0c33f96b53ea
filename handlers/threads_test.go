package handlers_test

// The thread rule (db/policy.go): a hidden annotation hides its thread
// everywhere, and a reply is never shown to more people than its author
// wrote it for. Issue 15, findings 1, 2, 5, 6 and 7.

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"gloss/db"
)

// threadWorld is the protocol world with a second member of the group
// ("second") and a thread in the group: the member's annotation, the
// second member's reply to it and the member's answer to that reply.
type threadWorld struct {
	*protocolWorld
	second                 *client
	root, reply, answer    int64
	collection             int64
	memberV, secondV, ownV db.Viewer
}

func newThreadWorld(t *testing.T) *threadWorld {
	t.Helper()
	ctx := context.Background()
	w := &threadWorld{protocolWorld: newProtocolWorld(t)}
	u := mustUser(t, w.store, "second@example.org", "Second", false)
	token, _, err := w.store.CreateInvite(ctx, db.NewInvite{GroupID: w.group.ID, Role: db.RoleMember, CreatedBy: mustViewer(t, w.store, "owner@example.org").UserID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.AcceptGroupInvite(ctx, token, u.ID); err != nil {
		t.Fatal(err)
	}
	raw, _, err := w.store.CreateAPIToken(ctx, u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	w.tokens["second@example.org"] = "Bearer " + raw
	w.second = signedIn(t, w.e, "second@example.org")
	w.memberV = mustViewer(t, w.store, "member@example.org")
	w.secondV = mustViewer(t, w.store, "second@example.org")
	w.ownV = mustViewer(t, w.store, "owner@example.org")
	root, err := w.store.CreateAnnotation(ctx, w.memberV, w.articleID, db.AnnotationInput{Start: -1, End: -1,
		Exact: "North Koreans", Prefix: "an estimated 100,000 ", Body: "Where does this number come from?", Tags: "onlyhidden",
		Visibility: "group", Group: fmt.Sprint(w.group.ID)})
	if err != nil {
		t.Fatal(err)
	}
	w.root = root.ID
	r, err := w.store.CreateReply(ctx, w.secondV, w.root, "zebrafinch: from the aid groups")
	if err != nil {
		t.Fatal(err)
	}
	w.reply = r.ID
	a, err := w.store.CreateReply(ctx, w.memberV, w.reply, "quagga: thank you")
	if err != nil {
		t.Fatal(err)
	}
	w.answer = a.ID
	w.collection, _, err = w.store.CreateCollectionWith(ctx, w.ownV, db.CollectionInput{Title: "Counting", Group: fmt.Sprint(w.group.ID)},
		db.ItemInput{AnnotationID: w.root})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *threadWorld) hide(t *testing.T) {
	t.Helper()
	if _, err := w.store.SetHidden(context.Background(), w.ownV, w.root, true); err != nil {
		t.Fatal(err)
	}
}

// ldHas reports whether a JSON-LD document (an export or a container)
// mentions an annotation's IRI anywhere.
func ldHas(body string, id int64) bool {
	iri := fmt.Sprintf(`"%s/annotations/%d"`, annoBase, id)
	return strings.Contains(body, iri)
}

// TestHiddenThreadRepliesNotInProtocol (finding 1): once an owner hides an
// annotation, its replies are gone for the group's members from the
// protocol and from every JSON-LD export, as from the reader, search, CSV
// and Markdown; the owner still sees them.
func TestHiddenThreadRepliesNotInProtocol(t *testing.T) {
	w := newThreadWorld(t)
	second := w.auth("second@example.org")
	before := call(t, w.e, http.MethodGet, fmt.Sprintf("/annotations/%d", w.reply), "", second...)
	if before.Code != http.StatusOK {
		t.Fatalf("before hiding, the reply: %d", before.Code)
	}
	w.hide(t)
	for _, id := range []int64{w.root, w.reply, w.answer} {
		rec := call(t, w.e, http.MethodGet, fmt.Sprintf("/annotations/%d", id), "", second...)
		if rec.Code != http.StatusNotFound {
			t.Errorf("a member GETs %d of a hidden thread: %d", id, rec.Code)
		}
	}
	for _, path := range []string{"/annotations/?per_page=1000", "/articles/" + slug + "/annotations/?per_page=1000",
		"/annotations/?page=0&per_page=1000", "/articles/" + slug + "/annotations/?page=0&per_page=1000"} {
		body := call(t, w.e, http.MethodGet, path, "", second...).Body.String()
		for _, id := range []int64{w.root, w.reply, w.answer} {
			if ldHas(body, id) {
				t.Errorf("%s lists %d of a hidden thread to a member", path, id)
			}
		}
	}
	for _, path := range []string{"/export.jsonld", fmt.Sprintf("/groups/%d/export.jsonld", w.group.ID),
		"/articles/" + slug + "/export.jsonld", fmt.Sprintf("/collections/%d/export.jsonld", w.collection),
		"/export.csv", fmt.Sprintf("/groups/%d/export.md", w.group.ID)} {
		rec := w.second.get(path)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d", path, rec.Code)
		}
		for _, marker := range []string{"zebrafinch", "quagga"} {
			if strings.Contains(rec.Body.String(), marker) {
				t.Errorf("%s holds a reply of a hidden thread (%s)", path, marker)
			}
		}
	}
	// The owner still reads the thread, marked hidden at its root.
	owner := w.auth("owner@example.org")
	for _, id := range []int64{w.root, w.reply, w.answer} {
		if rec := call(t, w.e, http.MethodGet, fmt.Sprintf("/annotations/%d", id), "", owner...); rec.Code != http.StatusOK {
			t.Errorf("the owner GETs %d: %d", id, rec.Code)
		}
	}
	if body := w.owner.get("/export.jsonld").Body.String(); !strings.Contains(body, "zebrafinch") || !strings.Contains(strings.ReplaceAll(body, " ", ""), `"gloss:hidden":true`) {
		t.Error("the owner's export lost the hidden thread")
	}
}

// TestNoReplyIntoHiddenThread (finding 5): a member who cannot see a hidden
// thread cannot reply into it, by form or protocol: 404, nothing stored.
func TestNoReplyIntoHiddenThread(t *testing.T) {
	w := newThreadWorld(t)
	w.hide(t)
	ctx := context.Background()
	count := func() int {
		_, n, err := w.store.AnnotationsPage(ctx, w.ownV, 0, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	n := count()
	for _, parent := range []int64{w.root, w.reply} {
		rec := w.second.post(fmt.Sprintf("/annotations/%d/replies", parent), url.Values{"body": {"still here?"}})
		if rec.Code != http.StatusNotFound {
			t.Errorf("form reply to %d in a hidden thread: %d", parent, rec.Code)
		}
		doc := fmt.Sprintf(`{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Annotation","bodyValue":"still here?","target":"%s/annotations/%d"}`, annoBase, parent)
		wantError(t, call(t, w.e, http.MethodPost, "/annotations/", doc, w.auth("second@example.org")...), http.StatusNotFound, "")
	}
	if got := count(); got != n {
		t.Errorf("replies into a hidden thread were stored: %d annotations, was %d", got, n)
	}
}

// TestReplyNeverMoreVisibleThanItsAuthorChose (finding 2): the second
// member replied in the group; the thread's author then makes the thread
// public. Signed-out readers, search and the protocol see the annotation
// and the author's own answer, never the second member's reply; narrowing
// the thread again hides the reply from whoever no longer sees the thread;
// the edit form says so.
func TestReplyNeverMoreVisibleThanItsAuthorChose(t *testing.T) {
	w := newThreadWorld(t)
	page := w.member.get(fmt.Sprintf("/annotations/%d/edit", w.root))
	if note := parse(t, page).Find(`[data-testid="thread-audience-note"]`).Text(); !strings.Contains(note, "Replies by others keep the audience they were written for") {
		t.Errorf("the edit form does not say what happens to others' replies: %q", note)
	}
	rec := w.member.post(fmt.Sprintf("/annotations/%d/edit", w.root), url.Values{"body": {"Where does this number come from?"},
		"tags": {"onlyhidden"}, "visibility": {"public"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("making the thread public: %d", rec.Code)
	}
	reader := w.anonymous.get("/articles/" + slug).Body.String()
	if !strings.Contains(reader, "Where does this number come from?") {
		t.Fatal("the thread did not become public")
	}
	if strings.Contains(reader, "zebrafinch") {
		t.Error("signed-out readers see the second member's group reply")
	}
	if strings.Contains(reader, "quagga") {
		// The answer is the thread author's, under the second member's
		// group reply: capped by it, it stays with the group too.
		t.Error("signed-out readers see an answer under a group reply")
	}
	if body := w.anonymous.get("/search?q=zebrafinch").Body.String(); strings.Contains(body, "from the aid groups") {
		t.Error("signed-out search finds the second member's group reply")
	}
	if rec := call(t, w.e, http.MethodGet, fmt.Sprintf("/annotations/%d", w.reply), ""); rec.Code != http.StatusNotFound {
		t.Errorf("signed out, the protocol gives the group reply: %d", rec.Code)
	}
	if rec := call(t, w.e, http.MethodGet, fmt.Sprintf("/annotations/%d", w.reply), "", w.auth("outsider@example.org")...); rec.Code != http.StatusNotFound {
		t.Errorf("an outsider's token gets the group reply: %d", rec.Code)
	}
	// The group still reads the whole thread.
	if body := w.second.get("/articles/" + slug).Body.String(); !strings.Contains(body, "zebrafinch") || !strings.Contains(body, "quagga") {
		t.Error("the group lost the thread's replies")
	}
	// A new reply to the now public annotation is public.
	pub, err := w.store.CreateReply(context.Background(), w.secondV, w.root, "kinkajou: public now")
	if err != nil || pub.Visibility != db.Public {
		t.Fatalf("a reply to the public annotation: %+v %v", pub, err)
	}
	// Narrowing the thread to private: nobody else reads any reply.
	rec = w.member.post(fmt.Sprintf("/annotations/%d/edit", w.root), url.Values{"body": {"Where does this number come from?"}, "visibility": {"private"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("making the thread private: %d", rec.Code)
	}
	for _, cl := range []*client{w.anonymous, w.second, w.owner} {
		body := cl.get("/articles/" + slug).Body.String()
		if strings.Contains(body, "kinkajou") || strings.Contains(body, "zebrafinch") {
			t.Error("after the thread became private, others still read its replies")
		}
	}
	if rec := call(t, w.e, http.MethodGet, fmt.Sprintf("/annotations/%d", pub.ID), "", w.auth("second@example.org")...); rec.Code != http.StatusNotFound {
		t.Errorf("a public reply under a private annotation: %d", rec.Code)
	}
}

// TestLibraryCountsLeaveOutHiddenThreads (finding 6): the library counts
// what the reader shows, so a hidden annotation's replies are not counted.
func TestLibraryCountsLeaveOutHiddenThreads(t *testing.T) {
	w := newThreadWorld(t)
	ctx := context.Background()
	countFor := func(v db.Viewer) int {
		counts, err := w.store.ArticleCounts(ctx, v, []int64{w.articleID})
		if err != nil {
			t.Fatal(err)
		}
		return counts[w.articleID].Annotations
	}
	// What the reader shows: the threads, each reply once.
	readerCount := func(v db.Viewer) int {
		roots, err := w.store.ArticleAnnotations(ctx, v, w.articleID, db.AnnotationFilter{})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		var walk func([]*db.Annotation)
		walk = func(list []*db.Annotation) {
			for _, a := range list {
				n++
				walk(a.Replies)
			}
		}
		walk(roots)
		return n
	}
	before := countFor(w.secondV)
	w.hide(t)
	after := countFor(w.secondV)
	if after != before-3 {
		t.Errorf("hiding a thread of 3 took the count from %d to %d", before, after)
	}
	if got := readerCount(w.secondV); got != after {
		t.Errorf("the library counts %d, the reader shows %d", after, got)
	}
	counts := parse(t, w.second.get("/")).Find(`[data-testid="article"][data-slug="` + slug + `"] [data-testid="counts"]`).Text()
	if !strings.Contains(counts, plural(after, "annotation")) {
		t.Errorf("the library page says %q, want %d annotations", counts, after)
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// TestTagSuggestionsLeaveOutHiddenAnnotations (finding 7): a tag used only
// on a hidden annotation is not suggested to members (reader datalist,
// timeline menu); its author and the owner still get it.
func TestTagSuggestionsLeaveOutHiddenAnnotations(t *testing.T) {
	w := newThreadWorld(t)
	suggested := func(cl *client, path, sel string) bool {
		found := false
		parse(t, cl.get(path)).Find(sel).Each(func(_ int, s *goquery.Selection) {
			if s.AttrOr("value", "") == "onlyhidden" {
				found = true
			}
		})
		return found
	}
	if !suggested(w.second, "/tag-suggestions", "#tag-suggestions option") {
		t.Fatal("the tag is not suggested before hiding")
	}
	w.hide(t)
	if suggested(w.second, "/tag-suggestions", "#tag-suggestions option") {
		t.Error("the reader suggests a tag used only on a hidden annotation")
	}
	if suggested(w.second, "/timeline", "option") {
		t.Error("the timeline offers a tag used only on a hidden annotation")
	}
	if !suggested(w.member, "/tag-suggestions", "#tag-suggestions option") {
		t.Error("the hidden annotation's author lost the tag's suggestion")
	}
}

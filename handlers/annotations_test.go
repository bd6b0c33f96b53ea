package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/db/sqlite"
)

const slug = "nk-defectors-in-china-remain-concern"

// readerText is the article text as the reader renders it: paragraphs'
// text without the footnote links.
func readerText(doc *goquery.Document) map[int]string {
	out := map[int]string{}
	doc.Find(`#article-text p[data-start]`).Each(func(_ int, p *goquery.Selection) {
		p = p.Clone()
		p.Find(".mark-ref").Remove()
		var start int
		fmt.Sscan(p.AttrOr("data-start", ""), &start)
		out[start] = p.Text()
	})
	return out
}

type annotationWorld struct {
	e                               *echo.Echo
	store                           *sqlite.Store
	owner, member, viewer, outsider *client
	admin, anonymous                *client
	group                           db.Group
	articleID                       int64
}

func newAnnotationWorld(t *testing.T) *annotationWorld {
	t.Helper()
	ctx := context.Background()
	e, store := newApp(t)
	w := &annotationWorld{e: e, store: store}
	owner := mustUser(t, store, "owner@example.org", "Owner", false)
	member := mustUser(t, store, "member@example.org", "Member", false)
	viewerU := mustUser(t, store, "viewer@example.org", "Viewer", false)
	mustUser(t, store, "outsider@example.org", "Outsider", false)
	mustUser(t, store, "admin@example.org", "Admin", true)
	var err error
	if w.group, err = store.CreateGroup(ctx, owner.ID, "Seminar", ""); err != nil {
		t.Fatal(err)
	}
	for u, role := range map[int64]db.Role{member.ID: db.RoleMember, viewerU.ID: db.RoleViewer} {
		token, _, _ := store.CreateInvite(ctx, db.NewInvite{GroupID: w.group.ID, Role: role, CreatedBy: owner.ID})
		if _, err := store.AcceptGroupInvite(ctx, token, u); err != nil {
			t.Fatal(err)
		}
	}
	a, err := store.ArticleBySlug(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	w.articleID = a.ID
	w.owner = signedIn(t, e, "owner@example.org")
	w.member = signedIn(t, e, "member@example.org")
	w.viewer = signedIn(t, e, "viewer@example.org")
	w.outsider = signedIn(t, e, "outsider@example.org")
	w.admin = signedIn(t, e, "admin@example.org")
	w.anonymous = newClient(t, e)
	return w
}

// annotate posts the create form and returns the new annotation's id.
func (w *annotationWorld) annotate(t *testing.T, cl *client, form url.Values) int64 {
	t.Helper()
	rec := cl.post("/articles/"+slug+"/annotations", form)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", rec.Code, parse(t, rec).Find(`[data-testid="form-error"]`).Text())
	}
	var id int64
	loc := rec.Header().Get("Location")
	if _, err := fmt.Sscanf(loc[strings.Index(loc, "#a-"):], "#a-%d", &id); err != nil {
		t.Fatalf("location %q", loc)
	}
	return id
}

func TestCreateAnnotationHTTP(t *testing.T) {
	w := newAnnotationWorld(t)
	t.Run("WithOffsets", func(t *testing.T) {
		// "an estimated 100,000 North Koreans" as the toolbar would send it.
		art, _ := w.store.ArticleBySlug(context.Background(), slug)
		quote := "an estimated 100,000 North Koreans"
		i := strings.Index(art.Body, quote)
		start := len([]rune(art.Body[:i]))
		id := w.annotate(t, w.member, url.Values{"start": {fmt.Sprint(start)}, "end": {fmt.Sprint(start + len([]rune(quote)))},
			"exact": {quote}, "body": {"**low** figure"}, "tags": {"Figures"}, "visibility": {"group"}, "group": {fmt.Sprint(w.group.ID)}})
		doc := parse(t, w.member.get("/articles/"+slug))
		card := doc.Find(fmt.Sprintf("#a-%d", id))
		if card.Find(".body strong").Text() != "low" {
			t.Errorf("card body %q", card.Find(".body").Text())
		}
		if got := card.Find(`[data-testid="audience"]`).Text(); got != "Members of Seminar can see this." {
			t.Errorf("audience %q", got)
		}
		var marked strings.Builder
		doc.Find(fmt.Sprintf(`mark[data-ids~="%d"]`, id)).Each(func(_ int, m *goquery.Selection) { marked.WriteString(m.Text()) })
		if marked.String() != quote {
			t.Errorf("highlighted %q, want %q", marked.String(), quote)
		}
		if doc.Find(fmt.Sprintf(`#m-%d`, id)).Length() != 1 || doc.Find(fmt.Sprintf(`a.mark-ref[href="#a-%d"]`, id)).Length() != 1 {
			t.Error("highlight and card are not linked both ways")
		}
		// The rendered text is still exactly the stored text.
		for start, text := range readerText(doc) {
			if got := string([]rune(art.Body)[start : start+len([]rune(text))]); got != text {
				t.Fatalf("paragraph at %d altered by highlights: %q", start, text)
			}
		}
	})
	t.Run("QuoteOnlyNoJS", func(t *testing.T) {
		w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "visibility": {"private"}})
	})
	t.Run("Errors", func(t *testing.T) {
		for name, tc := range map[string]struct {
			cl     *client
			form   url.Values
			status int
			msg    string
		}{
			"not in text":     {w.member, url.Values{"exact": {"300,000 in Mongolia"}, "visibility": {"private"}}, 422, "is not in this article"},
			"ambiguous":       {w.member, url.Values{"exact": {"North Korean"}, "visibility": {"private"}}, 422, "occurs"},
			"empty":           {w.member, url.Values{"exact": {""}, "visibility": {"private"}}, 422, "Select a passage"},
			"bad visibility":  {w.member, url.Values{"exact": {"hush-hush"}, "visibility": {"everyone"}}, 422, "not a visibility"},
			"viewer in group": {w.viewer, url.Values{"exact": {"hush-hush"}, "visibility": {"group"}, "group": {fmt.Sprint(w.group.ID)}}, 403, "role is viewer"},
			"huge offsets":    {w.member, url.Values{"start": {"99999999"}, "end": {"-5"}, "exact": {"hush-hush"}, "visibility": {"private"}}, 303, ""},
		} {
			t.Run(name, func(t *testing.T) {
				rec := tc.cl.post("/articles/"+slug+"/annotations", tc.form)
				if rec.Code != tc.status {
					t.Fatalf("status %d, want %d", rec.Code, tc.status)
				}
				if tc.msg != "" {
					doc := parse(t, rec)
					if got := doc.Find(`[data-testid="form-error"]`).Text(); !strings.Contains(got, tc.msg) {
						t.Errorf("message %q, want %q", got, tc.msg)
					}
					if doc.Find("#f-exact").Text() != tc.form.Get("exact") {
						t.Error("the typed passage was lost")
					}
				}
			})
		}
	})
	t.Run("AnonymousIsSentToSignIn", func(t *testing.T) {
		rec := w.anonymous.post("/articles/"+slug+"/annotations", url.Values{"exact": {"hush-hush"}, "visibility": {"public"}})
		if rec.Code != http.StatusUnauthorized {
			t.Errorf("status %d", rec.Code)
		}
	})
}

func TestAnnotationLifecycleHTTP(t *testing.T) {
	w := newAnnotationWorld(t)
	id := w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"first"}, "tags": {"secrecy"}, "visibility": {"public"}})
	t.Run("Reply", func(t *testing.T) {
		rec := w.outsider.post(fmt.Sprintf("/annotations/%d/replies", id), url.Values{"body": {"a *reply*"}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("reply: %d", rec.Code)
		}
		doc := parse(t, w.anonymous.get("/articles/"+slug))
		if got := doc.Find(fmt.Sprintf("#a-%d .replies .body em", id)).Text(); got != "reply" {
			t.Errorf("reply rendered %q", got)
		}
		if rec := w.outsider.post(fmt.Sprintf("/annotations/%d/replies", id), url.Values{"body": {"  "}}); rec.Code != 422 {
			t.Errorf("empty reply: %d", rec.Code)
		}
	})
	t.Run("FilterByTag", func(t *testing.T) {
		w.annotate(t, w.member, url.Values{"exact": {"Cold War allies"}, "visibility": {"public"}})
		doc := parse(t, w.anonymous.get("/articles/"+slug+"?tag=secrecy"))
		if n := doc.Find(`.cards > li > [data-testid="card"]`).Length(); n != 1 {
			t.Errorf("%d cards with tag secrecy, want 1", n)
		}
		tagPage := parse(t, w.anonymous.get("/tags/secrecy"))
		if n := tagPage.Find(`[data-testid="tag-cards"] > li`).Length(); n != 1 {
			t.Errorf("tag page lists %d", n)
		}
		if rec := w.anonymous.get("/articles/" + slug + "?show=everything"); rec.Code != 422 {
			t.Errorf("unknown filter: %d", rec.Code)
		}
	})
	t.Run("EditOnlyOwn", func(t *testing.T) {
		if rec := w.outsider.get(fmt.Sprintf("/annotations/%d/edit", id)); rec.Code != http.StatusForbidden {
			t.Errorf("someone else's edit page: %d", rec.Code)
		}
		page := parse(t, w.member.get(fmt.Sprintf("/annotations/%d/edit", id)))
		if page.Find("#f-body").Text() != "first" {
			t.Errorf("edit form body %q", page.Find("#f-body").Text())
		}
		rec := w.member.post(fmt.Sprintf("/annotations/%d/edit", id), url.Values{"body": {"second"}, "tags": {"secrecy"}, "visibility": {"private"}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("edit: %d", rec.Code)
		}
		if doc := parse(t, w.anonymous.get("/articles/"+slug)); doc.Find(fmt.Sprintf("#a-%d", id)).Length() != 0 {
			t.Error("a now-private annotation is shown to anonymous readers")
		}
		if rec := w.member.post(fmt.Sprintf("/annotations/%d/edit", id), url.Values{"body": {"x"}, "visibility": {"nope"}}); rec.Code != 422 {
			t.Errorf("bad edit: %d", rec.Code)
		}
	})
	t.Run("DeleteOnlyOwn", func(t *testing.T) {
		if rec := w.outsider.post(fmt.Sprintf("/annotations/%d/delete", id), nil); rec.Code != http.StatusNotFound {
			t.Errorf("deleting a private annotation of someone else: %d", rec.Code)
		}
		if rec := w.member.post(fmt.Sprintf("/annotations/%d/delete", id), nil); rec.Code != http.StatusSeeOther {
			t.Fatalf("delete: %d", rec.Code)
		}
		if rec := w.member.get(fmt.Sprintf("/annotations/%d/edit", id)); rec.Code != http.StatusNotFound {
			t.Errorf("deleted annotation: %d", rec.Code)
		}
	})
}

func TestNotesHTTP(t *testing.T) {
	w := newAnnotationWorld(t)
	rec := w.member.post("/articles/"+slug+"/notes", url.Values{"body": {"A note for **all**"}, "visibility": {"public"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("note: %d", rec.Code)
	}
	w.member.post("/articles/"+slug+"/notes", url.Values{"body": {"mine only"}, "visibility": {"private"}})
	doc := parse(t, w.anonymous.get("/articles/"+slug))
	if n := doc.Find(`[data-testid="note"]`).Length(); n != 1 || doc.Find(`[data-testid="note"] strong`).Last().Text() != "all" {
		t.Errorf("anonymous sees %d notes", n)
	}
	if n := parse(t, w.member.get("/articles/"+slug)).Find(`[data-testid="note"]`).Length(); n != 2 {
		t.Errorf("author sees %d notes", n)
	}
	if rec := w.member.post("/articles/"+slug+"/notes", url.Values{"body": {""}, "visibility": {"public"}}); rec.Code != 422 {
		t.Errorf("empty note: %d", rec.Code)
	}
	// Library counts follow visibility.
	lib := parse(t, w.anonymous.get("/"))
	counts := lib.Find(fmt.Sprintf(`[data-slug="%s"] [data-testid="counts"]`, slug)).Text()
	if !strings.Contains(counts, "1 note") {
		t.Errorf("anonymous library counts %q", counts)
	}
}

func TestModerationHTTP(t *testing.T) {
	w := newAnnotationWorld(t)
	id := w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"off-topic"}, "visibility": {"group"}, "group": {fmt.Sprint(w.group.ID)}})
	if rec := w.member.post(fmt.Sprintf("/annotations/%d/hide", id), nil); rec.Code != http.StatusForbidden {
		t.Errorf("member hiding: %d", rec.Code)
	}
	if rec := w.owner.post(fmt.Sprintf("/annotations/%d/hide", id), nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("owner hiding: %d", rec.Code)
	}
	if n := parse(t, w.viewer.get("/articles/"+slug)).Find(fmt.Sprintf("#a-%d", id)).Length(); n != 0 {
		t.Error("a group viewer still sees the hidden annotation")
	}
	card := parse(t, w.member.get("/articles/"+slug)).Find(fmt.Sprintf("#a-%d", id))
	if card.Find(`[data-testid="hidden-note"]`).Length() != 1 {
		t.Error("the author is not told their annotation is hidden")
	}
	if rec := w.owner.post(fmt.Sprintf("/annotations/%d/unhide", id), nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("unhide: %d", rec.Code)
	}
	if n := parse(t, w.viewer.get("/articles/"+slug)).Find(fmt.Sprintf("#a-%d", id)).Length(); n != 1 {
		t.Error("unhidden annotation not shown to the group")
	}
}

func TestOrphansListed(t *testing.T) {
	w := newAnnotationWorld(t)
	ctx := context.Background()
	id := w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "visibility": {"public"}})
	a, _ := w.store.ArticleBySlug(ctx, slug)
	in := db.ArticleInput{Slug: a.Slug, Title: a.Title, Publication: a.Publication, Authors: a.Authors, PublishedOn: a.PublishedOn,
		Dek: a.Dek, Summary: a.Summary, SourceNote: a.SourceNote,
		Body: strings.Replace(a.Body, `conducted in a "hush-hush" manner`, "kept quiet", 1)}
	if _, err := w.store.ImportArticle(ctx, in); err != nil {
		t.Fatal(err)
	}
	doc := parse(t, w.anonymous.get("/articles/"+slug))
	if doc.Find(fmt.Sprintf(`[data-testid="orphans"] #a-%d`, id)).Length() != 1 {
		t.Error("the orphaned annotation is not listed among the orphans")
	}
	if doc.Find(fmt.Sprintf(`mark[data-ids~="%d"]`, id)).Length() != 0 {
		t.Error("an orphan is highlighted somewhere")
	}
}

// TestAnnotationPermissionMatrix extends the permission matrix to
// annotations, replies and notes.
func TestAnnotationPermissionMatrix(t *testing.T) {
	w := newAnnotationWorld(t)
	g := fmt.Sprint(w.group.ID)
	private := w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"PRIVATE-SECRET"}, "visibility": {"private"}})
	group := w.annotate(t, w.member, url.Values{"exact": {"Cold War allies"}, "body": {"GROUP-SECRET"}, "visibility": {"group"}, "group": {g}})
	public := w.annotate(t, w.member, url.Values{"exact": {"treaty with Pyongyang to return escapees"}, "body": {"PUBLIC-TEXT"}, "visibility": {"public"}})
	w.member.post("/articles/"+slug+"/notes", url.Values{"body": {"NOTE-PRIVATE"}, "visibility": {"private"}})
	w.member.post("/articles/"+slug+"/notes", url.Values{"body": {"NOTE-GROUP"}, "visibility": {"group"}, "group": {g}})

	who := map[string]*client{"anonymous": w.anonymous, "viewer": w.viewer, "member": w.member, "owner": w.owner, "outsider": w.outsider, "admin": w.admin}
	// What each may read on the reader page, the library and the tag page.
	sees := map[string][]string{
		"anonymous": {"PUBLIC-TEXT"},
		"viewer":    {"PUBLIC-TEXT", "GROUP-SECRET", "NOTE-GROUP"},
		"member":    {"PUBLIC-TEXT", "GROUP-SECRET", "NOTE-GROUP", "PRIVATE-SECRET", "NOTE-PRIVATE"},
		"owner":     {"PUBLIC-TEXT", "GROUP-SECRET", "NOTE-GROUP"},
		"outsider":  {"PUBLIC-TEXT"},
		"admin":     {"PUBLIC-TEXT"},
	}
	secrets := []string{"PUBLIC-TEXT", "GROUP-SECRET", "NOTE-GROUP", "PRIVATE-SECRET", "NOTE-PRIVATE"}
	for name, cl := range who {
		t.Run("reader as "+name, func(t *testing.T) {
			body := cl.get("/articles/" + slug).Body.String()
			for _, s := range secrets {
				want := contains(sees[name], s)
				if got := strings.Contains(body, s); got != want {
					t.Errorf("%s on the reader: shown %v, want %v", s, got, want)
				}
			}
		})
	}
	const (
		redirect = http.StatusSeeOther
		ok       = http.StatusOK
		unauth   = http.StatusUnauthorized
		forbid   = http.StatusForbidden
		notFound = http.StatusNotFound
		invalid  = http.StatusUnprocessableEntity
	)
	routes := []struct {
		method, path string
		form         url.Values
		want         map[string]int
	}{
		{"GET", fmt.Sprintf("/annotations/%d/edit", private), nil,
			map[string]int{"anonymous": notFound, "viewer": notFound, "member": ok, "owner": notFound, "outsider": notFound, "admin": notFound}},
		{"GET", fmt.Sprintf("/annotations/%d/edit", group), nil,
			map[string]int{"anonymous": notFound, "viewer": forbid, "member": ok, "owner": forbid, "outsider": notFound, "admin": notFound}},
		{"GET", fmt.Sprintf("/annotations/%d/edit", public), nil,
			map[string]int{"anonymous": redirect, "viewer": forbid, "member": ok, "owner": forbid, "outsider": forbid, "admin": forbid}},
		// An empty reply is refused after the permission check: 422 means "allowed".
		{"POST", fmt.Sprintf("/annotations/%d/replies", group), url.Values{"body": {""}},
			map[string]int{"anonymous": notFound, "viewer": forbid, "member": invalid, "owner": invalid, "outsider": notFound, "admin": notFound}},
		{"POST", fmt.Sprintf("/annotations/%d/replies", public), url.Values{"body": {""}},
			map[string]int{"anonymous": unauth, "viewer": invalid, "member": invalid, "owner": invalid, "outsider": invalid, "admin": invalid}},
		{"POST", fmt.Sprintf("/annotations/%d/replies", private), url.Values{"body": {""}},
			map[string]int{"anonymous": notFound, "viewer": notFound, "member": invalid, "owner": notFound, "outsider": notFound, "admin": notFound}},
		// An invalid visibility is refused after the permission check.
		{"POST", fmt.Sprintf("/annotations/%d/edit", group), url.Values{"body": {"x"}, "visibility": {"??"}},
			map[string]int{"anonymous": notFound, "viewer": forbid, "member": invalid, "owner": forbid, "outsider": notFound, "admin": notFound}},
		{"POST", fmt.Sprintf("/annotations/%d/delete", 999999), nil,
			map[string]int{"anonymous": notFound, "viewer": notFound, "member": notFound, "owner": notFound, "outsider": notFound, "admin": notFound}},
		{"POST", fmt.Sprintf("/annotations/%d/delete", public), nil,
			map[string]int{"anonymous": unauth, "viewer": forbid, "owner": forbid, "outsider": forbid, "admin": forbid}},
		{"POST", fmt.Sprintf("/annotations/%d/hide", public), nil,
			map[string]int{"anonymous": forbid, "viewer": forbid, "member": forbid, "owner": forbid, "outsider": forbid, "admin": forbid}},
		{"POST", fmt.Sprintf("/annotations/%d/unhide", group), nil,
			map[string]int{"anonymous": notFound, "viewer": forbid, "member": forbid, "owner": redirect, "outsider": notFound, "admin": notFound}},
		{"POST", "/articles/" + slug + "/annotations", url.Values{"exact": {"hush-hush"}, "visibility": {"group"}, "group": {g}, "start": {"-1"}},
			map[string]int{"anonymous": unauth, "viewer": forbid, "outsider": notFound, "admin": notFound}},
		{"POST", "/articles/" + slug + "/notes", url.Values{"body": {"x"}, "visibility": {"group"}, "group": {g}},
			map[string]int{"anonymous": unauth, "viewer": forbid, "outsider": notFound, "admin": notFound}},
	}
	for _, r := range routes {
		for name, want := range r.want {
			t.Run(r.method+" "+r.path+" as "+name, func(t *testing.T) {
				if rec := who[name].do(r.method, r.path, r.form); rec.Code != want {
					t.Errorf("status %d, want %d", rec.Code, want)
				}
			})
		}
	}
	// The matrix changed nothing: every annotation is still there.
	for _, id := range []int64{private, group, public} {
		if _, err := w.store.AnnotationByID(context.Background(), mustViewer(t, w.store, "member@example.org"), id); err != nil {
			t.Errorf("annotation %d: %v", id, err)
		}
	}
}

func mustViewer(t *testing.T, store *sqlite.Store, email string) db.Viewer {
	t.Helper()
	u, err := store.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	v, err := store.ViewerFor(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

package handlers_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"gloss/db"
)

// collectionWorld is the annotation world with collections in it:
//   - personal: the member's, only theirs;
//   - memberGroup: the member's, kept in the group Seminar;
//   - lesson: the group owner's (the educator's), in Seminar, shared at a
//     link the owner made, showing the owner's private annotation, the
//     member's group and public ones (the member's private one the owner
//     cannot see, let alone choose).
type collectionWorld struct {
	*annotationWorld
	private, shared, public, ownerPrivate int64 // annotations
	personal, memberGroup, lesson         int64 // collections
	memberItem                            int64 // the first item of memberGroup
	token                                 string
}

var locationID = regexp.MustCompile(`^/collections/(\d+)/edit(?:#item-(\d+))?$`)

// created parses /collections/{id}/edit#item-{item} from a redirect.
func created(t *testing.T, rec interface{ Header() http.Header }, code int) (id, item int64) {
	t.Helper()
	loc := rec.Header().Get("Location")
	m := locationID.FindStringSubmatch(loc)
	if code != http.StatusSeeOther || m == nil {
		t.Fatalf("status %d, location %q", code, loc)
	}
	fmt.Sscan(m[1], &id)
	if m[2] != "" {
		fmt.Sscan(m[2], &item)
	}
	return id, item
}

func newCollection(t *testing.T, cl *client, title, group string) int64 {
	t.Helper()
	rec := cl.post("/collections", url.Values{"title": {title}, "group": {group}})
	id, _ := created(t, rec, rec.Code)
	return id
}

// collect adds an annotation to a collection as the "Add to collection"
// page does, and returns the new item.
func collect(t *testing.T, cl *client, collection, annotation int64, commentary string) int64 {
	t.Helper()
	rec := cl.post("/collections/add", url.Values{"step": {"save"}, "annotation": {fmt.Sprint(annotation)},
		"collection": {fmt.Sprint(collection)}, "commentary": {commentary}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("add annotation %d: status %d\n%s", annotation, rec.Code, parse(t, rec).Find(`[data-testid="form-error"]`).Text())
	}
	_, item := created(t, rec, rec.Code)
	return item
}

func newCollectionWorld(t *testing.T) *collectionWorld {
	t.Helper()
	w := &collectionWorld{annotationWorld: newAnnotationWorld(t)}
	g := fmt.Sprint(w.group.ID)
	// All on one passage, so that each may be chosen under it.
	passage := url.Values{"exact": {"treaty with Pyongyang to return escapees"}}
	with := func(extra url.Values) url.Values {
		v := url.Values{}
		for k, x := range passage {
			v[k] = x
		}
		for k, x := range extra {
			v[k] = x
		}
		return v
	}
	w.private = w.annotate(t, w.member, with(url.Values{"body": {"PRIVATE-SECRET"}, "visibility": {"private"}}))
	w.shared = w.annotate(t, w.member, with(url.Values{"body": {"GROUP-SECRET"}, "visibility": {"group"}, "group": {g}}))
	w.public = w.annotate(t, w.member, with(url.Values{"body": {"PUBLIC-TEXT"}, "visibility": {"public"}}))
	w.ownerPrivate = w.annotate(t, w.owner, with(url.Values{"body": {"OWNER-PRIVATE"}, "visibility": {"private"}}))

	w.personal = newCollection(t, w.member, "Personal lesson", "")
	collect(t, w.member, w.personal, w.private, "PERSONAL-COMMENTARY")
	w.memberGroup = newCollection(t, w.member, "Member's group lesson", g)
	w.memberItem = collect(t, w.member, w.memberGroup, w.public, "")

	w.lesson = newCollection(t, w.owner, "Class lesson", g)
	item := collect(t, w.owner, w.lesson, w.ownerPrivate, "LESSON-COMMENTARY")
	rec := w.owner.post(fmt.Sprintf("/collections/%d/items/%d/edit", w.lesson, item), url.Values{
		"commentary": {"LESSON-COMMENTARY"}, "choose": {"1"},
		"annotation": {fmt.Sprint(w.ownerPrivate), fmt.Sprint(w.shared), fmt.Sprint(w.public)}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("choose annotations: %d", rec.Code)
	}
	if rec := w.owner.post(fmt.Sprintf("/collections/%d/edit", w.lesson), url.Values{"title": {"Class lesson"},
		"intro": {"Read *closely*."}, "group": {g}, "names": {"hidden"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("names: %d", rec.Code)
	}
	w.token = shareLink(t, w.owner, w.lesson)
	return w
}

// shareLink makes (or remakes) a collection's share link and returns its token.
func shareLink(t *testing.T, cl *client, id int64) string {
	t.Helper()
	rec := cl.post(fmt.Sprintf("/collections/%d/share", id), nil)
	if rec.Code != http.StatusCreated {
		t.Fatalf("share: status %d", rec.Code)
	}
	link := strings.TrimSpace(parse(t, rec).Find(`[data-testid="share-url"] code`).Text())
	token, ok := strings.CutPrefix(link, origin+"/s/")
	if !ok || len(token) < 40 {
		t.Fatalf("share link %q", link)
	}
	return token
}

// TestCollectionPermissionMatrix extends the permission matrix to
// collections, their items, share links and the class overview.
func TestCollectionPermissionMatrix(t *testing.T) {
	w := newCollectionWorld(t)
	const (
		redirect = http.StatusSeeOther
		ok       = http.StatusOK
		unauth   = http.StatusUnauthorized
		forbid   = http.StatusForbidden
		notFound = http.StatusNotFound
		invalid  = http.StatusUnprocessableEntity
		conflict = http.StatusConflict
	)
	who := map[string]*client{"anonymous": w.anonymous, "viewer": w.viewer, "member": w.member, "owner": w.owner, "outsider": w.outsider, "admin": w.admin}
	all := func(code int) map[string]int {
		return map[string]int{"anonymous": code, "viewer": code, "member": code, "owner": code, "outsider": code, "admin": code}
	}
	personal := fmt.Sprintf("/collections/%d", w.personal)
	group := fmt.Sprintf("/collections/%d", w.memberGroup)
	grp := fmt.Sprintf("/groups/%d", w.group.ID)
	readGroup := map[string]int{"anonymous": redirect, "viewer": ok, "member": ok, "owner": ok, "outsider": notFound, "admin": notFound}
	readPersonal := map[string]int{"anonymous": redirect, "viewer": notFound, "member": ok, "owner": notFound, "outsider": notFound, "admin": notFound}
	routes := []struct {
		method, path string
		form         url.Values
		want         map[string]int
	}{
		{"GET", "/collections", nil, map[string]int{"anonymous": redirect, "viewer": ok, "member": ok, "owner": ok, "outsider": ok, "admin": ok}},
		{"GET", personal, nil, readPersonal},
		{"GET", personal + "/present/1", nil, readPersonal},
		{"GET", personal + "/present/2", nil, readPersonal},
		{"GET", personal + "/print", nil, readPersonal},
		{"GET", personal + "/edit", nil, readPersonal},
		{"GET", group, nil, readGroup},
		{"GET", group + "/present/2", nil, readGroup},
		{"GET", group + "/print", nil, readGroup},
		{"GET", group + "/edit", nil, map[string]int{"anonymous": redirect, "viewer": forbid, "member": ok, "owner": ok, "outsider": notFound, "admin": notFound}},
		// An empty text item is refused after the permission check: 422 means "allowed".
		{"POST", group + "/items", url.Values{"kind": {"text"}},
			map[string]int{"anonymous": unauth, "viewer": forbid, "member": invalid, "owner": invalid, "outsider": notFound, "admin": notFound}},
		{"POST", personal + "/items", url.Values{"kind": {"text"}},
			map[string]int{"anonymous": unauth, "viewer": notFound, "member": invalid, "owner": notFound, "outsider": notFound, "admin": notFound}},
		{"POST", fmt.Sprintf("%s/items/%d/move", group, w.memberItem), url.Values{"dir": {"up"}},
			map[string]int{"anonymous": unauth, "viewer": forbid, "member": redirect, "owner": redirect, "outsider": notFound, "admin": notFound}},
		{"POST", fmt.Sprintf("%s/items/%d/edit", group, w.memberItem), url.Values{"commentary": {"x"}},
			map[string]int{"anonymous": unauth, "viewer": forbid, "member": redirect, "owner": redirect, "outsider": notFound, "admin": notFound}},
		// A stale order is refused after the permission check.
		{"POST", group + "/order", url.Values{"order": {"0"}},
			map[string]int{"anonymous": unauth, "viewer": forbid, "member": conflict, "owner": conflict, "outsider": notFound, "admin": notFound}},
		{"POST", group + "/edit", url.Values{"title": {""}},
			map[string]int{"anonymous": unauth, "viewer": forbid, "member": invalid, "owner": invalid, "outsider": notFound, "admin": notFound}},
		{"POST", group + "/share/revoke", url.Values{},
			map[string]int{"anonymous": unauth, "viewer": forbid, "member": redirect, "owner": redirect, "outsider": notFound, "admin": notFound}},
		{"POST", personal + "/share/revoke", url.Values{},
			map[string]int{"anonymous": unauth, "viewer": notFound, "member": redirect, "owner": notFound, "outsider": notFound, "admin": notFound}},
		{"POST", group + "/delete", url.Values{},
			map[string]int{"anonymous": unauth, "viewer": forbid, "owner": forbid, "outsider": notFound, "admin": notFound}},
		{"POST", fmt.Sprintf("%s/items/%d/remove", group, 999999), url.Values{},
			map[string]int{"anonymous": unauth, "viewer": forbid, "member": notFound, "owner": notFound, "outsider": notFound, "admin": notFound}},
		{"POST", group + "/duplicate", url.Values{},
			map[string]int{"anonymous": unauth, "viewer": redirect, "member": redirect, "owner": redirect, "outsider": notFound, "admin": notFound}},
		{"POST", personal + "/duplicate", url.Values{},
			map[string]int{"anonymous": unauth, "viewer": notFound, "member": redirect, "owner": notFound, "outsider": notFound, "admin": notFound}},
		{"GET", fmt.Sprintf("/collections/add?annotation=%d", w.shared), nil,
			map[string]int{"anonymous": redirect, "viewer": ok, "member": ok, "owner": ok, "outsider": notFound, "admin": notFound}},
		{"GET", fmt.Sprintf("/collections/add?annotation=%d", w.private), nil,
			map[string]int{"anonymous": redirect, "viewer": notFound, "member": ok, "owner": notFound, "outsider": notFound, "admin": notFound}},
		{"POST", "/collections/add", url.Values{"step": {"save"}, "annotation": {fmt.Sprint(w.shared)}, "collection": {fmt.Sprint(w.memberGroup)}},
			map[string]int{"anonymous": unauth, "viewer": forbid, "outsider": notFound, "admin": notFound}},
		{"POST", "/collections/add", url.Values{"step": {"save"}, "annotation": {fmt.Sprint(w.public)}, "collection": {fmt.Sprint(w.personal)}},
			map[string]int{"anonymous": unauth, "viewer": notFound, "owner": notFound, "outsider": notFound, "admin": notFound}},
		// The share link: anyone holding it, signed in or not, whatever their role.
		{"GET", "/s/" + w.token, nil, all(ok)},
		{"GET", "/s/" + w.token + "/present/1", nil, all(ok)},
		{"GET", "/s/" + w.token + "/present/2", nil, all(ok)},
		{"GET", "/s/" + w.token + "/present/3", nil, all(notFound)},
		{"GET", "/s/" + w.token + "/print", nil, all(ok)},
		{"GET", "/s/shr_" + strings.Repeat("x", 43), nil, all(notFound)},
		{"GET", "/s/" + w.token[:len(w.token)-1], nil, all(notFound)},
		{"GET", grp + "/overview", nil, map[string]int{"anonymous": redirect, "viewer": ok, "member": ok, "owner": ok, "outsider": notFound, "admin": ok}},
		{"GET", grp + "/overview.csv", nil, map[string]int{"anonymous": redirect, "viewer": ok, "member": ok, "owner": ok, "outsider": notFound, "admin": ok}},
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

	// What each may read of the educator's lesson, on its page and through
	// its share link.
	secrets := []string{"PUBLIC-TEXT", "GROUP-SECRET", "OWNER-PRIVATE", "PRIVATE-SECRET", "PERSONAL-COMMENTARY", "LESSON-COMMENTARY"}
	sees := map[string][]string{
		"viewer": {"PUBLIC-TEXT", "GROUP-SECRET", "LESSON-COMMENTARY"},
		"member": {"PUBLIC-TEXT", "GROUP-SECRET", "LESSON-COMMENTARY"},
		"owner":  {"PUBLIC-TEXT", "GROUP-SECRET", "OWNER-PRIVATE", "LESSON-COMMENTARY"},
		"link":   {"PUBLIC-TEXT", "GROUP-SECRET", "LESSON-COMMENTARY"},
	}
	lesson := fmt.Sprintf("/collections/%d", w.lesson)
	for name, cl := range who {
		pages := map[string]string{}
		if _, ok := sees[name]; ok {
			for _, suffix := range []string{"", "/print", "/present/2"} {
				pages[name+" "+lesson+suffix] = name
			}
		}
		for _, suffix := range []string{"", "/print", "/present/2"} {
			pages[name+" /s/…"+suffix] = "link"
		}
		for label, as := range pages {
			path := strings.Replace(strings.TrimPrefix(label, name+" "), "/s/…", "/s/"+w.token, 1)
			t.Run("reading "+label, func(t *testing.T) {
				rec := cl.get(path)
				if rec.Code != http.StatusOK {
					t.Fatalf("status %d", rec.Code)
				}
				body := rec.Body.String()
				for _, s := range secrets {
					if got, want := strings.Contains(body, s), contains(sees[as], s); got != want {
						t.Errorf("%s: shown %v, want %v", s, got, want)
					}
				}
				if strings.Contains(body, "@example.org") {
					t.Error("an email address is on the page")
				}
				if as == "link" {
					if got := rec.Header().Get("Referrer-Policy"); got != "no-referrer" {
						t.Errorf("Referrer-Policy %q", got)
					}
					if strings.Contains(body, "/collections/") || strings.Contains(body, "/annotations/") || strings.Contains(body, "#a-") {
						t.Error("the share link leads into Gloss's collections or annotations")
					}
					// Names hidden: pseudonyms only.
					doc := parse(t, rec)
					doc.Find(`[data-testid="annotator"]`).Each(func(_ int, s *goquery.Selection) {
						if !strings.HasPrefix(s.Text(), "Participant ") {
							t.Errorf("annotator named %q", s.Text())
						}
					})
				}
			})
		}
	}
}

func TestCollectionShareLinkLifecycle(t *testing.T) {
	w := newCollectionWorld(t)
	lesson := fmt.Sprintf("/collections/%d", w.lesson)
	anon := newClient(t, w.e)
	doc := parse(t, anon.get("/s/"+w.token))
	if got := doc.Find(`[data-testid="annotator"]`).Map(func(_ int, s *goquery.Selection) string { return s.Text() }); strings.Join(got, ",") != "Participant 1,Participant 1" {
		t.Errorf("hidden names: %q", got)
	}
	if doc.Find(`[data-testid="intro"] em`).Text() != "closely" {
		t.Error("the introduction is not rendered Markdown")
	}
	if doc.Find(`a[href^="/login"], form`).Length() != 0 {
		t.Error("the shared page offers to sign in or post (and would carry the token along)")
	}
	t.Run("ParticipantsNumbered", func(t *testing.T) {
		ownerPublic := w.annotate(t, w.owner, url.Values{"exact": {"treaty with Pyongyang to return escapees"}, "body": {"OWNER-PUBLIC"}, "visibility": {"public"}})
		item := parse(t, w.owner.get(lesson+"/edit")).Find(`[data-testid="edit-item"]`).First().AttrOr("data-item", "")
		rec := w.owner.post(lesson+"/items/"+item+"/edit", url.Values{"choose": {"1"},
			"annotation": {fmt.Sprint(w.ownerPrivate), fmt.Sprint(w.shared), fmt.Sprint(ownerPublic), fmt.Sprint(w.public)}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("choose: %d", rec.Code)
		}
		got := parse(t, anon.get("/s/"+w.token)).Find(`[data-testid="annotator"]`).Map(func(_ int, s *goquery.Selection) string { return s.Text() })
		if strings.Join(got, ",") != "Participant 1,Participant 2,Participant 1" {
			t.Errorf("hidden names: %q", got)
		}
	})
	t.Run("Initials", func(t *testing.T) {
		w.owner.post(lesson+"/edit", url.Values{"title": {"Class lesson"}, "group": {fmt.Sprint(w.group.ID)}, "names": {"initials"}})
		got := parse(t, anon.get("/s/"+w.token)).Find(`[data-testid="annotator"]`).Map(func(_ int, s *goquery.Selection) string { return s.Text() })
		if strings.Join(got, ",") != "M.,O.,M." {
			t.Errorf("initials: %q", got)
		}
	})
	t.Run("PublishedByAMemberShowsNoGroupAnnotations", func(t *testing.T) {
		item := collect(t, w.member, w.memberGroup, w.shared, "")
		_ = item
		token := shareLink(t, w.member, w.memberGroup)
		body := anon.get("/s/" + token).Body.String()
		if !strings.Contains(body, "PUBLIC-TEXT") || strings.Contains(body, "GROUP-SECRET") {
			t.Error("a member's link must show public annotations only")
		}
		if !strings.Contains(w.member.get(fmt.Sprintf("/collections/%d/edit", w.memberGroup)).Body.String(), "appear only on a link made by one of its owners") {
			t.Error("the editor does not explain why group annotations are missing")
		}
	})
	t.Run("Rotate", func(t *testing.T) {
		old := w.token
		w.token = shareLink(t, w.owner, w.lesson)
		if rec := anon.get("/s/" + old); rec.Code != http.StatusNotFound {
			t.Errorf("old link: status %d", rec.Code)
		}
		if rec := anon.get("/s/" + w.token); rec.Code != http.StatusOK {
			t.Errorf("new link: status %d", rec.Code)
		}
	})
	t.Run("Revoke", func(t *testing.T) {
		if rec := w.owner.post(lesson+"/share/revoke", nil); rec.Code != http.StatusSeeOther {
			t.Fatalf("revoke: %d", rec.Code)
		}
		for _, p := range []string{"", "/present/1", "/print"} {
			rec := anon.get("/s/" + w.token + p)
			if rec.Code != http.StatusNotFound || rec.Header().Get("Referrer-Policy") != "no-referrer" {
				t.Errorf("revoked link%s: status %d, Referrer-Policy %q", p, rec.Code, rec.Header().Get("Referrer-Policy"))
			}
		}
		if !strings.Contains(w.owner.get(lesson+"/edit").Body.String(), "Not shared.") {
			t.Error("the editor does not say the collection is no longer shared")
		}
	})
}

func TestCollectionBuilding(t *testing.T) {
	w := newAnnotationWorld(t)
	ctx := context.Background()
	cl := w.member
	id := newCollection(t, cl, "Estimates", "")
	base := fmt.Sprintf("/collections/%d", id)
	add := func(form url.Values) int64 {
		t.Helper()
		rec := cl.post(base+"/items", form)
		_, item := created(t, rec, rec.Code)
		return item
	}
	heading := add(url.Values{"kind": {"text"}, "heading": {"How many?"}, "commentary": {"Estimates *vary*."}})
	article := add(url.Values{"kind": {"article"}, "article": {slug}})
	passage := add(url.Values{"kind": {"passage"}, "article": {slug}, "exact": {"an estimated 100,000 North Koreans"}, "commentary": {"The low figure."}})
	order := func() []string {
		return parse(t, cl.get(base)).Find(`[data-testid="item"]`).Map(func(_ int, s *goquery.Selection) string { return s.AttrOr("data-kind", "") })
	}
	if got := strings.Join(order(), ","); got != "text,article,passage" {
		t.Fatalf("order %q", got)
	}
	t.Run("ReadsWell", func(t *testing.T) {
		doc := parse(t, cl.get(base))
		p := doc.Find(`[data-testid="item"][data-kind="passage"]`)
		if got := p.Find(`[data-testid="passage-text"]`).Text(); got != "an estimated 100,000 North Koreans" {
			t.Errorf("passage %q", got)
		}
		src := p.Find(`[data-testid="source"]`).Text()
		for _, want := range []string{"The Korea Herald", "Seo Hyun-jin", "30 July 2004"} {
			if !strings.Contains(src, want) {
				t.Errorf("source %q lacks %q", src, want)
			}
		}
		if got := p.Find("h2").Text(); got != "NK Defectors in China Remain Concern" {
			t.Errorf("the passage's heading is %q", got)
		}
		href := p.Find(`[data-testid="in-context"]`).AttrOr("href", "")
		if !regexp.MustCompile(`^/articles/` + slug + `\?at=\d+-\d+#found$`).MatchString(href) {
			t.Errorf("link back %q", href)
		}
		// The link lands on exactly the passage.
		if got := parse(t, cl.get(href)).Find("mark.found").Text(); got != "an estimated 100,000 North Koreans" {
			t.Errorf("the reader points at %q", got)
		}
		if doc.Find(`[data-testid="item"][data-kind="text"] em`).Text() != "vary" {
			t.Error("commentary is not Markdown")
		}
	})
	t.Run("MoveWithoutJavaScript", func(t *testing.T) {
		rec := cl.post(fmt.Sprintf("%s/items/%d/move", base, passage), url.Values{"dir": {"up"}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != fmt.Sprintf("%s/edit#item-%d", base, passage) {
			t.Fatalf("move: %d %q", rec.Code, rec.Header().Get("Location"))
		}
		if got := strings.Join(order(), ","); got != "text,passage,article" {
			t.Errorf("after moving up: %q", got)
		}
		doc := parse(t, cl.get(base+"/edit"))
		first := doc.Find(`[data-testid="edit-item"]`).First()
		if _, disabled := first.Find(`[data-testid="move-up"]`).Attr("disabled"); !disabled {
			t.Error("the first item can be moved up")
		}
		if _, disabled := doc.Find(`[data-testid="edit-item"]`).Last().Find(`[data-testid="move-down"]`).Attr("disabled"); !disabled {
			t.Error("the last item can be moved down")
		}
	})
	t.Run("Reorder", func(t *testing.T) {
		rec := cl.post(base+"/order", url.Values{"order": {fmt.Sprintf("%d,%d,%d", article, heading, passage)}}, "Accept", "application/json")
		if rec.Code != http.StatusNoContent {
			t.Fatalf("reorder: %d %s", rec.Code, rec.Body)
		}
		if got := strings.Join(order(), ","); got != "article,text,passage" {
			t.Errorf("after reorder: %q", got)
		}
		rec = cl.post(base+"/order", url.Values{"order": {fmt.Sprintf("%d,%d", article, heading)}}, "Accept", "application/json")
		if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "reload") {
			t.Errorf("stale reorder: %d %s", rec.Code, rec.Body)
		}
	})
	t.Run("Present", func(t *testing.T) {
		doc := parse(t, cl.get(base+"/present/1"))
		if doc.Find(`[data-testid="slide-number"]`).Text() != "Slide 1 of 4" || doc.Find("h1").Text() != "Estimates" {
			t.Errorf("title slide: %q %q", doc.Find(`[data-testid="slide-number"]`).Text(), doc.Find("h1").Text())
		}
		if doc.Find(`[data-testid="prev-slide"]`).Length() != 0 || doc.Find(`[data-testid="next-slide"]`).AttrOr("href", "") != base+"/present/2" {
			t.Error("title slide links")
		}
		last := parse(t, cl.get(base+"/present/4"))
		if last.Find(`[data-testid="passage-text"]`).Text() != "an estimated 100,000 North Koreans" || last.Find(`[data-testid="next-slide"]`).Length() != 0 {
			t.Error("last slide")
		}
		if last.Find(`[data-testid="prev-slide"]`).AttrOr("href", "") != base+"/present/3" {
			t.Error("last slide's previous link")
		}
		for _, n := range []string{"0", "5", "x"} {
			if rec := cl.get(base + "/present/" + n); rec.Code != http.StatusNotFound {
				t.Errorf("slide %s: %d", n, rec.Code)
			}
		}
		if rec := cl.get(base + "/present"); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != base+"/present/1" {
			t.Errorf("/present: %d %q", rec.Code, rec.Header().Get("Location"))
		}
	})
	t.Run("Print", func(t *testing.T) {
		doc := parse(t, cl.get(base+"/print"))
		if got := doc.Find(`[data-testid="sources"] li`).Length(); got != 1 {
			t.Errorf("%d sources, want 1", got)
		}
		if !strings.Contains(doc.Find(`[data-testid="sources"]`).Text(), origin+"/articles/"+slug) {
			t.Error("the printed source has no address")
		}
	})
	t.Run("Duplicate", func(t *testing.T) {
		rec := cl.post(base+"/duplicate", nil)
		copyID, _ := created(t, rec, rec.Code)
		doc := parse(t, cl.get(fmt.Sprintf("/collections/%d", copyID)))
		if doc.Find("h1").Text() != "Copy of Estimates" || doc.Find(`[data-testid="item"]`).Length() != 3 {
			t.Errorf("copy: %q with %d items", doc.Find("h1").Text(), doc.Find(`[data-testid="item"]`).Length())
		}
	})
	t.Run("RefusedWithMessage", func(t *testing.T) {
		rec := cl.post(base+"/items", url.Values{"kind": {"passage"}, "article": {slug}, "exact": {"not in the article at all"}, "commentary": {"kept"}})
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", rec.Code)
		}
		doc := parse(t, rec)
		if !strings.Contains(doc.Find(`[data-testid="form-error"]`).Text(), "is not in this article") {
			t.Errorf("error %q", doc.Find(`[data-testid="form-error"]`).Text())
		}
		if doc.Find("#add-passage-commentary").Text() != "kept" || doc.Find("#add-passage-exact").Text() != "not in the article at all" {
			t.Error("the refused form lost what was typed")
		}
	})
	t.Run("LargeLibraryTakesAnAddress", func(t *testing.T) {
		// Five seeds and the menu lists them; past 500 articles the forms
		// take an article's address instead of listing the library.
		doc := parse(t, cl.get(base+"/edit"))
		if n := doc.Find(`#add-article-slug option`).Length(); n != 5 {
			t.Errorf("menu of %d articles", n)
		}
		for i := range 500 {
			if _, err := w.store.ImportArticle(ctx, db.ArticleInput{Slug: fmt.Sprintf("more-%03d", i), Title: fmt.Sprintf("More %03d", i),
				Body: "Text."}); err != nil {
				t.Fatal(err)
			}
		}
		doc = parse(t, cl.get(base+"/edit"))
		for _, id := range []string{"#add-article-slug", "#add-passage-slug"} {
			in := doc.Find(id)
			if goquery.NodeName(in) != "input" || in.AttrOr("name", "") != "article" || doc.Find(id+"-hint").Length() != 1 {
				t.Errorf("%s: a %s, not an address field", id, goquery.NodeName(in))
			}
		}
		for _, address := range []string{"http://example.org/articles/more-042#a-7", "/articles/more-043", " more-044 "} {
			rec := cl.post(base+"/items", url.Values{"kind": {"article"}, "article": {address}})
			if rec.Code != http.StatusSeeOther {
				t.Errorf("%q: status %d", address, rec.Code)
			}
		}
		rec := cl.post(base+"/items", url.Values{"kind": {"article"}, "article": {"/articles/no-such-thing"}})
		if rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("unknown article: status %d", rec.Code)
		}
		if got := parse(t, rec).Find("#add-article-slug").AttrOr("value", ""); got != "/articles/no-such-thing" {
			t.Errorf("the refused form lost the address: %q", got)
		}
		if got := strings.Join(order(), ","); !strings.HasSuffix(got, ",passage,article,article,article") {
			t.Errorf("order %q: want the three articles at the end", got)
		}
	})
	t.Run("Remove", func(t *testing.T) {
		if rec := cl.post(fmt.Sprintf("%s/items/%d/remove", base, heading), nil); rec.Code != http.StatusSeeOther {
			t.Fatalf("remove: %d", rec.Code)
		}
		if got := strings.Join(order(), ","); got != "article,passage,article,article,article" {
			t.Errorf("after removing: %q", got)
		}
	})
	t.Run("Delete", func(t *testing.T) {
		if rec := cl.post(base+"/delete", nil); rec.Code != http.StatusSeeOther {
			t.Fatalf("delete: %d", rec.Code)
		}
		if rec := cl.get(base); rec.Code != http.StatusNotFound {
			t.Errorf("deleted: %d", rec.Code)
		}
	})
	_ = ctx
}

// TestAddToCollectionFromReaderAndSearch follows the ways in: the card's
// link, the annotate form's button (with or without a selection) and a
// search result.
func TestAddToCollectionFromReaderAndSearch(t *testing.T) {
	w := newAnnotationWorld(t)
	cl := w.member
	public := w.annotate(t, cl, url.Values{"exact": {"hush-hush"}, "body": {"Secretive."}, "visibility": {"public"}})
	private := w.annotate(t, cl, url.Values{"exact": {"Cold War allies"}, "body": {"Mine."}, "visibility": {"private"}})
	reader := parse(t, cl.get("/articles/"+slug))
	if href := reader.Find(fmt.Sprintf(`#a-%d [data-testid="collect"]`, public)).AttrOr("href", ""); href != fmt.Sprintf("/collections/add?annotation=%d", public) {
		t.Errorf("card link %q", href)
	}
	if parse(t, w.anonymous.get("/articles/"+slug)).Find(`[data-testid="collect"]`).Length() != 0 {
		t.Error("a signed-out reader is offered to collect")
	}
	t.Run("NewCollectionFromCard", func(t *testing.T) {
		page := parse(t, cl.get(fmt.Sprintf("/collections/add?annotation=%d", private)))
		if page.Find(`[data-testid="private-warning"]`).Length() != 1 {
			t.Error("no warning that a private annotation stays private")
		}
		rec := cl.post("/collections/add", url.Values{"step": {"save"}, "annotation": {fmt.Sprint(private)}, "collection": {"new"}, "new_title": {""}})
		if rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("no title: %d", rec.Code)
		}
		rec = cl.post("/collections/add", url.Values{"step": {"save"}, "annotation": {fmt.Sprint(private)}, "collection": {"new"}, "new_title": {"From the reader"}})
		id, _ := created(t, rec, rec.Code)
		doc := parse(t, cl.get(fmt.Sprintf("/collections/%d", id)))
		if doc.Find(`[data-testid="private-note"]`).Length() != 1 || !strings.Contains(doc.Text(), "Mine.") {
			t.Error("the owner does not see their private annotation marked private")
		}
	})
	t.Run("SelectionFromAnnotateForm", func(t *testing.T) {
		// The annotate form's "Add to a collection" posts the selection here.
		rec := cl.post("/collections/add?article="+slug, url.Values{"exact": {"treaty with Pyongyang to return escapees"}, "start": {"-1"}, "end": {"-1"}, "body": {"Note the treaty."}})
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d", rec.Code)
		}
		doc := parse(t, rec)
		if doc.Find("#add-exact").Text() != "treaty with Pyongyang to return escapees" || doc.Find("#add-commentary").Text() != "Note the treaty." ||
			doc.Find("#kind-passage[checked]").Length() != 1 {
			t.Error("the choice page lost the selection or the comment")
		}
		rec = cl.post("/collections/add", url.Values{"step": {"save"}, "article": {slug}, "kind": {"passage"}, "exact": {"treaty with Pyongyang to return escapees"},
			"start": {"-1"}, "end": {"-1"}, "collection": {"new"}, "new_title": {"Treaties"}, "commentary": {"Note the treaty."}})
		id, _ := created(t, rec, rec.Code)
		doc = parse(t, cl.get(fmt.Sprintf("/collections/%d", id)))
		if doc.Find(`[data-testid="passage-text"]`).Text() != "treaty with Pyongyang to return escapees" {
			t.Errorf("passage %q", doc.Find(`[data-testid="passage-text"]`).Text())
		}
	})
	t.Run("FromSearch", func(t *testing.T) {
		doc := parse(t, cl.get("/search?q=Pyongyang"))
		var hrefs []string
		doc.Find(`[data-testid="collect"]`).Each(func(_ int, s *goquery.Selection) { hrefs = append(hrefs, s.AttrOr("href", "")) })
		var articleHref string
		for _, h := range hrefs {
			if strings.Contains(h, "article=") {
				articleHref = h
			}
		}
		if articleHref == "" {
			t.Fatalf("no add link on an article result: %q", hrefs)
		}
		page := parse(t, cl.get(articleHref))
		if !strings.Contains(page.Find("#add-exact").Text(), "Pyongyang") {
			t.Errorf("the search result's words are not offered: %q", page.Find("#add-exact").Text())
		}
		if parse(t, w.anonymous.get("/search?q=Pyongyang")).Find(`[data-testid="collect"]`).Length() != 0 {
			t.Error("signed-out searchers are offered to collect")
		}
	})
}

// TestCollectionPassageRevised: after a new revision, a collection says
// truthfully where each passage went instead of showing wrong text.
func TestCollectionPassageRevised(t *testing.T) {
	w := newAnnotationWorld(t)
	ctx := context.Background()
	cl := w.member
	id := newCollection(t, cl, "Revised", "")
	base := fmt.Sprintf("/collections/%d", id)
	for _, q := range []string{`conducted in a "hush-hush" manner`, "Cold War allies"} {
		if rec := cl.post(base+"/items", url.Values{"kind": {"passage"}, "article": {slug}, "exact": {q}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("add %q: %d", q, rec.Code)
		}
	}
	a, _ := w.store.ArticleBySlug(ctx, slug)
	in := db.ArticleInput{Slug: a.Slug, Title: a.Title, Publication: a.Publication, Authors: a.Authors, PublishedOn: a.PublishedOn,
		Dek: a.Dek, Summary: a.Summary, SourceNote: a.SourceNote,
		Body: "A new first paragraph.\n\n" + strings.Replace(a.Body, `conducted in a "hush-hush" manner`, "kept quiet", 1)}
	if _, err := w.store.ImportArticle(ctx, in); err != nil {
		t.Fatal(err)
	}
	doc := parse(t, cl.get(base))
	passages := doc.Find(`[data-testid="passage"]`)
	if got := passages.Eq(0).AttrOr("data-status", ""); got != "orphaned" {
		t.Errorf("the rewritten passage is %q", got)
	}
	if passages.Eq(0).Find(`[data-testid="passage-text"]`).Length() != 0 ||
		!strings.Contains(doc.Find(`[data-testid="passage-note"]`).First().Text(), "no longer in the article") {
		t.Error("an orphaned passage is shown as if it were in the text")
	}
	if got := passages.Eq(1).AttrOr("data-status", ""); got != "moved" || passages.Eq(1).Find(`[data-testid="passage-text"]`).Text() != "Cold War allies" {
		t.Errorf("the moved passage is %q", got)
	}
	href := doc.Find(`[data-testid="in-context"]`).Eq(1).AttrOr("href", "")
	if got := parse(t, cl.get(href)).Find("mark.found").Text(); got != "Cold War allies" {
		t.Errorf("the moved passage's link points at %q", got)
	}
}

func TestClassOverview(t *testing.T) {
	w := newAnnotationWorld(t)
	g := fmt.Sprint(w.group.ID)
	first := w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"x"}, "visibility": {"group"}, "group": {g}})
	w.annotate(t, w.owner, url.Values{"exact": {"hush-hush"}, "body": {"y"}, "visibility": {"group"}, "group": {g}})
	w.annotate(t, w.member, url.Values{"exact": {"Cold War allies"}, "body": {"private"}, "visibility": {"private"}})
	w.owner.post(fmt.Sprintf("/annotations/%d/replies", first), url.Values{"body": {"why?"}})
	grp := fmt.Sprintf("/groups/%d", w.group.ID)
	doc := parse(t, w.owner.get(grp+"/overview"))
	rows := map[string][3]string{}
	doc.Find(`[data-testid="overview-row"]`).Each(func(_ int, s *goquery.Selection) {
		rows[s.Find(`[data-testid="overview-name"]`).Text()] = [3]string{s.Find(`[data-testid="overview-annotations"]`).Text(),
			s.Find(`[data-testid="overview-replies"]`).Text(), s.Find(`[data-testid="overview-notes"]`).Text()}
	})
	if len(rows) != 3 || rows["Member"] != [3]string{"1", "0", "0"} || rows["Owner"] != [3]string{"1", "1", "0"} {
		t.Errorf("owner's overview: %v", rows)
	}
	if got := doc.Find(`[data-testid="discussed-counts"]`).First().Text(); got != "2 annotations, 1 reply, 2 people" {
		t.Errorf("most discussed: %q", got)
	}
	mdoc := parse(t, w.member.get(grp+"/overview"))
	if n := mdoc.Find(`[data-testid="overview-row"]`).Length(); n != 1 || mdoc.Find(`[data-testid="overview-name"]`).Text() != "Member" {
		t.Errorf("a member sees %d rows", n)
	}
	if mdoc.Find(`[data-testid="own-row-only"]`).Length() != 1 {
		t.Error("a member is not told they see only their row")
	}
	if parse(t, w.member.get(grp)).Find(`[data-testid="overview-link"]`).Length() != 1 {
		t.Error("the group page does not link to the overview")
	}
	readCSV := func(cl *client) [][]string {
		rec := cl.get(grp + "/overview.csv")
		if ct := rec.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("content type %q", ct)
		}
		rows, err := csv.NewReader(rec.Body).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	all := readCSV(w.owner)
	if len(all) != 4 || strings.Join(all[0], ",") != "member,role,article_slug,article_title,annotations,replies,notes,first,last" {
		t.Errorf("owner's CSV: %q", all)
	}
	for _, row := range all[1:] {
		if row[0] == "Member" && (row[2] != slug || row[4] != "1") {
			t.Errorf("member's CSV row %q", row)
		}
	}
	if own := readCSV(w.member); len(own) != 2 || own[1][0] != "Member" {
		t.Errorf("member's CSV: %q", own)
	}
	if body := w.owner.get(grp + "/overview.csv").Body.String(); strings.Contains(body, "@example.org") {
		t.Error("the CSV carries emails")
	}
}

// TestCollectionShowsTags: a chosen annotation's tags show on the
// collection, linked to their tag pages; on a share link, which leads
// nowhere into Gloss, they are plain text.
func TestCollectionShowsTags(t *testing.T) {
	w := newAnnotationWorld(t)
	cl := w.member
	ann := w.annotate(t, cl, url.Values{"exact": {"hush-hush"}, "body": {"Secretive."}, "tags": {"sources, actors/state"}, "visibility": {"public"}})
	id := newCollection(t, cl, "Tagged", "")
	collect(t, cl, id, ann, "")
	tags := parse(t, cl.get(fmt.Sprintf("/collections/%d", id))).Find(`[data-testid="chosen-tags"] a`)
	if got := strings.Join(tags.Map(func(_ int, s *goquery.Selection) string { return s.Text() + "=" + s.AttrOr("href", "") }), " "); got != "actors/state=/tags/actors%2Fstate sources=/tags/sources" {
		t.Errorf("collection tags: %q", got)
	}
	shared := parse(t, w.anonymous.get("/s/"+shareLink(t, cl, id)))
	if got := shared.Find(`[data-testid="chosen-tags"] span`).Length(); got != 2 || shared.Find(`[data-testid="chosen-tags"] a`).Length() != 0 {
		t.Errorf("share link: %d plain tags, %d links", got, shared.Find(`[data-testid="chosen-tags"] a`).Length())
	}
}

package handlers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"gloss/db"
	"gloss/db/sqlite"
	"gloss/seeds"
)

const suggestSlug = "aid-groups-china-has-increased-crackdown-on-illegal-migrants"

// suggestionItem is one item of the reader's panel, as the page has it.
type suggestionItem struct {
	key, kind, fields, accept string
	start, end                int
}

func panelItems(doc *goquery.Document) []suggestionItem {
	var out []suggestionItem
	doc.Find(`[data-testid="suggestion"]`).Each(func(_ int, s *goquery.Selection) {
		it := suggestionItem{key: s.AttrOr("data-key", ""), kind: s.AttrOr("data-kind", ""), fields: s.AttrOr("data-fields", ""),
			accept: s.Find(`[data-accept]`).AttrOr("href", "")}
		it.start, _ = strconv.Atoi(s.AttrOr("data-start", ""))
		it.end, _ = strconv.Atoi(s.AttrOr("data-end", ""))
		out = append(out, it)
	})
	return out
}

func firstOfKind(t *testing.T, items []suggestionItem, kind string) suggestionItem {
	t.Helper()
	for _, it := range items {
		if it.kind == kind {
			return it
		}
	}
	t.Fatalf("no %s among %d suggestions", kind, len(items))
	return suggestionItem{}
}

func switchCount(t *testing.T, doc *goquery.Document) int {
	t.Helper()
	n, err := strconv.Atoi(doc.Find(`[data-suggest-count]`).Text())
	if err != nil {
		t.Fatalf("the switch says %q", doc.Find(`[data-testid="suggest-switch"]`).Text())
	}
	return n
}

func annotationRows(t *testing.T, store *sqlite.Store) int64 {
	t.Helper()
	n, err := store.QueryInts(context.Background(), `SELECT COUNT(*) FROM annotations`)
	if err != nil {
		t.Fatal(err)
	}
	return n[0]
}

func TestReaderSuggestions(t *testing.T) {
	e, store := newApp(t)
	mustUser(t, store, "ann@example.org", "Ann", false)
	mustUser(t, store, "bob@example.org", "Bob", false)
	ann, bob := signedIn(t, e, "ann@example.org"), signedIn(t, e, "bob@example.org")
	reader := "/articles/" + suggestSlug
	rows := annotationRows(t, store)

	t.Run("SignedOutSeeNone", func(t *testing.T) {
		doc := parse(t, get(t, e, reader+"?suggestions=on"))
		if doc.Find(`[data-testid="suggest-switch"], [data-testid="suggestions"]`).Length() != 0 {
			t.Error("a signed-out reader is offered suggestions")
		}
	})
	var left int
	var items []suggestionItem
	t.Run("SwitchWithCount", func(t *testing.T) {
		// Not computed yet: the page does not wait for it, the script asks.
		doc := parse(t, ann.get(reader))
		countURL := doc.Find(`#suggest-toggle`).AttrOr("data-count-url", "")
		if countURL == "" || doc.Find(`[data-suggest-count]`).Text() != "" {
			t.Fatalf("a first view counts %q (ask at %q)", doc.Find(`[data-suggest-count]`).Text(), countURL)
		}
		rec := ann.get(countURL, "Accept", "application/json")
		var count struct{ Left, Dismissed int }
		if err := json.Unmarshal(rec.Body.Bytes(), &count); err != nil || rec.Code != http.StatusOK {
			t.Fatalf("count: %d %s", rec.Code, rec.Body)
		}
		doc = parse(t, ann.get(reader))
		left = switchCount(t, doc)
		if left < 10 || left != count.Left || doc.Find(`#suggest-toggle`).AttrOr("data-count-url", "") != "" {
			t.Errorf("%d suggestions left, counted %d", left, count.Left)
		}
		if doc.Find(`[data-testid="suggestions"]`).Length() != 0 {
			t.Error("the panel shows with the switch off")
		}
		if href := doc.Find(`[data-testid="suggest-link"]`).AttrOr("href", ""); !strings.Contains(href, "suggestions=on") {
			t.Errorf("the link without JavaScript goes to %q", href)
		}
	})
	t.Run("PanelWhenOn", func(t *testing.T) {
		doc := parse(t, ann.get(reader+"?suggestions=on"))
		items = panelItems(doc)
		if len(items) != left {
			t.Fatalf("%d items, the switch says %d", len(items), left)
		}
		kinds := map[string]int{}
		for _, it := range items {
			kinds[it.kind]++
			if it.end <= it.start || it.key == "" || !strings.HasPrefix(it.fields, `{"kind":"`) && !strings.Contains(it.fields, `"kind":"`+it.kind+`"`) {
				t.Errorf("item %+v", it)
			}
		}
		if kinds["figure"] == 0 || kinds["quote"] == 0 || kinds["entity"] == 0 || kinds["event"] == 0 {
			t.Errorf("kinds %v", kinds)
		}
		// The filters keep the switch on.
		if doc.Find(`#reader-filters input[name="suggestions"][value="on"]`).Length() != 1 {
			t.Error("the filters would turn the suggestions off")
		}
		// Nothing was stored by showing them.
		if n := annotationRows(t, store); n != rows {
			t.Errorf("showing suggestions made %d annotations", n-rows)
		}
	})
	t.Run("AcceptFillsTheForm", func(t *testing.T) {
		fig := firstOfKind(t, items, "figure")
		if !strings.Contains(fig.accept, "accept="+fig.key) {
			t.Fatalf("accept link %q", fig.accept)
		}
		doc := parse(t, ann.get(strings.TrimSuffix(fig.accept, "#annotate")))
		form := doc.Find(`#annotate[open] #annotate-form`)
		if form.Length() != 1 {
			t.Fatal("the annotate form is not open")
		}
		val := func(name string) string {
			return form.Find(`[name="`+name+`"]`).First().AttrOr("value", "")
		}
		if val("start") != strconv.Itoa(fig.start) || val("end") != strconv.Itoa(fig.end) || form.Find(`select[name="kind"] option[selected]`).AttrOr("value", "") != "figure" {
			t.Errorf("start %q end %q kind %q", val("start"), val("end"), form.Find(`select[name="kind"] option[selected]`).AttrOr("value", ""))
		}
		if val("low") == "" || val("unit") == "" || form.Find(`textarea[name="exact"]`).Text() == "" {
			t.Errorf("low %q unit %q exact %q", val("low"), val("unit"), form.Find(`textarea[name="exact"]`).Text())
		}
		if form.Find(`select[name="visibility"] option[selected]`).AttrOr("value", "") != "private" {
			t.Error("the filled form is not private by default")
		}
		if !strings.Contains(doc.Find(`[data-testid="suggested-note"]`).Text(), "Figure") {
			t.Errorf("note %q", doc.Find(`[data-testid="suggested-note"]`).Text())
		}
		// Saving it is the ordinary annotate form's post.
		post := url.Values{}
		form.Find(`input[name], textarea[name], select[name]`).Each(func(_ int, s *goquery.Selection) {
			name := s.AttrOr("name", "")
			switch {
			case s.Is("textarea"):
				post.Set(name, s.Text())
			case s.Is("select"):
				post.Set(name, s.Find("option[selected]").AttrOr("value", ""))
			default:
				post.Set(name, s.AttrOr("value", ""))
			}
		})
		if post.Get("kind") != "figure" || post.Get("visibility") != "private" {
			t.Errorf("kind %q, visibility %q", post.Get("kind"), post.Get("visibility"))
		}
		rec := ann.post("/articles/"+suggestSlug+"/annotations", post)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("save: %d %s", rec.Code, rec.Body)
		}
		doc = parse(t, ann.get(reader+"?suggestions=on"))
		if n := switchCount(t, doc); n != left-1 {
			t.Errorf("after accepting one, %d left, want %d", n, left-1)
		}
		for _, it := range panelItems(doc) {
			if it.key == fig.key {
				t.Error("the accepted suggestion is still suggested")
			}
		}
		// To Bob, Ann's private annotation is not there: he still has it.
		if n := switchCount(t, parse(t, bob.get(reader))); n != left {
			t.Errorf("Bob has %d left, want %d", n, left)
		}
		left--
	})
	t.Run("DismissIsPerPerson", func(t *testing.T) {
		q := firstOfKind(t, items, "quote")
		rec := ann.post("/articles/"+suggestSlug+"/suggestions/dismiss", url.Values{"key": {q.key}})
		if rec.Code != http.StatusSeeOther || !strings.Contains(rec.Header().Get("Location"), "suggestions=on") {
			t.Fatalf("dismiss: %d to %q", rec.Code, rec.Header().Get("Location"))
		}
		doc := parse(t, ann.get(reader+"?suggestions=on"))
		for _, it := range panelItems(doc) {
			if it.key == q.key {
				t.Error("the dismissed suggestion is still there")
			}
		}
		if n := switchCount(t, doc); n != left-1 {
			t.Errorf("%d left after a dismissal, want %d", n, left-1)
		}
		if !strings.Contains(doc.Find(`[data-suggest-restore]`).Text(), "1 suggestion dismissed") {
			t.Errorf("restore says %q", doc.Find(`[data-suggest-restore]`).Text())
		}
		if n := switchCount(t, parse(t, bob.get(reader))); n != left+1 {
			t.Errorf("Ann's dismissal changed Bob's count to %d", n)
		}
		if n := annotationRows(t, store); n != rows+1 {
			t.Errorf("%d annotations made, want the one accepted", n-rows)
		}
	})
	t.Run("InPlace", func(t *testing.T) {
		rec := ann.get("/articles/"+suggestSlug+"/suggestions", "HX-Request", "true")
		frag := parse(t, rec)
		if rec.Code != http.StatusOK || frag.Find(`#suggestions`).Length() != 1 || frag.Find(`header, nav`).Length() != 0 {
			t.Fatalf("panel: %d", rec.Code)
		}
		if got := len(panelItems(frag)); got != left-1 {
			t.Errorf("panel lists %d, want %d", got, left-1)
		}
		e := firstOfKind(t, panelItems(frag), "entity")
		rec = ann.post("/articles/"+suggestSlug+"/suggestions/dismiss", url.Values{"key": {e.key}}, "HX-Request", "true")
		frag = parse(t, rec)
		if rec.Code != http.StatusOK || !strings.HasPrefix(frag.Find(`#suggestions`).AttrOr("data-announce", ""), "Dismissed: Mention") {
			t.Errorf("in place: %d, announce %q", rec.Code, frag.Find(`#suggestions`).AttrOr("data-announce", ""))
		}
		if got := frag.Find(`#suggestions`).AttrOr("data-left", ""); got != strconv.Itoa(left-2) {
			t.Errorf("left %s, want %d", got, left-2)
		}
		// Without the script, the panel's address is the reader showing it.
		if rec := ann.get("/articles/" + suggestSlug + "/suggestions"); rec.Code != http.StatusSeeOther {
			t.Errorf("plain GET: %d", rec.Code)
		}
	})
	t.Run("Restore", func(t *testing.T) {
		rec := ann.post("/articles/"+suggestSlug+"/suggestions/restore", url.Values{})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("restore: %d", rec.Code)
		}
		if n := switchCount(t, parse(t, ann.get(reader))); n != left {
			t.Errorf("after restoring, %d left, want %d", n, left)
		}
	})
	t.Run("Refusals", func(t *testing.T) {
		for name, c := range map[string]struct {
			rec  int
			got  func() int
			text string
		}{
			"MalformedKey": {http.StatusUnprocessableEntity, func() int {
				return ann.post("/articles/"+suggestSlug+"/suggestions/dismiss", url.Values{"key": {"<b>x</b>"}}).Code
			}, ""},
			"UnknownKey": {http.StatusNotFound, func() int {
				return ann.post("/articles/"+suggestSlug+"/suggestions/dismiss", url.Values{"key": {"figure-0123456789abcdef"}}).Code
			}, ""},
			"UnknownAccept": {http.StatusNotFound, func() int { return ann.get(reader + "?suggestions=on&accept=figure-0123456789abcdef").Code }, ""},
			"BadSwitch":     {http.StatusUnprocessableEntity, func() int { return ann.get(reader + "?suggestions=maybe").Code }, ""},
			"SignedOut": {http.StatusUnauthorized, func() int {
				return newClient(t, e).post("/articles/"+suggestSlug+"/suggestions/dismiss", url.Values{"key": {items[0].key}}).Code
			}, ""},
			"NoArticle": {http.StatusNotFound, func() int { return ann.get("/articles/no-such-article/suggestions").Code }, ""},
		} {
			t.Run(name, func(t *testing.T) {
				if got := c.got(); got != c.rec {
					t.Errorf("status %d, want %d", got, c.rec)
				}
			})
		}
		rec := ann.post("/articles/"+suggestSlug+"/suggestions/dismiss", url.Values{"key": {"figure-0123456789abcdef"}})
		if !strings.Contains(rec.Body.String(), "no longer in the article") {
			t.Errorf("the refusal does not say why: %s", rec.Body)
		}
	})
}

func TestSuggestionReview(t *testing.T) {
	e, store := newApp(t)
	ctx := context.Background()
	owner := mustUser(t, store, "owner@example.org", "Owner", false)
	member := mustUser(t, store, "member@example.org", "Member", false)
	g, err := store.CreateGroup(ctx, owner.ID, "Seminar", "")
	if err != nil {
		t.Fatal(err)
	}
	token, _, _ := store.CreateInvite(ctx, db.NewInvite{GroupID: g.ID, Role: db.RoleMember, CreatedBy: owner.ID})
	if _, err := store.AcceptGroupInvite(ctx, token, member.ID); err != nil {
		t.Fatal(err)
	}
	own, mem := signedIn(t, e, "owner@example.org"), signedIn(t, e, "member@example.org")
	base := "/articles/" + suggestSlug + "/suggestions"
	review := base + "/review?group=" + strconv.FormatInt(g.ID, 10)
	gid := strconv.FormatInt(g.ID, 10)
	groupAnnotations := func() int64 {
		n, _ := store.QueryInts(ctx, `SELECT COUNT(*) FROM annotations WHERE group_id = ?`, g.ID)
		return n[0]
	}
	type item struct{ key, kind, problem string }
	page := func(t *testing.T) (*goquery.Document, []item) {
		t.Helper()
		rec := own.get(review)
		if rec.Code != http.StatusOK {
			t.Fatalf("review: %d %s", rec.Code, rec.Body)
		}
		doc := parse(t, rec)
		var out []item
		doc.Find(`[data-testid="review-item"]`).Each(func(_ int, s *goquery.Selection) {
			out = append(out, item{s.AttrOr("data-key", ""), s.AttrOr("data-kind", ""), s.Find(`[data-testid="review-problem"]`).Text()})
		})
		return doc, out
	}
	doc, items := page(t)
	total := len(items)
	t.Run("Progress", func(t *testing.T) {
		if got := doc.Find(`[data-testid="review-progress"]`).Text(); !strings.HasPrefix(got, strconv.Itoa(total)+" of ") || !strings.Contains(got, "0 accepted into Seminar") {
			t.Errorf("progress %q with %d items", got, total)
		}
		// The reader links owners to the review.
		if parse(t, own.get("/articles/"+suggestSlug+"?suggestions=on")).Find(`[data-testid="review-link"]`).Length() != 1 {
			t.Error("no link to the review in the owner's panel")
		}
		if parse(t, mem.get("/articles/"+suggestSlug+"?suggestions=on")).Find(`[data-testid="review-link"]`).Length() != 0 {
			t.Error("a member is offered the review")
		}
	})
	t.Run("AcceptEdited", func(t *testing.T) {
		var fig item
		for _, it := range items {
			if it.kind == "figure" && it.problem == "" {
				fig = it
				break
			}
		}
		if fig.key == "" {
			t.Fatal("no figure ready to accept")
		}
		rec := own.post(base+"/accept", url.Values{"group": {gid}, "key": {fig.key}, "low": {"1,234"}, "high": {""},
			"unit": {"people"}, "counted": {"Edited count"}, "estimator": {""}})
		if rec.Code != http.StatusSeeOther || !strings.Contains(rec.Header().Get("Location"), "/review?group="+gid) {
			t.Fatalf("accept: %d to %q %s", rec.Code, rec.Header().Get("Location"), rec.Body)
		}
		items, err := store.EvidenceItems(ctx, db.Viewer{UserID: owner.ID, Roles: map[int64]db.Role{g.ID: db.RoleOwner}}, db.EvidenceFilter{Kind: "figure"})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, it := range items {
			if it.Counted == "Edited count" && it.Low == 1234 && it.ArticleSlug == suggestSlug {
				found = true
			}
		}
		if !found || groupAnnotations() != 1 {
			t.Errorf("the edited figure is not the group's annotation (%d in the group)", groupAnnotations())
		}
		// Sent twice (a reload, a double click): refused, not made twice.
		again := own.post(base+"/accept", url.Values{"group": {gid}, "key": {fig.key}, "low": {"1,234"}, "unit": {"people"}, "counted": {"Edited count"}})
		if again.Code != http.StatusConflict || groupAnnotations() != 1 {
			t.Errorf("accepted again: %d, %d in the group", again.Code, groupAnnotations())
		}
		doc, after := page(t)
		if len(after) != total-1 || !strings.Contains(doc.Find(`[data-testid="review-progress"]`).Text(), "1 accepted into Seminar") {
			t.Errorf("%d left, progress %q", len(after), doc.Find(`[data-testid="review-progress"]`).Text())
		}
	})
	t.Run("RefusedAcceptKeepsWhatWasTyped", func(t *testing.T) {
		_, items := page(t)
		var fig item
		for _, it := range items {
			if it.kind == "figure" {
				fig = it
				break
			}
		}
		rec := own.post(base+"/accept", url.Values{"group": {gid}, "key": {fig.key}, "low": {"many"}, "unit": {"people"}, "counted": {"x"}})
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", rec.Code)
		}
		doc := parse(t, rec)
		it := doc.Find(`#s-` + fig.key)
		if !strings.Contains(it.Find(`[data-testid="review-problem"]`).Text(), "is not a number") || it.Find(`input[name="low"]`).AttrOr("value", "") != "many" {
			t.Errorf("problem %q, low %q", it.Find(`[data-testid="review-problem"]`).Text(), it.Find(`input[name="low"]`).AttrOr("value", ""))
		}
	})
	t.Run("Dismiss", func(t *testing.T) {
		_, items := page(t)
		rec := own.post(base+"/dismiss", url.Values{"group": {gid}, "key": {items[0].key}})
		if rec.Code != http.StatusSeeOther || !strings.Contains(rec.Header().Get("Location"), "#s-"+items[1].key) {
			t.Fatalf("dismiss: %d to %q", rec.Code, rec.Header().Get("Location"))
		}
		doc, after := page(t)
		if len(after) != len(items)-1 || !strings.Contains(doc.Find(`[data-testid="review-progress"]`).Text(), "1 dismissed") {
			t.Errorf("%d left, progress %q", len(after), doc.Find(`[data-testid="review-progress"]`).Text())
		}
	})
	t.Run("AcceptAllOfAKind", func(t *testing.T) {
		doc, items := page(t)
		ready := 0
		for _, it := range items {
			if it.kind == "quote" && it.problem == "" {
				ready++
			}
		}
		button := doc.Find(`[data-testid="accept-all-kind"][data-kind="quote"]`)
		if !strings.Contains(button.Text(), "Accept all "+strconv.Itoa(ready)+" quotes") {
			t.Errorf("button %q, %d ready", strings.Join(strings.Fields(button.Text()), " "), ready)
		}
		before := groupAnnotations()
		rec := own.post(base+"/accept-all", url.Values{"group": {gid}, "kind": {"quote"}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("accept all: %d %s", rec.Code, rec.Body)
		}
		if got := groupAnnotations() - before; got != int64(ready) {
			t.Errorf("%d quotes accepted, %d were ready", got, ready)
		}
		_, after := page(t)
		for _, it := range after {
			if it.kind == "quote" && it.problem == "" {
				t.Errorf("a ready quote is left: %s", it.key)
			}
		}
		// Again: nothing ready is left, which is said.
		rec = own.post(base+"/accept-all", url.Values{"group": {gid}, "kind": {"quote"}})
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "No quotes could be accepted") {
			t.Errorf("again: %d", rec.Code)
		}
	})
	t.Run("Refusals", func(t *testing.T) {
		for name, c := range map[string]struct {
			cl   *client
			path string
			form url.Values
			want int
		}{
			"Member":         {mem, review, nil, http.StatusForbidden},
			"MemberOwnsNone": {mem, base + "/review", nil, http.StatusForbidden},
			"NotAGroup":      {own, base + "/review?group=abc", nil, http.StatusUnprocessableEntity},
			"OtherGroup":     {own, base + "/review?group=99999", nil, http.StatusNotFound},
			"NoGroup":        {own, base + "/accept", url.Values{"key": {items[0].key}}, http.StatusUnprocessableEntity},
			"UnknownKind":    {own, base + "/accept-all", url.Values{"group": {gid}, "kind": {"comment"}}, http.StatusUnprocessableEntity},
			"MemberAccepts":  {mem, base + "/accept", url.Values{"group": {gid}, "key": {items[0].key}}, http.StatusForbidden},
		} {
			t.Run(name, func(t *testing.T) {
				var got int
				if c.form == nil {
					got = c.cl.get(c.path).Code
				} else {
					got = c.cl.post(c.path, c.form).Code
				}
				if got != c.want {
					t.Errorf("status %d, want %d", got, c.want)
				}
			})
		}
	})
	t.Run("OwnerWithoutGroupParam", func(t *testing.T) {
		rec := own.get(base + "/review")
		if rec.Code != http.StatusOK || parse(t, rec).Find(`#review-group option[selected]`).AttrOr("value", "") != gid {
			t.Errorf("status %d", rec.Code)
		}
	})
}

// TestSuggestionsKnownEntities: with the starter set's entities known, a
// mention by one of their aliases is suggested as that entity, under its
// own name and type (known entities first), and the passages the starter
// set already annotated are not suggested again.
func TestSuggestionsKnownEntities(t *testing.T) {
	e, store := newApp(t)
	if _, err := seeds.ImportStarter(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	mustUser(t, store, "ann@example.org", "Ann", false)
	ann := signedIn(t, e, "ann@example.org")
	const slug = "desperate-n-koreans-seek-asylum-in-china"
	art, err := store.ArticleBySlug(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	body := []rune(art.Body)
	spans, err := store.EvidenceSpans(context.Background(), db.Anonymous, art.ID)
	if err != nil || len(spans) == 0 {
		t.Fatalf("the starter set's spans: %d, %v", len(spans), err)
	}
	byAlias := map[string]string{} // passage -> entity name, where they differ
	for _, it := range panelItems(parse(t, ann.get("/articles/"+slug+"?suggestions=on"))) {
		for _, sp := range spans {
			if sp.Kind == it.kind && sp.Start == it.start && sp.End == it.end {
				t.Errorf("%s at %d-%d is suggested, but the starter set annotated it", it.kind, it.start, it.end)
			}
		}
		if it.kind != "entity" {
			continue
		}
		var f map[string]string
		if err := json.Unmarshal([]byte(it.fields), &f); err != nil {
			t.Fatalf("fields %q: %v", it.fields, err)
		}
		if passage := string(body[it.start:it.end]); passage != f["entity"] {
			byAlias[passage] = f["entity"] + ":" + f["entity_type"]
		}
	}
	for alias, want := range map[string]string{
		"United Nations High Commissioner for Refugees": "UNHCR:organization",
		"NIS": "National Intelligence Service:organization",
	} {
		if got := byAlias[alias]; got != want {
			t.Errorf("%q suggested as %q, want %q (all by alias: %v)", alias, got, want, byAlias)
		}
	}
}

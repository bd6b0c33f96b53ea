package handlers_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"gloss/db"
	"gloss/db/sqlite"
	"gloss/handlers"
)

// upload posts a multipart form, with a file when name is not "", as the
// client's browser would.
func (cl *client) upload(path string, fields url.Values, name string, data []byte) *httptest.ResponseRecorder {
	cl.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(data)
	}
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, origin+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", origin)
	req.RemoteAddr = cl.ip + ":50000"
	u, _ := url.Parse(origin)
	for _, c := range cl.jar.Cookies(u) {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	cl.e.ServeHTTP(rec, req)
	cl.jar.SetCookies(u, rec.Result().Cookies())
	return rec
}

const importHTML = `<!doctype html><html><head><title>Border Stories - Example Times</title>
<meta name="author" content="Kim Example, Lee Sample"><meta property="og:site_name" content="Example Times">
<meta property="article:published_time" content="2004-09-30T10:00:00+09:00"><script>track()</script></head>
<body><header>Example Times</header><nav>Home · World</nav>
<h1>Border Stories</h1><p>The first paragraph &amp; its entity.</p><p>The second<br>paragraph.</p>
<footer>Copyright</footer></body></html>`

func TestImport(t *testing.T) {
	e, store := newApp(t)
	ctx := context.Background()
	mustUser(t, store, "admin@example.org", "Admin", true)
	mustUser(t, store, "user@example.org", "User", false)
	admin := signedIn(t, e, "admin@example.org")

	t.Run("AdminsOnly", func(t *testing.T) {
		if rec := newClient(t, e).get("/import"); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
			t.Errorf("signed out: %d %s", rec.Code, rec.Header().Get("Location"))
		}
		user := signedIn(t, e, "user@example.org")
		if rec := user.get("/import"); rec.Code != http.StatusForbidden {
			t.Errorf("GET as a user: %d", rec.Code)
		}
		if rec := user.upload("/import", url.Values{"text": {"hello"}}, "", nil); rec.Code != http.StatusForbidden {
			t.Errorf("upload as a user: %d", rec.Code)
		}
		if rec := user.upload("/import/save", url.Values{"text": {"hello"}, "title": {"T"}, "slug": {"t"}}, "", nil); rec.Code != http.StatusForbidden {
			t.Errorf("save as a user: %d", rec.Code)
		}
		if _, err := store.ArticleBySlug(ctx, "t"); db.ErrorCode(err) != db.ENOTFOUND {
			t.Error("a user created an article")
		}
		if rec := admin.get("/import"); rec.Code != http.StatusOK || parse(t, rec).Find(`[data-testid="import-form"]`).Length() != 1 {
			t.Errorf("admin: %d", rec.Code)
		}
	})

	t.Run("HTMLFile", func(t *testing.T) {
		rec := admin.upload("/import", nil, "border.html", []byte(importHTML))
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d\n%s", rec.Code, rec.Body)
		}
		doc := parse(t, rec)
		form := doc.Find(`[data-testid="review-form"]`)
		for name, want := range map[string]string{
			"title": "Border Stories", "slug": "border-stories", "publication": "Example Times",
			"authors": "Kim Example, Lee Sample", "published_on": "2004-09-30",
			"text": "The first paragraph & its entity.\n\nThe second\nparagraph.\n",
		} {
			if got := form.Find(`[name="`+name+`"]`).AttrOr("value", "<none>"); got != want {
				t.Errorf("%s = %q, want %q", name, got, want)
			}
		}
		if p := doc.Find(`[data-testid="preview"] p`).Eq(1).Text(); p != "The first paragraph & its entity." {
			t.Errorf("preview %q", p)
		}
		if strings.Contains(rec.Body.String(), "track()") || doc.Find(`[data-testid="slug-taken"]`).Length() != 0 {
			t.Error("script kept, or a free slug reported taken")
		}
		// Step 2 as the browser sends it: line breaks become CRLF.
		fields := url.Values{}
		form.Find("input[name], textarea[name]").Each(func(_ int, s *goquery.Selection) {
			v := s.AttrOr("value", s.Text())
			fields.Set(s.AttrOr("name", ""), strings.ReplaceAll(v, "\n", "\r\n"))
		})
		fields.Set("dek", "A dek")
		rec = admin.upload("/import/save", fields, "", nil)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/articles/border-stories" {
			t.Fatalf("save: %d %s\n%s", rec.Code, rec.Header().Get("Location"), rec.Body)
		}
		a, err := store.ArticleBySlug(ctx, "border-stories")
		if err != nil {
			t.Fatal(err)
		}
		if a.Body != "The first paragraph & its entity.\n\nThe second\nparagraph.\n" || a.Title != "Border Stories" ||
			a.Publication != "Example Times" || a.PublishedOn != "2004-09-30" || a.Dek != "A dek" ||
			strings.Join(a.Authors, "|") != "Kim Example|Lee Sample" {
			t.Errorf("stored %+v", a)
		}
		if doc := parse(t, admin.get("/articles/border-stories")); !strings.Contains(doc.Find(`[data-testid="flash"]`).Text(), "imported") {
			t.Errorf("flash %q", doc.Find(`[data-testid="flash"]`).Text())
		}
	})

	t.Run("MarkdownFrontMatter", func(t *testing.T) {
		md := "---\ntitle: Notes from Yanji\nauthor: [A. Writer]\ndate: 2003-01-02\n---\n\nSome *emphasis* stays.\n"
		doc := parse(t, admin.upload("/import", nil, "notes.md", []byte(md)))
		form := doc.Find(`[data-testid="review-form"]`)
		if form.Find(`[name="text"]`).AttrOr("value", "") != "Some *emphasis* stays.\n" ||
			form.Find(`[name="title"]`).AttrOr("value", "") != "Notes from Yanji" ||
			form.Find(`[name="authors"]`).AttrOr("value", "") != "A. Writer" ||
			form.Find(`[name="published_on"]`).AttrOr("value", "") != "2003-01-02" {
			t.Errorf("review form: %s", form.Text())
		}
	})

	t.Run("PastedText", func(t *testing.T) {
		rec := admin.upload("/import", url.Values{"text": {"Pasted Title\r\n\r\nBody."}, "format": {"text"}}, "", nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("%d", rec.Code)
		}
		doc := parse(t, rec)
		if doc.Find(`[name="slug"]`).AttrOr("value", "") != "pasted-title" || doc.Find(`[name="text"]`).AttrOr("value", "") != "Pasted Title\n\nBody." {
			t.Errorf("%s", doc.Find(`[data-testid="review-form"]`).Text())
		}
	})

	t.Run("Refused", func(t *testing.T) {
		for name, tc := range map[string]struct {
			fields url.Values
			file   string
			data   []byte
			status int
			msg    string
		}{
			"Nothing":         {nil, "", nil, 422, "Choose a file"},
			"EmptyFile":       {nil, "empty.txt", nil, 422, "empty"},
			"BlankText":       {url.Values{"text": {"  \r\n "}}, "", nil, 422, "empty"},
			"Binary":          {nil, "scan.txt", []byte("%PDF-1.4\n\x00\x01\x02binary"), 415, "not a text file"},
			"TooLarge":        {nil, "big.txt", bytes.Repeat([]byte("a"), 2<<20+1), 413, "larger than 2 MiB"},
			"InvalidUTF8":     {nil, "latin1.txt", []byte("caf\xe9 cr\xe8me"), 422, "UTF-8"},
			"Unsupported":     {nil, "report.docx", []byte("PK\x03\x04"), 415, "choose a .txt, .md or .html"},
			"UnknownFormat":   {url.Values{"text": {"x"}, "format": {"pdf"}}, "", nil, 422, "plain text, Markdown or HTML"},
			"HTMLWithoutText": {nil, "menu.html", []byte("<nav>Home</nav><script>x()</script>"), 422, "empty"},
		} {
			t.Run(name, func(t *testing.T) {
				rec := admin.upload("/import", tc.fields, tc.file, tc.data)
				if rec.Code != tc.status {
					t.Fatalf("status %d, want %d", rec.Code, tc.status)
				}
				doc := parse(t, rec)
				if msg := doc.Find(`[data-testid="form-error"]`).Text(); !strings.Contains(msg, tc.msg) {
					t.Errorf("message %q, want %q", msg, tc.msg)
				}
				if doc.Find(`[data-testid="import-form"]`).Length() != 1 {
					t.Error("the form is not shown again")
				}
			})
		}
	})

	t.Run("SaveRevalidates", func(t *testing.T) {
		good := url.Values{"text": {"Body text."}, "title": {"Title"}, "slug": {"fresh-slug"}, "published_on": {"2001-02-03"}}
		with := func(k, v string) url.Values {
			f := url.Values{}
			for key, vs := range good {
				f[key] = vs
			}
			f.Set(k, v)
			return f
		}
		for name, tc := range map[string]struct {
			fields url.Values
			status int
			where  string // "form" (step 2 again) or "start" (step 1)
			msg    string
		}{
			"BadSlug":      {with("slug", "Fresh Slug!"), 422, "form", "for example fresh-slug"},
			"NoTitle":      {with("title", " "), 422, "form", "title is required"},
			"BadDate":      {with("published_on", "30/09/2004"), 422, "form", "YYYY-MM-DD"},
			"InvalidUTF8":  {with("text", "bad \xff text"), 422, "start", "UTF-8"},
			"EmptyText":    {with("text", ""), 422, "start", "empty"},
			"BinaryText":   {with("text", "a\x00b"), 415, "start", "not a text file"},
			"TooLongTitle": {with("title", strings.Repeat("t", 600)), 422, "form", "longer than 500"},
		} {
			t.Run(name, func(t *testing.T) {
				rec := admin.upload("/import/save", tc.fields, "", nil)
				if rec.Code != tc.status {
					t.Fatalf("status %d, want %d\n%s", rec.Code, tc.status, rec.Body)
				}
				doc := parse(t, rec)
				if got := doc.Find("main").Text(); !strings.Contains(got, tc.msg) {
					t.Errorf("no %q in the page", tc.msg)
				}
				testid := map[string]string{"form": "review-form", "start": "import-form"}[tc.where]
				if doc.Find(`[data-testid="`+testid+`"]`).Length() != 1 {
					t.Errorf("want the %s form again", tc.where)
				}
			})
		}
		if _, err := store.ArticleBySlug(ctx, "fresh-slug"); db.ErrorCode(err) != db.ENOTFOUND {
			t.Error("a refused save stored the article")
		}
	})

	t.Run("SlugTakenNeedsConfirmation", func(t *testing.T) {
		seedSlug := "nk-defectors-in-china-remain-concern"
		before, _ := store.ArticleBySlug(ctx, seedSlug)
		fields := url.Values{"text": {"A wholly new text."}, "title": {"Replacement"}, "slug": {seedSlug}}
		rec := admin.upload("/import/save", fields, "", nil)
		if rec.Code != http.StatusConflict {
			t.Fatalf("status %d", rec.Code)
		}
		doc := parse(t, rec)
		if !strings.Contains(doc.Find(`[data-testid="form-error"]`).Text(), "new revision") ||
			doc.Find(`[data-testid="slug-taken"] input[name="confirm"]`).Length() != 1 {
			t.Errorf("no confirmation asked: %s", doc.Find("main").Text())
		}
		if after, _ := store.ArticleBySlug(ctx, seedSlug); after.Revision != before.Revision {
			t.Fatal("revised without confirmation")
		}
		fields.Set("confirm", "1")
		if rec := admin.upload("/import/save", fields, "", nil); rec.Code != http.StatusSeeOther {
			t.Fatalf("confirmed: %d", rec.Code)
		}
		after, _ := store.ArticleBySlug(ctx, seedSlug)
		if after.Revision != before.Revision+1 || after.Body != "A wholly new text." || after.Title != "Replacement" {
			t.Errorf("after: revision %d, %q", after.Revision, after.Title)
		}
	})

	t.Run("ReviewWarnsOfTakenSlug", func(t *testing.T) {
		rec := admin.upload("/import", url.Values{"text": {"Help the Refugees Who Reach China\n\nbody"}}, "", nil)
		if parse(t, rec).Find(`[data-testid="slug-taken"]`).Length() != 1 {
			t.Error("the review does not warn that the suggested slug is taken")
		}
	})
}

// exportWorld is the annotation world with one annotation of each kind.
type exportWorld struct {
	*annotationWorld
	private, shared, public, reply, formula int64
}

func newExportWorld(t *testing.T) *exportWorld {
	t.Helper()
	w := &exportWorld{annotationWorld: newAnnotationWorld(t)}
	ctx := context.Background()
	owner := mustViewer(t, w.store, "owner@example.org")
	member := mustViewer(t, w.store, "member@example.org")
	outsider := mustViewer(t, w.store, "outsider@example.org")
	create := func(v db.Viewer, exact, body, tags, vis string) int64 {
		in := db.AnnotationInput{Start: -1, End: -1, Exact: exact, Body: body, Tags: tags, Visibility: vis}
		if vis == "group" {
			in.Group = fmt.Sprint(w.group.ID)
		}
		a, err := w.store.CreateAnnotation(ctx, v, w.articleID, in)
		if err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	w.private = create(owner, "hush-hush", "SECRET owner note", "", "private")
	w.shared = create(member, "an estimated 100,000 North Koreans", "Low **estimate**.\n\nSecond paragraph.", "figures, estimates", "group")
	w.public = create(outsider, "hush-hush", "Public view", "", "public")
	w.formula = create(owner, "an estimated 100,000 North Koreans", "=HYPERLINK(\"http://evil.example\",\"x\")", "", "group")
	r, err := w.store.CreateReply(ctx, owner, w.shared, "+1 agreed\nsecond line")
	if err != nil {
		t.Fatal(err)
	}
	w.reply = r.ID
	return w
}

func readCSV(t *testing.T, body []byte) []map[string]string {
	t.Helper()
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := "id,parent_id,article_slug,article_title,publication,published_on,quote,prefix,suffix,start,end,anchor_status,comment,tags,visibility,group,author,created,modified,link,kind,evidence"
	if got := strings.Join(recs[0], ","); got != want {
		t.Fatalf("header %s", got)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		row := map[string]string{}
		for i, k := range recs[0] {
			row[k] = r[i]
		}
		out = append(out, row)
	}
	return out
}

func ids(rows []map[string]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r["id"])
	}
	return out
}

func TestExportPermissions(t *testing.T) {
	w := newExportWorld(t)
	id := func(n int64) string { return fmt.Sprint(n) }
	for name, tc := range map[string]struct {
		cl     *client
		path   string
		status int
		want   []string // ids, in order; nil when refused
	}{
		"OwnerEverything":     {w.owner, "/export.csv", 200, []string{id(w.shared), id(w.reply), id(w.formula), id(w.private), id(w.public)}},
		"MemberEverything":    {w.member, "/export.csv", 200, []string{id(w.shared), id(w.reply), id(w.formula), id(w.public)}},
		"MemberArticle":       {w.member, "/articles/" + slug + "/export.csv", 200, []string{id(w.shared), id(w.reply), id(w.formula), id(w.public)}},
		"MemberGroup":         {w.member, fmt.Sprintf("/groups/%d/export.csv", w.group.ID), 200, []string{id(w.shared), id(w.reply), id(w.formula)}},
		"ViewerGroup":         {w.viewer, fmt.Sprintf("/groups/%d/export.csv", w.group.ID), 200, []string{id(w.shared), id(w.reply), id(w.formula)}},
		"OutsiderEverything":  {w.outsider, "/export.csv", 200, []string{id(w.public)}},
		"AdminEverything":     {w.admin, "/export.csv", 200, []string{id(w.public)}}, // private means private
		"AnonymousArticle":    {w.anonymous, "/articles/" + slug + "/export.csv", 200, []string{id(w.public)}},
		"AnonymousEverything": {w.anonymous, "/export.csv", 303, nil},
		"OutsiderGroup":       {w.outsider, fmt.Sprintf("/groups/%d/export.csv", w.group.ID), 404, nil},
		"AdminGroup":          {w.admin, fmt.Sprintf("/groups/%d/export.md", w.group.ID), 403, nil},
		"NoSuchArticle":       {w.member, "/articles/nope/export.csv", 404, nil},
		"NoSuchGroup":         {w.member, "/groups/9999/export.csv", 404, nil},
		"NoSuchGroupAdmin":    {w.admin, "/groups/9999/export.csv", 404, nil},
		"BadBOM":              {w.member, "/export.csv?bom=yes", 422, nil},
	} {
		t.Run(name, func(t *testing.T) {
			rec := tc.cl.get(tc.path)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d", rec.Code, tc.status)
			}
			if tc.status != 200 {
				return
			}
			body := rec.Body.String()
			if strings.Contains(body, "SECRET") != (tc.cl == w.owner) {
				t.Error("a private annotation leaked, or its author lost it")
			}
			if got := ids(readCSV(t, rec.Body.Bytes())); strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("rows %v, want %v", got, tc.want)
			}
			if cd := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="gloss-`) || !strings.HasSuffix(cd, `.csv"`) {
				t.Errorf("Content-Disposition %q", cd)
			}
			if rec.Header().Get("Cache-Control") != "no-store" || rec.Header().Get("Content-Type") != "text/csv; charset=utf-8" {
				t.Errorf("headers %v", rec.Header())
			}
			if strings.Contains(body, "@example.org") {
				t.Error("an email address in an export")
			}
		})
	}
	// Markdown obeys the same rule.
	for _, cl := range []*client{w.member, w.outsider, w.anonymous} {
		if body := cl.get("/articles/" + slug + "/export.md").Body.String(); strings.Contains(body, "SECRET") || !strings.Contains(body, "Public view") {
			t.Errorf("Markdown export: %s", body)
		}
	}
}

func TestExportCSV(t *testing.T) {
	w := newExportWorld(t)
	rec := w.member.get(fmt.Sprintf("/groups/%d/export.csv", w.group.ID))
	if bytes.HasPrefix(rec.Body.Bytes(), []byte("\xef\xbb\xbf")) {
		t.Error("a BOM without ?bom=1")
	}
	rows := readCSV(t, rec.Body.Bytes())
	art, _ := w.store.ArticleBySlug(context.Background(), slug)
	top, reply, formula := rows[0], rows[1], rows[2]
	quote := "an estimated 100,000 North Koreans"
	start := len([]rune(art.Body[:strings.Index(art.Body, quote)]))
	for k, want := range map[string]string{
		"parent_id": "", "article_slug": slug, "article_title": art.Title, "publication": art.Publication,
		"published_on": art.PublishedOn, "quote": quote, "start": fmt.Sprint(start), "end": fmt.Sprint(start + len([]rune(quote))),
		"anchor_status": "anchored", "comment": "Low **estimate**.\n\nSecond paragraph.", "tags": "estimates;figures",
		"visibility": "group", "group": "Seminar", "author": "Member",
		"link": fmt.Sprintf("http://gloss.test/articles/%s#a-%d", slug, w.shared),
	} {
		if top[k] != want {
			t.Errorf("%s = %q, want %q", k, top[k], want)
		}
	}
	if top["prefix"] == "" || top["suffix"] == "" || !strings.HasSuffix(art.Body[:strings.Index(art.Body, quote)], top["prefix"]) {
		t.Errorf("context: %q / %q", top["prefix"], top["suffix"])
	}
	if !strings.HasSuffix(top["created"], "Z") || top["modified"] == "" {
		t.Errorf("times %q %q", top["created"], top["modified"])
	}
	if reply["parent_id"] != fmt.Sprint(w.shared) || reply["quote"] != "" || reply["start"] != "" || reply["author"] != "Owner" {
		t.Errorf("reply row %v", reply)
	}
	// Formula injection: cells a spreadsheet would run start with '.
	if formula["comment"] != `'=HYPERLINK("http://evil.example","x")` {
		t.Errorf("formula cell %q", formula["comment"])
	}
	if reply["comment"] != "'+1 agreed\nsecond line" {
		t.Errorf("reply cell %q", reply["comment"])
	}

	bom := w.member.get(fmt.Sprintf("/groups/%d/export.csv?bom=1", w.group.ID)).Body.Bytes()
	if !bytes.HasPrefix(bom, []byte("\xef\xbb\xbfid,parent_id,")) {
		t.Errorf("?bom=1 starts %q", bom[:20])
	}
	if !bytes.Equal(bom[3:], rec.Body.Bytes()) {
		t.Error("?bom=1 changed more than the first bytes")
	}
}

func TestExportPseudonymized(t *testing.T) {
	w := newExportWorld(t)
	path := fmt.Sprintf("/groups/%d/export.csv?pseudonymize=1", w.group.ID)
	if rec := w.member.get(path); rec.Code != http.StatusForbidden {
		t.Errorf("a member pseudonymizing: %d", rec.Code)
	}
	if rec := w.member.get("/export.csv?pseudonymize=1"); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("pseudonymizing outside a group: %d", rec.Code)
	}
	rec := w.owner.get(path)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	rows := readCSV(t, rec.Body.Bytes())
	// Member wrote first, Owner replied and wrote the third: 1, 2, 2.
	if got := []string{rows[0]["author"], rows[1]["author"], rows[2]["author"]}; strings.Join(got, ",") != "Participant 1,Participant 2,Participant 2" {
		t.Errorf("authors %v", got)
	}
	md := w.owner.get(fmt.Sprintf("/groups/%d/export.md?pseudonymize=1", w.group.ID)).Body.String()
	for _, body := range []string{rec.Body.String(), md} {
		for _, real := range []string{"Member", "Owner", "@example.org"} {
			if strings.Contains(body, real) {
				t.Errorf("%q in a pseudonymized export", real)
			}
		}
	}
	if !strings.Contains(md, "**Participant 1**") || !strings.Contains(md, "- **Participant 2**") {
		t.Errorf("Markdown pseudonyms:\n%s", md)
	}
	// The same data gives the same numbering every time.
	if again := w.owner.get(path).Body.String(); again != rec.Body.String() {
		t.Error("pseudonyms are not stable")
	}
}

func TestExportMarkdown(t *testing.T) {
	w := newExportWorld(t)
	rec := w.member.get("/articles/" + slug + "/export.md")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/markdown; charset=utf-8" ||
		!strings.HasPrefix(rec.Header().Get("Content-Disposition"), "attachment;") {
		t.Fatalf("%d %v", rec.Code, rec.Header())
	}
	md := rec.Body.String()
	art, _ := w.store.ArticleBySlug(context.Background(), slug)
	for _, want := range []string{
		"# Annotations on “NK Defectors in China Remain Concern”\n",
		"\n## NK Defectors in China Remain Concern\n",
		"*" + art.Publication + "*",
		"\n> an estimated 100,000 North Koreans\n\n**Member** · ",
		" · group Seminar · [link](http://gloss.test/articles/" + slug + "#a-" + fmt.Sprint(w.shared) + ")\n\nLow **estimate**.\n\nSecond paragraph.\n",
		"\nTags: estimates, figures\n",
		"\n- **Owner** · ",
		"\n  +1 agreed\n  second line\n",
		"\n> hush-hush\n\n**Outsider** · ",
		" · public · ",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("missing %q in\n%s", want, md)
		}
	}
	// Whichever passage is first in the text comes first in the export.
	first := strings.Index(art.Body, "an estimated 100,000")
	second := strings.Index(art.Body, "hush-hush")
	if (first < second) != (strings.Index(md, "> an estimated") < strings.Index(md, "> hush-hush")) {
		t.Error("annotations are not in text order")
	}
	if strings.Index(md, "Tags: estimates") > strings.Index(md, "- **Owner**") {
		t.Error("tags should follow their annotation's comment, before its replies")
	}
}

func TestExportsPage(t *testing.T) {
	w := newExportWorld(t)
	doc := parse(t, w.owner.get("/export"))
	links := doc.Find(`[data-testid="export-groups"] a`)
	var hrefs []string
	links.Each(func(_ int, s *goquery.Selection) { hrefs = append(hrefs, s.AttrOr("href", "")) })
	if !contains(hrefs, fmt.Sprintf("/groups/%d/export.csv?pseudonymize=1", w.group.ID)) {
		t.Errorf("owner's links %v", hrefs)
	}
	doc = parse(t, w.member.get("/export"))
	if strings.Contains(doc.Find(`[data-testid="export-groups"]`).Text(), "pseudonymized") {
		t.Error("members are offered pseudonymized exports")
	}
	if rec := w.anonymous.get("/export"); rec.Code != http.StatusSeeOther {
		t.Errorf("signed out: %d", rec.Code)
	}
}

func TestBackupDownload(t *testing.T) {
	e, store := newApp(t)
	mustUser(t, store, "admin@example.org", "Admin", true)
	mustUser(t, store, "user@example.org", "User", false)
	admin := signedIn(t, e, "admin@example.org")
	if rec := signedIn(t, e, "user@example.org").get("/admin/backup/download"); rec.Code != http.StatusForbidden {
		t.Errorf("a user downloading the database: %d", rec.Code)
	}
	if rec := newClient(t, e).get("/admin/backup/download"); rec.Code != http.StatusSeeOther {
		t.Errorf("signed out: %d", rec.Code)
	}
	page := parse(t, admin.get("/admin/backup"))
	if engine == "postgres" {
		// PostgreSQL's backups are its own: the page says which command.
		if page.Find(`[data-testid="download-backup"]`).Length() != 0 || !strings.Contains(page.Find(`[data-testid="backup-elsewhere"]`).Text(), "pg_dump") {
			t.Errorf("the backup page on PostgreSQL: %q", page.Find("main").Text())
		}
		if rec := admin.get("/admin/backup/download"); rec.Code != http.StatusUnprocessableEntity && rec.Code != http.StatusBadRequest {
			t.Errorf("a download on PostgreSQL: %d", rec.Code)
		}
		return
	}
	if page.Find(`[data-testid="download-backup"]`).AttrOr("href", "") != "/admin/backup/download" {
		t.Error("no download link")
	}
	rec := admin.get("/admin/backup/download")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	h := rec.Header()
	cd := h.Get("Content-Disposition")
	var stamp string
	if _, err := fmt.Sscanf(cd, `attachment; filename="gloss-%15s.db"`, &stamp); err != nil || len(stamp) != 15 || stamp[8] != '-' {
		t.Errorf("Content-Disposition %q", cd)
	}
	if h.Get("Cache-Control") != "no-store" || h.Get("Content-Length") != fmt.Sprint(rec.Body.Len()) {
		t.Errorf("headers %v", h)
	}
	path := filepath.Join(t.TempDir(), "downloaded.db")
	if err := os.WriteFile(path, rec.Body.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	snap, err := sqlite.VerifyFile(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	d, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if n, _ := d.ArticleCount(context.Background()); n != 5 || snap.SchemaVersion != snap.KnownVersion {
		t.Errorf("%d articles, %+v", n, snap)
	}
}

// TestLinksIgnoreForwardedProto: absolute links in exports (and share and
// invitation links, built the same way) take their scheme from the
// connection or -behind-tls, not from a header any client can send.
func TestLinksIgnoreForwardedProto(t *testing.T) {
	for _, behind := range []bool{false, true} {
		e, _ := newAppWith(t, handlers.Config{BehindTLS: behind})
		body := get(t, e, "/articles/"+slug+"/export.md", "X-Forwarded-Proto", "https").Body.String()
		want, not := "http://example.com/articles/"+slug, "https://"
		if behind {
			want, not = "https://example.com/articles/"+slug, "http://example.com"
		}
		if !strings.Contains(body, want) || strings.Contains(body, not) {
			t.Errorf("behind TLS %v: want links like %s, got:\n%.400s", behind, want, body)
		}
	}
}

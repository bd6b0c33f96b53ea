package handlers_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestTagPages(t *testing.T) {
	w := newAnnotationWorld(t)
	w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "body": {"=HYPERLINK(\"x\")"}, "tags": {"actors/china, secrecy"}, "visibility": {"public"}})
	w.annotate(t, w.member, url.Values{"exact": {"Cold War allies"}, "tags": {"private-tag"}, "visibility": {"private"}})

	t.Run("Index", func(t *testing.T) {
		doc := parse(t, w.anonymous.get("/tags"))
		rows := doc.Find(`[data-testid="tag-row"]`)
		if rows.Length() != 2 {
			t.Fatalf("%d tags listed to anonymous, want 2", rows.Length())
		}
		if strings.Contains(doc.Text(), "private-tag") {
			t.Error("a private tag is listed")
		}
		if doc.Find(`[data-tag="actors/china"] .tag`).Text() != "china" {
			t.Error("hierarchy: actors/china not shown as china under actors")
		}
	})
	t.Run("HierarchicalTagPage", func(t *testing.T) {
		rec := w.anonymous.get("/tags/" + url.PathEscape("actors/china"))
		if rec.Code != http.StatusOK || parse(t, rec).Find(`[data-testid="tag-cards"] > li`).Length() != 1 {
			t.Errorf("tag page: %d", rec.Code)
		}
	})
	t.Run("CSV", func(t *testing.T) {
		rec := w.anonymous.get("/tags/secrecy/export.csv")
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Disposition"), "attachment") {
			t.Fatalf("csv: %d", rec.Code)
		}
		rows, err := csv.NewReader(rec.Body).ReadAll()
		if err != nil || len(rows) != 2 {
			t.Fatalf("rows %v, %v", rows, err)
		}
		if rows[1][2] != "hush-hush" || rows[1][3] != `'=HYPERLINK("x")` {
			t.Errorf("row %q (the formula must be defused)", rows[1])
		}
	})
	t.Run("AdminEdits", func(t *testing.T) {
		if rec := w.member.get("/tags/secrecy/edit"); rec.Code != http.StatusForbidden {
			t.Errorf("member edit page: %d", rec.Code)
		}
		rec := w.admin.post("/tags/secrecy/edit", url.Values{"name": {"confidentiality"}, "color": {"4"}, "description": {"Done quietly"}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/tags/confidentiality" {
			t.Fatalf("rename: %d %q", rec.Code, rec.Header().Get("Location"))
		}
		doc := parse(t, w.anonymous.get("/articles/"+slug))
		if doc.Find(`a.tag.tag-c4[href="/tags/confidentiality"]`).Length() == 0 {
			t.Error("the chosen colour is not used for the tag")
		}
		if rec := w.admin.post("/tags/confidentiality/edit", url.Values{"name": {"a,b"}, "color": {"1"}}); rec.Code != 422 {
			t.Errorf("bad name: %d", rec.Code)
		}
		if rec := w.admin.post("/tags/confidentiality/merge", url.Values{"into": {"no-such-tag"}}); rec.Code != 422 {
			t.Errorf("merge into nothing: %d", rec.Code)
		}
		if rec := w.admin.post("/tags/confidentiality/merge", url.Values{"into": {"actors/china"}}); rec.Code != http.StatusSeeOther {
			t.Errorf("merge: %d", rec.Code)
		}
		if rec := w.anonymous.get("/tags/" + url.PathEscape("actors/china")); parse(t, rec).Find(`[data-testid="tag-cards"] > li`).Length() != 1 {
			t.Error("after merging, the passage is not under the target tag")
		}
	})
}

func TestCodebookHTTP(t *testing.T) {
	w := newAnnotationWorld(t)
	path := fmt.Sprintf("/groups/%d/codebook", w.group.ID)
	if rec := w.outsider.get(path); rec.Code != http.StatusNotFound {
		t.Errorf("outsider: %d", rec.Code)
	}
	if rec := w.member.post(path, url.Values{"tag": {"access"}, "definition": {"x"}}); rec.Code != http.StatusForbidden {
		t.Errorf("member defining: %d", rec.Code)
	}
	if rec := w.owner.post(path, url.Values{"tag": {"access"}, "definition": {"Whether aid reaches people"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("define: %d", rec.Code)
	}
	upload := func(cl *client, content string) *httptest.ResponseRecorder {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "codebook.csv")
		fw.Write([]byte(content))
		mw.Close()
		req := httptest.NewRequest(http.MethodPost, origin+path+"/import", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		u, _ := url.Parse(origin)
		for _, c := range cl.jar.Cookies(u) {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		w.e.ServeHTTP(rec, req)
		return rec
	}
	if rec := upload(w.owner, "tag,definition\ngood,fine\n\"bad,tag\",x\n"); rec.Code != 422 || !strings.Contains(rec.Body.String(), "Nothing was imported") {
		t.Errorf("bad import: %d", rec.Code)
	}
	if rec := upload(w.owner, "\ufefftag,definition\ndeportation,Forced return\nrefugee status,\"Legal status, per 1951\"\n"); rec.Code != http.StatusOK {
		t.Fatalf("import: %d %s", rec.Code, rec.Body)
	}
	rec := w.member.get(path + ".csv")
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil || len(rows) != 4 || rows[0][0] != "tag" {
		t.Fatalf("export %v %v", rows, err)
	}
	if rows[3][0] != "refugee status" || rows[3][1] != "Legal status, per 1951" {
		t.Errorf("round trip: %q", rows[3])
	}
	doc := parse(t, w.viewer.get(path))
	if doc.Find(`[data-testid="codebook-row"]`).Length() != 3 || doc.Find(`form[action$="/codebook"]`).Length() != 0 {
		t.Error("a viewer sees the codebook without the owner's forms")
	}
}

func TestIndexPage(t *testing.T) {
	e, _ := newApp(t)
	doc := parse(t, get(t, e, "/index"))
	if n := doc.Find(`[data-testid="index-publications"] li`).Length(); n != 5 {
		t.Errorf("%d publications", n)
	}
	href := doc.Find(`[data-testid="index-authors"] a`).First().AttrOr("href", "")
	lib := parse(t, get(t, e, href))
	if n := lib.Find(`[data-testid="article"]`).Length(); n != 1 {
		t.Errorf("library by author %q: %d articles", href, n)
	}
	lib = parse(t, get(t, e, "/?year=2005"))
	if n := lib.Find(`[data-testid="article"]`).Length(); n != 2 {
		t.Errorf("library for 2005: %d articles", n)
	}
}

func TestHighlightTakesTagColour(t *testing.T) {
	w := newAnnotationWorld(t)
	id := w.annotate(t, w.member, url.Values{"exact": {"hush-hush"}, "tags": {"secrecy"}, "visibility": {"public"}})
	w.admin.post("/tags/secrecy/edit", url.Values{"name": {"secrecy"}, "color": {"6"}})
	doc := parse(t, w.anonymous.get("/articles/"+slug))
	if doc.Find(fmt.Sprintf(`mark.tag-c6[data-ids="%d"]`, id)).Length() == 0 {
		t.Error("the highlight does not use the tag's chosen colour")
	}
}

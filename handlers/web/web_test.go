package web

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"gloss/db"
	"gloss/views"
)

func TestStatusFor(t *testing.T) {
	for code, want := range map[string]int{
		db.EINVALID: 422, db.ENOTFOUND: 404, db.ECONFLICT: 409, db.EPRECONDITION: 412,
		db.EUNAUTHORIZED: 401, db.EFORBIDDEN: 403, db.EGONE: 410, db.ETOOMANY: 429,
		db.EUNAVAILABLE: 503, db.EINTERNAL: 500, "": 500, "nonsense": 500,
	} {
		if got := StatusFor(code); got != want {
			t.Errorf("StatusFor(%q) = %d, want %d", code, got, want)
		}
	}
	if err := BadRequest("No %s.", "title"); db.ErrorCode(err) != db.EINVALID || db.ErrorMessage(err) != "No title." {
		t.Errorf("BadRequest: %v", err)
	}
}

func TestID(t *testing.T) {
	if id, err := ID("42"); err != nil || id != 42 {
		t.Errorf("ID(42) = %d, %v", id, err)
	}
	for _, raw := range []string{"", "0", "-3", "x", "1.5", "99999999999999999999"} {
		if _, err := ID(raw); db.ErrorCode(err) != db.ENOTFOUND {
			t.Errorf("ID(%q): %v, want not found", raw, err)
		}
	}
}

func TestBaseIRI(t *testing.T) {
	plain := httptest.NewRequest(http.MethodGet, "http://gloss.test/x", nil)
	plain.Header.Set("X-Forwarded-Proto", "https") // never believed
	secure := httptest.NewRequest(http.MethodGet, "https://gloss.test/x", nil)
	secure.TLS = &tls.ConnectionState{}
	for _, tc := range []struct {
		site Site
		r    *http.Request
		want string
	}{
		{NewSite(false, nil), plain, "http://gloss.test"},
		{NewSite(true, nil), plain, "https://gloss.test"},
		{NewSite(false, nil), secure, "https://gloss.test"},
	} {
		if got := tc.site.BaseIRI(tc.r); got != tc.want {
			t.Errorf("BaseIRI = %q, want %q", got, tc.want)
		}
	}
	var got string
	site := NewSite(false, func(_ context.Context, msg string) { got = msg })
	site.Flash(plain, "Saved.")
	if got != "Saved." {
		t.Errorf("Flash passed on %q", got)
	}
}

func TestViewer(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	if v := Viewer(r); v.SignedIn() {
		t.Errorf("an unauthenticated request has a viewer: %+v", v)
	}
	v := db.Viewer{UserID: 7, Name: "Ada"}
	r = r.WithContext(WithViewer(r.Context(), v))
	if got := Viewer(r); got.UserID != 7 || got.Name != "Ada" {
		t.Errorf("Viewer = %+v", got)
	}
}

func TestForms(t *testing.T) {
	form := url.Values{"title": {"T"}, "n": {" 12 "}, "bad": {"x"}}
	r := httptest.NewRequest(http.MethodPost, "/?flag=1&off=0&odd=yes", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	f := FormOf(r, "title", "missing")
	if f.Values["title"] != "T" || f.Values["missing"] != "" || len(f.Values) != 2 || f.Errors == nil {
		t.Errorf("FormOf = %+v", f)
	}
	if Require(&f, map[string]string{"title": "The title", "missing": "The summary"}) {
		t.Error("Require passed a missing field")
	}
	if f.Errors["missing"] != "The summary is required." || f.Errors["title"] != "" || f.Error == "" {
		t.Errorf("Require marked %+v, %q", f.Errors, f.Error)
	}
	if FormInt(r, "n") != 12 || FormInt(r, "bad") != -1 || FormInt(r, "none") != -1 {
		t.Error("FormInt")
	}
	for name, want := range map[string]bool{"flag": true, "off": false, "absent": false} {
		if got, err := BoolQuery(r, name); err != nil || got != want {
			t.Errorf("BoolQuery(%s) = %v, %v", name, got, err)
		}
	}
	if _, err := BoolQuery(r, "odd"); db.ErrorCode(err) != db.EINVALID || !strings.Contains(db.ErrorMessage(err), `"yes"`) {
		t.Errorf("BoolQuery(odd): %v", err)
	}
	opts := []views.Option{{Value: "a"}, {Value: "b"}}
	if !ValidOption(opts, "b") || ValidOption(opts, "c") {
		t.Error("ValidOption")
	}
}

func TestPrefersJSON(t *testing.T) {
	for accept, want := range map[string]bool{
		"":                                    false,
		"application/json":                    true,
		"application/ld+json":                 true,
		"text/html, application/json":         false,
		"text/html,application/xhtml+xml,*/*": false,
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Accept", accept)
		if got := PrefersJSON(r); got != want {
			t.Errorf("PrefersJSON(%q) = %v", accept, got)
		}
	}
}

func TestCSVRow(t *testing.T) {
	got := CSVRow("=SUM(A1)", "+1", "-2", "@x", "\tx", "\rx", "plain", "", "a=b")
	want := []string{"'=SUM(A1)", "'+1", "'-2", "'@x", "'\tx", "'\rx", "plain", "", "a=b"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("CSVRow = %q, want %q", got, want)
	}
}

func TestPager(t *testing.T) {
	href := func(n int) string { return fmt.Sprint("/p", n) }
	show := func(p views.Pager) string {
		var b strings.Builder
		for _, l := range p.Links {
			switch {
			case l.N == 0:
				b.WriteString(" …")
			case l.Current:
				fmt.Fprintf(&b, " [%d]", l.N)
			default:
				fmt.Fprintf(&b, " %d", l.N)
			}
		}
		return strings.TrimSpace(b.String())
	}
	if p := Pager("x", 1, 1, href); len(p.Links) != 0 || p.Label != "" {
		t.Errorf("one page has a pager: %+v", p)
	}
	for _, tc := range []struct {
		page, pages int
		want        string
	}{
		{1, 2, "[1] 2"},
		{1, 10, "[1] 2 3 … 10"},
		{5, 10, "1 2 3 4 [5] 6 7 … 10"},
		{10, 10, "1 … 8 9 [10]"},
		{4, 7, "1 2 3 [4] 5 6 7"},
	} {
		p := Pager("Pages", tc.page, tc.pages, href)
		if got := show(p); got != tc.want {
			t.Errorf("page %d of %d: %s, want %s", tc.page, tc.pages, got, tc.want)
		}
		if (tc.page > 1) != (p.Prev == href(tc.page-1)) || (tc.page < tc.pages) != (p.Next == href(tc.page+1)) {
			t.Errorf("page %d of %d: prev %q next %q", tc.page, tc.pages, p.Prev, p.Next)
		}
	}
	if n, err := PageNumber(""); n != 1 || err != nil {
		t.Errorf("PageNumber(\"\") = %d, %v", n, err)
	}
	if n, err := PageNumber("3"); n != 3 || err != nil {
		t.Errorf("PageNumber(3) = %d, %v", n, err)
	}
	for _, raw := range []string{"0", "-1", "two"} {
		if _, err := PageNumber(raw); db.ErrorCode(err) != db.EINVALID {
			t.Errorf("PageNumber(%q): %v", raw, err)
		}
	}
}

func TestETagSuffixes(t *testing.T) {
	for _, tc := range []struct{ in, with, without string }{
		{`"abc"`, `"abc-gzip"`, `"abc"`},
		{`"abc-gzip"`, `"abc-gzip-gzip"`, `"abc"`},
		{`W/"abc"`, `W/"abc-gzip"`, `W/"abc"`},
		{`abc`, `abc`, `abc`},
	} {
		if got := WithETagSuffix(tc.in, ETagGzip); got != tc.with {
			t.Errorf("WithETagSuffix(%s) = %s", tc.in, got)
		}
		if got := WithoutETagSuffix(tc.in, ETagGzip); got != tc.without {
			t.Errorf("WithoutETagSuffix(%s) = %s", tc.in, got)
		}
	}
}

func TestFormat(t *testing.T) {
	if Plural(1, "note", "notes") != "1 note" || Plural(0, "note", "notes") != "0 notes" || Plural(3, "reply", "replies") != "3 replies" {
		t.Error("Plural")
	}
	chips := TagChips(map[string]int{"law": 3}, []string{"law", "actors/ngo"})
	if chips[0].Class != views.ColorClass(3) || chips[1].Class != views.ColorClass(db.DefaultColor("actors/ngo")) || chips[1].Name != "actors/ngo" {
		t.Errorf("TagChips = %+v", chips)
	}
}

func TestLoad(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r = r.WithContext(WithViewer(r.Context(), db.Viewer{UserID: 7}))
	called := 0
	byID := func(_ context.Context, v db.Viewer, id int64) (string, error) {
		called++
		return fmt.Sprintf("%d as %d", id, v.UserID), nil
	}
	if got, err := Load(r, "42", byID); err != nil || got != "42 as 7" {
		t.Errorf("Load = %q, %v", got, err)
	}
	if got, err := Load(r, "4x", byID); db.ErrorCode(err) != db.ENOTFOUND || got != "" || called != 1 {
		t.Errorf("Load(4x) = %q, %v, and looked up %d times", got, err, called)
	}
}

package w3c

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// The protocol's HTTP behaviour is tested through the whole app in package
// handlers (protocol_test.go, protocol_conformance_test.go); these are its
// pure parts.

func TestNegotiate(t *testing.T) {
	offers := []string{mediaLDJSON, mediaJSON, mediaHTML}
	for accept, want := range map[string]string{
		"":                 mediaLDJSON,
		"application/json": mediaJSON,
		"text/html,application/xhtml+xml,*/*;q=0.8":   mediaHTML,
		"application/json;q=0.5, application/ld+json": mediaLDJSON,
		"*/*":                                   mediaLDJSON,
		"text/*":                                mediaHTML,
		"image/png":                             "",
		"application/json;q=0, text/html;q=0.1": mediaHTML,
	} {
		if got := negotiate(accept, offers...); got != want {
			t.Errorf("negotiate(%q) = %q, want %q", accept, got, want)
		}
	}
}

func TestPaths(t *testing.T) {
	for path, want := range map[string][2]bool{ // container, annotation
		"/annotations/":                    {true, false},
		"/articles/some-slug/annotations/": {true, false},
		"/articles/some-slug/annotations":  {false, false},
		"/annotations/12":                  {false, true},
		"/annotations/12/edit":             {false, false},
		"/annotations":                     {false, false},
	} {
		if IsContainer(path) != want[0] || IsAnnotation(path) != want[1] {
			t.Errorf("%s: container %v, annotation %v", path, IsContainer(path), IsAnnotation(path))
		}
	}
	r := httptest.NewRequest(http.MethodGet, "/annotations/12", nil)
	r.Header.Set("Accept", "text/html")
	if IsAPI(r) {
		t.Error("a browser's request for an annotation is the API's")
	}
	r.Header.Set("Accept", "application/ld+json")
	if !IsAPI(r) {
		t.Error("a JSON-LD request for an annotation is not the API's")
	}
}

func TestParsePrefer(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   preferences
	}{
		{`return=representation; include="http://www.w3.org/ns/ldp#PreferMinimalContainer"`, preferences{minimal: true}},
		{`return=representation;include="http://www.w3.org/ns/oa#PreferContainedIRIs http://www.w3.org/ns/oa#PreferContainedDescriptions"`, preferences{iris: true, descriptions: true}},
		{`respond-async, return = representation; include="http://www.w3.org/ns/oa#PreferContainedIRIs"`, preferences{iris: true}},
		{`return=minimal; include="http://www.w3.org/ns/oa#PreferContainedIRIs"`, preferences{}},
		{`return=representation; omit="http://www.w3.org/ns/oa#PreferContainedIRIs"`, preferences{}},
	} {
		if got := parsePrefer([]string{tc.header}); got != tc.want {
			t.Errorf("parsePrefer(%s) = %+v, want %+v", tc.header, got, tc.want)
		}
	}
}

func TestETags(t *testing.T) {
	if got := representationETag(`"v1"`, mediaJSON); got != `"v1-json"` {
		t.Errorf("JSON representation %s", got)
	}
	if got := representationETag(`"v1"`, mediaAnno); got != `"v1"` {
		t.Errorf("JSON-LD representation %s", got)
	}
	for _, tc := range []struct {
		header, etag string
		strong, want bool
	}{
		{`"v1"`, `"v1"`, true, true},
		{`"v1-json"`, `"v1"`, true, true},      // If-Match names the version
		{`"v1-json-gzip"`, `"v1"`, true, true}, // in any representation
		{`W/"v1"`, `"v1"`, true, false},        // never weakly
		{`W/"v1"`, `"v1"`, false, true},
		{`"v1-gzip"`, `"v1"`, false, true}, // a cached compressed copy
		{`"v1-json"`, `"v1"`, false, false},
		{`"v0", "v1"`, `"v1"`, true, true},
		{`*`, `"v1"`, true, true},
		{`"v2"`, `"v1"`, false, false},
	} {
		if got := etagListed(tc.header, tc.etag, tc.strong); got != tc.want {
			t.Errorf("etagListed(%s, %s, strong %v) = %v", tc.header, tc.etag, tc.strong, got)
		}
	}
}

func TestPagingIRI(t *testing.T) {
	cont := container{path: "/annotations/"}
	for _, tc := range []struct {
		p    paging
		page int
		want string
	}{
		{paging{perPage: defaultPerPage}, -1, "http://g.test/annotations/"},
		{paging{perPage: defaultPerPage}, 0, "http://g.test/annotations/?page=0"},
		{paging{iris: true, perPage: 2}, 3, "http://g.test/annotations/?iris=1&page=3&per_page=2"},
		{paging{perPage: 2}, -1, "http://g.test/annotations/?per_page=2"},
	} {
		if got := tc.p.iri("http://g.test", cont, tc.page); got != tc.want {
			t.Errorf("iri = %s, want %s", got, tc.want)
		}
	}
	if lastPage(0, 100) != 0 || lastPage(100, 100) != 0 || lastPage(101, 100) != 1 {
		t.Error("lastPage")
	}
}

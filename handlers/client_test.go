package handlers_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"gloss/db"
	"gloss/db/sqlite"
)

const origin = "http://gloss.test"

// client is a browser stand-in: it keeps cookies and sends what a browser
// sends on a same-origin form post.
type client struct {
	t   testing.TB
	e   *echo.Echo
	jar *cookiejar.Jar
	ip  string
}

func newClient(t testing.TB, e *echo.Echo) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, e: e, jar: jar, ip: "192.0.2.1"}
}

func (cl *client) do(method, path string, form url.Values, header ...string) *httptest.ResponseRecorder {
	cl.t.Helper()
	return cl.doContext(context.Background(), method, path, form, header...)
}

// doContext is do with the request's context.
func (cl *client) doContext(ctx context.Context, method, path string, form url.Values, header ...string) *httptest.ResponseRecorder {
	cl.t.Helper()
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, origin+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, origin+path, nil)
	}
	req = req.WithContext(ctx)
	req.RemoteAddr = cl.ip + ":50000"
	if method != http.MethodGet {
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Origin", origin)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	u, _ := url.Parse(origin)
	for _, c := range cl.jar.Cookies(u) {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	cl.e.ServeHTTP(rec, req)
	cl.jar.SetCookies(u, rec.Result().Cookies())
	return rec
}

func (cl *client) get(path string, header ...string) *httptest.ResponseRecorder {
	cl.t.Helper()
	return cl.do(http.MethodGet, path, nil, header...)
}

func (cl *client) post(path string, form url.Values, header ...string) *httptest.ResponseRecorder {
	cl.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	return cl.do(http.MethodPost, path, form, header...)
}

func (cl *client) sessionCookie() string {
	u, _ := url.Parse(origin)
	for _, c := range cl.jar.Cookies(u) {
		if c.Name == "gloss_session" {
			return c.Value
		}
	}
	return ""
}

const testPassword = "a long enough password"

func mustUser(tb testing.TB, store *sqlite.Store, email, name string, admin bool) db.User {
	tb.Helper()
	u, err := store.CreateUser(context.Background(), db.NewUser{Email: email, Name: name, Password: testPassword, Admin: admin})
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// signedIn returns a client signed in as the user with that email.
func signedIn(tb testing.TB, e *echo.Echo, email string) *client {
	tb.Helper()
	cl := newClient(tb, e)
	rec := cl.post("/login", url.Values{"email": {email}, "password": {testPassword}})
	if rec.Code != http.StatusSeeOther {
		tb.Fatalf("sign in as %s: status %d\n%s", email, rec.Code, rec.Body)
	}
	return cl
}

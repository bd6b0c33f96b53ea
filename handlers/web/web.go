// Package web is what Gloss's handler packages share: rendering, the one
// mapping of store errors to HTTP statuses, who is asking, forms, pagers and
// the site's absolute address. Handlers and middleware stay in their own
// packages; the helpers here take the request, not Echo's context, except
// the few that write a response.
package web

import (
	"context"
	"net/http"
	"strings"

	"gloss/handlers/paths"
)

// Site is what every handler package is given besides the store: how to
// make absolute links, and how to leave a message for the next page.
type Site struct {
	behindTLS bool
	publicURL string // "" when not configured
	flash     func(ctx context.Context, msg string)
}

// NewSite is the site: behindTLS when browsers reach Gloss over HTTPS
// (served by Gloss itself or by a proxy), so absolute links start with
// https://; flash keeps a message in the session for the next page.
func NewSite(behindTLS bool, flash func(ctx context.Context, msg string)) Site {
	return Site{behindTLS: behindTLS, flash: flash}
}

// WithPublicURL is the site with its public address (-public-url, or the
// first ACME domain): links meant to be sent to people, such as
// invitations, start with it, whatever host the request came to.
func (s Site) WithPublicURL(base string) Site {
	s.publicURL = strings.TrimSuffix(base, "/")
	return s
}

// InviteURL is the absolute link of an invitation: on the public address
// when there is one, else where the request came to.
func (s Site) InviteURL(r *http.Request, token string) string {
	if s.publicURL != "" {
		return s.publicURL + paths.Invite(token)
	}
	return s.BaseIRI(r) + paths.Invite(token)
}

// Flash leaves a one-time message for the next page.
func (s Site) Flash(r *http.Request, msg string) { s.flash(r.Context(), msg) }

// BaseIRI is the scheme and host the request came to: every absolute link
// the server writes (exports, share and invitation links, CSV links, the
// JSON-LD's IRIs) starts with it. The scheme comes from the connection or
// -behind-tls, never from a header a client could send.
func (s Site) BaseIRI(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || s.behindTLS {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// viewerKey is the request context's key for who is asking.
type viewerKey struct{}

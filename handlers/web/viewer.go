package web

import (
	"context"
	"net/http"

	"gloss/db"
)

// WithViewer is ctx knowing who is asking (the authenticate middleware's).
func WithViewer(ctx context.Context, v db.Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// Viewer is who is asking; handlers pass it to the store's policy. Before
// the request is authenticated it is nobody.
func Viewer(r *http.Request) db.Viewer {
	v, _ := r.Context().Value(viewerKey{}).(db.Viewer)
	return v
}

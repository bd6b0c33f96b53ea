package views

import (
	"context"
	"strconv"
)

// Chrome is what the layout shows around every page: who is signed in and
// a one-time message. Handlers put it in the request context once.
type Chrome struct {
	User  *CurrentUser // nil when signed out
	Flash string
	Path  string // the current path, for "sign in and come back"
}

// CurrentUser is the signed-in person as the layout shows them.
type CurrentUser struct {
	Name  string
	Admin bool
	// Unread is how many unread notifications the bell shows (100: 99+).
	Unread int
}

// UnreadLabel is the bell's count as shown.
func (u CurrentUser) UnreadLabel() string {
	if u.Unread >= 100 {
		return "99+"
	}
	return strconv.Itoa(u.Unread)
}

// BellLabel is the bell's accessible name.
func (u CurrentUser) BellLabel() string {
	switch u.Unread {
	case 0:
		return "Notifications"
	case 1:
		return "Notifications, 1 unread"
	}
	return "Notifications, " + u.UnreadLabel() + " unread"
}

type chromeKey struct{}

// WithChrome returns a context carrying the layout's data.
func WithChrome(ctx context.Context, c Chrome) context.Context {
	return context.WithValue(ctx, chromeKey{}, c)
}

// ChromeOf is the layout's data in ctx: a handler that keeps a page for
// other requests must know whether it holds anything of this one's.
func ChromeOf(ctx context.Context) Chrome { return chrome(ctx) }

func chrome(ctx context.Context) Chrome {
	c, _ := ctx.Value(chromeKey{}).(Chrome)
	return c
}

// Form carries what a person typed back to them, with a message per field
// that was wrong and one for the form as a whole.
type Form struct {
	Values map[string]string
	Errors map[string]string
	Error  string
}

// Value returns the submitted value of a field.
func (f Form) Value(name string) string { return f.Values[name] }

// FieldError returns the message for one field, or "".
func (f Form) FieldError(name string) string { return f.Errors[name] }

package db

import (
	"errors"
	"fmt"
)

// Error codes. The HTTP layer maps each to one status code, in one place.
const (
	EINVALID      = "invalid"      // the input is wrong; the message says how
	ENOTFOUND     = "not_found"    // no such thing, or the caller may not know it exists
	ECONFLICT     = "conflict"     // the thing exists already or changed meanwhile
	EPRECONDITION = "precondition" // it changed since the version the caller names (If-Match)
	EUNAUTHORIZED = "unauthorized" // the caller must sign in
	EFORBIDDEN    = "forbidden"    // signed in, but not allowed
	EGONE         = "gone"         // it existed but is no more (an expired or used link)
	ETOOMANY      = "too_many"     // slow down
	EUNAVAILABLE  = "unavailable"  // the database cannot be written now (disk full, read-only)
	EINTERNAL     = "internal"     // a bug or an outage; never shown in detail
)

// Error is an application error with a code and a message meant for people.
// Field, when set, names the form field the message is about, so a form can
// show it beside that field.
type Error struct {
	Code    string
	Message string
	Field   string
}

func (e *Error) Error() string { return fmt.Sprintf("gloss: %s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrorf returns an EINVALID *Error about one field of the input.
func FieldErrorf(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Message: fmt.Sprintf(format, args...), Field: field}
}

// about marks err as being about field, when it is an *Error that names
// none yet; anything else is returned as it is.
func About(field string, err error) error {
	var e *Error
	if errors.As(err, &e) && e.Field == "" {
		c := *e
		c.Field = field
		return &c
	}
	return err
}

// ErrorField returns the field err is about, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// CannotWrite recognises an engine's error that means its database
// cannot take writes at all (a full disk, a read-only file) rather than
// that a statement failed, and says why in words; "" for any other error.
// Engines register theirs (RegisterCannotWrite) when they load.
type CannotWrite func(err error) string

var cannotWriters []CannotWrite

// RegisterCannotWrite adds an engine's CannotWrite. It is meant for an
// engine package's init.
func RegisterCannotWrite(f CannotWrite) { cannotWriters = append(cannotWriters, f) }

func cannotWrite(err error) string {
	for _, f := range cannotWriters {
		if why := f(err); why != "" {
			return why
		}
	}
	return ""
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, else
// EUNAVAILABLE for a database that cannot be written, else EINTERNAL.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	} else if cannotWrite(err) != "" {
		return EUNAVAILABLE
	}
	return EINTERNAL
}

// ErrorMessage returns the human message of err if it is an *Error or a
// database that cannot be written; other errors are internal and their
// details are not for users.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	} else if why := cannotWrite(err); why != "" {
		return "Gloss cannot save changes right now: " + why + ". Nothing was changed; what you sent is not lost if you keep this page. Try again later, and tell whoever runs this server."
	}
	return "Something went wrong on our side. It has been logged."
}

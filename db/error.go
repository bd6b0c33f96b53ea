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
	EUNAUTHORIZED = "unauthorized" // the caller must sign in
	EFORBIDDEN    = "forbidden"    // signed in, but not allowed
	EGONE         = "gone"         // it existed but is no more (an expired or used link)
	ETOOMANY      = "too_many"     // slow down
	EINTERNAL     = "internal"     // a bug or an outage; never shown in detail
)

// Error is an application error with a code and a message meant for people.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("gloss: %s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, else EINTERNAL.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the human message of err if it is an *Error; other
// errors are internal and their details are not for users.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side. It has been logged."
}

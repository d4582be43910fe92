// Package breach holds Candor's domain: organisations, incidents, affected
// people, the data-element vocabulary, jurisdictions, the application error
// type and the small store interfaces the rest of the program depends on.
// It imports no database, HTTP or mail package.
package breach

import (
	"errors"
	"fmt"
)

// Application error codes. They are stable: the CLI maps them to exit codes
// and the web layer to HTTP statuses, each in exactly one place.
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	EINTERNAL     = "internal"
)

// Error is an application error whose Message is safe to show a user.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("candor error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an application error with the given code and a formatted,
// user-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the application error in err's chain, or
// EINTERNAL for any other non-nil error, or "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of the application error in
// err's chain, or "Internal error." for any other error.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

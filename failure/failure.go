// Package failure is the error every vpool engine returns: a stable code
// (docs/scenario.md and docs/swap.md §6 list them) and a human message.
// The cover and swap markets alias its types, so one errors.As, one code
// switch and one HTTP mapping serve both. It must never hold a market's
// logic or grow a second error type.
package failure

import (
	"errors"
	"fmt"
)

// Code is a stable error code; its string is part of the public vectors
// and of the HTTP API, so it never changes.
type Code string

// The codes both markets return; each market lists the rest of its own.
const (
	CodeInvalidArgument       Code = "invalid_argument"
	CodeTimeWentBackwards     Code = "time_went_backwards"
	CodeNotFound              Code = "not_found"
	CodeZeroAmount            Code = "zero_amount"
	CodeInsufficientBalance   Code = "insufficient_balance"
	CodeInsufficientLiquidity Code = "insufficient_liquidity"
	CodeOverflow              Code = "overflow"
)

// Error is a failed operation: a stable code and a human message. A
// command that returns an Error has changed nothing.
type Error struct {
	Code Code
	Msg  string
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Msg }

// Is makes errors.Is(err, &Error{Code: c}) match on the code alone.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// New returns an Error with code and the message format and args give.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// CodeOf returns the code of err, or "" when err is not an *Error.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

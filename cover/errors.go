package cover

import (
	"errors"
	"fmt"

	"github.com/vpool/vpool/ray"
)

// Code is a stable error code from spec/scenario.md.
type Code string

// The error codes of the cover market (spec/scenario.md, "Error codes").
const (
	CodeInvalidArgument         Code = "invalid_argument"
	CodeTimeWentBackwards       Code = "time_went_backwards"
	CodeNotFound                Code = "not_found"
	CodeNotOwner                Code = "not_owner"
	CodeZeroAmount              Code = "zero_amount"
	CodeInsufficientBalance     Code = "insufficient_balance"
	CodeOverflow                Code = "overflow"
	CodeFrozen                  Code = "frozen"
	CodePoolNotFound            Code = "pool_not_found"
	CodePoolPaused              Code = "pool_paused"
	CodePoolsNotAscending       Code = "pools_not_ascending"
	CodeIncompatiblePools       Code = "incompatible_pools"
	CodeMixedStrategies         Code = "mixed_strategies"
	CodeMaxLeverageExceeded     Code = "max_leverage_exceeded"
	CodePositionCommitted       Code = "position_committed"
	CodePositionNotCommitted    Code = "position_not_committed"
	CodeWithdrawDelayNotReached Code = "withdraw_delay_not_reached"
	CodePoolHasOngoingClaims    Code = "pool_has_ongoing_claims"
	CodeInsufficientLiquidity   Code = "insufficient_liquidity"
	CodeInsufficientCapacity    Code = "insufficient_capacity"
	CodeDurationBelowOneTick    Code = "duration_below_one_tick"
	CodeDurationOverflow        Code = "duration_overflow"
	CodeCoverExpired            Code = "cover_expired"
	CodeNotEnoughPremiums       Code = "not_enough_premiums"
	CodeRatioAboveCapacity      Code = "ratio_above_capacity"
	CodeClaimNotOpen            Code = "claim_not_open"
	CodeClaimAlreadyOpen        Code = "claim_already_open"
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

// CodeOf returns the code of err, or "" when err is not an *Error.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func fail(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// arith turns an arithmetic error from package ray into an overflow Error.
func arith(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, ray.ErrOverflow) || errors.Is(err, ray.ErrDivByZero) {
		return fail(CodeOverflow, "arithmetic out of range: %v", err)
	}
	return err
}

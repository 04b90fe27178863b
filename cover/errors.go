package cover

import (
	"errors"

	"github.com/vpool/vpool/failure"
	"github.com/vpool/vpool/ray"
)

// Code is a stable error code from docs/scenario.md: package failure's,
// which the swap market shares.
type Code = failure.Code

// The error codes of the cover market (docs/scenario.md, "Error codes").
const (
	CodeInvalidArgument              = failure.CodeInvalidArgument
	CodeTimeWentBackwards            = failure.CodeTimeWentBackwards
	CodeNotFound                     = failure.CodeNotFound
	CodeNotOwner                Code = "not_owner"
	CodeZeroAmount                   = failure.CodeZeroAmount
	CodeInsufficientBalance          = failure.CodeInsufficientBalance
	CodeOverflow                     = failure.CodeOverflow
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
	CodeInsufficientLiquidity        = failure.CodeInsufficientLiquidity
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
// command that returns an Error has changed nothing. It is package
// failure's, which the swap market shares.
type Error = failure.Error

// CodeOf returns the code of err, or "" when err is not an *Error.
func CodeOf(err error) Code { return failure.CodeOf(err) }

func fail(code Code, format string, args ...any) *Error { return failure.New(code, format, args...) }

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

package swap

import (
	"errors"
	"fmt"
)

// Code is a stable error code from spec/scenario.md and spec/swap.md §6.
type Code string

// The error codes of the swap market (spec/swap.md §6), new and reused.
const (
	CodeInvalidArgument             Code = "invalid_argument"
	CodeNotFound                    Code = "not_found"
	CodeZeroAmount                  Code = "zero_amount"
	CodeInsufficientBalance         Code = "insufficient_balance"
	CodeInsufficientLiquidity       Code = "insufficient_liquidity"
	CodeOverflow                    Code = "overflow"
	CodePairNotFound                Code = "pair_not_found"
	CodePairExists                  Code = "pair_exists"
	CodeIdenticalTokens             Code = "identical_tokens"
	CodeInvalidFee                  Code = "invalid_fee"
	CodeInvalidThreshold            Code = "invalid_threshold"
	CodePairClosed                  Code = "pair_closed"
	CodeTokenNotInPair              Code = "token_not_in_pair"
	CodeTokenNotAllowed             Code = "token_not_allowed"
	CodeAmountOutTooLarge           Code = "amount_out_too_large"
	CodeInsufficientInput           Code = "insufficient_input"
	CodeInsufficientOutput          Code = "insufficient_output"
	CodeExcessiveInput              Code = "excessive_input"
	CodeInsufficientAAmount         Code = "insufficient_a_amount"
	CodeInsufficientBAmount         Code = "insufficient_b_amount"
	CodeInsufficientLiquidityMinted Code = "insufficient_liquidity_minted"
	CodeInsufficientLiquidityBurned Code = "insufficient_liquidity_burned"
	CodeVPoolLocked                 Code = "vpool_locked"
	CodeInvalidVPool                Code = "invalid_vpool"
	CodeInvalidIKPair               Code = "invalid_ik_pair"
	CodeReserveRatioExceeded        Code = "reserve_ratio_exceeded"
	CodeBelowWarningThreshold       Code = "below_warning_threshold"
	CodeInvalidNativePool           Code = "invalid_native_pool"
	CodeExchangeUnderpaid           Code = "exchange_underpaid"
	CodeInvalidExchange             Code = "invalid_exchange"
	CodeOutOfRange                  Code = "out_of_range"
	CodeDivisionByZero              Code = "division_by_zero"
	CodeExpired                     Code = "expired"
	CodeNoRoute                     Code = "no_route"
	CodeTimeWentBackwards           Code = "time_went_backwards"
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

// errOverflow is a checked operation whose result would leave 0..2^256-1
// (or 0..2^112-1 for pair balances and cache values).
func errOverflow(what string) *Error {
	return &Error{Code: CodeOverflow, Msg: what + ": arithmetic overflow"}
}

func errDivByZero(what string) *Error {
	return &Error{Code: CodeDivisionByZero, Msg: what + ": division by zero"}
}

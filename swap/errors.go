package swap

import "github.com/vpool/vpool/failure"

// Code is a stable error code from docs/scenario.md and docs/swap.md §6:
// package failure's, which the cover market shares.
type Code = failure.Code

// The error codes of the swap market (docs/swap.md §6), new and reused.
const (
	CodeInvalidArgument                  = failure.CodeInvalidArgument
	CodeNotFound                         = failure.CodeNotFound
	CodeZeroAmount                       = failure.CodeZeroAmount
	CodeInsufficientBalance              = failure.CodeInsufficientBalance
	CodeInsufficientLiquidity            = failure.CodeInsufficientLiquidity
	CodeOverflow                         = failure.CodeOverflow
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
	CodeTimeWentBackwards                = failure.CodeTimeWentBackwards
)

// Error is a failed operation: a stable code and a human message. A
// command that returns an Error has changed nothing. It is package
// failure's, which the cover market shares.
type Error = failure.Error

// CodeOf returns the code of err, or "" when err is not an *Error.
func CodeOf(err error) Code { return failure.CodeOf(err) }

func fail(code Code, format string, args ...any) *Error { return failure.New(code, format, args...) }

// errOverflow is a checked operation whose result would leave 0..2^256-1
// (or 0..2^112-1 for pair balances and cache values).
func errOverflow(what string) *Error {
	return &Error{Code: CodeOverflow, Msg: what + ": arithmetic overflow"}
}

func errDivByZero(what string) *Error {
	return &Error{Code: CodeDivisionByZero, Msg: what + ": division by zero"}
}

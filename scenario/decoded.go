package scenario

import (
	"encoding/json"
	"fmt"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/swap"
)

// Decoded is one op with its args decoded for the engines: a cover
// command, a swap command, or both for setMarket (the cover settings and
// the swap market's blockTime). A server decodes a command once, to
// authorize it, and applies the result with ApplyDecoded.
type Decoded struct {
	Op    string
	Cover cover.Command
	Swap  swap.Command
}

// DecodeStep decodes any op of the scenario format: the cover ops of
// docs/scenario.md (setMarket with blockTime) and the swap ops of
// docs/swap.md §3. Bad args are invalid_argument.
func DecodeStep(op string, raw json.RawMessage) (Decoded, error) {
	d := Decoded{Op: op}
	var err error
	switch {
	case IsSwapOp(op):
		d.Swap, err = DecodeSwap(op, raw)
	case op == "setMarket":
		d.Cover, d.Swap, err = decodeSetMarket(raw)
	default:
		d.Cover, err = Decode(op, raw)
	}
	return d, err
}

// setMarketArgs decodes setMarket's args in a scenario step or a server
// command: the cover market's settings and the swap market's blockTime.
var setMarketArgs = args(func(a fileMarket) (fileMarket, error) { return a, nil })

// decodeSetMarket splits setMarket's args into the cover market's
// settings and the swap market's blockTime (nil when not given).
func decodeSetMarket(raw json.RawMessage) (cover.Command, swap.Command, error) {
	ma, err := setMarketArgs.decode(raw)
	if err != nil {
		return nil, nil, &cover.Error{Code: cover.CodeInvalidArgument, Msg: "setMarket: " + cleanJSONError(err)}
	}
	if ma.BlockTime == nil {
		return ma.command(), nil, nil
	}
	if *ma.BlockTime < 1 {
		return nil, nil, &cover.Error{Code: cover.CodeInvalidArgument, Msg: "setMarket: blockTime must be at least 1"}
	}
	return ma.command(), swap.SetBlockTime{Seconds: *ma.BlockTime}, nil
}

// ApplyDecoded applies a decoded op at time at; prev is the previous
// step's time. It is Apply without decoding the args again.
func (e *Engines) ApplyDecoded(at, prev uint64, d Decoded) (any, error) {
	if err := e.advance(at, prev, d.Op); err != nil {
		return nil, err
	}
	return e.apply(at, d)
}

// advance checks that time does not go backwards and records the step's
// time, and whether the swap market is now in use.
func (e *Engines) advance(at, prev uint64, op string) error {
	if at < prev {
		return &cover.Error{Code: cover.CodeTimeWentBackwards, Msg: fmt.Sprintf("step at %d comes after a step at %d", at, prev)}
	}
	e.last = max(e.last, at)
	if IsSwapOp(op) {
		e.swapInUse = true
	}
	return nil
}

// apply routes a decoded op: the cover part first, then the swap part
// (setMarket's blockTime, which cannot fail once decoded).
func (e *Engines) apply(at uint64, d Decoded) (any, error) {
	var res any
	if d.Cover != nil {
		var err error
		if res, err = e.Cover.Apply(at, d.Cover); err != nil || d.Swap == nil {
			return res, err
		}
	}
	e.swapInUse = true
	return e.Swap.Apply(at, d.Swap)
}

// SwapInUse reports whether states and the state hash carry the swap
// market (the file configured blockTime or a swap op was applied).
func (e *Engines) SwapInUse() bool { return e.swapInUse }

// Last is the time of the latest step applied (what StateHash and the
// swap market's encoding are taken at).
func (e *Engines) Last() uint64 { return e.last }

// RestoreEngines rebuilds the engines from the canonical encodings
// StateHash is taken of (cover.Restore and swap.Restore): the swap part
// is empty when the swap market is not in use; last is Last of the
// engines encoded.
func RestoreEngines(coverState, swapState []byte, swapInUse bool, last uint64) (*Engines, error) {
	c, err := cover.Restore(coverState)
	if err != nil {
		return nil, err
	}
	e := &Engines{Cover: c, swapInUse: swapInUse, last: last}
	if !swapInUse {
		if len(swapState) > 0 {
			return nil, fmt.Errorf("scenario: a swap market state for engines that do not use it")
		}
		e.Swap = swap.New(ledgerAccounts{c})
		return e, nil
	}
	if e.Swap, err = swap.Restore(ledgerAccounts{c}, swapState, last); err != nil {
		return nil, err
	}
	return e, nil
}

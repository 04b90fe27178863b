package scenario

import (
	"encoding/json"
	"maps"
	"slices"

	"github.com/vpool/vpool/failure"
)

// decoder turns an op's args into a command of one market: C is
// cover.Command or swap.Command.
type decoder[C any] func(args json.RawMessage) (C, error)

// args decodes raw strictly into a fresh T and converts it with build;
// no args at all are {}.
func args[C, T any](build func(T) (C, error)) decoder[C] {
	return func(raw json.RawMessage) (C, error) {
		var a T
		if len(raw) == 0 {
			raw = json.RawMessage("{}")
		}
		if err := DecodeStrict(raw, &a); err != nil {
			var none C
			return none, err
		}
		return build(a)
	}
}

// decodeOp decodes op's args with its decoder in ops; an unknown op or
// bad args are a *failure.Error with code invalid_argument.
func decodeOp[C any](ops map[string]decoder[C], op string, raw json.RawMessage) (C, error) {
	var none C
	dec, ok := ops[op]
	if !ok {
		return none, failure.New(failure.CodeInvalidArgument, "unknown op %q", op)
	}
	cmd, err := dec(raw)
	if err != nil {
		return none, failure.New(failure.CodeInvalidArgument, "%s: %s", op, cleanJSONError(err))
	}
	return cmd, nil
}

// opNames returns the ops of a decoder table, sorted.
func opNames[C any](ops map[string]decoder[C]) []string { return slices.Sorted(maps.Keys(ops)) }

package scenario

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/vpool/vpool/failure"
)

// decoder turns an op's args into a command of one market: C is
// cover.Command or swap.Command.
type decoder[C any] struct {
	decode func(args json.RawMessage) (C, error)
	// required and optional are the JSON names of the args, in the
	// order of the args struct.
	required, optional []string
}

// args decodes raw strictly into a fresh T and converts it with build.
// Every field of T (embedded structs included) is a required arg unless
// it is tagged `arg:"optional"`; an Account field, when given, must hold
// a valid account name. No arg may be null; no args at all, or null args,
// are {}.
func args[C, T any](build func(T) (C, error)) decoder[C] {
	f := argFieldsOf(reflect.TypeFor[T]())
	return decoder[C]{required: f.required, optional: f.optional, decode: func(raw json.RawMessage) (C, error) {
		var none C
		if len(raw) == 0 || string(raw) == "null" {
			raw = json.RawMessage("{}")
		}
		var a T
		if err := DecodeStrict(raw, &a); err != nil {
			return none, err
		}
		if err := checkArgsGiven(raw, f); err != nil {
			return none, err
		}
		return build(a)
	}}
}

// argFields is what args knows of an args struct: the JSON names of its
// required and optional args, and of those of type Account.
type argFields struct {
	required, optional, accounts []string
}

var accountType = reflect.TypeFor[Account]()

// argFieldsOf lists the args of struct type t, flattening embedded
// structs as encoding/json does.
func argFieldsOf(t reflect.Type) argFields {
	var f argFields
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			sf := t.Field(i)
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct {
				walk(sf.Type)
				continue
			}
			if name == "" || name == "-" {
				panic(fmt.Sprintf("scenario: arg field %s has no JSON name", sf.Name))
			}
			optional := sf.Tag.Get("arg") == "optional"
			if optional {
				f.optional = append(f.optional, name)
			} else {
				f.required = append(f.required, name)
			}
			if sf.Type == accountType {
				f.accounts = append(f.accounts, name)
			}
		}
	}
	walk(t)
	return f
}

// decodeOp decodes op's args with its decoder in ops; an unknown op or
// bad args are a *failure.Error with code invalid_argument.
func decodeOp[C any](ops map[string]decoder[C], op string, raw json.RawMessage) (C, error) {
	var none C
	dec, ok := ops[op]
	if !ok {
		return none, failure.New(failure.CodeInvalidArgument, "unknown op %q", op)
	}
	cmd, err := dec.decode(raw)
	if err != nil {
		return none, failure.New(failure.CodeInvalidArgument, "%s: %s", op, cleanJSONError(err))
	}
	return cmd, nil
}

// opNames returns the ops of a decoder table, sorted.
func opNames[C any](ops map[string]decoder[C]) []string { return slices.Sorted(maps.Keys(ops)) }

// OpArgs returns the names of op's required and optional args, in the
// order of its args struct; ok is false for an unknown op.
func OpArgs(op string) (required, optional []string, ok bool) {
	if op == "setMarket" {
		return setMarketArgs.required, setMarketArgs.optional, true
	}
	if d, found := coverOps[op]; found {
		return d.required, d.optional, true
	}
	if d, found := swapOps[op]; found {
		return d.required, d.optional, true
	}
	return nil, nil, false
}

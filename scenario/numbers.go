package scenario

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/vpool/vpool/ray"
)

const maxSafeInteger = 1<<53 - 1

// Amount is a token amount: a decimal string in base units, or a JSON
// integer below 2^53.
type Amount struct{ ray.Int }

// UnmarshalJSON accepts "123" or 123 (below 2^53); null leaves a
// unchanged (the args decoder refuses it, naming the arg).
func (a *Amount) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	v, err := parseAmount(b)
	a.Int = v
	return err
}

func parseAmount(b []byte) (ray.Int, error) {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return ray.Int{}, err
		}
		v, err := ray.ParseAmount(s)
		if err != nil {
			return v, fmt.Errorf("amount %q is not a decimal integer below 2^256", s)
		}
		return v, nil
	}
	v, err := ray.ParseAmount(string(b))
	if err != nil || !v.IsUint64() || v.Uint64() > maxSafeInteger {
		return v, fmt.Errorf("amount %s must be a decimal string (numbers only below 2^53)", b)
	}
	return v, nil
}

// MaxAmount is an Amount that may also be the string "max".
type MaxAmount struct {
	Amount
	Max bool
}

// UnmarshalJSON accepts an Amount or "max".
func (a *MaxAmount) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte(`"max"`)) {
		a.Max = true
		return nil
	}
	return a.Amount.UnmarshalJSON(b)
}

// Percent is a rate written in percent ("1.5" is 1.5%), stored as the
// exact ray integer.
type Percent struct{ ray.Int }

// UnmarshalJSON accepts "1.5" or 1.5 written in plain decimal notation;
// null leaves p unchanged (the args decoder refuses it, naming the arg).
func (p *Percent) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	v, err := ray.ParsePercent(s)
	if err != nil {
		return fmt.Errorf("rate %s is not an exact percent with at most 27 decimals", b)
	}
	p.Int = v
	return nil
}

// RayValue is a raw ray integer written as a decimal string (or a JSON
// integer below 2^53).
type RayValue = Amount

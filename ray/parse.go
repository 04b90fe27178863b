package ray

import (
	"errors"
	"fmt"
	"strings"
)

// ErrSyntax reports a number string that is not a plain decimal of the
// expected form (digits, and for percents an optional dot followed by 1 to
// 27 digits; no sign, exponent, space or stray dot).
var ErrSyntax = errors.New("ray: invalid number syntax")

// PercentDecimals is the number of fractional digits a percent may carry:
// a percent p is stored as the ray integer p·10^27, exactly.
const PercentDecimals = 27

// chunkDigits is the largest number of decimal digits that always fits in a
// uint64 (10^19 - 1 < 2^64).
const chunkDigits = 19

// pow10 holds 10^0 .. 10^27.
var pow10 = func() (t [PercentDecimals + 1]Int) {
	t[0].SetOne()
	ten := U64(10)
	for i := 1; i < len(t); i++ {
		t[i].Mul(&t[i-1], &ten)
	}
	return t
}()

// ParsePercent converts a percent written as a decimal string ("80", "1.5",
// "0.000001") into its exact ray value p·10^27; it fails with ErrSyntax on
// anything but digits with an optional dot and 1 to 27 fractional digits,
// and with ErrOverflow when the value exceeds 2^256-1.
func ParsePercent(s string) (Int, error) {
	return parseFixed(s, PercentDecimals, "percent")
}

// ParseAmount converts a non-negative decimal integer string ("0",
// "1000000") into an Int; it fails with ErrSyntax on anything but digits and
// with ErrOverflow when the value exceeds 2^256-1.
func ParseAmount(s string) (Int, error) {
	return parseFixed(s, 0, "amount")
}

// FormatPercent writes the ray value x as a percent, the shortest exact
// decimal ("1.5", "80", "0.000001", "0"); ParsePercent reverses it.
func FormatPercent(x Int) string {
	// 2^256-1 has 78 digits, written as up to 5 chunks of 19, plus the dot.
	var buf [5*chunkDigits + 1]byte
	n := len(buf) - 1
	start := putDigits(buf[:n], x, PercentDecimals+1)
	// Shift the 27 fractional digits right by one to make room for the dot.
	dot := n - PercentDecimals
	copy(buf[dot+1:], buf[dot:n])
	buf[dot] = '.'
	end := len(buf)
	for buf[end-1] == '0' {
		end--
	}
	if buf[end-1] == '.' {
		end--
	}
	return string(buf[start:end])
}

// parseFixed parses digits[.fraction] with at most frac fractional digits
// (none when frac is 0) and returns the value scaled by 10^frac.
func parseFixed(s string, frac int, kind string) (Int, error) {
	whole, fraction, dotted := strings.Cut(s, ".")
	if !isDigits(whole) || (dotted && (!isDigits(fraction) || len(fraction) > frac)) {
		return Int{}, fmt.Errorf("%w: %s %q", ErrSyntax, kind, clip(s))
	}
	var z Int
	if !accumulate(&z, whole) || !accumulate(&z, fraction) {
		return Int{}, fmt.Errorf("%w: %s %q", ErrOverflow, kind, clip(s))
	}
	if _, over := z.MulOverflow(&z, &pow10[frac-len(fraction)]); over {
		return Int{}, fmt.Errorf("%w: %s %q", ErrOverflow, kind, clip(s))
	}
	return z, nil
}

// isDigits reports whether s is non-empty and made of ASCII digits only.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// accumulate sets z to z·10^len(digits) + digits, 19 digits at a time, and
// reports false on overflow. digits must be ASCII digits.
func accumulate(z *Int, digits string) bool {
	for digits != "" {
		n := min(len(digits), chunkDigits)
		var c uint64
		for i := 0; i < n; i++ {
			c = c*10 + uint64(digits[i]-'0')
		}
		digits = digits[n:]
		var chunk Int
		chunk.SetUint64(c)
		if _, over := z.MulOverflow(z, &pow10[n]); over {
			return false
		}
		if _, over := z.AddOverflow(z, &chunk); over {
			return false
		}
	}
	return true
}

// putDigits writes the decimal digits of x right-aligned into buf, padded
// with leading zeros to at least minDigits, and returns the index of the
// first digit. buf must hold 5·19 bytes and minDigits must be at most that.
func putDigits(buf []byte, x Int, minDigits int) int {
	i := len(buf)
	for {
		var rem Int
		x.DivMod(&x, &pow10[chunkDigits], &rem)
		c := rem.Uint64()
		for range chunkDigits {
			i--
			buf[i] = byte('0' + c%10)
			c /= 10
		}
		if x.IsZero() && len(buf)-i >= minDigits {
			break
		}
	}
	for i < len(buf)-minDigits && buf[i] == '0' {
		i++
	}
	return i
}

// clip shortens s for an error message.
func clip(s string) string {
	const limit = 40
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "..."
}

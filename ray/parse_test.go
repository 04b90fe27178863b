package ray

import (
	"errors"
	"strings"
	"testing"
)

const maxDec = "115792089237316195423570985008687907853269984665640564039457584007913129639935"

func TestParsePercent(t *testing.T) {
	cases := []struct {
		in   string
		want string // ray integer, or empty when err is expected
		err  error
	}{
		{"0", "0", nil},
		{"1", "1000000000000000000000000000", nil},
		{"100", "100000000000000000000000000000", nil},
		{"80", "80000000000000000000000000000", nil},
		{"1.5", "1500000000000000000000000000", nil},
		{"0.000001", "1000000000000000000000", nil},
		{"0.000000000000000000000000001", "1", nil},
		{"007", "7000000000000000000000000000", nil},
		{"0.0", "0", nil},
		{"1.000000000000000000000000000", "1000000000000000000000000000", nil},
		{"12345678901234567890.123456789012345678901234567", "12345678901234567890123456789012345678901234567", nil},
		// The largest percent: (2^256-1) / 10^27 with 27 decimals.
		{maxDec[:51] + "." + maxDec[51:], maxDec, nil},
		{"0000000000000000000000000000000000000000000000000000000000000000000000000000000000001", "1000000000000000000000000000", nil},

		{"", "", ErrSyntax},
		{".", "", ErrSyntax},
		{"1.", "", ErrSyntax},
		{".5", "", ErrSyntax},
		{"+1", "", ErrSyntax},
		{"-1", "", ErrSyntax},
		{"-0", "", ErrSyntax},
		{"1e3", "", ErrSyntax},
		{"1E3", "", ErrSyntax},
		{" 1", "", ErrSyntax},
		{"1 ", "", ErrSyntax},
		{"1\n", "", ErrSyntax},
		{"1_000", "", ErrSyntax},
		{"1,5", "", ErrSyntax},
		{"1.2.3", "", ErrSyntax},
		{"0x10", "", ErrSyntax},
		{"١", "", ErrSyntax}, // Arabic-Indic digit one
		{"0.0000000000000000000000000001", "", ErrSyntax},
		{"1.0000000000000000000000000000", "", ErrSyntax},
		{"NaN", "", ErrSyntax},
		{"Inf", "", ErrSyntax},

		{maxDec[:51] + "." + maxDec[51:77] + "6", "", ErrOverflow},
		{maxDec[:50] + "1", "", ErrOverflow},
		{maxDec, "", ErrOverflow},
		{"1" + strings.Repeat("0", 100), "", ErrOverflow},
	}
	for _, c := range cases {
		got, err := ParsePercent(c.in)
		if c.want == "" {
			if !errors.Is(err, c.err) {
				t.Errorf("ParsePercent(%q) = (%v, %v), want error %v", c.in, &got, err, c.err)
			}
			continue
		}
		if err != nil || got.Dec() != c.want {
			t.Errorf("ParsePercent(%q) = (%v, %v), want %s", c.in, &got, err, c.want)
		}
	}
}

func TestParseAmount(t *testing.T) {
	cases := []struct {
		in   string
		want string
		err  error
	}{
		{"0", "0", nil},
		{"1000000", "1000000", nil},
		{"00042", "42", nil},
		{"18446744073709551616", "18446744073709551616", nil},
		{maxDec, maxDec, nil},
		{"0000000000000000000000000000000000000000000000000000000000000000000000000000000000001", "1", nil},

		{"", "", ErrSyntax},
		{"1.5", "", ErrSyntax},
		{"1.0", "", ErrSyntax},
		{"1.", "", ErrSyntax},
		{"+1", "", ErrSyntax},
		{"-1", "", ErrSyntax},
		{"1e6", "", ErrSyntax},
		{" 1", "", ErrSyntax},
		{"1_000", "", ErrSyntax},

		{"115792089237316195423570985008687907853269984665640564039457584007913129639936", "", ErrOverflow},
		{maxDec + "0", "", ErrOverflow},
	}
	for _, c := range cases {
		got, err := ParseAmount(c.in)
		if c.want == "" {
			if !errors.Is(err, c.err) {
				t.Errorf("ParseAmount(%q) = (%v, %v), want error %v", c.in, &got, err, c.err)
			}
			continue
		}
		if err != nil || got.Dec() != c.want {
			t.Errorf("ParseAmount(%q) = (%v, %v), want %s", c.in, &got, err, c.want)
		}
	}
}

func TestFormatPercent(t *testing.T) {
	cases := []struct{ ray, want string }{
		{"0", "0"},
		{"1", "0.000000000000000000000000001"},
		{"1000000000000000000000000000", "1"},
		{"1500000000000000000000000000", "1.5"},
		{"80000000000000000000000000000", "80"},
		{"100000000000000000000000000000", "100"},
		{"1000000000000000000000", "0.000001"},
		{"10958904109589041095890410959", "10.958904109589041095890410959"},
		{"10000000000000000000000000000000000000000000000", "10000000000000000000"},
		{maxDec, maxDec[:51] + "." + maxDec[51:]},
	}
	for _, c := range cases {
		x, err := ParseAmount(c.ray)
		if err != nil {
			t.Fatal(err)
		}
		if got := FormatPercent(x); got != c.want {
			t.Errorf("FormatPercent(%s) = %q, want %q", c.ray, got, c.want)
		}
	}
}

func TestParseErrorMessage(t *testing.T) {
	_, err := ParsePercent("1.2.3")
	if got, want := err.Error(), `ray: invalid number syntax: percent "1.2.3"`; got != want {
		t.Errorf("error %q, want %q", got, want)
	}
	_, err = ParseAmount(strings.Repeat("9", 1000))
	if got := err.Error(); len(got) > 100 || !strings.HasPrefix(got, "ray: arithmetic overflow: amount \"9999") {
		t.Errorf("long input gives error %q", got)
	}
}

package swap

import "github.com/vpool/vpool/ray"

// Int is the 256-bit unsigned integer every amount is made of.
type Int = ray.Int

const (
	// FeeFactor is F of docs/swap.md §2.1: fees are parts per 1000 kept.
	FeeFactor = 1000
	// RatioFactor is R: reserve ratios are in 10^-5 units, 100000 = 100%.
	RatioFactor = 100000
)

var (
	feeFactor   = ray.U64(FeeFactor)
	ratioFactor = ray.U64(RatioFactor)
	// balanceLimit is 2^112: pair balances and cache values stay below it.
	balanceLimit = *new(Int).Lsh(new(Int).SetOne(), 112)
)

func u64(v uint64) Int { return ray.U64(v) }

// mul is the checked product a·b. A product of operands whose bit
// lengths add up to at most 256 cannot overflow, and the truncated
// product is then cheaper than the full 512-bit one.
func mul(a, b *Int, what string) (Int, error) {
	var z Int
	if a.BitLen()+b.BitLen() <= 256 {
		return *z.Mul(a, b), nil
	}
	if _, over := z.MulOverflow(a, b); over {
		return z, errOverflow(what)
	}
	return z, nil
}

// add is the checked sum a+b.
func add(a, b *Int, what string) (Int, error) {
	var z Int
	if _, over := z.AddOverflow(a, b); over {
		return z, errOverflow(what)
	}
	return z, nil
}

// sub is the checked difference a−b (b > a is an overflow, as in Solidity).
func sub(a, b *Int, what string) (Int, error) {
	var z Int
	if _, under := z.SubOverflow(a, b); under {
		return z, errOverflow(what)
	}
	return z, nil
}

// div is floor(a/b); b = 0 is division_by_zero.
func div(a, b *Int, what string) (Int, error) {
	var z Int
	if b.IsZero() {
		return z, errDivByZero(what)
	}
	return *z.Div(a, b), nil
}

// mulDiv is floor(a·b/d) with a checked product.
func mulDiv(a, b, d *Int, what string) (Int, error) {
	p, err := mul(a, b, what)
	if err != nil {
		return p, err
	}
	return div(&p, d, what)
}

func minInt(a, b Int) Int {
	if a.Lt(&b) {
		return a
	}
	return b
}

// GetAmountOut is §2.1 getAmountOut: (in·f·bOut) / (bIn·F + in·f),
// evaluated left to right with checked arithmetic.
func GetAmountOut(in, bIn, bOut Int, fee uint64) (Int, error) {
	f := u64(fee)
	inF, err := mul(&in, &f, "getAmountOut")
	if err != nil {
		return inF, err
	}
	num, err := mul(&inF, &bOut, "getAmountOut")
	if err != nil {
		return num, err
	}
	den, err := mul(&bIn, &feeFactor, "getAmountOut")
	if err != nil {
		return den, err
	}
	if den, err = add(&den, &inF, "getAmountOut"); err != nil {
		return den, err
	}
	return div(&num, &den, "getAmountOut")
}

// GetAmountIn is §2.1 getAmountIn: (bIn·out·F) / ((bOut − out)·f) + 1.
// It requires out < bOut (callers check it first: amount_out_too_large).
func GetAmountIn(out, bIn, bOut Int, fee uint64) (Int, error) {
	if !out.Lt(&bOut) {
		return Int{}, fail(CodeAmountOutTooLarge, "amount out %s is not below the balance %s", out.Dec(), bOut.Dec())
	}
	num, err := mul(&bIn, &out, "getAmountIn")
	if err != nil {
		return num, err
	}
	if num, err = mul(&num, &feeFactor, "getAmountIn"); err != nil {
		return num, err
	}
	var rest Int
	rest.Sub(&bOut, &out)
	f := u64(fee)
	den, err := mul(&rest, &f, "getAmountIn")
	if err != nil {
		return den, err
	}
	q, err := div(&num, &den, "getAmountIn")
	if err != nil {
		return q, err
	}
	one := u64(1)
	return add(&q, &one, "getAmountIn")
}

// Quote is §2.1 quote: a·bB / bA, the amount of B worth a of A at the
// ratio of the balances, with no fee.
func Quote(a, bA, bB Int) (Int, error) {
	if a.IsZero() {
		return a, fail(CodeZeroAmount, "quote of 0")
	}
	if bA.IsZero() || bB.IsZero() {
		return a, fail(CodeInsufficientLiquidity, "quote on an empty balance")
	}
	return mulDiv(&a, &bB, &bA, "quote")
}

// ReserveRatio is §2.2: sum·100000 / (2·balance0), 0 when balance0 = 0.
func ReserveRatio(sum, balance0 Int) (Int, error) {
	if balance0.IsZero() {
		return Int{}, nil
	}
	num, err := mul(&sum, &ratioFactor, "reserve ratio")
	if err != nil {
		return num, err
	}
	var den Int
	den.Lsh(&balance0, 1)
	return *num.Div(&num, &den), nil
}

// withinRatio fails where ReserveRatio(sum, balance0) fails or exceeds
// max, without dividing: floor(sum·R / (2·balance0)) ≤ max exactly when
// sum·R < (max + 1)·2·balance0.
func withinRatio(sum, balance0, max Int) error {
	if balance0.IsZero() {
		return nil
	}
	num, err := mul(&sum, &ratioFactor, "reserve ratio")
	if err != nil {
		return err
	}
	var limit, den Int
	den.Lsh(&balance0, 1)
	if _, over := limit.AddOverflow(&max, new(Int).SetOne()); over {
		return nil
	}
	if _, over := limit.MulOverflow(&limit, &den); over || num.Lt(&limit) {
		return nil
	}
	return fail(CodeReserveRatioExceeded, "the reserve ratio would pass its maximum %s", max.Dec())
}

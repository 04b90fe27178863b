package swap

import "github.com/vpool/vpool/ray"

// RoutePrice is what a quoted trade costs beyond the amounts, in parts
// per million: the share of the input the route's fees keep, and the
// price impact, how much less the trade pays than the route's pre-trade
// price after fees would (the slippage of its size alone). They are
// views for people, rounded down to the ppm; nothing is accounted with
// them.
type RoutePrice struct {
	FeePPM         uint64 `json:"feePpm"`
	PriceImpactPPM uint64 `json:"priceImpactPpm"`
}

const ppm = 1_000_000

// spotShift is the fixed point in which a trade is valued at spot: 2^64
// per base unit of tokenOut, so that the floors of the valuation (one per
// hop) are far below what a ppm of any amount out can tell apart.
const spotShift = 64

// atSpot is what amountIn would pay through the route at its pre-trade
// price after fees (Π f·bOut / (F·bIn) over its hops, or vFee·v1 /
// (F·v0) for a virtual pool), in 2^-64 units of tokenOut, and the route's
// fee in ppm. ok is false when a balance is 0 or the value passes 2^256.
func (pr *pricedRoute) atSpot(amountIn Int) (value Int, feePPM uint64, ok bool) {
	value = amountIn
	kept, scale := uint64(1), uint64(1) // Π f and 1000^hops
	first := true
	hop := func(f uint64, bIn, bOut Int) bool {
		num, den := u64(f), u64(FeeFactor)
		if first { // the fixed point goes in with the first hop's price
			num.Lsh(&num, spotShift)
			first = false
		}
		var err error
		if num, err = mul(&num, &bOut, "spot"); err != nil {
			return false
		}
		if den, err = mul(&den, &bIn, "spot"); err != nil {
			return false
		}
		value, err = mulDivWide(value, num, den)
		kept, scale = kept*f, scale*FeeFactor
		return err == nil
	}
	if pr.route.Kind == VirtualKind {
		ok = hop(pr.vp.jk.vFee, pr.vp.v0, pr.vp.v1)
	} else {
		ok = true
		for i, p := range pr.hops {
			ok = ok && hop(p.fee, p.bal(pr.path[i]), p.bal(pr.path[i+1]))
		}
	}
	return value, (scale - kept) * (ppm / scale), ok
}

// routePrice is the price of a route's quoted amounts on the market as it
// stands (before the trade).
func (m *Market) routePrice(res RouteResult, tokenIn, tokenOut string, block uint64) RoutePrice {
	var pr pricedRoute
	if err := m.priceRoute(&pr, res.Route, tokenIn, tokenOut, block); err != nil {
		return RoutePrice{}
	}
	value, fee, ok := pr.atSpot(res.AmountIn)
	if !ok {
		return RoutePrice{}
	}
	return RoutePrice{FeePPM: fee, PriceImpactPPM: impact(res.AmountOut, value)}
}

// SplitQuote is a split trade as quoted, with its price: the fee is the
// legs' fees weighed by their amounts in, and the price impact is against
// what each leg would pay at its route's pre-trade price after fees.
type SplitQuote struct {
	SplitResult
	RoutePrice
}

// splitPrice prices a split planned on the market as it stands, from its
// legs' priced routes.
func splitPrice(res *SplitResult, legs []*pricedRoute) RoutePrice {
	var total, weighed Int
	for i, leg := range res.Legs {
		value, fee, ok := legs[i].atSpot(leg.AmountIn)
		if !ok {
			return RoutePrice{}
		}
		var err error
		if total, err = add(&total, &value, "spot"); err != nil {
			return RoutePrice{}
		}
		f := u64(fee)
		w, err := mul(&leg.AmountIn, &f, "fee")
		if err != nil {
			return RoutePrice{}
		}
		if weighed, err = add(&weighed, &w, "fee"); err != nil {
			return RoutePrice{}
		}
	}
	weighed.Div(&weighed, &res.AmountIn)
	return RoutePrice{FeePPM: weighed.Uint64(), PriceImpactPPM: impact(res.AmountOut, total)}
}

// impact is 1 − out/atSpot in ppm, rounded down (atSpot in 2^-64 units),
// 0 when out is not below atSpot.
func impact(out, atSpot Int) uint64 {
	var scaled Int
	if out.BitLen()+spotShift > 256 {
		return 0
	}
	scaled.Lsh(&out, spotShift)
	if !scaled.Lt(&atSpot) {
		return 0
	}
	short := *new(Int).Sub(&atSpot, &scaled)
	v, err := mulDivWide(short, u64(ppm), atSpot)
	if err != nil {
		return 0
	}
	return v.Uint64()
}

// mulDivWide is floor(a·b/d) with a 512-bit intermediate where a·b does
// not fit in 256 bits.
func mulDivWide(a, b, d Int) (Int, error) {
	if a.BitLen()+b.BitLen() <= 256 {
		return div(new(Int).Mul(&a, &b), &d, "spot")
	}
	return ray.MulDivFull(a, b, d)
}

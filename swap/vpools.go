package swap

import "math/big"

// VirtualPoolsView is every virtual pool between two tokens as it stands
// at a time, beside the native pair: what the dashboard shows of them.
// Prices are what one unit of tokenIn (a whole token: the caller says how
// many base units that is) gets at the pool's price before the trade,
// after its fee, in base units of tokenOut.
type VirtualPoolsView struct {
	TokenIn  string            `json:"tokenIn"`
	TokenOut string            `json:"tokenOut"`
	Block    uint64            `json:"block"`
	Native   *NativePoolView   `json:"native"`
	Pools    []VirtualPoolView `json:"pools"`
}

// NativePoolView is the native pair of two tokens and its price.
type NativePoolView struct {
	Pair       int    `json:"pair"`
	BalanceIn  string `json:"balanceIn"`
	BalanceOut string `json:"balanceOut"`
	Fee        uint64 `json:"fee"`
	OutPerUnit string `json:"outPerUnit"`
}

// VirtualPoolView is one virtual pool (docs/swap.md §1, §2.3): its active
// and reference pairs, the common token, its virtual balances (the MIN
// formula, or within the block of its last trade the cached ones), its
// fee and price, and how that price compares with the native pair's in
// ppm (positive: the virtual pool pays more). A pool that cannot trade
// now (its reference pair locked) has Error instead of figures.
type VirtualPoolView struct {
	Route       Route  `json:"route"`
	Via         string `json:"via"`
	BalanceIn   string `json:"balanceIn,omitempty"`
	BalanceOut  string `json:"balanceOut,omitempty"`
	Cached      bool   `json:"cached"`
	VFee        uint64 `json:"vFee"`
	OutPerUnit  string `json:"outPerUnit,omitempty"`
	VsNativePPM *int64 `json:"vsNativePpm,omitempty"`
	Error       Code   `json:"error,omitempty"`
	Message     string `json:"message,omitempty"`
}

// VirtualPools is the view of every virtual pool trading tokenIn for
// tokenOut at time at (the candidates of the router, in jk id order),
// priced for unit base units of tokenIn. It changes nothing.
func (m *Market) VirtualPools(at uint64, tokenIn, tokenOut string, unit Int) (VirtualPoolsView, error) {
	v := VirtualPoolsView{TokenIn: tokenIn, TokenOut: tokenOut, Block: m.Block(at), Pools: []VirtualPoolView{}}
	if err := m.tokens2(tokenIn, tokenOut); err != nil {
		return v, err
	}
	block := m.Block(at)
	var native Int
	hasNative := false
	if routes := m.appendNative(nil, tokenIn, tokenOut); len(routes) > 0 {
		var pr pricedRoute
		_ = m.priceRoute(&pr, routes[0], tokenIn, tokenOut, block)
		p := pr.hops[0]
		v.Native = &NativePoolView{Pair: p.id, Fee: p.fee, BalanceIn: decimal(p.bal(tokenIn)), BalanceOut: decimal(p.bal(tokenOut))}
		if value, _, ok := pr.atSpot(unit); ok {
			native, hasNative = value, !value.IsZero()
			v.Native.OutPerUnit = decimal(fromSpot(value))
		}
	}
	for _, r := range m.appendVirtual(nil, tokenIn, tokenOut) {
		jk, ik := m.pairs[r.JK], m.pairs[r.IK]
		k, _ := commonToken(jk, ik)
		pv := VirtualPoolView{Route: r, Via: k, VFee: jk.vFee}
		var pr pricedRoute
		if err := m.priceRoute(&pr, r, tokenIn, tokenOut, block); err != nil {
			pv.Error, pv.Message = CodeOf(err), err.Error()
			if fe, ok := err.(*Error); ok {
				pv.Message = fe.Msg
			}
			v.Pools = append(v.Pools, pv)
			continue
		}
		e, cached := m.cache[[2]int{jk.id, ik.id}]
		pv.Cached = cached && e.block == block
		pv.BalanceIn, pv.BalanceOut = pr.vp.v0.Dec(), pr.vp.v1.Dec()
		if value, _, ok := pr.atSpot(unit); ok {
			pv.OutPerUnit = decimal(fromSpot(value))
			if hasNative {
				d := new(big.Int).Sub(value.ToBig(), native.ToBig())
				d.Mul(d, big.NewInt(ppm)).Quo(d, native.ToBig())
				ppmDiff := d.Int64()
				pv.VsNativePPM = &ppmDiff
			}
		}
		v.Pools = append(v.Pools, pv)
	}
	return v, nil
}

func decimal(v Int) string { return v.Dec() }

// fromSpot is a value in 2^-64 units as whole base units, rounded down.
func fromSpot(value Int) Int { return *new(Int).Rsh(&value, spotShift) }

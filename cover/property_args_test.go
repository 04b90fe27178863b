package cover

// The values generated commands carry: time steps, amounts, premiums, ids,
// accounts, curves and fee rates.

import (
	"github.com/holiman/uint256"

	"github.com/vpool/vpool/ray"
)

// delta is a time step: often zero or seconds, up to months when long.
func (h *propHarness) delta(long bool) uint64 {
	if !long {
		switch h.u(0, 5, "dt") {
		case 0, 1:
			return 0
		case 2:
			return uint64(h.u(1, 59, "dt.s"))
		case 3:
			return uint64(h.u(1, 3600, "dt.s"))
		case 4:
			return uint64(h.u(1, 12, "dt.h"))*3600 + uint64(h.u(0, 3599, "dt.s"))
		}
		return uint64(h.u(1, 3, "dt.d"))*Day + uint64(h.u(0, 86399, "dt.s"))
	}
	switch h.u(0, 4, "adv") {
	case 0:
		return uint64(h.u(1, 59, "adv.s"))
	case 1:
		return uint64(h.u(1, 48, "adv.h"))*3600 + uint64(h.u(0, 3599, "adv.s"))
	case 2, 3:
		return uint64(h.u(1, 30, "adv.d"))*Day + uint64(h.u(0, 86399, "adv.s"))
	}
	return uint64(h.u(1, 6, "adv.mo"))*30*Day + uint64(h.u(0, 86399, "adv.s"))
}

// at is the time of the next command.
func (h *propHarness) at() uint64 {
	h.now += h.delta(false)
	return h.now
}

func propPow10(n int) Int {
	var z Int
	z.Exp(uint256.NewInt(10), uint256.NewInt(uint64(n)))
	return z
}

func propU64(v int) Int { return ray.U64(uint64(v)) }

// propPct is n·10^-decimals percent, in ray percent.
func propPct(n, decimals int) Int {
	var z Int
	p := propPow10(ray.PercentDecimals - decimals)
	n256 := propU64(n)
	z.Mul(&n256, &p)
	return z
}

func propDecimals(asset string) int {
	for _, a := range propAssets {
		if a.Symbol == asset {
			return int(a.Decimals)
		}
	}
	return 6
}

// money is a plausible amount of asset: 1..999 times 10^e, e around the
// asset's decimals.
func (h *propHarness) money(asset, label string) Int {
	dec := propDecimals(asset)
	mant := propU64(h.u(1, 999, label+".m"))
	top := 5
	if h.sane {
		top = 2
	}
	e := max(0, dec+h.u(-3, top, label+".e"))
	p := propPow10(e)
	var z Int
	z.Mul(&mant, &p)
	return z
}

func (h *propHarness) huge(label string) Int {
	if h.chance(3, label+".max") {
		return *new(Int).SetAllOne()
	}
	var z Int
	one := propU64(1)
	z.Lsh(&one, uint(h.u(90, 250, label+".bits")))
	return z
}

// around is ref, or a value close to it.
func (h *propHarness) around(label string, ref Int) Int {
	var z Int
	one := propU64(1)
	switch h.u(0, 7, label+".v") {
	case 1:
		f, hundred := propU64(h.u(1, 99, label+".pct")), propU64(100)
		z.Mul(&ref, &f)
		return *z.Div(&z, &hundred)
	case 2:
		two := propU64(2)
		return *z.Div(&ref, &two)
	case 3:
		p := propPow10(h.u(1, 6, label+".div"))
		return *z.Div(&ref, &p)
	case 4:
		if ref.IsZero() {
			return ref
		}
		return *z.Sub(&ref, &one)
	case 5:
		return *z.Add(&ref, &one)
	}
	return ref
}

// amount draws an argument amount: zero, tiny, huge, near one of refs, or
// a plausible amount of asset.
func (h *propHarness) amount(label, asset string, refs ...Int) Int {
	k := h.u(0, 19, label)
	switch {
	case k <= 8 && len(refs) > 0:
		return h.around(label, refs[h.u(0, len(refs)-1, label+".ref")])
	case k == 17:
		return Int{}
	case k == 18:
		return propU64(h.u(1, 100, label+".tiny"))
	case k == 19 && !h.sane && h.chance(4, label+".huge"):
		return h.huge(label)
	}
	return h.money(asset, label)
}

// premiums for a cover of amount: mostly a fraction of the amount between
// 10^-7 and 10 (sane: 1) of it, which buys from seconds to centuries.
func (h *propHarness) premiums(label, asset string, amount Int) Int {
	k := h.u(0, 15, label)
	switch {
	case k == 12:
		return Int{}
	case k == 13:
		return propU64(h.u(1, 1000, label+".tiny"))
	case k == 14 && !h.sane && h.chance(4, label+".huge"):
		return h.huge(label)
	case k == 15:
		return h.money(asset, label)
	}
	num := propU64(h.u(1, 999, label+".num"))
	lo := 1
	if h.sane {
		lo = 2
	}
	den := propPow10(h.u(lo, 7, label+".den"))
	var z Int
	if _, over := z.MulOverflow(&amount, &num); over {
		return amount
	}
	z.Div(&z, &den)
	if z.IsZero() {
		return propU64(1)
	}
	return z
}

// pick is an id below n, or sometimes one that does not exist.
func (h *propHarness) pick(n int, label string) int {
	if n == 0 || h.chance(20, label+".bad") {
		if h.chance(2, label+".neg") {
			return -1
		}
		return n + h.u(0, 2, label+".past")
	}
	return h.u(0, n-1, label)
}

// pickWhere prefers an id whose object satisfies ok.
func (h *propHarness) pickWhere(n int, label string, ok func(int) bool) int {
	var good []int
	for i := range n {
		if ok(i) {
			good = append(good, i)
		}
	}
	if len(good) > 0 && !h.chance(5, label+".any") {
		return good[h.u(0, len(good)-1, label+".good")]
	}
	return h.pick(n, label)
}

func (h *propHarness) account(label string) string {
	return propAccounts[h.u(0, len(propAccounts)-1, label)]
}

// caller is "" (no caller given), the owner, or someone else.
func (h *propHarness) caller(owner string) string {
	switch h.u(0, 9, "as") {
	case 9:
		return h.account("as.other")
	case 6, 7, 8:
		return owner
	}
	return ""
}

func (h *propHarness) formula(valid bool) Formula {
	s2 := 10000 // up to 100%
	f := Formula{
		UOptimal: propPct(h.u(1, 9999, "uOptimal"), 2),
		R0:       propPct(h.u(1, 1000, "r0"), 2),
		RSlope1:  propPct(h.u(0, 2000, "rSlope1"), 2),
		RSlope2:  propPct(h.u(0, s2, "rSlope2"), 2),
	}
	if !valid {
		switch h.u(0, 2, "formula.bad") {
		case 0:
			f.UOptimal = Int{}
		case 1:
			f.UOptimal = ray.Hundred
		default:
			f.R0 = Int{}
		}
	}
	return f
}

func (h *propHarness) feeRate(label string, maxPct int, valid bool) Int {
	if !valid && !h.sane && h.chance(30, label+".bad") {
		return propPct(100_01, 2)
	}
	return propPct(h.u(0, maxPct*100, label), 2)
}

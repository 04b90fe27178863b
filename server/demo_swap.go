package server

import (
	"slices"

	"github.com/vpool/vpool/ray"
	"github.com/vpool/vpool/scenario"
	"github.com/vpool/vpool/swap"
)

// The demo's swap market: six tokens and eight pairs of different depths,
// fees, locks and reserve allow-lists, so that virtual pools, two-hop
// routes and splits all have something to show. Traders swap native,
// virtual, best-route and split; LPs add and remove liquidity; a keeper
// exchanges reserves between pairs; the admin liquidates a reserve once a
// pair's ratio reaches its warning threshold.

// demoToken is a token of the demo and its price in dollars, which sizes
// trades and deposits (the market sets its own prices).
type demoToken struct {
	symbol   string
	decimals uint8
	usd      uint64
}

var demoTokens = []demoToken{
	{DemoAsset, 6, 1}, {"WETH", 18, 3000}, {"WBTC", 8, 60000}, {"DAI", 18, 1}, {"LINK", 18, 15}, {"UNI", 18, 8},
}

// demoPair is a seeded pair: its depth in dollars a side, fees, reference
// lock in blocks, reserve-ratio maximum and warning (10^-5 units, 0 for
// the defaults) and allow-list (nil for the market's default).
type demoPair struct {
	a, b          string
	usd           uint64
	fee, vFee     int64
	delay         uint64
	max, warning  uint64
	allowReserves []string
}

var demoPairs = []demoPair{
	{DemoAsset, "WETH", 1_500_000, 997, 997, 0, 5000, 4000, nil},
	{"WBTC", "WETH", 600_000, 997, 997, 2, 3000, 2500, nil},
	{"DAI", DemoAsset, 500_000, 999, 998, 0, 0, 0, nil},
	{"DAI", "WETH", 300_000, 997, 997, 0, 4000, 3000, nil},
	{"LINK", "WETH", 300_000, 995, 995, 1, 0, 0, nil},
	{"UNI", "WETH", 320_000, 990, 992, 0, 10_000, 8000, []string{DemoAsset, "DAI"}},
	{"LINK", DemoAsset, 150_000, 997, 997, 0, 0, 0, nil},
	{"WBTC", DemoAsset, 180_000, 997, 997, 0, 5000, 4000, nil},
}

var (
	// demoReserveTokens is the default allow-list: LINK and UNI are never
	// taken as reserves unless a pair lists them.
	demoReserveTokens = []string{"DAI", DemoAsset, "WBTC", "WETH"}
	demoSwapLPs       = []string{"lena", "marco", "noor"}
	demoTraders       = []string{"pablo", "quinn", "rosa", "sami", "tara"}
)

// demoKeeper exchanges reserves and keeps the incentive;
// demoArbitrageur brings pair prices back towards dollar prices.
const (
	demoKeeper      = "kai"
	demoArbitrageur = "arbi"
)

// DemoUserTokens is what the seed mints to DemoUserAccount of each swap
// token, in whole tokens (its USDC is DemoUserFunds).
var DemoUserTokens = map[string]uint64{"WETH": 5, "WBTC": 1, "DAI": 10_000, "LINK": 500, "UNI": 1_000}

func tokenOf(symbol string) demoToken {
	for _, t := range demoTokens {
		if t.symbol == symbol {
			return t
		}
	}
	return demoToken{symbol: symbol, usd: 1}
}

// units is usd dollars of token in base units.
func units(token string, usd uint64) swap.Int {
	t := tokenOf(token)
	var z swap.Int
	z.Exp(u64p(10), u64p(uint64(t.decimals)))
	z.Mul(&z, u64p(usd))
	return *z.Div(&z, u64p(t.usd))
}

// demoSwapSeed lists the tokens, opens the pairs with their settings and
// funds the demo user with some of each token.
func demoSwapSeed() []Command {
	var seed []Command
	for _, t := range demoTokens[1:] {
		seed = append(seed, demoCmd("addAsset", map[string]any{"symbol": t.symbol, "decimals": t.decimals}))
	}
	seed = append(seed, demoCmd("setDefaultAllowList", map[string]any{"tokens": demoReserveTokens}))
	for i, p := range demoPairs {
		lp := demoSwapLPs[i%len(demoSwapLPs)]
		a, b := units(p.a, p.usd), units(p.b, p.usd)
		seed = append(seed,
			demoCmd("mint", map[string]any{"to": lp, "asset": p.a, "amount": a.Dec()}),
			demoCmd("mint", map[string]any{"to": lp, "asset": p.b, "amount": b.Dec()}),
			demoCmd("pairDeposit", map[string]any{"from": lp, "tokenA": p.a, "tokenB": p.b, "amountA": a.Dec(), "amountB": b.Dec()}),
			demoCmd("setPairFee", map[string]any{"pair": i, "fee": p.fee, "vFee": p.vFee}),
			demoCmd("setBlocksDelay", map[string]any{"pair": i, "blocks": p.delay}))
		if p.max > 0 {
			seed = append(seed, demoCmd("setMaxReserveRatio", map[string]any{"pair": i, "value": p.max}),
				demoCmd("setWarningThreshold", map[string]any{"pair": i, "value": p.warning}))
		}
		if p.allowReserves != nil {
			seed = append(seed, demoCmd("setAllowList", map[string]any{"pair": i, "tokens": p.allowReserves}))
		}
	}
	for _, t := range demoTokens[1:] {
		whole := units(t.symbol, DemoUserTokens[t.symbol]*t.usd)
		seed = append(seed, demoCmd("mint", map[string]any{"to": DemoUserAccount, "asset": t.symbol, "amount": whole.Dec()}))
	}
	return seed
}

// nextSwap chooses the swap market's commands of a step: the
// arbitrageur's, then a liquidation when a pair has reached its warning
// threshold (half the time, so that the bar shows it), else a weighted
// draw. It runs inside Node.DryRun: the router's quotes may dry-run.
func (d *Demo) nextSwap(e *scenario.Engines, now uint64) []Command {
	if e.Swap.Pairs() == 0 {
		return nil
	}
	return append(d.rebalance(e), d.swapAction(e, now)...)
}

// swapAction is the step's trader, LP, keeper or admin action.
func (d *Demo) swapAction(e *scenario.Engines, now uint64) []Command {
	if cmds := d.liquidate(e, now); cmds != nil && d.srng.IntN(2) == 0 {
		return cmds
	}
	act := drawAction(d.srng, []weighted[func(*scenario.Engines, uint64) []Command]{
		{25, d.swapNative}, {25, d.swapVirtual}, {12, d.swapBest}, {12, d.swapSplit},
		{8, d.pairDeposit}, {6, d.pairWithdraw}, {8, d.exchangeReserves}, {10, nil},
	})
	if act == nil {
		return nil
	}
	return act(e, now)
}

// swapNative trades $200 to $5,000 on one pair, either way.
func (d *Demo) swapNative(e *scenario.Engines, _ uint64) []Command {
	p, err := e.Swap.PairAt(d.srng.IntN(e.Swap.Pairs()))
	if err != nil {
		return nil
	}
	in, out := p.Token0, p.Token1
	if d.srng.IntN(2) == 0 {
		in, out = out, in
	}
	return d.nativeTrade(e, demoTraders[d.srng.IntN(len(demoTraders))], in, out, units(in, uint64(d.swapBetween(200, 5_000))))
}

// nativeTrade swaps amount of in for out on their pair, accepting 1% of
// slippage.
func (d *Demo) nativeTrade(e *scenario.Engines, trader, in, out string, amount swap.Int) []Command {
	args := map[string]any{"from": trader, "path": []string{in, out}, "amountIn": amount.Dec()}
	if amounts, err := e.Swap.QuoteNative([]string{in, out}, swap.Trade{Amount: amount}); err == nil {
		args["minAmountOut"] = slipped(amounts[1])
	}
	return append(d.fundToken(e, trader, in, amount), demoCmd("swapNative", args))
}

// rebalance is the arbitrageur's trade on the pair whose price is the
// furthest from the tokens' dollar prices (virtual swaps drain pairs of
// one token): half-way back, when it is more than 1% off.
func (d *Demo) rebalance(e *scenario.Engines) []Command {
	var best arbTrade
	found := false
	for _, p := range e.Swap.ViewAt(0).Pairs {
		if t, ok := arbitrage(p); ok && (!found || best.gap.Lt(&t.gap)) {
			best, found = t, true
		}
	}
	if !found {
		return nil
	}
	return d.nativeTrade(e, demoArbitrageur, best.in, best.out, best.amount)
}

// arbTrade is a trade that moves a pair's price towards dollar prices;
// gap is how far off the price is, in parts per 10^6.
type arbTrade struct {
	in, out     string
	amount, gap swap.Int
}

// arbitrage is the trade that moves p's price about half-way back to the
// tokens' dollar prices: the cheap side is bought with b·(r − l)/(4·l) of
// the dear one, where l and r are the two balances' dollar values (l the
// dear side's, the smaller), at most 5% of its balance; ok is false when
// the price is within 1%.
func arbitrage(p swap.PairView) (arbTrade, bool) {
	b0, b1 := amountOf(p.Balance0), amountOf(p.Balance1)
	t := arbTrade{in: p.Token0, out: p.Token1}
	// l and r are balance0's and balance1's dollar values, both times the
	// base units of a million dollars of each token.
	u0, u1 := units(p.Token0, 1_000_000), units(p.Token1, 1_000_000)
	var l, r swap.Int
	l.Mul(&b0, &u1)
	r.Mul(&b1, &u0)
	b := b0
	if r.Lt(&l) {
		l, r, b = r, l, b1
		t.in, t.out = p.Token1, p.Token0
	}
	var gap swap.Int
	gap.Sub(&r, &l)
	if l.IsZero() || gap.Lt(new(swap.Int).Div(&l, u64p(100))) {
		return t, false
	}
	t.gap.Mul(&gap, u64p(1_000_000))
	t.gap.Div(&t.gap, &l)
	t.amount.Mul(&b, &gap)
	t.amount.Div(&t.amount, new(swap.Int).Mul(&l, u64p(4)))
	if limit := new(swap.Int).Div(&b, u64p(20)); limit.Lt(&t.amount) {
		t.amount = *limit
	}
	return t, !t.amount.IsZero()
}

// swapVirtual trades through a virtual pool that can take the trade now.
func (d *Demo) swapVirtual(e *scenario.Engines, now uint64) []Command {
	for range 4 {
		in, out := d.tokenPair()
		amount := units(in, uint64(d.swapBetween(1_000, 15_000)))
		routes, _, err := e.Swap.QuoteRoutes(now, in, out, swap.Trade{Amount: amount})
		if err != nil {
			continue
		}
		routes = slices.DeleteFunc(routes, func(q swap.RouteQuote) bool { return q.Err != nil || q.Route.Kind != swap.VirtualKind })
		if len(routes) == 0 {
			continue
		}
		q := routes[d.srng.IntN(len(routes))]
		trader := demoTraders[d.srng.IntN(len(demoTraders))]
		return append(d.fundToken(e, trader, in, amount), demoCmd("swapVirtual", map[string]any{"from": trader,
			"jk": q.Route.JK, "ik": q.Route.IK, "amountIn": amount.Dec(), "minAmountOut": slipped(q.AmountOut)}))
	}
	return nil
}

// swapBest lets the router pick the best route for a trade.
func (d *Demo) swapBest(e *scenario.Engines, now uint64) []Command {
	in, out := d.tokenPair()
	amount := units(in, uint64(d.swapBetween(200, 5_000)))
	q, err := e.Swap.Quote(now, swap.QuoteSwap{TokenIn: in, TokenOut: out, Trade: swap.Trade{Amount: amount}})
	if err != nil {
		return nil
	}
	trader := demoTraders[d.srng.IntN(len(demoTraders))]
	return append(d.fundToken(e, trader, in, amount), demoCmd("swap", map[string]any{"from": trader,
		"tokenIn": in, "tokenOut": out, "amountIn": amount.Dec(), "minAmountOut": slipped(q.AmountOut)}))
}

// swapSplit makes a large trade between two of the deep tokens, split
// among their routes.
func (d *Demo) swapSplit(e *scenario.Engines, now uint64) []Command {
	deep := []string{DemoAsset, "WETH", "DAI", "WBTC"}
	i := d.srng.IntN(len(deep))
	in, out := deep[i], deep[(i+1+d.srng.IntN(len(deep)-1))%len(deep)]
	amount := units(in, uint64(d.swapBetween(20_000, 80_000)))
	q, err := e.Swap.QuoteSplit(now, in, out, amount)
	if err != nil {
		return nil
	}
	trader := demoTraders[d.srng.IntN(len(demoTraders))]
	return append(d.fundToken(e, trader, in, amount), demoCmd("swap", map[string]any{"from": trader,
		"tokenIn": in, "tokenOut": out, "amountIn": amount.Dec(), "minAmountOut": slipped(q.AmountOut), "split": true}))
}

// pairDeposit adds liquidity to a pair at its ratio (the router keeps
// what the ratio does not need).
func (d *Demo) pairDeposit(e *scenario.Engines, _ uint64) []Command {
	p, err := e.Swap.PairAt(d.srng.IntN(e.Swap.Pairs()))
	if err != nil {
		return nil
	}
	lp := demoSwapLPs[d.srng.IntN(len(demoSwapLPs))]
	a := units(p.Token0, uint64(d.swapBetween(5_000, 50_000)))
	b0, b1 := amountOf(p.Balance0), amountOf(p.Balance1)
	if b0.IsZero() {
		return nil
	}
	var b swap.Int
	b.Mul(&a, &b1)
	b.Div(&b, &b0)
	b.Add(&b, new(swap.Int).Div(&b, u64p(100))) // 1% room
	cmds := append(d.fundToken(e, lp, p.Token0, a), d.fundToken(e, lp, p.Token1, b)...)
	return append(cmds, demoCmd("pairDeposit", map[string]any{"from": lp, "tokenA": p.Token0, "tokenB": p.Token1,
		"amountA": a.Dec(), "amountB": b.Dec()}))
}

// pairWithdraw burns part of an LP's shares in a pair.
func (d *Demo) pairWithdraw(e *scenario.Engines, _ uint64) []Command {
	p, err := e.Swap.PairAt(d.srng.IntN(e.Swap.Pairs()))
	if err != nil {
		return nil
	}
	lp := demoSwapLPs[d.srng.IntN(len(demoSwapLPs))]
	shares := amountOf(p.LPBalances[lp])
	shares.Div(&shares, u64p(uint64(d.swapBetween(3, 10))))
	if shares.IsZero() {
		return nil
	}
	return []Command{demoCmd("pairWithdraw", map[string]any{"from": lp, "tokenA": p.Token0, "tokenB": p.Token1, "shares": shares.Dec()})}
}

// exchangeReserves swaps reserves between two pairs that each hold the
// other's token (docs/swap.md §2.8): half of the first's, or what the
// second's is worth at dollar prices if that is less.
func (d *Demo) exchangeReserves(e *scenario.Engines, _ uint64) []Command {
	v := e.Swap.ViewAt(0).Pairs
	start := d.srng.IntN(len(v))
	for k := range v {
		jk1 := v[(start+k)%len(v)]
		for a, resA := range jk1.Reserves {
			for _, jk2 := range v {
				c, ok := sharedExchange(jk1, jk2, a)
				if !ok || jk2.Reserves[c] == "" {
					continue
				}
				amount := amountOf(resA)
				amount.Div(&amount, u64p(2))
				worth := amountOf(jk2.Reserves[c])
				worth.Mul(&worth, u64p(tokenOf(c).usd*9))
				worth.Div(&worth, u64p(tokenOf(a).usd*10))
				worth.Mul(&worth, tenPow(tokenOf(a).decimals))
				worth.Div(&worth, tenPow(tokenOf(c).decimals))
				if worth.Lt(&amount) {
					amount = worth
				}
				if amount.IsZero() {
					continue
				}
				return []Command{demoCmd("exchangeReserves", map[string]any{"caller": demoKeeper,
					"jk1": jk1.ID, "ik1": jk2.ID, "jk2": jk2.ID, "ik2": jk1.ID, "amount": amount.Dec()})}
			}
		}
	}
	return nil
}

// sharedExchange reports whether jk1 (holding reserve a) and jk2 can
// exchange reserves: they share one token K, a is jk2's other token, and
// c, jk1's other token, is what jk2 should hold.
func sharedExchange(jk1, jk2 swap.PairView, a string) (c string, ok bool) {
	if jk1.ID == jk2.ID || (jk2.Token0 != a && jk2.Token1 != a) {
		return "", false
	}
	k := jk2.Token0
	if k == a {
		k = jk2.Token1
	}
	switch k {
	case jk1.Token0:
		return jk1.Token1, true
	case jk1.Token1:
		return jk1.Token0, true
	}
	return "", false
}

// liquidate is the admin selling a reserve of a pair whose ratio reached
// its warning threshold into the native pair of that token and one of the
// pair's own (nil when no pair is there).
func (d *Demo) liquidate(e *scenario.Engines, _ uint64) []Command {
	for _, p := range e.Swap.ViewAt(0).Pairs {
		rr, warn := amountOf(p.ReserveRatio), amountOf(p.WarningThreshold)
		if rr.Lt(&warn) {
			continue
		}
		for _, t := range p.AllowList {
			if p.Reserves[t] == "" {
				continue
			}
			for _, u := range []string{p.Token0, p.Token1} {
				for id := range e.Swap.Pairs() {
					if n, _ := e.Swap.PairAt(id); (n.Token0 == t && n.Token1 == u) || (n.Token0 == u && n.Token1 == t) {
						return []Command{demoCmd("liquidateReserve", map[string]any{"pair": p.ID, "token": t, "nativePair": id})}
					}
				}
			}
		}
	}
	return nil
}

// tokenPair is two different demo tokens.
func (d *Demo) tokenPair() (string, string) {
	i := d.srng.IntN(len(demoTokens))
	j := (i + 1 + d.srng.IntN(len(demoTokens)-1)) % len(demoTokens)
	return demoTokens[i].symbol, demoTokens[j].symbol
}

// fundToken mints what owner lacks of token to pay need, plus as much.
func (d *Demo) fundToken(e *scenario.Engines, owner, token string, need swap.Int) []Command {
	bal := e.Cover.Balance(owner, token)
	if !bal.Lt(&need) {
		return nil
	}
	var more swap.Int
	more.Add(&need, &need)
	return []Command{demoCmd("mint", map[string]any{"to": owner, "asset": token, "amount": more.Dec()})}
}

// slipped is 99% of out, in decimal: the least a demo trader accepts.
func slipped(out swap.Int) string {
	var z swap.Int
	z.Mul(&out, u64p(99))
	return z.Div(&z, u64p(100)).Dec()
}

// amountOf reads a decimal amount of a view (0 when empty).
func amountOf(s string) swap.Int {
	v, _ := ray.ParseAmount(s)
	return v
}

func tenPow(e uint8) *swap.Int {
	var z swap.Int
	return z.Exp(u64p(10), u64p(uint64(e)))
}

func u64p(v uint64) *swap.Int {
	x := ray.U64(v)
	return &x
}

// swapBetween is a uniform integer in [lo, hi] from the swap market's own
// source, so that the cover market's draws stay as they were.
func (d *Demo) swapBetween(lo, hi int) int { return lo + d.srng.IntN(hi-lo+1) }

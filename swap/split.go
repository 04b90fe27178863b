package swap

// Split routing (docs/swap.md "Split routing"): an exact-in trade is
// divided among several candidate routes so that the total out is as
// large as a bounded search over exact integer quotes finds, and never
// less than the best single route pays for the whole amount.
//
// The legs of a split trade on pairwise disjoint pairs, so each leg's
// quote on the market as it stands is what the engine gives for that
// leg after the legs before it: the native pair, each two-hop route and
// each virtual pool use pairs of their own, except that the two-hop route
// and the virtual pool through the same token K both trade on {in, K}
// and {K, out}. A split uses at most one of those two (the one whose
// bound for the whole amount is higher).

const (
	// splitChunks is how many equal chunks the greedy phase hands out,
	// each to the leg that pays the most for it.
	splitChunks = 16
	// splitRefineLevels is how many times the step is then halved; at
	// each step size, up to splitMovesPerLevel moves of one step from the
	// leg that loses least to the one that gains most are made.
	splitRefineLevels  = 1
	splitMovesPerLevel = 1
	// maxSplitLegs bounds the routes a split draws from: the ones with the
	// highest bounds for the whole amount.
	maxSplitLegs = 4
)

// SplitEvaluationBound is the most route quotes choosing a split makes
// when there are n candidate routes, with L = min(n, maxSplitLegs) legs:
// every candidate's bound for the whole amount (n), one quote per leg for
// its first chunk (L), one per further chunk (splitChunks − 1), at most
// one per leg for the remainder (L), per refinement level one step up and
// one down per leg plus four per further move, a final check per leg
// (L), and, where the split does not beat a candidate's bound, that
// candidate's full quote for the whole amount (n).
func SplitEvaluationBound(n int) int {
	legs := min(n, maxSplitLegs)
	return 2*n + splitChunks - 1 + 3*legs + splitRefineLevels*(2*legs+4*(splitMovesPerLevel-1))
}

// SplitResult is a split trade: the totals and each leg with its amounts,
// in the order the legs execute. A single leg means no split pays more
// than the best single route.
type SplitResult struct {
	TokenIn   string        `json:"tokenIn"`
	TokenOut  string        `json:"tokenOut"`
	AmountIn  Int           `json:"amountIn"`
	AmountOut Int           `json:"amountOut"`
	Legs      []RouteResult `json:"legs"`
	// Evaluations is how many route quotes the choice took.
	Evaluations int `json:"-"`
}

// QuoteSplit prices an exact-in trade of amountIn through split routing
// at time at, changing nothing, with the price of the split. It reads the
// market without writing, so it may run beside other readers but not
// beside a command.
func (m *Market) QuoteSplit(at uint64, tokenIn, tokenOut string, amountIn Int) (*SplitQuote, error) {
	if err := m.tokens2(tokenIn, tokenOut); err != nil {
		return nil, err
	}
	res, legs, err := m.planSplit(tokenIn, tokenOut, amountIn, m.Block(at))
	if err != nil {
		return nil, err
	}
	return &SplitQuote{SplitResult: res, RoutePrice: splitPrice(&res, legs)}, nil
}

// swapSplit executes the split of an exact-in trade, all or nothing:
// minAmountOut applies to the total, each leg runs as its own op would.
func (m *Market) swapSplit(tokenIn, tokenOut string, t Trade, from, to string, block uint64) (*SplitResult, error) {
	if t.ExactOut {
		return nil, fail(CodeInvalidArgument, "split routing is exact-in only: give amountIn")
	}
	plan, _, err := m.planSplit(tokenIn, tokenOut, t.Amount, block)
	if err != nil {
		return nil, err
	}
	if err := t.checkOut(plan.AmountOut); err != nil {
		return nil, err
	}
	if err := m.needBalance(from, tokenIn, t.Amount); err != nil {
		return nil, err
	}
	return m.runLegs(plan, from, to, block)
}

// runLegs executes the legs of a split one after the other, each as its
// own op would; the first failure fails the whole command.
func (m *Market) runLegs(plan SplitResult, from, to string, block uint64) (*SplitResult, error) {
	done := plan
	done.Legs, done.AmountOut = make([]RouteResult, len(plan.Legs)), Int{}
	for i, leg := range plan.Legs {
		res, err := m.runRoute(leg.Route, plan.TokenIn, plan.TokenOut, Trade{Amount: leg.AmountIn}, from, to, block, true)
		if err != nil {
			return nil, err
		}
		done.Legs[i] = res
		done.AmountOut.Add(&done.AmountOut, &res.AmountOut)
	}
	return &done, nil
}

// planSplit chooses the split of an exact-in trade of amount in block,
// and returns the priced route of each leg too. The search quotes legs
// without the getAmountIn checks (pricedRoute.out not in full), then
// checks the legs it chose in full; a single route is quoted in full only
// where its bound could beat the split.
func (m *Market) planSplit(tokenIn, tokenOut string, amount Int, block uint64) (SplitResult, []*pricedRoute, error) {
	res := SplitResult{TokenIn: tokenIn, TokenOut: tokenOut, AmountIn: amount}
	if amount.IsZero() {
		return res, nil, fail(CodeZeroAmount, "amountIn = 0")
	}
	candidates := m.allCandidates(tokenIn, tokenOut)
	room := make([]pricedRoute, len(candidates))
	routes := make([]*pricedRoute, 0, len(candidates))
	for i, r := range candidates {
		if err := m.priceRoute(&room[i], r, tokenIn, tokenOut, block); err == nil {
			routes = append(routes, &room[i])
		}
	}
	s := splitSearch{amount: amount, chunk: amount, chunks: 1}
	if c := new(Int).Div(&amount, &u64Chunks); !c.IsZero() {
		s.chunk, s.chunks = *c, splitChunks
	}
	bounds := make([]Int, len(routes))
	for i, pr := range routes {
		s.evals++
		bounds[i] = pr.bound(amount)
	}
	s.pick(routes, bounds)
	found := s.greedy() && s.remainder()
	if found {
		s.refine()
		found = s.check()
	}
	total := s.total()
	// The best single route, quoted in full where its bound beats the split.
	single := -1
	var singleOut Int
	for i, pr := range routes {
		if ub := bounds[i]; found && !total.Lt(&ub) || single >= 0 && !singleOut.Lt(&ub) {
			continue
		}
		if out, ok := s.eval(pr, amount, true); ok && (single < 0 || better(RouteResult{Route: pr.route, AmountOut: out},
			RouteResult{Route: routes[single].route, AmountOut: singleOut}, false)) {
			single, singleOut = i, out
		}
	}
	res.Evaluations = s.evals
	var legs []*pricedRoute
	switch {
	case found && (single < 0 || singleOut.Lt(&total)):
		res.AmountOut = total
		for i, leg := range s.legs {
			if !s.alloc[i].IsZero() {
				res.Legs = append(res.Legs, RouteResult{Route: leg.route, AmountIn: s.alloc[i], AmountOut: s.got[i]})
				legs = append(legs, leg)
			}
		}
	case single >= 0:
		res.AmountOut = singleOut
		res.Legs = []RouteResult{{Route: routes[single].route, AmountIn: amount, AmountOut: singleOut}}
		legs = routes[single : single+1]
	default:
		return res, nil, fail(CodeNoRoute, "no route or split of routes trades %s %s for %s", amount.Dec(), tokenIn, tokenOut)
	}
	return res, legs, nil
}

var u64Chunks = u64(splitChunks)

// splitSearch is the state of the search: the legs it draws from, what
// each is given and pays, and the quotes made.
type splitSearch struct {
	amount, chunk Int
	chunks        int
	legs          []*pricedRoute
	alloc, got    []Int
	// next is each leg's quote for one more chunk (ok in nextOK).
	next   []Int
	nextOK []bool
	evals  int
}

// eval quotes a route for amount a (pricedRoute.out); ok is false when
// the route fails. Nothing is a quote of 0.
func (s *splitSearch) eval(pr *pricedRoute, a Int, full bool) (Int, bool) {
	if a.IsZero() {
		return a, true
	}
	s.evals++
	out, err := pr.out(a, full)
	return out, err == nil
}

// pick drops the worse of each two-hop route and virtual pool on the same
// pairs by their bounds for the whole amount, keeps the maxSplitLegs with
// the highest bounds, in candidate order, and quotes their first chunk.
func (s *splitSearch) pick(routes []*pricedRoute, bounds []Int) {
	ok := make([]bool, len(routes))
	for i := range routes {
		ok[i] = !bounds[i].IsZero()
	}
	pays := func(i, j int) bool { // i pays more than j (failing pays least)
		return ok[i] && (!ok[j] || bounds[j].Lt(&bounds[i]))
	}
	for i, a := range routes {
		for j, b := range routes {
			if a.route.Kind == TwoHopKind && b.route.Kind == VirtualKind && a.route.JK == b.route.JK && a.route.IK == b.route.IK {
				if pays(i, j) {
					ok[j] = false
				} else {
					ok[i] = false
				}
			}
		}
	}
	var keep []int
	for i := range routes {
		if !ok[i] {
			continue
		}
		keep = append(keep, i)
		if len(keep) > maxSplitLegs { // drop the one that pays least, the latest on a tie
			worst := 0
			for k := range keep {
				if !pays(keep[k], keep[worst]) {
					worst = k
				}
			}
			keep = append(keep[:worst], keep[worst+1:]...)
		}
	}
	s.legs = make([]*pricedRoute, len(keep))
	s.next, s.nextOK = make([]Int, len(keep)), make([]bool, len(keep))
	s.alloc, s.got = make([]Int, len(keep)), make([]Int, len(keep))
	for k, i := range keep {
		s.legs[k] = routes[i]
		s.next[k], s.nextOK[k] = s.eval(routes[i], s.chunk, false)
	}
}

// gain is what giving a leg `to` instead of its allocation adds (0 if it
// pays less).
func gain(to, from Int) Int {
	if to.Lt(&from) {
		return Int{}
	}
	return *to.Sub(&to, &from)
}

// greedy hands out the chunks one at a time to the leg that pays the
// most for one more; false when no leg can take one.
func (s *splitSearch) greedy() bool {
	for q := range s.chunks {
		best := -1
		var bestGain Int
		for i := range s.legs {
			if g := gain(s.next[i], s.got[i]); s.nextOK[i] && (best < 0 || bestGain.Lt(&g)) {
				best, bestGain = i, g
			}
		}
		if best < 0 {
			return false
		}
		s.alloc[best].Add(&s.alloc[best], &s.chunk)
		s.got[best] = s.next[best]
		if q < s.chunks-1 {
			var more Int
			more.Add(&s.alloc[best], &s.chunk)
			s.next[best], s.nextOK[best] = s.eval(s.legs[best], more, false)
		}
	}
	return true
}

// remainder gives what the chunks leave of the amount (less than one per
// chunk) to the leg that pays the most for it; false when none can.
func (s *splitSearch) remainder() bool {
	var given Int
	given.Mul(&s.chunk, new(Int).SetUint64(uint64(s.chunks)))
	rest := gain(s.amount, given)
	if rest.IsZero() {
		return true
	}
	best := -1
	var bestGain, bestOut Int
	for i, leg := range s.legs {
		var a Int
		a.Add(&s.alloc[i], &rest)
		out, ok := s.eval(leg, a, false)
		if g := gain(out, s.got[i]); ok && (best < 0 || bestGain.Lt(&g)) {
			best, bestGain, bestOut = i, g, out
		}
	}
	if best < 0 {
		return false
	}
	s.alloc[best].Add(&s.alloc[best], &rest)
	s.got[best] = bestOut
	return true
}

// refine halves the step splitRefineLevels times; at each size it moves
// one step from the leg that loses least by giving it up to the leg that
// gains most by taking it, while that adds out, up to splitMovesPerLevel
// times. A leg is quoted one step up and down only when a move needs it.
func (s *splitSearch) refine() {
	n := len(s.legs)
	up, down := make([]Int, n), make([]Int, n) // quotes for one step more, one step less
	upOK, downOK := make([]bool, n), make([]bool, n)
	stale := make([]bool, n)
	step := s.chunk
	for range splitRefineLevels {
		step.Rsh(&step, 1)
		if step.IsZero() {
			return
		}
		for i := range stale {
			stale[i] = true
		}
		for range splitMovesPerLevel {
			for i := range n {
				if stale[i] {
					s.quoteStep(i, step, up, down, upOK, downOK)
					stale[i] = false
				}
			}
			to, from := -1, -1
			var bestUp, leastDown Int
			for i := range n {
				if g := gain(up[i], s.got[i]); upOK[i] && (to < 0 || bestUp.Lt(&g)) {
					to, bestUp = i, g
				}
			}
			for i := range n {
				if l := gain(s.got[i], down[i]); i != to && downOK[i] && (from < 0 || l.Lt(&leastDown)) {
					from, leastDown = i, l
				}
			}
			if to < 0 || from < 0 || !leastDown.Lt(&bestUp) {
				break
			}
			s.alloc[to].Add(&s.alloc[to], &step)
			s.got[to] = up[to]
			s.alloc[from].Sub(&s.alloc[from], &step)
			s.got[from] = down[from]
			stale[to], stale[from] = true, true
		}
	}
}

// quoteStep quotes leg i for one step more and one step less than its
// allocation (one step less only when it has that much).
func (s *splitSearch) quoteStep(i int, step Int, up, down []Int, upOK, downOK []bool) {
	var a Int
	a.Add(&s.alloc[i], &step)
	up[i], upOK[i] = s.eval(s.legs[i], a, false)
	downOK[i] = false
	if !s.alloc[i].Lt(&step) {
		a.Sub(&s.alloc[i], &step)
		down[i], downOK[i] = s.eval(s.legs[i], a, false)
	}
}

// check quotes every leg given something in full, as it
// will execute; false when one fails.
func (s *splitSearch) check() bool {
	for i, leg := range s.legs {
		if s.alloc[i].IsZero() {
			continue
		}
		if _, ok := s.eval(leg, s.alloc[i], true); !ok {
			return false
		}
	}
	return true
}

// total is what the legs pay together.
func (s *splitSearch) total() Int {
	var t Int
	for i := range s.got {
		t.Add(&t, &s.got[i])
	}
	return t
}

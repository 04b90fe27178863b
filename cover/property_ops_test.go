package cover

// The command generators: their weights, one step, and the time commands.
// The others are by area in property_ops_{liquidity,covers,claims,admin}_test.go.

type propOp struct {
	name   string
	weight int
	run    func(h *propHarness)
}

var propOps = []propOp{
	{"openCover", 14, (*propHarness).opOpenCover},
	{"openPosition", 12, (*propHarness).opOpenPosition},
	{"updateCover", 10, (*propHarness).opUpdateCover},
	{"advanceTime", 9, (*propHarness).opAdvance},
	{"takeInterests", 6, (*propHarness).opTakeInterests},
	{"removeLiquidity", 7, (*propHarness).opRemoveLiquidity},
	{"commit", 5, (*propHarness).opCommit},
	{"addLiquidity", 5, (*propHarness).opAddLiquidity},
	{"openClaim", 5, (*propHarness).opOpenClaim},
	{"resolveClaim", 8, (*propHarness).opResolveClaim},
	{"setStrategyIndex", 4, (*propHarness).opSetStrategyIndex},
	{"purge", 4, (*propHarness).opPurge},
	{"mint", 3, (*propHarness).opMint},
	{"uncommit", 2, (*propHarness).opUncommit},
	{"pausePool", 2, (*propHarness).opPause},
	{"freeze", 1, (*propHarness).opFreeze},
	{"setCompatibility", 1, (*propHarness).opSetCompatibility},
	{"updatePoolConfig", 1, (*propHarness).opUpdatePoolConfig},
	{"createPool", 1, (*propHarness).opCreatePool},
	{"addStrategy", 1, (*propHarness).opAddStrategy},
	{"setMarket", 1, (*propHarness).opSetMarket},
	{"timeBackwards", 1, (*propHarness).opBackwards},
	{"check", 1, func(h *propHarness) { h.apply(h.at(), Check{}) }},
}

var propOpWeight = func() int {
	n := 0
	for _, g := range propOps {
		n += g.weight
	}
	return n
}()

// step generates and applies one command (a frozen market is thawed now
// and then so that runs do not stay frozen).
func (h *propHarness) step() {
	h.t.Helper()
	if h.m.frozen && h.chance(8, "thaw") {
		h.apply(h.at(), Freeze{false})
		return
	}
	k := h.u(0, propOpWeight-1, "op")
	for _, g := range propOps {
		if k < g.weight {
			g.run(h)
			return
		}
		k -= g.weight
	}
}

func (h *propHarness) opAdvance() {
	h.now += h.delta(true)
	h.apply(h.now, Check{})
}

func (h *propHarness) opBackwards() {
	now := h.m.Now()
	if now == 0 {
		return
	}
	back := now - uint64(h.u(1, 1000, "back"))
	var cmd Command = Check{}
	if len(h.m.pools) > 0 && h.chance(2, "back.purge") {
		cmd = Purge{h.pick(len(h.m.pools), "back.pool")}
	}
	if _, err := h.apply(back, cmd); CodeOf(err) != CodeTimeWentBackwards {
		h.fatalf("a command at %d after %d gave %v, want time_went_backwards", back, now, err)
	}
}

package scenario_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/scenario"
	"github.com/vpool/vpool/scenario/covergen"
)

// fuzzMaxSteps bounds the steps a fuzzed scenario replays, so that each
// input runs in milliseconds.
const fuzzMaxSteps = 300

func addVectorSeeds(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(vectorsDir, "*", "*.scenario.json"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// FuzzParse checks that Parse never panics on any bytes and that whatever
// it accepts replays (states included) without panicking.
func FuzzParse(f *testing.F) {
	addVectorSeeds(f)
	f.Add(generate(f, covergen.Options{Steps: 25, Seed: 1, Pools: 3, Format: "yaml"}))
	f.Add(generate(f, covergen.Options{Steps: 25, Seed: 2, Pools: 2}))
	f.Add([]byte(`name: tiny
assets: [{symbol: USDC, decimals: 6}]
strategies: [{id: 0, asset: USDC, compounds: true, feeRate: "10", payoutDeductible: "5"}]
steps:
  - {at: 1700000000, op: mint, args: {to: alice, asset: USDC, amount: "5000000000"}}
  - {at: 1700000000, op: createPool, args: {paymentAsset: USDC, strategy: 0, feeRate: "10", uOptimal: "80", r0: "1", rSlope1: "5", rSlope2: "11", compatiblePools: []}}
  - {at: 1700000060, op: openPosition, args: {owner: alice, amount: "3000000000", pools: [0]}}
  - {at: 1700000120, op: openCover, args: {owner: alice, pool: 0, amount: "1000000000", premiums: "50000000"}}
  - {at: 1800000000, op: updateCover, args: {cover: 0, premiumsToRemove: max}}
`))
	f.Add([]byte(`{"steps": [{"at": 1, "op": "check"}]}`))
	f.Add([]byte(`steps: []`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := scenario.Parse(data)
		if err != nil {
			return
		}
		if len(sc.Steps) > fuzzMaxSteps {
			sc.Steps = sc.Steps[:fuzzMaxSteps]
		}
		_, _ = scenario.Replay(sc, io.Discard, scenario.Options{States: true})
	})
}

// fuzzBase is a small generated market that decoded commands are applied to.
var fuzzBase = sync.OnceValue(func() *scenario.File {
	f, err := covergen.File(covergen.Options{Steps: 120, Seed: 7, Pools: 4})
	if err != nil {
		panic(err)
	}
	return f
})

func baseMarket(t *testing.T) *cover.Market {
	f := fuzzBase()
	m, err := scenario.Setup(f)
	if err != nil {
		t.Fatal(err)
	}
	var prev uint64
	for _, s := range f.Steps {
		_, _ = scenario.ApplyStep(m, s, prev)
		prev = s.At
	}
	return m
}

// coverOps are the cover-market ops of docs/scenario.md's table, sorted.
var coverOps = []string{
	"addAsset", "addLiquidity", "addStrategy", "check", "commitRemoveLiquidity", "createPool",
	"freeze", "mint", "openClaim", "openCover", "openPosition", "pausePool", "purge",
	"removeLiquidity", "resolveClaim", "setCompatibility", "setMarket", "setStrategyIndex",
	"takeInterests", "uncommitRemoveLiquidity", "updateCover", "updatePoolConfig",
}

// fuzzOps are the ops FuzzDecodeArgs draws from: every op Decode knows and
// one that does not exist.
func fuzzOps() []string {
	return append(scenario.Ops(), "noSuchOp")
}

func TestFuzzOpsAreKnown(t *testing.T) {
	if got := scenario.Ops(); !slices.Equal(got, coverOps) {
		t.Errorf("Decode knows %v,\ndocs/scenario.md lists %v", got, coverOps)
	}
	if _, err := scenario.Decode("noSuchOp", nil); err == nil || !strings.Contains(err.Error(), "unknown op") {
		t.Errorf("Decode(noSuchOp) = %v, want an unknown op error", err)
	}
}

// FuzzDecodeArgs checks that Decode never panics on any op's args, that a
// rejection is always invalid_argument, and that the commands it accepts,
// applied to a live market, never panic and change nothing when they fail.
func FuzzDecodeArgs(f *testing.F) {
	ops := fuzzOps()
	index := map[string]uint8{}
	for i, op := range ops {
		index[op] = uint8(i)
	}
	for _, s := range fuzzBase().Steps {
		f.Add(index[s.Op], uint16(60), []byte(s.Args))
	}
	for i := range ops {
		f.Add(uint8(i), uint16(0), []byte(`{}`))
		f.Add(uint8(i), uint16(1), []byte(`{"pool": 1, "position": 1, "cover": 1, "claim": 0, "amount": "1"}`))
	}
	f.Add(index["updateCover"], uint16(3600), []byte(`{"cover": 3, "premiumsToRemove": "max", "coverToAdd": 5}`))
	f.Add(index["setCompatibility"], uint16(0), []byte(`{"pairs": [[0, 1, true], [1, 0, "x"]]}`))
	f.Add(index["setStrategyIndex"], uint16(0), []byte(`{"strategy": 0, "index": "115792089237316195423570985008687907853269984665640564039457584007913129639935"}`))
	f.Fuzz(func(t *testing.T, k uint8, dt uint16, raw []byte) {
		op := ops[int(k)%len(ops)]
		cmd, err := scenario.Decode(op, raw)
		if err != nil {
			var ce *cover.Error
			if !errors.As(err, &ce) || ce.Code != cover.CodeInvalidArgument {
				t.Fatalf("Decode(%s, %q): error %v is not invalid_argument", op, raw, err)
			}
			if cmd != nil {
				t.Fatalf("Decode(%s) returned a command with its error", op)
			}
			return
		}
		if cmd == nil {
			t.Fatalf("Decode(%s, %q) returned neither a command nor an error", op, raw)
		}
		m := baseMarket(t)
		before := scenario.StateHash(m)
		at := m.Now() + uint64(dt)*61
		if _, err := m.Apply(at, cmd); err != nil {
			if cover.CodeOf(err) == "" {
				t.Fatalf("%s %s failed without a code: %v", op, raw, err)
			}
			if after := scenario.StateHash(m); after != before {
				t.Fatalf("%s %s failed with %v but changed the state", op, raw, err)
			}
		}
		_ = m.ViewAt(at + uint64(dt)*3600)
	})
}

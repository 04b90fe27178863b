package scenario

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/vpool/vpool/swap"
)

// swapOpsSpec are the ops of docs/swap.md §3, sorted.
var swapOpsSpec = []string{
	"createPair", "exchangeReserves", "liquidateReserve", "maxVirtualIn", "pairDeposit", "pairWithdraw",
	"quote", "setAllowList", "setBlocksDelay", "setDefaultAllowList", "setIncentivesLimit",
	"setMaxReserveRatio", "setPairClosed", "setPairFee", "setWarningThreshold", "swap", "swapNative", "swapVirtual",
}

func TestSwapOpsAreTheSpecs(t *testing.T) {
	if got := SwapOps(); !slices.Equal(got, swapOpsSpec) {
		t.Errorf("DecodeSwap knows %v,\ndocs/swap.md §3 lists %v", got, swapOpsSpec)
	}
	for _, op := range swapOpsSpec {
		if slices.Contains(Ops(), op) {
			t.Errorf("%s is both a cover and a swap op", op)
		}
	}
}

// Argument shapes docs/swap.md §3 makes invalid_argument.
func TestSwapDecodeRejects(t *testing.T) {
	for _, c := range []struct{ op, args string }{
		{"swapNative", `{"from":"a","path":["A","B"]}`},
		{"swapNative", `{"from":"a","path":["A","B"],"amountIn":"1","amountOut":"1"}`},
		{"swapNative", `{"from":"a","path":["A","B"],"amountOut":"1","minAmountOut":"1"}`},
		{"swapNative", `{"from":"a","path":["A","B"],"amountIn":"1","maxAmountIn":"1"}`},
		{"swapNative", `{"path":["A","B"],"amountIn":"1"}`},
		{"swapVirtual", `{"from":"a","jk":0,"ik":1,"amountIn":"1","extra":1}`},
		{"swap", `{"from":"a","tokenIn":"A","tokenOut":"B","amountIn":"1","amountOut":"2"}`},
		{"swap", `{"from":"a","tokenIn":"A","tokenOut":"B","amountOut":"2","split":true}`},
		{"swap", `{"from":"a","tokenIn":"A","tokenOut":"B","amountIn":"2","split":"yes"}`},
		{"quote", `{"tokenIn":"A","tokenOut":"B","amountIn":"1","route":{"native":0,"jk":1}}`},
		{"quote", `{"tokenIn":"A","tokenOut":"B","amountIn":"1","route":{"pair":0}}`},
		{"quote", `{"tokenIn":"A","tokenOut":"B","amountIn":"1","route":{"jk":1}}`},
		{"quote", `{"tokenIn":"A","tokenOut":"B","amountIn":"1","minAmountOut":"1"}`},
		{"setPairFee", `{"pair":0,"fee":"997","vFee":997}`},
		{"setPairFee", `{"pair":0,"fee":99.5,"vFee":997}`},
		{"setBlocksDelay", `{"pair":0,"blocks":9007199254740992}`},
		{"setBlocksDelay", `{"pair":0,"blocks":-1}`},
		{"setIncentivesLimit", `{"pct":-1}`},
		{"pairDeposit", `{"from":"a","tokenA":"A","tokenB":"B","amountA":"1.5","amountB":"1"}`},
		{"pairDeposit", `{"from":"a","tokenA":"A","tokenB":"B","amountA":9007199254740993,"amountB":"1"}`},
		{"exchangeReserves", `{"jk1":0,"ik1":1,"jk2":1,"ik2":0,"amount":"1"}`},
	} {
		_, err := DecodeSwap(c.op, json.RawMessage(c.args))
		var e *swap.Error
		if !errors.As(err, &e) || e.Code != swap.CodeInvalidArgument {
			t.Errorf("%s %s: got %v, want invalid_argument", c.op, c.args, err)
		}
	}
}

func TestSwapDecodeAccepts(t *testing.T) {
	for _, c := range []struct{ op, args string }{
		{"swapNative", `{"from":"a","path":["A","B"],"amountIn":5,"minAmountOut":"1","deadline":1700000000}`},
		{"swapVirtual", `{"from":"a","to":"b","jk":0,"ik":1,"amountOut":"1","maxAmountIn":"10"}`},
		{"quote", `{"tokenIn":"A","tokenOut":"B","amountOut":"1","route":{"jk":0,"ik":1}}`},
		{"swap", `{"from":"a","tokenIn":"A","tokenOut":"B","amountIn":"2","minAmountOut":"1","split":true}`},
		{"setMaxReserveRatio", `{"pair":0,"value":2500}`},
		{"setWarningThreshold", `{"pair":0,"value":"1800"}`},
		{"liquidateReserve", `{"pair":0,"token":"C","nativePair":1,"emergency":true}`},
		{"setPairClosed", `{"pair":0,"closed":true}`},
	} {
		if _, err := DecodeSwap(c.op, json.RawMessage(c.args)); err != nil {
			t.Errorf("%s %s: %v", c.op, c.args, err)
		}
	}
}

// A swap scenario's replay is byte-identical twice, its final line carries
// the engines' hash, and a failed step (here an expired deadline, then an
// unknown op) changes neither the state nor the hash.
func TestSwapReplayDeterministicAndAllOrNothing(t *testing.T) {
	f, err := Load("testdata/vectors/swap/worked.scenario.json")
	if err != nil {
		t.Fatal(err)
	}
	hash := func(f *File) string {
		e, err := ReplayEngines(f, discard{}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return e.StateHash()
	}
	h1, h2 := hash(f), hash(f)
	if h1 != h2 {
		t.Fatalf("two replays hash %s and %s", h1, h2)
	}
	last := f.Steps[len(f.Steps)-1].At
	g := *f
	g.Steps = append(slices.Clone(f.Steps),
		Step{At: last, Op: "swapVirtual", Args: json.RawMessage(`{"from":"bob","jk":0,"ik":1,"amountIn":"1","deadline":1}`)},
		Step{At: last, Op: "noSuchOp"})
	if h3 := hash(&g); h3 != h1 {
		t.Errorf("failed steps changed the hash: %s, want %s", h3, h1)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

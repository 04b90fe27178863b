package scenario_test

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/vpool/vpool/failure"
	"github.com/vpool/vpool/scenario"
)

// completeArgs gives every op of spec/scenario.md and spec/swap.md §3 with
// all of its args, and which of them the specs make optional (setMarket's
// settings, updateCover's amounts, as, to, deadline, the min/max limits,
// one of amountIn/amountOut, route, emergency). Everything else is
// required.
var completeArgs = map[string]struct {
	args     string
	optional []string
}{
	"addAsset":                {`{"symbol":"USDC","decimals":6}`, nil},
	"addStrategy":             {`{"asset":"USDC","compounds":false,"feeRate":"0","payoutDeductible":"0"}`, nil},
	"setMarket":               {`{"withdrawDelay":1,"maxLeverage":2,"leverageFeePerPool":"1","blockTime":12}`, []string{"withdrawDelay", "maxLeverage", "leverageFeePerPool", "blockTime"}},
	"mint":                    {`{"to":"alice","asset":"USDC","amount":"1"}`, nil},
	"createPool":              {`{"paymentAsset":"USDC","strategy":0,"feeRate":"10","uOptimal":"80","r0":"2","rSlope1":"6","rSlope2":"15","compatiblePools":[]}`, nil},
	"setCompatibility":        {`{"pairs":[[0,1,true]]}`, nil},
	"updatePoolConfig":        {`{"pool":0,"feeRate":"10","uOptimal":"80","r0":"2","rSlope1":"6","rSlope2":"15"}`, nil},
	"pausePool":               {`{"pool":0,"paused":true}`, nil},
	"freeze":                  {`{"frozen":true}`, nil},
	"setStrategyIndex":        {`{"strategy":0,"index":"1000000000000000000000000000"}`, nil},
	"openPosition":            {`{"owner":"alice","amount":"1","pools":[0]}`, nil},
	"addLiquidity":            {`{"as":"alice","position":0,"amount":"1"}`, []string{"as"}},
	"takeInterests":           {`{"as":"alice","position":0}`, []string{"as"}},
	"commitRemoveLiquidity":   {`{"as":"alice","position":0}`, []string{"as"}},
	"uncommitRemoveLiquidity": {`{"as":"alice","position":0}`, []string{"as"}},
	"removeLiquidity":         {`{"as":"alice","position":0,"amount":"1"}`, []string{"as"}},
	"openCover":               {`{"owner":"bob","pool":0,"amount":"1","premiums":"1"}`, nil},
	"updateCover":             {`{"as":"bob","cover":0,"coverToAdd":"1","premiumsToAdd":"1"}`, []string{"as", "coverToAdd", "premiumsToAdd"}},
	"openClaim":               {`{"as":"bob","cover":0,"amount":"1"}`, []string{"as"}},
	"resolveClaim":            {`{"claim":0,"accept":false}`, nil},
	"purge":                   {`{"pool":0}`, nil},
	"check":                   {`{}`, nil},

	"setDefaultAllowList": {`{"tokens":["A"]}`, nil},
	"createPair":          {`{"tokenA":"A","tokenB":"B"}`, nil},
	"setPairFee":          {`{"pair":0,"fee":997,"vFee":997}`, nil},
	"setAllowList":        {`{"pair":0,"tokens":["C"]}`, nil},
	"setMaxReserveRatio":  {`{"pair":0,"value":"2000"}`, nil},
	"setWarningThreshold": {`{"pair":0,"value":"1900"}`, nil},
	"setBlocksDelay":      {`{"pair":0,"blocks":40}`, nil},
	"setPairClosed":       {`{"pair":0,"closed":true}`, nil},
	"setIncentivesLimit":  {`{"pct":1}`, nil},
	"pairDeposit":         {`{"from":"alice","to":"bob","tokenA":"A","tokenB":"B","amountA":"1","amountB":"1","minA":"0","minB":"0","deadline":1}`, []string{"to", "minA", "minB", "deadline"}},
	"pairWithdraw":        {`{"from":"alice","to":"bob","tokenA":"A","tokenB":"B","shares":"1","minA":"0","minB":"0","deadline":1}`, []string{"to", "minA", "minB", "deadline"}},
	"swapNative":          {`{"from":"alice","to":"bob","path":["A","B"],"amountIn":"1","minAmountOut":"0","deadline":1}`, []string{"to", "amountIn", "minAmountOut", "deadline"}},
	"swapVirtual":         {`{"from":"alice","to":"bob","jk":0,"ik":1,"amountOut":"1","maxAmountIn":"9","deadline":1}`, []string{"to", "amountOut", "maxAmountIn", "deadline"}},
	"swap":                {`{"from":"alice","to":"bob","tokenIn":"A","tokenOut":"B","amountIn":"1","deadline":1}`, []string{"to", "amountIn", "deadline"}},
	"quote":               {`{"tokenIn":"A","tokenOut":"B","amountIn":"1","route":{"native":0}}`, []string{"amountIn", "route"}},
	"maxVirtualIn":        {`{"jk":0,"ik":1}`, nil},
	"exchangeReserves":    {`{"caller":"alice","jk1":0,"ik1":1,"jk2":2,"ik2":3,"amount":"1"}`, nil},
	"liquidateReserve":    {`{"pair":0,"token":"C","nativePair":1,"emergency":true}`, []string{"emergency"}},
}

// without returns args with name removed, or set to value when given.
func withArg(t *testing.T, args, name string, value *string) json.RawMessage {
	t.Helper()
	m := map[string]json.RawMessage{}
	if err := json.Unmarshal([]byte(args), &m); err != nil {
		t.Fatal(err)
	}
	delete(m, name)
	if value != nil {
		m[name] = json.RawMessage(*value)
	}
	out, _ := json.Marshal(m)
	return out
}

// Every required arg must be given and not null: leaving it out, or
// giving null, is invalid_argument naming it; the optional ones may be
// left out. A missing arg used to decode as zero (issue 12, item 4).
func TestEveryRequiredArgMustBeGiven(t *testing.T) {
	ops := append(scenario.Ops(), scenario.SwapOps()...)
	if !slices.Equal(slices.Sorted(slices.Values(ops)), slices.Sorted(maps.Keys(completeArgs))) {
		t.Fatalf("the table lists %v, the decoder knows %v", slices.Sorted(maps.Keys(completeArgs)), ops)
	}
	null := "null"
	for op, c := range completeArgs {
		if _, err := scenario.DecodeStep(op, json.RawMessage(c.args)); err != nil {
			t.Errorf("%s with every arg: %v", op, err)
			continue
		}
		var names map[string]json.RawMessage
		json.Unmarshal([]byte(c.args), &names)
		for name := range names {
			optional := slices.Contains(c.optional, name)
			_, err := scenario.DecodeStep(op, withArg(t, c.args, name, nil))
			switch {
			case optional && err != nil && strings.Contains(err.Error(), ": "+name+" is required"):
				t.Errorf("%s without the optional %s: %v", op, name, err)
			case !optional && (failure.CodeOf(err) != failure.CodeInvalidArgument || !strings.Contains(err.Error(), ": "+name+" is required")):
				t.Errorf("%s without %s: %v, want invalid_argument naming %s", op, name, err, name)
			}
			// null is never a value, whether the arg is optional or not.
			_, err = scenario.DecodeStep(op, withArg(t, c.args, name, &null))
			if failure.CodeOf(err) != failure.CodeInvalidArgument || !strings.Contains(err.Error(), name) {
				t.Errorf("%s with %s null: %v, want invalid_argument naming %s", op, name, err, name)
			}
		}
		if len(names) > len(c.optional) {
			for _, none := range []string{"", "null", "{}"} {
				if _, err := scenario.DecodeStep(op, json.RawMessage(none)); failure.CodeOf(err) != failure.CodeInvalidArgument {
					t.Errorf("%s with args %q: %v, want invalid_argument", op, none, err)
				}
			}
		}
	}
}

// A null inside a list or an object of args is refused too: it would be
// a zero id or an empty symbol.
func TestNullIsNeverAnArgValue(t *testing.T) {
	for _, c := range []struct{ op, args, names string }{
		{"openPosition", `{"owner":"alice","amount":"1","pools":[0,null]}`, "pools"},
		{"createPool", `{"paymentAsset":"USDC","strategy":0,"feeRate":"10","uOptimal":"80","r0":"2","rSlope1":"6","rSlope2":"15","compatiblePools":[null]}`, "compatiblePools"},
		{"setCompatibility", `{"pairs":[[0,null,true]]}`, "pairs"},
		{"setDefaultAllowList", `{"tokens":["A",null]}`, "tokens"},
		{"swapNative", `{"from":"alice","path":["A",null],"amountIn":"1"}`, "path"},
		{"quote", `{"tokenIn":"A","tokenOut":"B","amountIn":"1","route":{"native":null,"jk":0,"ik":1}}`, "route"},
		{"resolveClaim", `{"claim":0,"accept":false,"CLAIM":null}`, "CLAIM"},
	} {
		_, err := scenario.DecodeStep(c.op, json.RawMessage(c.args))
		if failure.CodeOf(err) != failure.CodeInvalidArgument || !strings.Contains(err.Error(), c.names) {
			t.Errorf("%s %s: %v, want invalid_argument naming %s", c.op, c.args, err, c.names)
		}
	}
	// Keys match as encoding/json matches them: case-insensitively.
	if _, err := scenario.DecodeStep("resolveClaim", json.RawMessage(`{"Claim":3,"ACCEPT":true}`)); err != nil {
		t.Errorf("keys in another case: %v", err)
	}
}

// A file's market, assets and strategies sections are checked as op args
// are: a strategy's id is optional, every other field is required, and
// no value is null.
func TestFileSectionsNeedEveryField(t *testing.T) {
	steps := "steps: [{at: 1, op: check}]\n"
	for _, bad := range []string{
		"assets: [{symbol: USDC}]\n",
		"assets: [{decimals: 6}]\n",
		"assets: [null]\n",
		"assets: [{symbol: USDC, decimals: 6}]\nstrategies: [{asset: USDC, feeRate: \"1\", payoutDeductible: \"0\"}]\n",
		"assets: [{symbol: USDC, decimals: 6}]\nstrategies: [{asset: USDC, compounds: true, feeRate: null, payoutDeductible: \"0\"}]\n",
		"market: {withdrawDelay: null}\n",
	} {
		f, err := scenario.Parse([]byte(bad + steps))
		if err == nil {
			_, err = scenario.NewEngines(f)
		}
		if err == nil {
			t.Errorf("accepted:\n%s", bad)
		}
	}
	good := "market: {maxLeverage: 3}\nassets: [{symbol: USDC, decimals: 6}]\nstrategies: [{asset: USDC, compounds: true, feeRate: \"1\", payoutDeductible: \"0\"}]\n"
	f, err := scenario.Parse([]byte(good + steps))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scenario.NewEngines(f); err != nil {
		t.Fatal(err)
	}
}

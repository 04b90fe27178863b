package scenario

import (
	"encoding/json"
	"fmt"

	"github.com/vpool/vpool/cover"
)

func need(name, value string) error {
	if value == "" {
		return fmt.Errorf("%s is required", name)
	}
	return nil
}

type formulaArgs struct {
	FeeRate  Percent `json:"feeRate"`
	UOptimal Percent `json:"uOptimal"`
	R0       Percent `json:"r0"`
	RSlope1  Percent `json:"rSlope1"`
	RSlope2  Percent `json:"rSlope2"`
}

func (f formulaArgs) formula() cover.Formula {
	return cover.Formula{UOptimal: f.UOptimal.Int, R0: f.R0.Int, RSlope1: f.RSlope1.Int, RSlope2: f.RSlope2.Int}
}

type ownedPosition struct {
	As       Account `json:"as" arg:"optional"`
	Position int     `json:"position"`
}

// coverOps maps each cover-market op of docs/scenario.md to its decoder.
var coverOps = map[string]decoder[cover.Command]{
	"addAsset": args(func(a assetFields) (cover.Command, error) {
		return cover.AddAsset{Symbol: a.Symbol, Decimals: a.Decimals}, need("symbol", a.Symbol)
	}),
	"addStrategy": args(func(a struct {
		Name             string  `json:"name" arg:"optional"`
		Asset            string  `json:"asset"`
		Compounds        bool    `json:"compounds"`
		FeeRate          Percent `json:"feeRate"`
		PayoutDeductible Percent `json:"payoutDeductible"`
	}) (cover.Command, error) {
		return cover.AddStrategy{Name: a.Name, Asset: a.Asset, Compounds: a.Compounds, FeeRate: a.FeeRate.Int, PayoutDeductible: a.PayoutDeductible.Int}, nil
	}),
	"setMarket": args(func(a marketArgs) (cover.Command, error) { return a.command(), nil }),
	"mint": args(func(a struct {
		To     Account `json:"to"`
		Asset  string  `json:"asset"`
		Amount Amount  `json:"amount"`
	}) (cover.Command, error) {
		return cover.Mint{To: string(a.To), Asset: a.Asset, Amount: a.Amount.Int}, nil
	}),
	"createPool": args(func(a struct {
		PaymentAsset string `json:"paymentAsset"`
		Strategy     int    `json:"strategy"`
		formulaArgs
		CompatiblePools []int `json:"compatiblePools"`
	}) (cover.Command, error) {
		return cover.CreatePool{PaymentAsset: a.PaymentAsset, Strategy: a.Strategy, FeeRate: a.FeeRate.Int,
			Formula: a.formula(), CompatiblePools: a.CompatiblePools}, nil
	}),
	"setCompatibility": args(func(a struct {
		Pairs [][3]json.RawMessage `json:"pairs"`
	}) (cover.Command, error) {
		cmd := cover.SetCompatibility{}
		for _, p := range a.Pairs {
			var pr cover.CompatPair
			if json.Unmarshal(p[0], &pr.A) != nil || json.Unmarshal(p[1], &pr.B) != nil || json.Unmarshal(p[2], &pr.Compatible) != nil {
				return nil, fmt.Errorf("pairs are [poolA, poolB, true|false]")
			}
			cmd.Pairs = append(cmd.Pairs, pr)
		}
		return cmd, nil
	}),
	"updatePoolConfig": args(func(a struct {
		Pool int `json:"pool"`
		formulaArgs
	}) (cover.Command, error) {
		return cover.UpdatePoolConfig{Pool: a.Pool, FeeRate: a.FeeRate.Int, Formula: a.formula()}, nil
	}),
	"pausePool": args(func(a struct {
		Pool   int  `json:"pool"`
		Paused bool `json:"paused"`
	}) (cover.Command, error) {
		return cover.PausePool{Pool: a.Pool, Paused: a.Paused}, nil
	}),
	"freeze": args(func(a struct {
		Frozen bool `json:"frozen"`
	}) (cover.Command, error) {
		return cover.Freeze{Frozen: a.Frozen}, nil
	}),
	"setStrategyIndex": args(func(a struct {
		Strategy int      `json:"strategy"`
		Index    RayValue `json:"index"`
	}) (cover.Command, error) {
		return cover.SetStrategyIndex{Strategy: a.Strategy, Index: a.Index.Int}, nil
	}),
	"openPosition": args(func(a struct {
		Owner  Account `json:"owner"`
		Amount Amount  `json:"amount"`
		Pools  []int   `json:"pools"`
	}) (cover.Command, error) {
		return cover.OpenPosition{Owner: string(a.Owner), Amount: a.Amount.Int, Pools: a.Pools}, nil
	}),
	"addLiquidity": args(func(a struct {
		ownedPosition
		Amount Amount `json:"amount"`
	}) (cover.Command, error) {
		return cover.AddLiquidity{As: string(a.As), Position: a.Position, Amount: a.Amount.Int}, nil
	}),
	"takeInterests": args(func(a ownedPosition) (cover.Command, error) {
		return cover.TakeInterests{As: string(a.As), Position: a.Position}, nil
	}),
	"commitRemoveLiquidity": args(func(a ownedPosition) (cover.Command, error) {
		return cover.CommitRemoveLiquidity{As: string(a.As), Position: a.Position}, nil
	}),
	"uncommitRemoveLiquidity": args(func(a ownedPosition) (cover.Command, error) {
		return cover.UncommitRemoveLiquidity{As: string(a.As), Position: a.Position}, nil
	}),
	"removeLiquidity": args(func(a struct {
		ownedPosition
		Amount Amount `json:"amount"`
	}) (cover.Command, error) {
		return cover.RemoveLiquidity{As: string(a.As), Position: a.Position, Amount: a.Amount.Int}, nil
	}),
	"openCover": args(func(a struct {
		Owner    Account `json:"owner"`
		Pool     int     `json:"pool"`
		Amount   Amount  `json:"amount"`
		Premiums Amount  `json:"premiums"`
	}) (cover.Command, error) {
		return cover.OpenCover{Owner: string(a.Owner), Pool: a.Pool, Amount: a.Amount.Int, Premium: a.Premiums.Int}, nil
	}),
	"updateCover": args(func(a struct {
		As               Account   `json:"as" arg:"optional"`
		Cover            int       `json:"cover"`
		CoverToAdd       Amount    `json:"coverToAdd" arg:"optional"`
		CoverToRemove    Amount    `json:"coverToRemove" arg:"optional"`
		PremiumsToAdd    Amount    `json:"premiumsToAdd" arg:"optional"`
		PremiumsToRemove MaxAmount `json:"premiumsToRemove" arg:"optional"`
	}) (cover.Command, error) {
		return cover.UpdateCover{As: string(a.As), Cover: a.Cover, CoverToAdd: a.CoverToAdd.Int, CoverToRemove: a.CoverToRemove.Int,
			PremiumsToAdd: a.PremiumsToAdd.Int, PremiumsToRemove: a.PremiumsToRemove.Int, AllPremiums: a.PremiumsToRemove.Max}, nil
	}),
	"openClaim": args(func(a struct {
		As     Account `json:"as" arg:"optional"`
		Cover  int     `json:"cover"`
		Amount Amount  `json:"amount"`
	}) (cover.Command, error) {
		return cover.OpenClaim{As: string(a.As), Cover: a.Cover, Amount: a.Amount.Int}, nil
	}),
	"resolveClaim": args(func(a struct {
		Claim  int  `json:"claim"`
		Accept bool `json:"accept"`
	}) (cover.Command, error) {
		return cover.ResolveClaim{Claim: a.Claim, Accept: a.Accept}, nil
	}),
	"purge": args(func(a struct {
		Pool int `json:"pool"`
	}) (cover.Command, error) {
		return cover.Purge{Pool: a.Pool}, nil
	}),
	"check": args(func(struct{}) (cover.Command, error) { return cover.Check{}, nil }),
}

// fileMarket is the market section of a file: the cover market's
// settings and the swap market's blockTime (docs/swap.md §1).
type fileMarket struct {
	marketArgs
	BlockTime *uint64 `json:"blockTime" arg:"optional"`
}

// marketArgs is the cover market's settings, and the setMarket op.
type marketArgs struct {
	WithdrawDelay      *uint64  `json:"withdrawDelay" arg:"optional"`
	MaxLeverage        *int     `json:"maxLeverage" arg:"optional"`
	LeverageFeePerPool *Percent `json:"leverageFeePerPool" arg:"optional"`
}

func (a marketArgs) command() cover.SetMarket {
	cmd := cover.SetMarket{WithdrawDelay: a.WithdrawDelay, MaxLeverage: a.MaxLeverage}
	if a.LeverageFeePerPool != nil {
		cmd.LeverageFeePerPool = &a.LeverageFeePerPool.Int
	}
	return cmd
}

// Ops returns the names of every op Decode knows, sorted.
func Ops() []string { return opNames(coverOps) }

// Decode turns one op and its args into an engine command; a bad op or bad
// args are a *cover.Error with code invalid_argument.
func Decode(op string, raw json.RawMessage) (cover.Command, error) {
	return decodeOp(coverOps, op, raw)
}

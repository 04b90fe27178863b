package httpbench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// User is a user key and the account it acts as, with the positions that
// account holds and the covers it had when the load began.
type User struct {
	Account   string
	Key       string
	Positions []int
	Covers    []int
}

// Market is what a load acts on: the pools to buy covers in and the users.
type Market struct {
	Asset string
	Pools []int
	Users []*User
}

// SetupOptions size the market Setup builds.
type SetupOptions struct {
	// Asset is the symbol of the asset the market is built on (6 decimals);
	// when the server already has it, it is reused.
	Asset string
	// Pools is the number of pools created (each compatible with the one
	// before it).
	Pools int
	// Covers is the number of covers each user opens during setup.
	Covers int
}

// DefaultSetup is the market `vpool bench http --setup` builds.
var DefaultSetup = SetupOptions{Asset: "BENCH", Pools: 8, Covers: 4}

const unit = 1_000_000 // base units of one token (6 decimals)

// Setup builds a market through the API: with the admin key of a server
// started with --dev, an asset, a strategy and pools; it mints every user
// ample funds; then each user, with its own key, opens a position in each
// pool and a pair of neighbouring pools and a few covers. Every command
// must succeed (an existing asset is reused).
func Setup(ctx context.Context, c *Client, adminKey string, users []*User, opt SetupOptions) (*Market, error) {
	if len(users) == 0 {
		return nil, errors.New("httpbench: setup needs at least one user key")
	}
	if opt.Asset == "" {
		opt.Asset = DefaultSetup.Asset
	}
	opt.Pools = max(opt.Pools, 1)
	m := &Market{Asset: opt.Asset, Users: users}
	if _, err := c.Submit(ctx, adminKey, Cmd("addAsset", map[string]any{"symbol": opt.Asset, "decimals": 6})); err != nil {
		return nil, fmt.Errorf("httpbench: setup: %w", err)
	}
	// An asset the server already has fails in the engine; createPool
	// below then shows whether it is usable.
	res, err := must(ctx, c, adminKey, Cmd("addStrategy", map[string]any{"asset": opt.Asset, "compounds": false, "feeRate": "10", "payoutDeductible": "0"}))
	if err != nil {
		return nil, err
	}
	strategy := res[0]["strategy"]
	// Pools are created one by one: each is compatible with the one before.
	for i := 0; i < opt.Pools; i++ {
		compat := []int{}
		if i > 0 {
			compat = []int{m.Pools[i-1]}
		}
		res, err := must(ctx, c, adminKey, Cmd("createPool", map[string]any{"paymentAsset": opt.Asset, "strategy": strategy,
			"feeRate": strconv.Itoa(5 + i%10), "uOptimal": strconv.Itoa(75 + i%15), "r0": strconv.Itoa(1 + i%3),
			"rSlope1": strconv.Itoa(4 + i%6), "rSlope2": strconv.Itoa(20 + i%40), "compatiblePools": compat}))
		if err != nil {
			return nil, err
		}
		m.Pools = append(m.Pools, res[0]["pool"])
	}
	var mints []Command
	for _, u := range users {
		mints = append(mints, Cmd("mint", map[string]any{"to": u.Account, "asset": opt.Asset, "amount": amount(1 << 40)}))
	}
	if _, err := must(ctx, c, adminKey, mints...); err != nil {
		return nil, err
	}
	for ui, u := range users {
		var cmds []Command
		for i, p := range m.Pools {
			basket := []int{p}
			if i+1 < len(m.Pools) && (i+ui)%2 == 0 {
				basket = append(basket, m.Pools[i+1])
			}
			cmds = append(cmds, Cmd("openPosition", map[string]any{"owner": u.Account, "amount": amount(1 << 32), "pools": basket}))
		}
		res, err := must(ctx, c, u.Key, cmds...)
		if err != nil {
			return nil, err
		}
		for _, r := range res {
			u.Positions = append(u.Positions, r["position"])
		}
		cmds = cmds[:0]
		for i := 0; i < opt.Covers; i++ {
			cmds = append(cmds, Cmd("openCover", map[string]any{"owner": u.Account, "pool": m.Pools[(ui+i)%len(m.Pools)],
				"amount": amount(10_000), "premiums": amount(100)}))
		}
		if res, err = must(ctx, c, u.Key, cmds...); err != nil {
			return nil, err
		}
		for _, r := range res {
			u.Covers = append(u.Covers, r["cover"])
		}
	}
	return m, nil
}

// must submits cmds and requires each to succeed; it returns the results
// as maps of ids.
func must(ctx context.Context, c *Client, key string, cmds ...Command) ([]map[string]int, error) {
	outs, err := c.Submit(ctx, key, cmds...)
	if err != nil {
		return nil, fmt.Errorf("httpbench: setup: %w", err)
	}
	res := make([]map[string]int, len(outs))
	for i, o := range outs {
		if !o.OK {
			return nil, fmt.Errorf("httpbench: setup: %s (seq %d) failed: %s %s", o.Op, o.Seq, o.Error, o.Message)
		}
		res[i] = map[string]int{}
		if len(o.Result) > 0 {
			if err := json.Unmarshal(o.Result, &res[i]); err != nil {
				return nil, fmt.Errorf("httpbench: setup: %s result %s: %w", o.Op, o.Result, err)
			}
		}
	}
	return res, nil
}

// amount is n whole tokens in base units, as a decimal string.
func amount(n uint64) string { return strconv.FormatUint(n*unit, 10) }

// accountView is the part of GET /v1/accounts/{name} Discover reads.
type accountView struct {
	Covers []struct {
		ID     int  `json:"id"`
		Active bool `json:"active"`
	} `json:"covers"`
	Positions []struct {
		ID              int    `json:"id"`
		CommitTimestamp uint64 `json:"commitTimestamp"`
	} `json:"positions"`
}

type poolsView struct {
	Pools []struct {
		ID           int    `json:"id"`
		Paused       bool   `json:"paused"`
		PaymentAsset string `json:"paymentAsset"`
	} `json:"pools"`
}

// Discover reads the market a load can act on without setting one up: the
// pools that are not paused and each user's active covers and positions.
func Discover(ctx context.Context, c *Client, users []*User) (*Market, error) {
	if len(users) == 0 {
		return nil, errors.New("httpbench: no user keys")
	}
	var pv poolsView
	if err := c.Get(ctx, users[0].Key, "/v1/pools", &pv); err != nil {
		return nil, err
	}
	m := &Market{Users: users}
	for _, p := range pv.Pools {
		if !p.Paused {
			m.Pools = append(m.Pools, p.ID)
			m.Asset = p.PaymentAsset
		}
	}
	if len(m.Pools) == 0 {
		return nil, errors.New("httpbench: the server has no open pool; run with --setup on a --dev server")
	}
	for _, u := range users {
		var av accountView
		if err := c.Get(ctx, u.Key, "/v1/accounts/"+u.Account, &av); err != nil {
			return nil, err
		}
		for _, cv := range av.Covers {
			if cv.Active {
				u.Covers = append(u.Covers, cv.ID)
			}
		}
		for _, p := range av.Positions {
			if p.CommitTimestamp == 0 {
				u.Positions = append(u.Positions, p.ID)
			}
		}
	}
	return m, nil
}

package server

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/scenario"
	"github.com/vpool/vpool/swap"
)

// opPolicy is who may submit an op and, for user ops, which argument
// names the account the op acts as.
type opPolicy struct {
	role string
	// actor is the argument set to the user's account: "owner" for ops
	// that open something, "as" for ops on a position or a cover, "from"
	// for the swap ops that pay, "caller" for exchangeReserves.
	actor string
	// devOnly ops are refused unless the handler runs with Dev.
	devOnly bool
}

// opPolicies assigns every op of scenario.Ops and scenario.SwapOps to one
// role. Admin and arbiter keys do not act for users (an operator makes a
// user key for that); purge, check, quote and maxVirtualIn only write the
// log, so they are the admin's (anyone prices a swap with POST
// /v1/swap/quote). The swap market's settings and pairs are the admin's,
// and so is liquidateReserve, which docs/swap.md §2.9 gives to the admin
// and the emergency admin; a user pays from its own account (the
// receiver, to, may be anyone) and collects exchangeReserves' incentive.
var opPolicies = map[string]opPolicy{
	"addAsset":         {role: RoleAdmin},
	"addStrategy":      {role: RoleAdmin},
	"setMarket":        {role: RoleAdmin},
	"mint":             {role: RoleAdmin, devOnly: true},
	"createPool":       {role: RoleAdmin},
	"setCompatibility": {role: RoleAdmin},
	"updatePoolConfig": {role: RoleAdmin},
	"pausePool":        {role: RoleAdmin},
	"freeze":           {role: RoleAdmin},
	"setStrategyIndex": {role: RoleAdmin},
	"purge":            {role: RoleAdmin},
	"check":            {role: RoleAdmin},

	"resolveClaim": {role: RoleArbiter},

	"openPosition":            {role: RoleUser, actor: "owner"},
	"addLiquidity":            {role: RoleUser, actor: "as"},
	"takeInterests":           {role: RoleUser, actor: "as"},
	"commitRemoveLiquidity":   {role: RoleUser, actor: "as"},
	"uncommitRemoveLiquidity": {role: RoleUser, actor: "as"},
	"removeLiquidity":         {role: RoleUser, actor: "as"},
	"openCover":               {role: RoleUser, actor: "owner"},
	"updateCover":             {role: RoleUser, actor: "as"},
	"openClaim":               {role: RoleUser, actor: "as"},

	"setDefaultAllowList": {role: RoleAdmin},
	"createPair":          {role: RoleAdmin},
	"setPairFee":          {role: RoleAdmin},
	"setAllowList":        {role: RoleAdmin},
	"setMaxReserveRatio":  {role: RoleAdmin},
	"setWarningThreshold": {role: RoleAdmin},
	"setBlocksDelay":      {role: RoleAdmin},
	"setPairClosed":       {role: RoleAdmin},
	"setIncentivesLimit":  {role: RoleAdmin},
	"liquidateReserve":    {role: RoleAdmin},
	"quote":               {role: RoleAdmin},
	"maxVirtualIn":        {role: RoleAdmin},

	"pairDeposit":      {role: RoleUser, actor: "from"},
	"pairWithdraw":     {role: RoleUser, actor: "from"},
	"swapNative":       {role: RoleUser, actor: "from"},
	"swapVirtual":      {role: RoleUser, actor: "from"},
	"swap":             {role: RoleUser, actor: "from"},
	"exchangeReserves": {role: RoleUser, actor: "caller"},
}

// actorOf is the account a decoded user command acts as ("" for none).
func actorOf(d scenario.Decoded) string {
	switch c := d.Swap.(type) {
	case swap.PairDeposit:
		return c.From
	case swap.PairWithdraw:
		return c.From
	case swap.SwapNative:
		return c.From
	case swap.SwapVirtual:
		return c.From
	case swap.Swap:
		return c.From
	case swap.ExchangeReserves:
		return c.Caller
	}
	switch c := d.Cover.(type) {
	case cover.OpenPosition:
		return c.Owner
	case cover.OpenCover:
		return c.Owner
	case cover.AddLiquidity:
		return c.As
	case cover.TakeInterests:
		return c.As
	case cover.CommitRemoveLiquidity:
		return c.As
	case cover.UncommitRemoveLiquidity:
		return c.As
	case cover.RemoveLiquidity:
		return c.As
	case cover.UpdateCover:
		return c.As
	case cover.OpenClaim:
		return c.As
	}
	return ""
}

// authorize checks that p may submit c, parses its args strictly and, for
// a user, makes it act as the user's account: an omitted (or empty)
// owner/as is set to it, a different one is 403. It returns the command
// to submit.
func authorize(p *principal, c Command, dev bool) (Command, error) {
	if len(c.Args) == 0 {
		// Never submit nil args: the log's args column is NOT NULL, and a
		// failed append stops the node.
		c.Args = json.RawMessage("{}")
	}
	pol, ok := opPolicies[c.Op]
	if !ok {
		_, err := scenario.DecodeStep(c.Op, c.Args)
		if err == nil { // an op Decode knows and no policy covers: refuse
			return c, forbidden("op %s is not open to any role", c.Op)
		}
		return c, decodeError(err)
	}
	if pol.role != p.Role {
		return c, forbidden("op %s needs the role %s; this key is %s", c.Op, pol.role, p.Role)
	}
	if pol.devOnly && !dev {
		return c, forbidden("op %s is only allowed on a server started with --dev", c.Op)
	}
	if pol.actor == "" {
		cmd, err := scenario.DecodeStep(c.Op, c.Args)
		if err != nil {
			return c, decodeError(err)
		}
		c.cmd = &cmd
		return c, nil
	}
	if p.Account == "" {
		return c, forbidden("this user key has no account")
	}
	// The common case: the body names the key's account already, so the
	// engine sees it as is; anything else takes the checks below.
	if cmd, err := scenario.DecodeStep(c.Op, c.Args); err == nil && actorOf(cmd) == p.Account {
		c.cmd = &cmd
		return c, nil
	}
	// The actor as the engine would read it from the body: encoding/json
	// matches keys case-insensitively and the last one wins.
	var probe struct {
		Owner  json.RawMessage `json:"owner"`
		As     json.RawMessage `json:"as"`
		From   json.RawMessage `json:"from"`
		Caller json.RawMessage `json:"caller"`
	}
	if err := json.Unmarshal(c.Args, &probe); err != nil {
		if _, derr := scenario.DecodeStep(c.Op, c.Args); derr != nil {
			err = derr
		}
		return c, decodeError(err)
	}
	given := map[string]json.RawMessage{"owner": probe.Owner, "as": probe.As, "from": probe.From, "caller": probe.Caller}[pol.actor]
	var name string
	if len(given) > 0 && string(given) != "null" {
		if err := json.Unmarshal(given, &name); err != nil {
			return c, badRequest("%s: %s must be a string", c.Op, pol.actor)
		}
	}
	if name != "" && name != p.Account {
		return c, forbidden("%s: %s is %q, but this key acts only as %q", c.Op, pol.actor, name, p.Account)
	}
	args, err := setArg(c.Args, pol.actor, p.Account)
	if err != nil {
		return c, badRequest("%s: %v", c.Op, err)
	}
	c.Args = args
	// Check what the engine will see.
	cmd, err := scenario.DecodeStep(c.Op, c.Args)
	if err != nil {
		return c, decodeError(err)
	}
	if got := actorOf(cmd); got != p.Account {
		return c, forbidden("%s: %s is %q, but this key acts only as %q", c.Op, pol.actor, got, p.Account)
	}
	c.cmd = &cmd
	return c, nil
}

// setArg returns the args object with name set to value; any other
// spelling of name (encoding/json matches keys case-insensitively) is
// removed first.
func setArg(raw json.RawMessage, name, value string) (json.RawMessage, error) {
	fields := map[string]json.RawMessage{}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &fields); err != nil {
			return nil, err
		}
		if fields == nil { // "args": null
			fields = map[string]json.RawMessage{}
		}
	}
	for k := range fields {
		if strings.EqualFold(k, name) {
			delete(fields, k)
		}
	}
	v, _ := json.Marshal(value)
	fields[name] = v
	return json.Marshal(fields)
}

// decodeError is a 400 carrying a parse failure's code and message.
func decodeError(err error) error {
	code, msg := scenario.CodeAndMessage(err)
	return &apiError{Status: http.StatusBadRequest, Code: string(code), Message: msg}
}

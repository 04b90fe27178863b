package cover

// The error codes of docs/scenario.md, which every failing command must
// carry.

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// invSpecCodes are the error codes listed in docs/scenario.md ("Error codes").
// TestInvariantErrorCodesMatchSpec keeps the list in step with the spec.
var invSpecCodes = map[Code]bool{
	"invalid_argument": true, "time_went_backwards": true, "not_found": true, "not_owner": true,
	"zero_amount": true, "insufficient_balance": true, "overflow": true, "frozen": true,
	"pool_not_found": true, "pool_paused": true, "pools_not_ascending": true, "incompatible_pools": true,
	"mixed_strategies": true, "max_leverage_exceeded": true, "position_committed": true,
	"position_not_committed": true, "withdraw_delay_not_reached": true, "pool_has_ongoing_claims": true,
	"insufficient_liquidity": true, "insufficient_capacity": true, "duration_below_one_tick": true,
	"duration_overflow": true, "cover_expired": true, "not_enough_premiums": true,
	"ratio_above_capacity": true, "claim_not_open": true, "claim_already_open": true,
}

// TestInvariantErrorCodesMatchSpec checks invSpecCodes and the engine's codes
// against the list in docs/scenario.md (when the spec is beside the repo).
func TestInvariantErrorCodesMatchSpec(t *testing.T) {
	path := filepath.Join("..", "..", "shared", "spec", "scenario.md")
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("no %s beside the repo", path)
	}
	i := strings.Index(string(doc), "## Error codes")
	if i < 0 {
		t.Fatalf("%s has no error code section", path)
	}
	found := regexp.MustCompile("`([a-z_]+)`").FindAllStringSubmatch(string(doc[i:]), -1)
	var spec []string
	for _, f := range found {
		spec = append(spec, f[1])
	}
	var ours []string
	for c := range invSpecCodes {
		ours = append(ours, string(c))
	}
	sort.Strings(spec)
	sort.Strings(ours)
	if !slices.Equal(spec, ours) {
		t.Errorf("spec lists %v\ntests list %v", spec, ours)
	}
	for _, c := range []Code{CodeInvalidArgument, CodeTimeWentBackwards, CodeNotFound, CodeNotOwner, CodeZeroAmount,
		CodeInsufficientBalance, CodeOverflow, CodeFrozen, CodePoolNotFound, CodePoolPaused, CodePoolsNotAscending,
		CodeIncompatiblePools, CodeMixedStrategies, CodeMaxLeverageExceeded, CodePositionCommitted,
		CodePositionNotCommitted, CodeWithdrawDelayNotReached, CodePoolHasOngoingClaims, CodeInsufficientLiquidity,
		CodeInsufficientCapacity, CodeDurationBelowOneTick, CodeDurationOverflow, CodeCoverExpired,
		CodeNotEnoughPremiums, CodeRatioAboveCapacity, CodeClaimNotOpen, CodeClaimAlreadyOpen} {
		if !invSpecCodes[c] {
			t.Errorf("engine code %q is not in the spec", c)
		}
	}
}

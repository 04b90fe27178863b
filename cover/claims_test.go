package cover

import (
	"testing"

	"github.com/vpool/vpool/ray"
)

// claimMarket is one pool of 10,000 (6 decimals) with carol's cover of
// 1,000 bought for 100 of premiums, at time t0.
func claimMarket(t *testing.T) (*Market, uint64) {
	return usdcMarket(t, Int{},
		Mint{To: "carol", Asset: "USDC", Amount: usdc(100)},
		OpenCover{Owner: "carol", Pool: 0, Amount: usdc(1_000), Premium: usdc(100)})
}

// claimAndAccept opens a claim on cover 0 and accepts it; a claim that
// cannot be accepted stays open (spec §7), so it is then rejected.
func claimAndAccept(m *Market, at uint64, amount Int) error {
	res, err := m.Apply(at, OpenClaim{Cover: 0, Amount: amount})
	if err != nil {
		return err
	}
	id := res.(map[string]int)["claim"]
	if _, err = m.Apply(at, ResolveClaim{Claim: id, Accept: true}); err != nil {
		if _, rejectErr := m.Apply(at, ResolveClaim{Claim: id}); rejectErr != nil {
			return rejectErr
		}
	}
	return err
}

// A cover pays at most its amount in total, whether the claims come while
// it is active (and it is registered again for the rest) or after.
func TestClaimsNeverPayMoreThanTheCover(t *testing.T) {
	for _, tc := range []struct {
		name  string
		delay uint64 // from purchase to the claims
	}{
		{"active cover", Day},
		{"expired cover", 3 * Year},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, t0 := claimMarket(t)
			at := t0 + tc.delay
			if err := claimAndAccept(m, at, ray.U64(600_000_000)); err != nil {
				t.Fatal(err)
			}
			if err := claimAndAccept(m, at, ray.U64(400_000_001)); CodeOf(err) != CodeInvalidArgument {
				t.Fatalf("a second claim beyond the 400 left: %v, want invalid_argument", err)
			}
			if err := claimAndAccept(m, at, ray.U64(400_000_000)); err != nil {
				t.Fatalf("the 400 left: %v", err)
			}
			if err := claimAndAccept(m, at, ray.U64(1)); CodeOf(err) != CodeInvalidArgument {
				t.Fatalf("a claim on a fully paid cover: %v, want invalid_argument", err)
			}
			paid, low, high := m.Balance("carol", "USDC"), ray.U64(1_000_000_000), ray.U64(1_100_000_000)
			if paid.Lt(&low) || high.Lt(&paid) {
				t.Fatalf("carol holds %s: want her 1,000 of claims plus at most her 100 of premiums back", paid.Dec())
			}
		})
	}
}

func TestClaimViewFollowsTheClaim(t *testing.T) {
	m, t0 := claimMarket(t)
	if _, err := m.ClaimAt(0); CodeOf(err) != CodeNotFound {
		t.Fatalf("no claim yet: %v", err)
	}
	applyChecked(t, m, t0, OpenClaim{Cover: 0, Amount: usdc(300)})
	want := ClaimView{ID: 0, Cover: 0, Pool: 0, Owner: "carol", Amount: "300000000", Status: "open", Compensation: -1}
	if got, err := m.ClaimAt(0); err != nil || got != want {
		t.Fatalf("open claim: %+v %v", got, err)
	}
	applyChecked(t, m, t0, ResolveClaim{Claim: 0, Accept: true})
	want.Status, want.Compensation = "accepted", 0
	if got, _ := m.ClaimAt(0); got != want {
		t.Fatalf("accepted claim: %+v", got)
	}
	applyChecked(t, m, t0, OpenClaim{Cover: 0, Amount: usdc(1)})
	applyChecked(t, m, t0, ResolveClaim{Claim: 1})
	if got, _ := m.ClaimAt(1); got.Status != "rejected" || got.Compensation != -1 {
		t.Fatalf("rejected claim: %+v", got)
	}
}

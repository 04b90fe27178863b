package covergen

import (
	"strconv"

	"github.com/vpool/vpool/ray"
)

// lpNames and buyerNames are the stems of the account names.
var (
	lpNames    = []string{"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "ken", "laura", "mallory", "nina", "oscar", "peggy"}
	buyerNames = []string{"acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka", "tyrell", "soylent", "vandelay", "oceanic", "monarch", "gringotts", "cyberdyne", "aperture"}
)

// accountNames names n accounts from base, then base with 2, 3, … appended.
func accountNames(base []string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = base[i%len(base)]
		if k := i / len(base); k > 0 {
			out[i] += strconv.Itoa(k + 1)
		}
	}
	return out
}

func (g *generator) lp() string    { return g.lps[g.r.IntN(len(g.lps))] }
func (g *generator) buyer() string { return g.buyers[g.r.IntN(len(g.buyers))] }

// other is an account that is not owner.
func (g *generator) other(owner string) string {
	for {
		var a string
		if g.chance(5000) {
			a = g.lp()
		} else {
			a = g.buyer()
		}
		if a != owner {
			return a
		}
	}
}

// as sometimes names the owner as the caller, as a front end would.
func (g *generator) as(owner string) {
	if g.chance(4000) {
		g.a.name("as", owner)
	}
}

// fund mints to acct whatever it lacks of need, plus some spare.
func (g *generator) fund(acct string, asset int, need ray.Int) bool {
	sym := g.assets[asset].symbol
	have := g.m.Balance(acct, sym)
	if !have.Lt(&need) {
		return true
	}
	var amt ray.Int
	amt.Sub(&need, &have)
	spare := mulBP(need, g.between(0, 20_000))
	amt.Add(&amt, &spare)
	amt.Add(&amt, &g.assets[asset].perDollar)
	amt = g.wholeDollars(asset, amt)
	g.a.reset()
	g.a.name("to", acct)
	g.a.name("asset", sym)
	g.a.amount("amount", amt)
	_, err := g.emit("mint", false)
	return err == nil
}

package sim

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// runTiny runs 20 paths of the tiny market with the given incidents and
// returns the summary and the rows of paths.csv (header dropped).
func runTiny(t *testing.T, incidents string) (*Summary, []map[string]string, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := Run(tiny(t, incidents), Options{Runs: 20, Seed: 3, Workers: 2}, dir)
	if err != nil {
		t.Fatal(err)
	}
	rows := readRows(t, filepath.Join(dir, "paths.csv"))
	if len(rows) != 20 {
		t.Fatalf("paths.csv has %d rows, want 20", len(rows))
	}
	return s, rows, dir
}

func number(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestNoHacksNoLosses: with no hack, no claim is paid and no LP loses
// capital; an unleveraged LP earns at least the strategy's 4% less its
// 10% performance fee.
func TestNoHacksNoLosses(t *testing.T) {
	s, rows, _ := runTiny(t, noHacks)
	o := s.Overall
	if o.PathsWithClaims.Value != 0 || o.ClaimNotPaidInFull.Value != 0 || o.ClaimsPaid.Mean.Value != 0 {
		t.Errorf("claims without hacks: %+v", o.Stats)
	}
	if o.LPLoss.Unleveraged.Probability.Value != 0 || o.LPLoss.Leveraged.Probability.Value != 0 || o.LPLoss.Leveraged.Max != 0 {
		t.Errorf("losses without hacks: %+v", o.LPLoss)
	}
	for _, r := range rows {
		if r["hacks"] != "0" || r["claims_paid"] != "0" {
			t.Errorf("path %s: hacks %s, claims %s", r["path"], r["hacks"], r["claims_paid"])
		}
	}
	if o.LPAPY.Unleveraged.P5.Value < 3.6 || o.LPAPY.Unleveraged.P95.Value > 100 {
		t.Errorf("unleveraged APY %+v, want at least 3.6%% (4%% yield less 10%% fee)", o.LPAPY.Unleveraged)
	}
	if o.LPAPY.Leveraged.N == 0 || o.LPAPY.Unleveraged.N == 0 {
		t.Errorf("APY counts %+v", o.LPAPY)
	}
}

// TestCertainHackClaimsEveryPath: pool a is hacked once in every path at
// severity 1, so every path pays claims in a; every LP backing a loses
// capital, and an LP in b alone loses nothing.
func TestCertainHackClaimsEveryPath(t *testing.T) {
	s, rows, _ := runTiny(t, certainHack)
	for _, r := range rows {
		if r["hacks"] != "1" || number(t, r["claims_paid"]) <= 0 {
			t.Errorf("path %s: hacks %s, claims paid %s", r["path"], r["hacks"], r["claims_paid"])
		}
	}
	a, b := s.Pools[0], s.Pools[1]
	if s.Overall.PathsWithClaims.Value != 1 || a.PathsWithClaims.Value != 1 || a.HacksPerPath.Value != 1 || b.HacksPerPath.Value != 0 {
		t.Errorf("claims in %v of paths, a %v (hacks %v), b hacks %v", s.Overall.PathsWithClaims, a.PathsWithClaims, a.HacksPerPath, b.HacksPerPath)
	}
	if a.LPLoss.Unleveraged.N == 0 || a.LPLoss.Unleveraged.Probability.Value != 1 || s.Overall.LPLoss.Leveraged.Probability.Value != 1 {
		t.Errorf("LPs backing a: unleveraged %+v, leveraged %+v", a.LPLoss.Unleveraged, s.Overall.LPLoss.Leveraged)
	}
	if b.LPLoss.Unleveraged.N == 0 || b.LPLoss.Unleveraged.Probability.Value != 0 {
		t.Errorf("LPs in b alone lost: %+v", b.LPLoss.Unleveraged)
	}
}

// TestLeverageAddsLosses: a shared dependency hits a and b on the same day;
// a leveraged LP over both is cut by both payouts, an unleveraged LP by one.
func TestLeverageAddsLosses(t *testing.T) {
	s, _, _ := runTiny(t, sharedHack)
	l := s.Overall.LPLoss
	if l.Leveraged.Mean.Value <= l.Unleveraged.Mean.Value || l.Unleveraged.Mean.Value <= 0 {
		t.Errorf("leveraged mean loss %v, unleveraged %v", l.Leveraged.Mean, l.Unleveraged.Mean)
	}
}

// TestReportHasFigures: report.html inlines five figures of the market
// and its tails and five per pool, each with its legend and a "how to
// read this" box.
func TestReportHasFigures(t *testing.T) {
	_, _, dir := runTiny(t, sharedHack)
	data, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	html := string(data)
	const want = 5 + 5*2
	if n := strings.Count(html, `src="data:image/svg+xml;base64,`); n != want {
		t.Errorf("report.html has %d figures, want %d", n, want)
	}
	if n := strings.Count(html, "<b>How to read this.</b>"); n != want+1 { // and the tails table's
		t.Errorf("report.html has %d how-to boxes, want %d", n, want+1)
	}
	for _, alt := range []string{"premium curve of a", "utilization of b", "premium rate of a", "APY fan of a", "loss histogram of b",
		"loss histogram by group", "APY distribution", "fee income against claims", "claims exceedance", "LP book exceedance"} {
		if !strings.Contains(html, `alt="`+alt+`"`) {
			t.Errorf("report.html lacks the figure %q", alt)
		}
	}
	if !strings.Contains(html, `class="legend"`) || strings.Contains(html, "<script") {
		t.Error("report.html: legends missing, or a script in a self-contained page")
	}
}

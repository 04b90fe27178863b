package sim

import "slices"

// objectiveNames lists the summary figures a sweep can plot and
// --target-precision can aim at.
func objectiveNames() []string {
	return []string{"lpAPY.unleveraged.p5", "lpAPY.unleveraged.p50", "lpAPY.leveraged.p5", "lpAPY.leveraged.p50",
		"lpLoss.unleveraged.mean", "lpLoss.leveraged.mean", "claimNotPaidInFull", "coverRefusedShare",
		"riskFundIncome.mean", "treasuryIncome.mean", "claimsPaid.mean", "utilization.median",
		"claimsPaid.var99", "claimsPaid.es99", "lpCapitalLost.unleveraged.es99", "lpCapitalLost.leveraged.var99",
		"lpCapitalLost.leveraged.es99", "protocolNetLoss.es99", "anyPoolLPsLoseMoreThanThreshold"}
}

// precisionFigures are the objectives with an interval, which
// --target-precision can aim at.
func precisionFigures() []string {
	return slices.DeleteFunc(objectiveNames(), func(name string) bool { return name == "utilization.median" })
}

// objectives are the summary's figures by objective name.
func objectives(s *Summary) map[string]Estimate {
	o, t := s.Overall, s.Tails
	util := 0.0
	n := 0
	for _, p := range s.Pools {
		for _, v := range p.Bands.Utilization.P50 {
			util += v
			n++
		}
	}
	return map[string]Estimate{
		"lpAPY.unleveraged.p5": o.LPAPY.Unleveraged.P5, "lpAPY.unleveraged.p50": o.LPAPY.Unleveraged.P50,
		"lpAPY.leveraged.p5": o.LPAPY.Leveraged.P5, "lpAPY.leveraged.p50": o.LPAPY.Leveraged.P50,
		"lpLoss.unleveraged.mean": o.LPLoss.Unleveraged.Mean, "lpLoss.leveraged.mean": o.LPLoss.Leveraged.Mean,
		"claimNotPaidInFull": o.ClaimNotPaidInFull, "coverRefusedShare": o.CoverRefusedShare,
		"riskFundIncome.mean": o.RiskFundIncome.Mean, "treasuryIncome.mean": o.TreasuryIncome.Mean,
		"claimsPaid.mean": o.ClaimsPaid.Mean, "utilization.median": {Value: round(util / float64(max(n, 1)))},
		"claimsPaid.var99": t.ClaimsPaid.VaR99, "claimsPaid.es99": t.ClaimsPaid.ES99,
		"lpCapitalLost.unleveraged.es99": t.LPCapitalLost.Unleveraged.ES99, "lpCapitalLost.leveraged.var99": t.LPCapitalLost.Leveraged.VaR99,
		"lpCapitalLost.leveraged.es99": t.LPCapitalLost.Leveraged.ES99, "protocolNetLoss.es99": t.ProtocolNetLoss.ES99,
		"anyPoolLPsLoseMoreThanThreshold": t.AnyPoolLPsLose,
	}
}

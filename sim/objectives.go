package sim

// objectiveNames lists the summary figures a sweep can plot.
func objectiveNames() []string {
	return []string{"lpAPY.unleveraged.p5", "lpAPY.unleveraged.p50", "lpAPY.leveraged.p5", "lpAPY.leveraged.p50",
		"lpLoss.unleveraged.mean", "lpLoss.leveraged.mean", "claimNotPaidInFull", "coverRefusedShare",
		"riskFundIncome.mean", "treasuryIncome.mean", "claimsPaid.mean", "utilization.mean"}
}

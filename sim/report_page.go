package sim

import (
	"html/template"
	"strconv"
	"strings"
)

// reportCSS is the style of report.html and sweep.html.
const reportCSS = `
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1240px;padding:0 1rem;color:#222;line-height:1.45}
h1,h2,h3{font-weight:600} h2{margin-top:2.5rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:1rem 0;font-size:.92rem}
td,th{border:1px solid #ddd;padding:.3rem .6rem;text-align:right;vertical-align:top} th{background:#f4f4f4}
td:first-child,th:first-child{text-align:left}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:1.2rem}
figure{margin:0} img{max-width:100%}
.legend{list-style:none;padding:0;margin:.2rem 0;font-size:.85rem;display:flex;flex-wrap:wrap;gap:.3rem 1rem}
.swatch{display:inline-block;width:1.4rem;height:.22rem;margin-right:.35rem;vertical-align:middle}
.swatch.band{height:.8rem}
.howto{background:#f6f8fa;border-left:3px solid #8aa;padding:.4rem .7rem;font-size:.85rem;margin:.3rem 0}
.warn{background:#fff4e5;border-left:3px solid #e69500;padding:.4rem .7rem}
.note{color:#555;font-size:.9rem}
`

// chartTemplate draws a chart: its image, its legend and how to read it.
const chartTemplate = `{{define "chart"}}<figure>{{.Img}}
{{if .Legend}}<ul class="legend">{{range .Legend}}<li><span class="swatch{{if .Band}} band{{end}}" style="background:{{.Colour}}"></span>{{.Name}}</li>{{end}}</ul>{{end}}
<div class="howto"><b>How to read this.</b> {{.HowTo}}</div></figure>{{end}}`

// reportTemplate is report.html: self-contained, figures inlined.
var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct":   func(e Estimate) string { return fmtEstimate(e, 2) + " %" },
	"pctv":  func(x float64) string { return fmtFloat(x, 2) + " %" },
	"num":   func(e Estimate) string { return fmtEstimate(e, 0) },
	"num3":  func(e Estimate) string { return fmtEstimate(e, 3) },
	"share": func(e Estimate) string { return fmtEstimate(scaled(e, 100), 2) + " %" },
	"join":  func(names []string) string { return strings.Join(names, ", ") },
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>vpool sim: {{.S.Name}}</title>
<style>` + reportCSS + `</style></head><body>
<h1>vpool sim: {{.S.Name}}</h1>
<p>{{.S.Paths}} paths, seed {{.S.Seed}}; a {{.S.HorizonDays}}-day horizon in steps of {{.S.StepDays}} day(s) after a
{{.S.WarmupDays}}-day warm-up (start market: {{.S.StartMarket}}); pool state recorded every {{.S.RecordEveryDays}} days.
Every path ran the cover engine itself; docs/sim.md defines every figure.</p>
{{if .S.Interrupted}}<p class="warn">This run was interrupted: every figure covers only the {{.S.Paths}} paths completed.</p>{{end}}
{{with .S.Precision}}<p class="{{if .Met}}note{{else}}warn{{end}}">Target precision: {{.Figure}} to ±{{.Target}}
{{if .Met}}was met{{else}}was not met within the paths allowed{{end}}{{with .HalfWidth}} (±{{.}} reached){{end}}.</p>{{end}}
<div class="howto"><b>How to read this report.</b> A figure written <i>5.21 (5.02 to 5.40)</i> is the estimate from all paths
and, in brackets, its 95% confidence interval: intervals made this way contain, 95 times in 100, the value the same file
would give with unlimited paths. Shares of paths have Wilson intervals; every other figure has a batch-means interval over 20
fixed batches of paths. Intervals measure only the Monte Carlo error: the file's parameters (hack probabilities,
severities, behaviours) are assumptions to sweep. APY is simple and annualized over the time an LP held its position;
losses are shares of an LP's capital taken by claim payouts.</div>

<h2>LPs</h2>
<table>
<tr><th></th><th>unleveraged LPs</th><th>leveraged LPs</th></tr>
<tr><td>realised APY p5 / p50 / p95</td><td>{{pct .S.Overall.LPAPY.Unleveraged.P5}}<br>{{pct .S.Overall.LPAPY.Unleveraged.P50}}<br>{{pct .S.Overall.LPAPY.Unleveraged.P95}}</td><td>{{pct .S.Overall.LPAPY.Leveraged.P5}}<br>{{pct .S.Overall.LPAPY.Leveraged.P50}}<br>{{pct .S.Overall.LPAPY.Leveraged.P95}}</td></tr>
<tr><td>LPs losing capital</td><td>{{share .S.Overall.LPLoss.Unleveraged.Probability}}</td><td>{{share .S.Overall.LPLoss.Leveraged.Probability}}</td></tr>
<tr><td>capital lost: mean / p99 / max</td><td>{{pct .S.Overall.LPLoss.Unleveraged.Mean}}<br>{{pct .S.Overall.LPLoss.Unleveraged.P99}}<br>{{pctv .S.Overall.LPLoss.Unleveraged.Max}}</td><td>{{pct .S.Overall.LPLoss.Leveraged.Mean}}<br>{{pct .S.Overall.LPLoss.Leveraged.P99}}<br>{{pctv .S.Overall.LPLoss.Leveraged.Max}}</td></tr>
</table>
<table>
<tr><th>LP group</th><th>LPs</th><th>APY p5</th><th>APY p50</th><th>APY p95</th><th>losing capital</th><th>capital lost, mean</th><th>capital lost, p99</th></tr>
{{range .S.Groups}}<tr><td>{{.Name}}</td><td>{{.LPLoss.N}}</td><td>{{pct .LPAPY.P5}}</td><td>{{pct .LPAPY.P50}}</td><td>{{pct .LPAPY.P95}}</td><td>{{share .LPLoss.Probability}}</td><td>{{pct .LPLoss.Mean}}</td><td>{{pct .LPLoss.P99}}</td></tr>
{{end}}</table>

<h2>The market</h2>
<table>
{{with .S.Overall}}<tr><td>paths where a hack led to claims</td><td>{{share .PathsWithClaims}}</td></tr>
<tr><td>paths where a claim was not paid in full</td><td>{{share .ClaimNotPaidInFull}}</td></tr>
<tr><td>claims paid per path (mean)</td><td>{{num .ClaimsPaid.Mean}}</td></tr>
<tr><td>claims not paid per path (mean)</td><td>{{num .ClaimsUnpaid.Mean}}</td></tr>
<tr><td>treasury income per path (mean)</td><td>{{num .TreasuryIncome.Mean}}</td></tr>
<tr><td>risk-fund income per path (mean)</td><td>{{num .RiskFundIncome.Mean}}</td></tr>
<tr><td>risk-fund income ≥ claims paid, among the {{.RiskFundCoversClaims.PathsWithClaims}} paths with claims</td><td>{{share .RiskFundCoversClaims.Share}}</td></tr>
<tr><td>covers asked per path / share refused</td><td>{{num3 .CoverDemand}}<br>{{share .CoverRefusedShare}}</td></tr>
<tr><td>paths ending with a premium shortfall</td><td>{{share .ShortfallProbability}}</td></tr>
<tr><td>withdrawals refused for open claims, per path</td><td>{{num3 .WithdrawalsBlocked}}</td></tr>
<tr><td>paths with a strategy venue failure</td><td>{{share .VenueFailure}}</td></tr>
<tr><td>LP arrivals refused by the engine / staying away for the quoted APY</td><td>{{.LPsRefused}} / {{.LPsDeclined}}</td></tr>{{end}}
</table>
<div class="grid">{{range .Market}}{{template "chart" .}}{{end}}</div>

<h2>Tails over the {{.S.Tails.HorizonDays}}-day horizon</h2>
<div class="howto"><b>How to read this.</b> VaR 95% is the loss not exceeded in 95% of paths; ES 95% is the mean loss over the
worst 5% of paths (likewise at 99%). Claims and the protocol's net loss (claims not paid in full less treasury and risk-fund
income; negative when the fees more than cover them) are in tokens per path; LP books are the share of their capital all the
LPs of the book lost together in a path.</div>
<table>
<tr><th>loss per path</th><th>VaR 95%</th><th>ES 95%</th><th>VaR 99%</th><th>ES 99%</th></tr>
{{with .S.Tails}}<tr><td>claims paid (tokens)</td><td>{{num .ClaimsPaid.VaR95}}</td><td>{{num .ClaimsPaid.ES95}}</td><td>{{num .ClaimsPaid.VaR99}}</td><td>{{num .ClaimsPaid.ES99}}</td></tr>
<tr><td>protocol net loss (tokens)</td><td>{{num .ProtocolNetLoss.VaR95}}</td><td>{{num .ProtocolNetLoss.ES95}}</td><td>{{num .ProtocolNetLoss.VaR99}}</td><td>{{num .ProtocolNetLoss.ES99}}</td></tr>
{{with .LPCapitalLost}}<tr><td>unleveraged LPs' capital</td><td>{{pct .Unleveraged.VaR95}}</td><td>{{pct .Unleveraged.ES95}}</td><td>{{pct .Unleveraged.VaR99}}</td><td>{{pct .Unleveraged.ES99}}</td></tr>
<tr><td>leveraged LPs' capital</td><td>{{pct .Leveraged.VaR95}}</td><td>{{pct .Leveraged.ES95}}</td><td>{{pct .Leveraged.VaR99}}</td><td>{{pct .Leveraged.ES99}}</td></tr>
{{range .Groups}}<tr><td>group {{.Name}}: capital</td><td>{{pct .VaR95}}</td><td>{{pct .ES95}}</td><td>{{pct .VaR99}}</td><td>{{pct .ES99}}</td></tr>
{{end}}{{end}}</table>
<p>Paths in which some pool's LPs together lose more than {{pctv .LossThreshold}} of their capital: {{share .AnyPoolLPsLose}}
(per pool below).</p>{{end}}
<div class="grid">{{range .Tails}}{{template "chart" .}}{{end}}</div>

{{if .S.Stress}}<h2>Stress scenarios</h2>
<div class="howto"><b>How to read this.</b> Each scenario runs the same {{.S.Paths}} paths as the main run (same seed: the same
random hacks, buyers and LPs) with its deterministic shocks added, so a difference from the main run is the scenario's
effect.</div>
<table>
<tr><th>run</th><th>shocks (day: pools at severity)</th><th>claims paid (mean)</th><th>claim not paid in full</th><th>leveraged LPs' capital, ES 95%</th><th>unleveraged LPs' capital, ES 95%</th><th>leveraged APY p50</th></tr>
<tr><td>main run</td><td>none</td><td>{{num .S.Overall.ClaimsPaid.Mean}}</td><td>{{share .S.Overall.ClaimNotPaidInFull}}</td><td>{{pct .S.Tails.LPCapitalLost.Leveraged.ES95}}</td><td>{{pct .S.Tails.LPCapitalLost.Unleveraged.ES95}}</td><td>{{pct .S.Overall.LPAPY.Leveraged.P50}}</td></tr>
{{range .S.Stress}}<tr><td>{{.Name}}</td><td>{{range $i, $s := .Shocks}}{{if $i}}; {{end}}day {{$s.Day}}: {{join $s.Pools}} at {{$s.Severity}}{{end}}</td><td>{{num .Overall.ClaimsPaid.Mean}}</td><td>{{share .Overall.ClaimNotPaidInFull}}</td><td>{{pct .Tails.LPCapitalLost.Leveraged.ES95}}</td><td>{{pct .Tails.LPCapitalLost.Unleveraged.ES95}}</td><td>{{pct .Overall.LPAPY.Leveraged.P50}}</td></tr>
{{end}}</table>{{end}}
{{with .S.History}}<h2>Incidents fitted to {{.File}}</h2>
<p>{{.Events}} hacks of the mapped protocols over {{.YearsObserved}} years observed; severity {{range $k, $v := .Severity}}{{$k}} {{$v}} {{end}}(a beta by moments over all of them).</p>
<table><tr><th>pool</th><th>hacks</th><th>fitted probability per year</th></tr>
{{range .Pools}}<tr><td>{{.Pool}}</td><td>{{.Events}}</td><td>{{.ProbabilityPerYear}}</td></tr>{{end}}</table>{{end}}

{{range .Pools}}{{with .S}}
<h2>Pool {{.Name}}</h2>
<table>
<tr><th></th><th>unleveraged LPs</th><th>leveraged LPs</th></tr>
<tr><td>realised APY p5 / p50 / p95</td><td>{{pct .LPAPY.Unleveraged.P5}}<br>{{pct .LPAPY.Unleveraged.P50}}<br>{{pct .LPAPY.Unleveraged.P95}}</td><td>{{pct .LPAPY.Leveraged.P5}}<br>{{pct .LPAPY.Leveraged.P50}}<br>{{pct .LPAPY.Leveraged.P95}}</td></tr>
<tr><td>capital lost, mean</td><td>{{pct .LPLoss.Unleveraged.Mean}}</td><td>{{pct .LPLoss.Leveraged.Mean}}</td></tr>
</table>
<p>Hacks per path {{num3 .HacksPerPath}}; claims paid per path {{num .ClaimsPaid.Mean}}; a claim not paid in full in
{{share .ClaimNotPaidInFull}} of paths; the pool's LPs lose more than the threshold in {{share .LPsLose}} of paths;
{{share .CoverRefusedShare}} of cover asked refused.</p>{{end}}
<div class="grid">{{range .Charts}}{{template "chart" .}}{{end}}</div>
{{end}}
</body></html>
` + chartTemplate))

// fmtEstimate writes an estimate with its interval: "5.21 (5.02 to 5.40)".
func fmtEstimate(e Estimate, decimals int) string {
	if e.CI == nil {
		return fmtFloat(e.Value, decimals)
	}
	return fmtFloat(e.Value, decimals) + " (" + fmtFloat(e.CI[0], decimals) + " to " + fmtFloat(e.CI[1], decimals) + ")"
}

// scaled is e with its value and interval multiplied by k.
func scaled(e Estimate, k float64) Estimate {
	out := Estimate{Value: e.Value * k}
	if e.CI != nil {
		out.CI = &[2]float64{e.CI[0] * k, e.CI[1] * k}
	}
	return out
}

// fmtFloat writes x with the given decimals.
func fmtFloat(x float64, decimals int) string { return strconv.FormatFloat(x, 'f', decimals, 64) }

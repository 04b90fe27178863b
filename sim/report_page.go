package sim

import (
	"html/template"
	"strconv"
	"strings"
)

// reportTemplate is report.html: self-contained, figures inlined.
var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct":   func(e Estimate) string { return fmtEstimate(e, 2) + " %" },
	"pctv":  func(x float64) string { return fmtFloat(x, 2) + " %" },
	"num":   func(e Estimate) string { return fmtEstimate(e, 0) },
	"share": func(e Estimate) string { return fmtEstimate(scaled(e, 100), 2) + " %" },
	"num3":  func(e Estimate) string { return fmtEstimate(e, 3) },
	"join":  func(names []string) string { return strings.Join(names, ", ") },
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>vpool sim: {{.S.Name}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;max-width:1200px;color:#222}
h1,h2{font-weight:600} table{border-collapse:collapse;margin:1rem 0}
td,th{border:1px solid #ddd;padding:.3rem .6rem;text-align:right} th{background:#f4f4f4}
td:first-child,th:first-child{text-align:left}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(500px,1fr));gap:1rem}
img{max-width:100%}
</style></head><body>
<h1>vpool sim: {{.S.Name}}</h1>
<p>{{.S.Paths}} paths, seed {{.S.Seed}}, {{.S.HorizonDays}} days in steps of {{.S.StepDays}} day(s), recorded every {{.S.RecordEveryDays}} days.
Every path ran the cover engine itself; see docs/sim.md for what each figure means.</p>
<h2>Overall</h2>
<table>
<tr><th></th><th>unleveraged LPs</th><th>leveraged LPs</th></tr>
<tr><td>APY p5 / p50 / p95</td><td>{{pct .S.Overall.LPAPY.Unleveraged.P5}} / {{pct .S.Overall.LPAPY.Unleveraged.P50}} / {{pct .S.Overall.LPAPY.Unleveraged.P95}}</td><td>{{pct .S.Overall.LPAPY.Leveraged.P5}} / {{pct .S.Overall.LPAPY.Leveraged.P50}} / {{pct .S.Overall.LPAPY.Leveraged.P95}}</td></tr>
<tr><td>LPs losing capital</td><td>{{share .S.Overall.LPLoss.Unleveraged.Probability}}</td><td>{{share .S.Overall.LPLoss.Leveraged.Probability}}</td></tr>
<tr><td>capital lost: mean / p99 / max</td><td>{{pct .S.Overall.LPLoss.Unleveraged.Mean}} / {{pct .S.Overall.LPLoss.Unleveraged.P99}} / {{pctv .S.Overall.LPLoss.Unleveraged.Max}}</td><td>{{pct .S.Overall.LPLoss.Leveraged.Mean}} / {{pct .S.Overall.LPLoss.Leveraged.P99}} / {{pctv .S.Overall.LPLoss.Leveraged.Max}}</td></tr>
</table>
<table>
<tr><th>paths with claims</th><th>claim not paid in full</th><th>claims paid (mean)</th><th>risk-fund income (mean)</th><th>treasury income (mean)</th><th>risk fund ≥ claims (paths with claims)</th><th>premium shortfall</th><th>covers refused</th></tr>
<tr><td>{{share .S.Overall.PathsWithClaims}}</td><td>{{share .S.Overall.ClaimNotPaidInFull}}</td><td>{{num .S.Overall.ClaimsPaid.Mean}}</td><td>{{num .S.Overall.RiskFundIncome.Mean}}</td><td>{{num .S.Overall.TreasuryIncome.Mean}}</td><td>{{share .S.Overall.RiskFundCoversClaims.Share}} of {{.S.Overall.RiskFundCoversClaims.PathsWithClaims}}</td><td>{{share .S.Overall.ShortfallProbability}}</td><td>{{share .S.Overall.CoverRefusedShare}}</td></tr>
</table>
<h2>Tails over the {{.S.Tails.HorizonDays}}-day horizon</h2>
<table>
<tr><th>loss per path</th><th>VaR 95%</th><th>ES 95%</th><th>VaR 99%</th><th>ES 99%</th></tr>
{{with .S.Tails}}<tr><td>claims paid (tokens)</td><td>{{num .ClaimsPaid.VaR95}}</td><td>{{num .ClaimsPaid.ES95}}</td><td>{{num .ClaimsPaid.VaR99}}</td><td>{{num .ClaimsPaid.ES99}}</td></tr>
<tr><td>protocol net loss (tokens)</td><td>{{num .ProtocolNetLoss.VaR95}}</td><td>{{num .ProtocolNetLoss.ES95}}</td><td>{{num .ProtocolNetLoss.VaR99}}</td><td>{{num .ProtocolNetLoss.ES99}}</td></tr>
{{with .LPCapitalLost}}<tr><td>unleveraged LPs' capital lost</td><td>{{pct .Unleveraged.VaR95}}</td><td>{{pct .Unleveraged.ES95}}</td><td>{{pct .Unleveraged.VaR99}}</td><td>{{pct .Unleveraged.ES99}}</td></tr>
<tr><td>leveraged LPs' capital lost</td><td>{{pct .Leveraged.VaR95}}</td><td>{{pct .Leveraged.ES95}}</td><td>{{pct .Leveraged.VaR99}}</td><td>{{pct .Leveraged.ES99}}</td></tr>
{{range .Groups}}<tr><td>group {{.Name}}: capital lost</td><td>{{pct .VaR95}}</td><td>{{pct .ES95}}</td><td>{{pct .VaR99}}</td><td>{{pct .ES99}}</td></tr>
{{end}}{{end}}</table>
<p>Paths in which some pool's LPs lose more than {{pctv .LossThreshold}} of their capital: {{share .AnyPoolLPsLose}}.</p>{{end}}
{{if .S.Stress}}<h2>Stress scenarios</h2>
<p>Each scenario runs the same {{.S.Paths}} paths with its shocks added on top of the random incidents.</p>
<table>
<tr><th>run</th><th>shocks (day: pools at severity)</th><th>claims paid (mean)</th><th>claim not paid in full</th><th>leveraged LPs' capital lost, ES 95%</th><th>unleveraged LPs' capital lost, ES 95%</th><th>leveraged APY p50</th></tr>
<tr><td>main run</td><td>none</td><td>{{num .S.Overall.ClaimsPaid.Mean}}</td><td>{{share .S.Overall.ClaimNotPaidInFull}}</td><td>{{pct .S.Tails.LPCapitalLost.Leveraged.ES95}}</td><td>{{pct .S.Tails.LPCapitalLost.Unleveraged.ES95}}</td><td>{{pct .S.Overall.LPAPY.Leveraged.P50}}</td></tr>
{{range .S.Stress}}<tr><td>{{.Name}}</td><td>{{range $i, $s := .Shocks}}{{if $i}}; {{end}}day {{$s.Day}}: {{join $s.Pools}} at {{$s.Severity}}{{end}}</td><td>{{num .Overall.ClaimsPaid.Mean}}</td><td>{{share .Overall.ClaimNotPaidInFull}}</td><td>{{pct .Tails.LPCapitalLost.Leveraged.ES95}}</td><td>{{pct .Tails.LPCapitalLost.Unleveraged.ES95}}</td><td>{{pct .Overall.LPAPY.Leveraged.P50}}</td></tr>
{{end}}</table>{{end}}
<div class="grid">{{.Money}}{{.APY}}{{.Losses}}</div>
{{range $i, $p := .Pools}}{{with index $.S.Pools $i}}
<h2>Pool {{.Name}}</h2>
<p>Unleveraged APY p5/p50/p95 {{pct .LPAPY.Unleveraged.P5}} / {{pct .LPAPY.Unleveraged.P50}} / {{pct .LPAPY.Unleveraged.P95}};
leveraged {{pct .LPAPY.Leveraged.P5}} / {{pct .LPAPY.Leveraged.P50}} / {{pct .LPAPY.Leveraged.P95}}.
Hacks per path {{num3 .HacksPerPath}}; claim not paid in full in {{share .ClaimNotPaidInFull}} of paths; {{share .CoverRefusedShare}} of cover demand refused.</p>{{end}}
<div class="grid">{{$p.Curve}}{{$p.Bands}}{{$p.APY}}{{$p.Loss}}</div>
{{end}}
</body></html>
`))

// fmtEstimate writes an estimate with its interval: "5.21 (5.02–5.40)".
func fmtEstimate(e Estimate, decimals int) string {
	if e.CI == nil {
		return fmtFloat(e.Value, decimals)
	}
	return fmtFloat(e.Value, decimals) + " (" + fmtFloat(e.CI[0], decimals) + "–" + fmtFloat(e.CI[1], decimals) + ")"
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

package sim

import (
	"bufio"
	"encoding/csv"
	"io"
	"os"
	"strconv"
)

// pathsHeader is the header of paths.csv.
var pathsHeader = []string{"path", "hacks", "claims_paid", "claims_unpaid", "treasury_income", "risk_fund_income",
	"premium_shortfall", "covers_asked", "covers_refused", "lps", "lp_apy_mean_unleveraged", "lp_apy_mean_leveraged",
	"lp_loss_mean_unleveraged", "lp_loss_mean_leveraged", "withdrawals_blocked", "venue_failures"}

// pathsCSV streams rows of paths.csv, one per path, in path order.
type pathsCSV struct {
	w   *csv.Writer
	row []string
}

// newPathsCSV writes paths.csv's header to w, where rows follow.
func newPathsCSV(w io.Writer) *pathsCSV {
	p := &pathsCSV{w: csv.NewWriter(w)}
	_ = p.w.Write(pathsHeader) // an error sticks in the writer
	return p
}

// newPathRows writes rows only, for a shard's part.
func newPathRows(w io.Writer) *pathsCSV { return &pathsCSV{w: csv.NewWriter(w)} }

// write adds path r's row.
func (p *pathsCSV) write(r *pathResult) error {
	var hacks, asked, refused int
	var paid, wanted float64
	for _, po := range r.pools {
		hacks, asked, refused = hacks+po.hacks, asked+po.demand, refused+po.refused
		paid, wanted = paid+po.paid, wanted+po.asked
	}
	var apy, loss [lpKinds]float64
	var nAPY, nLoss [lpKinds]int
	for _, lp := range r.lps {
		k := lp.kind()
		loss[k] += lp.lossPercent()
		nLoss[k]++
		if lp.hasAPY {
			apy[k] += lp.apy
			nAPY[k]++
		}
	}
	p.row = append(p.row[:0], strconv.Itoa(r.index), strconv.Itoa(hacks), num(paid), num(wanted-paid), num(r.treasury),
		num(r.riskFund), num(r.shortfall), strconv.Itoa(asked), strconv.Itoa(refused), strconv.Itoa(len(r.lps)),
		num(meanOf(apy[0], nAPY[0])), num(meanOf(apy[1], nAPY[1])), num(meanOf(loss[0], nLoss[0])), num(meanOf(loss[1], nLoss[1])), strconv.Itoa(r.blocked), strconv.Itoa(r.venueFailures))
	return p.w.Write(p.row)
}

// flush writes out the rows written so far.
func (p *pathsCSV) flush() error {
	p.w.Flush()
	return p.w.Error()
}

// close flushes the rows through buf into f and closes f.
func (p *pathsCSV) close(buf *bufio.Writer, f *os.File) error {
	err := p.flush()
	if ferr := buf.Flush(); err == nil {
		err = ferr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func meanOf(sum float64, n int) float64 {
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// ciBound writes bound i of e's interval, or nothing without one.
func ciBound(e Estimate, i int) string {
	if e.CI == nil {
		return ""
	}
	return num(e.CI[i])
}

// num writes a figure with at most 4 decimals.
func num(x float64) string { return strconv.FormatFloat(round(x), 'f', -1, 64) }

// writeTimeseries writes the pools' bands: one row per record day and pool.
func writeTimeseries(b *bufio.Writer, s *Summary) error {
	w := csv.NewWriter(b)
	header := []string{"day", "pool"}
	for _, q := range []string{"utilization", "premium_rate", "lp_apy"} {
		header = append(header, q+"_p5", q+"_p50", q+"_p95")
	}
	if err := w.Write(header); err != nil {
		return err
	}
	for _, ps := range s.Pools {
		bd := ps.Bands
		for r, day := range bd.Days {
			row := []string{strconv.Itoa(day), ps.Name}
			for _, band := range []Band{bd.Utilization, bd.PremiumRate, bd.LPAPY} {
				row = append(row, num(band.P5[r]), num(band.P50[r]), num(band.P95[r]))
			}
			if err := w.Write(row); err != nil {
				return err
			}
		}
	}
	w.Flush()
	return w.Error()
}

// writeMoney writes treasury and risk-fund income and claims paid since
// the horizon start: one row per record day, mean and percentiles.
func (a *aggregate) writeMoney(b *bufio.Writer) error {
	w := csv.NewWriter(b)
	header := []string{"day"}
	for _, q := range []string{"treasury_income", "risk_fund_income", "claims_paid"} {
		header = append(header, q+"_mean", q+"_p5", q+"_p50", q+"_p95")
	}
	if err := w.Write(header); err != nil {
		return err
	}
	for r := range a.m.records {
		row := []string{strconv.Itoa(a.m.recordDay(r))}
		for k := range moneySeries {
			h := a.money[r*moneySeries+k]
			row = append(row, num(h.mean()), num(h.quantile(0.05)), num(h.quantile(0.5)), num(h.quantile(0.95)))
		}
		if err := w.Write(row); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

package sim

import (
	"encoding/json"
	"math"
)

// batches is the number of fixed batches of paths the confidence
// intervals are computed from: path i belongs to batch i mod batches,
// whatever worker or machine ran it.
const batches = 20

// confidenceLevel is the coverage the intervals aim at.
const confidenceLevel = 0.95

// Estimate is a figure and its 95% confidence interval ([lo, hi]; absent
// when fewer than two batches hold data for it).
type Estimate struct {
	Value float64
	CI    *[2]float64
}

// MarshalJSON writes {"value": x, "ci95": [lo, hi]}.
func (e Estimate) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Value float64     `json:"value"`
		CI    *[2]float64 `json:"ci95,omitempty"`
	}{e.Value, e.CI})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (e *Estimate) UnmarshalJSON(data []byte) error {
	var v struct {
		Value float64     `json:"value"`
		CI    *[2]float64 `json:"ci95"`
	}
	err := json.Unmarshal(data, &v)
	e.Value, e.CI = v.Value, v.CI
	return err
}

// HalfWidth is half the interval's width (+Inf without an interval).
func (e Estimate) HalfWidth() float64 {
	if e.CI == nil {
		return math.Inf(1)
	}
	return (e.CI[1] - e.CI[0]) / 2
}

// rounded keeps 4 decimals of the value and the bounds.
func (e Estimate) rounded() Estimate {
	out := Estimate{Value: round(e.Value)}
	if e.CI != nil {
		out.CI = &[2]float64{round(e.CI[0]), round(e.CI[1])}
	}
	return out
}

// tQuantile975 is Student's t 97.5% quantile for 1 to batches−1 degrees
// of freedom.
var tQuantile975 = [batches]float64{0, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
	2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093}

// sectioned is the estimate value (from all paths) with the batch-means
// interval from the batches' own estimates of the same figure (batches
// without data for it left out): value ± t(k−1) · s / √k, where s is the
// standard deviation of the k batch estimates. This is "sectioning"
// (Asmussen and Glynn): the centre is the full-sample estimate, the
// spread comes from independent sections of the sample.
func sectioned(value float64, perBatch []float64) Estimate {
	e := Estimate{Value: value}
	k := len(perBatch)
	if k < 2 || math.IsNaN(value) || math.IsInf(value, 0) {
		return e
	}
	var mean float64
	for _, v := range perBatch {
		mean += v
	}
	mean /= float64(k)
	var ss float64
	for _, v := range perBatch {
		ss += (v - mean) * (v - mean)
	}
	half := tQuantile975[k-1] * math.Sqrt(ss/float64(k-1)/float64(k))
	if math.IsNaN(half) || math.IsInf(half, 0) {
		return e
	}
	e.CI = &[2]float64{value - half, value + half}
	return e
}

// wilson is the share k/n of paths with an event and its Wilson score
// interval: paths are independent, so a count of them needs no batches,
// and the Wilson interval stays inside [0, 1] and is honest for rare
// events (with no event in n paths its upper bound is about 3.84/n).
func wilson(k, n uint64) Estimate {
	if n == 0 {
		return Estimate{}
	}
	const z = 1.959964
	p, nf := float64(k)/float64(n), float64(n)
	centre := (p + z*z/(2*nf)) / (1 + z*z/nf)
	half := z / (1 + z*z/nf) * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf))
	return Estimate{Value: p, CI: &[2]float64{max(0, centre-half), min(1, centre+half)}}
}

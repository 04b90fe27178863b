package httpbench

import (
	"math"
)

// Report is the line `vpool bench http` prints. Rates are per second of
// the run; latencies are per request, in milliseconds.
type Report struct {
	MutationsPerSec float64 `json:"mutations_per_sec"`
	ReadsPerSec     float64 `json:"reads_per_sec"`
	P50Ms           float64 `json:"p50_ms"`
	P99Ms           float64 `json:"p99_ms"`
	MutationP50Ms   float64 `json:"mutation_p50_ms"`
	MutationP99Ms   float64 `json:"mutation_p99_ms"`
	ReadP50Ms       float64 `json:"read_p50_ms"`
	ReadP99Ms       float64 `json:"read_p99_ms"`
	// Mutations counts commands acknowledged durable, MutationsFailed
	// those the engine refused (durable all the same).
	Mutations       int64   `json:"mutations"`
	MutationsFailed int64   `json:"mutations_failed"`
	Reads           int64   `json:"reads"`
	Errors          int64   `json:"errors"`
	Clients         int     `json:"clients"`
	DurationS       float64 `json:"duration_s"`
	FirstError      string  `json:"first_error,omitempty"`
}

// Report summarizes s for a run with the given number of clients.
func (s Stats) Report(clients int) Report {
	secs := s.Elapsed.Seconds()
	if secs <= 0 {
		secs = math.SmallestNonzeroFloat64
	}
	mut, rd := s.MutationLatency, s.ReadLatency
	if mut == nil {
		mut = new(Histogram)
	}
	if rd == nil {
		rd = new(Histogram)
	}
	all := new(Histogram)
	all.merge(mut)
	all.merge(rd)
	r := Report{
		MutationsPerSec: round2(float64(s.Mutations) / secs),
		ReadsPerSec:     round2(float64(s.Reads) / secs),
		P50Ms:           round3(all.Quantile(0.50)),
		P99Ms:           round3(all.Quantile(0.99)),
		MutationP50Ms:   round3(mut.Quantile(0.50)),
		MutationP99Ms:   round3(mut.Quantile(0.99)),
		ReadP50Ms:       round3(rd.Quantile(0.50)),
		ReadP99Ms:       round3(rd.Quantile(0.99)),
		Mutations:       s.Mutations,
		MutationsFailed: s.MutationsFailed,
		Reads:           s.Reads,
		Errors:          s.Errors,
		Clients:         clients,
		DurationS:       round2(s.Elapsed.Seconds()),
	}
	if s.FirstError != nil {
		r.FirstError = s.FirstError.Error()
	}
	return r
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

func round2(x float64) float64 { return math.Round(x*100) / 100 }

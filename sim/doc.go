// Package sim is the Monte Carlo risk simulator of `vpool sim`: it reads a
// simulation file (a market, its agents and its incidents), runs many
// random paths of that market through the real cover engine, and
// aggregates what happened into a summary, CSV time series and a report
// with figures; a sweep repeats this over a grid of parameters.
//
// Every path drives package cover through its commands and views: sim
// never computes a premium, a reward or a payout itself. Floating point is
// used only for random draws and statistics, never for an amount the
// engine books. A run is deterministic: each path is seeded from the run's
// seed and its index, and results are aggregated in path order, so the
// same file and seed give byte-identical outputs whatever the number of
// workers. Memory does not grow with the number of paths: per-path rows
// stream to disk and everything else goes into fixed-size histograms.
package sim

package sim

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Run simulates c and writes summary.json, paths.csv, timeseries.csv,
// money.csv and report.html into dir; it returns the summary. A run
// stopped through opt.Stop writes the outputs of the paths completed,
// marked as interrupted, and returns ErrInterrupted with them.
func Run(c *Config, opt Options, dir string) (*Summary, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	csvPath := filepath.Join(dir, "paths.csv")
	f, err := os.Create(csvPath)
	if err != nil {
		return nil, err
	}
	buf := bufio.NewWriter(f)
	rows := newPathsCSV(buf)
	opt.PathRows = rows.write
	agg, err := simulate(c, opt)
	if werr := rows.close(buf, f); err == nil {
		err = werr
	}
	if err != nil {
		return nil, err
	}
	if agg.paths == 0 {
		_ = os.Remove(csvPath)
		return nil, fmt.Errorf("%w before any path completed: nothing was written", ErrInterrupted)
	}
	s := agg.finalSummary(opt)
	if !s.Interrupted {
		if err := runStress(c, opt, s); err != nil {
			return nil, err
		}
	}
	if err := writeOutputs(dir, agg, s); err != nil {
		return nil, err
	}
	if s.Interrupted {
		return s, fmt.Errorf("%w after %d paths: the outputs cover those %d paths", ErrInterrupted, s.Paths, s.Paths)
	}
	return s, nil
}

// writeOutputs writes the summary s of the run agg holds into dir, with
// timeseries.csv, money.csv and report.html (paths.csv is written as
// paths finish).
func writeOutputs(dir string, agg *aggregate, s *Summary) error {
	if err := writeJSON(filepath.Join(dir, "summary.json"), s); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, "timeseries.csv"), func(w *bufio.Writer) error { return writeTimeseries(w, s) }); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, "money.csv"), agg.writeMoney); err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, "report.html"), func(w *bufio.Writer) error { return writeReport(w, agg, s) })
}

func writeJSON(path string, v any) error {
	return writeFile(path, func(w *bufio.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	})
}

// writeFile writes a file through a buffer, reporting any error on the way.
func writeFile(path string, fill func(w *bufio.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	err = fill(w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

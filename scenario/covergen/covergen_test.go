package covergen_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/scenario"
	"github.com/vpool/vpool/scenario/covergen"
)

// generate returns a generated scenario's bytes.
func generate(t testing.TB, opt covergen.Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := covergen.Generate(&buf, opt); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGenerateSameSeedSameBytes(t *testing.T) {
	for _, format := range []string{"json", "yaml"} {
		opt := covergen.Options{Steps: 1500, Seed: 42, Format: format}
		a, b := generate(t, opt), generate(t, opt)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two runs with seed 42 differ", format)
		}
	}
}

func TestGenerateSeedsDiffer(t *testing.T) {
	a := generate(t, covergen.Options{Steps: 300, Seed: 1})
	b := generate(t, covergen.Options{Steps: 300, Seed: 2})
	if bytes.Equal(a, b) {
		t.Error("seeds 1 and 2 give the same file")
	}
}

func TestGenerateExactStepCount(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 150} {
		for _, format := range []string{"json", "yaml"} {
			f, err := covergen.File(covergen.Options{Steps: n, Seed: uint64(n), Format: format})
			if err != nil {
				t.Fatalf("%d steps, %s: %v", n, format, err)
			}
			if len(f.Steps) != n {
				t.Errorf("%d steps, %s: got %d steps", n, format, len(f.Steps))
			}
			if _, err := scenario.Replay(f, io.Discard, scenario.Options{}); err != nil {
				t.Errorf("%d steps, %s: replay: %v", n, format, err)
			}
		}
	}
}

func TestGenerateRejectsBadOptions(t *testing.T) {
	for _, opt := range []covergen.Options{{Steps: -1}, {Steps: 1, Pools: 257}, {Steps: 1, Pools: -2}, {Steps: 1, Format: "xml"}} {
		if err := covergen.Generate(io.Discard, opt); err == nil {
			t.Errorf("%+v: no error", opt)
		}
	}
}

// errWriter fails after n bytes.
type errWriter struct{ n int }

func (w *errWriter) Write(p []byte) (int, error) {
	if w.n -= len(p); w.n < 0 {
		return 0, io.ErrShortWrite
	}
	return len(p), nil
}

func TestGenerateReportsWriteErrors(t *testing.T) {
	if err := covergen.Generate(&errWriter{n: 100_000}, covergen.Options{Steps: 5000, Seed: 1}); err == nil {
		t.Error("a failing writer gave no error")
	}
}

// replayed is a generated scenario and what its replay printed, step by step.
type replayed struct {
	file  *scenario.File
	lines []scenario.Line
	final scenario.Line
}

func replayGenerated(t *testing.T, opt covergen.Options) (replayed, covergen.Stats) {
	t.Helper()
	var buf bytes.Buffer
	st, err := covergen.GenerateWithStats(&buf, opt)
	if err != nil {
		t.Fatal(err)
	}
	f, err := scenario.Parse(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := scenario.Replay(f, &out, scenario.Options{}); err != nil {
		t.Fatal(err)
	}
	r := replayed{file: f}
	sc := bufio.NewScanner(&out)
	sc.Buffer(nil, 256<<20)
	for sc.Scan() {
		var l scenario.Line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("bad replay line: %v", err)
		}
		if l.Final {
			r.final = l
			continue
		}
		r.lines = append(r.lines, l)
	}
	if len(r.lines) != len(f.Steps) {
		t.Fatalf("%d replay lines for %d steps", len(r.lines), len(f.Steps))
	}
	return r, st
}

var knownCodes = map[cover.Code]bool{}

func init() {
	for _, c := range strings.Fields(`invalid_argument time_went_backwards not_found not_owner
		zero_amount insufficient_balance overflow frozen pool_not_found pool_paused pools_not_ascending
		incompatible_pools mixed_strategies max_leverage_exceeded position_committed position_not_committed
		withdraw_delay_not_reached pool_has_ongoing_claims insufficient_liquidity insufficient_capacity
		duration_below_one_tick duration_overflow cover_expired not_enough_premiums ratio_above_capacity
		claim_not_open claim_already_open`) {
		knownCodes[cover.Code(c)] = true
	}
}

func TestGenerateReplaysMostlyOK(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 4} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) { checkGenerated(t, seed) })
	}
}

func checkGenerated(t *testing.T, seed uint64) {
	const n = 2000
	r, st := replayGenerated(t, covergen.Options{Steps: n, Seed: seed})
	okOps := map[string]int{}
	codes := map[cover.Code]int{}
	failed := 0
	variants := map[string]bool{}
	maxClosed := map[int]bool{}
	for i, l := range r.lines {
		s := r.file.Steps[i]
		if l.Op != s.Op || l.At != s.At {
			t.Fatalf("line %d is %s at %d, step is %s at %d", i, l.Op, l.At, s.Op, s.At)
		}
		if !*l.OK {
			failed++
			codes[l.Error]++
			if !knownCodes[l.Error] || l.Message == "" {
				t.Errorf("step %d (%s) failed without a known code and a message: %q %q", i, s.Op, l.Error, l.Message)
			}
			continue
		}
		okOps[s.Op]++
		var args map[string]any
		_ = json.Unmarshal(s.Args, &args)
		switch s.Op {
		case "openPosition":
			if pools, _ := args["pools"].([]any); len(pools) > 1 {
				variants["leveraged position"] = true
			}
		case "updateCover":
			for _, k := range []string{"coverToAdd", "coverToRemove", "premiumsToAdd", "premiumsToRemove"} {
				if v, ok := args[k]; ok {
					if v == "max" {
						variants["premiumsToRemove max"] = true
						maxClosed[int(args["cover"].(float64))] = true
					} else {
						variants[k] = true
					}
				}
			}
		case "resolveClaim":
			if args["accept"] == true {
				variants["claim accepted"] = true
			} else {
				variants["claim rejected"] = true
			}
		}
	}
	ratio := float64(n-failed) / n
	t.Logf("%d steps, %d failed (%.1f%% ok); failures by code: %v", n, failed, 100*ratio, codes)
	if ratio < 0.85 || ratio > 0.995 {
		t.Errorf("success ratio %.3f, want between 0.85 and 0.995", ratio)
	}
	if failed != st.Failed || st.Steps != n {
		t.Errorf("generator counted %d failures in %d steps, replay %d in %d", st.Failed, st.Steps, failed, n)
	}
	if len(st.Unplanned) > 0 || st.PlannedOK > 0 {
		t.Logf("surprises: unplanned failures %v, planned failures that succeeded %d", st.Unplanned, st.PlannedOK)
	}
	for _, op := range strings.Fields(`mint createPool setCompatibility openPosition addLiquidity openCover
		updateCover takeInterests commitRemoveLiquidity uncommitRemoveLiquidity removeLiquidity openClaim
		resolveClaim setStrategyIndex purge check`) {
		if okOps[op] == 0 {
			t.Errorf("no successful %s in %d steps", op, n)
		}
	}
	for _, v := range []string{"leveraged position", "coverToAdd", "coverToRemove", "premiumsToAdd",
		"premiumsToRemove", "premiumsToRemove max", "claim accepted", "claim rejected"} {
		if !variants[v] {
			t.Errorf("no successful step with %s", v)
		}
	}
	for _, c := range []cover.Code{cover.CodeInsufficientCapacity, cover.CodeNotOwner, cover.CodeZeroAmount, cover.CodeWithdrawDelayNotReached} {
		if codes[c] == 0 {
			t.Errorf("no step fails with %s", c)
		}
	}
	expired := 0
	for _, c := range r.final.State.Covers {
		if !c.Active && !maxClosed[c.ID] {
			expired++
		}
	}
	if expired == 0 {
		t.Error("no cover expired on its own")
	}
	if r.final.StateHash != st.StateHash {
		t.Errorf("replay ends at state %s, the generator at %s", r.final.StateHash, st.StateHash)
	}
}

func TestGenerateTimeAdvances(t *testing.T) {
	f, err := covergen.File(covergen.Options{Steps: 2000, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	first, last := f.Steps[0].At, f.Steps[len(f.Steps)-1].At
	if span := last - first; span < 180*cover.Day || span > 4*cover.Year {
		t.Errorf("2000 steps span %d days", span/cover.Day)
	}
	same := 0
	for i := 1; i < len(f.Steps); i++ {
		if f.Steps[i].At < f.Steps[i-1].At {
			t.Fatalf("step %d goes back in time", i)
		}
		if f.Steps[i].At == f.Steps[i-1].At {
			same++
		}
	}
	if same == 0 || same > len(f.Steps)/2 {
		t.Errorf("%d of %d steps share their predecessor's time", same, len(f.Steps))
	}
}

func TestGenerateFewPools(t *testing.T) {
	for _, pools := range []int{1, 2, 3} {
		r, st := replayGenerated(t, covergen.Options{Steps: 800, Seed: 9, Pools: pools})
		if len(r.final.State.Pools) != pools {
			t.Errorf("%d pools asked, %d made", pools, len(r.final.State.Pools))
		}
		if ok := float64(st.Steps-st.Failed) / float64(st.Steps); ok < 0.85 {
			t.Errorf("%d pools: success ratio %.3f", pools, ok)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	b.ReportAllocs()
	if err := covergen.Generate(io.Discard, covergen.Options{Steps: b.N, Seed: 1}); err != nil {
		b.Fatal(err)
	}
}

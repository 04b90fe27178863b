package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/vpool/vpool/ray"
	"github.com/vpool/vpool/scenario"
	"github.com/vpool/vpool/server"
	"github.com/vpool/vpool/swap"
)

func quoteCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "quote",
		Short: "Price a trade against the state a scenario reaches",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(quoteSwapCmd())
	return cmd
}

// quoteSwapOptions are the flags of vpool quote swap.
type quoteSwapOptions struct {
	file, in, out, amountIn, amountOut string
	at                                 uint64
	asJSON                             bool
}

// quoteSwapOutput is the JSON output of vpool quote swap: the API's
// quote (POST /v1/swap/quote) and the time it is priced at.
type quoteSwapOutput struct {
	At uint64 `json:"at"`
	server.SwapQuote
}

func quoteSwapCmd() *cobra.Command {
	var o quoteSwapOptions
	cmd := &cobra.Command{
		Use:   "swap --file SCENARIO --in TOKEN --out TOKEN (--amount-in N | --amount-out N)",
		Short: "List the routes for a swap with their amounts, and the one the router picks",
		Long: `quote swap replays a scenario file (docs/scenario.md with the swap ops of
docs/swap.md), then prices a trade of TOKEN --in for TOKEN --out on the state it
reached, as POST /v1/swap/quote does:

  - the candidates are the native pair {in, out}, if it exists, every two-hop
    route in → K → out through pairs {in, K} and {K, out}, and every virtual
    pool (jk, ik) where jk holds --out and allows --in as a reserve, and ik pairs
    --in with jk's other token; each is shown in words, e.g.
    "C → A virtual via B (active A–B, reference B–C)";
  - each is dry-run as the full swapNative or swapVirtual, with no limit and the
    payer assumed to hold enough, and shown with its amounts, fee and price
    impact; a candidate that would fail (locked reference pair, closed pair,
    reserve ratio exceeded, …) is shown with its error code and dropped;
  - "best route" marks docs/swap.md §4's choice, what swap takes: the largest
    amount out (--amount-in) or the smallest amount in (--amount-out) among
    the native pair and the virtual pools, ties to the lowest pair id;
  - for --amount-in, SPLIT is the split of the amount among the routes that
    swap with "split": true executes, never less than any single route, with
    its legs (docs/swap.md "Split routing").

Amounts are written in whole tokens with the token's decimals (--amount-in and
--amount-out take base units, as the scenario does). The trade is priced at the
time of the scenario's last step unless --at gives a later one (locks expire
with blocks: block = at / blockTime). Nothing is written anywhere.`,
		Example: `  vpool quote swap --file examples/swap.yaml --in C --out A --amount-in 50
  vpool quote swap --file examples/swap.yaml --in B --out A --amount-out 250 --at 1700003000 --json
  vpool quote swap --file examples/split.yaml --in C --out A --amount-in 20000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runQuoteSwap(cmd.OutOrStdout(), o, cmd.Flags().Changed("at"))
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.file, "file", "", "scenario file (JSON or YAML; - for standard input)")
	f.StringVar(&o.in, "in", "", "token paid")
	f.StringVar(&o.out, "out", "", "token received")
	f.StringVar(&o.amountIn, "amount-in", "", "exact amount paid")
	f.StringVar(&o.amountOut, "amount-out", "", "exact amount received")
	f.Uint64Var(&o.at, "at", 0, "time (unix seconds) to price at, not before the last step (default: the last step's)")
	f.BoolVar(&o.asJSON, "json", false, "print JSON instead of a table")
	for _, name := range []string{"file", "in", "out"} {
		_ = cmd.MarkFlagRequired(name)
	}
	cmd.MarkFlagsOneRequired("amount-in", "amount-out")
	cmd.MarkFlagsMutuallyExclusive("amount-in", "amount-out")
	return cmd
}

func runQuoteSwap(w io.Writer, o quoteSwapOptions, atGiven bool) error {
	trade := swap.Trade{ExactOut: o.amountOut != ""}
	text := o.amountIn
	if trade.ExactOut {
		text = o.amountOut
	}
	amount, err := ray.ParseAmount(text)
	if err != nil {
		return fmt.Errorf("amount %q is not a decimal integer below 2^256", text)
	}
	trade.Amount = amount
	f, err := loadScenario(o.file)
	if err != nil {
		return err
	}
	e, err := scenario.ReplayEngines(f, io.Discard, scenario.Options{})
	if err != nil {
		return err
	}
	at := e.Swap.Now()
	if len(f.Steps) > 0 {
		at = max(at, f.Steps[len(f.Steps)-1].At)
	}
	if atGiven {
		if o.at < at {
			return fmt.Errorf("--at %d is before the scenario's last step (%d)", o.at, at)
		}
		at = o.at
	}
	q, qerr := server.QuoteSwapRoutes(e.Swap, at, swap.QuoteSwap{TokenIn: o.in, TokenOut: o.out, Trade: trade})
	if swap.CodeOf(qerr) != swap.CodeNoRoute && qerr != nil {
		return qerr
	}
	out := quoteSwapOutput{At: at, SwapQuote: q}
	if o.asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else if err := printQuoteTable(w, out, tokenDecimals(e)); err != nil {
		return err
	}
	return qerr
}

// tokenDecimals maps each asset of the scenario to its decimals.
func tokenDecimals(e *scenario.Engines) map[string]uint8 {
	d := map[string]uint8{}
	for _, a := range e.Cover.Assets() {
		d[a.Symbol] = a.Decimals
	}
	return d
}

// printQuoteTable writes the routes in words with their amounts in whole
// tokens, fee and price impact, marks the best route, then the split and
// its legs.
func printQuoteTable(w io.Writer, out quoteSwapOutput, decimals map[string]uint8) error {
	in := func(a *swap.Int) string { return units(a, decimals[out.TokenIn]) + " " + out.TokenIn }
	got := func(a *swap.Int) string { return units(a, decimals[out.TokenOut]) + " " + out.TokenOut }
	fmt.Fprintf(w, "%s → %s at %d (block %d)\n\n", out.TokenIn, out.TokenOut, out.At, out.Block)
	rows := [][]string{{"ROUTE", "IN", "OUT", "FEE", "IMPACT", ""}}
	for _, r := range out.Routes {
		if r.Error != "" {
			rows = append(rows, []string{r.Words, "-", "-", "", "", r.Error + ": " + r.Message})
			continue
		}
		mark := ""
		if out.Best != nil && out.Best.Route == r.Route {
			mark = "<- best route (swap)"
		}
		rows = append(rows, []string{r.Words, in(r.AmountIn), got(r.AmountOut), ppmPct(r.FeePPM), ppmPct(r.PriceImpactPPM), mark})
	}
	if len(out.Routes) == 0 {
		rows = append(rows, []string{"(no candidate route)", "", "", "", "", ""})
	}
	if sp := out.Split; sp != nil {
		rows = append(rows, nil, []string{fmt.Sprintf("SPLIT (%d legs)", len(sp.Legs)), in(&sp.AmountIn), got(&sp.AmountOut),
			ppmPct(&sp.FeePPM), ppmPct(&sp.PriceImpactPPM), "<- swap with split"})
		for _, leg := range sp.Legs {
			rows = append(rows, []string{"  " + leg.Words, in(leg.AmountIn), got(leg.AmountOut), "", "", ""})
		}
	}
	return writeColumns(w, rows)
}

// writeColumns writes rows as columns two spaces apart: the first and
// last left-aligned, the others (figures) right-aligned; a nil row is a
// blank line.
func writeColumns(w io.Writer, rows [][]string) error {
	width := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		var line strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			switch {
			case i == 0:
				line.WriteString(c + pad)
			case i == len(r)-1:
				line.WriteString("  " + c)
			default:
				line.WriteString("  " + pad + c)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// units writes base units as whole tokens with their decimals, exactly:
// 1234567 with 6 decimals is 1.234567.
func units(a *swap.Int, decimals uint8) string {
	if a == nil {
		return "-"
	}
	s := a.Dec()
	if decimals == 0 {
		return s
	}
	if pad := int(decimals) + 1 - len(s); pad > 0 {
		s = strings.Repeat("0", pad) + s
	}
	return s[:len(s)-int(decimals)] + "." + s[len(s)-int(decimals):]
}

// ppmPct writes parts per million as a percent with two decimals,
// rounded down.
func ppmPct(v *uint64) string {
	if v == nil {
		return ""
	}
	return fmt.Sprintf("%d.%02d%%", *v/10_000, *v%10_000/100)
}

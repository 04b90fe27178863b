package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/vpool/vpool/ray"
	"github.com/vpool/vpool/scenario"
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

// quoteSwapRow is one candidate route in the JSON output.
type quoteSwapRow struct {
	Route     swap.Route `json:"route"`
	AmountIn  string     `json:"amountIn,omitempty"`
	AmountOut string     `json:"amountOut,omitempty"`
	Error     string     `json:"error,omitempty"`
	Message   string     `json:"message,omitempty"`
}

// quoteSwapOutput is the JSON output of vpool quote swap.
type quoteSwapOutput struct {
	At     uint64         `json:"at"`
	Block  uint64         `json:"block"`
	Routes []quoteSwapRow `json:"routes"`
	Chosen *quoteSwapRow  `json:"chosen"`
}

func quoteSwapCmd() *cobra.Command {
	var o quoteSwapOptions
	cmd := &cobra.Command{
		Use:   "swap --file SCENARIO --in TOKEN --out TOKEN (--amount-in N | --amount-out N)",
		Short: "List the routes for a swap with their amounts, and the one the router picks",
		Long: `quote swap replays a scenario file (docs/scenario.md with the swap ops of
docs/swap.md), then prices a trade of TOKEN --in for TOKEN --out on the state it
reached, as the router's best-route extension does (docs/swap.md §4):

  - the candidates are the native pair {in, out}, if it exists, and every virtual
    pool (jk, ik) where jk holds --out and allows --in as a reserve, and ik pairs
    --in with jk's other token;
  - each is dry-run as the full single-hop swapNative or swapVirtual, with no
    limit and the payer assumed to hold enough; a candidate that would fail
    (locked reference pair, closed pair, reserve ratio exceeded, …) is shown
    with its error code and dropped;
  - the best is the largest amount out (--amount-in) or the smallest amount in
    (--amount-out), ties to the lowest pair id (the native pair, or jk).

Amounts are integers in the token's base units. The trade is priced at the time
of the scenario's last step unless --at gives a later one (locks expire with
blocks: block = at / blockTime). Nothing is written anywhere.`,
		Example: `  vpool quote swap --file examples/swap.yaml --in C --out A --amount-in 50
  vpool quote swap --file examples/swap.yaml --in B --out A --amount-out 250 --at 1700003000 --json`,
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
	quotes, best, err := e.Swap.QuoteRoutes(at, o.in, o.out, trade)
	if err != nil {
		return err
	}
	out := quoteSwapOutput{At: at, Block: e.Swap.Block(at), Routes: make([]quoteSwapRow, len(quotes))}
	for i, q := range quotes {
		out.Routes[i] = row(q)
	}
	if best >= 0 {
		out.Chosen = &out.Routes[best]
	}
	if o.asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else if err := printQuoteTable(w, o, out); err != nil {
		return err
	}
	if best < 0 {
		return errors.New("no_route: no candidate route can make this trade")
	}
	return nil
}

func row(q swap.RouteQuote) quoteSwapRow {
	r := quoteSwapRow{Route: q.Route}
	if q.Err != nil {
		code, msg := scenario.CodeAndMessage(q.Err)
		r.Error, r.Message = string(code), msg
		return r
	}
	r.AmountIn, r.AmountOut = q.AmountIn.Dec(), q.AmountOut.Dec()
	return r
}

func printQuoteTable(w io.Writer, o quoteSwapOptions, out quoteSwapOutput) error {
	fmt.Fprintf(w, "%s -> %s at %d (block %d)\n\n", o.in, o.out, out.At, out.Block)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ROUTE\tAMOUNT IN\tAMOUNT OUT\t")
	for _, r := range out.Routes {
		mark := ""
		if out.Chosen != nil && *out.Chosen == r {
			mark = "  <- chosen"
		}
		if r.Error != "" {
			fmt.Fprintf(tw, "%s\t-\t-\t%s: %s\n", r.Route, r.Error, r.Message)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Route, r.AmountIn, r.AmountOut, mark)
	}
	if len(out.Routes) == 0 {
		fmt.Fprintln(tw, "(no candidate route)\t\t\t")
	}
	return tw.Flush()
}

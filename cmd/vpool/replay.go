package main

import (
	"io"
	"os"

	"github.com/spf13/cobra"
	"github.com/vpool/vpool/scenario"
)

func replayCmd() *cobra.Command {
	var opt scenario.Options
	cmd := &cobra.Command{
		Use:   "replay FILE",
		Short: "Replay a scenario file and print what happened as JSON Lines",
		Long: `Replay applies every step of a scenario file (JSON or YAML, docs/scenario.md) to a
fresh in-memory market and prints one JSON object per step — ok, result or error
code and message — then a final line with the state object and its canonical
state hash. A failed step changes nothing and the replay goes on.

Use - as FILE to read the scenario from standard input.`,
		Example: `  vpool replay examples/two-pools.yaml
  vpool replay --states examples/two-pools.yaml | jq .state.pools`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := loadScenario(args[0])
			if err != nil {
				return err
			}
			_, err = scenario.Replay(f, cmd.OutOrStdout(), opt)
			return err
		},
	}
	cmd.Flags().BoolVar(&opt.States, "states", false, "add the state object to every step line")
	return cmd
}

func loadScenario(path string) (*scenario.File, error) {
	if path == "-" {
		data, err := io.ReadAll(os.Stdin)
		if err != nil {
			return nil, err
		}
		return scenario.Parse(data)
	}
	return scenario.Load(path)
}

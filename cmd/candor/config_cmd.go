package main

import (
	"fmt"

	"github.com/BurntSushi/toml"
	"github.com/spf13/cobra"

	"github.com/candor-dev/candor/internal/breach"
)

func init() { register(newConfigCmd) }

func newConfigCmd(m *Main) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Show the effective configuration",
		Args:  noArgs,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "show",
		Short: "Print the configuration after defaults, candor.toml, CANDOR_* variables and flags (secrets masked)",
		Example: `  candor config show
  CANDOR_DB=postgres://candor:secret@db/candor candor config show --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			masked := m.Config.Masked()
			if m.JSON {
				return m.printJSON(masked)
			}
			return toml.NewEncoder(m.Stdout).Encode(masked)
		},
	})
	return cmd
}

func init() { register(newElementsCmd) }

func newElementsCmd(m *Main) *cobra.Command {
	return &cobra.Command{
		Use:     "elements",
		Short:   "List the data-element vocabulary used in imports, incidents and laws",
		Example: "  candor elements\n  candor elements --json",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			els := breach.Elements()
			if m.JSON {
				type item struct {
					Key         string `json:"key"`
					Label       string `json:"label"`
					Description string `json:"description"`
				}
				out := make([]item, len(els))
				for i, e := range els {
					out[i] = item{e.Key, e.Label, e.Description}
				}
				return m.printJSON(out)
			}
			for _, e := range els {
				fmt.Fprintf(m.Stdout, "%-20s %s\n", e.Key, e.Description)
			}
			return nil
		},
	}
}

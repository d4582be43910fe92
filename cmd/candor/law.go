package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/law"
)

func init() { register(newLawCmd) }

func newLawCmd(m *Main) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "law",
		Short: "List, show and validate the breach-notification rules Candor knows",
		Long: `Candor's breach-notification rules are data files embedded in the binary: the
50 US states, DC, Guam, Puerto Rico and the US Virgin Islands, federal and
sector rules (HIPAA, GLBA Safeguards, SEC 8-K, NYDFS, FTC HBNR) and other
countries. Each cites its statutes and shows the date it was last reviewed.

Candor gives legal information, not legal advice.`,
		Args: noArgs,
	}
	cmd.AddCommand(newLawListCmd(m), newLawShowCmd(m), newLawValidateCmd(m))
	return cmd
}

// lawListItem is one rule in `candor law list --json`.
type lawListItem struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	Kind             string   `json:"kind"`
	Jurisdictions    []string `json:"jurisdictions"`
	AppliesToSectors []string `json:"applies_to_sectors"`
	Reviewed         law.Date `json:"reviewed"`
	Confidence       string   `json:"confidence"`
	Citation         string   `json:"citation"`
}

func newLawListCmd(m *Main) *cobra.Command {
	var rulesDir string
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List every rule with its reviewed date",
		Example: "  candor law list\n  candor law list --json",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			reg, err := loadRules(rulesDir)
			if err != nil {
				return err
			}
			rules := reg.Rules()
			if m.JSON {
				items := make([]lawListItem, 0, len(rules))
				for _, r := range rules {
					items = append(items, lawListItem{r.ID, r.Name, r.Kind, r.Jurisdictions, r.AppliesToSectors, r.Reviewed, r.Confidence, r.Citations[0]})
				}
				return m.printJSON(items)
			}
			fmt.Fprintln(m.Stdout, law.Disclaimer)
			fmt.Fprintln(m.Stdout)
			w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tKIND\tREVIEWED\tCONFIDENCE\tSECTORS\tNAME")
			for _, r := range rules {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Kind, r.Reviewed, r.Confidence, orDash(strings.Join(r.AppliesToSectors, ",")), r.Name)
			}
			fmt.Fprintf(w, "\n%d rules\n", len(rules))
			return w.Flush()
		},
	}
	cmd.Flags().StringVar(&rulesDir, "rules", "", "list the rule files in `DIR` instead of the built-in rules")
	return cmd
}

func newLawShowCmd(m *Main) *cobra.Command {
	var rulesDir string
	cmd := &cobra.Command{
		Use:   "show ID|JURISDICTION",
		Short: "Explain one rule: what it covers, whom to tell, by when, and its sources",
		Long: `Shows a rule by its id (US-CA, eu_gdpr, us_hipaa) or every rule protecting a
jurisdiction (DE shows the GDPR).`,
		Example: "  candor law show US-CA\n  candor law show eu_gdpr --json\n  candor law show DE",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			reg, err := loadRules(rulesDir)
			if err != nil {
				return err
			}
			rules, err := reg.Lookup(args[0])
			if err != nil {
				return err
			}
			if m.JSON {
				if len(rules) == 1 {
					return m.printJSON(rules[0])
				}
				return m.printJSON(rules)
			}
			fmt.Fprintln(m.Stdout, law.Disclaimer)
			for _, r := range rules {
				fmt.Fprintln(m.Stdout)
				if err := r.WriteText(m.Stdout); err != nil {
					return err
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&rulesDir, "rules", "", "look in the rule files in `DIR` instead of the built-in rules")
	return cmd
}

func newLawValidateCmd(m *Main) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "validate [DIR|FILE]",
		Short: "Check rule files against the schema; errors read FILE:LINE: FIELD: message",
		Long: `Validates the built-in rules, a directory laid out like internal/law/rules
(us/*.yaml, intl/*.yaml, sector/*.yaml) or a single rule file. Every problem is
printed as FILE:LINE: FIELD: message; the exit code is 1 when there are any.`,
		Example: "  candor law validate\n  candor law validate internal/law/rules\n  candor law validate internal/law/rules/us/tx.yaml",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var (
				n   int
				err error
			)
			switch {
			case len(args) == 0:
				var reg *law.Registry
				reg, err = law.Load()
				if err == nil {
					n = len(reg.Rules())
				}
			default:
				n, err = validatePath(args[0])
			}
			problems := law.Problems(err)
			if err != nil && problems == nil {
				return err
			}
			if m.JSON {
				type problem struct {
					File  string `json:"file"`
					Line  int    `json:"line"`
					Field string `json:"field"`
					Msg   string `json:"message"`
				}
				out := struct {
					Rules    int       `json:"rules"`
					Problems []problem `json:"problems"`
				}{Rules: n, Problems: []problem{}}
				for _, p := range problems {
					out.Problems = append(out.Problems, problem{p.File, p.Line, p.Field, p.Msg})
				}
				if err := m.printJSON(out); err != nil {
					return err
				}
			} else {
				for _, p := range problems {
					fmt.Fprintln(m.Stdout, p.Error())
				}
			}
			if len(problems) > 0 {
				return exitCodeError{code: exitError, msg: fmt.Sprintf("%d problem(s) in rule files", len(problems))}
			}
			if !m.JSON {
				fmt.Fprintf(m.Stdout, "ok: %d rules valid\n", n)
			}
			return nil
		},
	}
	return cmd
}

// validatePath validates a rules directory or one rule file; problems name
// files as given on the command line.
func validatePath(path string) (int, error) {
	info, err := os.Stat(path)
	if err != nil {
		return 0, breach.Errorf(breach.EINVALID, "validate: %v", err)
	}
	if !info.IsDir() {
		b, err := os.ReadFile(path)
		if err != nil {
			return 0, fmt.Errorf("read %s: %w", path, err)
		}
		if _, errs := law.ParseRule(path, b); len(errs) > 0 {
			return 0, errs
		}
		return 1, nil
	}
	rules, err := law.ParseFS(os.DirFS(path), ".")
	for _, p := range law.Problems(err) {
		p.File = filepath.Join(path, p.File)
	}
	if err != nil {
		return 0, err
	}
	if len(rules) == 0 {
		return 0, breach.Errorf(breach.EINVALID, "validate: no rule files (*/*.yaml) in %s", path)
	}
	return len(rules), nil
}

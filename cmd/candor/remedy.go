package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/candor-dev/candor/internal/breach"
)

func init() { register(newRemedyCmd) }

func newRemedyCmd(m *Main) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "remedy",
		Short: "Identity-protection plans and loyalty offers, with one code per person",
		Args:  noArgs,
	}
	cmd.AddCommand(newRemedySetCmd(m), newRemedyImportCmd(m), newRemedyAssignCmd(m), newRemedyStatusCmd(m))
	return cmd
}

func kindFlag(cmd *cobra.Command, kind *string) {
	cmd.Flags().StringVar(kind, "kind", "", "idp (identity protection) or offer (loyalty gesture)")
	_ = cmd.MarkFlagRequired("kind")
}

func checkKind(kind string) error {
	if !breach.ValidRemedyKind(kind) {
		return usageError{fmt.Errorf("--kind %q: want idp or offer", kind)}
	}
	return nil
}

func newRemedySetCmd(m *Main) *cobra.Command {
	var (
		incidentID int64
		p          breach.RemedyProgram
		as         string
	)
	cmd := &cobra.Command{
		Use:   "set",
		Short: "Describe the identity-protection plan or the offer the notices make",
		Example: `  candor remedy set --incident 1 --kind idp --provider "Guardly Identity" --months 24 \
      --url https://example.com/protect --deadline 2027-03-31
  candor remedy set --incident 1 --kind offer --description "a $25 credit toward your next order" \
      --url https://example.com/thanks --deadline 2027-06-30`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkKind(p.Kind); err != nil {
				return err
			}
			ctx := cmd.Context()
			s, err := m.Store(ctx)
			if err != nil {
				return err
			}
			p.IncidentID = incidentID
			if err := s.SetRemedyProgram(ctx, &p, m.actor(as)); err != nil {
				return err
			}
			if m.JSON {
				return m.printJSON(p)
			}
			fmt.Fprintf(m.Stdout, "Set the %s programme of incident %d.\nNext: candor remedy import-codes --incident %d --kind %s CODES.csv\n", p.Kind, incidentID, incidentID, p.Kind)
			return nil
		},
	}
	incidentIDFlag(cmd, &incidentID)
	kindFlag(cmd, &p.Kind)
	cmd.Flags().StringVar(&p.Provider, "provider", "", "identity-protection provider")
	cmd.Flags().IntVar(&p.Months, "months", 0, "months of identity protection (at least 12; some laws require 18 or 24)")
	cmd.Flags().StringVar(&p.Description, "description", "", "the offer in plain words, e.g. \"a $25 credit toward your next order\"")
	cmd.Flags().StringVar(&p.URL, "url", "", "https link on your own domain where people enrol or redeem")
	cmd.Flags().StringVar(&p.Deadline, "deadline", "", "enrol-by or redeem-by date, e.g. 2027-03-31")
	cmd.Flags().StringVar(&as, "as", "", "who makes the change (audit log; default $USER)")
	return cmd
}

func newRemedyImportCmd(m *Main) *cobra.Command {
	var (
		incidentID int64
		kind, as   string
	)
	cmd := &cobra.Command{
		Use:   "import-codes FILE",
		Short: "Add codes from the provider to the incident's pool (one per line, or the first CSV column)",
		Long: `Reads codes from FILE ("-" for standard input): one per line, or the first column of
a CSV file; a header line whose first cell is "code" is skipped. Codes already in the
pool are skipped, so importing the same file twice adds nothing.`,
		Example: "  candor remedy import-codes --incident 1 --kind idp idx-codes.csv",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkKind(kind); err != nil {
				return err
			}
			codes, err := readCodes(m, args[0])
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			s, err := m.Store(ctx)
			if err != nil {
				return err
			}
			added, dups, err := s.ImportRemedyCodes(ctx, incidentID, kind, codes, m.actor(as))
			if err != nil {
				return err
			}
			if m.JSON {
				return m.printJSON(map[string]int64{"added": added, "duplicates": dups})
			}
			fmt.Fprintf(m.Stdout, "Added %d %s codes (%d already in the pool).\nNext: candor remedy assign --incident %d --kind %s\n", added, kind, dups, incidentID, kind)
			return nil
		},
	}
	incidentIDFlag(cmd, &incidentID)
	kindFlag(cmd, &kind)
	cmd.Flags().StringVar(&as, "as", "", "who imports (audit log; default $USER)")
	return cmd
}

// readCodes reads one code per line or the first column of a CSV file.
func readCodes(m *Main, path string) ([]string, error) {
	var r io.Reader = m.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, breach.Errorf(breach.EINVALID, "open %s: %v", path, err)
		}
		defer f.Close()
		r = f
	}
	cr := csv.NewReader(bufio.NewReader(r))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	var codes []string
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, breach.Errorf(breach.EINVALID, "%s: %v", path, err)
		}
		if len(rec) == 0 {
			continue
		}
		c := strings.TrimSpace(strings.TrimPrefix(rec[0], "\ufeff"))
		if c == "" || line == 1 && strings.EqualFold(c, "code") {
			continue
		}
		codes = append(codes, c)
	}
	if len(codes) == 0 {
		return nil, breach.Errorf(breach.EINVALID, "%s holds no codes", path)
	}
	return codes, nil
}

func newRemedyAssignCmd(m *Main) *cobra.Command {
	var (
		incidentID int64
		kind, as   string
	)
	cmd := &cobra.Command{
		Use:     "assign",
		Short:   "Give one code from the pool to every person who has none",
		Example: "  candor remedy assign --incident 1 --kind idp",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkKind(kind); err != nil {
				return err
			}
			ctx := cmd.Context()
			s, err := m.Store(ctx)
			if err != nil {
				return err
			}
			n, err := s.AssignRemedyCodes(ctx, incidentID, kind, m.actor(as))
			if err != nil {
				return err
			}
			if m.JSON {
				return m.printJSON(map[string]int64{"assigned": n})
			}
			fmt.Fprintf(m.Stdout, "Assigned %d %s codes.\n", n, kind)
			return nil
		},
	}
	incidentIDFlag(cmd, &incidentID)
	kindFlag(cmd, &kind)
	cmd.Flags().StringVar(&as, "as", "", "who assigns (audit log; default $USER)")
	return cmd
}

func newRemedyStatusCmd(m *Main) *cobra.Command {
	var incidentID int64
	cmd := &cobra.Command{
		Use:     "status",
		Short:   "Show the programmes and their code pools",
		Example: "  candor remedy status --incident 1",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := m.Store(ctx)
			if err != nil {
				return err
			}
			progs, err := s.RemedyPrograms(ctx, incidentID)
			if err != nil {
				return err
			}
			var pools []*breach.RemedyPoolStats
			for _, k := range []string{breach.RemedyIDP, breach.RemedyOffer} {
				st, err := s.RemedyPoolStats(ctx, incidentID, k)
				if err != nil {
					return err
				}
				pools = append(pools, st)
			}
			if m.JSON {
				return m.printJSON(map[string]any{"programs": progs, "pools": pools})
			}
			for _, p := range progs {
				what := p.Description
				if p.Kind == breach.RemedyIDP {
					what = fmt.Sprintf("%s, %d months", p.Provider, p.Months)
				}
				fmt.Fprintf(m.Stdout, "%s: %s at %s (by %s)\n", p.Kind, what, p.URL, orDash(p.Deadline))
			}
			w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(w, "KIND\tCODES\tASSIGNED\tFREE\tPEOPLE WITHOUT\t")
			for _, st := range pools {
				fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\t\n", st.Kind, st.Total, st.Assigned, st.Total-st.Assigned, st.PeopleWithout)
			}
			return w.Flush()
		},
	}
	incidentIDFlag(cmd, &incidentID)
	return cmd
}

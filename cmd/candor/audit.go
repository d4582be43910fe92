package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/breach"
)

func init() { register(newAuditCmd) }

func newAuditCmd(m *Main) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "List and verify the tamper-evident audit log",
		Args:  noArgs,
	}
	cmd.AddCommand(newAuditListCmd(m), newAuditVerifyCmd(m))
	return cmd
}

func newAuditListCmd(m *Main) *cobra.Command {
	var (
		incidentID int64
		after      int64
		limit      int
	)
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List audit entries, oldest first",
		Example: "  candor audit list\n  candor audit list --incident 1 --json",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := m.Store(ctx)
			if err != nil {
				return err
			}
			entries, err := s.FindAudit(ctx, breach.AuditFilter{IncidentID: incidentID, AfterSeq: after, Limit: limit})
			if err != nil {
				return err
			}
			if m.JSON {
				return m.printJSON(entries)
			}
			w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "SEQ\tAT\tACTOR\tACTION\tINCIDENT\tSUBJECT\tHASH")
			for _, e := range entries {
				inc := "-"
				if e.IncidentID != 0 {
					inc = fmt.Sprint(e.IncidentID)
				}
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%.12s\n", e.Seq, e.At.Format("2006-01-02 15:04:05Z"), e.Actor, e.Action, inc, orDash(e.Subject), e.Hash)
			}
			return w.Flush()
		},
	}
	cmd.Flags().Int64Var(&incidentID, "incident", 0, "only entries about this incident")
	cmd.Flags().Int64Var(&after, "after", 0, "only entries after this sequence number")
	cmd.Flags().IntVar(&limit, "limit", 0, "at most this many entries (0: all)")
	return cmd
}

func newAuditVerifyCmd(m *Main) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Recompute the hash chain and report any entry changed, removed or inserted",
		Long: `Walks the whole audit log, recomputing each entry's hash from its content and the
previous entry's hash, and checks the log's recorded head. Exits 1 when the chain is
broken.`,
		Example: "  candor audit verify",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := m.Store(ctx)
			if err != nil {
				return err
			}
			res, err := audit.Verify(ctx, s)
			if err != nil {
				return err
			}
			if m.JSON {
				if err := m.printJSON(res); err != nil {
					return err
				}
			} else if res.OK() {
				fmt.Fprintf(m.Stdout, "Audit log intact: %d entries, head %.16s\n", res.Entries, res.Head)
			} else {
				fmt.Fprintf(m.Stdout, "Audit log BROKEN: %d entries, %d problems:\n", res.Entries, len(res.Issues))
				for _, is := range res.Issues {
					fmt.Fprintf(m.Stdout, "  entry %d: %s\n", is.Seq, is.Msg)
				}
			}
			if !res.OK() {
				return exitCodeError{code: exitError, msg: "the audit log has been tampered with"}
			}
			return nil
		},
	}
	return cmd
}

package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/deliver"
)

func init() { register(newProofCmd) }

func newProofCmd(m *Main) *cobra.Command {
	var (
		incidentID int64
		person     string
	)
	cmd := &cobra.Command{
		Use:   "proof",
		Short: "Show exactly what was sent to a person: when, how, and the server's reply",
		Long: `Shows every notice delivery to one person, in every campaign: the channel and
address, each state change, the attempts, the Message-ID and a SHA-256 of the
exact bytes sent, the mail server's reply, bounces, and for letters the print
batch and mailing date. ` + "`candor proof export`" + ` writes the whole ledger for counsel.`,
		Example: "  candor proof --incident 1 --person C-100042\n  candor proof --incident 1 --person C-100042 --json",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if person == "" {
				return usageError{fmt.Errorf("--person EXTERNAL_ID is required")}
			}
			s, err := m.Store(cmd.Context())
			if err != nil {
				return err
			}
			p, err := deliver.PersonProof(cmd.Context(), s, incidentID, person)
			if err != nil {
				return err
			}
			if m.JSON {
				return m.printJSON(p)
			}
			printProof(m.Stdout, p)
			return nil
		},
	}
	cmd.Flags().Int64Var(&incidentID, "incident", 0, "incident ID (see `candor incident list`)")
	cmd.Flags().StringVar(&person, "person", "", "the person's external id")
	cmd.MarkFlagRequired("incident")
	cmd.AddCommand(newProofExportCmd(m))
	return cmd
}

func printProof(w io.Writer, p *deliver.Proof) {
	fmt.Fprintf(w, "%s (%s), %s\n", orDash(p.Person.Name()), p.Person.ExternalID, orDash(p.Person.Email))
	if len(p.Deliveries) == 0 {
		fmt.Fprintln(w, "No notice has been queued for this person.")
		return
	}
	for _, e := range p.Deliveries {
		d := e.Delivery
		fmt.Fprintf(w, "\n%s %d, campaign %q: %s to %s\n", d.Channel, d.ID, e.Campaign, d.State, d.Recipient)
		fmt.Fprintf(w, "  queued   %s\n", d.QueuedAt.UTC().Format(time.RFC3339))
		if d.SentAt != nil {
			what := "sent"
			if d.Channel == breach.ChannelLetter {
				what = "mailed"
			}
			fmt.Fprintf(w, "  %-8s %s\n", what, d.SentAt.UTC().Format(time.RFC3339))
		}
		if d.BouncedAt != nil {
			fmt.Fprintf(w, "  bounced  %s\n", d.BouncedAt.UTC().Format(time.RFC3339))
		}
		fmt.Fprintf(w, "  attempts %d, accepted %d times\n", d.Attempts, d.Sends)
		if d.MessageID != "" {
			fmt.Fprintf(w, "  message  %s\n", d.MessageID)
		}
		if d.BodySHA256 != "" {
			fmt.Fprintf(w, "  sha256   %s\n", d.BodySHA256)
		}
		if d.PrintBatch != "" {
			fmt.Fprintf(w, "  batch    %s\n", d.PrintBatch)
		}
		if d.Reply != "" {
			fmt.Fprintf(w, "  reply    %s\n", d.Reply)
		}
		if d.LastError != "" {
			fmt.Fprintf(w, "  error    %s\n", d.LastError)
		}
		if e.PossibleDuplicate {
			fmt.Fprintf(w, "  NOTE     may have been received more than once (%d resent after an interrupted send)\n", d.InFlightRecoveries)
		}
		for _, ev := range e.Events {
			fmt.Fprintf(w, "  %s %s: %s\n", ev.At.UTC().Format(time.RFC3339), ev.Kind, ev.Detail)
		}
	}
}

func newProofExportCmd(m *Main) *cobra.Command {
	var (
		incidentID int64
		format     string
		out        string
	)
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the whole delivery ledger (CSV or JSONL) for counsel",
		Example: `  candor proof export --incident 1 --out ledger.csv
  candor proof export --incident 1 --format jsonl --out ledger.jsonl`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := m.Store(cmd.Context())
			if err != nil {
				return err
			}
			w := m.Stdout
			var f *os.File
			if out != "-" {
				if f, err = os.Create(out); err != nil {
					return breach.Errorf(breach.EINVALID, "proof export: %v", err)
				}
				defer f.Close()
				w = f
			}
			bw := bufio.NewWriterSize(w, 1<<20)
			n, err := deliver.ExportLedger(cmd.Context(), s, incidentID, format, bw)
			if err != nil {
				return err
			}
			if err := bw.Flush(); err != nil {
				return fmt.Errorf("proof export: %w", err)
			}
			if f != nil {
				if err := f.Close(); err != nil {
					return fmt.Errorf("proof export: %w", err)
				}
				fmt.Fprintf(m.Stderr, "Wrote %d deliveries to %s\n", n, out)
			}
			return nil
		},
	}
	incidentIDFlag(cmd, &incidentID)
	cmd.Flags().StringVar(&format, "format", "csv", "csv or jsonl")
	cmd.Flags().StringVar(&out, "out", "-", "output file, - for stdout")
	return cmd
}

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/deliver"
	"github.com/candor-dev/candor/internal/law"
	"github.com/candor-dev/candor/internal/notice"
)

func init() { register(newSendCmd) }

// approvedNotices hands the delivery code the incident's approved notices:
// a renderer exists only while the approval's hash still matches the
// templates, the facts and the rules.
type approvedNotices struct{ store Store }

var _ deliver.Renderer = (*notice.Renderer)(nil)

func (n approvedNotices) Approval(ctx context.Context, incidentID int64) (string, error) {
	r, err := n.renderer(ctx, incidentID)
	if err != nil {
		return "", err
	}
	a := r.Approval()
	return fmt.Sprintf("approval %d by %s on %s (%s)", a.ID, a.ApprovedBy, a.ApprovedAt.UTC().Format(time.RFC3339), a.Hash), nil
}

func (n approvedNotices) Renderer(ctx context.Context, c *breach.Campaign) (deliver.Renderer, error) {
	return n.renderer(ctx, c.IncidentID)
}

func (n approvedNotices) renderer(ctx context.Context, incidentID int64) (*notice.Renderer, error) {
	r, err := notice.NewRenderer(ctx, n.store, incidentID, notice.Options{})
	switch breach.ErrorCode(err) {
	case "":
		return r, nil
	case breach.ENOTFOUND, breach.ECONFLICT, breach.EINVALID:
		return nil, breach.Errorf(breach.EFORBIDDEN, "nothing is sent without a valid notice approval: %s", breach.ErrorMessage(err))
	}
	return nil, err
}

// smtpOptions turns the configuration into the worker's SMTP options.
func (m *Main) smtpOptions() deliver.SMTPOptions {
	c := m.Config.SMTP
	return deliver.SMTPOptions{Host: c.Host, Port: c.Port, TLS: c.TLS, Username: c.Username, Password: c.Password,
		Timeout: c.Timeout, LocalName: c.HeloName}
}

// workerOptions turns the configuration into worker options.
func (m *Main) workerOptions() deliver.Options {
	c := m.Config.SMTP
	return deliver.Options{SMTP: m.smtpOptions(), From: c.From, Connections: c.Connections, RatePerSec: c.RatePerSec,
		RatePerDomain: c.RatePerDomain, DomainRates: c.DomainRates, MaxConsecutiveErrors: c.MaxErrors, RetryBase: c.RetryBase,
		MaxAttempts: c.MaxAttempts, Logger: m.Logger}
}

func newSendCmd(m *Main) *cobra.Command {
	var (
		incidentID int64
		campaign   string
		channel    string
		dryRun     bool
	)
	cmd := &cobra.Command{
		Use:   "send",
		Short: "Queue the approved notices for delivery, and manage the sending",
		Long: `Queues one delivery per affected person in a campaign: an e-mail where the
person has an address, a printed letter where they have only a postal address.
Nothing is queued without a valid notice approval; people flagged no-contact or
deceased are skipped; a person is queued once per campaign however often this
runs. ` + "`candor worker`" + ` then sends the e-mails; ` + "`candor send letters`" + ` prints the letters.`,
		Example: `  candor send --incident 1 --dry-run
  candor send --incident 1
  candor send --incident 1 --campaign update-1 --channel letter
  candor send status --incident 1 --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ch, err := breach.ParseChannel(channel)
			if err != nil {
				return usageError{fmt.Errorf("--channel: %s", breach.ErrorMessage(err))}
			}
			s, err := m.Store(cmd.Context())
			if err != nil {
				return err
			}
			rep, err := deliver.Enqueue(cmd.Context(), s, approvedNotices{s}, deliver.EnqueueOptions{IncidentID: incidentID,
				Campaign: campaign, Channel: ch, DryRun: dryRun})
			if err != nil {
				return err
			}
			if m.JSON {
				return m.printJSON(rep)
			}
			verb := "Queued"
			if dryRun {
				verb = "Would queue"
			}
			fmt.Fprintf(m.Stdout, "%s %d e-mails and %d letters in campaign %q (%s).\n", verb, rep.Email, rep.Letter, campaign, rep.Approval)
			fmt.Fprintf(m.Stdout, "Already queued: %d. Skipped: %d no-contact, %d deceased, %d with no usable address (see `candor send unreachable`).\n",
				rep.Already, rep.NoContact, rep.Deceased, rep.Unreachable)
			if !dryRun {
				fmt.Fprintf(m.Stdout, "Next: candor worker (e-mail), candor send letters --incident %d --out DIR (letters).\n", incidentID)
			}
			return nil
		},
	}
	incidentIDFlag(cmd, &incidentID)
	cmd.Flags().StringVar(&campaign, "campaign", breach.DefaultCampaign, "campaign name")
	cmd.Flags().StringVar(&channel, "channel", "", "email or letter only (default: e-mail where there is an address, else a letter)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "count what would be queued, queue nothing")
	cmd.AddCommand(newSendStatusCmd(m), newSendStatusChangeCmd(m, "pause", breach.CampaignPaused),
		newSendStatusChangeCmd(m, "resume", breach.CampaignActive), newSendStatusChangeCmd(m, "cancel", breach.CampaignCancelled),
		newSendBouncesCmd(m), newSendUnreachableCmd(m), newSendLettersCmd(m), newSendMarkMailedCmd(m))
	return cmd
}

// campaignFlags registers --incident and --campaign.
func campaignFlags(cmd *cobra.Command, incidentID *int64, campaign *string) {
	incidentIDFlag(cmd, incidentID)
	cmd.Flags().StringVar(campaign, "campaign", breach.DefaultCampaign, "campaign name")
}

func newSendStatusCmd(m *Main) *cobra.Command {
	var (
		incidentID int64
		campaign   string
	)
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show a campaign's progress: deliveries per state and possible duplicates",
		Long: `Counts the campaign's deliveries per state (queued, sending, sent, deferred,
bounced, failed, cancelled) and channel, and lists the people who were, or may
have been, sent the notice more than once ("duplicates"): a message in flight
when a worker died is sent again and recorded here.`,
		Example: "  candor send status --incident 1\n  candor send status --incident 1 --campaign update-1 --json",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := m.Store(cmd.Context())
			if err != nil {
				return err
			}
			c, err := s.FindCampaign(cmd.Context(), incidentID, campaign)
			if err != nil {
				return err
			}
			st, err := deliver.CampaignStatus(cmd.Context(), s, c)
			if err != nil {
				return err
			}
			if m.JSON {
				return m.printJSON(st)
			}
			printStatus(m.Stdout, st)
			return nil
		},
	}
	campaignFlags(cmd, &incidentID, &campaign)
	return cmd
}

func printStatus(w io.Writer, st *deliver.Status) {
	c := st.Campaign
	fmt.Fprintf(w, "Campaign %q of incident %d: %s", c.Name, c.IncidentID, c.Status)
	if c.StatusReason != "" {
		fmt.Fprintf(w, " (%s)", c.StatusReason)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "STATE\tE-MAIL\tLETTER\tTOTAL\t\n")
	for _, state := range breach.DeliveryStates() {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t\n", state, st.Channels[breach.ChannelEmail][state], st.Channels[breach.ChannelLetter][state], st.States[state])
	}
	fmt.Fprintf(tw, "total\t\t\t%d\t\n", st.Total)
	tw.Flush()
	if len(st.Duplicates) == 0 {
		fmt.Fprintln(w, "Duplicates: none.")
		return
	}
	fmt.Fprintf(w, "Duplicates: %d people may have received the notice more than once:\n", len(st.Duplicates))
	for i, d := range st.Duplicates {
		if i == 20 {
			fmt.Fprintf(w, "  … and %d more (--json lists all)\n", len(st.Duplicates)-i)
			break
		}
		fmt.Fprintf(w, "  %s %s (delivery %d): %d accepted, %d resent after an interrupted send\n", orDash(d.ExternalID), d.Recipient, d.DeliveryID, d.Sends, d.InFlightRecoveries)
	}
}

func newSendStatusChangeCmd(m *Main, verb string, status breach.CampaignStatus) *cobra.Command {
	var (
		incidentID int64
		campaign   string
		reason     string
	)
	short := map[string]string{
		"pause":  "Pause a campaign: workers stop starting its messages (the queue is kept)",
		"resume": "Resume a paused campaign",
		"cancel": "Cancel a campaign: its queued and deferred deliveries are cancelled for good",
	}[verb]
	cmd := &cobra.Command{
		Use:     verb,
		Short:   short,
		Example: fmt.Sprintf("  candor send %s --incident 1\n  candor send %s --incident 1 --campaign update-1 --reason \"legal review\"", verb, verb),
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := m.Store(cmd.Context())
			if err != nil {
				return err
			}
			c, err := s.FindCampaign(cmd.Context(), incidentID, campaign)
			if err != nil {
				return err
			}
			if reason == "" && verb != "resume" {
				reason = verb + "d by " + m.actor("")
			}
			c, err = s.SetCampaignStatus(cmd.Context(), c.ID, status, reason)
			if err != nil {
				return err
			}
			if m.JSON {
				return m.printJSON(c)
			}
			fmt.Fprintf(m.Stdout, "Campaign %q of incident %d is %s.\n", c.Name, c.IncidentID, c.Status)
			return nil
		},
	}
	campaignFlags(cmd, &incidentID, &campaign)
	cmd.Flags().StringVar(&reason, "reason", "", "why, recorded on the campaign")
	return cmd
}

func newSendBouncesCmd(m *Main) *cobra.Command {
	var incidentID int64
	cmd := &cobra.Command{
		Use:   "bounces FILE...",
		Short: "Read bounce reports (DSN) from files or mboxes: mark bounced, queue letters",
		Long: `Reads delivery status notifications (RFC 3464) from each FILE: a single message,
an mbox, or a directory of message files ("-" reads standard input). Each failed
recipient's e-mail is marked bounced and, when the person has a mailable postal
address, a printed letter is queued in the same campaign. Reading the same
reports again changes nothing.`,
		Example: "  candor send bounces --incident 1 bounces.mbox\n  candor send bounces --incident 1 ~/Maildir/bounces/new",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{fmt.Errorf("give at least one FILE")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := m.Store(cmd.Context())
			if err != nil {
				return err
			}
			if _, err := s.FindIncidentByID(cmd.Context(), incidentID); err != nil {
				return err
			}
			total := &deliver.BounceReport{NoAddress: []string{}, Unmatched: []string{}}
			for _, path := range expandFiles(args) {
				rep, err := bouncesFrom(cmd.Context(), m, s, incidentID, path)
				if err != nil {
					return err
				}
				total.Messages += rep.Messages
				total.NotDSN += rep.NotDSN
				total.Bounced += rep.Bounced
				total.Already += rep.Already
				total.Delayed += rep.Delayed
				total.Letters += rep.Letters
				total.NoAddress = append(total.NoAddress, rep.NoAddress...)
				total.Unmatched = append(total.Unmatched, rep.Unmatched...)
			}
			if m.JSON {
				return m.printJSON(total)
			}
			fmt.Fprintf(m.Stdout, "%d messages: %d bounces recorded (%d already known), %d delays, %d not bounce reports.\n",
				total.Messages, total.Bounced, total.Already, total.Delayed, total.NotDSN)
			fmt.Fprintf(m.Stdout, "Letters queued: %d. No postal address: %d. Unmatched recipients: %d.\n", total.Letters, len(total.NoAddress), len(total.Unmatched))
			if len(total.NoAddress) > 0 {
				fmt.Fprintf(m.Stdout, "Next: candor send unreachable --incident %d\n", incidentID)
			}
			return nil
		},
	}
	incidentIDFlag(cmd, &incidentID)
	return cmd
}

// expandFiles replaces directories by the regular files in them.
func expandFiles(args []string) []string {
	var out []string
	for _, a := range args {
		if fi, err := os.Stat(a); err == nil && fi.IsDir() {
			entries, _ := os.ReadDir(a)
			for _, e := range entries {
				if e.Type().IsRegular() {
					out = append(out, filepath.Join(a, e.Name()))
				}
			}
			continue
		}
		out = append(out, a)
	}
	return out
}

func bouncesFrom(ctx context.Context, m *Main, s Store, incidentID int64, path string) (*deliver.BounceReport, error) {
	if path == "-" {
		return deliver.ProcessBounces(ctx, s, incidentID, m.Stdin)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, breach.Errorf(breach.EINVALID, "bounces: %v", err)
	}
	defer f.Close()
	return deliver.ProcessBounces(ctx, s, incidentID, f)
}

func newSendUnreachableCmd(m *Main) *cobra.Command {
	var (
		incidentID int64
		campaign   string
	)
	cmd := &cobra.Command{
		Use:   "unreachable",
		Short: "List the people nothing reaches, with their legal deadlines and substitute-notice options",
		Long: `Lists the campaign's people to whom nothing is on its way (no address, e-mail
bounced with no postal address, letter failed), by jurisdiction, with each
applicable law's deadline for notifying them and the substitute notice it allows
(website posting, media notice…). Legal information, not legal advice.`,
		Example: "  candor send unreachable --incident 1\n  candor send unreachable --incident 1 --json",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := m.Store(cmd.Context())
			if err != nil {
				return err
			}
			c, err := s.FindCampaign(cmd.Context(), incidentID, campaign)
			if err != nil {
				return err
			}
			reg, err := law.Load()
			if err != nil {
				return err
			}
			rep, err := deliver.Unreachable(cmd.Context(), s, reg, c, time.Now())
			if err != nil {
				return err
			}
			if m.JSON {
				return m.printJSON(rep)
			}
			printUnreachable(m.Stdout, rep)
			return nil
		},
	}
	campaignFlags(cmd, &incidentID, &campaign)
	return cmd
}

func printUnreachable(w io.Writer, rep *deliver.UnreachableReport) {
	if rep.Total == 0 {
		fmt.Fprintf(w, "Everyone in campaign %q has a notice sent or on its way.\n", rep.Campaign)
		return
	}
	fmt.Fprintf(w, "%d people in campaign %q cannot be reached by e-mail or letter:\n", rep.Total, rep.Campaign)
	for _, g := range rep.Groups {
		soonest := "no fixed deadline"
		if g.Soonest != nil {
			soonest = "by " + g.Soonest.String()
		}
		fmt.Fprintf(w, "\n%s: %d people, %s\n", orDash(string(g.Jurisdiction)), g.Count, soonest)
		for _, l := range g.Laws {
			when := l.DeadlineText
			if l.Deadline != nil {
				when = fmt.Sprintf("deadline %s (%d days left)", l.Deadline, l.DaysLeft)
			} else if l.Target != nil {
				when = fmt.Sprintf("no fixed deadline; target %s (%d days left)", l.Target, l.DaysLeft)
			}
			fmt.Fprintf(w, "  %s (%s): %s\n", l.Name, l.Citation, when)
			if l.Substitute != "" {
				fmt.Fprintf(w, "    substitute notice: %s\n", l.Substitute)
			} else {
				fmt.Fprintf(w, "    substitute notice: none in this law\n")
			}
		}
		ids := make([]string, 0, len(g.People))
		for i, p := range g.People {
			if i == 10 {
				ids = append(ids, fmt.Sprintf("… %d more", len(g.People)-i))
				break
			}
			ids = append(ids, p.ID+" ("+p.Reason+")")
		}
		fmt.Fprintf(w, "  people: %s\n", strings.Join(ids, "; "))
	}
	fmt.Fprintf(w, "\n%s\n", rep.Disclaimer)
}

func newSendLettersCmd(m *Main) *cobra.Command {
	var (
		incidentID int64
		campaign   string
		out        string
		batch      int
	)
	cmd := &cobra.Command{
		Use:   "letters",
		Short: "Print the queued letters: PDF batches and manifests for the mail house",
		Long: `Renders the campaign's queued letters into print-ready PDF batches (US Letter,
address placed for a #10 window envelope), each with a CSV manifest naming every
piece. The letters are then recorded as handed to the mail house; the vendor's
file of mailing dates is read back with ` + "`candor send mark-mailed`" + `.`,
		Example: "  candor send letters --incident 1 --out print/\n  candor send letters --incident 1 --out print/ --batch-size 1000",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := m.Store(cmd.Context())
			if err != nil {
				return err
			}
			c, err := s.FindCampaign(cmd.Context(), incidentID, campaign)
			if err != nil {
				return err
			}
			rep, err := deliver.PrintLetters(cmd.Context(), s, approvedNotices{s}, c, deliver.PrintOptions{Dir: out, BatchSize: batch})
			if err != nil {
				return err
			}
			if m.JSON {
				return m.printJSON(rep)
			}
			fmt.Fprintf(m.Stdout, "Printed %d letters in %d batches:\n", rep.Letters, len(rep.Batches))
			for _, b := range rep.Batches {
				fmt.Fprintf(m.Stdout, "  %s: %d letters, %d pages, sha256 %s\n    manifest %s\n", b.PDF, b.Letters, b.Pages, b.SHA256, b.Manifest)
			}
			return nil
		},
	}
	campaignFlags(cmd, &incidentID, &campaign)
	cmd.Flags().StringVar(&out, "out", "letters", "directory for the PDF batches and manifests")
	cmd.Flags().IntVar(&batch, "batch-size", 500, "letters per PDF batch")
	return cmd
}

func newSendMarkMailedCmd(m *Main) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "mark-mailed FILE",
		Short: "Record the mailing dates from the mail house's file",
		Long: `Reads the mail house's CSV file (a header with piece_id, as in the manifests, and
mailed_on, YYYY-MM-DD) and records each letter as sent on that date. Reading the
same file again changes nothing.`,
		Example: "  candor send mark-mailed mailed-2026-11-12.csv",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := m.Store(cmd.Context())
			if err != nil {
				return err
			}
			f, err := os.Open(args[0])
			if err != nil {
				return breach.Errorf(breach.EINVALID, "mark-mailed: %v", err)
			}
			defer f.Close()
			rep, err := deliver.MarkMailed(cmd.Context(), s, f)
			if err != nil {
				return err
			}
			if m.JSON {
				return m.printJSON(rep)
			}
			fmt.Fprintf(m.Stdout, "%d rows: %d letters recorded as mailed, %d already recorded, %d unknown pieces.\n",
				rep.Rows, rep.Mailed, rep.Already, len(rep.Unknown))
			if len(rep.Unknown) > 0 {
				sort.Strings(rep.Unknown)
				fmt.Fprintf(m.Stdout, "Unknown: %s\n", strings.Join(rep.Unknown, ", "))
			}
			return nil
		},
	}
	return cmd
}

// DemoSendSummary is what the demo's delivery step did.
type DemoSendSummary struct {
	// Server is where the e-mails went: the configured SMTP server, or the
	// in-process sink the demo started (its messages saved in Mbox).
	Server  string                 `json:"server"`
	Mbox    string                 `json:"mbox,omitempty"`
	Queued  *deliver.EnqueueReport `json:"queued"`
	Worker  *deliver.Report        `json:"worker"`
	Letters *deliver.PrintReport   `json:"letters"`
	Status  *deliver.Status        `json:"status"`
	// PerSecond is e-mails sent a second.
	PerSecond float64 `json:"per_second"`
}

// demoSend sends an incident's approved notices: it queues the initial
// campaign, sends the e-mails through the configured SMTP server or, when
// none is configured, through an in-process SMTP sink that saves them to
// dir/sent.mbox, prints the letters into dir/letters, and returns the
// summary. The notices must be approved.
func (m *Main) demoSend(ctx context.Context, s Store, incidentID int64, dir string) (*DemoSendSummary, error) {
	sum := &DemoSendSummary{}
	opts := m.workerOptions()
	if m.Config.SMTP.Host == "" {
		sum.Mbox = filepath.Join(dir, "sent.mbox")
		f, err := os.Create(sum.Mbox)
		if err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		defer f.Close()
		sink, err := deliver.StartSink(deliver.SinkOptions{Message: deliver.Mbox(f)})
		if err != nil {
			return nil, fmt.Errorf("demo: start the SMTP sink: %w", err)
		}
		defer sink.Close()
		opts.SMTP = deliver.SMTPOptions{Host: sink.Host(), Port: sink.Port(), TLS: "none", Timeout: 30 * time.Second}
		opts.Connections, opts.RatePerSec, opts.RatePerDomain, opts.DomainRates = 16, 0, 0, nil
		sum.Server = fmt.Sprintf("in-process SMTP sink at %s:%d", sink.Host(), sink.Port())
	} else {
		sum.Server = opts.SMTP.Addr()
	}
	var err error
	if sum.Queued, err = deliver.Enqueue(ctx, s, approvedNotices{s}, deliver.EnqueueOptions{IncidentID: incidentID}); err != nil {
		return nil, err
	}
	c := sum.Queued.Campaign
	opts.CampaignID = c.ID
	w, err := deliver.NewWorker(ctx, s, approvedNotices{s}, opts)
	if err != nil {
		return nil, err
	}
	if sum.Worker, err = w.Drain(ctx); err != nil {
		return nil, err
	}
	if secs := sum.Worker.Elapsed.Seconds(); secs > 0 {
		sum.PerSecond = float64(sum.Worker.Sent) / secs
	}
	if c, err = s.FindCampaignByID(ctx, c.ID); err != nil {
		return nil, err
	}
	if c.Status == breach.CampaignActive {
		if sum.Letters, err = deliver.PrintLetters(ctx, s, approvedNotices{s}, c, deliver.PrintOptions{Dir: filepath.Join(dir, "letters")}); err != nil {
			return nil, err
		}
	}
	if sum.Status, err = deliver.CampaignStatus(ctx, s, c); err != nil {
		return nil, err
	}
	return sum, nil
}

// printDemoSend writes the summary of demoSend for people.
func printDemoSend(w io.Writer, sum *DemoSendSummary) {
	q := sum.Queued
	fmt.Fprintf(w, "Queued %d e-mails and %d letters (skipped %d no-contact, %d deceased, %d unreachable) under %s\n",
		q.Email, q.Letter, q.NoContact, q.Deceased, q.Unreachable, q.Approval)
	r := sum.Worker
	fmt.Fprintf(w, "Sent %d e-mails to the %s in %.1fs (%.0f/s): %d deferred, %d failed\n", r.Sent, sum.Server,
		r.Elapsed.Seconds(), sum.PerSecond, r.Deferred, r.Failed)
	if sum.Mbox != "" {
		fmt.Fprintf(w, "  every message is in %s\n", sum.Mbox)
	}
	if sum.Letters != nil && len(sum.Letters.Batches) > 0 {
		fmt.Fprintf(w, "Printed %d letters in %d PDF batches under %s\n", sum.Letters.Letters, len(sum.Letters.Batches), filepath.Dir(sum.Letters.Batches[0].PDF))
	}
	printStatus(w, sum.Status)
}

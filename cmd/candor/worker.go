package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/deliver"
)

func init() { register(newWorkerCmd) }

func newWorkerCmd(m *Main) *cobra.Command {
	var (
		connections int
		batch       int
		lease       time.Duration
		once        bool
		incidentID  int64
		campaign    string
		metrics     string
	)
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Send the queued e-mails of active campaigns",
		Long: `Sends the queued e-mail notices of every active campaign through the configured
SMTP server (smtp.* in candor.toml or CANDOR_SMTP_*): batches of deliveries are
claimed under a lease, each notice is rendered from the approved template and
sent over a pool of reused connections, within the configured rate limits.
4xx replies are retried with backoff, 5xx replies fail the delivery, and too
many errors in a row pause the campaign.

On PostgreSQL, run as many workers on as many machines as you like: they share
the work without sending anything twice. On SQLite, run one. A worker killed at
any moment loses nothing: its deliveries come back when its lease runs out, and
a message that was in flight is sent again and listed by ` + "`candor send status`" + `.`,
		Example: `  candor worker
  candor worker --once --connections 16
  candor worker --metrics-addr 127.0.0.1:9464
  CANDOR_SMTP_HOST=smtp.example.com CANDOR_SMTP_USERNAME=notices CANDOR_SMTP_PASSWORD_FILE=/run/secrets/smtp candor worker`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := m.Store(ctx)
			if err != nil {
				return err
			}
			opts := m.workerOptions()
			if cmd.Flags().Changed("connections") {
				opts.Connections = connections
			}
			opts.BatchSize, opts.Lease = batch, lease
			if incidentID != 0 {
				c, err := s.FindCampaign(ctx, incidentID, campaign)
				if err != nil {
					return err
				}
				opts.CampaignID = c.ID
			} else if once {
				return usageError{fmt.Errorf("--once needs --incident (and --campaign) to know when the work is done")}
			}
			if opts.SMTP.Host == "" {
				return breach.Errorf(breach.EINVALID, "no SMTP server configured: set smtp.host in candor.toml or CANDOR_SMTP_HOST")
			}
			w, err := deliver.NewWorker(ctx, s, approvedNotices{s}, opts)
			if err != nil {
				return err
			}
			if metrics != "" {
				addr, err := serveMetrics(ctx, metrics, workerMetrics(w.Counts))
				if err != nil {
					return err
				}
				m.Logger.Info("metrics", "url", "http://"+addr+"/metrics")
			}
			m.Logger.Info("worker started", "smtp", opts.SMTP.Addr(), "connections", opts.Connections)
			var rep *deliver.Report
			if once {
				rep, err = w.Drain(ctx)
			} else {
				rep, err = w.Run(ctx)
			}
			if err != nil {
				return err
			}
			if m.JSON {
				return m.printJSON(rep)
			}
			rate := 0.0
			if s := rep.Elapsed.Seconds(); s > 0 {
				rate = float64(rep.Sent) / s
			}
			fmt.Fprintf(m.Stdout, "Sent %d, deferred %d, failed %d, released %d in %.1fs (%.0f/s).\n",
				rep.Sent, rep.Deferred, rep.Failed, rep.Released, rep.Elapsed.Seconds(), rate)
			for _, p := range rep.Paused {
				fmt.Fprintf(m.Stdout, "Paused: %s\n", p)
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&connections, "connections", 8, "SMTP connections (default smtp.connections)")
	cmd.Flags().IntVar(&batch, "batch", 500, "deliveries claimed at a time")
	cmd.Flags().DurationVar(&lease, "lease", 2*time.Minute, "how long a claim holds if this worker dies")
	cmd.Flags().BoolVar(&once, "once", false, "stop when the campaign has nothing left to send")
	cmd.Flags().Int64Var(&incidentID, "incident", 0, "send only this incident's campaign")
	cmd.Flags().StringVar(&campaign, "campaign", breach.DefaultCampaign, "campaign name, with --incident")
	cmd.Flags().StringVar(&metrics, "metrics-addr", "", "serve Prometheus metrics at http://ADDR/metrics, e.g. 127.0.0.1:9464")
	return cmd
}

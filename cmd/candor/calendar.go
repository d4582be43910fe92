package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

func init() { register(newCalendarCmd) }

func newCalendarCmd(m *Main) *cobra.Command {
	var (
		src planSource
		out string
	)
	cmd := &cobra.Command{
		Use:   "calendar",
		Short: "Write every notification deadline as an iCalendar (.ics) file",
		Long: `Assesses the incident (as ` + "`candor assess`" + ` does) and writes an RFC 5545
calendar with one all-day event per required notice on its deadline (or its
recommended target when the law sets none), an alarm two days before each, and
our own seven-day goal. Import it into any calendar; re-importing updates the
same events.`,
		Example: "  candor calendar --incident 1 --out deadlines.ics\n  candor calendar --scenario what-if.yaml > what-if.ics",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			plan, title, err := m.assessPlan(cmd, &src)
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := plan.WriteICS(&buf, "Candor: "+title, m.now()); err != nil {
				return err
			}
			if out == "" || out == "-" {
				_, err := m.Stdout.Write(buf.Bytes())
				return err
			}
			if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
				return fmt.Errorf("write calendar %s: %w", out, err)
			}
			if m.JSON {
				return m.printJSON(map[string]any{"file": out, "deadlines": len(plan.Obligations), "seven_day_target": plan.SevenDay.Date})
			}
			fmt.Fprintf(m.Stdout, "Wrote %s: the deadlines of %s and the seven-day goal (%s).\n", out, title, plan.SevenDay.Date)
			return nil
		},
	}
	src.flags(cmd)
	src.sev.flags(cmd)
	cmd.Flags().StringVar(&out, "out", "", "write the calendar to `FILE` (default: standard output)")
	return cmd
}

package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/candor-dev/candor/internal/breach"
)

func init() { register(newIncidentCmd) }

func newIncidentCmd(m *Main) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "incident",
		Short: "Create, list, show and update incidents",
		Args:  noArgs,
	}
	cmd.AddCommand(newIncidentCreateCmd(m), newIncidentListCmd(m), newIncidentShowCmd(m), newIncidentUpdateCmd(m))
	return cmd
}

// incidentFlags are the flags shared by create and update.
type incidentFlags struct {
	title, discovered, occurredFrom, occurredTo, contained, tz string
	whatHappened, cause, elements, harmLikely, leNote, status  string
	systems                                                    []string
	encrypted, keyCompromised, leDelay                         bool
}

func (f *incidentFlags) register(cmd *cobra.Command, withStatus bool) {
	fs := cmd.Flags()
	fs.StringVar(&f.title, "title", "", "short title")
	fs.StringVar(&f.discovered, "discovered", "", "when the breach was discovered (RFC 3339, e.g. 2026-11-02T09:00:00-05:00)")
	fs.StringVar(&f.occurredFrom, "occurred-from", "", "start of the window in which the breach occurred")
	fs.StringVar(&f.occurredTo, "occurred-to", "", "end of the window in which the breach occurred")
	fs.StringVar(&f.contained, "contained", "", "when the breach was contained")
	fs.StringVar(&f.tz, "tz", "", "IANA time zone for deadlines, e.g. America/New_York (default UTC)")
	fs.StringVar(&f.whatHappened, "what-happened", "", "plain account of what happened")
	fs.StringVar(&f.cause, "cause", "", "cause, e.g. misconfigured storage, phishing, stolen laptop")
	fs.StringSliceVar(&f.systems, "systems", nil, "systems affected (comma-separated)")
	fs.StringVar(&f.elements, "elements", "", "data elements exposed anywhere in the incident, e.g. name,ssn (see: candor elements)")
	fs.BoolVar(&f.encrypted, "encrypted", false, "the exposed data was encrypted")
	fs.BoolVar(&f.keyCompromised, "key-compromised", false, "the encryption key was also exposed")
	fs.StringVar(&f.harmLikely, "harm-likely", "", "documented risk-of-harm determination: true, false or unknown")
	fs.BoolVar(&f.leDelay, "law-enforcement-delay", false, "law enforcement asked for notice to be delayed")
	fs.StringVar(&f.leNote, "law-enforcement-note", "", "who asked for the delay and until when")
	if withStatus {
		fs.StringVar(&f.status, "status", "", "move forward: open → assessed → notifying → monitoring → closed")
	}
}

// update converts the flags the user set into an update.
func (f *incidentFlags) update(cmd *cobra.Command) (breach.IncidentUpdate, error) {
	var upd breach.IncidentUpdate
	changed := cmd.Flags().Changed
	loc := time.UTC
	if f.tz != "" {
		l, err := time.LoadLocation(f.tz)
		if err != nil {
			return upd, usageError{fmt.Errorf("--tz %q is not an IANA time zone", f.tz)}
		}
		loc = l
	}
	str := func(name string, v string, dst **string) {
		if changed(name) {
			s := strings.TrimSpace(v)
			*dst = &s
		}
	}
	str("title", f.title, &upd.Title)
	str("tz", f.tz, &upd.TimeZone)
	str("what-happened", f.whatHappened, &upd.WhatHappened)
	str("cause", f.cause, &upd.Cause)
	str("law-enforcement-note", f.leNote, &upd.LawEnforcementNote)
	times := []struct {
		name, val string
		dst       **time.Time
	}{
		{"discovered", f.discovered, &upd.DiscoveredAt}, {"occurred-from", f.occurredFrom, &upd.OccurredFrom},
		{"occurred-to", f.occurredTo, &upd.OccurredTo}, {"contained", f.contained, &upd.ContainedAt},
	}
	for _, t := range times {
		if changed(t.name) {
			v, err := parseTimeFlag(t.name, t.val, loc)
			if err != nil {
				return upd, err
			}
			*t.dst = &v
		}
	}
	bools := []struct {
		name string
		val  bool
		dst  **bool
	}{
		{"encrypted", f.encrypted, &upd.Encrypted}, {"key-compromised", f.keyCompromised, &upd.KeyCompromised},
		{"law-enforcement-delay", f.leDelay, &upd.LawEnforcementDelay},
	}
	for _, b := range bools {
		if changed(b.name) {
			v := b.val
			*b.dst = &v
		}
	}
	if changed("systems") {
		s := f.systems
		upd.SystemsAffected = &s
	}
	if changed("elements") {
		set, err := parseElementsFlag(f.elements)
		if err != nil {
			return upd, err
		}
		upd.Elements = &set
	}
	if changed("harm-likely") {
		h, err := breach.ParseTristate(f.harmLikely)
		if err != nil {
			return upd, usageError{fmt.Errorf("--harm-likely: %s", breach.ErrorMessage(err))}
		}
		upd.HarmLikely = &h
	}
	if changed("status") {
		st := breach.Status(strings.ToLower(f.status))
		upd.Status = &st
	}
	return upd, nil
}

func newIncidentCreateCmd(m *Main) *cobra.Command {
	var f incidentFlags
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Record a new incident",
		Example: `  candor incident create --title "Customer database exposure" \
      --discovered 2026-11-02T09:00:00-05:00 --tz America/New_York \
      --occurred-from 2026-10-12 --occurred-to 2026-10-30 \
      --what-happened "A backup of our customer database was stored where anyone could read it." \
      --elements name,ssn,email`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.title == "" || f.discovered == "" {
				return usageError{fmt.Errorf("--title and --discovered are required")}
			}
			upd, err := f.update(cmd)
			if err != nil {
				return err
			}
			inc := &breach.Incident{Status: breach.StatusOpen, HarmLikely: breach.Unknown}
			if err := upd.Apply(inc); err != nil {
				return err
			}
			s, err := m.Store(cmd.Context())
			if err != nil {
				return err
			}
			if err := s.CreateIncident(cmd.Context(), inc); err != nil {
				return err
			}
			m.Logger.Info("incident created", "incident", inc.ID)
			return printIncident(m, inc)
		},
	}
	f.register(cmd, false)
	return cmd
}

func newIncidentUpdateCmd(m *Main) *cobra.Command {
	var f incidentFlags
	cmd := &cobra.Command{
		Use:   "update ID",
		Short: "Change an incident's facts or move its status forward",
		Example: `  candor incident update 1 --contained 2026-11-03T18:00:00-05:00
  candor incident update 1 --status assessed
  candor incident update 1 --encrypted --key-compromised`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			upd, err := f.update(cmd)
			if err != nil {
				return err
			}
			s, err := m.Store(cmd.Context())
			if err != nil {
				return err
			}
			inc, err := s.UpdateIncident(cmd.Context(), id, upd)
			if err != nil {
				return err
			}
			m.Logger.Info("incident updated", "incident", inc.ID, "status", inc.Status)
			return printIncident(m, inc)
		},
	}
	f.register(cmd, true)
	return cmd
}

func newIncidentListCmd(m *Main) *cobra.Command {
	var status string
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List incidents, newest first",
		Example: "  candor incident list\n  candor incident list --status open --json",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := m.Store(cmd.Context())
			if err != nil {
				return err
			}
			var filter breach.IncidentFilter
			if status != "" {
				st := breach.Status(status)
				filter.Status = &st
			}
			incs, err := s.FindIncidents(cmd.Context(), filter)
			if err != nil {
				return err
			}
			if m.JSON {
				if incs == nil {
					incs = []*breach.Incident{}
				}
				return m.printJSON(incs)
			}
			w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tSTATUS\tDISCOVERED\tTITLE")
			for _, inc := range incs {
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", inc.ID, inc.Status, inc.DiscoveredAt.Format(time.RFC3339), inc.Title)
			}
			return w.Flush()
		},
	}
	cmd.Flags().StringVar(&status, "status", "", "only incidents in this status")
	return cmd
}

func newIncidentShowCmd(m *Main) *cobra.Command {
	return &cobra.Command{
		Use:     "show ID",
		Short:   "Show one incident",
		Example: "  candor incident show 1\n  candor incident show 1 --json",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			s, err := m.Store(cmd.Context())
			if err != nil {
				return err
			}
			inc, err := s.FindIncidentByID(cmd.Context(), id)
			if err != nil {
				return err
			}
			return printIncident(m, inc)
		},
	}
}

func printIncident(m *Main, inc *breach.Incident) error {
	if m.JSON {
		return m.printJSON(inc)
	}
	w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	occurred := formatOptTime(inc.OccurredFrom) + " – " + formatOptTime(inc.OccurredTo)
	rows := [][2]string{
		{"Incident", fmt.Sprint(inc.ID)}, {"Title", inc.Title}, {"Status", string(inc.Status)},
		{"Discovered", inc.DiscoveredAt.Format(time.RFC3339)}, {"Occurred", occurred},
		{"Contained", formatOptTime(inc.ContainedAt)}, {"Time zone", orDash(inc.TimeZone)},
		{"What happened", orDash(inc.WhatHappened)}, {"Cause", orDash(inc.Cause)},
		{"Systems", orDash(strings.Join(inc.SystemsAffected, ", "))}, {"Elements", inc.Elements.String()},
		{"Encrypted", fmt.Sprintf("%t (key compromised: %t)", inc.Encrypted, inc.KeyCompromised)},
		{"Harm likely", string(inc.HarmLikely)},
		{"Law-enforcement delay", fmt.Sprintf("%t %s", inc.LawEnforcementDelay, inc.LawEnforcementNote)},
	}
	for _, r := range rows {
		fmt.Fprintf(w, "%s:\t%s\n", r[0], r[1])
	}
	return w.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/candor-dev/candor/internal/breach"
)

func init() { register(newPeopleCmd) }

func newPeopleCmd(m *Main) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "people",
		Short: "Inspect the people affected by an incident",
		Args:  noArgs,
	}
	cmd.AddCommand(newPeopleStatsCmd(m), newPeopleShowCmd(m), newPeopleListCmd(m))
	return cmd
}

func newPeopleStatsCmd(m *Main) *cobra.Command {
	var incidentID int64
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Count affected people by jurisdiction × exposed-element set",
		Long: `Counts the incident's people by jurisdiction and exact set of exposed data
elements: the groups the law engine evaluates, each once.`,
		Example: "  candor people stats --incident 1\n  candor people stats --incident 1 --json",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := m.Store(cmd.Context())
			if err != nil {
				return err
			}
			if _, err := s.FindIncidentByID(cmd.Context(), incidentID); err != nil {
				return err
			}
			stats, err := s.PersonStats(cmd.Context(), incidentID)
			if err != nil {
				return err
			}
			if m.JSON {
				return m.printJSON(stats)
			}
			w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(w, "COUNT\tJURISDICTION\tELEMENTS\t")
			for _, g := range stats.Groups {
				fmt.Fprintf(w, "%d\t%s\t%s\t\n", g.Count, orDash(string(g.Jurisdiction)), g.Elements)
			}
			fmt.Fprintf(w, "%d\ttotal\t%d groups\t\n", stats.Total, len(stats.Groups))
			return w.Flush()
		},
	}
	incidentIDFlag(cmd, &incidentID)
	return cmd
}

func newPeopleShowCmd(m *Main) *cobra.Command {
	var (
		incidentID int64
		person     string
		email      string
	)
	cmd := &cobra.Command{
		Use:     "show",
		Short:   "Show one affected person",
		Example: "  candor people show --incident 1 --person C-000042\n  candor people show --incident 1 --email pat@example.org --json",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if (person == "") == (email == "") {
				return usageError{fmt.Errorf("give exactly one of --person EXTERNAL_ID or --email")}
			}
			s, err := m.Store(cmd.Context())
			if err != nil {
				return err
			}
			var p *breach.Person
			if person != "" {
				p, err = s.FindPerson(cmd.Context(), incidentID, person)
			} else {
				var people []*breach.Person
				people, err = s.FindPeople(cmd.Context(), breach.PersonFilter{IncidentID: incidentID, Email: email, Limit: 1})
				if err == nil && len(people) == 0 {
					err = breach.Errorf(breach.ENOTFOUND, "no person with that e-mail in incident %d", incidentID)
				}
				if err == nil {
					p = people[0]
				}
			}
			if err != nil {
				return err
			}
			if m.JSON {
				return m.printJSON(p)
			}
			return printPerson(m, p)
		},
	}
	incidentIDFlag(cmd, &incidentID)
	cmd.Flags().StringVar(&person, "person", "", "the person's external ID")
	cmd.Flags().StringVar(&email, "email", "", "the person's e-mail address")
	return cmd
}

func printPerson(m *Main, p *breach.Person) error {
	w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	a := p.Address
	var flags []string
	for _, f := range []struct {
		on   bool
		name string
	}{{p.Minor, "minor"}, {p.Deceased, "deceased"}, {p.NoContact, "no-contact"}} {
		if f.on {
			flags = append(flags, f.name)
		}
	}
	var plain []string
	for _, e := range p.Elements.Elements() {
		plain = append(plain, e.Info().Label)
	}
	rows := [][2]string{
		{"External ID", orDash(p.ExternalID)}, {"Name", orDash(p.Name())}, {"E-mail", orDash(p.Email)},
		{"Phone", orDash(p.Phone)},
		{"Address", orDash(strings.Join(nonEmpty(a.Line1, a.Line2, a.City, a.Region, a.PostalCode, a.Country), ", "))},
		{"Jurisdiction", orDash(string(p.Jurisdiction))}, {"Locale", orDash(p.Locale)},
		{"Exposed", strings.Join(plain, ", ")}, {"Flags", orDash(strings.Join(flags, ", "))},
		{"Added in import", fmt.Sprint(p.FirstBatchID)}, {"Last seen in import", fmt.Sprint(p.BatchID)},
	}
	for _, r := range rows {
		fmt.Fprintf(w, "%s:\t%s\n", r[0], r[1])
	}
	return w.Flush()
}

func newPeopleListCmd(m *Main) *cobra.Command {
	var (
		incidentID int64
		juris      string
		limit      int
		after      int64
	)
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List affected people (paged)",
		Example: "  candor people list --incident 1 --jurisdiction US-TX --limit 20\n  candor people list --incident 1 --after 500 --json",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := m.Store(cmd.Context())
			if err != nil {
				return err
			}
			filter := breach.PersonFilter{IncidentID: incidentID, Jurisdiction: breach.Jurisdiction(strings.ToUpper(juris)), Limit: limit, AfterID: after}
			people, err := s.FindPeople(cmd.Context(), filter)
			if err != nil {
				return err
			}
			if m.JSON {
				if people == nil {
					people = []*breach.Person{}
				}
				return m.printJSON(people)
			}
			w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tEXTERNAL ID\tNAME\tJURISDICTION\tELEMENTS")
			for _, p := range people {
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\n", p.ID, orDash(p.ExternalID), orDash(p.Name()), orDash(string(p.Jurisdiction)), p.Elements)
			}
			return w.Flush()
		},
	}
	incidentIDFlag(cmd, &incidentID)
	cmd.Flags().StringVar(&juris, "jurisdiction", "", "only people in this jurisdiction, e.g. US-TX")
	cmd.Flags().IntVar(&limit, "limit", 50, "at most this many")
	cmd.Flags().Int64Var(&after, "after", 0, "only people with an ID above this (for paging)")
	return cmd
}

package main

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/BurntSushi/toml"
	"github.com/spf13/cobra"

	"github.com/candor-dev/candor/internal/breach"
)

func init() { register(newOrgCmd) }

func newOrgCmd(m *Main) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "org",
		Short: "Set or show the organisation that sends the notices",
		Args:  noArgs,
	}
	cmd.AddCommand(newOrgSetCmd(m), newOrgShowCmd(m))
	return cmd
}

func newOrgSetCmd(m *Main) *cobra.Command {
	var (
		file string
		o    breach.Organization
	)
	cmd := &cobra.Command{
		Use:   "set",
		Short: "Create or update the organisation (only the flags given change)",
		Example: `  candor org set --legal-name "Example Corp" --brand Example --domain example.com \
      --allowed-domain example-help.com --support-phone "+1 800 555 0100" \
      --support-hours "Mon–Fri 8am–8pm ET" --sender notices@example.com
  candor org set --file org.toml`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := m.Store(ctx)
			if err != nil {
				return err
			}
			org, err := s.Organization(ctx)
			if breach.ErrorCode(err) == breach.ENOTFOUND {
				org, err = &breach.Organization{}, nil
			}
			if err != nil {
				return err
			}
			if file != "" {
				b, err := os.ReadFile(file)
				if err != nil {
					return breach.Errorf(breach.EINVALID, "read %s: %v", file, err)
				}
				if _, err := toml.Decode(string(b), org); err != nil {
					return breach.Errorf(breach.EINVALID, "%s: %v", file, err)
				}
			}
			applyOrgFlags(cmd, org, &o)
			if err := s.SetOrganization(ctx, org); err != nil {
				return err
			}
			m.Logger.Info("organization set", "legal_name", org.LegalName, "domain", org.PrimaryDomain)
			return printOrg(m, org)
		},
	}
	f := cmd.Flags()
	f.StringVar(&file, "file", "", "read the organisation from a TOML file (keys as in `org show --json`)")
	f.StringVar(&o.LegalName, "legal-name", "", "legal name")
	f.StringVar(&o.Brand, "brand", "", "brand name people know")
	f.StringVar(&o.PrimaryDomain, "domain", "", "official web domain, e.g. example.com")
	f.StringSliceVar(&o.AllowedDomains, "allowed-domain", nil, "other official domains (repeatable)")
	f.StringVar(&o.SupportPhone, "support-phone", "", "support phone number")
	f.StringVar(&o.SupportEmail, "support-email", "", "support e-mail address")
	f.StringVar(&o.SupportHours, "support-hours", "", "support hours, e.g. \"Mon–Fri 8am–8pm ET\"")
	f.StringVar(&o.SenderAddress, "sender", "", "From address of notice e-mails (on the primary domain)")
	f.StringSliceVar(&o.Sectors, "sector", nil, "regulatory sector, e.g. hipaa_covered_entity, financial_institution (repeatable)")
	f.StringVar(&o.Address.Line1, "address-line1", "", "postal address line 1")
	f.StringVar(&o.Address.Line2, "address-line2", "", "postal address line 2")
	f.StringVar(&o.Address.City, "city", "", "city")
	f.StringVar(&o.Address.Region, "region", "", "state or region code")
	f.StringVar(&o.Address.PostalCode, "postal-code", "", "postal code")
	f.StringVar(&o.Address.Country, "country", "", "ISO country code, e.g. US")
	return cmd
}

// applyOrgFlags copies the flags the user set from src into org.
func applyOrgFlags(cmd *cobra.Command, org, src *breach.Organization) {
	changed := cmd.Flags().Changed
	strs := map[string][2]*string{
		"legal-name": {&org.LegalName, &src.LegalName}, "brand": {&org.Brand, &src.Brand},
		"domain": {&org.PrimaryDomain, &src.PrimaryDomain}, "support-phone": {&org.SupportPhone, &src.SupportPhone},
		"support-email": {&org.SupportEmail, &src.SupportEmail}, "support-hours": {&org.SupportHours, &src.SupportHours},
		"sender": {&org.SenderAddress, &src.SenderAddress}, "address-line1": {&org.Address.Line1, &src.Address.Line1},
		"address-line2": {&org.Address.Line2, &src.Address.Line2}, "city": {&org.Address.City, &src.Address.City},
		"region": {&org.Address.Region, &src.Address.Region}, "postal-code": {&org.Address.PostalCode, &src.Address.PostalCode},
		"country": {&org.Address.Country, &src.Address.Country},
	}
	for name, p := range strs {
		if changed(name) {
			*p[0] = strings.TrimSpace(*p[1])
		}
	}
	if changed("domain") {
		org.PrimaryDomain = strings.ToLower(org.PrimaryDomain)
	}
	if changed("allowed-domain") {
		org.AllowedDomains = src.AllowedDomains
	}
	if changed("sector") {
		org.Sectors = src.Sectors
	}
}

func newOrgShowCmd(m *Main) *cobra.Command {
	return &cobra.Command{
		Use:     "show",
		Short:   "Show the organisation",
		Example: "  candor org show\n  candor org show --json",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := m.Store(cmd.Context())
			if err != nil {
				return err
			}
			org, err := s.Organization(cmd.Context())
			if err != nil {
				return err
			}
			return printOrg(m, org)
		},
	}
}

func printOrg(m *Main, org *breach.Organization) error {
	if m.JSON {
		return m.printJSON(org)
	}
	w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	a := org.Address
	rows := [][2]string{
		{"Legal name", org.LegalName}, {"Brand", org.Brand}, {"Domain", org.PrimaryDomain},
		{"Allowed domains", strings.Join(org.AllowedDomains, ", ")}, {"Sender", org.SenderAddress},
		{"Support phone", org.SupportPhone}, {"Support e-mail", org.SupportEmail}, {"Support hours", org.SupportHours},
		{"Address", strings.Join(nonEmpty(a.Line1, a.Line2, a.City, a.Region, a.PostalCode, a.Country), ", ")},
		{"Sectors", strings.Join(org.Sectors, ", ")},
	}
	for _, r := range rows {
		fmt.Fprintf(w, "%s:\t%s\n", r[0], r[1])
	}
	return w.Flush()
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

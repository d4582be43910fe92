package breach

import (
	"net/mail"
	"strings"
)

// Address is a postal address.
type Address struct {
	Line1      string `json:"line1,omitempty"`
	Line2      string `json:"line2,omitempty"`
	City       string `json:"city,omitempty"`
	Region     string `json:"region,omitempty"` // state, province or county code, e.g. "TX"
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country,omitempty"` // ISO 3166-1 alpha-2, e.g. "US"
}

// IsZero reports whether no line of the address is set.
func (a Address) IsZero() bool { return a == Address{} }

// Mailable reports whether the address has enough to print on an envelope.
func (a Address) Mailable() bool {
	return a.Line1 != "" && a.City != "" && (a.PostalCode != "" || a.Country != "US")
}

// Organization is the company that suffered the breach and sends the notices.
type Organization struct {
	LegalName string `json:"legal_name"`
	Brand     string `json:"brand"`
	// PrimaryDomain is the official web domain, such as "example.com". Every
	// link in a notice must be on it or on AllowedDomains.
	PrimaryDomain  string   `json:"primary_domain"`
	AllowedDomains []string `json:"allowed_domains,omitempty"`
	SupportPhone   string   `json:"support_phone,omitempty"`
	SupportEmail   string   `json:"support_email,omitempty"`
	SupportHours   string   `json:"support_hours,omitempty"`
	Address        Address  `json:"address"`
	// SenderAddress is the From address of notice e-mails; it must be on the
	// primary domain.
	SenderAddress string `json:"sender_address,omitempty"`
	// Sectors lists regulatory sectors such as "hipaa_covered_entity",
	// "financial_institution", "sec_registrant", "nydfs_licensee".
	Sectors []string `json:"sectors,omitempty"`
}

// Domains returns the primary domain followed by the allowed domains.
func (o *Organization) Domains() []string {
	out := []string{o.PrimaryDomain}
	return append(out, o.AllowedDomains...)
}

// Validate checks the required fields and that contact addresses are on the
// organisation's own domains.
func (o *Organization) Validate() error {
	if strings.TrimSpace(o.LegalName) == "" {
		return Errorf(EINVALID, "organization: legal name required")
	}
	if !validDomain(o.PrimaryDomain) {
		return Errorf(EINVALID, "organization: primary domain %q is not a domain name such as example.com", o.PrimaryDomain)
	}
	for _, d := range o.AllowedDomains {
		if !validDomain(d) {
			return Errorf(EINVALID, "organization: allowed domain %q is not a domain name", d)
		}
	}
	if o.SenderAddress != "" {
		a, err := mail.ParseAddress(o.SenderAddress)
		if err != nil {
			return Errorf(EINVALID, "organization: sender address %q is not an e-mail address", o.SenderAddress)
		}
		if !o.OwnsAddress(a.Address) {
			return Errorf(EINVALID, "organization: sender address %q must be on %s or an allowed domain", o.SenderAddress, o.PrimaryDomain)
		}
	}
	if o.SupportEmail != "" {
		if _, err := mail.ParseAddress(o.SupportEmail); err != nil {
			return Errorf(EINVALID, "organization: support e-mail %q is not an e-mail address", o.SupportEmail)
		}
	}
	return nil
}

// OwnsAddress reports whether the e-mail address is on one of the
// organisation's domains (or a subdomain of one).
func (o *Organization) OwnsAddress(addr string) bool {
	_, host, ok := strings.Cut(addr, "@")
	if !ok {
		return false
	}
	return o.OwnsHost(host)
}

// OwnsHost reports whether host is one of the organisation's domains or a
// subdomain of one.
func (o *Organization) OwnsHost(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, d := range o.Domains() {
		d = strings.ToLower(d)
		if d != "" && (host == d || strings.HasSuffix(host, "."+d)) {
			return true
		}
	}
	return false
}

func validDomain(d string) bool {
	if len(d) < 3 || len(d) > 253 || !strings.Contains(d, ".") {
		return false
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

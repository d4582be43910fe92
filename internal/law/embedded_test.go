package law_test

import (
	"sort"
	"testing"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/law"
)

// TestEmbeddedCoverage checks that every embedded rule file is valid and
// that the set covers all 54 US jurisdictions and the listed sector and
// foreign regimes, each cited and reviewed.
func TestEmbeddedCoverage(t *testing.T) {
	reg, err := law.Load()
	if err != nil {
		t.Fatalf("embedded rules:\n%v", err)
	}
	rules := reg.Rules()
	for _, r := range rules {
		if len(r.Citations) == 0 || len(r.Sources) == 0 || r.Reviewed.IsZero() {
			t.Errorf("%s: needs citations, sources and a reviewed date", r.ID)
		}
	}

	// 50 states, DC, GU, PR, VI: one state rule each.
	states := breach.USStates()
	delete(states, "AS") // American Samoa and the Northern Mariana Islands
	delete(states, "MP") // have no breach-notification statute.
	if len(states) != 54 {
		t.Fatalf("%d US jurisdictions in breach.USStates, want 54", len(states))
	}
	var missing []string
	for code := range states {
		r, err := reg.Rule("US-" + code)
		if err != nil || r.Kind != law.KindState {
			missing = append(missing, "US-"+code)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("no state rule for %d US jurisdictions: %v", len(missing), missing)
	}

	// Sector and federal rules, found by the sector they apply to.
	for _, tt := range []struct{ regime, sector string }{
		{"HIPAA breach notification rule", "hipaa_covered_entity"},
		{"FTC Safeguards Rule (GLBA)", "financial_institution"},
		{"SEC Form 8-K Item 1.05", "sec_registrant"},
		{"NYDFS 23 NYCRR 500.17", "nydfs_licensee"},
		{"FTC Health Breach Notification Rule", "health_app_vendor"},
	} {
		found := false
		for _, r := range rules {
			for _, s := range r.AppliesToSectors {
				found = found || s == tt.sector
			}
		}
		if !found {
			t.Errorf("%s: no rule applies to sector %s", tt.regime, tt.sector)
		}
	}

	// Other countries, found by the residents they protect.
	eu := []string{"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
		"LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO"}
	for _, tt := range []struct {
		regime string
		codes  []string
	}{
		{"EU GDPR (every EU/EEA state)", eu},
		{"UK GDPR", []string{"GB"}},
		{"Canada PIPEDA", []string{"CA"}},
		{"Québec Law 25", []string{"CA-QC"}},
		{"Australia NDB", []string{"AU"}},
		{"New Zealand Privacy Act", []string{"NZ"}},
		{"Singapore PDPA", []string{"SG"}},
		{"Japan APPI", []string{"JP"}},
		{"South Korea PIPA", []string{"KR"}},
		{"Brazil LGPD", []string{"BR"}},
		{"India DPDP", []string{"IN"}},
		{"China PIPL", []string{"CN"}},
		{"South Africa POPIA", []string{"ZA"}},
		{"Switzerland FADP", []string{"CH"}},
		{"Hong Kong PDPO (voluntary)", []string{"HK"}},
	} {
		for _, code := range tt.codes {
			listed := false
			for _, r := range reg.ForJurisdiction(breach.Jurisdiction(code)) {
				if r.Kind == law.KindCountry {
					for _, j := range r.Jurisdictions {
						listed = listed || j == code
					}
				}
			}
			if !listed {
				t.Errorf("%s: no country rule lists %s", tt.regime, code)
			}
		}
	}
}

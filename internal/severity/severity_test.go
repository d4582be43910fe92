package severity_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/severity"
)

func ptr[T any](v T) *T { return &v }

func set(t *testing.T, s string) breach.ElementSet {
	t.Helper()
	es, err := breach.ParseElementSet(s)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// TestAssess checks the ENISA worked examples (severity.md §5) and the
// defaults Candor derives.
func TestAssess(t *testing.T) {
	tests := []struct {
		name      string
		elements  string
		encrypted bool
		keyLost   bool
		o         severity.Overrides
		dpc, ei   float64
		cb        float64
		score     float64
		level     severity.Level
		formula   string
		category  severity.Category
	}{
		{
			name:     "hospital ransomware, backup restored in 24h",
			elements: "medical",
			o:        severity.Overrides{EI: ptr(0.75), Confidentiality: ptr(0.0), Availability: ptr(0.25), Malicious: ptr(true)},
			dpc:      4, ei: 0.75, cb: 0.75, score: 3.75, level: severity.High, formula: "4 × 0.75 + 0.75 = 3.75", category: severity.Sensitive,
		},
		{
			name:     "lost laptop, full-disk encryption, key safe",
			elements: "name,address,phone", encrypted: true,
			o:   severity.Overrides{Confidentiality: ptr(0.0), Malicious: ptr(false)},
			dpc: 1, ei: 0.25, cb: 0, score: 0.25, level: severity.Low, formula: "1 × 0.25 + 0 = 0.25", category: severity.Simple,
		},
		{
			name:     "insurer exfiltration: health data with names",
			elements: "name,medical",
			dpc:      4, ei: 1, cb: 1, score: 5, level: severity.VeryHigh, formula: "4 × 1 + 1 = 5", category: severity.Sensitive,
		},
		{
			name:     "name and e-mail with protective defaults is medium",
			elements: "name,email",
			dpc:      1, ei: 1, cb: 1, score: 2, level: severity.Medium, formula: "1 × 1 + 1 = 2", category: severity.Simple,
		},
		{
			name:     "name and SSN scores as financial data",
			elements: "name,ssn",
			dpc:      3, ei: 1, cb: 1, score: 4, level: severity.VeryHigh, category: severity.Financial, formula: "3 × 1 + 1 = 4",
		},
		{
			name:     "full card data raises financial to 4",
			elements: "card_number,account_access_code",
			o:        severity.Overrides{Malicious: ptr(false)},
			dpc:      4, ei: 0.75, cb: 0.5, score: 3.5, level: severity.High, category: severity.Financial, formula: "4 × 0.75 + 0.5 = 3.5",
		},
		{
			name:     "encrypted but key compromised keeps full identification",
			elements: "name,email", encrypted: true, keyLost: true,
			dpc: 1, ei: 1, cb: 1, score: 2, level: severity.Medium, category: severity.Simple, formula: "1 × 1 + 1 = 2",
		},
		{
			name:     "credentials without identifiers",
			elements: "password",
			o:        severity.Overrides{Malicious: ptr(false), Confidentiality: ptr(0.25)},
			dpc:      2, ei: 0.5, cb: 0.25, score: 1.25, level: severity.Low, category: severity.Behavioural, formula: "2 × 0.5 + 0.25 = 1.25",
		},
		{
			name:     "context adjustment is clamped to 4",
			elements: "name,ssn",
			o:        severity.Overrides{DPCAdjustment: ptr(3), Reason: "minors"},
			dpc:      4, ei: 1, cb: 1, score: 5, level: severity.VeryHigh, category: severity.Financial, formula: "4 × 1 + 1 = 5",
		},
		{
			name:     "negative adjustment floors at 1",
			elements: "medical",
			o:        severity.Overrides{DPCAdjustment: ptr(-3), EI: ptr(0.5)},
			dpc:      1, ei: 0.5, cb: 1, score: 1.5, level: severity.Low, category: severity.Sensitive, formula: "1 × 0.5 + 1 = 1.5",
		},
		{
			name:     "dpc override wins",
			elements: "name",
			o:        severity.Overrides{DPC: ptr(3.0), Integrity: ptr(0.5)},
			dpc:      3, ei: 1, cb: 1.5, score: 4.5, level: severity.VeryHigh, category: severity.Simple, formula: "3 × 1 + 1.5 = 4.5",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := severity.Assess(severity.Input{Elements: set(t, tt.elements), Encrypted: tt.encrypted, KeyCompromised: tt.keyLost, Individuals: 10}, tt.o)
			if err != nil {
				t.Fatal(err)
			}
			got := []any{a.DPC.Value, a.EI.Value, a.CB.Total, a.Score, a.Level, a.Formula, a.DPC.Category}
			want := []any{tt.dpc, tt.ei, tt.cb, tt.score, tt.level, tt.formula, tt.category}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("dpc, ei, cb, score, level, formula, category (-want +got):\n%s", diff)
			}
			if a.DPC.Why == "" || a.EI.Why == "" || a.CB.Confidentiality.Why == "" || a.CB.Malicious.Why == "" {
				t.Errorf("an input is unexplained: %+v", a)
			}
		})
	}
}

func TestAssessOverridesShown(t *testing.T) {
	a, err := severity.Assess(severity.Input{Elements: set(t, "name,email")}, severity.Overrides{EI: ptr(0.5), Reason: "common names in a large population"})
	if err != nil {
		t.Fatal(err)
	}
	if !a.EI.Overridden || a.EI.Derived != 1 || a.EI.Value != 0.5 {
		t.Errorf("EI = %+v, want overridden 0.5 derived 1", a.EI)
	}
	if want := "identification directly from the data (name, email); set to 0.5 — common names in a large population"; a.EI.Why != want {
		t.Errorf("EI.Why = %q, want %q", a.EI.Why, want)
	}
	if a.DPC.Overridden || a.CB.Confidentiality.Overridden {
		t.Errorf("inputs not overridden are marked overridden: %+v", a)
	}
}

func TestBand(t *testing.T) {
	tests := []struct {
		name  string
		score float64
		want  severity.Level
	}{
		{"minimum", 0.25, severity.Low},
		{"just below medium", 1.75, severity.Low},
		{"medium at 2", 2, severity.Medium},
		{"just below high", 2.75, severity.Medium},
		{"high at 3", 3, severity.High},
		{"just below very high", 3.75, severity.High},
		{"very high at 4", 4, severity.VeryHigh},
		{"maximum", 6, severity.VeryHigh},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := severity.Band(tt.score); got != tt.want {
				t.Errorf("Band(%v) = %q, want %q", tt.score, got, tt.want)
			}
		})
	}
}

func TestOverridesValidate(t *testing.T) {
	tests := []struct {
		name string
		o    severity.Overrides
		want string
	}{
		{"dpc out of scale", severity.Overrides{DPC: ptr(5.0)}, "severity: dpc 5 is not 1, 2, 3 or 4"},
		{"ei off scale", severity.Overrides{EI: ptr(0.3)}, "severity: ei 0.3 is not 0.25, 0.5, 0.75 or 1"},
		{"adjustment too big", severity.Overrides{DPCAdjustment: ptr(4)}, "severity: dpc_adjustment 4 is not between -3 and +3"},
		{"availability off scale", severity.Overrides{Availability: ptr(1.0)}, "severity: availability 1 is not 0, 0.25 or 0.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := severity.Assess(severity.Input{}, tt.o)
			if breach.ErrorCode(err) != breach.EINVALID || breach.ErrorMessage(err) != tt.want {
				t.Errorf("got %v, want EINVALID %q", err, tt.want)
			}
		})
	}
}

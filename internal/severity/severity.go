// Package severity scores how severe a personal-data breach is with the
// ENISA method (Recommendations for a methodology of the assessment of
// severity of personal data breaches, v1.0, December 2013):
//
//	SE = DPC × EI + CB
//
// DPC (data processing context, 1–4) rates the breached data, EI (ease of
// identification, 0.25–1) corrects it for how easily people can be
// identified, and CB (circumstances of breach, 0–2) adds for loss of
// confidentiality, integrity, availability and malicious intent. Every
// input is derived from the incident and can be overridden; the assessment
// explains each one.
package severity

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/candor-dev/candor/internal/breach"
)

// Method names the scoring method in assessments.
const Method = "ENISA 2013: SE = DPC × EI + CB"

// Level is a severity band.
type Level string

// The four ENISA bands.
const (
	Low      Level = "low"
	Medium   Level = "medium"
	High     Level = "high"
	VeryHigh Level = "very high"
)

// Band returns the level of a score: low below 2, medium from 2 to below 3,
// high from 3 to below 4, very high from 4.
func Band(score float64) Level {
	switch {
	case score < 2:
		return Low
	case score < 3:
		return Medium
	case score < 4:
		return High
	default:
		return VeryHigh
	}
}

// Meaning says what individuals may face at the level (ENISA's
// descriptions, paraphrased).
func (l Level) Meaning() string {
	switch l {
	case Low:
		return "People are not affected or face minor inconveniences they overcome without problem (re-entering information, annoyance)."
	case Medium:
		return "People may face significant inconveniences they can overcome despite a few difficulties (extra costs, denied access to services, fear, stress)."
	case High:
		return "People may face significant consequences they overcome only with serious difficulty (misappropriated funds, blacklisting, property damage, job loss)."
	case VeryHigh:
		return "People may face significant or even irreversible consequences they may not overcome (serious financial distress, long-term ailments)."
	}
	return ""
}

// Category is an ENISA data category.
type Category string

// The ENISA data categories with their basic scores 1–4.
const (
	Simple      Category = "simple"
	Behavioural Category = "behavioural"
	Financial   Category = "financial"
	Sensitive   Category = "sensitive"
)

// Input holds the facts the severity inputs are derived from.
type Input struct {
	// Elements are the data elements exposed anywhere in the incident.
	Elements       breach.ElementSet
	Encrypted      bool
	KeyCompromised bool
	// Individuals is the number of people affected.
	Individuals int64
}

// Overrides replace derived inputs; a nil field keeps the derived value.
// Reason says why, and is shown with every overridden input.
type Overrides struct {
	// DPC replaces the data processing context score (1, 2, 3 or 4).
	DPC *float64 `yaml:"dpc" json:"dpc,omitempty"`
	// DPCAdjustment adds −3…+3 to the derived DPC for context (volume,
	// vulnerable people, public data…); the result stays within 1–4.
	DPCAdjustment *int `yaml:"dpc_adjustment" json:"dpc_adjustment,omitempty"`
	// EI replaces the ease of identification (0.25, 0.5, 0.75 or 1).
	EI *float64 `yaml:"ei" json:"ei,omitempty"`
	// Confidentiality, Integrity and Availability replace the loss scores
	// (0, 0.25 or 0.5).
	Confidentiality *float64 `yaml:"confidentiality" json:"confidentiality,omitempty"`
	Integrity       *float64 `yaml:"integrity" json:"integrity,omitempty"`
	Availability    *float64 `yaml:"availability" json:"availability,omitempty"`
	// Malicious says whether the breach was an intentional act (+0.5).
	Malicious *bool  `yaml:"malicious" json:"malicious,omitempty"`
	Reason    string `yaml:"reason" json:"reason,omitempty"`
}

// Assessment is a scored breach with every input explained.
type Assessment struct {
	Method string `json:"method"`
	// Score is SE; Formula shows the arithmetic, such as "3 × 1 + 1 = 4".
	Score   float64 `json:"score"`
	Formula string  `json:"formula"`
	Level   Level   `json:"level"`
	Meaning string  `json:"meaning"`
	DPC     DPC     `json:"dpc"`
	EI      Factor  `json:"ei"`
	CB      CB      `json:"cb"`
	// Individuals and Unintelligible are the two criteria ENISA weighs
	// after the score.
	Individuals    int64    `json:"individuals"`
	Unintelligible bool     `json:"unintelligible"`
	Notes          []string `json:"notes"`
}

// Factor is one scored input.
type Factor struct {
	Value float64 `json:"value"`
	// Derived is the value Candor derived, kept when an override replaced it.
	Derived    float64 `json:"derived"`
	Overridden bool    `json:"overridden"`
	Why        string  `json:"why"`
}

// DPC is the data processing context score and how it was reached.
type DPC struct {
	Factor
	Category Category `json:"category"`
	// Basic is the highest score of the exposed elements.
	Basic      float64 `json:"basic"`
	Adjustment int     `json:"adjustment"`
	// Elements scores each exposed element (and combination).
	Elements []ElementScore `json:"elements"`
}

// ElementScore is the DPC score of one element or combination.
type ElementScore struct {
	Element  string   `json:"element"`
	Category Category `json:"category"`
	Score    float64  `json:"score"`
	Why      string   `json:"why"`
}

// CB is the circumstances of the breach: the sum of four parts.
type CB struct {
	Total           float64 `json:"total"`
	Confidentiality Factor  `json:"confidentiality"`
	Integrity       Factor  `json:"integrity"`
	Availability    Factor  `json:"availability"`
	Malicious       Factor  `json:"malicious"`
}

type elementScore struct {
	cat   Category
	score float64
	why   string
}

// elementScores maps each element to its ENISA category and Candor's
// default score in that category. ENISA scores data in context; these
// defaults are Candor's reading for an unknown context, overridable.
var elementScores = map[breach.DataElement]elementScore{
	breach.ElementName:               {Simple, 1, "contact data"},
	breach.ElementEmail:              {Simple, 1, "contact data"},
	breach.ElementAddress:            {Simple, 1, "contact data"},
	breach.ElementPhone:              {Simple, 1, "contact data"},
	breach.ElementDOB:                {Simple, 1, "biographical data"},
	breach.ElementMothersMaidenName:  {Simple, 1, "biographical data"},
	breach.ElementEmployeeID:         {Simple, 1, "professional data"},
	breach.ElementWorkplaceID:        {Simple, 1, "professional data"},
	breach.ElementSignature:          {Simple, 1, "biographical data"},
	breach.ElementUsername:           {Simple, 1, "account identifier"},
	breach.ElementDriversLicense:     {Simple, 2, "identity-document number: allows impersonation (+1)"},
	breach.ElementStateID:            {Simple, 2, "identity-document number: allows impersonation (+1)"},
	breach.ElementPassport:           {Simple, 2, "identity-document number: allows impersonation (+1)"},
	breach.ElementMilitaryID:         {Simple, 2, "identity-document number: allows impersonation (+1)"},
	breach.ElementDigitalSignature:   {Simple, 2, "signature key: allows impersonation (+1)"},
	breach.ElementIPAddress:          {Behavioural, 1, "behavioural data giving little insight on its own (−1)"},
	breach.ElementPreciseGeolocation: {Behavioural, 2, "location data"},
	breach.ElementPassword:           {Behavioural, 2, "credentials are scored by what they open; the account's contents are unknown, read as behavioural data"},
	breach.ElementSecurityQA:         {Behavioural, 2, "credentials are scored by what they open; the account's contents are unknown, read as behavioural data"},
	breach.ElementSSN:                {Financial, 3, "a US Social Security number opens credit in the person's name: scored as financial data"},
	breach.ElementTaxID:              {Financial, 3, "a taxpayer number allows tax and credit fraud: scored as financial data"},
	breach.ElementAccountNumber:      {Financial, 3, "financial data"},
	breach.ElementCardNumber:         {Financial, 3, "financial data"},
	breach.ElementAccountAccessCode:  {Financial, 3, "credentials to a financial account: scored as financial data"},
	breach.ElementHealthInsurance:    {Sensitive, 3, "allows assumptions about health (−1)"},
	breach.ElementMedical:            {Sensitive, 4, "health data (special category)"},
	breach.ElementBiometric:          {Sensitive, 4, "biometric data (special category)"},
	breach.ElementGenetic:            {Sensitive, 4, "genetic data (special category)"},
}

// combinations raise the score when elements together enable fraud.
var combinations = []struct {
	set   breach.ElementSet
	score elementScore
}{
	{breach.NewElementSet(breach.ElementCardNumber, breach.ElementAccountAccessCode), elementScore{Financial, 4, "full card data enabling transactions (+1)"}},
	{breach.NewElementSet(breach.ElementAccountNumber, breach.ElementAccountAccessCode), elementScore{Financial, 4, "account number with its access code enabling fraud (+1)"}},
}

// direct identifiers let anyone identify the person from the data alone.
var (
	directIDs = breach.NewElementSet(breach.ElementName, breach.ElementEmail, breach.ElementPhone,
		breach.ElementAddress, breach.ElementSSN, breach.ElementDriversLicense, breach.ElementStateID,
		breach.ElementPassport, breach.ElementMilitaryID, breach.ElementTaxID, breach.ElementBiometric)
	indirectIDs = breach.NewElementSet(breach.ElementUsername, breach.ElementAccountNumber,
		breach.ElementCardNumber, breach.ElementEmployeeID, breach.ElementWorkplaceID, breach.ElementDOB,
		breach.ElementIPAddress, breach.ElementPreciseGeolocation, breach.ElementHealthInsurance,
		breach.ElementSignature, breach.ElementDigitalSignature, breach.ElementGenetic)
)

// Assess scores the breach. Overrides out of range are EINVALID.
func Assess(in Input, o Overrides) (*Assessment, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	a := &Assessment{Method: Method, Individuals: in.Individuals}
	a.Unintelligible = in.Encrypted && !in.KeyCompromised
	reason := ""
	if o.Reason != "" {
		reason = " — " + o.Reason
	}

	// DPC: the highest element score, then the context adjustment.
	a.DPC = deriveDPC(in.Elements)
	if o.DPCAdjustment != nil && *o.DPCAdjustment != 0 {
		adj := *o.DPCAdjustment
		v := min(max(a.DPC.Basic+float64(adj), 1), 4)
		a.DPC.Adjustment = adj
		a.DPC.Value, a.DPC.Overridden = v, true
		a.DPC.Why += fmt.Sprintf("; adjusted %+d for context%s → %s", adj, reason, num(v))
	}
	if o.DPC != nil {
		a.DPC.Value, a.DPC.Overridden = *o.DPC, true
		a.DPC.Why += fmt.Sprintf("; set to %s%s", num(*o.DPC), reason)
	}

	a.EI = deriveEI(in)
	if o.EI != nil {
		a.EI.Value, a.EI.Overridden = *o.EI, true
		a.EI.Why += fmt.Sprintf("; set to %s%s", num(*o.EI), reason)
	}

	a.CB.Confidentiality = Factor{Value: 0.5, Derived: 0.5, Why: "unknown recipients assumed (protective reading: the data may be in criminals' hands)"}
	a.CB.Integrity = Factor{Why: "no alteration of data reported"}
	a.CB.Availability = Factor{Why: "no loss of availability reported"}
	a.CB.Malicious = Factor{Value: 0.5, Derived: 0.5, Why: "intentional act assumed (protective reading) unless the breach was an error"}
	override(&a.CB.Confidentiality, o.Confidentiality, reason)
	override(&a.CB.Integrity, o.Integrity, reason)
	override(&a.CB.Availability, o.Availability, reason)
	if o.Malicious != nil {
		v := 0.0
		why := "not malicious: error, accidental loss or misconfiguration"
		if *o.Malicious {
			v, why = 0.5, "malicious: an intentional act (theft, hacking, selling data)"
		}
		a.CB.Malicious = Factor{Value: v, Derived: a.CB.Malicious.Derived, Overridden: true, Why: why + reason}
	}
	a.CB.Total = a.CB.Confidentiality.Value + a.CB.Integrity.Value + a.CB.Availability.Value + a.CB.Malicious.Value

	a.Score = a.DPC.Value*a.EI.Value + a.CB.Total
	a.Formula = fmt.Sprintf("%s × %s + %s = %s", num(a.DPC.Value), num(a.EI.Value), num(a.CB.Total), num(a.Score))
	a.Level = Band(a.Score)
	a.Meaning = a.Level.Meaning()

	if in.Individuals > 100 {
		a.Notes = append(a.Notes, fmt.Sprintf("%d people affected: ENISA weighs the number of individuals after the score; a large number raises concern.", in.Individuals))
	}
	if a.Unintelligible {
		a.Notes = append(a.Notes, "The data were encrypted and the key was not compromised: ENISA weighs unintelligible data after the score (ease of identification lowered to 0.25).")
	}
	a.Notes = append(a.Notes, "Bands: low < 2 ≤ medium < 3 ≤ high < 4 ≤ very high. ENISA does not tie bands to any law's notice duty; the law engine decides notices.")
	return a, nil
}

func override(f *Factor, v *float64, reason string) {
	if v == nil {
		return
	}
	f.Value, f.Overridden = *v, true
	f.Why = fmt.Sprintf("set to %s%s", num(*v), reason)
}

func deriveDPC(set breach.ElementSet) DPC {
	d := DPC{Category: Simple, Basic: 1}
	d.Why = "no data element scored: simple data (1)"
	best := -1.0
	for _, e := range set.Elements() {
		s, ok := elementScores[e]
		if !ok {
			continue
		}
		d.Elements = append(d.Elements, ElementScore{e.String(), s.cat, s.score, s.why})
		if s.score > best {
			best = s.score
			d.Category, d.Basic = s.cat, s.score
			d.Why = fmt.Sprintf("highest-scoring data: %s, %s data scored %s (%s)", e, s.cat, num(s.score), s.why)
		}
	}
	for _, c := range combinations {
		if set.HasAll(c.set) {
			d.Elements = append(d.Elements, ElementScore{c.set.String(), c.score.cat, c.score.score, c.score.why})
			if c.score.score > best {
				best = c.score.score
				d.Category, d.Basic = c.score.cat, c.score.score
				d.Why = fmt.Sprintf("highest-scoring data: %s together, %s data scored %s (%s)", strings.ReplaceAll(c.set.String(), "+", " + "), c.score.cat, num(c.score.score), c.score.why)
			}
		}
	}
	d.Value, d.Derived = d.Basic, d.Basic
	return d
}

func deriveEI(in Input) Factor {
	var f Factor
	switch {
	case in.Encrypted && !in.KeyCompromised:
		f = Factor{Value: 0.25, Why: "data encrypted and the key not compromised: identification is extremely hard"}
	case in.Elements.HasAny(directIDs):
		f = Factor{Value: 1, Why: fmt.Sprintf("identification directly from the data (%s)", keys(in.Elements&directIDs))}
	case in.Elements.HasAny(indirectIDs):
		f = Factor{Value: 0.75, Why: fmt.Sprintf("identification with moderate effort from an indirect identifier (%s)", keys(in.Elements&indirectIDs))}
	default:
		f = Factor{Value: 0.5, Why: "no identifier exposed: identification needs significant effort or other sources"}
	}
	f.Derived = f.Value
	return f
}

func keys(s breach.ElementSet) string { return strings.Join(s.Keys(), ", ") }

// Validate checks that each override is on ENISA's scale.
func (o Overrides) Validate() error {
	if o.DPC != nil && !oneOf(*o.DPC, 1, 2, 3, 4) {
		return breach.Errorf(breach.EINVALID, "severity: dpc %s is not 1, 2, 3 or 4", num(*o.DPC))
	}
	if o.DPCAdjustment != nil && (*o.DPCAdjustment < -3 || *o.DPCAdjustment > 3) {
		return breach.Errorf(breach.EINVALID, "severity: dpc_adjustment %d is not between -3 and +3", *o.DPCAdjustment)
	}
	if o.EI != nil && !oneOf(*o.EI, 0.25, 0.5, 0.75, 1) {
		return breach.Errorf(breach.EINVALID, "severity: ei %s is not 0.25, 0.5, 0.75 or 1", num(*o.EI))
	}
	for _, c := range []struct {
		name string
		v    *float64
	}{{"confidentiality", o.Confidentiality}, {"integrity", o.Integrity}, {"availability", o.Availability}} {
		if c.v != nil && !oneOf(*c.v, 0, 0.25, 0.5) {
			return breach.Errorf(breach.EINVALID, "severity: %s %s is not 0, 0.25 or 0.5", c.name, num(*c.v))
		}
	}
	return nil
}

func oneOf(v float64, allowed ...float64) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

// num formats a score without trailing zeros: 3, 0.75, 4.5.
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

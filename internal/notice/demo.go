package notice

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/candor-dev/candor/internal/breach"
)

// DemoSummary reports what DraftDemo did.
type DemoSummary struct {
	Templates []TemplateInfo          `json:"templates"`
	Variants  int                     `json:"variants"`
	Problems  []Problem               `json:"problems"`
	Approval  *breach.NoticeApproval  `json:"approval"`
	Proofs    *ProofResult            `json:"proofs"`
	Codes     map[string]int64        `json:"codes_assigned"`
	Programs  []*breach.RemedyProgram `json:"programs"`
}

// DemoApprover is who approves the demo's notices.
const DemoApprover = "Demo Counsel"

// DraftDemo takes a demo incident from imported people to approved
// notices: it records a signer and concrete measures, a 24-month
// identity-protection plan and a loyalty offer on the organisation's own
// domain with generated codes for everyone, drafts the default English and
// Spanish templates, checks them against every recipient group, approves
// them as "Demo Counsel" and writes proofs under outDir/proofs. It fails
// with the check's problems when the default notice does not satisfy
// every law that applies.
func DraftDemo(ctx context.Context, s Store, incidentID int64, outDir string, opts Options) (*DemoSummary, error) {
	f, err := LoadFacts(ctx, s, incidentID)
	if err != nil {
		return nil, err
	}
	if f.Settings.SignerName == "" || len(f.Settings.Steps) == 0 {
		ns := &breach.NoticeSettings{IncidentID: incidentID, SignerName: "Dana Ruiz", SignerTitle: "Chief Executive Officer",
			Steps: []string{
				"We closed access to the exposed data as soon as we found the problem.",
				"We hired an outside security firm to find out exactly what happened and to check all our systems.",
				"We now check every storage and access setting each day, and two people must approve any change.",
				"We reported the breach to law enforcement and to the regulators who must be told.",
			}}
		if err := s.SetNoticeSettings(ctx, ns); err != nil {
			return nil, err
		}
	}
	loc := f.Incident.Location()
	now := clock(opts)().In(loc)
	if f.IDP == nil {
		p := &breach.RemedyProgram{IncidentID: incidentID, Kind: breach.RemedyIDP, Provider: "Guardly Identity", Months: 24,
			URL: "https://" + f.Org.PrimaryDomain + "/protect", Deadline: now.AddDate(0, 4, 0).Format(time.DateOnly)}
		if err := s.SetRemedyProgram(ctx, p, "demo"); err != nil {
			return nil, err
		}
	}
	if f.Offer == nil {
		p := &breach.RemedyProgram{IncidentID: incidentID, Kind: breach.RemedyOffer, Description: "a $25 credit toward your next order, with no minimum purchase",
			URL: "https://" + f.Org.PrimaryDomain + "/thanks", Deadline: now.AddDate(0, 6, 0).Format(time.DateOnly)}
		if err := s.SetRemedyProgram(ctx, p, "demo"); err != nil {
			return nil, err
		}
	}
	sum := &DemoSummary{Codes: map[string]int64{}}
	for _, kind := range []string{breach.RemedyIDP, breach.RemedyOffer} {
		st, err := s.RemedyPoolStats(ctx, incidentID, kind)
		if err != nil {
			return nil, err
		}
		if free := st.Total - st.Assigned; st.PeopleWithout > free {
			codes := make([]string, 0, st.PeopleWithout-free)
			for i := st.Total; i < st.Total+st.PeopleWithout-free; i++ {
				codes = append(codes, demoCode(kind, incidentID, i))
			}
			if _, _, err := s.ImportRemedyCodes(ctx, incidentID, kind, codes, "demo"); err != nil {
				return nil, err
			}
		}
		n, err := s.AssignRemedyCodes(ctx, incidentID, kind, "demo")
		if err != nil {
			return nil, err
		}
		sum.Codes[kind] = n
	}
	src, err := DefaultSources()
	if err != nil {
		return nil, err
	}
	if _, err := Draft(ctx, s, incidentID, src, "demo", opts); err != nil {
		return nil, err
	}
	a, rep, err := Approve(ctx, s, incidentID, DemoApprover, opts)
	if rep != nil {
		sum.Templates, sum.Variants, sum.Problems = rep.Templates, len(rep.Groups), rep.Problems
	}
	if err != nil {
		return sum, err
	}
	sum.Approval = a
	if sum.Programs, err = s.RemedyPrograms(ctx, incidentID); err != nil {
		return nil, err
	}
	if sum.Proofs, err = WriteProofs(ctx, s, incidentID, filepath.Join(outDir, "proofs"), opts); err != nil {
		return nil, err
	}
	return sum, nil
}

// demoCode makes a vendor-style code for the demo: a prefix, the incident
// and a check letter, so that codes look real but are obviously demo ones.
func demoCode(kind string, incidentID, i int64) string {
	prefix := map[string]string{breach.RemedyIDP: "DEMO-ID", breach.RemedyOffer: "DEMO-THX"}[kind]
	body := fmt.Sprintf("%d%06d", incidentID, i+1)
	sum := 0
	for _, c := range body {
		sum = sum*7 + int(c-'0')
	}
	return fmt.Sprintf("%s-%s%c", prefix, body, crockford[sum%32])
}

package deliver

import (
	"context"

	"github.com/candor-dev/candor/internal/breach"
)

// EnqueueOptions say what to enqueue.
type EnqueueOptions struct {
	IncidentID int64
	// Campaign names the campaign; default "initial".
	Campaign string
	// Channel restricts the campaign to e-mail or letters; "" sends e-mail
	// where there is an address and a letter otherwise.
	Channel breach.Channel
	// DryRun counts without writing.
	DryRun bool
}

// EnqueueReport is what an enqueue did (or would do).
type EnqueueReport struct {
	Campaign *breach.Campaign `json:"campaign,omitempty"`
	// Approval is the notice approval the campaign goes out under.
	Approval string `json:"approval"`
	DryRun   bool   `json:"dry_run"`
	breach.EnqueueResult
}

// Enqueue queues one delivery per reachable person of the incident in the
// campaign, creating the campaign on first use. Nothing is queued without a
// valid notice approval: its error (EFORBIDDEN or EINVALID) is returned as
// is. People flagged no-contact or deceased are skipped, and a person
// already queued in the campaign is not queued again.
func Enqueue(ctx context.Context, s Store, notices Notices, opts EnqueueOptions) (*EnqueueReport, error) {
	if opts.Campaign == "" {
		opts.Campaign = breach.DefaultCampaign
	}
	if _, err := s.FindIncidentByID(ctx, opts.IncidentID); err != nil {
		return nil, err
	}
	approval, err := notices.Approval(ctx, opts.IncidentID)
	if err != nil {
		return nil, err
	}
	rep := &EnqueueReport{Approval: approval, DryRun: opts.DryRun}
	req := breach.EnqueueRequest{IncidentID: opts.IncidentID, Channel: opts.Channel, DryRun: opts.DryRun}
	if opts.DryRun {
		c, err := s.FindCampaign(ctx, opts.IncidentID, opts.Campaign)
		switch {
		case err == nil:
			rep.Campaign, req.CampaignID = c, c.ID
		case breach.ErrorCode(err) != breach.ENOTFOUND:
			return nil, err
		}
	} else {
		c, err := s.CreateCampaign(ctx, &breach.Campaign{IncidentID: opts.IncidentID, Name: opts.Campaign, Approval: approval})
		if err != nil {
			return nil, err
		}
		rep.Campaign, req.CampaignID = c, c.ID
	}
	res, err := s.EnqueueDeliveries(ctx, req)
	if err != nil {
		return nil, err
	}
	rep.EnqueueResult = *res
	return rep, nil
}

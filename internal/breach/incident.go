package breach

import (
	"strings"
	"time"
)

// Status is where an incident is in its life.
type Status string

// Incident statuses, in order. An incident only moves forward.
const (
	StatusOpen       Status = "open"
	StatusAssessed   Status = "assessed"
	StatusNotifying  Status = "notifying"
	StatusMonitoring Status = "monitoring"
	StatusClosed     Status = "closed"
)

var statusOrder = []Status{StatusOpen, StatusAssessed, StatusNotifying, StatusMonitoring, StatusClosed}

func (s Status) rank() int {
	for i, v := range statusOrder {
		if v == s {
			return i
		}
	}
	return -1
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s.rank() >= 0 }

// CanMoveTo reports whether an incident in status s may move to next: only
// forward (skipping steps is allowed), never back.
func (s Status) CanMoveTo(next Status) bool {
	return next.Valid() && s.Valid() && next.rank() >= s.rank()
}

// Tristate is a yes/no answer that may not be known yet.
type Tristate string

// Tristate values.
const (
	Unknown Tristate = "unknown"
	Yes     Tristate = "true"
	No      Tristate = "false"
)

// ParseTristate accepts true/false/yes/no/unknown (and "" as unknown).
func ParseTristate(s string) (Tristate, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "unknown", "?":
		return Unknown, nil
	case "true", "yes", "y", "1":
		return Yes, nil
	case "false", "no", "n", "0":
		return No, nil
	}
	return "", Errorf(EINVALID, "%q is not true, false or unknown", s)
}

// Incident is one data breach and the facts known about it.
type Incident struct {
	ID           int64      `json:"id"`
	Title        string     `json:"title"`
	Status       Status     `json:"status"`
	DiscoveredAt time.Time  `json:"discovered_at"`
	OccurredFrom *time.Time `json:"occurred_from,omitempty"`
	OccurredTo   *time.Time `json:"occurred_to,omitempty"`
	ContainedAt  *time.Time `json:"contained_at,omitempty"`
	// TimeZone is the IANA zone in which deadlines are computed, such as
	// "America/New_York". Empty means UTC.
	TimeZone        string   `json:"time_zone,omitempty"`
	WhatHappened    string   `json:"what_happened,omitempty"`
	Cause           string   `json:"cause,omitempty"`
	SystemsAffected []string `json:"systems_affected,omitempty"`
	// Elements are the data elements exposed anywhere in the incident.
	Elements       ElementSet `json:"elements"`
	Encrypted      bool       `json:"encrypted"`
	KeyCompromised bool       `json:"key_compromised"`
	// HarmLikely is the documented risk-of-harm determination, where a law
	// allows one; unknown is read as "harm is likely".
	HarmLikely Tristate `json:"harm_likely"`
	// LawEnforcementDelay is set when a law-enforcement agency asked for
	// notice to be delayed; LawEnforcementNote records who and until when.
	LawEnforcementDelay bool      `json:"law_enforcement_delay"`
	LawEnforcementNote  string    `json:"law_enforcement_note,omitempty"`
	CreatedAt           time.Time `json:"created_at"`
	UpdatedAt           time.Time `json:"updated_at"`
}

// Location returns the incident's time zone, UTC when unset or unknown.
func (inc *Incident) Location() *time.Location {
	if inc.TimeZone == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(inc.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Validate checks required fields and the order of dates.
func (inc *Incident) Validate() error {
	if strings.TrimSpace(inc.Title) == "" {
		return Errorf(EINVALID, "incident: title required")
	}
	if inc.DiscoveredAt.IsZero() {
		return Errorf(EINVALID, "incident: discovered_at required")
	}
	if !inc.Status.Valid() {
		return Errorf(EINVALID, "incident: status %q is not one of open, assessed, notifying, monitoring, closed", inc.Status)
	}
	if inc.OccurredFrom != nil && inc.OccurredTo != nil && inc.OccurredTo.Before(*inc.OccurredFrom) {
		return Errorf(EINVALID, "incident: occurred window ends (%s) before it starts (%s)", inc.OccurredTo.Format(time.DateOnly), inc.OccurredFrom.Format(time.DateOnly))
	}
	if inc.OccurredFrom != nil && inc.OccurredFrom.After(inc.DiscoveredAt) {
		return Errorf(EINVALID, "incident: occurred_from is after discovered_at")
	}
	if inc.TimeZone != "" {
		if _, err := time.LoadLocation(inc.TimeZone); err != nil {
			return Errorf(EINVALID, "incident: unknown time zone %q", inc.TimeZone)
		}
	}
	if !inc.Elements.Valid() {
		return Errorf(EINVALID, "incident: unknown data elements")
	}
	switch inc.HarmLikely {
	case Unknown, Yes, No:
	default:
		return Errorf(EINVALID, "incident: harm_likely %q is not true, false or unknown", inc.HarmLikely)
	}
	return nil
}

// IncidentFilter selects incidents.
type IncidentFilter struct {
	ID     *int64
	Status *Status
	Limit  int
}

// IncidentUpdate holds the fields to change; nil means leave as is.
type IncidentUpdate struct {
	Title               *string
	Status              *Status
	DiscoveredAt        *time.Time
	OccurredFrom        *time.Time
	OccurredTo          *time.Time
	ContainedAt         *time.Time
	TimeZone            *string
	WhatHappened        *string
	Cause               *string
	SystemsAffected     *[]string
	Elements            *ElementSet
	Encrypted           *bool
	KeyCompromised      *bool
	HarmLikely          *Tristate
	LawEnforcementDelay *bool
	LawEnforcementNote  *string
}

// Apply changes inc by upd and validates the result, including that the
// status only moves forward.
func (upd IncidentUpdate) Apply(inc *Incident) error {
	if upd.Status != nil && !inc.Status.CanMoveTo(*upd.Status) {
		return Errorf(EINVALID, "incident %d: status cannot move from %s to %s (open → assessed → notifying → monitoring → closed)", inc.ID, inc.Status, *upd.Status)
	}
	set(&inc.Title, upd.Title)
	set(&inc.Status, upd.Status)
	set(&inc.DiscoveredAt, upd.DiscoveredAt)
	setPtr(&inc.OccurredFrom, upd.OccurredFrom)
	setPtr(&inc.OccurredTo, upd.OccurredTo)
	setPtr(&inc.ContainedAt, upd.ContainedAt)
	set(&inc.TimeZone, upd.TimeZone)
	set(&inc.WhatHappened, upd.WhatHappened)
	set(&inc.Cause, upd.Cause)
	set(&inc.SystemsAffected, upd.SystemsAffected)
	set(&inc.Elements, upd.Elements)
	set(&inc.Encrypted, upd.Encrypted)
	set(&inc.KeyCompromised, upd.KeyCompromised)
	set(&inc.HarmLikely, upd.HarmLikely)
	set(&inc.LawEnforcementDelay, upd.LawEnforcementDelay)
	set(&inc.LawEnforcementNote, upd.LawEnforcementNote)
	return inc.Validate()
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

func setPtr[T any](dst **T, v *T) {
	if v != nil {
		c := *v
		*dst = &c
	}
}

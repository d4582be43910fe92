package breach

import (
	"context"
	"time"
)

// OrganizationStore keeps the one organisation a Candor database serves.
type OrganizationStore interface {
	// Organization returns the organisation, or ENOTFOUND when none is set.
	Organization(ctx context.Context) (*Organization, error)
	// SetOrganization validates and stores org, replacing any previous one.
	SetOrganization(ctx context.Context, org *Organization) error
}

// IncidentStore keeps incidents.
type IncidentStore interface {
	// CreateIncident validates inc, assigns its ID and timestamps and stores
	// it. A zero status becomes open.
	CreateIncident(ctx context.Context, inc *Incident) error
	// FindIncidentByID returns the incident or ENOTFOUND.
	FindIncidentByID(ctx context.Context, id int64) (*Incident, error)
	// FindIncidents returns incidents matching filter, newest first.
	FindIncidents(ctx context.Context, filter IncidentFilter) ([]*Incident, error)
	// UpdateIncident applies upd; ENOTFOUND or EINVALID on a bad change.
	UpdateIncident(ctx context.Context, id int64, upd IncidentUpdate) (*Incident, error)
}

// PersonStore keeps affected people and the import batches that added them.
type PersonStore interface {
	// FindPerson returns the person of incidentID with externalID, or
	// ENOTFOUND.
	FindPerson(ctx context.Context, incidentID int64, externalID string) (*Person, error)
	// FindPeople returns people matching filter in ID order, at most
	// filter.Limit (default 100).
	FindPeople(ctx context.Context, filter PersonFilter) ([]*Person, error)
	// PersonStats counts an incident's people by jurisdiction × element set.
	PersonStats(ctx context.Context, incidentID int64) (*PersonStats, error)
	// ImportBatchStore methods record imports.
	ImportBatchStore
}

// ImportBatchStore records import batches and writes their rows in chunks.
type ImportBatchStore interface {
	// BeginImport returns the unfinished batch of the same incident and file
	// hash, so that a killed import resumes where it committed, or else
	// creates a new batch. ENOTFOUND when the incident does not exist.
	BeginImport(ctx context.Context, b *ImportBatch) (*ImportBatch, error)
	// WriteImportChunk upserts people (already merged within the chunk and
	// carrying their content hash) and advances the batch's checkpoint and
	// counters, all in one transaction.
	WriteImportChunk(ctx context.Context, batch *ImportBatch, chunk *ImportChunk) error
	// FinishImport marks the batch complete.
	FinishImport(ctx context.Context, batch *ImportBatch) error
	// FindImportBatches lists an incident's batches, oldest first.
	FindImportBatches(ctx context.Context, incidentID int64) ([]*ImportBatch, error)
}

// ImportBatch is one run of an import file into an incident. It is the
// checkpoint that lets a killed import resume.
type ImportBatch struct {
	ID         int64      `json:"id"`
	IncidentID int64      `json:"incident_id"`
	FileName   string     `json:"file_name"`
	FileSHA256 string     `json:"file_sha256"`
	Complete   bool       `json:"complete"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	// RowsDone is the number of data rows (after the header) fully handled,
	// written or quarantined, as of the last committed chunk.
	RowsDone int64 `json:"rows_done"`
	// QuarantineBytes is the size of the quarantine file as of the last
	// committed chunk, so that a resumed import can truncate partial output.
	QuarantineBytes int64 `json:"quarantine_bytes"`
	ImportCounts
}

// ImportCounts are the outcome counters of an import.
type ImportCounts struct {
	// Imported counts people added.
	Imported int64 `json:"imported"`
	// Updated counts people already present whose data changed.
	Updated int64 `json:"updated"`
	// Unchanged counts people already present with the same data.
	Unchanged int64 `json:"unchanged"`
	// Duplicates counts rows merged into an earlier row of the same import.
	Duplicates int64 `json:"duplicates"`
	// Rejected counts rows sent to quarantine.
	Rejected int64 `json:"rejected"`
}

// Add adds o's counters to c.
func (c *ImportCounts) Add(o ImportCounts) {
	c.Imported += o.Imported
	c.Updated += o.Updated
	c.Unchanged += o.Unchanged
	c.Duplicates += o.Duplicates
	c.Rejected += o.Rejected
}

// ImportChunk is a slice of an import written in one transaction.
type ImportChunk struct {
	People []ImportRow
	// RowsDone and QuarantineBytes are the checkpoint after this chunk.
	RowsDone        int64
	QuarantineBytes int64
	// Counts holds what the importer already decided (rejected rows and
	// duplicates merged inside the chunk); the store adds what it finds.
	Counts ImportCounts
}

// ImportRow is one person to upsert with the hash of its content, used to
// tell an update from an unchanged re-import.
type ImportRow struct {
	Person Person
	Key    string
	Hash   int64
}

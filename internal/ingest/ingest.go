// Package ingest imports lists of affected people from CSV and XLSX files:
// it streams the file in constant memory, maps its columns, normalises and
// validates each row, refuses files that carry sensitive values (Candor
// records which data elements leaked, never their values), quarantines bad
// rows with their line, column and reason, merges duplicates, and writes
// people in chunks through breach.ImportBatchStore so that a killed import,
// run again, resumes where it stopped.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sync/atomic"

	"github.com/candor-dev/candor/internal/breach"
)

// DefaultChunkSize is the number of rows written per transaction.
const DefaultChunkSize = 10000

// Options configure one import.
type Options struct {
	// IncidentID is the incident the people belong to.
	IncidentID int64
	// Path is the CSV or XLSX file (by extension: .xlsx and .xlsm are
	// workbooks, anything else CSV).
	Path string
	// Elements are exposed for every person in the file, in addition to any
	// per-row elements column.
	Elements breach.ElementSet
	// Map maps column names (or 1-based column numbers) to fields, over the
	// automatic header mapping: "Cust #" → "external_id". Fields: see
	// Fields.
	Map map[string]string
	// QuarantinePath is where rejected rows go; default Path +
	// ".quarantine.csv".
	QuarantinePath string
	// ChunkSize is the number of rows written per transaction; default
	// DefaultChunkSize.
	ChunkSize int
	// Sheet is the worksheet of an XLSX file; default the first.
	Sheet string
	// Progress, when set, is called from the importing goroutine after each
	// chunk with the bytes read so far and the file size.
	Progress func(done, total int64)
}

// Result summarises an import.
type Result struct {
	// Batch is the import batch ID.
	Batch int64 `json:"batch"`
	// File is the imported file's name.
	File string `json:"file"`
	// Rows counts the data rows in the file (blank rows aside).
	Rows int64 `json:"rows"`
	// Imported, Updated, Unchanged, Duplicates and Rejected are the
	// batch's counters: see breach.ImportCounts.
	Imported   int64 `json:"imported"`
	Updated    int64 `json:"updated"`
	Unchanged  int64 `json:"unchanged"`
	Duplicates int64 `json:"duplicates"`
	Rejected   int64 `json:"rejected"`
	// Quarantine is the file holding the rejected rows, or "" when none
	// was rejected.
	Quarantine string `json:"quarantine"`
	// ResumedAt is the number of rows an earlier, interrupted run of the
	// same file had committed; 0 for a fresh import.
	ResumedAt int64 `json:"resumed_at"`
	// Ignored lists the columns that fed no field.
	Ignored []string `json:"ignored_columns"`
}

// Fields returns the field names --map accepts.
func Fields() []string {
	out := make([]string, 0, numFields)
	for _, names := range fieldNames {
		out = append(out, names[0])
	}
	return out
}

// Import runs an import of opts.Path into opts.IncidentID through store.
//
// It first hashes the file and checks its header and first chunk (a file
// with sensitive values is refused before anything is written), then asks
// the store for the batch to write into: a new one, or the unfinished batch
// of the same file, whose committed rows it skips. Rows are normalised and
// merged in chunks; each chunk's quarantined rows are synced to disk before
// the chunk and its checkpoint commit in one transaction. Writing overlaps
// with parsing the next chunk.
//
// Errors are EINVALID for a file Candor cannot or will not import (its
// message says which column and why), ENOTFOUND for a missing file or
// incident, or the context's error when cancelled; a cancelled import
// resumes when run again.
func Import(ctx context.Context, store breach.ImportBatchStore, opts Options) (*Result, error) {
	if opts.IncidentID <= 0 {
		return nil, breach.Errorf(breach.EINVALID, "import: an incident ID is required")
	}
	if opts.Path == "" {
		return nil, breach.Errorf(breach.EINVALID, "import: a file is required")
	}
	if !opts.Elements.Valid() {
		return nil, breach.Errorf(breach.EINVALID, "import: unknown data elements in --elements")
	}
	if opts.ChunkSize <= 0 {
		opts.ChunkSize = DefaultChunkSize
	}
	if opts.QuarantinePath == "" {
		opts.QuarantinePath = opts.Path + ".quarantine.csv"
	}

	info, err := scanFile(ctx, opts.Path)
	if err != nil {
		return nil, err
	}
	m, err := prescan(opts, info)
	if err != nil {
		return nil, err
	}

	batch, err := store.BeginImport(ctx, &breach.ImportBatch{
		IncidentID: opts.IncidentID,
		FileName:   filepath.Base(opts.Path),
		FileSHA256: info.sha256,
	})
	if err != nil {
		return nil, err
	}
	imp := &importer{opts: opts, info: info, store: store, batch: batch, m: m}
	if err := imp.run(ctx); err != nil {
		return nil, err
	}
	if err := store.FinishImport(ctx, batch); err != nil {
		return nil, err
	}
	res := &Result{
		Batch:      batch.ID,
		File:       batch.FileName,
		Rows:       imp.rows,
		Imported:   batch.Imported,
		Updated:    batch.Updated,
		Unchanged:  batch.Unchanged,
		Duplicates: batch.Duplicates,
		Rejected:   batch.Rejected,
		ResumedAt:  imp.skip,
		Ignored:    m.ignored(),
	}
	if imp.q.written() || batch.Rejected > 0 {
		res.Quarantine = opts.QuarantinePath
	}
	if res.Ignored == nil {
		res.Ignored = []string{}
	}
	return res, nil
}

// prescan resolves the header and checks the first chunk for sensitive
// values, before the store is touched.
func prescan(opts Options, info *fileInfo) (*mapping, error) {
	src, err := openSource(opts.Path, opts.Sheet, info)
	if err != nil {
		return nil, err
	}
	defer src.close()
	m, err := resolveHeader(src.header(), opts.Map)
	if err != nil {
		return nil, err
	}
	if err := m.check(opts.Elements); err != nil {
		return nil, err
	}
	det := newDetector(m)
	for range opts.ChunkSize {
		rec, _, err := src.next()
		if errors.Is(err, io.EOF) {
			break
		}
		var re *recordError
		if err != nil && !errors.As(err, &re) {
			return nil, err
		}
		if rec == nil {
			continue
		}
		if err := det.row(rec); err != nil {
			return nil, err
		}
	}
	if err := det.checkpoint(); err != nil {
		return nil, err
	}
	return m, nil
}

// chunkBuf is a chunk being filled or written, with the index that merges
// rows of the same key.
type chunkBuf struct {
	chunk breach.ImportChunk
	index map[string]int
}

func (c *chunkBuf) reset() {
	c.chunk.People = c.chunk.People[:0]
	c.chunk.Counts = breach.ImportCounts{}
	clear(c.index)
}

// importer is one run of the second, importing pass.
type importer struct {
	opts  Options
	info  *fileInfo
	store breach.ImportBatchStore
	batch *breach.ImportBatch
	m     *mapping
	q     *quarantine
	// skip is the number of rows committed by an earlier run; rows counts
	// the data rows seen.
	skip, rows int64
}

func (imp *importer) run(ctx context.Context) (err error) {
	imp.skip = imp.batch.RowsDone
	q, rebuild, err := openQuarantine(imp.opts.QuarantinePath, nil, imp.batch.QuarantineBytes)
	if err != nil {
		return err
	}
	imp.q = q
	defer func() {
		if cerr := q.close(); err == nil {
			err = cerr
		}
	}()
	src, err := openSource(imp.opts.Path, imp.opts.Sheet, imp.info)
	if err != nil {
		return err
	}
	defer src.close()
	q.header = src.header()
	det := newDetector(imp.m)
	norm := newNormalizer(imp.m, imp.opts.Elements)

	// The writer commits chunks while this goroutine parses the next one.
	// Three buffers: one being written, one queued, one being filled.
	const nbuf = 3
	free := make(chan *chunkBuf, nbuf)
	for range nbuf {
		free <- &chunkBuf{chunk: breach.ImportChunk{People: make([]breach.ImportRow, 0, imp.opts.ChunkSize)}, index: make(map[string]int, imp.opts.ChunkSize)}
	}
	full := make(chan *chunkBuf, 1)
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		werr   error
		failed atomic.Bool
		wdone  = make(chan struct{})
	)
	go func() {
		defer close(wdone)
		for c := range full {
			if !failed.Load() {
				if err := imp.store.WriteImportChunk(wctx, imp.batch, &c.chunk); err != nil {
					werr = err
					failed.Store(true)
				}
			}
			free <- c
		}
	}()
	// stop ends the writer and returns the first error.
	stopped := false
	stop := func(err error) error {
		if !stopped {
			stopped = true
			if err != nil {
				cancel()
			}
			close(full)
			<-wdone
		}
		if werr != nil && (err == nil || errors.Is(err, context.Canceled) && ctx.Err() == nil) {
			return werr
		}
		return err
	}
	defer stop(nil)

	progress := func() {
		if imp.opts.Progress != nil {
			imp.opts.Progress(src.bytesRead(), imp.info.size)
		}
	}
	cur := <-free
	cur.reset()
	var inChunk int
	flush := func() error {
		if err := det.checkpoint(); err != nil {
			return err
		}
		for i := range cur.chunk.People {
			r := &cur.chunk.People[i]
			r.Hash = personHash(&r.Person)
		}
		size, err := imp.q.sync()
		if err != nil {
			return err
		}
		cur.chunk.RowsDone = imp.rows
		cur.chunk.QuarantineBytes = size
		if failed.Load() {
			return werr
		}
		select {
		case full <- cur:
		case <-ctx.Done():
			return ctx.Err()
		}
		progress()
		select {
		case cur = <-free:
		case <-ctx.Done():
			return ctx.Err()
		}
		cur.reset()
		inChunk = 0
		return nil
	}

	var p breach.Person
	for {
		rec, line, err := src.next()
		if errors.Is(err, io.EOF) {
			break
		}
		var re *recordError
		if err != nil && !errors.As(err, &re) {
			return stop(err)
		}
		imp.rows++
		skipped := imp.rows <= imp.skip
		if rec != nil {
			if err := det.row(rec); err != nil {
				return stop(err)
			}
		}
		if skipped {
			if imp.rows%int64(imp.opts.ChunkSize) == 0 {
				if err := ctx.Err(); err != nil {
					return stop(err)
				}
				progress()
			}
			if !rebuild {
				continue
			}
		}
		var rerr *rowError
		if re != nil {
			col := -1
			rerr = &rowError{col: col, reason: re.reason}
		} else {
			rerr = norm.person(rec, &p)
		}
		if rerr != nil {
			colName := ""
			if rerr.col >= 0 && rerr.col < len(imp.m.cols) {
				colName = imp.m.cols[rerr.col].header
			}
			if err := imp.q.write(line, colName, rerr.reason, rec); err != nil {
				return stop(err)
			}
			if !skipped {
				cur.chunk.Counts.Rejected++
			}
		} else if !skipped {
			key := p.Key()
			if i, ok := cur.index[key]; ok {
				merge(&cur.chunk.People[i].Person, &p)
				cur.chunk.Counts.Duplicates++
			} else {
				cur.index[key] = len(cur.chunk.People)
				cur.chunk.People = append(cur.chunk.People, breach.ImportRow{Person: p, Key: key})
			}
		}
		if skipped {
			continue
		}
		inChunk++
		if inChunk == imp.opts.ChunkSize {
			if err := flush(); err != nil {
				return stop(err)
			}
		}
	}
	if err := det.checkpoint(); err != nil {
		return stop(err)
	}
	if inChunk > 0 {
		if err := flush(); err != nil {
			return stop(err)
		}
	}
	if err := stop(nil); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	progress()
	return nil
}

// merge folds a duplicate row into the first row of the same key: elements
// and flags united, empty fields filled, the address taken whole when the
// first row has none that can be mailed.
func merge(dst, src *breach.Person) {
	dst.Elements = dst.Elements.Union(src.Elements)
	dst.Minor = dst.Minor || src.Minor
	dst.Deceased = dst.Deceased || src.Deceased
	dst.NoContact = dst.NoContact || src.NoContact
	fill := func(d *string, s string) {
		if *d == "" {
			*d = s
		}
	}
	fill(&dst.ExternalID, src.ExternalID)
	if dst.FirstName == "" && dst.LastName == "" {
		dst.FirstName, dst.LastName = src.FirstName, src.LastName
	}
	fill(&dst.Email, src.Email)
	fill(&dst.Phone, src.Phone)
	fill(&dst.Locale, src.Locale)
	if dst.Address.IsZero() || !dst.Address.Mailable() && src.Address.Mailable() {
		dst.Address = src.Address
		dst.Jurisdiction = src.Jurisdiction
	}
}

// personHash is a 64-bit FNV-1a hash of the normalised person, used by the
// store to tell an updated person from an unchanged one on re-import.
func personHash(p *breach.Person) int64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	str := func(s string) {
		for i := 0; i < len(s); i++ {
			h ^= uint64(s[i])
			h *= prime
		}
		h ^= 0xff // field separator
		h *= prime
	}
	a := &p.Address
	for _, s := range [...]string{p.ExternalID, p.FirstName, p.LastName, p.Email, p.Phone, a.Line1, a.Line2, a.City,
		a.Region, a.PostalCode, a.Country, string(p.Jurisdiction), p.Locale} {
		str(s)
	}
	e := uint64(p.Elements)
	for i := 0; i < 8; i++ {
		h ^= e & 0xff
		h *= prime
		e >>= 8
	}
	for _, b := range [...]bool{p.Minor, p.Deceased, p.NoContact} {
		if b {
			h ^= 1
		}
		h *= prime
	}
	return int64(h)
}

// String describes the result in one line for logs.
func (r *Result) String() string {
	return fmt.Sprintf("batch %d: %d rows, %d imported, %d updated, %d unchanged, %d duplicates, %d rejected",
		r.Batch, r.Rows, r.Imported, r.Updated, r.Unchanged, r.Duplicates, r.Rejected)
}

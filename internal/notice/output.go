package notice

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/candor-dev/candor/internal/breach"
)

// ProofResult describes the proofs written for legal review.
type ProofResult struct {
	Dir      string `json:"dir"`
	Variants int    `json:"variants"`
	Files    int    `json:"files"`
	Problems int    `json:"problems"`
	Index    string `json:"index"`
}

// proofRow is one variant in the proof index.
type proofRow struct {
	GroupReport
	Sample string   `json:"sample"`
	Files  []string `json:"files"`
}

// WriteProofs renders one sample notice for every recipient group
// (jurisdiction × element set) in every drafted language, so that legal
// reviews every variant that will exist, in text, HTML, e-mail and letter
// form, plus index.html and index.json listing each variant's laws,
// inserts, omissions and problems. Proofs of unapproved drafts say so.
func WriteProofs(ctx context.Context, s Store, incidentID int64, dir string, opts Options) (*ProofResult, error) {
	opts.Draft = true
	rep, err := Check(ctx, s, incidentID, opts)
	if err != nil {
		return nil, err
	}
	r, err := NewRenderer(ctx, s, incidentID, opts)
	if err != nil {
		return nil, err
	}
	samples, err := s.NoticeSamples(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	if err := r.Prefetch(ctx, samples); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("proofs: %w", err)
	}
	bySet := map[variantKey]*breach.Person{}
	for _, p := range samples {
		bySet[variantKey{p.Jurisdiction, p.Elements, ""}] = p
	}
	res := &ProofResult{Dir: dir, Problems: len(rep.Problems), Index: filepath.Join(dir, "index.html")}
	var rows []proofRow
	for i, g := range rep.Groups {
		sample := bySet[variantKey{g.Jurisdiction, g.Elements, ""}]
		if sample == nil {
			continue
		}
		p := *sample
		p.Locale = g.Locale
		base := fmt.Sprintf("%03d-%s-%s", i+1, fileSafe(orUnknown(string(g.Jurisdiction))), g.Locale)
		row := proofRow{GroupReport: g, Sample: personLabel(&p)}
		write := func(ext string, b []byte) error {
			name := base + "." + ext
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				return fmt.Errorf("proofs: %w", err)
			}
			row.Files = append(row.Files, name)
			res.Files++
			return nil
		}
		if len(g.Problems) > 0 {
			rows = append(rows, row)
			continue
		}
		txt, err := r.Text(&p)
		if err != nil {
			return nil, err
		}
		if err := write("txt", txt); err != nil {
			return nil, err
		}
		h, err := r.HTML(&p)
		if err != nil {
			return nil, err
		}
		if err := write("html", h); err != nil {
			return nil, err
		}
		if p.Email != "" {
			msg, _, err := r.Email(&p, nil)
			if err != nil {
				return nil, err
			}
			if err := write("eml", msg); err != nil {
				return nil, err
			}
		}
		if p.Address.Mailable() {
			var buf bytes.Buffer
			if _, err := r.Letters(&buf, []*breach.Person{&p}); err != nil {
				return nil, err
			}
			if err := write("pdf", buf.Bytes()); err != nil {
				return nil, err
			}
		}
		rows = append(rows, row)
	}
	res.Variants = len(rows)
	if err := writeProofIndex(dir, rep, rows); err != nil {
		return nil, err
	}
	return res, nil
}

func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
}

func writeProofIndex(dir string, rep *Report, rows []proofRow) error {
	j, err := json.MarshalIndent(map[string]any{"report": rep, "variants": rows}, "", "  ")
	if err != nil {
		return fmt.Errorf("proof index: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index.json"), j, 0o644); err != nil {
		return fmt.Errorf("proof index: %w", err)
	}
	var b strings.Builder
	e := html.EscapeString
	status := "DRAFT: not approved"
	if rep.Approved {
		status = fmt.Sprintf("Approved by %s on %s", rep.Approval.ApprovedBy, rep.Approval.ApprovedAt.Format("2006-01-02 15:04 MST"))
	}
	fmt.Fprintf(&b, `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Notice proofs: incident %d</title>
<style>body{font-family:Arial,sans-serif;margin:24px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;font-size:13px}th{background:#f3f3f3}.bad{color:#a00}</style>
</head><body>
<h1>Notice proofs: incident %d</h1>
<p>%s. %d people; %d variants (recipient group × language); %d problems. Hash %s.</p>
`, rep.IncidentID, rep.IncidentID, e(status), rep.People, len(rows), len(rep.Problems), e(rep.Digest.Hash))
	if len(rep.Problems) > 0 {
		b.WriteString("<h2>Problems</h2>\n<ul>\n")
		for _, p := range rep.Problems {
			fmt.Fprintf(&b, "<li class=\"bad\">%s</li>\n", e(p.String()))
		}
		b.WriteString("</ul>\n")
	}
	b.WriteString("<h2>Variants</h2>\n<table>\n<tr><th>#</th><th>Jurisdiction</th><th>Elements</th><th>Language</th><th>People</th><th>Laws</th><th>Inserts</th><th>Left out</th><th>Sample</th><th>Proofs</th></tr>\n")
	for i, r := range rows {
		var files []string
		for _, f := range r.Files {
			files = append(files, fmt.Sprintf(`<a href="%s">%s</a>`, e(f), e(filepath.Ext(f)[1:])))
		}
		var probs []string
		for _, p := range r.Problems {
			probs = append(probs, `<div class="bad">`+e(p.Msg)+`</div>`)
		}
		fmt.Fprintf(&b, "<tr><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s%s</td></tr>\n",
			i+1, e(orUnknown(string(r.Jurisdiction))), e(strings.Join(r.Elements.Keys(), ", ")), e(r.Locale), r.Count,
			e(strings.Join(r.Regimes, ", ")), e(strings.Join(r.Inserts, ", ")), e(strings.Join(r.Omitted, "; ")), e(r.Sample),
			strings.Join(files, " "), strings.Join(probs, ""))
	}
	b.WriteString("</table>\n</body></html>\n")
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("proof index: %w", err)
	}
	return nil
}

// Render formats for delivery.
const (
	FormatEML      = "eml"
	FormatPDF      = "pdf"
	FormatManifest = "manifest"
)

// RenderOptions choose what Render writes.
type RenderOptions struct {
	Format string
	// BatchSize is the number of letters per PDF file (default 500).
	BatchSize int
	// PostalOnly limits letters to people without an e-mail address.
	PostalOnly bool
}

// RenderSummary counts what Render wrote and skipped.
type RenderSummary struct {
	Format   string   `json:"format"`
	Dir      string   `json:"dir"`
	Rendered int64    `json:"rendered"`
	Files    []string `json:"files"`
	// Skipped counts people left out: no e-mail address (eml), no
	// mailable address (pdf), an e-mail address when PostalOnly, or
	// do-not-contact.
	Skipped  int64  `json:"skipped"`
	Manifest string `json:"manifest,omitempty"`
}

// renderPage is how many people Render reads and prefetches at a time.
const renderPage = 1000

// Render writes the approved notices of an incident for delivery: one .eml
// file per person with an e-mail address (eml), or print-ready PDF letters
// in batches with a mail-house manifest (pdf), or the manifest alone
// (manifest). It refuses, rendering nothing, unless the current approval
// matches (see NewRenderer).
func Render(ctx context.Context, s Store, incidentID int64, dir string, ro RenderOptions, opts Options) (*RenderSummary, error) {
	switch ro.Format {
	case FormatEML, FormatPDF, FormatManifest:
	default:
		return nil, breach.Errorf(breach.EINVALID, "render: format %q is not eml, pdf or manifest", ro.Format)
	}
	if ro.BatchSize <= 0 {
		ro.BatchSize = 500
	}
	opts.Draft = false
	r, err := NewRenderer(ctx, s, incidentID, opts)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	sum := &RenderSummary{Format: ro.Format, Dir: dir, Files: []string{}}
	var (
		pending []*breach.Person
		batchN  int
		man     *csv.Writer
		manFile *os.File
	)
	if ro.Format != FormatEML {
		sum.Manifest = filepath.Join(dir, "manifest.csv")
		manFile, err = os.Create(sum.Manifest)
		if err != nil {
			return nil, fmt.Errorf("render: %w", err)
		}
		defer manFile.Close()
		bw := bufio.NewWriter(manFile)
		defer bw.Flush()
		man = csv.NewWriter(bw)
		man.Write([]string{"batch_file", "sequence", "first_page", "pages", "reference", "external_id", "name",
			"address_line1", "address_line2", "city", "region", "postal_code", "country", "jurisdiction", "locale"})
	}
	flushLetters := func() error {
		if len(pending) == 0 {
			return nil
		}
		batchN++
		name := fmt.Sprintf("letters-%04d.pdf", batchN)
		var w io.Writer = io.Discard
		var f *os.File
		if ro.Format == FormatPDF {
			if f, err = os.Create(filepath.Join(dir, name)); err != nil {
				return fmt.Errorf("render: %w", err)
			}
			w = f
		}
		bw := bufio.NewWriterSize(w, 1<<16)
		infos, err := r.Letters(bw, pending)
		if err == nil {
			err = bw.Flush()
		}
		if f != nil {
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			sum.Files = append(sum.Files, name)
		}
		if err != nil {
			return err
		}
		for i, info := range infos {
			p := pending[i]
			a := p.Address
			man.Write(csvSafe([]string{name, strconv.Itoa(i + 1), strconv.Itoa(info.FirstPage), strconv.Itoa(info.Pages),
				info.Reference, p.ExternalID, p.Name(), a.Line1, a.Line2, a.City, a.Region, a.PostalCode, a.Country,
				string(p.Jurisdiction), r.localeFor(p)}))
		}
		sum.Rendered += int64(len(infos))
		pending = pending[:0]
		return nil
	}
	var buf []byte
	emlDir := filepath.Join(dir, "eml")
	if ro.Format == FormatEML {
		if err := os.MkdirAll(emlDir, 0o755); err != nil {
			return nil, fmt.Errorf("render: %w", err)
		}
	}
	var after int64
	for {
		people, err := s.FindPeople(ctx, breach.PersonFilter{IncidentID: incidentID, AfterID: after, Limit: renderPage})
		if err != nil {
			return nil, err
		}
		if len(people) == 0 {
			break
		}
		after = people[len(people)-1].ID
		if err := r.Prefetch(ctx, people); err != nil {
			return nil, err
		}
		for _, p := range people {
			switch {
			case p.NoContact:
				sum.Skipped++
			case ro.Format == FormatEML:
				if p.Email == "" {
					sum.Skipped++
					continue
				}
				if buf, _, err = r.Email(p, buf); err != nil {
					return nil, err
				}
				if err := os.WriteFile(filepath.Join(emlDir, emlName(p)), buf, 0o644); err != nil {
					return nil, fmt.Errorf("render: %w", err)
				}
				sum.Rendered++
			default:
				if !p.Address.Mailable() || ro.PostalOnly && p.Email != "" {
					sum.Skipped++
					continue
				}
				pending = append(pending, p)
				if len(pending) == ro.BatchSize {
					if err := flushLetters(); err != nil {
						return nil, err
					}
				}
			}
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	if ro.Format != FormatEML {
		if err := flushLetters(); err != nil {
			return nil, err
		}
		man.Flush()
		if err := man.Error(); err != nil {
			return nil, fmt.Errorf("render: manifest: %w", err)
		}
	} else {
		sum.Files = append(sum.Files, "eml/")
	}
	return sum, nil
}

// emlName names a person's message file after their external ID (made
// safe) or their internal ID.
func emlName(p *breach.Person) string {
	if p.ExternalID != "" {
		return fileSafe(p.ExternalID) + ".eml"
	}
	return "person-" + strconv.FormatInt(p.ID, 10) + ".eml"
}

// csvSafe keeps spreadsheet programs from reading a cell as a formula.
func csvSafe(row []string) []string {
	for i, c := range row {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			row[i] = "'" + c
		}
	}
	return row
}

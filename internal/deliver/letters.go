package deliver

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/breach"
)

// PrintOptions say where and how to print a campaign's queued letters.
type PrintOptions struct {
	// Dir receives one PDF and one manifest CSV per batch.
	Dir string
	// BatchSize is the number of letters per PDF; default 500.
	BatchSize int
	// Owner names the printing process in leases; default DefaultOwner().
	Owner string
	// Now names the batches; time.Now when nil.
	Now func() time.Time
}

// PrintReport lists the batches printed.
type PrintReport struct {
	Batches []PrintBatch `json:"batches"`
	Letters int          `json:"letters"`
}

// PrintBatch is one PDF for the mail house and its manifest.
type PrintBatch struct {
	Name     string `json:"name"`
	PDF      string `json:"pdf"`
	Manifest string `json:"manifest"`
	SHA256   string `json:"sha256"`
	Letters  int    `json:"letters"`
	Pages    int    `json:"pages"`
}

// ManifestHeader are the columns of a batch manifest. piece_id is what the
// mail house's file must give back, with the mailing date, for
// MarkMailed.
var ManifestHeader = []string{"piece_id", "batch", "sequence", "first_page", "pages", "delivery_id", "external_id",
	"reference", "name", "address_line1", "address_line2", "city", "region", "postal_code", "country"}

// PieceID is the identifier of a letter in manifests and vendor files.
func PieceID(deliveryID int64) string { return "L" + strconv.FormatInt(deliveryID, 10) }

// PrintLetters renders the campaign's queued letters into print-ready PDF
// batches, each with a manifest for the mail house, and records them as
// handed over (state sending, print batch set). Files are written under
// temporary names and renamed once the database records the batch, so a
// crash leaves either a recorded batch or letters that will be printed
// again, never a PDF that the database does not know.
func PrintLetters(ctx context.Context, s Store, notices Notices, c *breach.Campaign, opts PrintOptions) (*PrintReport, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 500
	}
	if opts.Owner == "" {
		opts.Owner = DefaultOwner()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if c.Status != breach.CampaignActive {
		return nil, breach.Errorf(breach.EINVALID, "campaign %q is %s: resume it before printing", c.Name, c.Status)
	}
	if err := os.MkdirAll(opts.Dir, 0o750); err != nil {
		return nil, fmt.Errorf("letters: %w", err)
	}
	if err := finishRenames(ctx, s, opts.Dir); err != nil {
		return nil, err
	}
	r, err := notices.Renderer(ctx, c)
	if err != nil {
		return nil, err
	}
	rep := &PrintReport{Batches: []PrintBatch{}}
	stamp := opts.Now().UTC().Format("20060102T150405")
	for seq := 1; ; seq++ {
		ds, err := s.ClaimDeliveries(ctx, breach.ClaimRequest{Owner: opts.Owner, Channel: breach.ChannelLetter, Limit: opts.BatchSize,
			Lease: 30 * time.Minute, CampaignID: c.ID})
		if err != nil {
			return rep, err
		}
		if len(ds) == 0 {
			return rep, nil
		}
		b, err := printBatch(ctx, s, r, c, ds, opts, fmt.Sprintf("%s-%s-%04d", c.Name, stamp, seq))
		if err != nil {
			return rep, err
		}
		rep.Batches = append(rep.Batches, *b)
		rep.Letters += b.Letters
	}
}

func printBatch(ctx context.Context, s Store, r Renderer, c *breach.Campaign, ds []*breach.Delivery, opts PrintOptions, name string) (*PrintBatch, error) {
	people := make([]*breach.Person, 0, len(ds))
	var printable []*breach.Delivery
	for _, d := range ds {
		if d.Person == nil || !d.Person.Address.Mailable() || breach.LetterRecipient(d.Person) != d.Recipient {
			// The address changed or went since the letter was queued.
			if _, err := s.UpdateDeliveries(ctx, opts.Owner, []breach.DeliveryResult{{ID: d.ID, State: breach.DeliveryFailed,
				Error: "the person's postal address changed after the letter was queued; enqueue again"}}, nil); err != nil {
				return nil, err
			}
			continue
		}
		people = append(people, d.Person)
		printable = append(printable, d)
	}
	if pf, ok := r.(prefetcher); ok {
		if err := pf.Prefetch(ctx, people); err != nil {
			return nil, err
		}
	}
	var pdf bytes.Buffer
	infos, err := r.Letters(&pdf, people)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(pdf.Bytes())
	b := &PrintBatch{Name: name, PDF: filepath.Join(opts.Dir, name+".pdf"), Manifest: filepath.Join(opts.Dir, name+".csv"),
		SHA256: hex.EncodeToString(sum[:]), Letters: len(printable)}
	var man bytes.Buffer
	cw := csv.NewWriter(&man)
	_ = cw.Write(ManifestHeader)
	letters := make([]breach.PrintedLetter, len(printable))
	for i, d := range printable {
		p, info := d.Person, infos[i]
		a := p.Address
		_ = cw.Write([]string{PieceID(d.ID), name, strconv.Itoa(i + 1), strconv.Itoa(info.FirstPage), strconv.Itoa(info.Pages),
			strconv.FormatInt(d.ID, 10), p.ExternalID, info.Reference, p.Name(), a.Line1, a.Line2, a.City, a.Region, a.PostalCode, a.Country})
		b.Pages += info.Pages
		letters[i] = breach.PrintedLetter{ID: d.ID, BodySHA256: fmt.Sprintf("%s pages %d-%d", b.SHA256, info.FirstPage, info.FirstPage+info.Pages-1)}
	}
	cw.Flush()
	if err := writeFile(b.PDF+".tmp", pdf.Bytes()); err != nil {
		return nil, err
	}
	if err := writeFile(b.Manifest+".tmp", man.Bytes()); err != nil {
		return nil, err
	}
	if _, err := s.MarkPrinted(ctx, opts.Owner, name, letters); err != nil {
		return nil, err
	}
	for _, f := range []string{b.PDF, b.Manifest} {
		if err := os.Rename(f+".tmp", f); err != nil {
			return nil, fmt.Errorf("letters: %w", err)
		}
	}
	return b, nil
}

func writeFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o640)
	if err != nil {
		return fmt.Errorf("letters: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("letters: write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("letters: sync %s: %w", path, err)
	}
	return f.Close()
}

// finishRenames completes a run that stopped between recording a batch and
// renaming its files, and removes the files of batches never recorded.
func finishRenames(ctx context.Context, s Store, dir string) error {
	tmps, err := filepath.Glob(filepath.Join(dir, "*.tmp"))
	if err != nil {
		return err
	}
	for _, tmp := range tmps {
		final := strings.TrimSuffix(tmp, ".tmp")
		batch := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(final), ".pdf"), ".csv")
		ds, err := s.FindDeliveries(ctx, breach.DeliveryFilter{PrintBatch: batch, Limit: 1})
		if err != nil {
			return err
		}
		if len(ds) > 0 {
			err = os.Rename(tmp, final)
		} else {
			err = os.Remove(tmp)
		}
		if err != nil {
			return fmt.Errorf("letters: %w", err)
		}
	}
	return nil
}

// MailedReport says what a vendor's mailing file did.
type MailedReport struct {
	Rows    int `json:"rows"`
	Mailed  int `json:"mailed"`
	Already int `json:"already"`
	// Unknown lists piece ids that are not printed letters.
	Unknown []string `json:"unknown"`
}

// MarkMailed reads a mail house's file (CSV with a header naming a piece_id
// or delivery_id column and a mailed date column: mailed_on, mail_date,
// mailed or date) and records each letter's mailing date.
func MarkMailed(ctx context.Context, s Store, r io.Reader) (*MailedReport, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return nil, breach.Errorf(breach.EINVALID, "mailing file: no header: %v", err)
	}
	idCol, dateCol := -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) {
		case "piece_id", "delivery_id", "piece", "id":
			if idCol < 0 {
				idCol = i
			}
		case "mailed_on", "mail_date", "mailed", "mailed_date", "date":
			if dateCol < 0 {
				dateCol = i
			}
		}
	}
	if idCol < 0 || dateCol < 0 {
		return nil, breach.Errorf(breach.EINVALID, "mailing file: the header %q needs a piece_id and a mailed_on column", strings.Join(header, ","))
	}
	rep := &MailedReport{Unknown: []string{}}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return rep, nil
		} else if err != nil {
			return rep, breach.Errorf(breach.EINVALID, "mailing file line %d: %v", line, err)
		}
		if len(rec) <= max(idCol, dateCol) || strings.TrimSpace(rec[idCol]) == "" {
			continue
		}
		rep.Rows++
		piece := strings.TrimSpace(rec[idCol])
		id, err := strconv.ParseInt(strings.TrimPrefix(strings.ToUpper(piece), "L"), 10, 64)
		if err != nil {
			rep.Unknown = append(rep.Unknown, piece)
			continue
		}
		mailed, err := parseMailedDate(rec[dateCol])
		if err != nil {
			return rep, breach.Errorf(breach.EINVALID, "mailing file line %d: date %q is not YYYY-MM-DD", line, rec[dateCol])
		}
		changed, err := s.MarkMailed(ctx, id, mailed, "mail house file")
		switch {
		case breach.ErrorCode(err) == breach.ENOTFOUND:
			rep.Unknown = append(rep.Unknown, piece)
		case err != nil:
			return rep, err
		case changed:
			rep.Mailed++
		default:
			rep.Already++
		}
	}
}

func parseMailedDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.DateOnly, time.RFC3339, "01/02/2006", "2006/01/02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad date %q", s)
}

package ingest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/candor-dev/candor/internal/breach"
)

// source yields the header and then the data records of an input file.
type source interface {
	// header returns the column names.
	header() []string
	// next returns the next data record and the line (CSV) or row (XLSX)
	// where it starts. A record that cannot be parsed returns a *recordError
	// with rec possibly nil; the caller quarantines it and goes on. io.EOF
	// ends the data.
	next() (rec []string, line int64, err error)
	// bytesRead is how far into the file the source has read.
	bytesRead() int64
	close() error
}

// recordError is a record the source could not parse.
type recordError struct {
	line   int64
	reason string
}

func (e *recordError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.reason) }

// fileInfo is what the first pass over a file learns.
type fileInfo struct {
	sha256 string
	size   int64
	// utf8 reports whether the whole file is valid UTF-8.
	utf8 bool
}

// scanFile hashes the file (SHA-256, streaming) and checks whether it is
// valid UTF-8, in one pass.
func scanFile(ctx context.Context, path string) (*fileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, openError(path, err)
	}
	defer f.Close()
	h := sha256.New()
	buf := make([]byte, 1<<20)
	info := &fileInfo{utf8: true}
	var carry [utf8.UTFMax]byte
	nc := 0
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n, err := f.Read(buf[nc:])
		if n > 0 {
			h.Write(buf[nc : nc+n])
			info.size += int64(n)
			if info.utf8 {
				copy(buf, carry[:nc])
				chunk := buf[:nc+n]
				// Hold back an incomplete rune at the end for the next read.
				cut := len(chunk)
				for i := len(chunk) - 1; i >= 0 && i >= len(chunk)-utf8.UTFMax; i-- {
					if utf8.RuneStart(chunk[i]) {
						if !utf8.FullRune(chunk[i:]) {
							cut = i
						}
						break
					}
				}
				if !utf8.Valid(chunk[:cut]) {
					info.utf8 = false
				}
				nc = copy(carry[:], chunk[cut:])
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
	}
	if nc > 0 {
		info.utf8 = false
	}
	info.sha256 = hex.EncodeToString(h.Sum(nil))
	return info, nil
}

func openError(path string, err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return breach.Errorf(breach.ENOTFOUND, "file %s does not exist", path)
	}
	return fmt.Errorf("open %s: %w", path, err)
}

// isXLSX reports whether path names an Excel workbook.
func isXLSX(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm":
		return true
	}
	return false
}

// openSource opens path as CSV or XLSX.
func openSource(path, sheet string, info *fileInfo) (source, error) {
	if isXLSX(path) {
		return openXLSX(path, sheet)
	}
	return openCSV(path, info)
}

// countingReader counts the bytes read through it, readable from another
// goroutine.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

type csvSource struct {
	f     *os.File
	count *countingReader
	r     *csv.Reader
	hdr   []string
}

// openCSV opens a CSV file: RFC 4180 quoting, a UTF-8 BOM stripped, UTF-16
// with a BOM decoded, anything that is not valid UTF-8 read as
// Windows-1252 (a superset of Latin-1), and the delimiter (comma,
// semicolon or tab) sniffed from the header line.
func openCSV(path string, info *fileInfo) (*csvSource, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, openError(path, err)
	}
	count := &countingReader{r: f}
	raw := bufio.NewReaderSize(count, 64<<10)
	var r io.Reader = raw
	bom, _ := raw.Peek(3)
	switch {
	case bytes.HasPrefix(bom, []byte{0xEF, 0xBB, 0xBF}):
		raw.Discard(3)
	case bytes.HasPrefix(bom, []byte{0xFF, 0xFE}), bytes.HasPrefix(bom, []byte{0xFE, 0xFF}):
		r = transform.NewReader(raw, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder())
	case !info.utf8:
		r = charmap.Windows1252.NewDecoder().Reader(raw)
	}
	br := raw
	if r != io.Reader(raw) {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	comma := sniffDelimiter(br)
	cr := csv.NewReader(br)
	cr.Comma = comma
	cr.ReuseRecord = true
	cr.FieldsPerRecord = 0
	s := &csvSource{f: f, count: count, r: cr}
	hdr, err := cr.Read()
	if errors.Is(err, io.EOF) {
		f.Close()
		return nil, breach.Errorf(breach.EINVALID, "%s is empty: want a header line and one row per person", filepath.Base(path))
	}
	if err != nil {
		f.Close()
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, breach.Errorf(breach.EINVALID, "%s: header line %d: %v", filepath.Base(path), pe.StartLine, pe.Err)
		}
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	s.hdr = make([]string, len(hdr))
	for i, h := range hdr {
		s.hdr[i] = strings.TrimSpace(h)
	}
	return s, nil
}

// sniffDelimiter picks the most frequent of , ; and tab outside quotes in
// the first line, comma on a tie or when none occurs.
func sniffDelimiter(br *bufio.Reader) rune {
	peek, _ := br.Peek(64 << 10)
	var comma, semi, tab int
	inQuote := false
	for _, c := range peek {
		if c == '"' {
			inQuote = !inQuote
			continue
		}
		if inQuote {
			continue
		}
		if c == '\n' {
			break
		}
		switch c {
		case ',':
			comma++
		case ';':
			semi++
		case '\t':
			tab++
		}
	}
	switch {
	case semi > comma && semi >= tab:
		return ';'
	case tab > comma && tab > semi:
		return '\t'
	}
	return ','
}

func (s *csvSource) header() []string { return s.hdr }

func (s *csvSource) next() ([]string, int64, error) {
	for {
		rec, err := s.r.Read()
		if err == nil {
			if blank(rec) {
				continue
			}
			line, _ := s.r.FieldPos(0)
			return rec, int64(line), nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			if errors.Is(pe.Err, csv.ErrFieldCount) {
				if blank(rec) {
					continue
				}
				return rec, int64(pe.StartLine), &recordError{line: int64(pe.StartLine), reason: fmt.Sprintf("%s: got %d, want %d", reasonFieldCount, len(rec), len(s.hdr))}
			}
			return nil, int64(pe.StartLine), &recordError{line: int64(pe.StartLine), reason: fmt.Sprintf("%s at line %d, column %d: %v", reasonMalformed, pe.Line, pe.Column, pe.Err)}
		}
		return nil, 0, err
	}
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

func (s *csvSource) bytesRead() int64 { return s.count.n.Load() }
func (s *csvSource) close() error     { return s.f.Close() }

type xlsxSource struct {
	f     *excelize.File
	rows  *excelize.Rows
	hdr   []string
	row   int64
	size  int64
	total int64
	rec   []string
}

// openXLSX opens a workbook and streams the rows of sheet (default: the
// first sheet). Progress is estimated from the share of rows read.
func openXLSX(path, sheet string) (*xlsxSource, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, openError(path, err)
		}
		return nil, breach.Errorf(breach.EINVALID, "%s is not a readable XLSX workbook: %v", filepath.Base(path), err)
	}
	sheets := f.GetSheetList()
	if sheet == "" {
		if len(sheets) == 0 {
			f.Close()
			return nil, breach.Errorf(breach.EINVALID, "%s has no worksheets", filepath.Base(path))
		}
		sheet = sheets[0]
	} else if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		f.Close()
		return nil, breach.Errorf(breach.EINVALID, "%s has no sheet %q (sheets: %s)", filepath.Base(path), sheet, quoteList(sheets))
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("read sheet %q of %s: %w", sheet, path, err)
	}
	st, _ := os.Stat(path)
	s := &xlsxSource{f: f, rows: rows}
	if st != nil {
		s.size = st.Size()
	}
	if dim, err := f.GetSheetDimension(sheet); err == nil {
		if _, after, ok := strings.Cut(dim, ":"); ok {
			if _, r, err := excelize.CellNameToCoordinates(after); err == nil {
				s.total = int64(r)
			}
		}
	}
	for {
		rec, _, err := s.nextRaw()
		if errors.Is(err, io.EOF) {
			s.close()
			return nil, breach.Errorf(breach.EINVALID, "sheet %q of %s is empty: want a header row and one row per person", sheet, filepath.Base(path))
		}
		if err != nil {
			s.close()
			return nil, err
		}
		if !blank(rec) {
			s.hdr = make([]string, len(rec))
			for i, h := range rec {
				s.hdr[i] = strings.TrimSpace(h)
			}
			for len(s.hdr) > 0 && s.hdr[len(s.hdr)-1] == "" {
				s.hdr = s.hdr[:len(s.hdr)-1]
			}
			return s, nil
		}
	}
}

func (s *xlsxSource) nextRaw() ([]string, int64, error) {
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return nil, 0, fmt.Errorf("read workbook: %w", err)
		}
		return nil, 0, io.EOF
	}
	s.row++
	cols, err := s.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, s.row, fmt.Errorf("read workbook row %d: %w", s.row, err)
	}
	return cols, s.row, nil
}

func (s *xlsxSource) header() []string { return s.hdr }

func (s *xlsxSource) next() ([]string, int64, error) {
	for {
		cols, row, err := s.nextRaw()
		if err != nil {
			return nil, row, err
		}
		if blank(cols) {
			continue
		}
		// Rows drop trailing empty cells; pad to the header. Values beyond
		// the header are an error.
		if len(cols) > len(s.hdr) {
			if !blank(cols[len(s.hdr):]) {
				return cols, row, &recordError{line: row, reason: fmt.Sprintf("%s: got %d, want %d", reasonFieldCount, len(cols), len(s.hdr))}
			}
			cols = cols[:len(s.hdr)]
		}
		s.rec = append(s.rec[:0], cols...)
		for len(s.rec) < len(s.hdr) {
			s.rec = append(s.rec, "")
		}
		return s.rec, row, nil
	}
}

// bytesRead estimates progress through the workbook from the row count.
func (s *xlsxSource) bytesRead() int64 {
	if s.total <= 0 {
		return 0
	}
	return min(s.size, s.size*s.row/s.total)
}

func (s *xlsxSource) close() error {
	if s.rows != nil {
		s.rows.Close()
	}
	return s.f.Close()
}

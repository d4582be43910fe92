package notice_test

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/candor-dev/candor/internal/breach"
)

// pdfPage is the text of one page: each string drawn, with its position
// in inches from the top-left corner and its font size.
type pdfPage struct {
	texts []pdfString
	sizes []float64
}

type pdfString struct {
	x, y, size float64
	s          string
}

var (
	streamRE = regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`)
	opRE     = regexp.MustCompile(`/F[0-9a-f]+ ([0-9.]+) Tf|BT ([0-9.-]+) ([0-9.-]+) Td \(((?:\\.|[^\\)])*)\) ?Tj ET`)
)

// readPDF inflates each page's content stream (fpdf writes one per page,
// in order) and collects its text and font sizes.
func readPDF(t *testing.T, b []byte) []pdfPage {
	t.Helper()
	var pages []pdfPage
	dec := charmap.Windows1252.NewDecoder()
	for _, m := range streamRE.FindAllSubmatch(b, -1) {
		zr, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			continue // not a compressed content stream
		}
		content, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		var pg pdfPage
		size := 0.0
		for _, op := range opRE.FindAllSubmatch(content, -1) {
			if op[1] != nil {
				size, _ = strconv.ParseFloat(string(op[1]), 64)
				pg.sizes = append(pg.sizes, size)
				continue
			}
			x, _ := strconv.ParseFloat(string(op[2]), 64)
			y, _ := strconv.ParseFloat(string(op[3]), 64)
			raw := string(op[4])
			raw = strings.NewReplacer(`\(`, "(", `\)`, ")", `\\`, `\`).Replace(raw)
			s, err := dec.String(raw)
			if err != nil {
				t.Fatal(err)
			}
			pg.texts = append(pg.texts, pdfString{x: x / 72, y: (792 - y) / 72, size: size, s: s})
		}
		pages = append(pages, pg)
	}
	return pages
}

// pdfTextDump renders a PDF's pages as text for golden files.
func pdfTextDump(t *testing.T, b []byte) string {
	t.Helper()
	var out strings.Builder
	for i, pg := range readPDF(t, b) {
		fmt.Fprintf(&out, "--- page %d\n", i+1)
		for _, tx := range pg.texts {
			fmt.Fprintf(&out, "%5.2f %5.2f %4.1f %s\n", tx.x, tx.y, tx.size, tx.s)
		}
	}
	return out.String()
}

func TestLetterLayout(t *testing.T) {
	f := newFixture(t)
	r := f.approve(t)
	people := []*breach.Person{f.people["TX-2"], f.people["MA-1"], f.people["DE-1"]}
	var buf bytes.Buffer
	infos, err := r.Letters(&buf, people)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte("/MediaBox [0 0 612.00 792.00]")) {
		t.Fatal("pages are not US Letter (612 × 792 pt)")
	}
	pages := readPDF(t, buf.Bytes())
	total := 0
	for i, info := range infos {
		if info.FirstPage != total+1 || info.Pages < 1 {
			t.Fatalf("letter %d: first page %d, %d pages; want to start on page %d", i, info.FirstPage, info.Pages, total+1)
		}
		total += info.Pages
	}
	if len(pages) != total {
		t.Fatalf("got %d pages, the letters say %d", len(pages), total)
	}
	for i, pg := range pages {
		for _, s := range pg.sizes {
			if s < 10 {
				t.Fatalf("page %d uses %.1f pt type; the minimum is 10", i+1, s)
			}
		}
	}
	for i, info := range infos {
		p := people[i]
		first := pages[info.FirstPage-1]
		// The address block sits in the #10 window's safe zone.
		var block []pdfString
		for _, tx := range first.texts {
			if tx.y > 1.9 && tx.y < 3.3 {
				block = append(block, tx)
			}
		}
		if len(block) == 0 || block[0].s != p.Name() {
			t.Fatalf("letter %d: address block %v does not start with %q", i, block, p.Name())
		}
		for _, tx := range block {
			if tx.x < 0.875 || tx.y < 2.0 || tx.y > 3.2 {
				t.Fatalf("letter %d: address line %q at (%.2f, %.2f) is outside the window zone", i, tx.s, tx.x, tx.y)
			}
		}
		// Return address, top left.
		if tx := first.texts[0]; tx.s != "Northwind Outfitters, Inc." || tx.y > 1.0 || tx.x > 1.0 {
			t.Fatalf("letter %d: first text %+v, want the return address at the top left", i, tx)
		}
		// Every page is numbered "n of m" within its letter.
		for n := 1; n <= info.Pages; n++ {
			pg := pages[info.FirstPage-1+n-1]
			want := fmt.Sprintf("Page %d of %d", n, info.Pages)
			if p.Locale == "es" {
				want = fmt.Sprintf("Página %d de %d", n, info.Pages)
			}
			found := false
			for _, tx := range pg.texts {
				if tx.s == want && tx.y > 10 {
					found = true
				}
			}
			if !found {
				t.Fatalf("letter %d page %d: no footer %q", i, n, want)
			}
		}
	}
	if _, err := r.Letters(&buf, []*breach.Person{{ID: 1, IncidentID: f.incident.ID, Elements: 1}}); breach.ErrorCode(err) != breach.EINVALID {
		t.Fatalf("letter without an address: got %v, want EINVALID", err)
	}
}

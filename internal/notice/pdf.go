package notice

import (
	"fmt"
	"io"
	"strings"

	"github.com/go-pdf/fpdf"

	"github.com/candor-dev/candor/internal/breach"
)

// Letter layout, in inches, for US Letter paper folded in three into a #10
// window envelope (window 4½" × 1⅛", ⅞" from the left and ½" from the
// bottom): the recipient's address sits in the window's safe zone, the
// return address in the upper-left corner (the upper window of a
// double-window envelope).
const (
	pageW, pageH   = 8.5, 11.0
	marginX        = 1.0
	returnX        = 0.625
	returnY        = 0.5
	addressX       = 1.0
	addressY       = 2.125
	addressW       = 3.25
	addressMaxRows = 5
	bodyY          = 3.5
	bottomMargin   = 0.9
	bodyPt         = 11.0 // body type: at least 10 pt, as some laws require
	smallPt        = 10.0 // return address, date and footer: still 10 pt
	headingPt      = 12.5
	titlePt        = 15.0
)

func lineH(pt float64) float64 { return pt * 1.38 / 72 }

// LetterInfo describes one letter of a batch.
type LetterInfo struct {
	PersonID   int64  `json:"person_id"`
	ExternalID string `json:"external_id"`
	Reference  string `json:"reference"`
	// FirstPage is the letter's first page in the batch file; Pages its
	// number of pages.
	FirstPage int `json:"first_page"`
	Pages     int `json:"pages"`
}

// Letters writes one print-ready PDF holding a letter for each person, in
// order, each starting on a new page: US Letter, the address placed for a
// #10 window envelope, body type of 11 pt, page numbers and the
// organisation's return address. EINVALID when a person has no mailable
// address; ECONFLICT when a code they need is not assigned.
func (r *Renderer) Letters(w io.Writer, people []*breach.Person) ([]LetterInfo, error) {
	pdf := fpdf.New("P", "in", "Letter", "")
	pdf.SetCompression(true)
	pdf.SetCreationDate(r.now().UTC())
	pdf.SetModificationDate(r.now().UTC())
	pdf.SetCatalogSort(true)
	pdf.SetProducer("Candor", false)
	pdf.SetCreator("Candor", false)
	pdf.SetTitle(r.facts.brand()+": notice letters", true)
	pdf.SetMargins(marginX, 0.75, marginX)
	pdf.SetAutoPageBreak(true, bottomMargin)
	lw := &letterWriter{r: r, pdf: pdf, tr: pdf.UnicodeTranslatorFromDescriptor("")}
	infos := make([]LetterInfo, 0, len(people))
	for _, p := range people {
		info, err := lw.letter(p)
		if err != nil {
			return nil, err
		}
		infos = append(infos, info)
	}
	if len(people) == 0 {
		return infos, nil
	}
	if err := pdf.Output(w); err != nil {
		return nil, fmt.Errorf("write letters: %w", err)
	}
	return infos, nil
}

// letterWriter typesets letters into one PDF.
type letterWriter struct {
	r   *Renderer
	pdf *fpdf.Fpdf
	tr  func(string) string
}

func (lw *letterWriter) letter(p *breach.Person) (LetterInfo, error) {
	r, pdf := lw.r, lw.pdf
	if !p.Address.Mailable() {
		return LetterInfo{}, breach.Errorf(breach.EINVALID, "person %s has no mailable postal address", personLabel(p))
	}
	v, err := r.personVariant(p)
	if err != nil {
		return LetterInfo{}, err
	}
	pv, err := r.values(p, v)
	if err != nil {
		return LetterInfo{}, err
	}
	pdf.AddPage()
	first := pdf.PageNo()
	org := r.facts.Org

	// Return address.
	pdf.SetFont("Helvetica", "B", smallPt)
	y := returnY + lineH(smallPt)*0.8
	pdf.Text(returnX, y, lw.tr(org.LegalName))
	pdf.SetFont("Helvetica", "", smallPt)
	for _, l := range addressLines(org.Address, "") {
		y += lineH(smallPt)
		pdf.Text(returnX, y, lw.tr(l))
	}

	// Reference, top right (the template dates the letter).
	right := pageW - marginX
	ref := lw.tr(v.lang.reference + ": " + pv.ref)
	pdf.Text(right-pdf.GetStringWidth(ref), returnY+lineH(smallPt)*0.8, ref)

	// Recipient address, in the window.
	pdf.SetFont("Helvetica", "", bodyPt)
	rows := addressLines(p.Address, p.Name())
	if len(rows) > addressMaxRows {
		return LetterInfo{}, breach.Errorf(breach.EINVALID, "person %s: the address has %d lines; a window envelope shows %d", personLabel(p), len(rows), addressMaxRows)
	}
	for i, l := range rows {
		s := lw.tr(l)
		for pdf.GetStringWidth(s) > addressW && len(s) > 1 {
			s = s[:len(s)-1]
		}
		pdf.Text(addressX, addressY+lineH(bodyPt)*(0.8+float64(i)), s)
	}

	// Body.
	pdf.SetY(bodyY)
	pdf.SetFont("Helvetica", "B", titlePt)
	pdf.MultiCell(0, lineH(titlePt), lw.tr(v.title), "", "L", false)
	pdf.Ln(lineH(bodyPt) * 0.5)
	if r.mark {
		pdf.SetFont("Helvetica", "B", bodyPt)
		pdf.MultiCell(0, lineH(bodyPt), lw.tr("["+v.lang.draftMark+"]"), "", "L", false)
		pdf.Ln(lineH(bodyPt) * 0.5)
	}
	for _, b := range v.blocks {
		lw.block(b, pv)
	}

	// Footer on each page of this letter: reference and "Page n of m".
	last := pdf.PageNo()
	pages := last - first + 1
	for pg := first; pg <= last; pg++ {
		pdf.SetPage(pg)
		pdf.SetFont("Helvetica", "B", smallPt) // force the font into this page's stream
		pdf.SetFont("Helvetica", "", smallPt)
		footY := pageH - 0.5
		pdf.Text(marginX, footY, lw.tr(v.lang.reference+": "+pv.ref))
		s := lw.tr(fmt.Sprintf(v.lang.page, pg-first+1, pages))
		pdf.Text(right-pdf.GetStringWidth(s), footY, s)
	}
	pdf.SetPage(last)
	if err := pdf.Error(); err != nil {
		return LetterInfo{}, fmt.Errorf("letter for %s: %w", personLabel(p), err)
	}
	return LetterInfo{PersonID: p.ID, ExternalID: p.ExternalID, Reference: pv.ref, FirstPage: first, Pages: pages}, nil
}

// block typesets one block.
func (lw *letterWriter) block(b *cblock, pv *personVals) {
	pdf := lw.pdf
	switch b.kind {
	case nHeading:
		size := headingPt
		if b.level > 2 {
			size = bodyPt
		}
		// Keep a heading with the first lines of its section.
		if pdf.GetY()+lineH(size)+3*lineH(bodyPt) > pageH-bottomMargin {
			pdf.AddPage()
		}
		pdf.Ln(lineH(bodyPt) * 0.4)
		pdf.SetFont("Helvetica", "B", size)
		pdf.MultiCell(0, lineH(size), lw.tr(plainRuns(b.runs[0], pv)), "", "L", false)
		pdf.Ln(lineH(bodyPt) * 0.3)
	case nPara:
		lw.runs(b.runs[0], pv, marginX)
		pdf.Ln(lineH(bodyPt) * 1.5)
	case nList:
		for _, it := range b.runs {
			pdf.SetFont("Helvetica", "", bodyPt)
			pdf.SetX(marginX + 0.15)
			pdf.Write(lineH(bodyPt), lw.tr("•"))
			lw.runs(it, pv, marginX+0.4)
			pdf.Ln(lineH(bodyPt) * 1.25)
		}
		pdf.Ln(lineH(bodyPt) * 0.25)
	}
}

// runs writes inline runs flowing between left and the right margin.
func (lw *letterWriter) runs(rs []run, pv *personVals, left float64) {
	pdf := lw.pdf
	pdf.SetLeftMargin(left)
	if pdf.GetX() < left {
		pdf.SetX(left)
	}
	h := lineH(bodyPt)
	for _, r := range rs {
		if r.brk {
			pdf.Ln(h)
			continue
		}
		style := ""
		if r.bold {
			style = "B"
		}
		pdf.SetFont("Helvetica", style, bodyPt)
		text := r.text
		if r.slot != slotNone {
			text = pv.get(r.slot)
		}
		if r.href != "" && r.href != text {
			text += " (" + r.href + ")"
		}
		pdf.Write(h, lw.tr(text))
	}
	pdf.SetLeftMargin(marginX)
}

// addressLines returns the lines of a postal address, with the name first
// when given, and the country last when not the US.
func addressLines(a breach.Address, name string) []string {
	var out []string
	if name != "" {
		out = append(out, name)
	}
	for _, l := range []string{a.Line1, a.Line2} {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	city := a.City
	if a.Region != "" {
		city += ", " + a.Region
	}
	if a.PostalCode != "" {
		city += "  " + a.PostalCode
	}
	if strings.TrimSpace(city) != "" {
		out = append(out, strings.TrimSpace(city))
	}
	if a.Country != "" && a.Country != "US" {
		out = append(out, countryName(a.Country))
	}
	return out
}

// countryName spells out a few common countries for envelopes; others are
// printed as their ISO code.
func countryName(code string) string {
	names := map[string]string{"CA": "CANADA", "MX": "MEXICO", "GB": "UNITED KINGDOM", "DE": "GERMANY", "FR": "FRANCE",
		"ES": "SPAIN", "IT": "ITALY", "IE": "IRELAND", "NL": "NETHERLANDS", "AU": "AUSTRALIA", "NZ": "NEW ZEALAND",
		"JP": "JAPAN", "BR": "BRAZIL", "IN": "INDIA", "CH": "SWITZERLAND", "SG": "SINGAPORE", "ZA": "SOUTH AFRICA",
		"KR": "SOUTH KOREA", "CN": "CHINA", "HK": "HONG KONG", "PR": "PUERTO RICO"}
	if n, ok := names[strings.ToUpper(code)]; ok {
		return n
	}
	return strings.ToUpper(code)
}

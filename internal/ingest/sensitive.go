package ingest

import (
	"strings"

	"github.com/candor-dev/candor/internal/breach"
)

// sensitiveKind is a class of values Candor refuses to import: it records
// that such an element leaked, never the value.
type sensitiveKind struct {
	// what names the values in an error: "Social Security numbers".
	what    string
	element breach.DataElement
}

var (
	kindSSN      = &sensitiveKind{"Social Security numbers", breach.ElementSSN}
	kindTaxID    = &sensitiveKind{"taxpayer identification numbers", breach.ElementTaxID}
	kindCard     = &sensitiveKind{"payment card numbers", breach.ElementCardNumber}
	kindCode     = &sensitiveKind{"card security codes or PINs", breach.ElementAccountAccessCode}
	kindPassword = &sensitiveKind{"passwords", breach.ElementPassword}
	kindSecQA    = &sensitiveKind{"security answers", breach.ElementSecurityQA}
	kindBank     = &sensitiveKind{"bank account numbers", breach.ElementAccountNumber}
	kindLicense  = &sensitiveKind{"driver's license numbers", breach.ElementDriversLicense}
	kindPassport = &sensitiveKind{"passport numbers", breach.ElementPassport}
)

// sensitiveColumn returns the kind of values a column's name says it holds,
// or nil for an ordinary column.
func sensitiveColumn(header string) *sensitiveKind {
	joined := squash(header)
	tokens := strings.FieldsFunc(strings.ToLower(header), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
	has := func(words ...string) bool {
		for _, t := range tokens {
			for _, w := range words {
				if t == w {
					return true
				}
			}
		}
		return false
	}
	contains := func(parts ...string) bool {
		for _, p := range parts {
			if strings.Contains(joined, p) {
				return true
			}
		}
		return false
	}
	switch {
	case joined == "pincode":
		// A postal code in India; treated as the postal column.
		return nil
	case has("ssn", "ssns", "sin") || contains("socialsecurity", "socialinsurance"):
		return kindSSN
	case has("itin", "tin") || contains("taxid", "taxpayerid", "taxnumber", "taxpayernumber"):
		return kindTaxID
	case has("pan", "cc", "ccn") || contains("cardnumber", "creditcard", "debitcard", "ccnumber", "cardno", "cardnum"):
		return kindCard
	case has("cvv", "cvv2", "cvc", "cvc2", "csc", "pin", "pins") || contains("securitycode", "accesscode"):
		return kindCode
	case contains("securityanswer", "secretanswer", "securityquestion", "secretquestion"):
		return kindSecQA
	case has("pass", "pwd", "passwd", "passcode", "passphrase", "secret") || contains("password"):
		return kindPassword
	case contains("bankaccount", "iban", "routingnumber", "abanumber"):
		return kindBank
	case has("dl") || contains("driverslicense", "driverlicense", "driverslicence", "driverlicence", "dlnumber", "licensenumber"):
		return kindLicense
	case has("passport") || contains("passportnumber", "passportno"):
		return kindPassport
	}
	return nil
}

// refusal is the error that stops an import carrying sensitive values.
func refusal(c *column, k *sensitiveKind) error {
	return breach.Errorf(breach.EINVALID, "column %q (column %d) holds %s; Candor stores which data elements leaked, never their values: remove the column and list the element with --elements %s or in an elements column",
		c.header, c.index+1, k.what, k.element)
}

// detector looks for sensitive values in every row. It keeps per-column
// counts for the columns where a card-shaped number can be innocent (ids
// and phone numbers), which are judged on their rate instead of one value.
type detector struct {
	m *mapping
	// lenient marks the columns judged on rate; shaped and luhn count
	// their card-shaped and Luhn-valid values.
	lenient       []bool
	shaped, luhns []int64
}

// Minimum count and share of Luhn-valid values that make an id or phone
// column a column of card numbers. Random 13–19 digit numbers pass the
// Luhn check one time in ten.
const (
	lenientMin   = 5
	lenientShare = 0.9
)

func newDetector(m *mapping) *detector {
	d := &detector{m: m, lenient: make([]bool, len(m.cols)), shaped: make([]int64, len(m.cols)), luhns: make([]int64, len(m.cols))}
	for i, c := range m.cols {
		d.lenient[i] = c.field == fieldExternalID || c.field == fieldPhone
	}
	return d
}

// reset forgets the counts, for a second pass over the file.
func (d *detector) reset() {
	clear(d.shaped)
	clear(d.luhns)
}

// row checks one record and returns a refusal error for a sensitive value.
func (d *detector) row(rec []string) error {
	for i, v := range rec {
		if i >= len(d.m.cols) || v == "" {
			continue
		}
		c := &d.m.cols[i]
		if c.sensitive != nil {
			// Only yes/no flags may stand in a column named like ssn.
			if _, ok := parseBool(v); !ok {
				if t := strings.TrimSpace(v); t != "" && t != "-" {
					return refusal(c, c.sensitive)
				}
			}
			continue
		}
		if looksLikeSSN(v) {
			return refusal(c, kindSSN)
		}
		if isCard(v) {
			if !d.lenient[i] {
				return refusal(c, kindCard)
			}
			d.luhns[i]++
		}
		if d.lenient[i] && cardShaped(v) {
			d.shaped[i]++
		}
	}
	return nil
}

// checkpoint judges the lenient columns on what was seen so far. It runs
// before each chunk is committed.
func (d *detector) checkpoint() error {
	for i, ok := range d.lenient {
		if ok && d.luhns[i] >= lenientMin && float64(d.luhns[i]) >= lenientShare*float64(d.shaped[i]) {
			return refusal(&d.m.cols[i], kindCard)
		}
	}
	return nil
}

// looksLikeSSN reports whether v is written ###-##-#### with a possible
// area, group and serial number (no 000, 666 or 9xx area, no 00 group, no
// 0000 serial).
func looksLikeSSN(v string) bool {
	v = strings.TrimSpace(v)
	if len(v) != 11 || v[3] != '-' || v[6] != '-' {
		return false
	}
	for i := 0; i < 11; i++ {
		if i == 3 || i == 6 {
			continue
		}
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	area, group, serial := v[0:3], v[4:6], v[7:11]
	return area != "000" && area != "666" && area[0] != '9' && group != "00" && serial != "0000"
}

// cardDigits returns the digits of v when v is 13–19 digits, optionally in
// groups separated by single spaces or dashes, starting with a digit 2–6
// (the major card networks' ranges); else n is 0.
func cardDigits(v string, buf *[19]byte) (n int) {
	v = strings.TrimSpace(v)
	if len(v) < 13 || len(v) > 23 || v[0] < '2' || v[0] > '6' {
		return 0
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= '0' && c <= '9':
			if n == len(buf) {
				return 0
			}
			buf[n] = c
			n++
		case (c == ' ' || c == '-') && i > 0 && v[i-1] >= '0' && v[i-1] <= '9' && i+1 < len(v):
		default:
			return 0
		}
	}
	if n < 13 {
		return 0
	}
	return n
}

func cardShaped(v string) bool {
	var buf [19]byte
	return cardDigits(v, &buf) > 0
}

// isCard reports whether v is a card-shaped number that passes the Luhn
// check.
func isCard(v string) bool {
	var buf [19]byte
	n := cardDigits(v, &buf)
	return n > 0 && luhn(buf[:n])
}

func luhn(digits []byte) bool {
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

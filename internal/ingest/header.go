package ingest

import (
	"fmt"
	"sort"
	"strings"

	"github.com/candor-dev/candor/internal/breach"
)

// field is the person field a column feeds.
type field uint8

const (
	fieldNone field = iota // ignored column
	fieldExternalID
	fieldFirstName
	fieldLastName
	fieldName // full name, split into first and last
	fieldEmail
	fieldPhone
	fieldLine1
	fieldLine2
	fieldCity
	fieldRegion
	fieldPostal
	fieldZIP4 // the "+4" of a ZIP code in a column of its own
	fieldCountry
	fieldLocale
	fieldElements
	fieldMinor
	fieldDeceased
	fieldNoContact
	fieldFlag // a yes/no column marking one data element as exposed
	numFields
)

// fieldNames are the names accepted by --map, first the canonical one.
var fieldNames = [numFields][]string{
	fieldNone:       {"ignore", "skip", "none"},
	fieldExternalID: {"external_id", "id"},
	fieldFirstName:  {"first_name"},
	fieldLastName:   {"last_name"},
	fieldName:       {"name", "full_name"},
	fieldEmail:      {"email"},
	fieldPhone:      {"phone"},
	fieldLine1:      {"address1", "line1", "address", "street"},
	fieldLine2:      {"address2", "line2"},
	fieldCity:       {"city"},
	fieldRegion:     {"state", "region", "province"},
	fieldPostal:     {"zip", "postal_code", "postcode"},
	fieldZIP4:       {"zip4"},
	fieldCountry:    {"country"},
	fieldLocale:     {"locale", "language"},
	fieldElements:   {"elements"},
	fieldMinor:      {"minor"},
	fieldDeceased:   {"deceased"},
	fieldNoContact:  {"no_contact"},
	fieldFlag:       {"flag:ELEMENT"},
}

func (f field) String() string { return fieldNames[f][0] }

// headerAliases maps column names, squashed by squash, to fields.
var headerAliases = func() map[string]field {
	m := map[string]field{}
	add := func(f field, names ...string) {
		for _, n := range names {
			m[squash(n)] = f
		}
	}
	add(fieldExternalID, "id", "customer_id", "customer no", "customer number", "cust id", "member id", "member number",
		"member no", "external_id", "ext id", "account id", "user id", "client id", "record id", "patient id",
		"employee id", "student id", "person id", "uid", "subscriber id", "policy holder id")
	add(fieldFirstName, "first name", "given name", "fname", "forename", "first", "firstname", "given")
	add(fieldLastName, "last name", "surname", "family name", "lname", "last", "lastname")
	add(fieldName, "name", "full name", "customer name", "member name", "contact name", "display name", "patient name")
	add(fieldEmail, "email", "e-mail", "email address", "e-mail address", "mail", "email addr", "emailaddress", "primary email")
	add(fieldPhone, "phone", "phone number", "mobile", "mobile phone", "mobile number", "cell", "cell phone", "telephone",
		"tel", "home phone", "phone1", "primary phone")
	add(fieldLine1, "address", "address1", "address 1", "address line 1", "address line1", "street", "street address",
		"addr1", "addr", "mailing address", "line1", "street1", "street 1", "postal address", "home address")
	add(fieldLine2, "address2", "address 2", "address line 2", "address line2", "addr2", "line2", "street2", "street 2",
		"apt", "apartment", "suite", "unit")
	add(fieldCity, "city", "town", "locality", "city name", "town city", "municipality")
	add(fieldRegion, "state", "province", "region", "state province", "state or province", "st", "state code",
		"county", "state/region", "prov", "province code")
	add(fieldPostal, "zip", "zip code", "zipcode", "postal code", "postcode", "post code", "zip5", "plz", "postal",
		"zip postal code", "postal zip", "pin code", "pincode", "cp", "code postal")
	add(fieldZIP4, "zip4", "zip 4", "plus4", "plus 4", "zip+4", "zip ext")
	add(fieldCountry, "country", "country code", "nation", "country name", "country region", "iso country")
	add(fieldLocale, "locale", "language", "lang", "preferred language", "language code", "notice language")
	add(fieldElements, "elements", "data_elements", "data elements", "exposed", "exposed elements", "exposed data",
		"data exposed", "compromised", "compromised data", "elements exposed", "breached data", "exposed data elements")
	add(fieldMinor, "minor", "is minor", "under 18", "under18")
	add(fieldDeceased, "deceased", "is deceased", "dead")
	add(fieldNoContact, "no_contact", "no contact", "do not contact", "do_not_contact", "dnc", "do not mail")
	return m
}()

// squash lower-cases s and drops everything but letters and digits, so that
// "E-mail Address" and "email_address" compare equal.
func squash(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// column is one input column and what it feeds.
type column struct {
	index  int
	header string
	field  field
	// element is the data element of a fieldFlag column.
	element breach.DataElement
	// sensitive is set when the column's name says it holds values Candor
	// refuses (SSNs, card numbers, passwords…): only yes/no values pass.
	sensitive *sensitiveKind
}

// mapping is the resolved header: one entry per input column.
type mapping struct {
	cols []column
	// byField holds the column index feeding each field, or -1. Flag
	// columns are listed in flags.
	byField [numFields]int
	flags   []int
}

// parseMapSpec turns the --map values (column → field name) into fields.
func parseField(name string) (field, breach.DataElement, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if rest, ok := strings.CutPrefix(n, "flag:"); ok {
		e, err := breach.ParseElement(rest)
		if err != nil {
			return 0, 0, err
		}
		return fieldFlag, e, nil
	}
	for f, names := range fieldNames {
		for _, fn := range names {
			if n == fn || squash(n) == squash(fn) {
				return field(f), 0, nil
			}
		}
	}
	var all []string
	for _, names := range fieldNames {
		all = append(all, names[0])
	}
	return 0, 0, breach.Errorf(breach.EINVALID, "--map: unknown field %q; fields are %s", name, strings.Join(all, ", "))
}

// resolveHeader maps each header column to a field: explicit --map entries
// first (matched by exact or squashed column name, or by 1-based column
// number), then the built-in aliases. The first column for a field wins.
func resolveHeader(header []string, explicit map[string]string) (*mapping, error) {
	m := &mapping{cols: make([]column, len(header))}
	for i := range m.byField {
		m.byField[i] = -1
	}
	for i, h := range header {
		m.cols[i] = column{index: i, header: h, field: fieldNone}
	}
	assigned := make([]bool, len(header))
	// Explicit mappings, in a stable order.
	keys := make([]string, 0, len(explicit))
	for k := range explicit {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		idx := findColumn(header, k)
		if idx < 0 {
			return nil, breach.Errorf(breach.EINVALID, "--map %s=%s: the file has no column %q (columns: %s)", k, explicit[k], k, quoteList(header))
		}
		f, e, err := parseField(explicit[k])
		if err != nil {
			return nil, err
		}
		m.cols[idx].field, m.cols[idx].element = f, e
		assigned[idx] = true
	}
	for i, h := range header {
		if assigned[i] {
			continue
		}
		if f, ok := headerAliases[squash(h)]; ok {
			m.cols[i].field = f
		}
	}
	for i := range m.cols {
		c := &m.cols[i]
		if c.field == fieldFlag {
			m.flags = append(m.flags, i)
			continue
		}
		if c.field == fieldNone {
			continue
		}
		if m.byField[c.field] >= 0 {
			if assigned[i] {
				// An explicit mapping displaces an alias match.
				prev := m.byField[c.field]
				if assigned[prev] {
					return nil, breach.Errorf(breach.EINVALID, "--map: columns %q and %q both map to %s", m.cols[prev].header, c.header, c.field)
				}
				m.cols[prev].field = fieldNone
			} else {
				c.field = fieldNone
				continue
			}
		}
		m.byField[c.field] = i
	}
	for i := range m.cols {
		// A column named like ssn or password is checked whatever it maps
		// to, even "ignore": its values would reach the quarantine file.
		if c := &m.cols[i]; c.field != fieldElements {
			c.sensitive = sensitiveColumn(c.header)
		}
	}
	return m, nil
}

func findColumn(header []string, name string) int {
	for i, h := range header {
		if strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(name)) {
			return i
		}
	}
	sq := squash(name)
	for i, h := range header {
		if squash(h) == sq && sq != "" {
			return i
		}
	}
	var n int
	if _, err := fmt.Sscanf(name, "%d", &n); err == nil && fmt.Sprint(n) == strings.TrimSpace(name) && n >= 1 && n <= len(header) {
		return n - 1
	}
	return -1
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// has reports whether some column feeds f.
func (m *mapping) has(f field) bool { return m.byField[f] >= 0 }

// ignored returns the headers of the columns that feed nothing.
func (m *mapping) ignored() []string {
	var out []string
	for _, c := range m.cols {
		if c.field == fieldNone {
			out = append(out, c.header)
		}
	}
	return out
}

// check verifies that the file can produce valid people at all, so that a
// misnamed header fails fast instead of quarantining every row.
func (m *mapping) check(wholeFile breach.ElementSet) error {
	if !m.has(fieldExternalID) && !m.has(fieldEmail) && !m.has(fieldName) && !m.has(fieldFirstName) && !m.has(fieldLastName) {
		return breach.Errorf(breach.EINVALID, "no column identifies a person (an id, e-mail or name column); columns: %s; map one with --map COLUMN=external_id|email|name", quoteList(m.headers()))
	}
	if !m.has(fieldEmail) && !m.has(fieldLine1) {
		return breach.Errorf(breach.EINVALID, "no column holds an e-mail or postal address, so no one could be notified; columns: %s; map one with --map COLUMN=email|address1", quoteList(m.headers()))
	}
	if wholeFile == 0 && !m.has(fieldElements) && len(m.flags) == 0 && !m.hasSensitiveFlags() {
		return breach.Errorf(breach.EINVALID, "no elements column and no --elements: say which data elements were exposed, for example --elements name,ssn")
	}
	return nil
}

func (m *mapping) hasSensitiveFlags() bool {
	for _, c := range m.cols {
		if c.sensitive != nil {
			return true
		}
	}
	return false
}

func (m *mapping) headers() []string {
	out := make([]string, len(m.cols))
	for i, c := range m.cols {
		out[i] = c.header
	}
	return out
}

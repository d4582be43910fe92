package breach

import (
	"fmt"
	"math/bits"
	"sort"
	"strings"
)

// DataElement is one kind of personal data that can be exposed in a breach,
// named from a fixed vocabulary that the law engine understands. Candor
// records which elements leaked for a person, never their values.
type DataElement uint8

// The vocabulary. The numeric values are stored (as bits of an ElementSet)
// and must never be reordered: add new elements at the end only.
const (
	ElementName DataElement = iota
	ElementSSN
	ElementDriversLicense
	ElementStateID
	ElementPassport
	ElementMilitaryID
	ElementTaxID
	ElementAccountNumber
	ElementCardNumber
	ElementAccountAccessCode
	ElementUsername
	ElementEmail
	ElementPassword
	ElementSecurityQA
	ElementDOB
	ElementMedical
	ElementHealthInsurance
	ElementBiometric
	ElementGenetic
	ElementMothersMaidenName
	ElementAddress
	ElementPhone
	ElementIPAddress
	ElementPreciseGeolocation
	ElementEmployeeID
	ElementSignature
	ElementDigitalSignature
	ElementWorkplaceID
	numElements
)

// ElementInfo documents one data element.
type ElementInfo struct {
	Element DataElement
	// Key is the stable machine name used in files, flags and JSON.
	Key string
	// Label is a short human label for tables.
	Label string
	// Plain is how a notice names the element to the person ("your Social
	// Security number").
	Plain string
	// Description says what the element covers.
	Description string
	// Spanish is the plain phrase in Spanish, for Spanish notices.
	Spanish string
}

var elementInfo = [numElements]ElementInfo{
	{ElementName, "name", "Name", "your name", "First name or initial and last name.", "su nombre"},
	{ElementSSN, "ssn", "Social Security number", "your Social Security number", "US Social Security number (full).", "su número de Seguro Social"},
	{ElementDriversLicense, "drivers_license", "Driver's license", "your driver's license number", "Driver's license number.", "su número de licencia de conducir"},
	{ElementStateID, "state_id", "State ID", "your state identification card number", "State or government identification card number other than a driver's license.", "su número de identificación estatal"},
	{ElementPassport, "passport", "Passport", "your passport number", "Passport number.", "su número de pasaporte"},
	{ElementMilitaryID, "military_id", "Military ID", "your military identification number", "Military identification number.", "su número de identificación militar"},
	{ElementTaxID, "tax_id", "Taxpayer ID", "your taxpayer identification number", "Individual taxpayer identification number (ITIN) or other tax ID.", "su número de identificación fiscal"},
	{ElementAccountNumber, "account_number", "Financial account number", "your financial account number", "Bank or other financial account number.", "su número de cuenta financiera"},
	{ElementCardNumber, "card_number", "Payment card number", "your payment card number", "Credit or debit card number.", "su número de tarjeta de pago"},
	{ElementAccountAccessCode, "account_access_code", "Account access code", "the security code, PIN or access code for your account", "Security code, access code, PIN or password that permits access to a financial account.", "el código de seguridad o PIN de su cuenta"},
	{ElementUsername, "username", "Username", "your username", "Username or login name for an online account.", "su nombre de usuario"},
	{ElementEmail, "email", "E-mail address", "your e-mail address", "E-mail address.", "su correo electrónico"},
	{ElementPassword, "password", "Password", "your password", "Password for an online account (in any form, including scrambled ones that can be guessed).", "su contraseña"},
	{ElementSecurityQA, "security_qa", "Security questions", "your security questions and answers", "Security questions and answers used to access an account.", "sus preguntas y respuestas de seguridad"},
	{ElementDOB, "dob", "Date of birth", "your date of birth", "Date of birth.", "su fecha de nacimiento"},
	{ElementMedical, "medical", "Medical information", "information about your medical history, treatment or diagnosis", "Medical history, condition, treatment or diagnosis.", "información sobre su historial médico"},
	{ElementHealthInsurance, "health_insurance", "Health insurance", "your health insurance information", "Health insurance policy or subscriber number and related information.", "la información de su seguro médico"},
	{ElementBiometric, "biometric", "Biometric data", "biometric data such as your fingerprint or face image", "Unique biometric data (fingerprint, retina or iris image, face geometry, voiceprint).", "sus datos biométricos"},
	{ElementGenetic, "genetic", "Genetic data", "your genetic information", "Genetic data or test results.", "su información genética"},
	{ElementMothersMaidenName, "mothers_maiden_name", "Mother's maiden name", "your mother's maiden name", "Mother's maiden name.", "el apellido de soltera de su madre"},
	{ElementAddress, "address", "Postal address", "your postal address", "Home or mailing address.", "su dirección postal"},
	{ElementPhone, "phone", "Phone number", "your phone number", "Telephone number.", "su número de teléfono"},
	{ElementIPAddress, "ip_address", "IP address", "the internet (IP) address of your device", "Internet Protocol address.", "la dirección IP de su dispositivo"},
	{ElementPreciseGeolocation, "precise_geolocation", "Precise location", "your precise location", "Precise geolocation data.", "su ubicación precisa"},
	{ElementEmployeeID, "employee_id", "Employee ID", "your employee identification number", "Employee identification number.", "su número de empleado"},
	{ElementSignature, "signature", "Handwritten signature", "an image of your handwritten signature", "Image or copy of a handwritten signature.", "una imagen de su firma"},
	{ElementDigitalSignature, "digital_signature", "Digital signature", "your electronic signature key", "Electronic or digital signature key.", "su firma electrónica"},
	{ElementWorkplaceID, "workplace_id", "Work credentials", "your workplace identification and credentials", "Workplace or professional licence number.", "su identificación laboral"},
}

var elementByKey = func() map[string]DataElement {
	m := make(map[string]DataElement, numElements)
	for _, info := range elementInfo {
		m[info.Key] = info.Element
	}
	return m
}()

// Elements returns the whole vocabulary in its fixed order.
func Elements() []ElementInfo {
	out := make([]ElementInfo, numElements)
	copy(out, elementInfo[:])
	return out
}

// Info returns the documentation of e.
func (e DataElement) Info() ElementInfo {
	if e >= numElements {
		return ElementInfo{Element: e, Key: fmt.Sprintf("element(%d)", e)}
	}
	return elementInfo[e]
}

// String returns the element's stable key, such as "ssn".
func (e DataElement) String() string { return e.Info().Key }

// ParseElement parses a key such as "ssn" or a common alias such as
// "social security number" or "SSN". The error is EINVALID and names the
// input.
func ParseElement(s string) (DataElement, error) {
	k := normaliseElementKey(s)
	if e, ok := elementByKey[k]; ok {
		return e, nil
	}
	if e, ok := elementAliases[k]; ok {
		return e, nil
	}
	return 0, Errorf(EINVALID, "unknown data element %q (see `candor elements` for the vocabulary)", s)
}

func normaliseElementKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	r := strings.NewReplacer(" ", "_", "-", "_", "'", "", "’", "", ".", "", "/", "_")
	return r.Replace(s)
}

var elementAliases = map[string]DataElement{
	"full_name": ElementName, "names": ElementName,
	"social_security_number": ElementSSN, "social_security": ElementSSN, "ss_number": ElementSSN,
	"driver_license": ElementDriversLicense, "drivers_licence": ElementDriversLicense, "driving_licence": ElementDriversLicense, "dl": ElementDriversLicense, "drivers_license_number": ElementDriversLicense,
	"state_id_number": ElementStateID, "government_id": ElementStateID,
	"passport_number": ElementPassport,
	"itin":            ElementTaxID, "tin": ElementTaxID, "taxpayer_id": ElementTaxID,
	"bank_account": ElementAccountNumber, "financial_account": ElementAccountNumber, "account": ElementAccountNumber,
	"credit_card": ElementCardNumber, "debit_card": ElementCardNumber, "card": ElementCardNumber, "payment_card": ElementCardNumber, "pan": ElementCardNumber,
	"pin": ElementAccountAccessCode, "access_code": ElementAccountAccessCode, "security_code": ElementAccountAccessCode, "cvv": ElementAccountAccessCode,
	"user_name": ElementUsername, "login": ElementUsername,
	"e_mail": ElementEmail, "email_address": ElementEmail,
	"passwords": ElementPassword, "password_hash": ElementPassword,
	"security_questions": ElementSecurityQA, "security_question": ElementSecurityQA,
	"date_of_birth": ElementDOB, "birthdate": ElementDOB, "birth_date": ElementDOB,
	"medical_information": ElementMedical, "health": ElementMedical, "phi": ElementMedical,
	"health_insurance_information": ElementHealthInsurance, "insurance": ElementHealthInsurance,
	"biometrics": ElementBiometric, "fingerprint": ElementBiometric,
	"dna":            ElementGenetic,
	"maiden_name":    ElementMothersMaidenName,
	"postal_address": ElementAddress, "mailing_address": ElementAddress, "home_address": ElementAddress,
	"phone_number": ElementPhone, "telephone": ElementPhone,
	"ip":          ElementIPAddress,
	"geolocation": ElementPreciseGeolocation, "location": ElementPreciseGeolocation,
	"employee_number": ElementEmployeeID,
}

// ElementSet is a set of data elements, stored as a bit mask so that sets
// can be merged, compared and grouped cheaply by the stores.
type ElementSet uint64

// NewElementSet returns the set holding the given elements.
func NewElementSet(es ...DataElement) ElementSet {
	var s ElementSet
	for _, e := range es {
		s = s.Add(e)
	}
	return s
}

// ParseElementSet parses a list such as "name,ssn" or "name; ssn" or
// "name|ssn" (case and spacing are ignored). An empty string is the empty set.
func ParseElementSet(s string) (ElementSet, error) {
	var set ElementSet
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '|' || r == '+' })
	for _, f := range fields {
		if strings.TrimSpace(f) == "" {
			continue
		}
		e, err := ParseElement(f)
		if err != nil {
			return 0, err
		}
		set = set.Add(e)
	}
	return set, nil
}

// Add returns s with e added.
func (s ElementSet) Add(e DataElement) ElementSet { return s | 1<<e }

// Has reports whether e is in s.
func (s ElementSet) Has(e DataElement) bool { return s&(1<<e) != 0 }

// HasAll reports whether every element of o is in s.
func (s ElementSet) HasAll(o ElementSet) bool { return s&o == o }

// HasAny reports whether s and o share an element.
func (s ElementSet) HasAny(o ElementSet) bool { return s&o != 0 }

// Union returns the elements in s or o.
func (s ElementSet) Union(o ElementSet) ElementSet { return s | o }

// Len returns the number of elements in s.
func (s ElementSet) Len() int { return bits.OnesCount64(uint64(s)) }

// Valid reports whether s holds only elements of the vocabulary.
func (s ElementSet) Valid() bool { return s>>numElements == 0 }

// Elements returns the members of s in vocabulary order.
func (s ElementSet) Elements() []DataElement {
	out := make([]DataElement, 0, s.Len())
	for e := DataElement(0); e < numElements; e++ {
		if s.Has(e) {
			out = append(out, e)
		}
	}
	return out
}

// Keys returns the keys of the members of s in vocabulary order.
func (s ElementSet) Keys() []string {
	out := make([]string, 0, s.Len())
	for _, e := range s.Elements() {
		out = append(out, e.String())
	}
	return out
}

// String returns the members' keys joined by "+", such as "name+ssn", or "-"
// for the empty set.
func (s ElementSet) String() string {
	if s == 0 {
		return "-"
	}
	return strings.Join(s.Keys(), "+")
}

// MarshalJSON encodes the set as a sorted array of keys.
func (s ElementSet) MarshalJSON() ([]byte, error) {
	keys := s.Keys()
	sort.Strings(keys)
	var b strings.Builder
	b.WriteByte('[')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + k + `"`)
	}
	b.WriteByte(']')
	return []byte(b.String()), nil
}

// UnmarshalJSON decodes an array of keys.
func (s *ElementSet) UnmarshalJSON(b []byte) error {
	str := strings.Trim(strings.TrimSpace(string(b)), "[]")
	str = strings.ReplaceAll(str, `"`, "")
	set, err := ParseElementSet(str)
	if err != nil {
		return err
	}
	*s = set
	return nil
}

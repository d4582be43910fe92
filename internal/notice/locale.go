package notice

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/candor-dev/candor/internal/breach"
)

// lang holds the words and formats of one notice language.
type lang struct {
	code   string
	months [12]string
	// date formats a date: "November 2, 2026", "2 de noviembre de 2026".
	date func(l *lang, t time.Time) string
	// between, on and since phrase the dates of the breach.
	between, on, since string
	and                string
	thousands          byte
	// customer is the salutation when the name is unknown: "%s customer".
	customer string
	// page is the letter footer: "Page %d of %d".
	page string
	// elementPhrase names an element in plain words.
	elementPhrase func(e breach.DataElement) string
	// draftMark marks previews that are not approved.
	draftMark string
	// reference labels the reference code in letters.
	reference string
}

var english = &lang{
	code:   "en",
	months: [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	date: func(l *lang, t time.Time) string {
		return l.months[t.Month()-1] + " " + strconv.Itoa(t.Day()) + ", " + strconv.Itoa(t.Year())
	},
	between: "between %s and %s", on: "on %s", since: "starting on %s", and: "and", thousands: ',',
	customer: "%s customer", page: "Page %d of %d",
	elementPhrase: func(e breach.DataElement) string { return e.Info().Plain },
	draftMark:     "DRAFT: NOT APPROVED",
	reference:     "Reference",
}

var spanish = &lang{
	code: "es",
	months: [12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
		"noviembre", "diciembre"},
	date: func(l *lang, t time.Time) string {
		return strconv.Itoa(t.Day()) + " de " + l.months[t.Month()-1] + " de " + strconv.Itoa(t.Year())
	},
	between: "entre el %s y el %s", on: "el %s", since: "a partir del %s", and: "y", thousands: '.',
	customer: "cliente de %s", page: "Página %d de %d",
	elementPhrase: func(e breach.DataElement) string {
		if s := e.Info().Spanish; s != "" {
			return s
		}
		return e.Info().Plain
	},
	draftMark: "BORRADOR: NO APROBADO",
	reference: "Referencia",
}

func langFor(code string) *lang {
	if code == "es" {
		return spanish
	}
	return english
}

// baseLocale reduces a BCP 47 tag such as "es-MX" to "es".
func baseLocale(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return tag
}

// formatCount writes n with thousands separators.
func formatCount(n int64, sep byte) string {
	s := strconv.FormatInt(n, 10)
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	pre := len(s) % 3
	if pre > 0 {
		b.WriteString(s[:pre])
	}
	for i := pre; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(sep)
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// joinList joins phrases as "a, b and c".
func joinList(items []string, and string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + and + " " + items[len(items)-1]
}

// capitalize upper-cases the first letter.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

package law_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// icsEvent is a parsed VEVENT: property name (without parameters) → value,
// plus the raw DTSTART line.
type icsEvent map[string]string

// parseICS checks the RFC 5545 rules Candor relies on — CRLF line ends,
// lines of at most 75 octets, folding that keeps UTF-8 whole, balanced
// BEGIN/END, the required calendar and event properties — and returns the
// events.
func parseICS(t *testing.T, b []byte) []icsEvent {
	t.Helper()
	s := string(b)
	if !strings.HasSuffix(s, "\r\n") {
		t.Fatal("calendar does not end with CRLF")
	}
	raw := strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
	var lines []string
	for i, l := range raw {
		if strings.ContainsAny(l, "\r\n") {
			t.Fatalf("line %d has a bare CR or LF: %q", i+1, l)
		}
		if len(l) > 75 {
			t.Errorf("line %d is %d octets, more than 75: %q", i+1, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a UTF-8 sequence: %q", i+1, l)
		}
		if strings.HasPrefix(l, " ") {
			if len(lines) == 0 {
				t.Fatal("calendar starts with a continuation line")
			}
			lines[len(lines)-1] += l[1:]
			continue
		}
		lines = append(lines, l)
	}
	var (
		stack  []string
		events []icsEvent
		cur    icsEvent
		cal    = map[string]bool{}
	)
	nameRe := regexp.MustCompile(`^[A-Z][A-Z0-9-]*$`)
	for _, l := range lines {
		nameParams, value, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("content line without a colon: %q", l)
		}
		name, _, _ := strings.Cut(nameParams, ";")
		if !nameRe.MatchString(name) {
			t.Fatalf("bad property name %q", name)
		}
		switch name {
		case "BEGIN":
			stack = append(stack, value)
			if value == "VEVENT" {
				cur = icsEvent{}
			}
			continue
		case "END":
			if len(stack) == 0 || stack[len(stack)-1] != value {
				t.Fatalf("END:%s does not close %v", value, stack)
			}
			stack = stack[:len(stack)-1]
			if value == "VEVENT" {
				events = append(events, cur)
				cur = nil
			}
			continue
		}
		switch {
		case len(stack) == 1 && stack[0] == "VCALENDAR":
			cal[name] = true
		case len(stack) == 2 && stack[1] == "VEVENT":
			if name == "DTSTART" {
				cur["DTSTART-LINE"] = l
			}
			cur[name] = value
		}
	}
	if len(stack) != 0 {
		t.Fatalf("unclosed components: %v", stack)
	}
	if !cal["VERSION"] || !cal["PRODID"] {
		t.Errorf("calendar lacks VERSION or PRODID")
	}
	uids := map[string]bool{}
	dateLine := regexp.MustCompile(`^DTSTART;VALUE=DATE:\d{8}$`)
	for _, e := range events {
		for _, p := range []string{"UID", "DTSTAMP", "DTSTART", "SUMMARY"} {
			if e[p] == "" {
				t.Errorf("event lacks %s: %v", p, e)
			}
		}
		if uids[e["UID"]] {
			t.Errorf("duplicate UID %s", e["UID"])
		}
		uids[e["UID"]] = true
		if !dateLine.MatchString(e["DTSTART-LINE"]) {
			t.Errorf("DTSTART is not an all-day date: %q", e["DTSTART-LINE"])
		}
		if e["DTSTAMP"] != "20261201T120000Z" {
			t.Errorf("DTSTAMP = %q", e["DTSTAMP"])
		}
	}
	return events
}

func unescapeICS(s string) string {
	return strings.NewReplacer(`\\`, `\`, `\;`, ";", `\,`, ",", `\n`, "\n", `\N`, "\n").Replace(s)
}

func TestWriteICS(t *testing.T) {
	reg := mustLoadFixtures(t)
	p := mustAssessFile(t, reg, "testdata/engine/cross-border.yaml")
	var buf bytes.Buffer
	if err := p.WriteICS(&buf, "Candor: incident 7 deadlines", fixedNow); err != nil {
		t.Fatal(err)
	}
	events := parseICS(t, buf.Bytes())
	var got []string
	for _, e := range events {
		got = append(got, e["DTSTART"]+" "+unescapeICS(e["SUMMARY"]))
	}
	want := []string{
		"20261105 Deadline: notify the Supervisory authority (DE, eu_gdpr)",
		"20261202 Deadline: notify the Texas Attorney General (US-TX, US-TX)",
		"20270101 Deadline: notify affected residents of Texas (US-TX, US-TX)",
		"20261105 Target (no fixed deadline): notify affected people in DE (DE, eu_gdpr)",
		"20261109 Our goal: everyone notified (7 days after discovery)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	desc := unescapeICS(events[1]["DESCRIPTION"])
	if !strings.Contains(desc, "312 residents ≥ 250 → notify the Texas Attorney General") || !strings.Contains(desc, "not legal advice") {
		t.Errorf("description lacks the reason or the disclaimer:\n%s", desc)
	}
	if !strings.Contains(unescapeICS(events[0]["DESCRIPTION"]), "Due at 2026-11-05 09:00 -05:00.") {
		t.Errorf("72-hour event lacks its exact time")
	}

	// The same plan gives the same UIDs, so a re-import updates events.
	var again bytes.Buffer
	if err := p.WriteICS(&again, "Candor: incident 7 deadlines", fixedNow); err != nil {
		t.Fatal(err)
	}
	if again.String() != buf.String() {
		t.Error("calendar is not deterministic")
	}
}

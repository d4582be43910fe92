package law

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// WriteICS writes the plan's dates as an RFC 5545 calendar: one all-day
// event per required obligation on its deadline (or, with no fixed
// deadline, on its recommended target), and one for the seven-day goal.
// Each deadline event carries an alarm two days before. UIDs are stable
// for the same incident and obligation, so re-importing updates events.
// now is the DTSTAMP; name titles the calendar.
func (p *Plan) WriteICS(w io.Writer, name string, now time.Time) error {
	cw := &icsWriter{w: bufio.NewWriter(w)}
	stamp := now.UTC().Format("20060102T150405Z")
	cw.line("BEGIN:VCALENDAR")
	cw.line("VERSION:2.0")
	cw.line("PRODID:-//Candor//Breach notification deadlines//EN")
	cw.line("CALSCALE:GREGORIAN")
	cw.line("METHOD:PUBLISH")
	cw.prop("X-WR-CALNAME", name)

	disc := p.Discovered.Format(time.RFC3339)
	for _, o := range p.Obligations {
		if !o.Required {
			continue
		}
		day := o.When()
		if day == nil {
			continue
		}
		kind := "Deadline"
		if o.Deadline == nil {
			kind = "Target (no fixed deadline)"
		}
		if o.Conditional {
			kind = "If it applies: " + strings.ToLower(kind[:1]) + kind[1:]
		}
		summary := fmt.Sprintf("%s: notify %s (%s, %s)", kind, o.RecipientPhrase(), o.Jurisdiction, o.Regime)
		var desc strings.Builder
		fmt.Fprintf(&desc, "%s\n\nWhy: %s\n\nThe law: %s (%s; reviewed %s)\n", summary, o.Why, o.DeadlineText, o.Citation, o.Reviewed)
		if o.DeadlineAt != nil {
			fmt.Fprintf(&desc, "Due at %s.\n", o.DeadlineAt.Format("2006-01-02 15:04 -07:00"))
		}
		if o.Condition != "" {
			fmt.Fprintf(&desc, "Only if: %s\n", o.Condition)
		}
		if o.EarlierThanTarget {
			desc.WriteString("Falls before our seven-day goal: meet it first.\n")
		}
		desc.WriteString("\n" + Disclaimer)
		uid := icsUID(disc, o.Regime, o.Jurisdiction, o.Audience, o.Recipient, o.DeadlineText)
		cw.event(uid, stamp, *day, summary, desc.String(), true)
	}
	goal := fmt.Sprintf("Our goal: everyone notified (%d days after discovery)", SevenDayGoal)
	cw.event(icsUID(disc, "seven-day-goal"), stamp, p.SevenDay.Date, goal, p.SevenDay.Text+"\n\n"+Disclaimer, false)
	cw.line("END:VCALENDAR")
	if cw.err != nil {
		return cw.err
	}
	return cw.w.Flush()
}

type icsWriter struct {
	w   *bufio.Writer
	err error
}

func (cw *icsWriter) event(uid, stamp string, day Date, summary, desc string, alarm bool) {
	date := fmt.Sprintf("%04d%02d%02d", day.Year, int(day.Month), day.Day)
	next := day.AddDays(1)
	cw.line("BEGIN:VEVENT")
	cw.line("UID:" + uid)
	cw.line("DTSTAMP:" + stamp)
	cw.line("DTSTART;VALUE=DATE:" + date)
	cw.line(fmt.Sprintf("DTEND;VALUE=DATE:%04d%02d%02d", next.Year, int(next.Month), next.Day))
	cw.prop("SUMMARY", summary)
	cw.prop("DESCRIPTION", desc)
	cw.line("TRANSP:TRANSPARENT")
	if alarm {
		cw.line("BEGIN:VALARM")
		cw.line("ACTION:DISPLAY")
		cw.prop("DESCRIPTION", summary)
		cw.line("TRIGGER:-P2D")
		cw.line("END:VALARM")
	}
	cw.line("END:VEVENT")
}

// prop writes a TEXT property, escaped.
func (cw *icsWriter) prop(name, value string) { cw.line(name + ":" + icsEscape(value)) }

// line writes a content line folded at 75 octets (RFC 5545 §3.1) without
// splitting a UTF-8 sequence, ending in CRLF.
func (cw *icsWriter) line(s string) {
	if cw.err != nil {
		return
	}
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		_, cw.err = cw.w.WriteString(s[:cut] + "\r\n ")
		s = s[cut:]
		limit = 74 // continuation lines begin with a space
	}
	if cw.err == nil {
		_, cw.err = cw.w.WriteString(s + "\r\n")
	}
}

func icsEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`).Replace(s)
}

func icsUID(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:12]) + "@candor"
}

package deliver

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
)

// DSN is a delivery status notification (RFC 3464): the report a mail
// server sends back about a message it could not deliver (or delayed).
type DSN struct {
	// MessageID is the Message-ID of the original message, when the report
	// includes it (most do).
	MessageID    string         `json:"message_id,omitempty"`
	ReportingMTA string         `json:"reporting_mta,omitempty"`
	Date         time.Time      `json:"date"`
	Recipients   []DSNRecipient `json:"recipients"`
}

// DSNRecipient is the report on one recipient.
type DSNRecipient struct {
	// Recipient is the address the report is about (Original-Recipient
	// when given, else Final-Recipient), without its "rfc822;" type.
	Recipient string `json:"recipient"`
	// Action is failed, delayed, delivered, relayed or expanded.
	Action string `json:"action"`
	// Status is the enhanced status code, such as 5.1.1.
	Status     string `json:"status"`
	Diagnostic string `json:"diagnostic,omitempty"`
	RemoteMTA  string `json:"remote_mta,omitempty"`
}

// Permanent reports a final failure.
func (r DSNRecipient) Permanent() bool { return r.Action == "failed" }

// Detail describes the failure for the ledger.
func (r DSNRecipient) Detail(reporter string) string {
	s := r.Status
	if r.Diagnostic != "" {
		s += " (" + r.Diagnostic + ")"
	}
	if reporter != "" {
		s += " reported by " + reporter
	}
	return strings.TrimSpace(s)
}

// ErrNotDSN is returned by ParseDSN for a message that is not a delivery
// status report.
var ErrNotDSN = errors.New("not a delivery status notification")

// ParseDSN parses one message. It returns ErrNotDSN (wrapped) when the
// message is not a multipart/report with a delivery-status part.
func ParseDSN(r io.Reader) (*DSN, error) {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return nil, fmt.Errorf("read message: %w", err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/report" || params["boundary"] == "" {
		return nil, fmt.Errorf("%w: content type %q", ErrNotDSN, msg.Header.Get("Content-Type"))
	}
	d := &DSN{}
	if date, err := msg.Header.Date(); err == nil {
		d.Date = date
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	found := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("read report part: %w", err)
		}
		pt, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		switch pt {
		case "message/delivery-status", "message/global-delivery-status":
			if err := d.parseStatus(part); err != nil {
				return nil, err
			}
			found = true
		case "message/rfc822", "text/rfc822-headers", "message/global", "message/global-headers":
			hdr, err := textproto.NewReader(bufio.NewReader(part)).ReadMIMEHeader()
			if err == nil || len(hdr) > 0 {
				d.MessageID = strings.TrimSpace(hdr.Get("Message-Id"))
			}
		}
	}
	if !found {
		return nil, fmt.Errorf("%w: no delivery-status part", ErrNotDSN)
	}
	return d, nil
}

// parseStatus reads the per-message group and the per-recipient groups,
// which are separated by blank lines.
func (d *DSN) parseStatus(r io.Reader) error {
	body, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("read delivery status: %w", err)
	}
	var groups []string
	var cur strings.Builder
	for _, line := range strings.Split(strings.ReplaceAll(string(body), "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			if cur.Len() > 0 {
				groups = append(groups, cur.String())
				cur.Reset()
			}
			continue
		}
		cur.WriteString(line + "\r\n")
	}
	if cur.Len() > 0 {
		groups = append(groups, cur.String())
	}
	for i, g := range groups {
		h, err := textproto.NewReader(bufio.NewReader(strings.NewReader(g + "\r\n"))).ReadMIMEHeader()
		if err != nil && len(h) == 0 {
			return fmt.Errorf("parse delivery status: %w", err)
		}
		if i == 0 {
			d.ReportingMTA = typedValue(h.Get("Reporting-Mta"))
			if h.Get("Final-Recipient") == "" {
				continue
			}
		}
		rcpt := DSNRecipient{
			Recipient:  typedValue(h.Get("Original-Recipient")),
			Action:     strings.ToLower(strings.TrimSpace(h.Get("Action"))),
			Status:     strings.TrimSpace(h.Get("Status")),
			Diagnostic: strings.Join(strings.Fields(h.Get("Diagnostic-Code")), " "),
			RemoteMTA:  typedValue(h.Get("Remote-Mta")),
		}
		if rcpt.Recipient == "" {
			rcpt.Recipient = typedValue(h.Get("Final-Recipient"))
		}
		if rcpt.Recipient != "" {
			d.Recipients = append(d.Recipients, rcpt)
		}
	}
	return nil
}

// typedValue strips the address type of a DSN field ("rfc822; a@b" → "a@b").
func typedValue(s string) string {
	s = strings.TrimSpace(s)
	if _, v, ok := strings.Cut(s, ";"); ok {
		s = strings.TrimSpace(v)
	}
	return strings.Trim(s, "<>")
}

// ReadMessages calls fn with each message of r: an mbox (messages after
// "From " lines, ">From" unquoted) or a single message.
func ReadMessages(r io.Reader, fn func(msg []byte) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(5)
	if string(head) != "From " {
		msg, err := io.ReadAll(br)
		if err != nil {
			return err
		}
		return fn(msg)
	}
	var (
		cur     bytes.Buffer
		started bool
	)
	flush := func() error {
		if !started {
			return nil
		}
		msg := bytes.TrimSuffix(cur.Bytes(), []byte("\n"))
		err := fn(append([]byte(nil), msg...))
		cur.Reset()
		return err
	}
	for {
		line, err := br.ReadBytes('\n')
		switch {
		case len(line) == 0:
		case bytes.HasPrefix(line, []byte("From ")):
			// mboxrd quotes every "From " line of a message, so an
			// unquoted one starts the next message.
			if ferr := flush(); ferr != nil {
				return ferr
			}
			started = true
		case line[0] == '>' && bytes.HasPrefix(bytes.TrimLeft(line, ">"), []byte("From ")):
			cur.Write(line[1:])
		default:
			cur.Write(line)
		}
		if errors.Is(err, io.EOF) {
			return flush()
		} else if err != nil {
			return err
		}
	}
}

// writeMbox appends one message in mboxrd format.
func writeMbox(w io.Writer, from string, at time.Time, data []byte) error {
	if from == "" {
		from = "MAILER-DAEMON"
	}
	var b bytes.Buffer
	b.Grow(len(data) + 128)
	fmt.Fprintf(&b, "From %s %s\n", from, at.UTC().Format(time.ANSIC))
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i+1], data[i+1:]
		} else {
			data = nil
		}
		line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
		if bytes.HasPrefix(bytes.TrimLeft(line, ">"), []byte("From ")) {
			b.WriteByte('>')
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	_, err := w.Write(b.Bytes())
	return err
}

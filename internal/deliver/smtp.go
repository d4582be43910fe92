package deliver

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/wneessen/go-mail/smtp"

	"github.com/candor-dev/candor/internal/breach"
)

// SMTPOptions says how to reach the mail server.
type SMTPOptions struct {
	Host string
	Port int
	// TLS is none, starttls (required, not opportunistic) or tls (implicit
	// TLS, usually port 465).
	TLS      string
	Username string
	Password string
	// TLSConfig overrides the default TLS settings (tests trust their own
	// certificate with it); ServerName defaults to Host.
	TLSConfig *tls.Config
	// Timeout bounds each dial and each message's exchange.
	Timeout time.Duration
	// LocalName is the name given in EHLO; default "localhost".
	LocalName string
	// MaxPerConnection closes a connection after this many messages (some
	// servers limit them); 0 means no limit.
	MaxPerConnection int
}

// Addr returns host:port.
func (o SMTPOptions) Addr() string { return net.JoinHostPort(o.Host, strconv.Itoa(o.Port)) }

// Validate checks the options.
func (o SMTPOptions) Validate() error {
	if o.Host == "" {
		return breach.Errorf(breach.EINVALID, "smtp: host required")
	}
	if o.Port <= 0 || o.Port > 65535 {
		return breach.Errorf(breach.EINVALID, "smtp: port %d out of range", o.Port)
	}
	switch o.TLS {
	case "none", "starttls", "tls":
	default:
		return breach.Errorf(breach.EINVALID, "smtp: tls %q is not none, starttls or tls", o.TLS)
	}
	if o.Username != "" && o.TLS == "none" && !isLoopback(o.Host) {
		return breach.Errorf(breach.EINVALID, "smtp: refusing to send a password to %s without TLS (set smtp.tls to starttls or tls)", o.Host)
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// conn is one SMTP connection, reused for many messages. It uses go-mail's
// SMTP client for the session (EHLO, STARTTLS, AUTH) and sends each message
// with the MAIL, RCPT and DATA commands pipelined (RFC 2920) when the
// server offers PIPELINING: one round trip instead of three.
type conn struct {
	raw        net.Conn
	c          *smtp.Client
	pipelining bool
	eightBit   bool
	sent       int
	data       []byte // the dot-stuffed DATA of the message being sent
	timeout    time.Duration
}

// dial opens and prepares a connection: TLS as configured, EHLO, AUTH.
func dial(ctx context.Context, o SMTPOptions) (*conn, error) {
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	d := net.Dialer{Timeout: timeout}
	raw, err := d.DialContext(ctx, "tcp", o.Addr())
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", o.Addr(), err)
	}
	tlsConfig := o.TLSConfig
	if tlsConfig == nil {
		tlsConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	} else {
		tlsConfig = tlsConfig.Clone()
	}
	if tlsConfig.ServerName == "" {
		tlsConfig.ServerName = o.Host
	}
	if o.TLS == "tls" {
		tc := tls.Client(raw, tlsConfig)
		_ = tc.SetDeadline(time.Now().Add(timeout))
		if err := tc.HandshakeContext(ctx); err != nil {
			raw.Close()
			return nil, fmt.Errorf("TLS with %s: %w", o.Addr(), err)
		}
		raw = tc
	}
	_ = raw.SetDeadline(time.Now().Add(timeout))
	c, err := smtp.NewClient(raw, o.Host)
	if err != nil {
		raw.Close()
		return nil, fmt.Errorf("greeting from %s: %w", o.Addr(), err)
	}
	fail := func(what string, err error) (*conn, error) {
		c.Close()
		return nil, fmt.Errorf("%s with %s: %w", what, o.Addr(), err)
	}
	local := o.LocalName
	if local == "" {
		local = "localhost"
	}
	if err := c.Hello(local); err != nil {
		return fail("EHLO", err)
	}
	if o.TLS == "starttls" {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return fail("STARTTLS", errors.New("the server does not offer STARTTLS (set smtp.tls = \"none\" only for a local server)"))
		}
		if err := c.StartTLS(tlsConfig); err != nil {
			return fail("STARTTLS", err)
		}
	}
	if o.Username != "" {
		auth, err := chooseAuth(c, o)
		if err != nil {
			return fail("AUTH", err)
		}
		if err := c.Auth(auth); err != nil {
			return fail("AUTH", err)
		}
	}
	pipelining, _ := c.Extension("PIPELINING")
	eightBit, _ := c.Extension("8BITMIME")
	// The session is set up: from here on the raw connection carries the
	// transactions, each under its own deadline.
	return &conn{raw: raw, c: c, pipelining: pipelining, eightBit: eightBit, timeout: timeout}, nil
}

// chooseAuth picks the strongest mechanism the server offers.
func chooseAuth(c *smtp.Client, o SMTPOptions) (smtp.Auth, error) {
	ok, mechs := c.Extension("AUTH")
	if !ok {
		return nil, errors.New("the server does not offer AUTH")
	}
	offered := map[string]bool{}
	for _, m := range strings.Fields(strings.ToUpper(mechs)) {
		offered[m] = true
	}
	// go-mail refuses PLAIN and LOGIN without TLS unless told otherwise;
	// Validate already refused a password in clear text off this machine.
	clearOK := o.TLS == "none"
	switch {
	case offered["SCRAM-SHA-256"]:
		return smtp.ScramSHA256Auth(o.Username, o.Password), nil
	case offered["PLAIN"]:
		return smtp.PlainAuth("", o.Username, o.Password, o.Host, clearOK), nil
	case offered["LOGIN"]:
		return smtp.LoginAuth(o.Username, o.Password, o.Host, clearOK), nil
	case offered["CRAM-MD5"]:
		return smtp.CRAMMD5Auth(o.Username, o.Password), nil
	}
	return nil, fmt.Errorf("no supported AUTH mechanism among %q", mechs)
}

// close ends the session politely, or just drops it when broken.
func (c *conn) close() {
	_ = c.raw.SetDeadline(time.Now().Add(2 * time.Second))
	_ = c.c.Quit()
	c.c.Close()
}

// SendError is a failed send: the server's reply code and text when it
// answered, or the network error, and the stage it happened at.
type SendError struct {
	// Stage is mail, rcpt, data (the DATA command) or body (the message
	// and its final dot).
	Stage string
	Code  int
	Msg   string
	Err   error
	// HandedOver is set when the message had been fully written when the
	// connection failed: the server may have accepted it.
	HandedOver bool
	// Dropped is set when the connection cannot carry another message.
	Dropped bool
}

func (e *SendError) Error() string {
	if e.Code > 0 {
		return fmt.Sprintf("%s: %d %s", e.Stage, e.Code, e.Msg)
	}
	return fmt.Sprintf("%s: %v", e.Stage, e.Err)
}

func (e *SendError) Unwrap() error { return e.Err }

// Reply returns the server's reply as "451 4.7.1 …", or "".
func (e *SendError) Reply() string {
	if e.Code == 0 {
		return ""
	}
	return strconv.Itoa(e.Code) + " " + e.Msg
}

// Permanent reports a 5xx reply.
func (e *SendError) Permanent() bool { return e.Code >= 500 }

// Broken reports a network failure or a connection that could not be
// reset: it must be dropped.
func (e *SendError) Broken() bool { return e.Code == 0 || e.Dropped }

func protoError(stage string, err error) *SendError {
	var te *textproto.Error
	if errors.As(err, &te) {
		return &SendError{Stage: stage, Code: te.Code, Msg: te.Msg, Err: err}
	}
	return &SendError{Stage: stage, Err: err}
}

// send transmits one message and returns the server's final reply
// ("250 2.0.0 Ok: queued as …"). A reply error leaves the connection
// usable (the transaction is reset); a *SendError that is Broken does not.
func (c *conn) send(from, to string, msg []byte) (string, error) {
	_ = c.raw.SetDeadline(time.Now().Add(c.timeout))
	t := c.c.Text
	body := ""
	if c.eightBit {
		body = " BODY=8BITMIME"
	}
	if c.pipelining {
		// MAIL, RCPT and DATA in one write; then the three replies.
		if _, err := fmt.Fprintf(t.W, "MAIL FROM:<%s>%s\r\nRCPT TO:<%s>\r\nDATA\r\n", from, body, to); err != nil {
			return "", &SendError{Stage: "mail", Err: err}
		}
		if err := t.W.Flush(); err != nil {
			return "", &SendError{Stage: "mail", Err: err}
		}
		var first *SendError
		for _, step := range []struct {
			stage string
			code  int
		}{{"mail", 250}, {"rcpt", 25}, {"data", 354}} {
			_, _, err := t.ReadResponse(step.code)
			if err == nil {
				continue
			}
			se := protoError(step.stage, err)
			if se.Broken() {
				return "", se
			}
			if first == nil {
				first = se
			}
		}
		if first != nil {
			// DATA was refused too (no valid recipient): reset and report
			// the first refusal.
			return "", c.reset(first)
		}
	} else {
		if _, _, err := c.cmd(250, "MAIL FROM:<%s>%s", from, body); err != nil {
			return "", c.reset(protoError("mail", err))
		}
		if _, _, err := c.cmd(25, "RCPT TO:<%s>", to); err != nil {
			return "", c.reset(protoError("rcpt", err))
		}
		if _, _, err := c.cmd(354, "DATA"); err != nil {
			return "", c.reset(protoError("data", err))
		}
	}
	// The whole DATA in one write: bufio passes a large write on to the
	// connection directly when its buffer is empty, as it is here.
	c.data = appendDotted(c.data[:0], msg)
	if _, err := t.W.Write(c.data); err != nil {
		return "", &SendError{Stage: "body", Err: err, HandedOver: true}
	}
	if err := t.W.Flush(); err != nil {
		return "", &SendError{Stage: "body", Err: err, HandedOver: true}
	}
	code, text, err := t.ReadResponse(250)
	if err != nil {
		se := protoError("body", err)
		se.HandedOver = se.Broken()
		return "", se
	}
	c.sent++
	return strconv.Itoa(code) + " " + text, nil
}

func (c *conn) cmd(expect int, format string, args ...any) (int, string, error) {
	t := c.c.Text
	id, err := t.Cmd(format, args...)
	if err != nil {
		return 0, "", err
	}
	t.StartResponse(id)
	defer t.EndResponse(id)
	return t.ReadResponse(expect)
}

// reset sends RSET after a refused transaction so the connection can carry
// the next one; a connection that cannot be reset is reported broken.
func (c *conn) reset(se *SendError) error {
	if se.Broken() {
		return se
	}
	if _, _, err := c.cmd(250, "RSET"); err != nil {
		se.Dropped = true
	}
	return se
}

// appendDotted appends msg as the DATA of a transaction (RFC 5321 4.5.2):
// every line ends in CRLF, a line starting with a dot gets another, and a
// line holding a single dot ends it. It works a line at a time rather than
// a byte at a time as textproto's DotWriter does.
func appendDotted(dst, msg []byte) []byte {
	for len(msg) > 0 {
		line := msg
		if i := bytes.IndexByte(msg, '\n'); i >= 0 {
			line, msg = msg[:i], msg[i+1:]
		} else {
			msg = nil
		}
		line = bytes.TrimSuffix(line, []byte{'\r'})
		if len(line) > 0 && line[0] == '.' {
			dst = append(dst, '.')
		}
		dst = append(dst, line...)
		dst = append(dst, '\r', '\n')
	}
	return append(dst, '.', '\r', '\n')
}

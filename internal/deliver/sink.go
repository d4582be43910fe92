package deliver

import (
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Sink is a real SMTP server (emersion/go-smtp) run inside the process. The
// demo sends to one when no mail server is configured; tests and the
// benchmark use it as the far end. By default it accepts and discards
// every message.
type Sink struct {
	opts     SinkOptions
	srv      *smtp.Server
	ln       net.Listener
	received atomic.Int64
	bytes    atomic.Int64
	done     chan struct{}
}

// SinkOptions shape a Sink.
type SinkOptions struct {
	// Addr to listen on; default 127.0.0.1:0 (a free port).
	Addr string
	// TLSConfig enables STARTTLS, or implicit TLS with ImplicitTLS.
	TLSConfig   *tls.Config
	ImplicitTLS bool
	// Username and Password, when set, require AUTH PLAIN.
	Username, Password string
	// Rcpt, when set, may refuse a recipient with an error (a
	// *smtp.SMTPError chooses the reply).
	Rcpt func(to string) error
	// Message, when set, is called with each message read in full; an
	// error refuses it. Without it the data are discarded unread.
	Message func(m *SinkMessage) error
}

// SinkMessage is one message a Sink received.
type SinkMessage struct {
	From string
	To   []string
	Data []byte
	At   time.Time
}

// StartSink listens and serves until Close.
func StartSink(opts SinkOptions) (*Sink, error) {
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	s := &Sink{opts: opts, done: make(chan struct{})}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &sinkSession{sink: s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true
	s.srv.ReadTimeout, s.srv.WriteTimeout = time.Minute, time.Minute
	s.srv.MaxMessageBytes = 32 << 20
	s.srv.ErrorLog = discardLogger{}
	var err error
	if opts.ImplicitTLS && opts.TLSConfig != nil {
		s.ln, err = tls.Listen("tcp", opts.Addr, opts.TLSConfig)
	} else {
		s.srv.TLSConfig = opts.TLSConfig
		s.ln, err = net.Listen("tcp", opts.Addr)
	}
	if err != nil {
		return nil, err
	}
	go func() {
		defer close(s.done)
		_ = s.srv.Serve(s.ln)
	}()
	return s, nil
}

// Host returns the host the sink listens on.
func (s *Sink) Host() string {
	h, _, _ := net.SplitHostPort(s.ln.Addr().String())
	return h
}

// Port returns the port the sink listens on.
func (s *Sink) Port() int {
	_, p, _ := net.SplitHostPort(s.ln.Addr().String())
	n, _ := strconv.Atoi(p)
	return n
}

// Received returns the number of messages accepted so far.
func (s *Sink) Received() int64 { return s.received.Load() }

// Bytes returns the number of message bytes accepted so far.
func (s *Sink) Bytes() int64 { return s.bytes.Load() }

// Close stops the server and its connections.
func (s *Sink) Close() error {
	err := s.srv.Close()
	<-s.done
	if errors.Is(err, smtp.ErrServerClosed) {
		err = nil
	}
	return err
}

type sinkSession struct {
	sink   *Sink
	from   string
	to     []string
	authed bool
}

func (ss *sinkSession) AuthMechanisms() []string {
	if ss.sink.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *sinkSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != ss.sink.opts.Username || password != ss.sink.opts.Password {
			return smtp.ErrAuthFailed
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
	if ss.sink.opts.Username != "" && !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if f := ss.sink.opts.Rcpt; f != nil {
		if err := f(to); err != nil {
			return err
		}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *sinkSession) Data(r io.Reader) error {
	if f := ss.sink.opts.Message; f != nil {
		var buf bytes.Buffer
		if _, err := buf.ReadFrom(r); err != nil {
			return err
		}
		m := &SinkMessage{From: ss.from, To: append([]string(nil), ss.to...), Data: buf.Bytes(), At: time.Now()}
		if err := f(m); err != nil {
			return err
		}
		ss.sink.bytes.Add(int64(buf.Len()))
	} else {
		n, err := io.Copy(io.Discard, r)
		if err != nil {
			return err
		}
		ss.sink.bytes.Add(n)
	}
	ss.sink.received.Add(1)
	return nil
}

func (ss *sinkSession) Reset() { ss.from, ss.to = "", nil }

func (ss *sinkSession) Logout() error { return nil }

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}
func (discardLogger) Println(...any)        {}

// Mbox appends each message to w in mbox format (From_ lines, >From
// quoting), safe for concurrent sessions; use it as SinkOptions.Message.
func Mbox(w io.Writer) func(m *SinkMessage) error {
	var mu sync.Mutex
	return func(m *SinkMessage) error {
		mu.Lock()
		defer mu.Unlock()
		return writeMbox(w, m.From, m.At, m.Data)
	}
}

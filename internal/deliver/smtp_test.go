package deliver_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"log/slog"
	"math/big"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/deliver"
)

func TestWriteDotted(t *testing.T) {
	tests := []struct {
		name, msg, want string
	}{
		{"crlf", "a\r\nb\r\n", "a\r\nb\r\n.\r\n"},
		{"bare lf", "a\nb\n", "a\r\nb\r\n.\r\n"},
		{"no final newline", "a\r\nb", "a\r\nb\r\n.\r\n"},
		{"leading dots", ".\r\n..x\r\nmid.dle\r\n", "..\r\n...x\r\nmid.dle\r\n.\r\n"},
		{"empty lines", "a\r\n\r\nb\r\n", "a\r\n\r\nb\r\n.\r\n"},
		{"empty", "", ".\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := deliver.WriteDottedForTest(tt.msg); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// selfSigned returns a server certificate for 127.0.0.1 and a pool that
// trusts it.
func selfSigned(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}

func TestTLSAndAuth(t *testing.T) {
	serverTLS, roots := selfSigned(t)
	tests := []struct {
		name     string
		implicit bool
		mode     string
		user     string
		pass     string
		roots    *x509.CertPool
		wantSent int64
		wantErr  string
	}{
		{"starttls with auth", false, "starttls", "notices", "s3cret", roots, 3, ""},
		{"implicit tls with auth", true, "tls", "notices", "s3cret", roots, 3, ""},
		{"wrong password", false, "starttls", "notices", "nope", roots, 0, "AUTH"},
		{"untrusted certificate", false, "starttls", "notices", "s3cret", x509.NewCertPool(), 0, "certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, path := mustOpenSQLite(t)
			f := newFixture(t, s, path, emails(3, "mail.example"))
			var got atomic.Int64
			sink, err := deliver.StartSink(deliver.SinkOptions{TLSConfig: serverTLS, ImplicitTLS: tt.implicit, Username: "notices", Password: "s3cret",
				Message: func(*deliver.SinkMessage) error { got.Add(1); return nil }})
			if err != nil {
				t.Fatal(err)
			}
			defer sink.Close()
			var logs strings.Builder
			opts := deliver.Options{SMTP: deliver.SMTPOptions{Host: sink.Host(), Port: sink.Port(), TLS: tt.mode, Username: tt.user, Password: tt.pass,
				TLSConfig: &tls.Config{RootCAs: tt.roots}, Timeout: 5 * time.Second}, Connections: 1, MaxConsecutiveErrors: 2,
				Logger: slog.New(slog.NewTextHandler(&logs, nil))}
			rep := drain(t, f, opts)
			if rep.Sent != tt.wantSent || got.Load() != tt.wantSent {
				t.Fatalf("sent %d (server got %d), want %d; logs:\n%s", rep.Sent, got.Load(), tt.wantSent, logs.String())
			}
			if tt.wantErr != "" {
				if !strings.Contains(logs.String(), tt.wantErr) || len(rep.Paused) != 1 {
					t.Fatalf("want a %s error and the campaign paused; got %+v, logs:\n%s", tt.wantErr, rep, logs.String())
				}
				if st := stats(t, f); st[breach.DeliveryQueued] != 3 {
					t.Fatalf("a connection failure must not burn the list: states %v", st)
				}
			}
		})
	}
}

func TestNoPasswordInClearText(t *testing.T) {
	o := deliver.SMTPOptions{Host: "smtp.example.com", Port: 25, TLS: "none", Username: "u", Password: "p"}
	if err := o.Validate(); breach.ErrorCode(err) != breach.EINVALID {
		t.Fatalf("got %v, want EINVALID", err)
	}
	o.TLS = "starttls"
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
}

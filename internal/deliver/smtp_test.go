package deliver_test

import (
	"testing"

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

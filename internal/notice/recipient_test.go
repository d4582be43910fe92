package notice

import (
	"testing"

	"github.com/candor-dev/candor/internal/breach"
)

func TestRecipientKnown(t *testing.T) {
	tests := []struct {
		name         string
		whatHappened string
		want         bool
	}{
		{name: "outsider", whatHappened: "Someone outside Northwind downloaded the copy.", want: true},
		{name: "criminal group", whatHappened: "A criminal group encrypted our servers and copied files.", want: true},
		{name: "former employee", whatHappened: "A former employee took a list of customers.", want: true},
		{name: "no one named", whatHappened: "A storage folder was open to anyone with the link.", want: false},
		{name: "empty", whatHappened: "", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &Facts{Incident: &breach.Incident{WhatHappened: tt.whatHappened}}
			if got := f.recipientKnown(); got != tt.want {
				t.Errorf("recipientKnown(%q) = %v, want %v", tt.whatHappened, got, tt.want)
			}
			c := &compileCtx{f: f}
			if got := c.evalCond("recipient_known"); got != tt.want {
				t.Errorf("evalCond(recipient_known) = %v, want %v", got, tt.want)
			}
		})
	}
	if why := checkCond("recipient_known:x"); why == "" {
		t.Error("recipient_known with an argument was accepted")
	}
}

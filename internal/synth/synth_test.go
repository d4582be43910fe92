package synth

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/breach"
)

func TestWriteCSV(t *testing.T) {
	var a, b bytes.Buffer
	if err := WriteCSV(&a, Options{Rows: 2000, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	if err := WriteCSV(&b, Options{Rows: 2000, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("same seed must give the same file")
	}
	recs, err := csv.NewReader(&a).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := len(recs); got != 2001 {
		t.Fatalf("got %d records, want 2001 (header + 2000)", got)
	}
	states, countries := map[string]bool{}, map[string]bool{}
	for _, r := range recs[1:] {
		if _, err := breach.ParseElementSet(r[12]); err != nil {
			t.Fatalf("row %v: elements %q: %v", r, r[12], err)
		}
		countries[r[10]] = true
		if r[10] == "US" {
			states[r[8]] = true
		}
	}
	if len(states) < 40 || len(countries) < 5 {
		t.Fatalf("got %d US states and %d countries, want a wide spread", len(states), len(countries))
	}
}

func TestBadRows(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, Options{Rows: 100, Seed: 1, BadEvery: 10}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	bad := 0
	for _, r := range recs[1:] {
		_, elemErr := breach.ParseElementSet(r[12])
		if strings.Contains(r[3], " at ") || r[8] == "Atlantis" || elemErr != nil || r[3] == "" && r[5] == "" {
			bad++
		}
	}
	if bad != 10 {
		t.Fatalf("got %d spoiled rows, want 10", bad)
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportPeopleTextSummaryAndUsage(t *testing.T) {
	c := newCLI(t)
	c.ok("incident", "create", "--title", "T", "--discovered", "2026-11-02T09:00:00Z")
	path := filepath.Join(c.dir, "people.csv")
	csv := "Cust #,Contact,Notes\nA1,a@example.org,vip\nA2,not-an-address,\n"
	if err := os.WriteFile(path, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	out := c.ok("import", "people", path, "--incident", "1", "--elements", "name,email",
		"--map", "Cust #=external_id", "--map", "Contact=email", "--quarantine", filepath.Join(c.dir, "bad.csv"))
	for _, want := range []string{"Imported people.csv into incident 1 (batch 1): 2 rows", "imported    1", "rejected    1",
		filepath.Join(c.dir, "bad.csv"), "Ignored columns (map them with --map COLUMN=FIELD): Notes"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}

	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"map without field", []string{"--map", "Cust #"}, 2, "want COLUMN=FIELD"},
		{"unknown element", []string{"--elements", "name,shoe"}, 2, `unknown data element "shoe"`},
		{"unknown field", []string{"--map", "Notes=shoe"}, 1, `unknown field "shoe"`},
		{"missing incident flag", nil, 2, "required flag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"import", "people", path, "--elements", "name"}, tt.args...)
			if tt.name != "missing incident flag" {
				args = append(args, "--incident", "1")
			}
			code, _, errOut := c.run(args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("got exit %d, stderr %q; want %d containing %q", code, errOut, tt.code, tt.want)
			}
		})
	}
}

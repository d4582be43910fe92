package law_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/candor-dev/candor/internal/law"
)

var update = flag.Bool("update", false, "rewrite golden files")

// fixedNow stamps every plan in golden files.
var fixedNow = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// TestScenarios runs every testdata/scenarios/*.yaml against the embedded
// rules and compares the --json output with its .golden.json.
func TestScenarios(t *testing.T) {
	reg, err := law.Load()
	if err != nil {
		t.Fatalf("embedded rules:\n%v", err)
	}
	runScenarios(t, reg, "testdata/scenarios", false)
}

// TestEngineScenarios runs testdata/engine/*.yaml against the fixture rules
// in testdata/rules, comparing JSON and text output with golden files.
func TestEngineScenarios(t *testing.T) {
	runScenarios(t, mustLoadFixtures(t), "testdata/engine", true)
}

func mustLoadFixtures(tb testing.TB) *law.Registry {
	tb.Helper()
	reg, err := law.LoadFS(os.DirFS("testdata"), "rules")
	if err != nil {
		tb.Fatalf("fixture rules:\n%v", err)
	}
	return reg
}

func runScenarios(t *testing.T, reg *law.Registry, dir string, text bool) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no scenarios in %s", dir)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		t.Run(name, func(t *testing.T) {
			plan := mustAssessFile(t, reg, file)
			var js bytes.Buffer
			if err := plan.WriteJSON(&js); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, strings.TrimSuffix(file, ".yaml")+".golden.json", js.Bytes())
			if text {
				var txt bytes.Buffer
				if err := plan.WriteText(&txt); err != nil {
					t.Fatal(err)
				}
				checkGolden(t, strings.TrimSuffix(file, ".yaml")+".golden.txt", txt.Bytes())
			}
		})
	}
}

func mustAssessFile(tb testing.TB, reg *law.Registry, file string) *law.Plan {
	tb.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		tb.Fatal(err)
	}
	sc, err := law.ParseScenario(file, b)
	if err != nil {
		tb.Fatalf("parse %s: %v", file, err)
	}
	plan, err := reg.Assess(sc.Facts, sc.Population, fixedNow)
	if err != nil {
		tb.Fatalf("assess %s: %v", file, err)
	}
	return plan
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/law -run %s -update to create it)", err, t.Name())
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got; rerun with -update if the change is intended):\n%s", path, diff)
	}
}

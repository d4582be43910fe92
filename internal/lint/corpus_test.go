package lint

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// corpus is our fixture set in the order of our judgement, best first,
// with the findings each must (and must not) have.
var corpus = []struct {
	file      string
	minScore  int
	maxScore  int
	mustHave  []string
	mustNot   []string
	hasErrors bool
}{
	{
		file: "excellent.md", minScore: 95, maxScore: 100,
		mustNot: []string{"empathy-apology", "protection-offer", "safety-lookalike", "clarity-jargon", "loyalty-gesture", "transparency-data-named"},
	},
	{
		// Good and California-shaped, but no gesture and one piece of
		// jargon.
		file: "california.html", minScore: 85, maxScore: 97,
		mustHave: []string{"loyalty-gesture", "clarity-jargon"},
		mustNot:  []string{"empathy-apology", "protection-offer", "safety-domain"},
	},
	{
		// Prompt and factual credential notice: dates, numbers, measures
		// and password advice, but no apology and hashing jargon.
		file: "credential.md", minScore: 70, maxScore: 85,
		mustHave: []string{"empathy-apology", "clarity-jargon", "loyalty-gesture"},
		mustNot:  []string{"transparency-date-occurred", "transparency-date-discovered", "transparency-count", "remediation-concrete", "protection-password"},
	},
	{
		// The usual legal letter: hedged, vague and late to the point.
		file: "typical.txt", minScore: 45, maxScore: 70,
		mustHave: []string{"empathy-apology", "empathy-minimising", "empathy-deflection", "empathy-insincere-apology", "remediation-vague", "clarity-grade", "clarity-jargon"},
		mustNot:  []string{"protection-offer", "safety-lookalike"},
	},
	{
		// A decent letter that sends people to look-alike domains.
		file: "lookalike.html", minScore: 0, maxScore: 40, hasErrors: true,
		mustHave: []string{"safety-lookalike"},
		mustNot:  []string{"empathy-apology"},
	},
	{
		file: "poor.txt", minScore: 0, maxScore: 30, hasErrors: true,
		mustHave: []string{"empathy-deflection", "empathy-minimising", "safety-credential-request", "safety-shortener", "safety-https", "protection-offer", "clarity-jargon", "remediation-vague"},
	},
}

func lintCorpusFile(t *testing.T, name string) *Result {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "corpus", name))
	if err != nil {
		t.Fatal(err)
	}
	l, err := New(Options{Org: testOrg()})
	if err != nil {
		t.Fatal(err)
	}
	return l.LintSource(name, src, "")
}

func TestCorpus(t *testing.T) {
	var scores []int
	for _, tc := range corpus {
		t.Run(tc.file, func(t *testing.T) {
			res := lintCorpusFile(t, tc.file)
			scores = append(scores, res.Score)
			if res.Score < tc.minScore || res.Score > tc.maxScore {
				t.Errorf("score %d, want %d–%d", res.Score, tc.minScore, tc.maxScore)
			}
			rules := map[string]bool{}
			for _, f := range res.Findings {
				rules[f.Rule] = true
			}
			for _, r := range tc.mustHave {
				if !rules[r] {
					t.Errorf("missing finding %s", r)
				}
			}
			for _, r := range tc.mustNot {
				if rules[r] {
					t.Errorf("unexpected finding %s", r)
				}
			}
			if got := res.Errors() > 0; got != tc.hasErrors {
				t.Errorf("has errors = %v, want %v", got, tc.hasErrors)
			}
			var buf bytes.Buffer
			if err := WriteText(&buf, []*Result{res}); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "golden", tc.file+".txt"), buf.Bytes())
		})
	}
	// The ranking by score must match our judgement (ties allowed only
	// where we judged the notices equal, which we did not).
	if !sort.SliceIsSorted(scores, func(i, j int) bool { return scores[i] > scores[j] }) {
		t.Errorf("scores %v are not in the order we judged the corpus", scores)
	}
	for i := 1; i < len(scores); i++ {
		if scores[i] >= scores[i-1] {
			t.Errorf("%s (%d) should score below %s (%d)", corpus[i].file, scores[i], corpus[i-1].file, scores[i-1])
		}
	}
}

// TestCorpusLegal checks the corpus against California and Massachusetts
// law as the law engine states them in this test.
func TestCorpusLegal(t *testing.T) {
	opts := Options{Org: testOrg()}
	withCA(&opts)
	opts.Requirements[0].Required = append(opts.Requirements[0].Required, "date_of_notice", "notice_delayed_by_law_enforcement", "toll_free_numbers", "ca_state_specific_info")
	l, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("testdata/corpus/california.html")
	if err != nil {
		t.Fatal(err)
	}
	if res := l.LintSource("california.html", src, ""); res.Principles.Legal != 100 || res.Errors() > 0 {
		t.Errorf("california.html under US-CA: legal %d, %d errors; findings %+v", res.Principles.Legal, res.Errors(), res.Findings)
	}
	src, err = os.ReadFile("testdata/corpus/credential.md")
	if err != nil {
		t.Fatal(err)
	}
	res := l.LintSource("credential.md", src, "")
	want := map[string]bool{"legal-title": true, "legal-headings": true, "legal-required": true}
	for _, f := range res.Findings {
		delete(want, f.Rule)
	}
	if len(want) > 0 {
		t.Errorf("credential.md under US-CA: missing %v", want)
	}

	maOpts := Options{}
	withMA(&maOpts)
	l, err = New(maOpts)
	if err != nil {
		t.Fatal(err)
	}
	src, err = os.ReadFile("testdata/corpus/excellent.md")
	if err != nil {
		t.Fatal(err)
	}
	res = l.LintSource("excellent.md", src, "")
	var prohibited []string
	for _, f := range res.Findings {
		if f.Rule == "legal-prohibited" {
			prohibited = append(prohibited, f.Excerpt)
		}
	}
	if diff := cmp.Diff([]string{"48,210 customers"}, prohibited); diff != "" {
		t.Errorf("excellent.md under US-MA: prohibited findings (-want +got):\n%s", diff)
	}
}

// golden compares got with the golden file, or rewrites it with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(string(got), "\n")); diff != "" {
		t.Errorf("%s differs (-want +got; go test -update rewrites it):\n%s", path, diff)
	}
}

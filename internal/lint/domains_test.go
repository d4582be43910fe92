package lint

import (
	"strings"
	"testing"

	"golang.org/x/net/idna"
)

func TestDamerauLevenshtein(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"kitten", "sitting", 3},
		{"northwind", "northwind", 0},
		{"northwind", "nortwhind", 1}, // adjacent swap
		{"northwind", "northwnd", 1},
		{"northwind", "northwindd", 1},
		{"ca", "abc", 3}, // optimal string alignment, not full Damerau
		{"équipe", "equipe", 1},
	} {
		if got := damerauLevenshtein(tc.a, tc.b); got != tc.want {
			t.Errorf("damerauLevenshtein(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestLookalike(t *testing.T) {
	officials := []string{"northwindoutfitters.com"}
	brands := brandTokens(officials, "Northwind", "Northwind Outfitters, Inc.")
	cyrillic, err := idna.ToASCII("northwindoutfitters.com")
	if err != nil {
		t.Fatal(err)
	}
	// "о" below is Cyrillic.
	homoglyph, err := idna.ToASCII("nоrthwindoutfitters.com")
	if err != nil {
		t.Fatal(err)
	}
	if cyrillic == homoglyph {
		t.Fatal("test setup: the Cyrillic letter was lost")
	}
	for _, tc := range []struct {
		name, host string
		why        string // substring of the explanation; "" for no look-alike
	}{
		{"brand plus words", "northwind-security2026.com", "adds words"},
		{"brand plus breach", "northwindbreach.com", "adds words"},
		{"typo", "northwindoutfiters.com", "1 character away"},
		{"swap", "northwindoutfitetrs.com", "1 character away"},
		{"other ending", "northwindoutfitters.net", "another ending"},
		{"digit for letter", "n0rthwindoutfitters.com", "look-alike characters"},
		{"rn for m", "equifrnax.com", ""},
		{"rn for m, bureau", "experlan.com", "look-alike characters"},
		{"punycode homoglyph", homoglyph, "another alphabet"},
		{"brand in subdomain", "northwindoutfitters.com.account-check.net", "in front of another site"},
		{"bureau plus words", "equifaxsecurity2017.com", "adds words"},
		{"unrelated", "example.org", ""},
		{"short unrelated", "bank.com", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := lookalike(tc.host, officials, brands)
			switch {
			case tc.why == "" && got != "":
				t.Errorf("lookalike(%s) = %q, want none", tc.host, got)
			case tc.why != "" && !strings.Contains(got, tc.why):
				t.Errorf("lookalike(%s) = %q, want it to mention %q", tc.host, got, tc.why)
			}
		})
	}
}

func TestBrandTokens(t *testing.T) {
	got := brandTokens([]string{"northwindoutfitters.com", "nw.co.uk"}, "Northwind", "Northwind Outfitters, Inc.")
	want := map[string]bool{"northwindoutfitters": true, "northwind": true}
	if len(got) != len(want) {
		t.Fatalf("brandTokens = %v, want %v", got, want)
	}
	for _, g := range got {
		if !want[g] {
			t.Errorf("unexpected token %q in %v", g, got)
		}
	}
}

func TestSkeletonAndScripts(t *testing.T) {
	if skeleton("paypa1") != skeleton("paypal") || skeleton("rnicrosoft") != skeleton("microsoft") {
		t.Error("skeleton does not fold look-alikes")
	}
	if skeleton("northwind") == skeleton("southwind") {
		t.Error("skeleton folds different names")
	}
	if !mixedScript("nоrthwind") { // Cyrillic о
		t.Error("mixed script not detected")
	}
	if mixedScript("northwind") || mixedScript("равлик") {
		t.Error("single-script name reported as mixed")
	}
}

func TestShortenersAndTrust(t *testing.T) {
	for host, want := range map[string]bool{"bit.ly": true, "www.bit.ly": true, "tinyurl.com": true, "northwindoutfitters.com": false} {
		if got := isShortener(host); got != want {
			t.Errorf("isShortener(%s) = %v, want %v", host, got, want)
		}
	}
	for host, want := range map[string]bool{"www.identitytheft.gov": true, "oag.ca.gov": true, "www.equifax.com": true, "equifax.com.evil.net": false, "equifaxsecurity2017.com": false} {
		if got := isTrusted(host); got != want {
			t.Errorf("isTrusted(%s) = %v, want %v", host, got, want)
		}
	}
	if got := registrable("www.northwindoutfitters.co.uk"); got != "northwindoutfitters.co.uk" {
		t.Errorf("registrable = %s", got)
	}
}

func TestLinkHost(t *testing.T) {
	for _, tc := range []struct {
		link Link
		host string
		sch  string
	}{
		{Link{URL: "https://Help.Example.com:8443/x?y#z"}, "help.example.com", "https"},
		{Link{URL: "www.example.com/path"}, "www.example.com", ""},
		{Link{URL: "example.com"}, "example.com", ""},
		{Link{Kind: LinkEmail, URL: "Help@Example.COM"}, "example.com", "mailto"},
		{Link{URL: "tel:+18005550142"}, "", "tel"},
		{Link{URL: "/relative/page"}, "", ""},
		{Link{URL: "{{.PortalURL}}"}, "", ""},
		{Link{URL: "http://user@evil.com@example.com/"}, "example.com", "http"},
	} {
		if got := tc.link.Host(); got != tc.host {
			t.Errorf("Host(%q) = %q, want %q", tc.link.URL, got, tc.host)
		}
		if got := tc.link.Scheme(); got != tc.sch {
			t.Errorf("Scheme(%q) = %q, want %q", tc.link.URL, got, tc.sch)
		}
	}
}

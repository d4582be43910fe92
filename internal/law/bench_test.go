package law_test

import (
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/law"
)

// BenchmarkAssess evaluates the embedded rules for a population spread over
// every US jurisdiction and a dozen countries, eight element sets each: the
// shape `candor assess` sees after the store's GROUP BY.
func BenchmarkAssess(b *testing.B) {
	reg, err := law.Load()
	if err != nil {
		b.Fatal(err)
	}
	var codes []breach.Jurisdiction
	for code := range breach.USStates() {
		codes = append(codes, breach.Jurisdiction("US-"+code))
	}
	for _, c := range []string{"DE", "FR", "GB", "CA-QC", "CA-ON", "AU", "NZ", "SG", "JP", "BR", "IN", "ZA"} {
		codes = append(codes, breach.Jurisdiction(c))
	}
	sets := []string{"name,ssn", "name,ssn,dob", "email,password", "username,password", "name,card_number,account_access_code",
		"name,drivers_license", "name,medical,health_insurance", "name,email,phone"}
	var pop []breach.StatGroup
	for _, j := range codes {
		for i, s := range sets {
			es, err := breach.ParseElementSet(s)
			if err != nil {
				b.Fatal(err)
			}
			pop = append(pop, breach.StatGroup{Jurisdiction: j, Elements: es, Count: int64(100 + i*150)})
		}
	}
	facts := law.Facts{Discovered: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), HarmLikely: breach.Unknown,
		Sectors: []string{"hipaa_covered_entity", "financial_institution"}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := reg.Assess(facts, pop, facts.Discovered); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad parses and validates every embedded rule file.
func BenchmarkLoad(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := law.Load(); err != nil {
			b.Fatal(err)
		}
	}
}

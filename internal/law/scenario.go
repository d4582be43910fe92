package law

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/severity"
)

// Scenario is a hypothetical incident written in YAML, so that counsel can
// ask "what if?" without importing anyone:
//
//	discovered: 2026-11-02T09:00:00-05:00
//	time_zone: America/Chicago        # optional IANA zone for deadlines
//	sectors: [retail]
//	encrypted: false                  # true | false | unknown
//	key_compromised: false            # true | false | unknown
//	harm_likely: unknown              # true | false | unknown
//	law_enforcement_delay: false      # optional
//	paper: false                      # optional
//	severity: {malicious: false}      # optional severity overrides
//	populations:
//	  - {jurisdiction: US-TX, elements: [name, ssn], count: 312}
type Scenario struct {
	Facts      Facts
	Population []breach.StatGroup
}

type scenarioFile struct {
	Discovered          string             `yaml:"discovered"`
	TimeZone            string             `yaml:"time_zone"`
	Sectors             []string           `yaml:"sectors"`
	Encrypted           string             `yaml:"encrypted"`
	KeyCompromised      string             `yaml:"key_compromised"`
	HarmLikely          string             `yaml:"harm_likely"`
	LawEnforcementDelay bool               `yaml:"law_enforcement_delay"`
	Paper               bool               `yaml:"paper"`
	Severity            severity.Overrides `yaml:"severity"`
	Populations         []scenarioGroup    `yaml:"populations"`
}

type scenarioGroup struct {
	Jurisdiction string   `yaml:"jurisdiction"`
	Elements     []string `yaml:"elements"`
	Count        int64    `yaml:"count"`
}

// ParseScenario parses a scenario file. Problems are EINVALID errors
// reading FILE:LINE: FIELD: message.
func ParseScenario(file string, b []byte) (*Scenario, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, scenarioError(FieldErrors{syntaxError(file, err)})
	}
	if len(doc.Content) == 0 {
		return nil, scenarioError(FieldErrors{{file, 1, "", "empty scenario"}})
	}
	var sf scenarioFile
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&sf); err != nil {
		w := walker{file: file}
		w.decode(doc.Content[0], reflect.ValueOf(&scenarioFile{}).Elem(), "")
		if len(w.errs) == 0 {
			w.errs = FieldErrors{yamlError(file, err)}
		}
		return nil, scenarioError(w.errs)
	}
	lines := make(map[string]int)
	recordLines(doc.Content[0], "", lines)
	var errs FieldErrors
	fail := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{file, lineFor(lines, field), field, fmt.Sprintf(format, args...)})
	}

	var sc Scenario
	f := &sc.Facts
	disc, err := time.Parse(time.RFC3339, strings.TrimSpace(sf.Discovered))
	if err != nil {
		fail("discovered", "%q is not a time such as 2026-11-02T09:00:00-05:00", sf.Discovered)
	}
	if sf.TimeZone != "" {
		loc, err := time.LoadLocation(sf.TimeZone)
		if err != nil {
			fail("time_zone", "%q is not an IANA time zone such as America/New_York", sf.TimeZone)
		} else {
			disc = disc.In(loc)
		}
	}
	f.Discovered = disc
	f.Sectors = sf.Sectors
	f.LawEnforcementDelay = sf.LawEnforcementDelay
	f.Paper = sf.Paper
	f.Severity = sf.Severity
	if err := sf.Severity.Validate(); err != nil {
		fail("severity", "%s", strings.TrimPrefix(breach.ErrorMessage(err), "severity: "))
	}

	tri := func(field, s string) breach.Tristate {
		t, err := breach.ParseTristate(s)
		if err != nil {
			fail(field, "%q is not true, false or unknown", s)
		}
		return t
	}
	enc := tri("encrypted", sf.Encrypted)
	key := tri("key_compromised", sf.KeyCompromised)
	f.HarmLikely = tri("harm_likely", sf.HarmLikely)
	switch enc {
	case breach.Yes:
		f.Encrypted = true
		switch key {
		case breach.Yes:
			f.KeyCompromised = true
		case breach.Unknown:
			f.KeyCompromised = true
			f.Assumed = append(f.Assumed, "Whether the encryption key was compromised is unknown: Candor assumes it was (the protective reading), so encryption safe harbours are not used.")
		}
	case breach.Unknown:
		f.Assumed = append(f.Assumed, "Whether the data were encrypted is unknown: Candor assumes they were not (the protective reading).")
	default:
		f.KeyCompromised = key == breach.Yes
	}

	if len(sf.Populations) == 0 {
		fail("populations", "required: at least one {jurisdiction, elements, count}")
	}
	for i, p := range sf.Populations {
		field := fmt.Sprintf("populations[%d]", i)
		j, err := breach.ParseJurisdiction(p.Jurisdiction)
		if err != nil {
			fail(field+".jurisdiction", "%s", breach.ErrorMessage(err))
		}
		var set breach.ElementSet
		for k, name := range p.Elements {
			e, err := breach.ParseElement(name)
			if err != nil {
				fail(fmt.Sprintf("%s.elements[%d]", field, k), "%s", breach.ErrorMessage(err))
				continue
			}
			set = set.Add(e)
		}
		if len(p.Elements) == 0 {
			fail(field+".elements", "required: the data elements exposed")
		}
		if p.Count <= 0 {
			fail(field+".count", "must be a positive number of people, got %d", p.Count)
		}
		sc.Population = append(sc.Population, breach.StatGroup{Jurisdiction: j, Elements: set, Count: p.Count})
	}
	if len(errs) > 0 {
		return nil, scenarioError(errs)
	}
	return &sc, nil
}

func scenarioError(errs FieldErrors) error {
	return &loadError{errs: errs, what: "scenario"}
}

package lint

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// schemaValidator checks a decoded JSON value against a JSON Schema. It
// implements the keywords our schemas use — type, enum, required,
// properties, additionalProperties, items, minimum, maximum, minLength,
// minItems, uniqueItems, pattern, format (uri, uri-reference), anyOf and
// local $ref — and fails on any other keyword, so that a schema can never
// pass by being misread.
type schemaValidator struct {
	root map[string]any
	errs []string
}

func loadSchema(t *testing.T, path string) *schemaValidator {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var root map[string]any
	if err := json.Unmarshal(b, &root); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &schemaValidator{root: root}
}

func (v *schemaValidator) fail(path, format string, args ...any) {
	v.errs = append(v.errs, path+": "+fmt.Sprintf(format, args...))
}

var knownKeywords = map[string]bool{
	"$schema": true, "title": true, "description": true, "definitions": true, "id": true, "default": true,
	"type": true, "enum": true, "required": true, "properties": true, "additionalProperties": true, "items": true,
	"minimum": true, "maximum": true, "minLength": true, "minItems": true, "uniqueItems": true, "pattern": true,
	"format": true, "anyOf": true, "$ref": true,
}

func (v *schemaValidator) validate(schema map[string]any, val any, path string) {
	for k := range schema {
		if !knownKeywords[k] {
			v.fail(path, "schema keyword %q not supported by the test validator", k)
		}
	}
	if ref, ok := schema["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/definitions/")
		def, ok := v.root["definitions"].(map[string]any)[name].(map[string]any)
		if !ok {
			v.fail(path, "unresolved $ref %s", ref)
			return
		}
		v.validate(def, val, path)
	}
	if t, ok := schema["type"]; ok && !typeMatches(t, val) {
		v.fail(path, "type %T, want %v", val, t)
		return
	}
	if enum, ok := schema["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			if fmt.Sprint(e) == fmt.Sprint(val) {
				found = true
			}
		}
		if !found {
			v.fail(path, "%v not in %v", val, enum)
		}
	}
	if anyOf, ok := schema["anyOf"].([]any); ok {
		matched := false
		for _, alt := range anyOf {
			sub := &schemaValidator{root: v.root}
			sub.validate(alt.(map[string]any), val, path)
			if len(sub.errs) == 0 {
				matched = true
			}
		}
		if !matched {
			v.fail(path, "matches none of anyOf")
		}
	}
	switch x := val.(type) {
	case map[string]any:
		for _, r := range asSlice(schema["required"]) {
			if _, ok := x[r.(string)]; !ok {
				v.fail(path, "missing required %q", r)
			}
		}
		props, _ := schema["properties"].(map[string]any)
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ps, ok := props[k].(map[string]any); ok {
				v.validate(ps, x[k], path+"."+k)
				continue
			}
			switch ap := schema["additionalProperties"].(type) {
			case bool:
				if !ap {
					v.fail(path, "unexpected property %q", k)
				}
			case map[string]any:
				v.validate(ap, x[k], path+"."+k)
			}
		}
	case []any:
		if n, ok := schema["minItems"].(float64); ok && float64(len(x)) < n {
			v.fail(path, "%d items, want at least %v", len(x), n)
		}
		if u, _ := schema["uniqueItems"].(bool); u {
			seen := map[string]bool{}
			for _, e := range x {
				k := fmt.Sprint(e)
				if seen[k] {
					v.fail(path, "duplicate item %v", e)
				}
				seen[k] = true
			}
		}
		if items, ok := schema["items"].(map[string]any); ok {
			for i, e := range x {
				v.validate(items, e, fmt.Sprintf("%s[%d]", path, i))
			}
		}
	case float64:
		if m, ok := schema["minimum"].(float64); ok && x < m {
			v.fail(path, "%v below minimum %v", x, m)
		}
		if m, ok := schema["maximum"].(float64); ok && x > m {
			v.fail(path, "%v above maximum %v", x, m)
		}
	case string:
		if n, ok := schema["minLength"].(float64); ok && float64(len([]rune(x))) < n {
			v.fail(path, "string shorter than %v", n)
		}
		if p, ok := schema["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(x) {
			v.fail(path, "%q does not match %s", x, p)
		}
		switch schema["format"] {
		case "uri":
			if u, err := url.Parse(x); err != nil || !u.IsAbs() {
				v.fail(path, "%q is not an absolute URI", x)
			}
		case "uri-reference":
			if _, err := url.Parse(x); err != nil || strings.ContainsAny(x, " \\") {
				v.fail(path, "%q is not a URI reference", x)
			}
		}
	}
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

func typeMatches(t any, val any) bool {
	var types []string
	switch x := t.(type) {
	case string:
		types = []string{x}
	case []any:
		for _, e := range x {
			types = append(types, e.(string))
		}
	}
	for _, ty := range types {
		switch ty {
		case "object":
			if _, ok := val.(map[string]any); ok {
				return true
			}
		case "array":
			if _, ok := val.([]any); ok {
				return true
			}
		case "string":
			if _, ok := val.(string); ok {
				return true
			}
		case "boolean":
			if _, ok := val.(bool); ok {
				return true
			}
		case "null":
			if val == nil {
				return true
			}
		case "number":
			if _, ok := val.(float64); ok {
				return true
			}
		case "integer":
			if f, ok := val.(float64); ok && f == float64(int64(f)) {
				return true
			}
		}
	}
	return false
}

func corpusResults(t *testing.T) ([]*Result, []*Rule) {
	t.Helper()
	files, err := filepath.Glob("testdata/corpus/*.*")
	if err != nil || len(files) == 0 {
		t.Fatalf("corpus: %v", err)
	}
	l, err := New(Options{Org: testOrg()})
	if err != nil {
		t.Fatal(err)
	}
	var rs []*Result
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, l.LintSource(f, src, ""))
	}
	return rs, l.Rules()
}

func TestJSONValidates(t *testing.T) {
	results, _ := corpusResults(t)
	schema := loadSchema(t, "testdata/schema/result.schema.json")
	for _, r := range results {
		var buf bytes.Buffer
		if err := WriteJSON(&buf, []*Result{r}); err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		schema.validate(schema.root, v, r.File)
	}
	// Several files print as an array of the same objects.
	var buf bytes.Buffer
	if err := WriteJSON(&buf, results); err != nil {
		t.Fatal(err)
	}
	var arr []any
	if err := json.Unmarshal(buf.Bytes(), &arr); err != nil || len(arr) != len(results) {
		t.Fatalf("array output: %v, %d items", err, len(arr))
	}
	for i, v := range arr {
		schema.validate(schema.root, v, fmt.Sprintf("[%d]", i))
	}
	for _, e := range schema.errs {
		t.Error(e)
	}
}

func TestSARIFValidates(t *testing.T) {
	results, rules := corpusResults(t)
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, results, rules); err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	schema := loadSchema(t, "testdata/schema/sarif-2.1.0-subset.schema.json")
	schema.validate(schema.root, v, "$")
	for _, e := range schema.errs {
		t.Error(e)
	}
	// Beyond the schema: every result points at a rule in the table and
	// at an artifact of the run.
	var log sarifLog
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	n := 0
	for _, r := range results {
		n += len(r.Findings)
	}
	if len(run.Results) != n {
		t.Errorf("%d SARIF results for %d findings", len(run.Results), n)
	}
	for _, res := range run.Results {
		if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s has ruleIndex %d pointing at %s", res.RuleID, res.RuleIndex, run.Tool.Driver.Rules[res.RuleIndex].ID)
		}
		loc := res.Locations[0].PhysicalLocation.ArtifactLocation
		if loc.Index == nil || run.Artifacts[*loc.Index].Location.URI != loc.URI {
			t.Errorf("result %s: artifact index does not match uri %s", res.RuleID, loc.URI)
		}
	}
}

// TestSchemaValidatorRejects makes sure the validator used above can fail.
func TestSchemaValidatorRejects(t *testing.T) {
	schema := loadSchema(t, "testdata/schema/result.schema.json")
	bad := map[string]any{"score": 101.0, "principles": map[string]any{}, "findings": []any{map[string]any{"rule": "x", "severity": "fatal"}}, "extra": true}
	schema.validate(schema.root, bad, "$")
	if len(schema.errs) < 4 {
		t.Errorf("validator found only %v", schema.errs)
	}
	sarif := loadSchema(t, "testdata/schema/sarif-2.1.0-subset.schema.json")
	sarif.validate(sarif.root, map[string]any{"version": "2.0.0", "runs": []any{map[string]any{"results": []any{}}}}, "$")
	if len(sarif.errs) < 2 {
		t.Errorf("SARIF validator found only %v", sarif.errs)
	}
}

// TestTextFormat checks the compiler-style line shape of every finding.
func TestTextFormat(t *testing.T) {
	results, _ := corpusResults(t)
	var buf bytes.Buffer
	if err := WriteText(&buf, results); err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`^[^:]+:\d+:\d+: (error|warning|suggestion) [a-z]+(-[a-z]+)+ .+$`)
	n := 0
	for _, l := range strings.Split(buf.String(), "\n") {
		if strings.Contains(l, ": error ") || strings.Contains(l, ": warning ") || strings.Contains(l, ": suggestion ") {
			n++
			if !line.MatchString(l) {
				t.Errorf("bad finding line %q", l)
			}
		}
	}
	total := 0
	for _, r := range results {
		total += len(r.Findings)
	}
	if n != total {
		t.Errorf("%d finding lines for %d findings", n, total)
	}
}

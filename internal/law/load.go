package law

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/spell"
)

// The rule files. Embedding the directory (not a *.yaml pattern) keeps the
// package building while it holds no rule file.
//
//go:embed rules
var embedded embed.FS

// RulesFS returns the embedded rule files; they live under "rules/".
func RulesFS() fs.FS { return embedded }

// FieldError is a problem in a rule file, reported as FILE:LINE: FIELD:
// message.
type FieldError struct {
	File  string
	Line  int
	Field string
	Msg   string
}

// Error formats the problem as FILE:LINE: FIELD: message.
func (e *FieldError) Error() string {
	field := e.Field
	if field == "" {
		field = "(file)"
	}
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, field, e.Msg)
}

// FieldErrors is every problem found in a set of rule files.
type FieldErrors []*FieldError

// Error lists the problems, one a line.
func (es FieldErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

func (es FieldErrors) sort() {
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].File != es[j].File {
			return es[i].File < es[j].File
		}
		return es[i].Line < es[j].Line
	})
}

// Load parses and validates every embedded rule file. It fails fast: any
// problem in any file returns an EINVALID error listing each as
// FILE:LINE: FIELD: message (the FieldErrors are in the chain). The
// embedded rules never change, so they are parsed once per process and
// every caller shares the registry: treat it and its rules as read-only.
func Load() (*Registry, error) {
	return loadEmbedded()
}

var loadEmbedded = sync.OnceValues(func() (*Registry, error) { return LoadFS(embedded, "rules") })

// LoadFS parses and validates every dir/*/*.yaml file of fsys, as Load does.
func LoadFS(fsys fs.FS, dir string) (*Registry, error) {
	rules, err := ParseFS(fsys, dir)
	if err != nil {
		return nil, err
	}
	return NewRegistry(rules)
}

// ParseFS parses and validates every dir/*/*.yaml file of fsys. Errors are
// as for Load; file names are given relative to fsys, such as
// "rules/us/tx.yaml".
func ParseFS(fsys fs.FS, dir string) ([]*Rule, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*", "*.yaml"))
	if err != nil {
		return nil, fmt.Errorf("list rule files in %s: %w", dir, err)
	}
	var (
		rules []*Rule
		errs  FieldErrors
	)
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read rule file %s: %w", name, err)
		}
		r, ferrs := ParseRule(name, b)
		errs = append(errs, ferrs...)
		if r != nil {
			rules = append(rules, r)
		}
	}
	errs = append(errs, checkUnique(rules)...)
	if len(errs) > 0 {
		errs.sort()
		return nil, &loadError{errs: errs}
	}
	return rules, nil
}

// loadError wraps FieldErrors as an EINVALID application error.
type loadError struct {
	errs FieldErrors
	what string // "rule files" unless set
}

func (e *loadError) Error() string { return e.errs.Error() }

func (e *loadError) Unwrap() []error {
	what := e.what
	if what == "" {
		what = "rule files"
	}
	return []error{
		breach.Errorf(breach.EINVALID, "%d problem(s) in %s:\n%s", len(e.errs), what, e.errs.Error()),
		e.errs,
	}
}

// lineFor returns the line of field, or of its nearest parent with a line
// (a missing field has none), or 1.
func lineFor(lines map[string]int, field string) int {
	for p := field; ; {
		if line := lines[p]; line > 0 {
			return line
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			return 1
		}
		p = p[:i]
	}
}

// Problems returns the FieldErrors in err's chain, or nil.
func Problems(err error) FieldErrors {
	var es FieldErrors
	if errors.As(err, &es) {
		return es
	}
	return nil
}

func checkUnique(rules []*Rule) FieldErrors {
	var errs FieldErrors
	seen := make(map[string]*Rule)
	for _, r := range rules {
		key := strings.ToLower(r.ID)
		if prev, ok := seen[key]; ok {
			errs = append(errs, &FieldError{r.File, r.Line("id"), "id", fmt.Sprintf("%q is already used by %s", r.ID, prev.File)})
			continue
		}
		seen[key] = r
	}
	return errs
}

// ParseRule parses and validates one rule file. It returns the rule, or nil
// and every problem found.
func ParseRule(file string, b []byte) (*Rule, FieldErrors) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, FieldErrors{syntaxError(file, err)}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, FieldErrors{{file, 1, "", "empty file"}}
	}
	root := doc.Content[0]

	// yaml.v3 with KnownFields is the parser; the walk over the node tree
	// finds where a problem is, since yaml.v3's messages name no field.
	var r Rule
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&r); err != nil {
		var w walker
		w.file = file
		w.decode(root, reflect.ValueOf(&Rule{}).Elem(), "")
		if len(w.errs) == 0 {
			w.errs = FieldErrors{yamlError(file, err)}
		}
		w.errs.sort()
		return nil, w.errs
	}
	r.File = file
	r.lines = make(map[string]int)
	recordLines(root, "", r.lines)
	if errs := r.validate(); len(errs) > 0 {
		errs.sort()
		return nil, errs
	}
	r.compile()
	return &r, nil
}

func syntaxError(file string, err error) *FieldError {
	fe := yamlError(file, err)
	// yaml.v3 reports parser (not scanner) errors with a 0-based line: the
	// start of the construct left open.
	for _, p := range parserProblems {
		if fe.Msg == p {
			fe.Line++
			break
		}
	}
	fe.Msg = "YAML syntax: " + fe.Msg
	return fe
}

var parserProblems = []string{
	"did not find expected key",
	"did not find expected node content",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"did not find expected <document start>",
	"did not find expected '-' indicator",
}

// yamlError turns a yaml.v3 error ("yaml: line 3: …") into a FieldError.
func yamlError(file string, err error) *FieldError {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n")
	msg = strings.TrimSpace(msg)
	line := 1
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, after, ok := strings.Cut(rest, ":"); ok {
			if n, err := strconv.Atoi(num); err == nil {
				line = n
				msg = strings.TrimSpace(after)
			}
		}
	}
	return &FieldError{File: file, Line: line, Msg: msg}
}

// recordLines maps each field path to the line of its key (or list item).
func recordLines(n *yaml.Node, prefix string, lines map[string]int) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := joinPath(prefix, k.Value)
			lines[p] = k.Line
			recordLines(v, p, lines)
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			p := fmt.Sprintf("%s[%d]", prefix, i)
			lines[p] = item.Line
			recordLines(item, p, lines)
		}
	}
}

func joinPath(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// walker decodes a node tree into a typed value field by field, to find
// and place every problem that a whole-document decode reports only as a
// line number.
type walker struct {
	file string
	errs FieldErrors
}

func (w *walker) fail(n *yaml.Node, field, format string, args ...any) {
	w.errs = append(w.errs, &FieldError{w.file, n.Line, field, fmt.Sprintf(format, args...)})
}

var unmarshalerType = reflect.TypeOf((*yaml.Unmarshaler)(nil)).Elem()

func (w *walker) decode(n *yaml.Node, v reflect.Value, field string) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if reflect.PointerTo(v.Type()).Implements(unmarshalerType) {
		if err := n.Decode(v.Addr().Interface()); err != nil {
			w.fail(n, field, "%s", strings.TrimPrefix(err.Error(), "yaml: "))
		}
		return
	}
	null := n.Kind == yaml.ScalarNode && n.Tag == "!!null"
	switch v.Kind() {
	case reflect.Pointer:
		if null {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		w.decode(n, v.Elem(), field)
	case reflect.Struct:
		if null {
			return
		}
		if n.Kind != yaml.MappingNode {
			w.fail(n, field, "expected a mapping of fields, got %s", describe(n))
			return
		}
		fields := yamlFields(v.Type())
		seen := make(map[string]int)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			p := joinPath(field, k.Value)
			idx, ok := fields[k.Value]
			if !ok {
				w.fail(k, p, "unknown field%s", suggest(k.Value, sortedKeys(fields)))
				continue
			}
			if first, ok := seen[k.Value]; ok {
				w.fail(k, p, "field given twice (first at line %d)", first)
				continue
			}
			seen[k.Value] = k.Line
			w.decode(val, v.Field(idx), p)
		}
	case reflect.Slice:
		if null {
			return
		}
		if n.Kind != yaml.SequenceNode {
			w.fail(n, field, "expected a list, got %s", describe(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			w.decode(item, s.Index(i), fmt.Sprintf("%s[%d]", field, i))
		}
		v.Set(s)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			w.fail(n, field, "expected text, got %s", describe(n))
			return
		}
		if !null {
			v.SetString(n.Value)
		}
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!bool" && !null) {
			w.fail(n, field, "expected true or false, got %s", describe(n))
			return
		}
		if !null {
			v.SetBool(n.Value == "true")
		}
	case reflect.Int, reflect.Int64:
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && !null) {
			w.fail(n, field, "expected a whole number, got %s", describe(n))
			return
		}
		if !null {
			i, err := strconv.ParseInt(n.Value, 0, 64)
			if err != nil {
				w.fail(n, field, "expected a whole number, got %q", n.Value)
				return
			}
			v.SetInt(i)
		}
	default:
		if err := n.Decode(v.Addr().Interface()); err != nil {
			w.fail(n, field, "%s", err)
		}
	}
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	if n.Tag == "!!null" {
		return "nothing"
	}
	return fmt.Sprintf("%q", n.Value)
}

// yamlFields maps yaml keys to struct field indexes.
func yamlFields(t reflect.Type) map[string]int {
	m := make(map[string]int)
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		m[name] = i
	}
	return m
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// suggest returns ` (did you mean "x"?)` for the known name closest to s,
// or "" when none is close.
func suggest(s string, known []string) string {
	best := spell.Closest(s, known, len(s)/2+2)
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/spf13/cobra"
)

// cli runs candor commands in-process against one database.
type cli struct {
	t   *testing.T
	db  string
	env map[string]string
	dir string
}

// newCLI returns a cli on a fresh SQLite database in a temp dir.
func newCLI(t *testing.T) *cli {
	dir := t.TempDir()
	return &cli{t: t, db: filepath.Join(dir, "candor.db"), env: map[string]string{}, dir: dir}
}

// newPostgresCLI returns a cli on a fresh schema of CANDOR_TEST_POSTGRES,
// or skips (saying so) when it is unset.
func newPostgresCLI(t *testing.T) *cli {
	base := os.Getenv("CANDOR_TEST_POSTGRES")
	if base == "" {
		t.Skip("PostgreSQL tests skipped: CANDOR_TEST_POSTGRES is not set")
	}
	ctx := context.Background()
	schema := fmt.Sprintf("cli_%d_%d", os.Getpid(), time.Now().UnixNano())
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	t.Cleanup(func() {
		if c, err := pgx.Connect(context.Background(), base); err == nil {
			c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			c.Close(context.Background())
		}
	})
	u, _ := url.Parse(base)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	c := newCLI(t)
	c.db = u.String()
	return c
}

// run executes one command line and returns exit code, stdout and stderr.
func (c *cli) run(args ...string) (int, string, string) {
	c.t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errOut, Stdin: strings.NewReader(""), Config: DefaultConfig(),
		Getenv: func(k string) string { return c.env[k] }}
	code := m.Run(context.Background(), append([]string{"--db", c.db, "--log-level", "warn"}, args...))
	return code, out.String(), errOut.String()
}

// ok runs a command that must succeed and returns its stdout.
func (c *cli) ok(args ...string) string {
	c.t.Helper()
	code, out, errOut := c.run(args...)
	if code != 0 {
		c.t.Fatalf("candor %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// okJSON runs a command with --json and decodes its output into v.
func (c *cli) okJSON(v any, args ...string) {
	c.t.Helper()
	out := c.ok(append(args, "--json")...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		c.t.Fatalf("candor %s --json: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func TestEveryCommandHasHelpWithExamples(t *testing.T) {
	root := NewMain().rootCommand()
	var walk func(*cobra.Command)
	walk = func(cmd *cobra.Command) {
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
		if !cmd.Runnable() || cmd.Hidden || cmd == root || isCobraGenerated(cmd) {
			return
		}
		if strings.TrimSpace(cmd.Example) == "" {
			t.Errorf("%s: no examples in --help", cmd.CommandPath())
		}
		if cmd.Short == "" {
			t.Errorf("%s: no short description", cmd.CommandPath())
		}
	}
	root.InitDefaultCompletionCmd()
	walk(root)
}

func isCobraGenerated(cmd *cobra.Command) bool {
	for c := cmd; c != nil; c = c.Parent() {
		if c.Name() == "completion" || c.Name() == "help" || c.Name() == "__complete" {
			return true
		}
	}
	return false
}

func TestExitCodes(t *testing.T) {
	c := newCLI(t)
	tests := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"ok", []string{"incident", "list"}, 0, ""},
		{"unknown flag", []string{"incident", "list", "--nope"}, 2, "unknown flag"},
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"missing required flag", []string{"people", "stats"}, 2, "required flag"},
		{"bad id", []string{"incident", "show", "x"}, 2, "not an ID"},
		{"not found", []string{"incident", "show", "99"}, 1, "incident 99 not found"},
		{"invalid value", []string{"incident", "create", "--title", "T", "--discovered", "yesterday"}, 2, "--discovered"},
		{"no organisation", []string{"org", "show"}, 1, "no organization set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := c.run(tt.args...)
			if code != tt.code {
				t.Fatalf("got exit %d, want %d (stderr: %s)", code, tt.code, errOut)
			}
			if !strings.Contains(errOut, tt.err) {
				t.Fatalf("stderr %q does not mention %q", errOut, tt.err)
			}
		})
	}
}

func TestOrgAndIncidentLifecycle(t *testing.T) {
	c := newCLI(t)
	c.ok("org", "set", "--legal-name", "Acme Corp", "--domain", "Acme.example", "--sender", "notices@acme.example",
		"--support-phone", "+1 800 555 0100", "--allowed-domain", "acme-help.example")
	c.ok("org", "set", "--brand", "Acme") // only the flags given change
	var org map[string]any
	c.okJSON(&org, "org", "show")
	if org["legal_name"] != "Acme Corp" || org["brand"] != "Acme" || org["primary_domain"] != "acme.example" {
		t.Fatalf("org show --json: got %v", org)
	}
	if code, _, errOut := c.run("org", "set", "--sender", "alerts@acme-security.example"); code != 1 || !strings.Contains(errOut, "must be on acme.example") {
		t.Fatalf("off-domain sender: got exit %d, %s", code, errOut)
	}

	var inc map[string]any
	c.okJSON(&inc, "incident", "create", "--title", "Backup exposed", "--discovered", "2026-11-02T09:00:00-05:00",
		"--tz", "America/New_York", "--occurred-from", "2026-10-12", "--elements", "name,ssn", "--systems", "crm,backup")
	if inc["id"].(float64) != 1 || inc["status"] != "open" {
		t.Fatalf("incident create --json: got %v", inc)
	}
	c.ok("incident", "update", "1", "--status", "assessed", "--contained", "2026-11-03T18:00:00-05:00")
	var list []map[string]any
	c.okJSON(&list, "incident", "list")
	if len(list) != 1 {
		t.Fatalf("incident list: got %d, want 1", len(list))
	}
	for _, key := range []string{"id", "title", "status", "discovered_at", "elements"} {
		if _, ok := list[0][key]; !ok {
			t.Errorf("incident list --json: key %q missing in %v", key, list[0])
		}
	}
	if list[0]["status"] != "assessed" || list[0]["discovered_at"] != "2026-11-02T09:00:00-05:00" {
		t.Fatalf("incident list --json: got %v", list[0])
	}
	if code, _, errOut := c.run("incident", "update", "1", "--status", "open"); code != 1 || !strings.Contains(errOut, "cannot move") {
		t.Fatalf("status backwards: got exit %d, %s", code, errOut)
	}
	out := c.ok("incident", "show", "1")
	for _, want := range []string{"Backup exposed", "assessed", "name+ssn", "crm, backup"} {
		if !strings.Contains(out, want) {
			t.Errorf("incident show: %q missing from\n%s", want, out)
		}
	}
}

const peopleCSV = "Customer ID,First Name,Last Name,E-mail,Address,City,State,ZIP,Country,Data exposed\n" +
	"C-1,ana,GARCIA,Ana@Example.org,1 Main St,Austin,Texas,78701,USA,name;ssn\n" +
	"C-2,Bo,Lee,bo@example.org,2 Oak Ave,Boston,,02108,,name;email;password\n" +
	"C-3,Cy,Roe,not-an-email,3 Elm St,Paris,,75001,France,name;email\n" +
	"C-4,Di,Fox,di@example.org,4 Rue X,Montréal,Québec,H2Y 1C6,Canada,name;dob\n" +
	"C-1,Ana,Garcia,ana@example.org,1 Main St,Austin,TX,78701,US,dob\n"

func TestImportPeopleStatsAndShow(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			c := newCLI(t)
			if backend == "postgres" {
				c = newPostgresCLI(t)
			}
			c.ok("incident", "create", "--title", "T", "--discovered", "2026-11-02T09:00:00Z")
			path := filepath.Join(c.dir, "people.csv")
			if err := os.WriteFile(path, []byte(peopleCSV), 0o600); err != nil {
				t.Fatal(err)
			}
			var res map[string]any
			c.okJSON(&res, "import", "people", path, "--incident", "1")
			for key, want := range map[string]float64{"imported": 3, "updated": 0, "duplicates": 1, "rejected": 1} {
				if res[key] != want {
					t.Errorf("import --json %s: got %v, want %v (%v)", key, res[key], want, res)
				}
			}
			q, _ := res["quarantine"].(string)
			bad, err := os.ReadFile(q)
			if err != nil || !strings.Contains(string(bad), "not-an-email") {
				t.Fatalf("quarantine %q: %v\n%s", q, err, bad)
			}

			var again map[string]any
			c.okJSON(&again, "import", "people", path, "--incident", "1")
			if again["imported"] != 0.0 || again["updated"] != 0.0 {
				t.Fatalf("re-import must change nothing: got %v", again)
			}

			var stats struct {
				Total  int64 `json:"total"`
				Groups []struct {
					Jurisdiction string   `json:"jurisdiction"`
					Elements     []string `json:"elements"`
					Count        int64    `json:"count"`
				} `json:"groups"`
			}
			c.okJSON(&stats, "people", "stats", "--incident", "1")
			got := map[string]int64{}
			for _, g := range stats.Groups {
				got[g.Jurisdiction+" "+strings.Join(g.Elements, "+")] = g.Count
			}
			want := map[string]int64{"US-TX dob+name+ssn": 1, "US-MA email+name+password": 1, "CA-QC dob+name": 1}
			if stats.Total != 3 || fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("people stats: got total %d, %v; want 3, %v", stats.Total, got, want)
			}
			var p map[string]any
			c.okJSON(&p, "people", "show", "--incident", "1", "--person", "C-1")
			if p["first_name"] != "Ana" || p["last_name"] != "Garcia" || p["email"] != "ana@example.org" || p["jurisdiction"] != "US-TX" {
				t.Fatalf("people show: got %v", p)
			}
		})
	}
}

func TestImportRefusesSensitiveValues(t *testing.T) {
	c := newCLI(t)
	c.ok("incident", "create", "--title", "T", "--discovered", "2026-11-02T09:00:00Z")
	path := filepath.Join(c.dir, "ssn.csv")
	csv := "id,name,email,social\n1,Ann Lee,ann@example.org,123-45-6789\n"
	if err := os.WriteFile(path, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := c.run("import", "people", path, "--incident", "1", "--elements", "name,ssn")
	if code != 1 || !strings.Contains(errOut, `"social"`) {
		t.Fatalf("got exit %d, stderr %q; want 1 naming the column", code, errOut)
	}
	var stats struct{ Total int64 }
	c.okJSON(&stats, "people", "stats", "--incident", "1")
	if stats.Total != 0 {
		t.Fatalf("a refused import must store nobody: got %d", stats.Total)
	}
}

func TestConfigPrecedenceAndMasking(t *testing.T) {
	c := newCLI(t)
	toml := filepath.Join(c.dir, "candor.toml")
	os.WriteFile(toml, []byte("db = \"from-file.db\"\n[smtp]\nhost = \"mail.example\"\nusername = \"u\"\npassword = \"file-secret\"\n[log]\nlevel = \"debug\"\n"), 0o600)
	secret := filepath.Join(c.dir, "pw")
	os.WriteFile(secret, []byte("env-file-secret\n"), 0o600)
	c.env = map[string]string{"CANDOR_CONFIG": toml, "CANDOR_SMTP_PASSWORD_FILE": secret, "CANDOR_SMTP_PORT": "2525"}

	var out, errOut bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errOut, Config: DefaultConfig(), Getenv: func(k string) string { return c.env[k] }}
	if code := m.Run(context.Background(), []string{"config", "show", "--json"}); code != 0 {
		t.Fatalf("config show: exit %d: %s", code, errOut.String())
	}
	var cfg Config
	if err := json.Unmarshal(out.Bytes(), &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.DB != "from-file.db" || cfg.SMTP.Host != "mail.example" || cfg.SMTP.Port != 2525 || cfg.Log.Level != "debug" {
		t.Fatalf("precedence: got %+v", cfg)
	}
	if cfg.SMTP.Password != "****" || strings.Contains(out.String(), "secret") {
		t.Fatalf("secrets must be masked: %s", out.String())
	}
	// Flags beat the environment, which beats the file.
	c.env["CANDOR_DB"] = "from-env.db"
	out.Reset()
	m = &Main{Stdout: &out, Stderr: &errOut, Config: DefaultConfig(), Getenv: func(k string) string { return c.env[k] }}
	m.Run(context.Background(), []string{"config", "show", "--json"})
	if !strings.Contains(out.String(), `"db": "from-env.db"`) {
		t.Fatalf("env over file: %s", out.String())
	}
	out.Reset()
	m = &Main{Stdout: &out, Stderr: &errOut, Config: DefaultConfig(), Getenv: func(k string) string { return c.env[k] }}
	m.Run(context.Background(), []string{"--db", "postgres://u:pw@db.example/candor", "config", "show", "--json"})
	if !strings.Contains(out.String(), `postgres://u:****@db.example/candor`) {
		t.Fatalf("flag over env, URL password masked: %s", out.String())
	}
}

func TestDemo(t *testing.T) {
	c := newCLI(t)
	dir := filepath.Join(c.dir, "demo")
	var out, errOut bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errOut, Config: DefaultConfig(), Getenv: func(string) string { return "" }}
	if code := m.Run(context.Background(), []string{"--log-level", "warn", "demo", "--people", "2000", "--dir", dir}); code != 0 {
		t.Fatalf("demo: exit %d\n%s\n%s", code, out.String(), errOut.String())
	}
	for _, want := range []string{"Northwind", "Imported: 1998 new", "2 rejected", "Assessed under", "Next, try"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q:\n%s", want, out.String())
		}
	}
	c.db = filepath.Join(dir, "candor.db")
	var stats struct {
		Total  int64
		Groups []json.RawMessage
	}
	c.okJSON(&stats, "people", "stats", "--incident", "1")
	if stats.Total != 1998 || len(stats.Groups) < 50 {
		t.Fatalf("demo population: got %d people in %d groups", stats.Total, len(stats.Groups))
	}
}

// Command candor is Candor's single binary: breach assessment, notices,
// delivery and support, on SQLite by default or PostgreSQL at scale.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	_ "time/tzdata" // incident time zones work on machines without zoneinfo

	"github.com/spf13/cobra"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/postgres"
	"github.com/candor-dev/candor/internal/sqlite"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// Store is everything the commands need from a database.
type Store interface {
	breach.OrganizationStore
	breach.IncidentStore
	breach.PersonStore
	breach.NoticeStore
	breach.RemedyStore
	breach.AuditStore
	breach.OutboxStore
	Close() error
}

var (
	_ Store = (*sqlite.DB)(nil)
	_ Store = (*postgres.DB)(nil)
)

// Main holds the program's configuration and the resources its commands
// share; tests build one with temp paths and call Run.
type Main struct {
	Config Config
	Stdout io.Writer
	Stderr io.Writer
	Stdin  io.Reader
	Getenv func(string) string
	Logger *slog.Logger

	// JSON is set by the global --json flag.
	JSON bool

	configPath string
	store      Store
}

// NewMain returns a Main wired to the process's standard streams and
// environment.
func NewMain() *Main {
	return &Main{Stdout: os.Stdout, Stderr: os.Stderr, Stdin: os.Stdin, Getenv: os.Getenv, Config: DefaultConfig()}
}

// commandFactories are the subcommands; each command file registers its
// constructor from init.
var commandFactories []func(*Main) *cobra.Command

// register adds a subcommand constructor. It is called only from init.
func register(f func(*Main) *cobra.Command) { commandFactories = append(commandFactories, f) }

// usageError marks errors in how the command was called (exit code 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// Run executes the command line args and returns the exit code.
func (m *Main) Run(ctx context.Context, args []string) int {
	root := m.rootCommand()
	root.SetArgs(args)
	root.SetOut(m.Stdout)
	root.SetErr(m.Stderr)
	root.SetIn(m.Stdin)
	err := root.ExecuteContext(ctx)
	defer m.Close()
	return m.report(err)
}

// report prints err in one place and maps it to an exit code.
func (m *Main) report(err error) int {
	if err == nil {
		return exitOK
	}
	var ue usageError
	if errors.As(err, &ue) || isCobraUsage(err) {
		fmt.Fprintf(m.Stderr, "candor: %v\nRun 'candor --help' for usage.\n", err)
		return exitUsage
	}
	var ee exitCodeError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintf(m.Stderr, "candor: %s\n", ee.msg)
		}
		return ee.code
	}
	code := breach.ErrorCode(err)
	if code == breach.EINTERNAL {
		if m.Logger != nil {
			m.Logger.Error("internal error", "err", err)
		} else {
			fmt.Fprintf(m.Stderr, "candor: internal error: %v\n", err)
		}
	}
	fmt.Fprintf(m.Stderr, "candor: %s\n", breach.ErrorMessage(err))
	return exitError
}

// exitCodeError ends a command with a specific exit code, for commands whose
// result is a verdict (such as lint below its minimum score).
type exitCodeError struct {
	code int
	msg  string
}

func (e exitCodeError) Error() string { return fmt.Sprintf("exit %d: %s", e.code, e.msg) }

func isCobraUsage(err error) bool {
	s := err.Error()
	return strings.HasPrefix(s, "unknown command") || strings.HasPrefix(s, "unknown flag") ||
		strings.HasPrefix(s, "unknown shorthand flag") || strings.Contains(s, "required flag") ||
		strings.HasPrefix(s, "accepts ") || strings.HasPrefix(s, "requires at least") ||
		strings.HasPrefix(s, "invalid argument")
}

func (m *Main) rootCommand() *cobra.Command {
	var dbFlag, logLevel string
	root := &cobra.Command{
		Use:   "candor",
		Short: "Candor: data-breach response — assess, decide, notify, deliver, answer",
		Long: `Candor turns the facts of a data breach into everything a company owes:
which laws apply and by when, one humane notice per person, delivery with proof,
and answers for the people affected.

Candor gives legal information, not legal advice.`,
		Example: `  # A full demo incident on an embedded SQLite database
  candor demo

  # Your own incident
  candor org set --legal-name "Example Corp" --domain example.com
  candor incident create --title "Customer database exposure" --discovered 2026-11-02T09:00:00-05:00
  candor import people customers.csv --incident 1 --elements name,ssn
  candor people stats --incident 1`,
		SilenceErrors: true,
		SilenceUsage:  true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return m.configure(cmd, dbFlag, logLevel)
		},
	}
	root.PersistentFlags().StringVar(&m.configPath, "config", "", "config file (default ./candor.toml when present; env CANDOR_CONFIG)")
	root.PersistentFlags().StringVar(&dbFlag, "db", "", "database: a SQLite file path or a postgres:// URL (env CANDOR_DB; default ./candor.db)")
	root.PersistentFlags().BoolVar(&m.JSON, "json", false, "print machine-readable JSON")
	root.PersistentFlags().StringVar(&logLevel, "log-level", "", "log level: debug, info, warn, error (env CANDOR_LOG_LEVEL)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	for _, f := range commandFactories {
		root.AddCommand(f(m))
	}
	return root
}

// configure loads the configuration and sets up logging.
func (m *Main) configure(cmd *cobra.Command, dbFlag, logLevel string) error {
	path, explicit := m.configPath, m.configPath != ""
	if !explicit {
		if p := m.Getenv("CANDOR_CONFIG"); p != "" {
			path, explicit = p, true
		} else {
			path = "candor.toml"
		}
	}
	cfg, err := LoadConfig(path, explicit, m.Getenv)
	if err != nil {
		return err
	}
	if dbFlag != "" {
		cfg.DB = dbFlag
	}
	if logLevel != "" {
		cfg.Log.Level = logLevel
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	m.Config = cfg
	if m.Logger == nil {
		m.Logger = newLogger(m.Stderr, cfg.Log)
	}
	return nil
}

func newLogger(w io.Writer, cfg LogConfig) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.Level))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// Store opens the configured database on first use, running migrations.
func (m *Main) Store(ctx context.Context) (Store, error) {
	if m.store != nil {
		return m.store, nil
	}
	var (
		s   Store
		err error
	)
	if m.Config.IsPostgres() {
		s, err = postgres.Open(ctx, m.Config.DB)
	} else {
		s, err = sqlite.Open(ctx, m.Config.DB)
	}
	if err != nil {
		return nil, err
	}
	m.store = s
	return s, nil
}

// Close releases the database.
func (m *Main) Close() error {
	if m.store == nil {
		return nil
	}
	err := m.store.Close()
	m.store = nil
	return err
}

// printJSON writes v as indented JSON to stdout.
func (m *Main) printJSON(v any) error {
	enc := json.NewEncoder(m.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := NewMain().Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

package main

import (
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/candor-dev/candor/internal/breach"
)

// Config is Candor's whole configuration. Values come from the defaults
// below, then candor.toml (or --config), then CANDOR_* environment
// variables, then command-line flags. A field tagged secret is masked by
// `candor config show` and may also be read from a file named by the
// variable with a _FILE suffix (CANDOR_SMTP_PASSWORD_FILE).
type Config struct {
	// DB is a SQLite file path or a postgres:// URL.
	DB  string    `toml:"db" json:"db" env:"DB"`
	Log LogConfig `toml:"log" json:"log"`
	// SMTP is the mail server notices are sent through.
	SMTP SMTPConfig `toml:"smtp" json:"smtp"`
	// HTTP is the address `candor serve` listens on.
	HTTP HTTPConfig `toml:"http" json:"http"`
}

// LogConfig configures structured logging.
type LogConfig struct {
	Level  string `toml:"level" json:"level" env:"LOG_LEVEL"`    // debug, info, warn, error
	Format string `toml:"format" json:"format" env:"LOG_FORMAT"` // text or json
}

// SMTPConfig configures the outgoing mail server.
type SMTPConfig struct {
	Host        string        `toml:"host" json:"host" env:"SMTP_HOST"`
	Port        int           `toml:"port" json:"port" env:"SMTP_PORT"`
	Username    string        `toml:"username" json:"username" env:"SMTP_USERNAME"`
	Password    string        `toml:"password" json:"password" env:"SMTP_PASSWORD" secret:"true"`
	TLS         string        `toml:"tls" json:"tls" env:"SMTP_TLS"` // none, starttls, tls
	Connections int           `toml:"connections" json:"connections" env:"SMTP_CONNECTIONS"`
	RatePerSec  float64       `toml:"rate_per_sec" json:"rate_per_sec" env:"SMTP_RATE_PER_SEC"`
	Timeout     time.Duration `toml:"timeout" json:"timeout" env:"SMTP_TIMEOUT"`
	// From is the envelope sender (where bounces go); it must be on the
	// organisation's domain. Empty means the organisation's sender address.
	From string `toml:"from" json:"from" env:"SMTP_FROM"`
	// RatePerDomain limits messages a second to each recipient domain;
	// DomainRates overrides it for named domains ("gmail.com" = 50).
	RatePerDomain float64            `toml:"rate_per_domain" json:"rate_per_domain" env:"SMTP_RATE_PER_DOMAIN"`
	DomainRates   map[string]float64 `toml:"domain_rates" json:"domain_rates,omitempty"`
	// MaxErrors pauses a campaign after that many failed sends in a row.
	MaxErrors int `toml:"max_errors" json:"max_errors" env:"SMTP_MAX_ERRORS"`
	// RetryBase is the first wait after a 4xx reply; it doubles per attempt
	// up to an hour. MaxAttempts fails a delivery after that many.
	RetryBase   time.Duration `toml:"retry_base" json:"retry_base" env:"SMTP_RETRY_BASE"`
	MaxAttempts int           `toml:"max_attempts" json:"max_attempts" env:"SMTP_MAX_ATTEMPTS"`
	// HeloName is the name given in EHLO; empty means the organisation's
	// primary domain.
	HeloName string `toml:"helo_name" json:"helo_name" env:"SMTP_HELO_NAME"`
}

// HTTPConfig configures the web server.
type HTTPConfig struct {
	Addr string `toml:"addr" json:"addr" env:"HTTP_ADDR"`
}

// DefaultConfig returns the configuration before any file, variable or flag.
func DefaultConfig() Config {
	return Config{
		DB:   "candor.db",
		Log:  LogConfig{Level: "info", Format: "text"},
		SMTP: SMTPConfig{Port: 587, TLS: "starttls", Connections: 8, RatePerSec: 100, Timeout: 30 * time.Second, MaxErrors: 25, RetryBase: time.Minute, MaxAttempts: 8},
		HTTP: HTTPConfig{Addr: "127.0.0.1:8080"},
	}
}

// LoadConfig reads path (when it exists; an explicitly named file must
// exist) over the defaults, then the environment.
func LoadConfig(path string, explicit bool, getenv func(string) string) (Config, error) {
	cfg := DefaultConfig()
	if path != "" {
		b, err := os.ReadFile(path)
		switch {
		case err == nil:
			md, err := toml.Decode(string(b), &cfg)
			if err != nil {
				return cfg, breach.Errorf(breach.EINVALID, "config %s: %v", path, err)
			}
			if undec := md.Undecoded(); len(undec) > 0 {
				return cfg, breach.Errorf(breach.EINVALID, "config %s: unknown key %q", path, undec[0].String())
			}
		case os.IsNotExist(err) && !explicit:
		default:
			return cfg, fmt.Errorf("read config %s: %w", path, err)
		}
	}
	if err := applyEnv(reflect.ValueOf(&cfg).Elem(), getenv); err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

// Validate checks values and cross-field rules.
func (c *Config) Validate() error {
	if strings.TrimSpace(c.DB) == "" {
		return breach.Errorf(breach.EINVALID, "config: db must be a SQLite path or a postgres:// URL")
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return breach.Errorf(breach.EINVALID, "config: log.level %q is not debug, info, warn or error", c.Log.Level)
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		return breach.Errorf(breach.EINVALID, "config: log.format %q is not text or json", c.Log.Format)
	}
	switch c.SMTP.TLS {
	case "none", "starttls", "tls":
	default:
		return breach.Errorf(breach.EINVALID, "config: smtp.tls %q is not none, starttls or tls", c.SMTP.TLS)
	}
	if c.SMTP.Port < 0 || c.SMTP.Port > 65535 {
		return breach.Errorf(breach.EINVALID, "config: smtp.port %d out of range", c.SMTP.Port)
	}
	if c.SMTP.Connections < 1 {
		return breach.Errorf(breach.EINVALID, "config: smtp.connections must be at least 1")
	}
	if c.SMTP.Username != "" && c.SMTP.Password == "" {
		return breach.Errorf(breach.EINVALID, "config: smtp.username is set but smtp.password is empty (set CANDOR_SMTP_PASSWORD or CANDOR_SMTP_PASSWORD_FILE)")
	}
	return nil
}

// IsPostgres reports whether DB names a PostgreSQL database.
func (c *Config) IsPostgres() bool {
	return strings.HasPrefix(c.DB, "postgres://") || strings.HasPrefix(c.DB, "postgresql://")
}

// Masked returns a copy with secrets replaced and the password in a
// PostgreSQL URL hidden.
func (c Config) Masked() Config {
	maskSecrets(reflect.ValueOf(&c).Elem())
	if c.IsPostgres() {
		c.DB = maskURLPassword(c.DB)
	}
	return c
}

func maskURLPassword(u string) string {
	scheme, rest, _ := strings.Cut(u, "://")
	userinfo, host, ok := strings.Cut(rest, "@")
	if !ok {
		return u
	}
	user, _, hasPass := strings.Cut(userinfo, ":")
	if !hasPass {
		return u
	}
	return scheme + "://" + user + ":****@" + host
}

func maskSecrets(v reflect.Value) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := v.Field(i)
		if f.Kind() == reflect.Struct {
			maskSecrets(f)
			continue
		}
		if t.Field(i).Tag.Get("secret") == "true" && f.Kind() == reflect.String && f.String() != "" {
			f.SetString("****")
		}
	}
}

func applyEnv(v reflect.Value, getenv func(string) string) error {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f, sf := v.Field(i), t.Field(i)
		if f.Kind() == reflect.Struct && sf.Type != reflect.TypeOf(time.Duration(0)) {
			if err := applyEnv(f, getenv); err != nil {
				return err
			}
			continue
		}
		name := sf.Tag.Get("env")
		if name == "" {
			continue
		}
		key := "CANDOR_" + name
		val := getenv(key)
		if val == "" && sf.Tag.Get("secret") == "true" {
			if file := getenv(key + "_FILE"); file != "" {
				b, err := os.ReadFile(file)
				if err != nil {
					return fmt.Errorf("read %s_FILE: %w", key, err)
				}
				val = strings.TrimRight(string(b), "\r\n")
			}
		}
		if val == "" {
			continue
		}
		if err := setField(f, val); err != nil {
			return breach.Errorf(breach.EINVALID, "%s=%q: %v", key, val, err)
		}
	}
	return nil
}

func setField(f reflect.Value, val string) error {
	switch f.Interface().(type) {
	case time.Duration:
		d, err := time.ParseDuration(val)
		if err != nil {
			return err
		}
		f.SetInt(int64(d))
		return nil
	}
	switch f.Kind() {
	case reflect.String:
		f.SetString(val)
	case reflect.Int:
		n, err := strconv.Atoi(val)
		if err != nil {
			return err
		}
		f.SetInt(int64(n))
	case reflect.Float64:
		n, err := strconv.ParseFloat(val, 64)
		if err != nil {
			return err
		}
		f.SetFloat(n)
	case reflect.Bool:
		b, err := strconv.ParseBool(val)
		if err != nil {
			return err
		}
		f.SetBool(b)
	default:
		return fmt.Errorf("unsupported type %s", f.Kind())
	}
	return nil
}

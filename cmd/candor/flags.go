package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/candor-dev/candor/internal/breach"
)

// parseTimeFlag accepts RFC 3339, "2006-01-02T15:04" or a date, the last
// two read in loc.
func parseTimeFlag(name, s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04", time.DateOnly} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, usageError{fmt.Errorf("--%s %q: want a time such as 2026-11-02T09:00:00-05:00 or a date 2026-11-02", name, s)}
}

// incidentIDFlag registers the common --incident flag.
func incidentIDFlag(cmd *cobra.Command, id *int64) {
	cmd.Flags().Int64Var(id, "incident", 0, "incident ID (see: candor incident list)")
	_ = cmd.MarkFlagRequired("incident")
}

// parseID parses a positional ID argument.
func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, usageError{fmt.Errorf("%q is not an ID", s)}
	}
	return id, nil
}

// parseElementsFlag parses a comma-separated element list.
func parseElementsFlag(s string) (breach.ElementSet, error) {
	set, err := breach.ParseElementSet(s)
	if err != nil {
		return 0, usageError{fmt.Errorf("--elements: %s", breach.ErrorMessage(err))}
	}
	return set, nil
}

// exactArgs is cobra.ExactArgs with a usage error (exit 2).
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := cobra.ExactArgs(n)(cmd, args); err != nil {
			return usageError{err}
		}
		return nil
	}
}

// noArgs rejects positional arguments with a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Errorf("unexpected argument %q for %s", args[0], cmd.CommandPath())}
	}
	return nil
}

func formatOptTime(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format(time.RFC3339)
}

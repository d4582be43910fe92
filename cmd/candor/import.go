package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/ingest"
)

func init() { register(newImportCmd) }

func newImportCmd(m *Main) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Import data into an incident",
		Args:  noArgs,
	}
	cmd.AddCommand(newImportPeopleCmd(m))
	return cmd
}

func newImportPeopleCmd(m *Main) *cobra.Command {
	var (
		incidentID int64
		maps       []string
		elements   string
		quarantine string
		sheet      string
		chunkSize  int
	)
	cmd := &cobra.Command{
		Use:   "people FILE",
		Short: "Import the people a breach affected from a CSV or XLSX file",
		Long: `Imports the list of affected people into an incident.

FILE is CSV (comma, semicolon or tab separated; UTF-8, UTF-8 with BOM, UTF-16 or
Latin-1/Windows-1252, detected) or an Excel workbook (.xlsx; the first sheet
unless --sheet). The first row names the columns. Common names are recognised
("Customer ID", "E-mail", "First Name", "ZIP Code", "Province"…); map others with
--map COLUMN=FIELD, where COLUMN is a column name or a 1-based column number:

  ` + strings.Join(ingest.Fields(), ", ") + `

"flag:ELEMENT" reads a yes/no column that says whether that element leaked for
the person, such as --map "SSN exposed=flag:ssn".

Exposed data elements come from an elements column ("name;ssn") and/or from
--elements for the whole file. Values are normalised (names, e-mail, US states,
ZIP codes, countries) and each person's jurisdiction is derived from the
address. Rows that cannot be used go to a quarantine CSV (default
FILE.quarantine.csv) with their line, column and reason; the other rows import.

Candor records which data elements leaked, never their values: a file with a
column of Social Security numbers, card numbers, passwords or PINs is refused.

Importing the same file again changes nothing. An import that was interrupted
(Ctrl-C, a crash) resumes where it stopped when run again.`,
		Example: `  # A CSV with an elements column
  candor import people customers.csv --incident 1

  # The same elements for everyone, and a column named differently
  candor import people export.csv --incident 1 --elements name,ssn,dob --map "Cust #=external_id"

  # The second sheet of a workbook, rejected rows to a chosen file, JSON summary
  candor import people affected.xlsx --incident 1 --sheet Customers --quarantine bad-rows.csv --json`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := ingest.Options{IncidentID: incidentID, Path: args[0], QuarantinePath: quarantine, Sheet: sheet, ChunkSize: chunkSize}
			if elements != "" {
				set, err := parseElementsFlag(elements)
				if err != nil {
					return err
				}
				opts.Elements = set
			}
			if len(maps) > 0 {
				opts.Map = make(map[string]string, len(maps))
				for _, kv := range maps {
					i := strings.LastIndexByte(kv, '=')
					if i <= 0 || i == len(kv)-1 {
						return usageError{fmt.Errorf("--map %q: want COLUMN=FIELD, such as \"Cust #=external_id\"", kv)}
					}
					opts.Map[strings.TrimSpace(kv[:i])] = strings.TrimSpace(kv[i+1:])
				}
			}
			if chunkSize < 0 {
				return usageError{fmt.Errorf("--chunk-size %d: want a positive number of rows", chunkSize)}
			}
			ctx := cmd.Context()
			s, err := m.Store(ctx)
			if err != nil {
				return err
			}
			opts.Progress = progressWriter(m)
			start := time.Now()
			res, err := ingest.Import(ctx, s, opts)
			if err != nil {
				if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
					return exitCodeError{code: exitError, msg: "import interrupted; run the same command again to resume where it stopped"}
				}
				return err
			}
			if m.Logger != nil {
				m.Logger.Info("import done", "file", res.File, "incident", incidentID, "batch", res.Batch, "rows", res.Rows,
					"imported", res.Imported, "updated", res.Updated, "rejected", res.Rejected, "elapsed", time.Since(start).Round(time.Millisecond))
			}
			if m.JSON {
				return m.printJSON(res)
			}
			return printImportResult(m.Stdout, incidentID, res)
		},
	}
	incidentIDFlag(cmd, &incidentID)
	cmd.Flags().StringArrayVar(&maps, "map", nil, "map a column to a field, `COLUMN=FIELD` (repeatable)")
	cmd.Flags().StringVar(&elements, "elements", "", "data elements exposed for everyone in the file, such as `name,ssn`")
	cmd.Flags().StringVar(&quarantine, "quarantine", "", "CSV file for rejected rows (default FILE.quarantine.csv)")
	cmd.Flags().StringVar(&sheet, "sheet", "", "worksheet of an XLSX file (default the first)")
	cmd.Flags().IntVar(&chunkSize, "chunk-size", ingest.DefaultChunkSize, "rows written per transaction")
	_ = cmd.RegisterFlagCompletionFunc("sheet", cobra.NoFileCompletions)
	_ = cmd.RegisterFlagCompletionFunc("elements", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		var keys []string
		for _, e := range breach.Elements() {
			keys = append(keys, e.Key+"\t"+e.Label)
		}
		return keys, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	})
	cmd.ValidArgsFunction = func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"csv", "tsv", "txt", "xlsx"}, cobra.ShellCompDirectiveFilterFileExt
	}
	return cmd
}

func printImportResult(w io.Writer, incidentID int64, res *ingest.Result) error {
	verb := "Imported"
	if res.ResumedAt > 0 {
		verb = fmt.Sprintf("Resumed at row %d and imported", res.ResumedAt)
	}
	fmt.Fprintf(w, "%s %s into incident %d (batch %d): %d rows\n", verb, res.File, incidentID, res.Batch, res.Rows)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "  imported\t%d\tnew people\n", res.Imported)
	fmt.Fprintf(tw, "  updated\t%d\tpeople already present whose data changed\n", res.Updated)
	fmt.Fprintf(tw, "  unchanged\t%d\tpeople already present, same data\n", res.Unchanged)
	fmt.Fprintf(tw, "  duplicates\t%d\trows merged into another row of the file\n", res.Duplicates)
	if res.Rejected > 0 {
		fmt.Fprintf(tw, "  rejected\t%d\trows in %s (line, column and reason for each)\n", res.Rejected, res.Quarantine)
	} else {
		fmt.Fprintf(tw, "  rejected\t0\t\n")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(res.Ignored) > 0 {
		fmt.Fprintf(w, "Ignored columns (map them with --map COLUMN=FIELD): %s\n", strings.Join(res.Ignored, ", "))
	}
	return nil
}

// progressWriter returns an import progress callback that draws a bar on
// stderr, or nil when stderr is not a terminal or output is JSON.
func progressWriter(m *Main) func(done, total int64) {
	if m.JSON {
		return nil
	}
	f, ok := m.Stderr.(*os.File)
	if !ok {
		return nil
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	var bar *progressbar.ProgressBar
	return func(done, total int64) {
		if bar == nil {
			bar = progressbar.NewOptions64(total,
				progressbar.OptionSetWriter(f),
				progressbar.OptionSetDescription("importing"),
				progressbar.OptionShowBytes(true),
				progressbar.OptionSetWidth(30),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionClearOnFinish(),
				progressbar.OptionSetPredictTime(true),
			)
		}
		_ = bar.Set64(done)
		if total > 0 && done >= total {
			_ = bar.Finish()
		}
	}
}

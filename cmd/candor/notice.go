package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/notice"
)

func init() { register(newNoticeCmd) }

func newNoticeCmd(m *Main) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "notice",
		Short: "Draft, check, preview, prove, approve and render the notices to affected people",
		Long: `One personal notice per person: a sincere apology, a plain account of what
happened, only that person's own exposed information, what the company is doing,
identity protection with their own code, steps they can take, and how to reach a
person, plus what each applicable law requires for them and nothing it forbids.

Workflow: template init (optional) → settings → draft → check → preview/proof →
approve → render. Any change after approval voids it.`,
		Args: noArgs,
	}
	cmd.AddCommand(newNoticeTemplateCmd(m), newNoticeSettingsCmd(m), newNoticeDraftCmd(m), newNoticeCheckCmd(m),
		newNoticePreviewCmd(m), newNoticeProofCmd(m), newNoticeApproveCmd(m), newNoticeRenderCmd(m), newNoticeStatusCmd(m))
	return cmd
}

// actor names who runs a command, for the audit log.
func (m *Main) actor(flag string) string {
	if strings.TrimSpace(flag) != "" {
		return strings.TrimSpace(flag)
	}
	if u := m.Getenv("USER"); u != "" {
		return u
	}
	return "candor"
}

func newNoticeTemplateCmd(m *Main) *cobra.Command {
	cmd := &cobra.Command{Use: "template", Short: "Work with notice templates", Args: noArgs}
	var (
		dir    string
		locale string
		force  bool
	)
	initCmd := &cobra.Command{
		Use:   "init",
		Short: "Write Candor's default templates to files you can edit",
		Long: `Writes the default notice templates (English and Spanish) as Markdown files to
edit, then draft with ` + "`candor notice draft --template FILE`" + `. Placeholders such as
{{name}} are filled per person; {{insert NAME}} adds a block Candor keeps up to date
(credit bureaus, FTC, state Attorney General…); {{#if COND}} … {{/if}} chooses text.`,
		Example: "  candor notice template init\n  candor notice template init --locale es --dir notices",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			locales := notice.DefaultLocales()
			if locale != "" && locale != "all" {
				locales = []string{locale}
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return breach.Errorf(breach.EINVALID, "create %s: %v", dir, err)
			}
			var written []string
			for _, l := range locales {
				text, err := notice.DefaultTemplate(l)
				if err != nil {
					return err
				}
				path := filepath.Join(dir, "notice."+l+".md")
				if _, err := os.Stat(path); err == nil && !force {
					return breach.Errorf(breach.ECONFLICT, "%s exists: use --force to overwrite it", path)
				}
				if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
					return breach.Errorf(breach.EINVALID, "write %s: %v", path, err)
				}
				written = append(written, path)
			}
			if m.JSON {
				return m.printJSON(map[string]any{"files": written})
			}
			for _, p := range written {
				fmt.Fprintf(m.Stdout, "wrote %s\n", p)
			}
			fmt.Fprintf(m.Stdout, "Edit them, then: candor notice draft --incident ID --template %s\n", strings.Join(written, " --template "))
			return nil
		},
	}
	initCmd.Flags().StringVar(&dir, "dir", ".", "directory to write the templates to")
	initCmd.Flags().StringVar(&locale, "locale", "all", "en, es or all")
	initCmd.Flags().BoolVar(&force, "force", false, "overwrite existing files")

	showCmd := &cobra.Command{
		Use:     "placeholders",
		Short:   "List the placeholders, inserts and conditions templates may use",
		Example: "  candor notice template placeholders",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ref := notice.Vocabulary()
			if m.JSON {
				return m.printJSON(ref)
			}
			w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
			for _, sec := range []struct {
				title string
				items []notice.VocabItem
			}{{"PLACEHOLDER", ref.Placeholders}, {"INSERT", ref.Inserts}, {"CONDITION", ref.Conditions}} {
				fmt.Fprintf(w, "%s\tSCOPE\tCONTENT ITEMS\tMEANING\n", sec.title)
				for _, it := range sec.items {
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", it.Name, orDash(it.Scope), orDash(strings.Join(it.Items, ", ")), it.Doc)
				}
				fmt.Fprintln(w, "\t\t\t")
			}
			return w.Flush()
		},
	}
	cmd.AddCommand(initCmd, showCmd)
	return cmd
}

func newNoticeSettingsCmd(m *Main) *cobra.Command {
	var (
		incidentID          int64
		signer, signerTitle string
		steps               []string
	)
	cmd := &cobra.Command{
		Use:   "settings",
		Short: "Set who signs the notice and the concrete measures it lists",
		Example: `  candor notice settings --incident 1 --signer "Dana Ruiz" --signer-title "Chief Executive Officer" \
      --step "We closed access to the exposed folder the day we found it." \
      --step "An outside security firm is reviewing all our systems."`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := m.Store(ctx)
			if err != nil {
				return err
			}
			ns, err := s.NoticeSettings(ctx, incidentID)
			if err != nil {
				return err
			}
			if cmd.Flags().Changed("signer") {
				ns.SignerName = strings.TrimSpace(signer)
			}
			if cmd.Flags().Changed("signer-title") {
				ns.SignerTitle = strings.TrimSpace(signerTitle)
			}
			if cmd.Flags().Changed("step") {
				ns.Steps = steps
			}
			if cmd.Flags().Changed("signer") || cmd.Flags().Changed("signer-title") || cmd.Flags().Changed("step") {
				if err := s.SetNoticeSettings(ctx, ns); err != nil {
					return err
				}
			}
			if m.JSON {
				return m.printJSON(ns)
			}
			fmt.Fprintf(m.Stdout, "Signer: %s, %s\nMeasures:\n", orDash(ns.SignerName), orDash(ns.SignerTitle))
			for _, st := range ns.Steps {
				fmt.Fprintf(m.Stdout, "  - %s\n", st)
			}
			return nil
		},
	}
	incidentIDFlag(cmd, &incidentID)
	cmd.Flags().StringVar(&signer, "signer", "", "name of the person who signs the notice")
	cmd.Flags().StringVar(&signerTitle, "signer-title", "", "the signer's job title")
	cmd.Flags().StringArrayVar(&steps, "step", nil, "a concrete measure taken, one sentence (repeat; replaces the list)")
	return cmd
}

func newNoticeDraftCmd(m *Main) *cobra.Command {
	var (
		incidentID int64
		files      []string
		as         string
	)
	cmd := &cobra.Command{
		Use:   "draft",
		Short: "Check and store the incident's notice templates (the defaults unless --template)",
		Long: `Parses and checks templates against the incident and every recipient group, then
stores them as the incident's current draft. Unknown placeholders, off-domain links,
missing facts and sections left empty are errors here, never at send time.`,
		Example: "  candor notice draft --incident 1\n  candor notice draft --incident 1 --template notice.en.md --template notice.es.md",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := m.Store(ctx)
			if err != nil {
				return err
			}
			var src []notice.Source
			if len(files) == 0 {
				if src, err = notice.DefaultSources(); err != nil {
					return err
				}
			}
			for _, f := range files {
				b, err := os.ReadFile(f)
				if err != nil {
					return breach.Errorf(breach.EINVALID, "read %s: %v", f, err)
				}
				src = append(src, notice.Source{Name: filepath.Base(f), Text: string(b)})
			}
			tpls, err := notice.Draft(ctx, s, incidentID, src, m.actor(as), notice.Options{})
			if err != nil {
				return err
			}
			if m.JSON {
				return m.printJSON(tpls)
			}
			for _, t := range tpls {
				fmt.Fprintf(m.Stdout, "Drafted %s template v%d (sha256 %.12s)\n", t.Locale, t.Version, t.SHA256)
			}
			fmt.Fprintf(m.Stdout, "Next: candor notice check --incident %d\n", incidentID)
			return nil
		},
	}
	incidentIDFlag(cmd, &incidentID)
	cmd.Flags().StringArrayVar(&files, "template", nil, "template file (repeat for each language); default: Candor's templates")
	cmd.Flags().StringVar(&as, "as", "", "who drafts (for the audit log; default $USER)")
	return cmd
}

func newNoticeCheckCmd(m *Main) *cobra.Command {
	var (
		incidentID int64
		verbose    bool
	)
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Check the drafted notice against each law, for every recipient group",
		Long: `Runs the content requirements of every law that applies against every group of
recipients (jurisdiction × exposed-element set) in every drafted language, and lists
what is missing. Exits 1 when anything keeps the notice from being approved.`,
		Example: "  candor notice check --incident 1\n  candor notice check --incident 1 --verbose --json",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := m.Store(ctx)
			if err != nil {
				return err
			}
			rep, err := notice.Check(ctx, s, incidentID, notice.Options{})
			if err != nil {
				return err
			}
			if m.JSON {
				if err := m.printJSON(rep); err != nil {
					return err
				}
			} else {
				printReport(m, rep, verbose)
			}
			if !rep.OK() {
				return exitCodeError{code: exitError, msg: fmt.Sprintf("%d problems: the notice cannot be approved yet", len(rep.Problems))}
			}
			return nil
		},
	}
	incidentIDFlag(cmd, &incidentID)
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "list every group, not only those with problems")
	return cmd
}

func printReport(m *Main, rep *notice.Report, verbose bool) {
	out := m.Stdout
	var tpls []string
	for _, t := range rep.Templates {
		tpls = append(tpls, fmt.Sprintf("%s v%d", t.Locale, t.Version))
	}
	fmt.Fprintf(out, "Templates: %s. %d people in %d variants (group × language).\n", strings.Join(tpls, ", "), rep.People, len(rep.Groups))
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "JURISDICTION\tELEMENTS\tLANG\tPEOPLE\tLAWS\tSTATUS")
	for _, g := range rep.Groups {
		if !verbose && len(g.Problems) == 0 {
			continue
		}
		status := "ok"
		if n := len(g.Problems); n > 0 {
			status = fmt.Sprintf("%d missing", n)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\t%s\n", orDash(string(g.Jurisdiction)), g.Elements, g.Locale, g.Count,
			orDash(strings.Join(g.Regimes, ",")), status)
	}
	w.Flush()
	if len(rep.Problems) == 0 {
		fmt.Fprintln(out, "No problems: every group gets what its laws require and nothing they forbid.")
	} else {
		fmt.Fprintf(out, "\n%d problems:\n", len(rep.Problems))
		for _, p := range rep.Problems {
			fmt.Fprintf(out, "  - %s\n", p)
		}
	}
	switch {
	case rep.Approved:
		fmt.Fprintf(out, "Approved by %s on %s; the approval still matches.\n", rep.Approval.ApprovedBy, rep.Approval.ApprovedAt.Format("2006-01-02 15:04 MST"))
	case rep.Approval != nil:
		fmt.Fprintf(out, "The approval by %s no longer matches: approve again after review.\n", rep.Approval.ApprovedBy)
	default:
		fmt.Fprintln(out, "Not approved yet.")
	}
}

func newNoticePreviewCmd(m *Main) *cobra.Command {
	var (
		incidentID     int64
		person, format string
		out            string
	)
	cmd := &cobra.Command{
		Use:   "preview",
		Short: "Render one person's notice (text, HTML, PDF letter or e-mail)",
		Example: `  candor notice preview --incident 1 --person C-100000
  candor notice preview --incident 1 --person C-100000 --format html > notice.html
  candor notice preview --incident 1 --person C-100000 --format pdf --out letter.pdf`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := m.Store(ctx)
			if err != nil {
				return err
			}
			p, err := s.FindPerson(ctx, incidentID, person)
			if err != nil {
				return err
			}
			r, err := notice.NewRenderer(ctx, s, incidentID, notice.Options{Draft: true})
			if err != nil {
				return err
			}
			var b []byte
			switch format {
			case "text":
				b, err = r.Text(p)
			case "html":
				b, err = r.HTML(p)
			case "eml":
				b, _, err = r.Email(p, nil)
			case "pdf":
				var buf bytes.Buffer
				_, err = r.Letters(&buf, []*breach.Person{p})
				b = buf.Bytes()
			default:
				return usageError{fmt.Errorf("--format %q: want text, html, pdf or eml", format)}
			}
			if err != nil {
				return err
			}
			if out != "" && out != "-" {
				if err := os.WriteFile(out, b, 0o644); err != nil {
					return breach.Errorf(breach.EINVALID, "write %s: %v", out, err)
				}
				fmt.Fprintf(m.Stderr, "wrote %s\n", out)
				return nil
			}
			_, err = m.Stdout.Write(b)
			return err
		},
	}
	incidentIDFlag(cmd, &incidentID)
	cmd.Flags().StringVar(&person, "person", "", "the person's external ID")
	_ = cmd.MarkFlagRequired("person")
	cmd.Flags().StringVar(&format, "format", "text", "text, html, pdf or eml")
	cmd.Flags().StringVar(&out, "out", "", "write to this file instead of standard output")
	return cmd
}

func newNoticeProofCmd(m *Main) *cobra.Command {
	var (
		incidentID int64
		out        string
	)
	cmd := &cobra.Command{
		Use:     "proof",
		Short:   "Render one sample per recipient group and language, with an index, for legal review",
		Example: "  candor notice proof --incident 1 --out proofs\n  open proofs/index.html",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := m.Store(ctx)
			if err != nil {
				return err
			}
			res, err := notice.WriteProofs(ctx, s, incidentID, out, notice.Options{})
			if err != nil {
				return err
			}
			if m.JSON {
				return m.printJSON(res)
			}
			fmt.Fprintf(m.Stdout, "Wrote %d files for %d variants to %s; index: %s\n", res.Files, res.Variants, res.Dir, res.Index)
			if res.Problems > 0 {
				fmt.Fprintf(m.Stdout, "%d problems are listed in the index (candor notice check --incident %d).\n", res.Problems, incidentID)
			}
			return nil
		},
	}
	incidentIDFlag(cmd, &incidentID)
	cmd.Flags().StringVar(&out, "out", "", "directory for the proofs")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func newNoticeApproveCmd(m *Main) *cobra.Command {
	var (
		incidentID int64
		as         string
	)
	cmd := &cobra.Command{
		Use:   "approve",
		Short: "Approve the checked notice: pins a hash of templates, facts and rules",
		Long: `Records who approved the notice and a hash of the templates, the incident facts
and the rules version, in the audit log. Rendering for delivery refuses anything
whose hash no longer matches: any change needs a new approval.`,
		Example: `  candor notice approve --incident 1 --as "Jordan Lee, General Counsel"`,
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := m.Store(ctx)
			if err != nil {
				return err
			}
			a, _, err := notice.Approve(ctx, s, incidentID, as, notice.Options{})
			if err != nil {
				return err
			}
			if m.JSON {
				return m.printJSON(a)
			}
			fmt.Fprintf(m.Stdout, "Approved by %s at %s\nHash %s (templates %.12s, facts %.12s, rules %s)\n",
				a.ApprovedBy, a.ApprovedAt.Format("2006-01-02 15:04:05 MST"), a.Hash, a.TemplateHash, a.FactsHash, a.RulesVersion)
			return nil
		},
	}
	incidentIDFlag(cmd, &incidentID)
	cmd.Flags().StringVar(&as, "as", "", "name of the approver")
	_ = cmd.MarkFlagRequired("as")
	return cmd
}

func newNoticeRenderCmd(m *Main) *cobra.Command {
	var (
		incidentID int64
		out        string
		ro         notice.RenderOptions
	)
	cmd := &cobra.Command{
		Use:   "render",
		Short: "Render the approved notices for delivery: e-mails, PDF letters or the mail-house manifest",
		Long: `Renders every person's approved notice: --format eml writes one MIME message per
person with an e-mail address (OUT/eml/*.eml); pdf writes print-ready letters in
batches (OUT/letters-0001.pdf …) with a mail-house manifest (OUT/manifest.csv);
manifest writes the manifest alone. Refuses unless the approval still matches.`,
		Example: "  candor notice render --incident 1 --out out --format eml\n  candor notice render --incident 1 --out print --format pdf --postal-only",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := m.Store(ctx)
			if err != nil {
				return err
			}
			sum, err := notice.Render(ctx, s, incidentID, out, ro, notice.Options{})
			if err != nil {
				return err
			}
			if m.JSON {
				return m.printJSON(sum)
			}
			fmt.Fprintf(m.Stdout, "Rendered %d %s notices to %s (%d people skipped)\n", sum.Rendered, sum.Format, sum.Dir, sum.Skipped)
			if sum.Manifest != "" {
				fmt.Fprintf(m.Stdout, "Manifest: %s\n", sum.Manifest)
			}
			return nil
		},
	}
	incidentIDFlag(cmd, &incidentID)
	cmd.Flags().StringVar(&out, "out", "", "output directory")
	_ = cmd.MarkFlagRequired("out")
	cmd.Flags().StringVar(&ro.Format, "format", "eml", "eml, pdf or manifest")
	cmd.Flags().IntVar(&ro.BatchSize, "batch-size", 500, "letters per PDF file")
	cmd.Flags().BoolVar(&ro.PostalOnly, "postal-only", false, "letters only for people without an e-mail address")
	return cmd
}

func newNoticeStatusCmd(m *Main) *cobra.Command {
	var incidentID int64
	cmd := &cobra.Command{
		Use:     "status",
		Short:   "Show the drafted templates and whether the approval still matches",
		Example: "  candor notice status --incident 1",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := m.Store(ctx)
			if err != nil {
				return err
			}
			rep, err := notice.Check(ctx, s, incidentID, notice.Options{})
			if err != nil {
				return err
			}
			if m.JSON {
				return m.printJSON(map[string]any{"templates": rep.Templates, "approval": rep.Approval, "approved": rep.Approved,
					"digest": rep.Digest, "problems": len(rep.Problems)})
			}
			for _, t := range rep.Templates {
				fmt.Fprintf(m.Stdout, "Template %s v%d sha256 %.12s\n", t.Locale, t.Version, t.SHA256)
			}
			fmt.Fprintf(m.Stdout, "Current hash %s; %d problems\n", rep.Digest.Hash, len(rep.Problems))
			switch {
			case rep.Approved:
				fmt.Fprintf(m.Stdout, "Approved by %s on %s: ready to render\n", rep.Approval.ApprovedBy, rep.Approval.ApprovedAt.Format("2006-01-02 15:04 MST"))
			case rep.Approval != nil:
				fmt.Fprintf(m.Stdout, "Approval by %s is void: something changed since (run candor notice check, then approve)\n", rep.Approval.ApprovedBy)
			default:
				fmt.Fprintln(m.Stdout, "Not approved")
			}
			return nil
		},
	}
	incidentIDFlag(cmd, &incidentID)
	return cmd
}

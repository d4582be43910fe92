package notice_test

import (
	"bytes"
	"context"
	"flag"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/notice"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with testdata/name, rewriting it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

// section returns the text between a heading line and the next heading
// (a line followed by a line of dashes).
func section(text, heading string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if l != heading || i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "---") {
			continue
		}
		var out []string
		for j := i + 2; j < len(lines); j++ {
			if j+1 < len(lines) && strings.HasPrefix(lines[j+1], "---") && lines[j] != "" {
				break
			}
			out = append(out, lines[j])
		}
		return strings.Join(out, "\n")
	}
	return ""
}

// listItems returns the "  - " items of a block of text.
func listItems(block string) []string {
	var out []string
	for _, l := range strings.Split(block, "\n") {
		if s, ok := strings.CutPrefix(l, "  - "); ok {
			out = append(out, s)
		}
	}
	return out
}

func TestNoticeListsExactlyThePersonsElements(t *testing.T) {
	f := newFixture(t)
	r := f.approve(t)
	for _, fp := range fixturePeople {
		t.Run(fp.id, func(t *testing.T) {
			p := f.people[fp.id]
			text, err := r.Text(p)
			if err != nil {
				t.Fatal(err)
			}
			heading := "What Information Was Involved"
			phrase := func(e breach.DataElement) string { return e.Info().Plain }
			if fp.locale == "es" {
				heading = "Qué información se vio afectada (What Information Was Involved)"
				phrase = func(e breach.DataElement) string { return e.Info().Spanish }
			}
			got := listItems(section(string(text), heading))
			var want []string
			for _, info := range breach.Elements() {
				if p.Elements.Has(info.Element) {
					want = append(want, strings.ToUpper(phrase(info.Element)[:1])+phrase(info.Element)[1:])
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("elements listed (-want +got):\n%s", diff)
			}
		})
	}
}

func TestJurisdictionInserts(t *testing.T) {
	f := newFixture(t)
	r := f.approve(t)
	tests := []struct {
		name    string
		person  string
		want    []string
		notWant []string
	}{
		{
			name:   "Massachusetts: no nature of the breach, no count; freeze, police report and identity protection",
			person: "MA-1",
			want: []string{"Place a security freeze", "You have the right to a police report", "24 months of identity protection",
				"enrollment code: GI-", "Northwind Outfitters, Inc."},
			notWant: []string{"storage folder that we had set up wrongly", "Someone outside Northwind downloaded", "This breach affected",
				"Attorney General", "You can complain", "privacy regulator"},
		},
		{
			name:    "Rhode Island: number affected, Attorney General, police report",
			person:  "RI-1",
			want:    []string{"This breach affected 8 people.", "Rhode Island residents", "150 South Main Street", "police report", "Place a security freeze"},
			notWant: []string{"Change your password"},
		},
		{
			name:    "New York: Attorney General and FTC; password advice for credentials",
			person:  "NY-1",
			want:    []string{"New York residents", "ag.ny.gov", "Federal Trade Commission", "Change your password"},
			notWant: []string{"This breach affected", "Social Security number\n"},
		},
		{
			name:   "California: title, headings, law-enforcement statement, Attorney General, bureaus",
			person: "CA-1",
			want: []string{"NOTICE OF DATA BREACH", "What Happened\n", "What Information Was Involved\n", "What We Are Doing\n",
				"What You Can Do\n", "For More Information\n", "not delayed because of a law-enforcement investigation",
				"oag.ca.gov/privacy", "Equifax: 1-888-298-0045", "charge your card"},
		},
		{
			name:    "Texas in Spanish: bilingual headings, Spanish inserts, no Attorney General table entry",
			person:  "TX-2",
			want:    []string{"Estimado/a José Núñez:", "Qué sucedió (What Happened)", "Congele su crédito", "Su número de Seguro Social"},
			notWant: []string{"residentes de Texas", "Dear "},
		},
		{
			name:   "Germany: no US bureaus or FTC, general advice, consequences",
			person: "DE-1",
			want: []string{"Watch your accounts", "sign in to your account", "Change your password", "privacy@northwind.example",
				"You also have the right to complain"},
			notWant: []string{"Equifax", "Federal Trade Commission", "security freeze", "Social Security number",
				"We have told the privacy regulator", "We do not know who"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, err := r.Text(f.people[tt.person])
			if err != nil {
				t.Fatal(err)
			}
			s := string(text)
			for _, w := range tt.want {
				if !strings.Contains(s, w) {
					t.Errorf("notice for %s lacks %q", tt.person, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(s, w) {
					t.Errorf("notice for %s contains %q", tt.person, w)
				}
			}
		})
	}
}

func TestCheckReportsMissingContent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	src, err := notice.DefaultTemplate("en")
	if err != nil {
		t.Fatal(err)
	}
	// Without the Attorney General insert, New York and Rhode Island lack
	// a content item their laws require.
	src = strings.Replace(src, "{{insert state_ag}}\n", "", 1)
	if _, err := notice.Draft(ctx, f.store, f.incident.ID, []notice.Source{{Name: "no-ag.md", Text: src}}, "t", f.opts()); err != nil {
		t.Fatal(err)
	}
	rep, err := notice.Check(ctx, f.store, f.incident.ID, f.opts())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range rep.Problems {
		got = append(got, p.String())
	}
	want := []string{
		"US-CA with name+card_number+account_access_code: US-CA requires ca_state_specific_info (California-specific information required by Cal. Civ. Code § 1798.82(d).), which the en template does not provide: add {{insert state_ag}}",
		"US-NY with email+password: US-NY requires state_ag_contact (Contact details of the state Attorney General.), which the en template does not provide: add {{ag_address}} or {{ag_name}} or {{ag_phone}} or {{ag_url}} or {{insert state_ag}}",
		"US-RI with name+drivers_license: US-RI requires state_ag_contact (Contact details of the state Attorney General.), which the en template does not provide: add {{ag_address}} or {{ag_name}} or {{ag_phone}} or {{ag_url}} or {{insert state_ag}}",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("problems (-want +got):\n%s", diff)
	}
	if _, _, err := notice.Approve(ctx, f.store, f.incident.ID, "Counsel", f.opts()); breach.ErrorCode(err) != breach.EINVALID {
		t.Fatalf("approve with problems: got %v, want EINVALID", err)
	}
	if _, err := f.store.LatestNoticeApproval(ctx, f.incident.ID); breach.ErrorCode(err) != breach.ENOTFOUND {
		t.Fatalf("a refused approval must record nothing: got %v", err)
	}
}

func TestDraftRejects(t *testing.T) {
	base, err := notice.DefaultTemplate("en")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		edit    func(string) string
		wantErr string
	}{
		{"unknown placeholder", func(s string) string { return strings.Replace(s, "Dear {{name}},", "Dear {{first_nme}},", 1) },
			"notice.en.md:8: unknown placeholder {{first_nme}} (did you mean {{first_name}}?)"},
		{"unknown insert", func(s string) string { return strings.Replace(s, "{{insert ftc}}", "{{insert fcc}}", 1) },
			"notice.en.md:93: unknown insert \"fcc\""},
		{"unknown condition", func(s string) string { return strings.Replace(s, "{{#if contained}}", "{{#if containd}}", 1) },
			"notice.en.md:20: unknown condition \"containd\""},
		{"link off the domain", func(s string) string {
			return strings.Replace(s, "Our only website is {{site_url}}.", "Our only website is https://northwind-support.example.", 1)
		}, "link \"https://northwind-support.example\" is not on northwind.example"},
		{"link shortener", func(s string) string { return strings.Replace(s, "{{idp_url}}", "https://bit.ly/nw", 1) },
			"link \"https://bit.ly/nw\" is not on northwind.example"},
		{"plain http", func(s string) string { return strings.Replace(s, "{{site_url}}", "http://northwind.example", 1) },
			"links must start with https://"},
		{"person value in the subject", func(s string) string { return strings.Replace(s, "subject: \"{{brand}}", "subject: \"{{name}}", 1) },
			"notice.en.md:3: {{name}} differs per person or group and cannot be used in the subject or title"},
		{"missing section", func(s string) string {
			return strings.Replace(s, "## What We Are Doing {#what_we_are_doing}", "### What We Are Doing", 1)
		}, "the template has no what_we_are_doing section"},
		{"section emptied for a group", func(s string) string {
			i := strings.Index(s, "## What Happened")
			j := strings.Index(s, "## What Information")
			return s[:i] + "## What Happened {#what_happened}\n\n{{what_happened}}\n\n" + s[j:]
		}, "section what_happened is empty for US-MA with name+ssn"},
		{"unclosed block", func(s string) string { return strings.Replace(s, "{{/unless}}", "", 1) },
			"{{#unless us}} is never closed"},
		{"missing fact", func(s string) string {
			return strings.Replace(s, "{{support_hours}}", "{{support_hours}}, {{idp_provider}}", 1) + "\n{{contained_date}}\n"
		},
			""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			_, err := notice.Draft(ctx, f.store, f.incident.ID, []notice.Source{{Name: "notice.en.md", Text: tt.edit(base)}}, "t", f.opts())
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("got %v, want the draft accepted (the facts exist)", err)
				}
				return
			}
			if breach.ErrorCode(err) != breach.EINVALID || !strings.Contains(breach.ErrorMessage(err), tt.wantErr) {
				t.Fatalf("got %v\nwant EINVALID with %q", err, tt.wantErr)
			}
			if tpls, _ := f.store.NoticeTemplates(ctx, f.incident.ID); len(tpls) != 0 {
				t.Fatal("a rejected draft must store nothing")
			}
		})
	}
}

func TestDraftRejectsMissingFacts(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	empty := ""
	if _, err := f.store.UpdateIncident(ctx, f.incident.ID, breach.IncidentUpdate{WhatHappened: &empty}); err != nil {
		t.Fatal(err)
	}
	if err := f.store.SetNoticeSettings(ctx, &breach.NoticeSettings{IncidentID: f.incident.ID}); err != nil {
		t.Fatal(err)
	}
	src, _ := notice.DefaultSources()
	_, err := notice.Draft(ctx, f.store, f.incident.ID, src[:1], "t", f.opts())
	want := "the notice cannot be drafted:\n" +
		"  notice.en.md:16: {{what_happened}}: the incident has no account of what happened: run `candor incident update --what-happened`\n" +
		"  notice.en.md:54: {{steps}}: no measures are recorded: run `candor notice settings --step \"…\"` once for each concrete step\n" +
		"  notice.en.md:124: {{signer_name}}: no one signs the notice: run `candor notice settings --signer \"Name\" --signer-title \"Title\"`\n" +
		"  notice.en.md:125: {{signer_title}}: the signer has no title: run `candor notice settings --signer-title`"
	if diff := cmp.Diff(want, breach.ErrorMessage(err)); diff != "" {
		t.Fatalf("draft error (-want +got):\n%s", diff)
	}
}

func TestChangesVoidApproval(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		change func(t *testing.T, f *fixture)
		want   string
	}{
		{"template edited", func(t *testing.T, f *fixture) {
			src, _ := notice.DefaultTemplate("en")
			src = strings.Replace(src, "We are sorry.", "We are very sorry.", 1)
			if _, err := notice.Draft(ctx, f.store, f.incident.ID, []notice.Source{{Name: "en.md", Text: src}}, "t", f.opts()); err != nil {
				t.Fatal(err)
			}
		}, "the template changed"},
		{"incident facts edited", func(t *testing.T, f *fixture) {
			w := "A different account."
			if _, err := f.store.UpdateIncident(ctx, f.incident.ID, breach.IncidentUpdate{WhatHappened: &w}); err != nil {
				t.Fatal(err)
			}
		}, "the incident facts, organisation, remedies or recipients changed"},
		{"enrol-by date dropped", func(t *testing.T, f *fixture) {
			if err := f.store.SetRemedyProgram(ctx, &breach.RemedyProgram{IncidentID: f.incident.ID, Kind: breach.RemedyIDP, Provider: "Guardly Identity",
				Months: 24, URL: "https://northwind.example/protect"}, "t"); err != nil {
				t.Fatal(err)
			}
		}, "remedies or recipients changed"},
		{"status change keeps the approval", func(t *testing.T, f *fixture) {
			st := breach.StatusNotifying
			if _, err := f.store.UpdateIncident(ctx, f.incident.ID, breach.IncidentUpdate{Status: &st}); err != nil {
				t.Fatal(err)
			}
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.approve(t)
			tt.change(t, f)
			r, err := notice.NewRenderer(ctx, f.store, f.incident.ID, f.opts())
			if tt.want == "" {
				if err != nil {
					t.Fatalf("got %v, want the approval to hold", err)
				}
				if _, _, err := r.Email(f.people["TX-1"], nil); err != nil {
					t.Fatal(err)
				}
				if a, err := notice.CurrentApproval(ctx, f.store, f.incident.ID); err != nil || a.ApprovedBy != "Test Counsel" {
					t.Fatalf("CurrentApproval: got %+v, %v", a, err)
				}
				return
			}
			if breach.ErrorCode(err) != breach.ECONFLICT || !strings.Contains(breach.ErrorMessage(err), tt.want) {
				t.Fatalf("got %v, want ECONFLICT saying %q", err, tt.want)
			}
			if _, err := notice.CurrentApproval(ctx, f.store, f.incident.ID); breach.ErrorCode(err) != breach.ECONFLICT {
				t.Fatalf("CurrentApproval after the change: got %v, want ECONFLICT", err)
			}
			if _, err := notice.Render(ctx, f.store, f.incident.ID, t.TempDir(), notice.RenderOptions{Format: notice.FormatEML}, f.opts()); breach.ErrorCode(err) != breach.ECONFLICT {
				t.Fatalf("render after the change: got %v, want ECONFLICT", err)
			}
			if _, _, err := notice.Approve(ctx, f.store, f.incident.ID, "Counsel Again", f.opts()); err != nil {
				t.Fatal(err)
			}
			if _, err := notice.NewRenderer(ctx, f.store, f.incident.ID, f.opts()); err != nil {
				t.Fatalf("after a new approval: %v", err)
			}
		})
	}
}

func TestNoApprovalNoRender(t *testing.T) {
	f := newFixture(t)
	f.draftDefaults(t)
	_, err := notice.NewRenderer(context.Background(), f.store, f.incident.ID, f.opts())
	if breach.ErrorCode(err) != breach.ENOTFOUND {
		t.Fatalf("render without approval: got %v, want ENOTFOUND", err)
	}
}

func TestApprovalIsAudited(t *testing.T) {
	f := newFixture(t)
	f.approve(t)
	entries, err := f.store.FindAudit(context.Background(), breach.AuditFilter{IncidentID: f.incident.ID})
	if err != nil {
		t.Fatal(err)
	}
	last := entries[len(entries)-1]
	a, _ := f.store.LatestNoticeApproval(context.Background(), f.incident.ID)
	if last.Action != "notice.approve" || last.Actor != "Test Counsel" || last.Subject != a.Hash {
		t.Fatalf("last audit entry: got %+v, want the approval by Test Counsel of %s", last, a.Hash)
	}
}

// parsed is an e-mail taken apart.
type parsed struct {
	header     mail.Header
	text, html string
}

func parseEmail(t *testing.T, msg []byte) parsed {
	t.Helper()
	for i, l := range bytes.Split(msg, []byte("\r\n")) {
		if len(l) > 78 {
			t.Fatalf("line %d is %d characters long: %q", i+1, len(l), l)
		}
	}
	if bytes.Contains(bytes.ReplaceAll(msg, []byte("\r\n"), nil), []byte("\n")) {
		t.Fatal("bare LF in message")
	}
	m, err := mail.ReadMessage(bytes.NewReader(msg))
	if err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("content type: got %q, %v", mt, err)
	}
	out := parsed{header: m.Header}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if part.Header.Get("Content-Transfer-Encoding") != "quoted-printable" {
			t.Fatalf("part encoding: got %q", part.Header.Get("Content-Transfer-Encoding"))
		}
		b, err := io.ReadAll(quotedprintable.NewReader(part))
		if err != nil {
			t.Fatal(err)
		}
		b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
		switch ct := part.Header.Get("Content-Type"); ct {
		case "text/plain; charset=utf-8":
			out.text = string(b)
		case "text/html; charset=utf-8":
			out.html = string(b)
		default:
			t.Fatalf("unexpected part %q", ct)
		}
	}
	return out
}

func TestEmailMIME(t *testing.T) {
	f := newFixture(t)
	r := f.approve(t)
	for _, id := range []string{"TX-1", "TX-2", "CA-1", "DE-1"} {
		t.Run(id, func(t *testing.T) {
			p := f.people[id]
			msg, msgID, err := r.Email(p, nil)
			if err != nil {
				t.Fatal(err)
			}
			e := parseEmail(t, msg)
			h := e.header
			if from, err := mail.ParseAddress(h.Get("From")); err != nil || from.Address != "notices@northwind.example" {
				t.Errorf("From: got %q, %v", h.Get("From"), err)
			}
			if rt, err := mail.ParseAddress(h.Get("Reply-To")); err != nil || rt.Address != "privacy@northwind.example" {
				t.Errorf("Reply-To: got %q, %v", h.Get("Reply-To"), err)
			}
			if to, err := mail.ParseAddress(h.Get("To")); err != nil || to.Address != p.Email || to.Name != p.Name() {
				t.Errorf("To: got %q (%v), want %s <%s>", h.Get("To"), err, p.Name(), p.Email)
			}
			if h.Get("Message-ID") != msgID || !strings.HasSuffix(msgID, "@northwind.example>") {
				t.Errorf("Message-ID: got %q, returned %q", h.Get("Message-ID"), msgID)
			}
			if d, err := h.Date(); err != nil || !d.Equal(fixedNow) {
				t.Errorf("Date: got %v, %v", d, err)
			}
			subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
			if want, _ := r.Subject(p); err != nil || subject != want {
				t.Errorf("Subject: got %q, %v; want %q", subject, err, want)
			}
			text, _ := r.Text(p)
			if diff := cmp.Diff(string(text), e.text); diff != "" {
				t.Errorf("text part differs from Text (-Text +part):\n%s", diff)
			}
			html, _ := r.HTML(p)
			if diff := cmp.Diff(strings.ReplaceAll(string(html), "\n", " "), strings.ReplaceAll(e.html, "\n", " ")); diff != "" {
				t.Errorf("HTML part differs from HTML (-HTML +part):\n%s", diff)
			}
			for _, bad := range []string{"<img", "<script", "http://", "bit.ly", "src="} {
				if strings.Contains(e.html, bad) {
					t.Errorf("HTML part contains %q", bad)
				}
			}
			if ref := h.Get("X-Candor-Reference"); !strings.Contains(e.text, ref) || r.Reference(p) != ref {
				t.Errorf("reference %q is not in the text or does not match %q", ref, r.Reference(p))
			}
		})
	}
}

func TestEmailRefusals(t *testing.T) {
	f := newFixture(t)
	r := f.approve(t)
	ctx := context.Background()
	if _, _, err := r.Email(f.people["RI-1"], nil); breach.ErrorCode(err) != breach.EINVALID {
		t.Fatalf("person without e-mail: got %v, want EINVALID", err)
	}
	// A person added after approval voids it; a person of the same group
	// without a code is refused at render.
	stranger := *f.people["TX-1"]
	stranger.ID += 1000
	if _, _, err := r.Email(&stranger, nil); breach.ErrorCode(err) != breach.ECONFLICT {
		t.Fatalf("person without codes: got %v, want ECONFLICT", err)
	}
	other := *f.people["TX-1"]
	other.IncidentID = f.incident.ID + 1
	if _, _, err := r.Email(&other, nil); breach.ErrorCode(err) != breach.EINVALID {
		t.Fatalf("person of another incident: got %v, want EINVALID", err)
	}
	_ = ctx
}

func TestGolden(t *testing.T) {
	f := newFixture(t)
	r := f.approve(t)
	for _, id := range []string{"TX-1", "TX-2", "MA-1", "CA-1", "NY-1", "RI-1", "DE-1"} {
		t.Run(id, func(t *testing.T) {
			p := f.people[id]
			text, err := r.Text(p)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, id+".txt", text)
			html, err := r.HTML(p)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, id+".html", html)
			if p.Email != "" {
				msg, _, err := r.Email(p, nil)
				if err != nil {
					t.Fatal(err)
				}
				golden(t, id+".eml", msg)
			}
			var pdf bytes.Buffer
			if _, err := r.Letters(&pdf, []*breach.Person{p}); err != nil {
				t.Fatal(err)
			}
			golden(t, id+".pdf.txt", []byte(pdfTextDump(t, pdf.Bytes())))
		})
	}
}

func TestReference(t *testing.T) {
	ref := notice.NewReferencer(7, []byte("0123456789abcdef0123456789abcdef"))
	other := notice.NewReferencer(7, []byte("another secret, another incident"))
	seen := map[string]bool{}
	for _, id := range []int64{1, 2, 3, 999, 1 << 30, 1<<40 - 1} {
		code := ref.Code(id)
		if len(code) != 19 || seen[code] {
			t.Fatalf("code %q for %d: want 19 characters, unique", code, id)
		}
		seen[code] = true
		got, err := ref.PersonID(strings.ToLower(strings.ReplaceAll(code, "-", " ")))
		if err != nil || got != id {
			t.Fatalf("PersonID(%q): got %d, %v; want %d", code, got, err, id)
		}
		if _, err := other.PersonID(code); breach.ErrorCode(err) != breach.EINVALID {
			t.Fatalf("code of another incident accepted: %v", err)
		}
		// Change one character: the check must catch it.
		b := []byte(code)
		if b[5] == 'A' {
			b[5] = 'B'
		} else {
			b[5] = 'A'
		}
		if _, err := ref.PersonID(string(b)); breach.ErrorCode(err) != breach.EINVALID {
			t.Fatalf("altered code %q accepted", b)
		}
	}
	for _, bad := range []string{"", "ABCD", "ABCD-EFGH-JKMN-PQRS-T", "ABCD-EFGH-JKMN-PQR!"} {
		if _, err := ref.PersonID(bad); breach.ErrorCode(err) != breach.EINVALID {
			t.Errorf("PersonID(%q): got %v, want EINVALID", bad, err)
		}
	}
}

func TestTemplateInitRoundTrip(t *testing.T) {
	for _, l := range notice.DefaultLocales() {
		src, err := notice.DefaultTemplate(l)
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := notice.Parse("notice."+l+".md", src)
		if err != nil {
			t.Fatalf("default %s template: %v", l, err)
		}
		if tpl.Locale != l {
			t.Fatalf("locale: got %q, want %q", tpl.Locale, l)
		}
	}
	if _, err := notice.DefaultTemplate("fr"); breach.ErrorCode(err) != breach.EINVALID {
		t.Fatalf("French default: got %v, want EINVALID", err)
	}
}

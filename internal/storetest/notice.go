package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/candor-dev/candor/internal/breach"
)

// NoticeStore is what the notice, remedy and audit cases need.
type NoticeStore interface {
	Store
	breach.NoticeStore
	breach.RemedyStore
	breach.AuditStore
}

// runNotice runs the notice, remedy and audit cases; stores that do not
// implement them fail.
func runNotice(t *testing.T, open Opener) {
	get := func(t *testing.T) NoticeStore {
		s, ok := open(t).(NoticeStore)
		if !ok {
			t.Fatal("store does not implement NoticeStore, RemedyStore and AuditStore")
		}
		return s
	}
	t.Run("NoticeTemplates", func(t *testing.T) { testNoticeTemplates(t, get(t)) })
	t.Run("NoticeSettings", func(t *testing.T) { testNoticeSettings(t, get(t)) })
	t.Run("NoticeApproval", func(t *testing.T) { testNoticeApproval(t, get(t)) })
	t.Run("NoticeSamples", func(t *testing.T) { testNoticeSamples(t, get(t)) })
	t.Run("RemedyCodes", func(t *testing.T) { testRemedyCodes(t, get(t)) })
	t.Run("AuditChain", func(t *testing.T) { testAuditChain(t, get(t)) })
}

func mustIncident(tb testing.TB, s Store) *breach.Incident {
	tb.Helper()
	inc := NewIncident()
	if err := s.CreateIncident(context.Background(), inc); err != nil {
		tb.Fatal(err)
	}
	return inc
}

func testNoticeTemplates(t *testing.T, s NoticeStore) {
	ctx := context.Background()
	inc := mustIncident(t, s)
	got, err := s.NoticeTemplates(ctx, inc.ID)
	if err != nil || len(got) != 0 {
		t.Fatalf("templates before drafting: got %v, %v; want none", got, err)
	}
	for _, tt := range []struct{ locale, source string }{{"en", "v1"}, {"es", "uno"}, {"en", "v2"}} {
		tpl := &breach.NoticeTemplate{IncidentID: inc.ID, Locale: tt.locale, Source: tt.source, DraftedBy: "Pat"}
		if err := s.SaveNoticeTemplate(ctx, tpl); err != nil {
			t.Fatal(err)
		}
		if tpl.ID == 0 || tpl.SHA256 != breach.SourceHash(tt.source) {
			t.Fatalf("saved template: got id %d sha %s", tpl.ID, tpl.SHA256)
		}
	}
	got, err = s.NoticeTemplates(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	var summary []string
	for _, tpl := range got {
		summary = append(summary, fmt.Sprintf("%s v%d %s by %s", tpl.Locale, tpl.Version, tpl.Source, tpl.DraftedBy))
	}
	if diff := cmp.Diff([]string{"en v2 v2 by Pat", "es v1 uno by Pat"}, summary); diff != "" {
		t.Fatalf("current templates (-want +got):\n%s", diff)
	}
	err = s.SaveNoticeTemplate(ctx, &breach.NoticeTemplate{IncidentID: inc.ID + 50, Locale: "en", Source: "x"})
	if breach.ErrorCode(err) != breach.ENOTFOUND {
		t.Fatalf("template for a missing incident: got %v, want ENOTFOUND", err)
	}
	entries, err := s.FindAudit(ctx, breach.AuditFilter{IncidentID: inc.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 || entries[2].Action != "notice.draft" || entries[2].Subject != "template en v2" {
		t.Fatalf("draft audit entries: got %d, last %+v", len(entries), entries[len(entries)-1])
	}
}

func testNoticeSettings(t *testing.T, s NoticeStore) {
	ctx := context.Background()
	inc := mustIncident(t, s)
	first, err := s.NoticeSettings(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Secret) != 32 {
		t.Fatalf("secret: got %d bytes, want 32", len(first.Secret))
	}
	upd := &breach.NoticeSettings{IncidentID: inc.ID, SignerName: "Dana Ruiz", SignerTitle: "Chief Executive Officer",
		Steps: []string{"We closed the open folder.", "We reset every password."}}
	if err := s.SetNoticeSettings(ctx, upd); err != nil {
		t.Fatal(err)
	}
	again, err := s.NoticeSettings(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if string(again.Secret) != string(first.Secret) {
		t.Fatal("the reference secret must not change when settings are updated")
	}
	if diff := cmp.Diff(upd.Steps, again.Steps); diff != "" || again.SignerName != "Dana Ruiz" {
		t.Fatalf("settings after update: %+v (-want +got steps):\n%s", again, diff)
	}
	if _, err := s.NoticeSettings(ctx, inc.ID+50); breach.ErrorCode(err) != breach.ENOTFOUND {
		t.Fatalf("settings of a missing incident: got %v, want ENOTFOUND", err)
	}
}

func testNoticeApproval(t *testing.T, s NoticeStore) {
	ctx := context.Background()
	inc := mustIncident(t, s)
	if _, err := s.LatestNoticeApproval(ctx, inc.ID); breach.ErrorCode(err) != breach.ENOTFOUND {
		t.Fatalf("approval before any: got %v, want ENOTFOUND", err)
	}
	for i, by := range []string{"First Counsel", "Second Counsel"} {
		a := &breach.NoticeApproval{IncidentID: inc.ID, ApprovedBy: by, Hash: fmt.Sprintf("h%d", i), TemplateHash: "t",
			FactsHash: "f", RulesVersion: "r"}
		e := &breach.AuditEntry{Actor: by, Action: "notice.approve", IncidentID: inc.ID, Subject: a.Hash}
		if err := s.CreateNoticeApproval(ctx, a, e); err != nil {
			t.Fatal(err)
		}
		if a.ID == 0 || e.Seq == 0 {
			t.Fatalf("approval %d: got id %d, audit seq %d", i, a.ID, e.Seq)
		}
	}
	got, err := s.LatestNoticeApproval(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ApprovedBy != "Second Counsel" || got.Hash != "h1" || got.RulesVersion != "r" {
		t.Fatalf("latest approval: got %+v", got)
	}
	if err := s.CreateNoticeApproval(ctx, &breach.NoticeApproval{IncidentID: inc.ID, Hash: "x"}, nil); breach.ErrorCode(err) != breach.EINVALID {
		t.Fatalf("approval without a name: got %v, want EINVALID", err)
	}
}

func testNoticeSamples(t *testing.T, s NoticeStore) {
	ctx := context.Background()
	inc := mustIncident(t, s)
	b := mustBegin(t, s, inc.ID, "sha-s")
	mustWrite(t, s, b, 5, breach.ImportCounts{},
		Row("1", "", "US-TX", breach.ElementName, breach.ElementSSN),
		Row("2", "", "US-TX", breach.ElementName, breach.ElementSSN),
		Row("3", "", "US-TX", breach.ElementEmail, breach.ElementPassword),
		Row("4", "", "US-MA", breach.ElementName, breach.ElementSSN),
		Row("5", "", "US-MA", breach.ElementName, breach.ElementSSN))
	if err := s.FinishImport(ctx, b); err != nil {
		t.Fatal(err)
	}
	got, err := s.NoticeSamples(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range got {
		ids = append(ids, p.ExternalID)
	}
	if diff := cmp.Diff([]string{"4", "1", "3"}, ids); diff != "" {
		t.Fatalf("samples (-want +got):\n%s", diff)
	}
}

func testRemedyCodes(t *testing.T, s NoticeStore) {
	ctx := context.Background()
	inc := mustIncident(t, s)
	b := mustBegin(t, s, inc.ID, "sha-c")
	mustWrite(t, s, b, 3, breach.ImportCounts{},
		Row("1", "", "US-TX", breach.ElementSSN), Row("2", "", "US-TX", breach.ElementSSN), Row("3", "", "US-TX", breach.ElementSSN))
	if err := s.FinishImport(ctx, b); err != nil {
		t.Fatal(err)
	}
	prog := &breach.RemedyProgram{IncidentID: inc.ID, Kind: breach.RemedyIDP, Provider: "Shield", Months: 24,
		URL: "https://acme.example/protect", Deadline: "2027-03-31"}
	if err := s.SetRemedyProgram(ctx, prog, "Pat"); err != nil {
		t.Fatal(err)
	}
	bad := &breach.RemedyProgram{IncidentID: inc.ID, Kind: breach.RemedyIDP, Provider: "Shield", Months: 6, URL: "https://acme.example/p"}
	if err := s.SetRemedyProgram(ctx, bad, "Pat"); breach.ErrorCode(err) != breach.EINVALID {
		t.Fatalf("6-month plan: got %v, want EINVALID", err)
	}
	progs, err := s.RemedyPrograms(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(progs) != 1 || progs[0].Provider != "Shield" || progs[0].Months != 24 || progs[0].Deadline != "2027-03-31" {
		t.Fatalf("programs: got %+v", progs)
	}

	added, dups, err := s.ImportRemedyCodes(ctx, inc.ID, breach.RemedyIDP, []string{"A1", "A2", "A1"}, "Pat")
	if err != nil || added != 2 || dups != 1 {
		t.Fatalf("import codes: got added=%d dups=%d err=%v, want 2, 1", added, dups, err)
	}
	if _, err := s.AssignRemedyCodes(ctx, inc.ID, breach.RemedyIDP, "Pat"); breach.ErrorCode(err) != breach.ECONFLICT {
		t.Fatalf("assign with too few codes: got %v, want ECONFLICT", err)
	}
	if st, _ := s.RemedyPoolStats(ctx, inc.ID, breach.RemedyIDP); st.Assigned != 0 {
		t.Fatalf("a refused assignment must assign nothing: got %+v", st)
	}
	if _, _, err := s.ImportRemedyCodes(ctx, inc.ID, breach.RemedyIDP, []string{"A3", "A4"}, "Pat"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.ImportRemedyCodes(ctx, inc.ID, breach.RemedyIDP, []string{"bad code"}, "Pat"); breach.ErrorCode(err) != breach.EINVALID {
		t.Fatalf("code with a space: got %v, want EINVALID", err)
	}
	n, err := s.AssignRemedyCodes(ctx, inc.ID, breach.RemedyIDP, "Pat")
	if err != nil || n != 3 {
		t.Fatalf("assign: got %d, %v; want 3", n, err)
	}
	if n, err := s.AssignRemedyCodes(ctx, inc.ID, breach.RemedyIDP, "Pat"); err != nil || n != 0 {
		t.Fatalf("assign again: got %d, %v; want 0 (everyone has a code)", n, err)
	}
	people, err := s.FindPeople(ctx, breach.PersonFilter{IncidentID: inc.ID})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, p := range people {
		ids = append(ids, p.ID)
	}
	codes, err := s.RemedyCodes(ctx, inc.ID, ids)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]breach.RemedyCodes{ids[0]: {IDP: "A1"}, ids[1]: {IDP: "A2"}, ids[2]: {IDP: "A3"}}
	if diff := cmp.Diff(want, codes); diff != "" {
		t.Fatalf("codes (-want +got):\n%s", diff)
	}
	st, err := s.RemedyPoolStats(ctx, inc.ID, breach.RemedyIDP)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&breach.RemedyPoolStats{Kind: "idp", Total: 4, Assigned: 3}, st); diff != "" {
		t.Fatalf("pool stats (-want +got):\n%s", diff)
	}
}

func testAuditChain(t *testing.T, s NoticeStore) {
	ctx := context.Background()
	var prev string
	for i := 1; i <= 3; i++ {
		e := &breach.AuditEntry{Actor: "pat", Action: "test.event", IncidentID: int64(i % 2), Subject: fmt.Sprint(i),
			Detail: []byte(`{"n":` + fmt.Sprint(i) + `}`)}
		if err := s.AppendAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
		if e.Seq != int64(i) || e.PrevHash != prev || e.Hash != e.ComputeHash(prev) {
			t.Fatalf("entry %d: got seq %d prev %q hash %q", i, e.Seq, e.PrevHash, e.Hash)
		}
		prev = e.Hash
	}
	all, err := s.FindAudit(ctx, breach.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	prev = ""
	for _, e := range all {
		if e.PrevHash != prev || e.ComputeHash(prev) != e.Hash {
			t.Fatalf("stored entry %d does not verify: %+v", e.Seq, e)
		}
		prev = e.Hash
	}
	seq, head, err := s.AuditHead(ctx)
	if err != nil || seq != 3 || head != prev {
		t.Fatalf("head: got %d %q, %v; want 3 and the last hash", seq, head, err)
	}
	odd, err := s.FindAudit(ctx, breach.AuditFilter{IncidentID: 1})
	if err != nil || len(odd) != 2 {
		t.Fatalf("entries of incident 1: got %d, %v; want 2", len(odd), err)
	}
	page, err := s.FindAudit(ctx, breach.AuditFilter{AfterSeq: 1, Limit: 1})
	if err != nil || len(page) != 1 || page[0].Seq != 2 {
		t.Fatalf("page after 1: got %v, %v", page, err)
	}
	if err := s.AppendAudit(ctx, &breach.AuditEntry{Actor: "pat"}); breach.ErrorCode(err) != breach.EINVALID {
		t.Fatalf("entry without action: got %v, want EINVALID", err)
	}
}

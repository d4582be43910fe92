package deliver_test

import (
	"context"
	"fmt"
	"net/smtp"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/deliver"
	"github.com/candor-dev/candor/internal/notice"
	"github.com/candor-dev/candor/internal/sqlite"
)

// BenchmarkSend compares, in one run and against one go-smtp sink that
// discards what it receives:
//
//   - bare-net-smtp: the standard library's net/smtp client on 16
//     connections sending messages built beforehand (real notices, rendered
//     before the timer starts);
//   - candor: a worker draining the outbox of a fresh SQLite database of
//     b.N people, rendering each notice with the real renderer and
//     sending it on 16 connections, recording every delivery.
//
// Each reports msgs/s; scripts/bench-send prints the ratio. Use
// -benchtime=Nx so that both send the same number of messages.
func BenchmarkSend(b *testing.B) {
	sink, err := deliver.StartSink(deliver.SinkOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer sink.Close()
	const conns = 16
	b.Run("bare-net-smtp", func(b *testing.B) {
		fx := benchIncident(b, min(b.N, 2000))
		r, err := notice.NewRenderer(context.Background(), fx.store, fx.inc.ID, notice.Options{})
		if err != nil {
			b.Fatal(err)
		}
		// A pool of real notices, reused round-robin.
		msgs := make([][]byte, len(fx.people))
		for i, p := range fx.people {
			if msgs[i], _, err = r.Email(p, nil); err != nil {
				b.Fatal(err)
			}
		}
		addr := fmt.Sprintf("%s:%d", sink.Host(), sink.Port())
		clients := make([]*smtp.Client, conns)
		for i := range clients {
			if clients[i], err = smtp.Dial(addr); err != nil {
				b.Fatal(err)
			}
			if err := clients[i].Hello("bench.example"); err != nil {
				b.Fatal(err)
			}
		}
		var next atomic.Int64
		var wg sync.WaitGroup
		b.ResetTimer()
		start, cpu0 := time.Now(), cpuTime()
		for _, c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := next.Add(1) - 1
					if i >= int64(b.N) {
						return
					}
					p := fx.people[i%int64(len(fx.people))]
					if err := c.Mail("notices@northwind.example"); err != nil {
						b.Error(err)
						return
					}
					if err := c.Rcpt(p.Email); err != nil {
						b.Error(err)
						return
					}
					w, err := c.Data()
					if err != nil {
						b.Error(err)
						return
					}
					w.Write(msgs[i%int64(len(msgs))])
					if err := w.Close(); err != nil {
						b.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		b.StopTimer()
		b.ReportMetric((cpuTime()-cpu0).Seconds()/elapsed.Seconds(), "cores")
		for _, c := range clients {
			c.Quit()
		}
		b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
	})
	b.Run("candor", func(b *testing.B) {
		fx := benchIncident(b, b.N)
		ctx := context.Background()
		n := approvedNoticesForBench{fx.store}
		q, err := deliver.Enqueue(ctx, fx.store, n, deliver.EnqueueOptions{IncidentID: fx.inc.ID})
		if err != nil {
			b.Fatal(err)
		}
		w, err := deliver.NewWorker(ctx, fx.store, n, deliver.Options{
			SMTP:        deliver.SMTPOptions{Host: sink.Host(), Port: sink.Port(), TLS: "none", Timeout: time.Minute},
			Connections: conns, BatchSize: 1000, CampaignID: q.Campaign.ID})
		if err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		cpu0 := cpuTime()
		rep, err := w.Drain(ctx)
		b.StopTimer()
		b.ReportMetric((cpuTime()-cpu0).Seconds()/rep.Elapsed.Seconds(), "cores")
		if err != nil {
			b.Fatal(err)
		}
		if rep.Sent != int64(b.N) {
			b.Fatalf("sent %d of %d: %+v", rep.Sent, b.N, rep)
		}
		b.ReportMetric(float64(rep.Sent)/rep.Elapsed.Seconds(), "msgs/s")
	})
}

// cpuTime returns the CPU time the process has used (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// approvedNoticesForBench renders with the real, approved notice.
type approvedNoticesForBench struct{ s *sqlite.DB }

func (a approvedNoticesForBench) Approval(ctx context.Context, incidentID int64) (string, error) {
	r, err := notice.NewRenderer(ctx, a.s, incidentID, notice.Options{})
	if err != nil {
		return "", err
	}
	return r.Approval().Hash, nil
}

func (a approvedNoticesForBench) Renderer(ctx context.Context, c *breach.Campaign) (deliver.Renderer, error) {
	return notice.NewRenderer(ctx, a.s, c.IncidentID, notice.Options{})
}

type benchFixture struct {
	store  *sqlite.DB
	inc    *breach.Incident
	people []*breach.Person
}

// benchIncident builds an incident of n people with approved notices and
// identity-protection codes, as a real campaign has.
func benchIncident(tb testing.TB, n int) *benchFixture {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "bench.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	org := &breach.Organization{LegalName: "Northwind Outfitters, Inc.", Brand: "Northwind", PrimaryDomain: "northwind.example",
		SupportPhone: "1-800-555-0199", SupportEmail: "privacy@northwind.example", SupportHours: "Monday to Saturday, 8 a.m. to 8 p.m. Eastern",
		SenderAddress: "Northwind Outfitters <notices@northwind.example>",
		Address:       breach.Address{Line1: "100 Harbor Way", City: "Portland", Region: "ME", PostalCode: "04101", Country: "US"}}
	if err := db.SetOrganization(ctx, org); err != nil {
		tb.Fatal(err)
	}
	ny, _ := time.LoadLocation("America/New_York")
	discovered := time.Now().In(ny).Add(-48 * time.Hour).Truncate(time.Hour)
	from, to := discovered.AddDate(0, 0, -20), discovered.AddDate(0, 0, -3)
	inc := &breach.Incident{Title: "Customer records exposed", DiscoveredAt: discovered, OccurredFrom: &from, OccurredTo: &to, ContainedAt: &to,
		TimeZone: "America/New_York", WhatHappened: "A copy of our customer database was saved to a storage folder that we had set up wrongly.",
		Elements: breach.NewElementSet(breach.ElementName, breach.ElementSSN, breach.ElementDOB), HarmLikely: breach.Unknown}
	if err := db.CreateIncident(ctx, inc); err != nil {
		tb.Fatal(err)
	}
	batch, err := db.BeginImport(ctx, &breach.ImportBatch{IncidentID: inc.ID, FileName: "bench.csv", FileSHA256: "bench"})
	if err != nil {
		tb.Fatal(err)
	}
	states := []string{"TX", "CA", "NY", "FL", "IL", "PA", "OH", "GA"}
	for start := 0; start < n; start += 10000 {
		var rows []breach.ImportRow
		for i := start; i < min(start+10000, n); i++ {
			st := states[i%len(states)]
			p := breach.Person{ExternalID: fmt.Sprintf("C-%07d", i), FirstName: "Maria", LastName: fmt.Sprintf("Garcia %d", i),
				Email: fmt.Sprintf("c%07d@mail%d.example", i, i%50), Jurisdiction: breach.Jurisdiction("US-" + st), Locale: "en",
				Address:  breach.Address{Line1: fmt.Sprintf("%d Oak Street", i), City: "Springfield", Region: st, PostalCode: "10001", Country: "US"},
				Elements: breach.NewElementSet(breach.ElementName, breach.ElementSSN, breach.ElementDOB)}
			rows = append(rows, breach.ImportRow{Person: p, Key: p.Key(), Hash: int64(i)})
		}
		if err := db.WriteImportChunk(ctx, batch, &breach.ImportChunk{People: rows, RowsDone: int64(start + len(rows))}); err != nil {
			tb.Fatal(err)
		}
	}
	if err := db.FinishImport(ctx, batch); err != nil {
		tb.Fatal(err)
	}
	if err := db.SetNoticeSettings(ctx, &breach.NoticeSettings{IncidentID: inc.ID, SignerName: "Dana Ruiz", SignerTitle: "Chief Executive Officer",
		Steps: []string{"We closed access to the storage folder the same day we found the problem."}}); err != nil {
		tb.Fatal(err)
	}
	if err := db.SetRemedyProgram(ctx, &breach.RemedyProgram{IncidentID: inc.ID, Kind: breach.RemedyIDP, Provider: "Guardly Identity",
		Months: 24, URL: "https://northwind.example/protect", Deadline: "2027-03-31"}, "bench"); err != nil {
		tb.Fatal(err)
	}
	codes := make([]string, n)
	for i := range codes {
		codes[i] = fmt.Sprintf("GI-%07d", i)
	}
	if _, _, err := db.ImportRemedyCodes(ctx, inc.ID, breach.RemedyIDP, codes, "bench"); err != nil {
		tb.Fatal(err)
	}
	if _, err := db.AssignRemedyCodes(ctx, inc.ID, breach.RemedyIDP, "bench"); err != nil {
		tb.Fatal(err)
	}
	src, err := notice.DefaultSources()
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := notice.Draft(ctx, db, inc.ID, src, "Bench", notice.Options{}); err != nil {
		tb.Fatal(err)
	}
	if _, rep, err := notice.Approve(ctx, db, inc.ID, "Bench Counsel", notice.Options{}); err != nil {
		tb.Fatalf("approve: %v %+v", err, rep)
	}
	fx := &benchFixture{store: db, inc: inc}
	for after := int64(0); len(fx.people) < min(n, 2000); {
		ps, err := db.FindPeople(ctx, breach.PersonFilter{IncidentID: inc.ID, AfterID: after, Limit: 1000})
		if err != nil {
			tb.Fatal(err)
		}
		if len(ps) == 0 {
			break
		}
		fx.people = append(fx.people, ps...)
		after = ps[len(ps)-1].ID
	}
	return fx
}

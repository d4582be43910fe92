package notice_test

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/notice"
)

// benchPeople returns the fixture's people with an e-mail address, their
// codes prefetched.
func benchPeople(b *testing.B) (*notice.Renderer, []*breach.Person) {
	b.Helper()
	f := newFixture(b)
	r := f.approve(b)
	var people []*breach.Person
	for _, fp := range fixturePeople {
		if p := f.people[fp.id]; p.Email != "" {
			people = append(people, p)
		}
	}
	if err := r.Prefetch(context.Background(), people); err != nil {
		b.Fatal(err)
	}
	// Compile every variant before timing.
	for _, p := range people {
		if _, _, err := r.Email(p, nil); err != nil {
			b.Fatal(err)
		}
	}
	return r, people
}

// BenchmarkEmail renders personalised text+HTML MIME notices on one
// goroutine: run with -cpu 1 for the per-core rate (target ≥ 25,000/s).
func BenchmarkEmail(b *testing.B) {
	r, people := benchPeople(b)
	buf := make([]byte, 0, 64<<10)
	var bytesOut int64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var err error
		buf, _, err = r.Email(people[i%len(people)], buf)
		if err != nil {
			b.Fatal(err)
		}
		bytesOut += int64(len(buf))
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(bytesOut)/float64(b.N), "bytes/msg")
}

// BenchmarkEmailParallel renders on every core (GOMAXPROCS goroutines).
func BenchmarkEmailParallel(b *testing.B) {
	r, people := benchPeople(b)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		buf := make([]byte, 0, 64<<10)
		i := 0
		for pb.Next() {
			var err error
			if buf, _, err = r.Email(people[i%len(people)], buf); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkGoMailBaseline builds the same personalised text and HTML
// bodies into a multipart/alternative message with go-mail, the baseline
// the render target is set against (about 16,000/s per core on our
// machine). The bodies are rendered by Candor outside go-mail, so the
// difference is the MIME assembly.
func BenchmarkGoMailBaseline(b *testing.B) {
	r, people := benchPeople(b)
	type bodies struct{ subject, text, html string }
	pre := make([]bodies, len(people))
	for i, p := range people {
		text, err := r.Text(p)
		if err != nil {
			b.Fatal(err)
		}
		html, err := r.HTML(p)
		if err != nil {
			b.Fatal(err)
		}
		subject, _ := r.Subject(p)
		pre[i] = bodies{subject, string(text), string(html)}
	}
	var buf bytes.Buffer
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p, body := people[i%len(people)], pre[i%len(people)]
		m := mail.NewMsg()
		if err := m.From("Northwind Outfitters <notices@northwind.example>"); err != nil {
			b.Fatal(err)
		}
		if err := m.AddToFormat(p.Name(), p.Email); err != nil {
			b.Fatal(err)
		}
		if err := m.ReplyTo("privacy@northwind.example"); err != nil {
			b.Fatal(err)
		}
		m.Subject(body.subject)
		m.SetDate()
		m.SetMessageID()
		m.SetBodyString(mail.TypeTextPlain, body.text)
		m.AddAlternativeString(mail.TypeTextHTML, body.html)
		buf.Reset()
		if _, err := m.WriteTo(&buf); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkLetters typesets PDF letters, 50 to a file like a print batch.
func BenchmarkLetters(b *testing.B) {
	f := newFixture(b)
	r := f.approve(b)
	var batch []*breach.Person
	for len(batch) < 50 {
		for _, fp := range fixturePeople {
			batch = append(batch, f.people[fp.id])
		}
	}
	batch = batch[:50]
	if err := r.Prefetch(context.Background(), batch); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	letters := 0
	for i := 0; i < b.N; i++ {
		if _, err := r.Letters(io.Discard, batch); err != nil {
			b.Fatal(err)
		}
		letters += len(batch)
	}
	b.StopTimer()
	b.ReportMetric(float64(letters)/time.Since(start).Seconds(), "letters/s")
}

package deliver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/deliver"
)

// TestMain lets the test binary double as a worker process, so that the
// crash tests can kill real processes with SIGKILL.
func TestMain(m *testing.M) {
	if os.Getenv("CANDOR_TEST_WORKER") == "1" {
		os.Exit(workerProcess())
	}
	os.Exit(m.Run())
}

// workerProcess runs a worker configured by the environment and prints its
// report as JSON.
func workerProcess() int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	s, err := openStore(ctx, os.Getenv("CANDOR_TEST_DB"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer s.Close()
	port, _ := strconv.Atoi(os.Getenv("CANDOR_TEST_SMTP_PORT"))
	campaign, _ := strconv.ParseInt(os.Getenv("CANDOR_TEST_CAMPAIGN"), 10, 64)
	lease, _ := time.ParseDuration(os.Getenv("CANDOR_TEST_LEASE"))
	w, err := deliver.NewWorker(ctx, s, testNotices{}, deliver.Options{
		SMTP:        deliver.SMTPOptions{Host: "127.0.0.1", Port: port, TLS: "none", Timeout: 10 * time.Second},
		Connections: 4, BatchSize: 20, Lease: lease, CampaignID: campaign, Poll: 50 * time.Millisecond,
		Owner: os.Getenv("CANDOR_TEST_OWNER")})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	rep, err := w.Drain(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	json.NewEncoder(os.Stdout).Encode(rep)
	return 0
}

// workerCmd returns the command of a worker process for the fixture.
func workerCmd(f *fixture, sink *deliver.Sink, owner string, lease time.Duration) (*exec.Cmd, *bytes.Buffer) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CANDOR_TEST_WORKER=1", "CANDOR_TEST_DB="+f.dsn,
		"CANDOR_TEST_SMTP_PORT="+strconv.Itoa(sink.Port()), "CANDOR_TEST_CAMPAIGN="+strconv.FormatInt(f.campaign.ID, 10),
		"CANDOR_TEST_LEASE="+lease.String(), "CANDOR_TEST_OWNER="+owner)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	return cmd, &out
}

func TestKillNineSQLite(t *testing.T) {
	s, path := mustOpenSQLite(t)
	testKillNine(t, s, path)
}

func TestKillNinePostgres(t *testing.T) {
	s, url := mustOpenPostgres(t)
	testKillNine(t, s, url)
}

// testKillNine kills worker processes with SIGKILL in the middle of
// sending, again and again, then lets one finish, and counts what each
// recipient received from a real SMTP server: everyone at least once, and
// more than once only those the outbox recorded as possible duplicates.
func testKillNine(t *testing.T, s testStore, dsn string) {
	const people, kills = 600, 6
	f := newFixture(t, s, dsn, emails(people, "mail.example"))
	rec := &recorder{delay: 3 * time.Millisecond}
	sink := startRecorder(t, rec)
	lease := 700 * time.Millisecond
	for i := 0; i < kills; i++ {
		cmd, out := workerCmd(f, sink, fmt.Sprintf("doomed-%d", i), lease)
		before := sink.Received()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill once the worker is well into sending: after 20 to 80 more
		// messages have arrived.
		target := before + 20 + rand.Int64N(60)
		deadline := time.Now().Add(30 * time.Second)
		for sink.Received() < target && sink.Received() < people && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		if cmd.ProcessState.Success() {
			t.Fatalf("worker %d finished before it could be killed:\n%s", i, out)
		}
		t.Logf("kill %d: %d messages received so far", i+1, sink.Received())
	}
	cmd, out := workerCmd(f, sink, "survivor", lease)
	if err := cmd.Run(); err != nil {
		t.Fatalf("final worker: %v\n%s", err, out)
	}
	var rep deliver.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("final worker report: %v\n%s", err, out)
	}

	if st := stats(t, f); st[breach.DeliverySent] != people {
		t.Fatalf("states: got %v, want all %d sent", st, people)
	}
	possible := map[string]bool{}
	recovered := 0
	for _, d := range deliveries(t, f) {
		if d.PossibleDuplicate() {
			possible[d.Recipient] = true
		}
		recovered += d.InFlightRecoveries
	}
	counts := rec.counts()
	twice := 0
	for i := 0; i < people; i++ {
		to := fmt.Sprintf("p%05d@mail.example", i)
		switch n := counts[to]; {
		case n == 0:
			t.Errorf("%s received nothing", to)
		case n > 2:
			t.Errorf("%s received %d messages", to, n)
		case n == 2:
			twice++
			if !possible[to] {
				t.Errorf("%s received 2 messages but the outbox does not record a possible duplicate", to)
			}
		}
	}
	if recovered == 0 {
		t.Fatalf("no delivery was in flight at any of the %d kills: the test did not test the crash path", kills)
	}
	t.Logf("%d kills: %d deliveries recovered in flight, %d recorded as possible duplicates, %d actually received twice; final worker sent %d",
		kills, recovered, len(possible), twice, rep.Sent)
}

func TestThreeWorkersPostgres(t *testing.T) {
	s, url := mustOpenPostgres(t)
	const people = 900
	f := newFixture(t, s, url, emails(people, "mail.example"))
	rec := &recorder{delay: 2 * time.Millisecond}
	sink := startRecorder(t, rec)
	type proc struct {
		cmd *exec.Cmd
		out *bytes.Buffer
	}
	var procs []proc
	for i := 0; i < 3; i++ {
		cmd, out := workerCmd(f, sink, fmt.Sprintf("worker-%d", i), time.Minute)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs = append(procs, proc{cmd, out})
	}
	var total int64
	var sent []int64
	for i, p := range procs {
		if err := p.cmd.Wait(); err != nil {
			t.Fatalf("worker %d: %v\n%s", i, err, p.out)
		}
		var rep deliver.Report
		if err := json.Unmarshal(p.out.Bytes(), &rep); err != nil {
			t.Fatalf("worker %d report: %v\n%s", i, err, p.out)
		}
		total += rep.Sent
		sent = append(sent, rep.Sent)
	}
	if total != people {
		t.Fatalf("workers sent %v, %d in all; want %d", sent, total, people)
	}
	working := 0
	for _, n := range sent {
		if n > 0 {
			working++
		}
	}
	if working < 2 {
		t.Fatalf("workers sent %v: the work was not shared", sent)
	}
	for _, d := range deliveries(t, f) {
		if d.Claims != 1 || d.Attempts != 1 || d.Sends != 1 || d.State != breach.DeliverySent {
			t.Fatalf("delivery %d (%s): claimed %d times, %d attempts, %d sends, %s; want each once", d.ID, d.Recipient, d.Claims, d.Attempts, d.Sends, d.State)
		}
	}
	counts := rec.counts()
	if len(counts) != people {
		t.Fatalf("recipients: got %d, want %d", len(counts), people)
	}
	for to, n := range counts {
		if n != 1 {
			t.Fatalf("%s received %d messages, want 1", to, n)
		}
	}
	t.Logf("three workers sent %v", sent)
}

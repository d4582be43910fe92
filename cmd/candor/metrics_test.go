package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/deliver"
)

func TestWorkerMetrics(t *testing.T) {
	rep := deliver.Report{Sent: 7, Failed: 2, Uncertain: 1}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, err := serveMetrics(ctx, "127.0.0.1:0", workerMetrics(func() deliver.Report { return rep }))
	if err != nil {
		t.Fatal(err)
	}
	scrape := func() string {
		resp, err := http.Get("http://" + addr + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	body := scrape()
	for _, want := range []string{"candor_deliveries_sent_total 7", "candor_deliveries_failed_total 2",
		"candor_deliveries_uncertain_total 1", "candor_deliveries_deferred_total 0", "go_goroutines"} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	rep.Sent = 9 // read live at every scrape
	if body := scrape(); !strings.Contains(body, "candor_deliveries_sent_total 9") {
		t.Errorf("metrics are not live:\n%s", body)
	}
}

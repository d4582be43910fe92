package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/candor-dev/candor/internal/deliver"
)

// workerMetrics returns a registry exposing a worker's counts, read live
// from counts at every scrape, with the Go and process collectors.
func workerMetrics(counts func() deliver.Report) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, c := range []struct {
		name, help string
		get        func(deliver.Report) int64
	}{
		{"candor_deliveries_sent_total", "Notices accepted by the SMTP server.", func(r deliver.Report) int64 { return r.Sent }},
		{"candor_deliveries_deferred_total", "Deliveries deferred after a 4xx reply, to be retried.", func(r deliver.Report) int64 { return r.Deferred }},
		{"candor_deliveries_failed_total", "Deliveries failed permanently (5xx or too many attempts).", func(r deliver.Report) int64 { return r.Failed }},
		{"candor_deliveries_released_total", "Deliveries handed back unsent (paused campaign, lost lease, shutdown).", func(r deliver.Report) int64 { return r.Released }},
		{"candor_deliveries_uncertain_total", "Connections lost after a message was handed over (possible duplicates).", func(r deliver.Report) int64 { return r.Uncertain }},
	} {
		get := c.get
		reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: c.name, Help: c.help},
			func() float64 { return float64(get(counts())) }))
	}
	return reg
}

// serveMetrics serves reg at /metrics on addr until ctx ends, and returns
// the address it listens on.
func serveMetrics(ctx context.Context, addr string, reg *prometheus.Registry) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("metrics: listen %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return
		}
	}()
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	return ln.Addr().String(), nil
}

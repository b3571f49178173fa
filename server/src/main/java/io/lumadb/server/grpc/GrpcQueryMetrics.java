package io.lumadb.server.grpc;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Counters of the gRPC QueryService, served at /metrics. */
final class GrpcQueryMetrics {
  private final Counter calls;
  private final Counter messages;
  private final Counter rows;
  private final Counter cancelled;
  private final Counter authFailures;
  private final Gauge running;
  private final Counter planCacheHits;
  private final Counter planCacheMisses;

  GrpcQueryMetrics(PrometheusRegistry registry) {
    calls = Counter.builder().name("lumadb_grpc_query_calls_total")
        .help("gRPC QueryService calls, by method").labelNames("method").register(registry);
    messages = Counter.builder().name("lumadb_grpc_query_messages_sent_total")
        .help("QueryResponse messages handed to gRPC").register(registry);
    rows = Counter.builder().name("lumadb_grpc_query_rows_sent_total")
        .help("Result rows sent over gRPC").register(registry);
    cancelled = Counter.builder().name("lumadb_grpc_query_cancelled_total")
        .help("gRPC calls the client cancelled (or whose deadline passed) while running")
        .register(registry);
    authFailures = Counter.builder().name("lumadb_grpc_auth_failures_total")
        .help("gRPC calls refused for missing or wrong credentials (E001)").register(registry);
    running = Gauge.builder().name("lumadb_grpc_queries_running")
        .help("gRPC statements running now").register(registry);
    planCacheHits = Counter.builder().name("lumadb_grpc_plan_cache_hits_total")
        .help("gRPC queries run on a plan their pooled session kept").register(registry);
    planCacheMisses = Counter.builder().name("lumadb_grpc_plan_cache_misses_total")
        .help("gRPC queries planned anew").register(registry);
  }

  void planCacheHit() {
    planCacheHits.inc();
  }

  void planCacheMiss() {
    planCacheMisses.inc();
  }

  void call(String method) {
    calls.labelValues(method).inc();
  }

  void sent(int rowCount) {
    messages.inc();
    rows.inc(rowCount);
  }

  void cancelled() {
    cancelled.inc();
  }

  void authenticationFailed() {
    authFailures.inc();
  }

  void started() {
    running.inc();
  }

  void finished() {
    running.dec();
  }
}

package io.lumadb.pgwire;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Connection counters of the PostgreSQL endpoint, served at /metrics. */
final class PgMetrics {
  final Gauge active;
  final Counter opened;
  final Counter authFailures;
  final Counter rejected;
  final Counter rateLimited;
  final Counter planCacheHits;
  final Counter planCacheMisses;

  PgMetrics(PrometheusRegistry registry) {
    active = Gauge.builder().name("lumadb_pgwire_connections_active")
        .help("Open PostgreSQL protocol connections").register(registry);
    opened = Counter.builder().name("lumadb_pgwire_connections_total")
        .help("PostgreSQL protocol connections accepted").register(registry);
    authFailures = Counter.builder().name("lumadb_pgwire_auth_failures_total")
        .help("PostgreSQL protocol authentication failures (E001)").register(registry);
    rejected = Counter.builder().name("lumadb_pgwire_connections_rejected_total")
        .help("Connections refused because max_connections was reached").register(registry);
    rateLimited = Counter.builder().name("lumadb_pgwire_rate_limited_total")
        .help("Statements refused by the per-user rate limit (E002)").register(registry);
    planCacheHits = Counter.builder().name("lumadb_pgwire_plan_cache_hits_total")
        .help("Parse messages and simple-protocol queries answered with a cached plan").register(registry);
    planCacheMisses = Counter.builder().name("lumadb_pgwire_plan_cache_misses_total")
        .help("Parse messages and simple-protocol queries that planned anew").register(registry);
  }
}

package io.lumadb.sql;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Counters of the SQL engine, served at /metrics. */
public final class SqlMetrics {
  private final Counter queries;
  private final Counter errors;

  public SqlMetrics(PrometheusRegistry registry) {
    queries = Counter.builder()
        .name("lumadb_queries_total")
        .help("SQL statements executed, by front end")
        .labelNames("frontend")
        .register(registry);
    errors = Counter.builder()
        .name("lumadb_query_errors_total")
        .help("SQL statements that failed, by error code and SQLSTATE")
        .labelNames("code", "sqlstate")
        .register(registry);
  }

  void query(String frontend) {
    queries.labelValues(frontend).inc();
  }

  void error(LumaException e) {
    errors.labelValues(e.codeOrInternal().name(), e.sqlState()).inc();
  }
}

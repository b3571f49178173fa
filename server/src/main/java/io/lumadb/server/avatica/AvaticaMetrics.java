package io.lumadb.server.avatica;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Counters of the Avatica JDBC endpoint, served at /metrics. */
final class AvaticaMetrics {
  private final Gauge connections;
  private final Counter frames;
  private final Counter rows;
  private final Counter authFailures;

  AvaticaMetrics(PrometheusRegistry registry) {
    connections = Gauge.builder().name("lumadb_avatica_connections")
        .help("Open Avatica JDBC connections").register(registry);
    frames = Counter.builder().name("lumadb_avatica_frames_sent_total")
        .help("Frames of result rows sent over Avatica").register(registry);
    rows = Counter.builder().name("lumadb_avatica_rows_sent_total")
        .help("Result rows sent over Avatica").register(registry);
    authFailures = Counter.builder().name("lumadb_avatica_auth_failures_total")
        .help("Avatica requests refused for wrong credentials (E001)").register(registry);
  }

  void connectionOpened() {
    connections.inc();
  }

  void connectionClosed() {
    connections.dec();
  }

  void sent(int rowCount) {
    frames.inc();
    rows.inc(rowCount);
  }

  void authenticationFailed() {
    authFailures.inc();
  }
}

package io.lumadb.sql;

import io.lumadb.sql.federation.Federation;
import io.lumadb.storage.StorageEngine;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;

/**
 * The SQL front door shared by every protocol: it opens sessions over one storage engine.
 */
public final class SqlEngine {
  private final StorageEngine storage;
  private final SqlMetrics metrics;
  private final Federation federation;

  public SqlEngine(StorageEngine storage, PrometheusRegistry registry) {
    this(storage, registry, Federation.NONE);
  }

  /** An engine whose sessions also see the attached sources of {@code federation}. */
  public SqlEngine(StorageEngine storage, PrometheusRegistry registry, Federation federation) {
    this.storage = storage;
    this.metrics = new SqlMetrics(registry);
    this.federation = federation;
  }

  public Federation federation() {
    return federation;
  }

  public StorageEngine storage() {
    return storage;
  }

  SqlMetrics metrics() {
    return metrics;
  }

  /**
   * Opens a session for an authenticated user.
   *
   * @param frontend which protocol the session came through ("pgwire", ...), for metrics
   * @param startupSettings settings the client sent at connect (application_name, ...)
   */
  public Session openSession(String user, String frontend, Map<String, String> startupSettings) {
    return new Session(this, user, frontend, startupSettings);
  }
}

package io.lumadb.sql;

import io.lumadb.sql.federation.Federation;
import io.lumadb.storage.StorageEngine;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;

/**
 * The SQL front door shared by every protocol: it opens sessions over one storage engine.
 */
public final class SqlEngine {
  static {
    tuneLibraries();
  }

  /**
   * JVM-wide settings of the libraries the engine runs on, left alone when already set (with
   * {@code -D}). They take effect only if set before those libraries' classes load: {@code Main}
   * calls this first thing, and loading this class does it for embedders and tests.
   * <ul>
   *   <li>Calcite compiles the Java code it generates for each plan with Janino (about a
   *   millisecond, a tenth of planning a small query). Code that differs only in the values
   *   LumaDB's operators stash into the plan (the scan filters' literals, for one) is the same
   *   text: a cache of compiled classes by their text skips the compiler for it.</li>
   *   <li>Arrow's {@code get(i)} checks for NULL and throws; every reader of LumaDB checks
   *   {@code isNull} first, so the second check is only a cost.</li>
   * </ul>
   */
  public static void tuneLibraries() {
    setIfAbsent("calcite.bindable.cache.maxSize", "2000");
    setIfAbsent("arrow.enable_null_check_for_get", "false");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

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

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
  /**
   * Accounts the memory statements' operators hold (sorts, GROUP BY tables): one child per
   * statement, limited to {@link #queryMemoryLimit}; this root bounds them all together. A root
   * of its own, so that queries never count as the storage engine's hot tier.
   */
  private final org.apache.arrow.memory.BufferAllocator queryRoot;
  private volatile long queryMemoryLimit;

  public SqlEngine(StorageEngine storage, PrometheusRegistry registry) {
    this(storage, registry, Federation.NONE);
  }

  /** An engine whose sessions also see the attached sources of {@code federation}. */
  public SqlEngine(StorageEngine storage, PrometheusRegistry registry, Federation federation) {
    this.storage = storage;
    this.metrics = new SqlMetrics(registry);
    this.federation = federation;
    long heap = Runtime.getRuntime().maxMemory();
    this.queryRoot = new org.apache.arrow.memory.RootAllocator(heap / 2);
    this.queryMemoryLimit = heap / 4;
  }

  /**
   * The memory one statement's operators may hold ({@code [storage] query_memory_limit});
   * default a quarter of the JVM's heap. All statements together get at most half of it.
   */
  public void setQueryMemoryLimit(long bytes) {
    if (bytes < 1 << 20) {
      throw new IllegalArgumentException("query_memory_limit must be at least 1048576 bytes");
    }
    queryMemoryLimit = bytes;
  }

  public long queryMemoryLimit() {
    return queryMemoryLimit;
  }

  /** Bytes the running statements' operators hold now, by their accounting. */
  public long queryMemoryInUse() {
    return queryRoot.getAllocatedMemory();
  }

  /** A budget for one statement. */
  io.lumadb.storage.calcite.QueryMemory newQueryMemory(String name) {
    return new io.lumadb.storage.calcite.QueryMemory(queryRoot, queryMemoryLimit, name);
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

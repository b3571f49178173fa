package io.lumadb.server;

import io.lumadb.storage.StorageEngine;
import io.lumadb.storage.TieringStats;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/** Storage and tiering figures at /metrics, read from the engine at scrape time. */
final class StorageMetrics {
  private StorageMetrics() {}

  static void register(PrometheusRegistry registry, StorageEngine storage) {
    gauge(registry, "lumadb_tables", "Tables in the catalog", storage, "tables");
    gauge(registry, "lumadb_hot_bytes", "Memory held by the hot tier (Arrow + active segments)", storage, "hot_bytes");
    gauge(registry, "lumadb_wal_segments", "Write-ahead log segment files", storage, "wal_segments");
    counter(registry, "lumadb_wal_written_bytes", "Bytes appended to the write-ahead log", storage, "wal_bytes_written");
    counter(registry, "lumadb_wal_fsyncs", "fsync calls of the write-ahead log", storage, "wal_syncs");
    var cache = storage.warmCache();
    GaugeWithCallback.builder().name("lumadb_warm_cache_bytes")
        .help("Heap held by decoded columns of warm Parquet files").callback(cb -> cb.call(cache.usedBytes())).register(registry);
    CounterWithCallback.builder().name("lumadb_warm_cache_hits")
        .help("Warm row-group columns a query found decoded").callback(cb -> cb.call(cache.hits())).register(registry);
    CounterWithCallback.builder().name("lumadb_warm_cache_misses")
        .help("Warm row-group columns a query had to decode").callback(cb -> cb.call(cache.misses())).register(registry);
    TieringStats t = storage.tieringStats();
    tiering(registry, "lumadb_flushes", "Hot segments flushed to Parquet", t, s -> s.flushes);
    tiering(registry, "lumadb_flushed_rows", "Rows flushed to Parquet", t, s -> s.rowsFlushed);
    tiering(registry, "lumadb_warm_files_written", "Parquet files written (flush and compaction)", t, s -> s.filesWritten);
    tiering(registry, "lumadb_warm_written_bytes", "Bytes of Parquet written", t, s -> s.bytesWritten);
    tiering(registry, "lumadb_compactions", "Partitions compacted", t, s -> s.compactions);
    tiering(registry, "lumadb_retention_dropped_partitions", "Partitions dropped by retention", t, s -> s.partitionsExpired);
    tiering(registry, "lumadb_wal_trimmed_segments", "WAL segments deleted after flush", t, s -> s.walSegmentsTrimmed);
    tiering(registry, "lumadb_overloaded_writes", "Writes refused because the hot tier was full (E002)", t, s -> s.overloaded);
    tiering(registry, "lumadb_tiering_failures", "Background tiering rounds that failed", t, s -> s.failures);
  }

  private static void gauge(PrometheusRegistry r, String name, String help, StorageEngine s, String key) {
    GaugeWithCallback.builder().name(name).help(help)
        .callback(cb -> cb.call(s.stats().getOrDefault(key, 0L))).register(r);
  }

  private static void counter(PrometheusRegistry r, String name, String help, StorageEngine s, String key) {
    CounterWithCallback.builder().name(name).help(help)
        .callback(cb -> cb.call(s.stats().getOrDefault(key, 0L))).register(r);
  }

  private static void tiering(PrometheusRegistry r, String name, String help, TieringStats t,
      Function<TieringStats, AtomicLong> f) {
    CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(f.apply(t).get())).register(r);
  }
}

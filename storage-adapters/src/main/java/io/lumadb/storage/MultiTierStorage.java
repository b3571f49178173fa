package io.lumadb.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * LumaDB's storage embedded in a Java program: data written here is durable (write-ahead log),
 * held in memory (hot tier) and flushed to Parquet (warm tier) in the given directory, the same
 * layout the server uses, so a LumaDB server started on the directory answers SQL about it.
 *
 * <pre>{@code
 * try (MultiTierStorage storage = MultiTierStorage.open(Path.of("data"))) {
 *   storage.ingest(new Segment("seg_001", 1000, 2000)
 *       .addSample("http_requests", Map.of("env", "prod"), 1500, 42.0));
 *   storage.flushToWarm("seg_001");
 *   storage.metrics().insertSample("http_requests", Map.of("env", "prod"), 1702540800, 42.0);
 * }
 * }</pre>
 */
public final class MultiTierStorage implements AutoCloseable {
  private final StorageEngine engine;
  private final MetricsStorage metrics;
  private final Map<String, Set<TableId>> segments = new ConcurrentHashMap<>();

  private MultiTierStorage(StorageEngine engine) {
    this.engine = engine;
    this.metrics = new MetricsStorage(engine);
  }

  /** Opens (or creates) storage in {@code dataDir} with default settings. */
  public static MultiTierStorage open(Path dataDir) throws IOException {
    return open(dataDir, StorageConfig.DEFAULTS);
  }

  public static MultiTierStorage open(Path dataDir, StorageConfig config) throws IOException {
    StorageEngine e = StorageEngine.open(dataDir, config);
    e.startBackgroundTasks();
    return new MultiTierStorage(e);
  }

  /**
   * Writes the segment's samples (durable when this returns) into their metric tables.
   *
   * @throws IllegalArgumentException if a segment with this id was already ingested
   */
  public void ingest(Segment segment) {
    Set<TableId> tables = new LinkedHashSet<>();
    for (MetricsStorage.Sample s : segment.samples()) {
      tables.add(new TableId(MetricsStorage.SCHEMA, s.metric()));
    }
    if (segments.putIfAbsent(segment.id(), tables) != null) {
      throw new IllegalArgumentException("segment " + segment.id() + " was already ingested");
    }
    try {
      metrics.insertSamples(segment.samples());
    } catch (RuntimeException e) {
      segments.remove(segment.id());
      throw e;
    }
  }

  /**
   * Moves the segment's data from memory to Parquet files now (rather than when the hot tier
   * would by age or size), together with whatever else its tables hold in memory.
   *
   * @throws IllegalArgumentException if no segment with this id was ingested
   */
  public void flushToWarm(String segmentId) throws IOException {
    Set<TableId> tables = segments.get(segmentId);
    if (tables == null) {
      throw new IllegalArgumentException("no segment " + segmentId + " was ingested");
    }
    engine.flushTables(tables);
  }

  /** Metric samples in and out of {@code metrics.<name>} tables. */
  public MetricsStorage metrics() {
    return metrics;
  }

  /** The underlying engine, e.g. for {@code io.lumadb.sql.SqlEngine} to run SQL in-process. */
  public StorageEngine engine() {
    return engine;
  }

  @Override
  public void close() {
    engine.close();
  }
}

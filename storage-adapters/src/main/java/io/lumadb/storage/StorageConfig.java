package io.lumadb.storage;

import io.lumadb.storage.wal.FsyncPolicy;
import java.time.Duration;

/**
 * Storage settings.
 *
 * @param sealRows rows after which a table's active segment is sealed into Arrow
 * @param walFsync when the write-ahead log forces writes to disk
 * @param walSegmentBytes size at which the WAL starts a new segment file
 * @param hotMaxBytes memory budget of the hot tier: past 3/4 of it segments are flushed early,
 *     past all of it writes are refused with a retryable "overloaded" error
 * @param flushAge an active segment older than this is sealed and flushed to Parquet
 * @param tieringInterval how often the background task flushes, compacts and applies retention
 * @param compactMinFiles a partition with at least this many files is compacted into one
 * @param defaultTtl retention for tables without their own ttl option (null = keep forever)
 * @param warmCacheBytes heap for decoded columns of warm Parquet files, so that repeated
 *     queries over them skip decoding (least recently used first out; 0 = no cache)
 */
public record StorageConfig(int sealRows, FsyncPolicy walFsync, long walSegmentBytes,
    long hotMaxBytes, Duration flushAge, Duration tieringInterval, int compactMinFiles,
    Duration defaultTtl, long warmCacheBytes) {
  /** Default memory for decoded warm columns ({@link #warmCacheBytes}). */
  public static final long DEFAULT_WARM_CACHE_BYTES = 256L << 20;
  public static final StorageConfig DEFAULTS = new StorageConfig(65_536, FsyncPolicy.ALWAYS,
      64L << 20, 1L << 30, Duration.ofMinutes(5), Duration.ofSeconds(5), 8, null, DEFAULT_WARM_CACHE_BYTES);

  /** Settings with the default warm column cache. */
  public StorageConfig(int sealRows, FsyncPolicy walFsync, long walSegmentBytes, long hotMaxBytes,
      Duration flushAge, Duration tieringInterval, int compactMinFiles, Duration defaultTtl) {
    this(sealRows, walFsync, walSegmentBytes, hotMaxBytes, flushAge, tieringInterval, compactMinFiles,
        defaultTtl, DEFAULT_WARM_CACHE_BYTES);
  }

  public StorageConfig {
    if (sealRows < 1) {
      throw new IllegalArgumentException("sealRows must be at least 1");
    }
    if (walSegmentBytes < 4096) {
      throw new IllegalArgumentException("walSegmentBytes must be at least 4096");
    }
    if (compactMinFiles < 2) {
      throw new IllegalArgumentException("compactMinFiles must be at least 2");
    }
    if (warmCacheBytes < 0) {
      throw new IllegalArgumentException("warmCacheBytes must not be negative");
    }
  }

  public StorageConfig withSealRows(int rows) {
    return new StorageConfig(rows, walFsync, walSegmentBytes, hotMaxBytes, flushAge,
        tieringInterval, compactMinFiles, defaultTtl, warmCacheBytes);
  }

  public StorageConfig withHotMaxBytes(long bytes) {
    return new StorageConfig(sealRows, walFsync, walSegmentBytes, bytes, flushAge,
        tieringInterval, compactMinFiles, defaultTtl, warmCacheBytes);
  }

  public StorageConfig withTiering(Duration flushAge, Duration interval, int compactMinFiles) {
    return new StorageConfig(sealRows, walFsync, walSegmentBytes, hotMaxBytes, flushAge,
        interval, compactMinFiles, defaultTtl, warmCacheBytes);
  }

  public StorageConfig withDefaultTtl(Duration ttl) {
    return new StorageConfig(sealRows, walFsync, walSegmentBytes, hotMaxBytes, flushAge,
        tieringInterval, compactMinFiles, ttl, warmCacheBytes);
  }

  /** The same settings with {@code bytes} for decoded warm columns (0: no cache). */
  public StorageConfig withWarmCacheBytes(long bytes) {
    return new StorageConfig(sealRows, walFsync, walSegmentBytes, hotMaxBytes, flushAge,
        tieringInterval, compactMinFiles, defaultTtl, bytes);
  }
}

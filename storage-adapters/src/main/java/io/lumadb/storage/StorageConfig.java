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
 */
public record StorageConfig(int sealRows, FsyncPolicy walFsync, long walSegmentBytes,
    long hotMaxBytes, Duration flushAge, Duration tieringInterval, int compactMinFiles,
    Duration defaultTtl) {
  public static final StorageConfig DEFAULTS = new StorageConfig(65_536, FsyncPolicy.ALWAYS,
      64L << 20, 1L << 30, Duration.ofMinutes(5), Duration.ofSeconds(5), 8, null);

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
  }

  public StorageConfig withSealRows(int rows) {
    return new StorageConfig(rows, walFsync, walSegmentBytes, hotMaxBytes, flushAge,
        tieringInterval, compactMinFiles, defaultTtl);
  }

  public StorageConfig withHotMaxBytes(long bytes) {
    return new StorageConfig(sealRows, walFsync, walSegmentBytes, bytes, flushAge,
        tieringInterval, compactMinFiles, defaultTtl);
  }

  public StorageConfig withTiering(Duration flushAge, Duration interval, int compactMinFiles) {
    return new StorageConfig(sealRows, walFsync, walSegmentBytes, hotMaxBytes, flushAge,
        interval, compactMinFiles, defaultTtl);
  }

  public StorageConfig withDefaultTtl(Duration ttl) {
    return new StorageConfig(sealRows, walFsync, walSegmentBytes, hotMaxBytes, flushAge,
        tieringInterval, compactMinFiles, ttl);
  }
}

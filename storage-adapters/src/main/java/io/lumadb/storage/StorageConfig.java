package io.lumadb.storage;

import io.lumadb.storage.wal.FsyncPolicy;

/**
 * Storage settings.
 *
 * @param sealRows rows after which a table's active segment is sealed into Arrow
 * @param walFsync when the write-ahead log forces writes to disk
 * @param walSegmentBytes size at which the WAL starts a new segment file
 */
public record StorageConfig(int sealRows, FsyncPolicy walFsync, long walSegmentBytes) {
  public static final StorageConfig DEFAULTS = new StorageConfig(65_536, FsyncPolicy.ALWAYS, 64L << 20);

  public StorageConfig {
    if (sealRows < 1) {
      throw new IllegalArgumentException("sealRows must be at least 1");
    }
    if (walSegmentBytes < 4096) {
      throw new IllegalArgumentException("walSegmentBytes must be at least 4096");
    }
  }

  public StorageConfig withSealRows(int rows) {
    return new StorageConfig(rows, walFsync, walSegmentBytes);
  }
}

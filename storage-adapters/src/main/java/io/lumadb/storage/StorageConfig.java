package io.lumadb.storage;

/**
 * Storage settings.
 *
 * @param sealRows rows after which a table's active segment is sealed into Arrow
 */
public record StorageConfig(int sealRows) {
  public static final StorageConfig DEFAULTS = new StorageConfig(65_536);

  public StorageConfig {
    if (sealRows < 1) {
      throw new IllegalArgumentException("sealRows must be at least 1");
    }
  }
}

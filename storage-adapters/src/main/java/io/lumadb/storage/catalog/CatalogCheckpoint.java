package io.lumadb.storage.catalog;

import java.util.List;

/**
 * The catalog and the manifest of warm files as of one point of the write-ahead log. Written
 * whole and replaced atomically; on start, the WAL is replayed on top of it.
 *
 * @param checkpointLsn every catalog change (create, drop, add column) up to this LSN is here
 */
public record CatalogCheckpoint(int version, long checkpointLsn, long nextTableId, List<TableEntry> tables) {
  public static final int VERSION = 1;

  public CatalogCheckpoint {
    tables = tables == null ? List.of() : List.copyOf(tables);
  }

  public static CatalogCheckpoint empty() {
    return new CatalogCheckpoint(VERSION, 0, 1, List.of());
  }

  /** One table: its definition and the warm files holding its flushed rows. */
  public record TableEntry(
      long id, String schema, String name, String options, List<ColumnEntry> columns,
      long flushedLsn, List<WarmFile> files) {
    public TableEntry {
      columns = List.copyOf(columns);
      files = files == null ? List.of() : List.copyOf(files);
      options = options == null ? "" : options;
    }
  }

  public record ColumnEntry(String name, String type, boolean nullable) {}

  /**
   * A Parquet file of the warm tier. {@code path} is relative to the data directory;
   * {@code columns} are the table's columns the file holds (older files hold fewer).
   */
  public record WarmFile(String path, String partition, long rows, long bytes, Long minTime,
      Long maxTime, List<ColumnEntry> columns) {
    public WarmFile {
      columns = columns == null ? List.of() : List.copyOf(columns);
    }
  }
}

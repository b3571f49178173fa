package io.lumadb.storage.catalog;

import io.lumadb.storage.ViewDefinition;
import java.util.List;

/**
 * The catalog and the manifest of warm files as of one point of the write-ahead log. Written
 * whole and replaced atomically; on start, the WAL is replayed on top of it.
 *
 * @param checkpointLsn every catalog change (create, drop, add column) up to this LSN is here
 * @param views views are not in the WAL: every view change writes a new checkpoint (older
 *     checkpoints without the field read as no views)
 * @param indexes indexes are not in the WAL either, kept like views; an entry whose table the
 *     WAL dropped after this checkpoint is ignored on recovery
 */
public record CatalogCheckpoint(int version, long checkpointLsn, long nextTableId, List<TableEntry> tables,
    List<ViewEntry> views, List<IndexEntry> indexes) {
  public static final int VERSION = 1;

  public CatalogCheckpoint {
    tables = tables == null ? List.of() : List.copyOf(tables);
    views = views == null ? List.of() : List.copyOf(views);
    indexes = indexes == null ? List.of() : List.copyOf(indexes);
  }

  public static CatalogCheckpoint empty() {
    return new CatalogCheckpoint(VERSION, 0, 1, List.of(), List.of(), List.of());
  }

  /** One index: its id (from the table id sequence), name, table id, key columns, uniqueness. */
  public record IndexEntry(long id, String schema, String name, long tableId,
      List<io.lumadb.storage.IndexDefinition.IndexColumn> columns, boolean unique) {
    public IndexEntry {
      columns = columns == null ? List.of() : List.copyOf(columns);
    }
  }

  /** One view: its id (from the table id sequence), name, query text and columns. */
  public record ViewEntry(long id, String schema, String name, String query,
      List<ViewDefinition.ViewColumn> columns, List<io.lumadb.storage.TableId> dependsOn) {
    public ViewEntry {
      columns = columns == null ? List.of() : List.copyOf(columns);
      dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    }
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

  /**
   * A column; {@code typmod} only for types that have one (NUMERIC(p, s)), absent otherwise
   * and in checkpoints written before it existed.
   */
  public record ColumnEntry(String name, String type, boolean nullable,
      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
      Integer typmod) {
    public static ColumnEntry of(io.lumadb.storage.Column c) {
      return new ColumnEntry(c.name(), c.type().name(), c.nullable(), c.typmod() == -1 ? null : c.typmod());
    }

    public io.lumadb.storage.Column column() {
      return new io.lumadb.storage.Column(name, io.lumadb.storage.ColumnType.valueOf(type), nullable,
          typmod == null ? -1 : typmod);
    }
  }

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

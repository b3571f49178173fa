package io.lumadb.storage;

import java.util.List;

/**
 * An index as the catalog keeps it: a name in its table's schema (indexes share that namespace
 * with tables and views, as in PostgreSQL), the table it belongs to (by table id, which is never
 * reused), its key columns and whether keys must be unique. {@code id} comes from the table id
 * sequence, so the index's OID never changes.
 *
 * <p>LumaDB builds no search structure for an index: scans already prune by per-segment and
 * per-row-group min/max statistics of every column. A UNIQUE index is enforced on every append
 * ({@link UniqueKeyCheck}); a plain one is a declaration that clients and tools can see.
 */
public record IndexDefinition(long id, TableId name, long tableId, List<IndexColumn> columns,
    boolean unique) {
  public IndexDefinition {
    columns = List.copyOf(columns);
    if (columns.isEmpty()) {
      throw new StorageException("an index needs at least one column");
    }
  }

  /** A key column: its name and sort order (PostgreSQL's defaults: ASC NULLS LAST, DESC NULLS FIRST). */
  public record IndexColumn(String name, boolean descending, boolean nullsFirst) {
    public static IndexColumn ascending(String name) {
      return new IndexColumn(name, false, false);
    }
  }

  public List<String> columnNames() {
    return columns.stream().map(IndexColumn::name).toList();
  }
}

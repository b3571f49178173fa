package io.lumadb.storage;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows on their way into a table, held column by column. The columns are named by the
 * table's column names; a batch may hold a subset of them (the rest are NULL).
 */
public final class ColumnBatch {
  private final TableSchema schema;
  private final List<HeapColumn> columns;

  public ColumnBatch(TableSchema schema, int capacity) {
    this.schema = schema;
    this.columns = new ArrayList<>(schema.size());
    for (Column c : schema.columns()) {
      columns.add(new HeapColumn(c.type(), capacity));
    }
  }

  public TableSchema schema() {
    return schema;
  }

  public HeapColumn column(int i) {
    return columns.get(i);
  }

  public int rowCount() {
    return columns.isEmpty() ? 0 : columns.get(0).size();
  }

  /** Appends one row given in the internal representation, one value per column. */
  public void appendRow(Object[] row) {
    if (row.length != columns.size()) {
      throw new StorageException(
          "row has " + row.length + " values, batch has " + columns.size() + " columns");
    }
    for (int i = 0; i < row.length; i++) {
      columns.get(i).append(row[i]);
    }
  }

  /** Checks that all columns have the same length. */
  public void validate() {
    int n = rowCount();
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).size() != n) {
        throw new StorageException(
            "column \"" + schema.column(i).name() + "\" has " + columns.get(i).size()
                + " values, expected " + n);
      }
    }
  }
}

package io.lumadb.storage.calcite;

import io.lumadb.storage.ColumnReader;
import io.lumadb.storage.ColumnType;
import io.lumadb.storage.TableSchema;
import java.util.Comparator;
import java.util.List;

/**
 * An order of a table's rows by columns (each ascending or descending, NULLs first or last),
 * compared on a part's column readers without building rows, or on key tuples read out of them.
 * The comparisons are those of LumaDB's sort ({@link Sorter}), so operators inside the scan order
 * as an ORDER BY over the scan would.
 */
final class RowOrder {
  private final TableSchema schema;
  final int[] columns;
  final boolean[] descending;
  final boolean[] nullsFirst;
  private final ColumnType.Storage[] storage;
  private final Comparator<Object[]> keys;

  RowOrder(TableSchema schema, int[] columns, boolean[] descending, boolean[] nullsFirst) {
    this.schema = schema;
    this.columns = columns;
    this.descending = descending;
    this.nullsFirst = nullsFirst;
    this.storage = new ColumnType.Storage[columns.length];
    int[] positions = new int[columns.length];
    for (int k = 0; k < columns.length; k++) {
      storage[k] = schema.column(columns[k]).type().storage();
      positions[k] = k;
    }
    this.keys = new Sorter(positions, descending, nullsFirst, -1, -1, -1, -1).comparator();
  }

  /** Where a sort key puts NULLs: as written, else PostgreSQL's default (last ascending, first descending). */
  static boolean nullsFirst(org.apache.calcite.rel.RelFieldCollation c) {
    org.apache.calcite.rel.RelFieldCollation.NullDirection nd =
        c.nullDirection == org.apache.calcite.rel.RelFieldCollation.NullDirection.UNSPECIFIED
            ? c.getDirection().defaultNullDirection() : c.nullDirection;
    return nd == org.apache.calcite.rel.RelFieldCollation.NullDirection.FIRST;
  }

  /** The key tuple of {@code row}: the order's columns, in order. */
  Object[] key(List<ColumnReader> readers, int row) {
    return ScanOperator.values(readers, columns, row);
  }

  /** Compares key tuples made by {@link #key}. */
  int compareKeys(Object[] a, Object[] b) {
    return keys.compare(a, b);
  }

  /** Rows {@code a} and {@code b} of one part: negative when {@code a} comes first. */
  int compareRows(List<ColumnReader> readers, int a, int b) {
    for (int k = 0; k < columns.length; k++) {
      ColumnReader c = readers.get(columns[k]);
      int cmp = compareValues(k, c, a, c, b);
      if (cmp != 0) {
        return cmp;
      }
    }
    return 0;
  }

  /** Row {@code row} of a part against a key tuple: negative when the row comes first. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  int compareToKey(List<ColumnReader> readers, int row, Object[] key) {
    for (int k = 0; k < columns.length; k++) {
      ColumnReader c = readers.get(columns[k]);
      Object y = key[k];
      boolean nx = c.isNull(row);
      int cmp;
      if (nx || y == null) {
        if (nx && y == null) {
          continue;
        }
        return nx == nullsFirst[k] ? -1 : 1;
      }
      if (storage[k] == ColumnType.Storage.LONG && y instanceof Number yn && !(y instanceof Double)) {
        cmp = Long.compare(c.getLong(row), yn.longValue());
      } else {
        cmp = ((Comparable) c.get(row)).compareTo(y);
      }
      if (cmp != 0) {
        return descending[k] ? -cmp : cmp;
      }
    }
    return 0;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private int compareValues(int k, ColumnReader ca, int a, ColumnReader cb, int b) {
    boolean na = ca.isNull(a);
    boolean nb = cb.isNull(b);
    if (na || nb) {
      return na == nb ? 0 : na == nullsFirst[k] ? -1 : 1;
    }
    int cmp;
    if (storage[k] == ColumnType.Storage.LONG) {
      cmp = Long.compare(ca.getLong(a), cb.getLong(b));
    } else if (storage[k] == ColumnType.Storage.DOUBLE) {
      cmp = Double.compare(ca.getDouble(a), cb.getDouble(b));
    } else {
      cmp = ((Comparable) ca.get(a)).compareTo(cb.get(b));
    }
    return descending[k] ? -cmp : cmp;
  }

  /** For EXPLAIN: the columns with their directions. */
  String describe() {
    StringBuilder b = new StringBuilder("[");
    for (int k = 0; k < columns.length; k++) {
      b.append(k == 0 ? "" : ", ").append(columns[k]).append(descending[k] ? " DESC" : "")
          .append(nullsFirst[k] ? " NULLS FIRST" : " NULLS LAST");
    }
    return b.append(']').toString();
  }
}

package io.lumadb.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Enforces unique indexes by scanning: LumaDB keeps no key structure, so a write's keys are
 * checked against each other and then against the table's rows, reading only the key columns
 * (hot segments and warm files alike). The cost is one scan of the key columns per write to a
 * table that has unique indexes, and one per CREATE UNIQUE INDEX. As in PostgreSQL, a key with
 * a NULL in any column never conflicts. The caller holds the table's write lock, so no other
 * write can slip in between the check and the append.
 */
final class UniqueKeyCheck {
  private UniqueKeyCheck() {}

  /** Fails with a unique violation if {@code batch} would duplicate a key of any of {@code indexes}. */
  static void checkAppend(LumaTable table, ColumnBatch batch, List<IndexDefinition> indexes) {
    if (batch.rowCount() == 0) {
      return;
    }
    for (IndexDefinition index : indexes) {
      TableSchema bs = batch.schema();
      int[] inBatch = new int[index.columns().size()];
      boolean allPresent = true;
      for (int k = 0; k < inBatch.length; k++) {
        inBatch[k] = bs.indexOf(index.columns().get(k).name());
        allPresent &= inBatch[k] >= 0;
      }
      if (!allPresent) {
        continue; // a key column the batch does not write is NULL in every new row
      }
      List<ColumnReader> readers = new ArrayList<>();
      for (int c : inBatch) {
        readers.add(batch.column(c).view());
      }
      Set<Object> keys = new HashSet<>();
      for (int r = 0; r < batch.rowCount(); r++) {
        Object key = key(readers, r, bs, inBatch);
        if (key != null && !keys.add(key)) {
          throw violation(index, key, false, table.schema());
        }
      }
      if (keys.isEmpty()) {
        continue;
      }
      try (TableSnapshot snapshot = table.snapshot()) {
        forEachKey(snapshot, index, key -> {
          if (keys.contains(key)) {
            throw violation(index, key, false, snapshot.schema());
          }
        });
      }
    }
  }

  /** Fails with a unique violation ("is duplicated") if the table's rows repeat a key of {@code index}. */
  static void checkExisting(LumaTable table, IndexDefinition index) {
    Set<Object> keys = new HashSet<>();
    try (TableSnapshot snapshot = table.snapshot()) {
      forEachKey(snapshot, index, key -> {
        if (!keys.add(key)) {
          throw violation(index, key, true, snapshot.schema());
        }
      });
    }
  }

  /** Calls {@code action} with the key of every row whose key has no NULL. */
  private static void forEachKey(TableSnapshot snapshot, IndexDefinition index,
      java.util.function.Consumer<Object> action) {
    TableSchema schema = snapshot.schema();
    int[] cols = new int[index.columns().size()];
    for (int k = 0; k < cols.length; k++) {
      cols[k] = schema.indexOf(index.columns().get(k).name());
      if (cols[k] < 0) {
        throw new StorageException(StorageException.Kind.INTERNAL, "index \"" + index.name().name()
            + "\" names a column the table does not have: " + index.columns().get(k).name());
      }
    }
    int[] distinct = Arrays.stream(cols).distinct().sorted().toArray();
    Iterator<TableSnapshot.Part> parts = snapshot.scan(
        new ScanSpec(distinct, null, null, Map.of()), new ScanStats());
    while (parts.hasNext()) {
      TableSnapshot.Part p = parts.next();
      List<ColumnReader> readers = new ArrayList<>(cols.length);
      for (int c : cols) {
        readers.add(p.columns().get(c));
      }
      for (int r = 0; r < p.rowCount(); r++) {
        Object key = key(readers, r, schema, cols);
        if (key != null) {
          action.accept(key);
        }
      }
    }
  }

  /**
   * The key of row {@code r}: one value for a one-column index, else a list; null when any
   * column is NULL. Values are normalized so that equal SQL values are equal keys whichever
   * segment or file they come from (-0.0 equals 0.0 and NaN equals NaN, as in PostgreSQL).
   */
  private static Object key(List<ColumnReader> readers, int r, TableSchema schema, int[] cols) {
    if (readers.size() == 1) {
      return value(readers.get(0), r, schema.column(cols[0]).type());
    }
    Object[] key = new Object[readers.size()];
    for (int k = 0; k < key.length; k++) {
      key[k] = value(readers.get(k), r, schema.column(cols[k]).type());
      if (key[k] == null) {
        return null;
      }
    }
    return Arrays.asList(key);
  }

  private static Object value(ColumnReader reader, int r, ColumnType type) {
    if (reader.isNull(r)) {
      return null;
    }
    return switch (type.storage()) {
      case LONG -> reader.getLong(r);
      case DOUBLE -> {
        double d = reader.getDouble(r);
        yield d == 0.0 ? 0.0 : d; // -0.0 == 0.0; Double.equals already treats NaN as equal
      }
      case BOOL, STRING -> reader.get(r);
      // numeric: 1.0 = 1.00, as in PostgreSQL; bytea: ByteString compares the bytes
      case OBJECT -> reader.get(r) instanceof java.math.BigDecimal d ? d.stripTrailingZeros() : reader.get(r);
    };
  }

  private static UniqueViolationException violation(IndexDefinition index, Object key,
      boolean creating, TableSchema schema) {
    List<?> values = key instanceof List<?> l ? l : List.of(key);
    List<String> text = new ArrayList<>();
    for (int k = 0; k < values.size(); k++) {
      int c = schema.indexOf(index.columns().get(k).name());
      text.add(text(values.get(k), c < 0 ? null : schema.column(c).type()));
    }
    return new UniqueViolationException(index.name().name(), index.columnNames(), text, creating);
  }

  /** A key value as PostgreSQL prints it in an error's DETAIL. */
  private static String text(Object v, ColumnType type) {
    if (v instanceof Boolean b) {
      return b ? "t" : "f";
    }
    if (v instanceof Double d) {
      return doubleText(d);
    }
    if (v instanceof Long l && type == ColumnType.TIMESTAMP) {
      java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(Math.floorDiv(l, 1000),
          (int) Math.floorMod(l, 1000) * 1_000_000, java.time.ZoneOffset.UTC);
      String s = t.format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
      return t.getNano() == 0 ? s
          : s + ("." + String.format(java.util.Locale.ROOT, "%03d", t.getNano() / 1_000_000)).replaceAll("0+$", "");
    }
    if (v instanceof java.math.BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof org.apache.calcite.avatica.util.ByteString b) {
      return "\\x" + b.toString();
    }
    if (v instanceof Long l && type == ColumnType.DATE) {
      return java.time.LocalDate.ofEpochDay(l).toString();
    }
    return v.toString();
  }

  static String doubleText(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }
}

package io.lumadb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.avatica.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BYTEA, JSON, JSONB and NUMERIC (with and without precision) through every tier: the active
 * segment, sealed Arrow segments, Parquet files, and back after reopening (catalog and WAL).
 */
class NewColumnTypesTest {
  @TempDir
  Path dir;

  static final TableId T = new TableId("public", "types");
  static final TableSchema SCHEMA = new TableSchema(List.of(
      Column.of("id", ColumnType.BIGINT),
      Column.of("b", ColumnType.BYTEA),
      Column.of("j", ColumnType.JSON),
      Column.of("jb", ColumnType.JSONB),
      new Column("n", ColumnType.NUMERIC, true, Column.numericTypmod(10, 2)),
      Column.of("u", ColumnType.NUMERIC)));

  static List<Object[]> rows() {
    List<Object[]> rows = new ArrayList<>();
    rows.add(new Object[] {1L, new ByteString(new byte[] {0, 1, (byte) 0xff}), "{\"a\": 1}",
        "{\"a\": [1, 2]}", new BigDecimal("12.50"), new BigDecimal("1.500")});
    rows.add(new Object[] {2L, null, null, null, null, null});
    rows.add(new Object[] {3L, new ByteString(new byte[0]), "[1,2 , 3]", "\"x\"",
        new BigDecimal("-99999999.99"),
        new BigDecimal("123456789012345678901234567890123456789012.0000000000000000000001")});
    rows.add(new Object[] {4L, new ByteString("é".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        "null", "{}", new BigDecimal("0.00"), new BigDecimal("-1E-30")});
    return rows;
  }

  static void check(StorageEngine s, String where) {
    LumaTable t = s.table(T).orElseThrow();
    assertEquals(SCHEMA, t.schema(), where + ": schema with typmods");
    List<List<Object>> got = StorageRecoveryTest.rows(s, T);
    got.sort((a, b) -> Long.compare((Long) a.get(0), (Long) b.get(0)));
    List<Object[]> want = rows();
    assertEquals(want.size(), got.size(), where);
    for (int i = 0; i < want.size(); i++) {
      // BigDecimal.equals: the same digits and the same scale
      assertEquals(Arrays.asList(want.get(i)), got.get(i), where + " row " + i);
    }
  }

  @Test
  void valuesSurviveEveryTierAndReopen() throws Exception {
    StorageConfig cfg = StorageConfig.DEFAULTS.withSealRows(2);
    try (StorageEngine s = StorageEngine.open(dir, cfg)) {
      s.createTable(T, SCHEMA, false);
      for (Object[] r : rows()) {
        s.append(s.table(T).orElseThrow(), StorageRecoveryTest.batch(SCHEMA, r));
      }
      check(s, "heap and Arrow");
    }
    try (StorageEngine s = StorageEngine.open(dir, cfg)) {
      check(s, "after reopen (WAL replay)");
      s.flushAll();
      org.junit.jupiter.api.Assertions.assertFalse(s.table(T).orElseThrow().warmFiles().isEmpty());
      check(s, "Parquet");
    }
    try (StorageEngine s = StorageEngine.open(dir, cfg)) {
      org.junit.jupiter.api.Assertions.assertFalse(s.table(T).orElseThrow().warmFiles().isEmpty());
      check(s, "Parquet after reopen (catalog)");
    }
  }

  @Test
  void typmodOnlyForNumeric() {
    org.junit.jupiter.api.Assertions.assertThrows(StorageException.class,
        () -> new Column("x", ColumnType.BYTEA, true, 6));
    Column n = new Column("n", ColumnType.NUMERIC, true, Column.numericTypmod(38, 5));
    assertEquals(38, n.precision());
    assertEquals(5, n.scale());
    assertEquals(-1, Column.of("u", ColumnType.NUMERIC).precision());
  }
}

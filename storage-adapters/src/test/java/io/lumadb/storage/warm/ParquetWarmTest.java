package io.lumadb.storage.warm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.storage.Column;
import io.lumadb.storage.ColumnBatch;
import io.lumadb.storage.ColumnReader;
import io.lumadb.storage.ColumnType;
import io.lumadb.storage.TableSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetWarmTest {
  static final TableSchema SCHEMA = new TableSchema(List.of(
      Column.of("ts", ColumnType.TIMESTAMP), Column.of("host", ColumnType.VARCHAR),
      Column.of("v", ColumnType.DOUBLE), Column.of("n", ColumnType.INTEGER),
      Column.of("ok", ColumnType.BOOLEAN), Column.of("big", ColumnType.BIGINT),
      Column.of("s", ColumnType.SMALLINT), Column.of("r", ColumnType.REAL), Column.of("d", ColumnType.DATE),
      Column.of("tz", ColumnType.TIMESTAMPTZ)));

  static List<ColumnReader> columns(int rows) {
    ColumnBatch b = new ColumnBatch(SCHEMA, rows);
    for (int i = 0; i < rows; i++) {
      b.appendRow(new Object[] {1_700_000_000_000L + i * 10_000L, i % 7 == 0 ? null : "host-" + (i % 5),
          i * 0.5, i, i % 2 == 0, (long) i << 33, (short) (i % 100), i / 4f, 19_000 + i % 3,
          i % 11 == 0 ? null : 1_700_000_000_500L - i});
    }
    List<ColumnReader> cols = new ArrayList<>();
    for (int c = 0; c < SCHEMA.size(); c++) {
      cols.add(b.column(c).view());
    }
    return cols;
  }

  @Test
  void roundTripAndDuckDbReadsIt(@TempDir Path dir) throws Exception {
    int rows = 150_000;
    List<ColumnReader> cols = columns(rows);
    int[] order = new int[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = rows - 1 - i;
    }
    Path f = dir.resolve("date=2023-11-14/x.parquet");
    long size = ParquetWarmWriter.write(f, SCHEMA, cols, order);
    assertEquals(size, Files.size(f));
    assertFalse(Files.exists(dir.resolve("date=2023-11-14/x.parquet.tmp")));
    assertEquals(3, ParquetWarmReader.rowGroups(f).size(), "64K-row row groups");

    boolean[] all = new boolean[SCHEMA.size()];
    java.util.Arrays.fill(all, true);
    java.util.Map<Integer, ColumnReader[]> groups = new java.util.TreeMap<>();
    ParquetWarmReader.read(f, SCHEMA, g -> g != 1 ? all : null, (g, c, values) ->
        groups.computeIfAbsent(g, k -> new ColumnReader[SCHEMA.size()])[c] = values.view());
    assertEquals(java.util.Set.of(0, 2), groups.keySet(), "row group 1 is skipped");
    ColumnReader[] g0 = groups.get(0);
    for (int c = 0; c < SCHEMA.size(); c++) {
      for (int i : new int[] {0, 1, 7, 500}) {
        assertEquals(cols.get(c).get(order[i]), g0[c].get(i), "column " + c + " row " + i);
      }
    }
    assertNull(g0[1].get(3), "row " + order[3] + " has a null host");

    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), count(host), sum(n), min(ts), max(big), "
            + "typeof(min(ts)), typeof(min(d)), typeof(min(tz)), epoch_ms(max(tz)) FROM read_parquet('" + f + "')")) {
      assertTrue(rs.next());
      assertEquals(rows, rs.getLong(1));
      assertEquals(rows - (rows + 6) / 7, rs.getLong(2));
      assertEquals((long) rows * (rows - 1) / 2, rs.getLong(3));
      assertEquals((long) (rows - 1) << 33, rs.getLong(5));
      assertEquals("TIMESTAMP", rs.getString(6));
      assertEquals("DATE", rs.getString(7));
      assertEquals("TIMESTAMP WITH TIME ZONE", rs.getString(8)); // an instant (isAdjustedToUTC)
      assertEquals(1_700_000_000_500L - 1, rs.getLong(9));
    }
  }

  /**
   * Text columns written as whole dictionary pages (low cardinality, NULLs, non-ASCII) and one
   * with too many distinct values for a dictionary page (Parquet's own writer): DuckDB and our
   * reader see every value in file order, and the row-group statistics are right.
   */
  @Test
  void textColumnsAsDictionaryPagesAndFallback(@TempDir Path dir) throws Exception {
    TableSchema schema = new TableSchema(List.of(Column.of("ts", ColumnType.TIMESTAMP),
        Column.of("host", ColumnType.VARCHAR), Column.of("city", ColumnType.VARCHAR),
        Column.of("body", ColumnType.VARCHAR), Column.of("none", ColumnType.VARCHAR)));
    int rows = 100_000;
    ColumnBatch b = new ColumnBatch(schema, rows);
    String[] cities = {"Zürich", "東京", "Berlin", "a"};
    for (int i = 0; i < rows; i++) {
      b.appendRow(new Object[] {1_700_000_000_000L + i, i % 11 == 0 ? null : "host-" + (i % 37),
          cities[i % 4], "line " + i + " " + "x".repeat(i % 50), null});
    }
    List<ColumnReader> cols = new ArrayList<>();
    for (int c = 0; c < schema.size(); c++) {
      cols.add(b.column(c).view());
    }
    int[] order = new int[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = (int) ((i * 7919L) % rows);
    }
    Path f = dir.resolve("t.parquet");
    ParquetWarmWriter.write(f, schema, cols, order);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("SET threads = 1");
      try (ResultSet rs = s.executeQuery("SELECT host, city, body, none FROM read_parquet('" + f + "')")) {
        for (int i = 0; i < rows; i++) {
          assertTrue(rs.next());
          for (int k = 1; k <= 4; k++) {
            assertEquals(cols.get(k).get(order[i]), rs.getString(k), "row " + i + " column " + k);
          }
        }
        assertFalse(rs.next());
      }
      try (ResultSet rs = s.executeQuery("SELECT row_group_id, stats_min_value, stats_max_value, stats_null_count "
          + "FROM parquet_metadata('" + f + "') WHERE path_in_schema = 'host' ORDER BY row_group_id")) {
        for (int g = 0; g < 2; g++) {
          assertTrue(rs.next());
          java.util.TreeSet<String> seen = new java.util.TreeSet<>();
          long nulls = 0;
          for (int i = g * 65_536; i < Math.min(rows, (g + 1) * 65_536); i++) {
            Object v = cols.get(1).get(order[i]);
            if (v == null) {
              nulls++;
            } else {
              seen.add((String) v);
            }
          }
          assertEquals(seen.first(), rs.getString(2));
          assertEquals(seen.last(), rs.getString(3));
          assertEquals(nulls, rs.getLong(4));
        }
      }
    }
    List<ColumnReader[]> groups = new ArrayList<>();
    boolean[] all = new boolean[schema.size()];
    java.util.Arrays.fill(all, true);
    ParquetWarmReader.read(f, schema, g -> all, (g, c, values) -> {
      while (groups.size() <= g) {
        groups.add(new ColumnReader[schema.size()]);
      }
      groups.get(g)[c] = values.view();
    });
    for (int i = 0; i < rows; i += 97) {
      ColumnReader[] g = groups.get(i / 65_536);
      for (int c = 0; c < schema.size(); c++) {
        assertEquals(cols.get(c).get(order[i]), g[c].get(i % 65_536), "row " + i + " column " + c);
      }
    }
  }

  /** bytea, json, jsonb and numeric columns: our reader and DuckDB read back what was written. */
  @Test
  void byteaJsonNumericColumnsDuckDbReadsThem(@TempDir Path dir) throws Exception {
    TableSchema schema = new TableSchema(List.of(Column.of("b", ColumnType.BYTEA),
        Column.of("j", ColumnType.JSON), Column.of("jb", ColumnType.JSONB),
        new Column("p", ColumnType.NUMERIC, true, Column.numericTypmod(20, 3)),
        new Column("q", ColumnType.NUMERIC, true, Column.numericTypmod(38, 10)),
        Column.of("u", ColumnType.NUMERIC)));
    int rows = 1000;
    ColumnBatch batch = new ColumnBatch(schema, rows);
    for (int i = 0; i < rows; i++) {
      batch.appendRow(i % 9 == 0 ? new Object[6] : new Object[] {
          new org.apache.calcite.avatica.util.ByteString(new byte[] {(byte) i, (byte) (i >> 8), -1}),
          "{\"i\" : " + i + "}", "{\"k\": [" + i % 3 + "]}",
          java.math.BigDecimal.valueOf(i * 1001L - 400_000, 3),
          new java.math.BigDecimal("1234567890123456789012345678." + String.format("%010d", i)),
          java.math.BigDecimal.valueOf(i, i % 30)});
    }
    List<ColumnReader> cols = new ArrayList<>();
    for (int c = 0; c < schema.size(); c++) {
      cols.add(batch.column(c).view());
    }
    int[] order = new int[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = i;
    }
    Path f = dir.resolve("date=unknown/t.parquet");
    ParquetWarmWriter.write(f, schema, cols, order);
    boolean[] all = new boolean[schema.size()];
    java.util.Arrays.fill(all, true);
    ColumnReader[] got = new ColumnReader[schema.size()];
    ParquetWarmReader.read(f, schema, g -> all, (g, c, values) -> got[c] = values.view());
    for (int c = 0; c < schema.size(); c++) {
      for (int i = 0; i < rows; i++) {
        assertEquals(cols.get(c).get(i), got[c].get(i), "column " + c + " row " + i);
      }
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT typeof(b), typeof(p), typeof(q), typeof(u), p, q, u, j, jb,"
            + " octet_length(b) FROM read_parquet('" + f + "') WHERE j IS NOT NULL LIMIT 1")) {
      assertTrue(rs.next());
      assertEquals("BLOB", rs.getString(1));
      assertEquals("DECIMAL(20,3)", rs.getString(2));
      assertEquals("DECIMAL(38,10)", rs.getString(3));
      assertEquals("VARCHAR", rs.getString(4)); // plain numeric: its exact text
      assertEquals(new java.math.BigDecimal("-398.999"), rs.getBigDecimal(5));
      assertEquals(new java.math.BigDecimal("1234567890123456789012345678.0000000001"), rs.getBigDecimal(6));
      assertEquals("0.1", rs.getString(7));
      assertEquals("{\"i\" : 1}", rs.getString(8));
      assertEquals("{\"k\": [1]}", rs.getString(9));
      assertEquals(3, rs.getInt(10));
    }
  }
}

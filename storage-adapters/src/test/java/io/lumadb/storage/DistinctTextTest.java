package io.lumadb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A logs-like table: a full-text indexed body that is different on every row, and a sort
 * option naming the low-cardinality columns. Mostly distinct text is held without a dictionary
 * (WAL, Arrow, Parquet); every path must still give back the same rows and index answers.
 */
class DistinctTextTest {
  @TempDir
  Path dir;

  static final TableId LOGS = new TableId("public", "logs");
  static final TableSchema SCHEMA = new TableSchema(List.of(
      Column.of("ts", ColumnType.TIMESTAMP), Column.of("service", ColumnType.VARCHAR),
      Column.of("body", ColumnType.VARCHAR), Column.of("trace", ColumnType.VARCHAR)));
  static final String OPTIONS = "timestamp=ts,index=body,sort=service";
  static final long T0 = 1_700_006_400_000L;

  static StorageConfig config() {
    return StorageConfig.DEFAULTS.withSealRows(1000).withTiering(Duration.ofHours(1), Duration.ofHours(1), 4);
  }

  /** Row i: service s(i % 3), a body unique to the row ("disk full" on every 10th), a trace id or NULL. */
  static ColumnBatch rows(int from, int n) {
    ColumnBatch b = new ColumnBatch(SCHEMA, n);
    for (int i = from; i < from + n; i++) {
      String body = i % 10 == 0 ? "Disk FULL on volume " + i : "request " + i + " served in " + (i * 7 % 1000) + " ms";
      b.appendRow(new Object[] {T0 + (from + n - i) * 1000L, "s" + (i % 3), i % 17 == 5 ? null : body,
          i % 4 == 0 ? null : String.format("%032x", i * 2654435761L)});
    }
    return b;
  }

  static List<Object[]> all(StorageEngine s, ScanSpec spec) {
    List<Object[]> out = new ArrayList<>();
    try (TableSnapshot snap = s.table(LOGS).orElseThrow().snapshot()) {
      Iterator<TableSnapshot.Part> it = snap.scan(spec, new ScanStats());
      while (it.hasNext()) {
        TableSnapshot.Part p = it.next();
        for (int r = 0; r < p.rowCount(); r++) {
          Object[] row = new Object[SCHEMA.size()];
          for (int c = 0; c < row.length; c++) {
            row[c] = p.columns().get(c).get(r);
          }
          out.add(row);
        }
      }
    }
    return out;
  }

  static long bodiesWith(List<Object[]> rows, String words) {
    return rows.stream().filter(r -> r[2] != null && ((String) r[2]).toLowerCase().contains(words)).count();
  }

  static ScanSpec search(String words) {
    return new ScanSpec(new int[] {0, 1, 2, 3}, null, null, Map.of(), Map.of(2, List.of(words)));
  }

  @Test
  void sealedFlushedCompactedAndReplayedRowsStayTheSame() throws Exception {
    int total = 5_000;
    List<Object[]> expected;
    try (StorageEngine s = StorageEngine.open(dir, config())) {
      s.createTable(LOGS, SCHEMA, false, OPTIONS);
      LumaTable t = s.table(LOGS).orElseThrow();
      for (int from = 0; from < total; from += 500) {
        s.append(t, rows(from, 500));
      }
      HotSegment seg = t.sealedSegments().get(0);
      assertNull(seg.dictionary(2), "a body column of distinct values is held without a dictionary");
      assertNull(seg.readers().get(2).dictionary());
      assertNotNull(seg.dictionary(1), "the service column keeps its dictionary");
      expected = all(s, ScanSpec.all(SCHEMA));
      assertEquals(total, expected.size());
      assertEquals(rows(0, 500).column(2).view().get(7), expected.get(7)[2]);

      s.flushAll(); // five sealed segments -> five files -> compacted into one
      s.runTiering();
      assertEquals(total, t.rowCount());
      List<Object[]> warm = all(s, ScanSpec.all(SCHEMA));
      assertSameRows(expected, warm);
      // file order: service, then time
      for (int i = 1; i < warm.size(); i++) {
        Object[] a = warm.get(i - 1);
        Object[] b = warm.get(i);
        int bySvc = ((String) a[1]).compareTo((String) b[1]);
        assertTrue(bySvc < 0 || (bySvc == 0 && (Long) a[0] <= (Long) b[0]), "row " + i + " out of order");
      }
      List<Object[]> hits = all(s, search("disk full"));
      assertEquals(bodiesWith(expected, "disk full"), hits.size());
      assertTrue(hits.stream().allMatch(r -> ((String) r[2]).startsWith("Disk FULL on volume ")));
      assertEquals(0, all(s, search("nothing here")).size());
      List<Object[]> one = all(s, search("volume 4990"));
      assertEquals(1, one.size());
      assertEquals("Disk FULL on volume 4990", one.get(0)[2]);
      assertEquals(1, t.warmFiles().size(), "the five flushed files were compacted into one");

      s.append(t, rows(total, 700)); // only in the WAL and the active segment
    }
    try (StorageEngine s = StorageEngine.open(dir, config())) {
      List<Object[]> back = all(s, ScanSpec.all(SCHEMA));
      assertEquals(total + 700, back.size());
      List<Object[]> tail = new ArrayList<>();
      ColumnBatch b = rows(total, 700);
      for (int i = 0; i < 700; i++) {
        Object[] row = new Object[SCHEMA.size()];
        for (int c = 0; c < row.length; c++) {
          row[c] = b.column(c).view().get(i);
        }
        tail.add(row);
      }
      assertSameRows(tail, back.subList(total, total + 700));
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*), count(body), count(DISTINCT body), count(trace) FROM read_parquet('"
            + dir.resolve("warm/public/logs") + "/*/*.parquet')")) {
      assertTrue(rs.next());
      assertEquals(total, rs.getLong(1));
      assertEquals(expected.stream().filter(r -> r[2] != null).count(), rs.getLong(2));
      assertEquals(rs.getLong(2), rs.getLong(3));
      assertEquals(expected.stream().filter(r -> r[3] != null).count(), rs.getLong(4));
    }
  }

  @Test
  void sortColumnsMustBeTextColumnsOfTheTable() throws Exception {
    try (StorageEngine s = StorageEngine.open(dir, config())) {
      assertThrows(StorageException.class, () -> s.createTable(LOGS, SCHEMA, false, "sort=nope"));
      assertThrows(StorageException.class, () -> s.createTable(LOGS, SCHEMA, false, "sort=ts"));
      s.createTable(LOGS, SCHEMA, false, "sort=service body");
      assertEquals(List.of("service", "body"), s.table(LOGS).orElseThrow().options().sortBy());
      assertEquals("sort=service body", s.table(LOGS).orElseThrow().options().format());
    }
  }

  /** The same rows, in any order. */
  static void assertSameRows(List<Object[]> expected, List<Object[]> actual) {
    assertEquals(expected.size(), actual.size());
    List<String> e = new ArrayList<>(expected.stream().map(java.util.Arrays::toString).toList());
    List<String> a = new ArrayList<>(actual.stream().map(java.util.Arrays::toString).toList());
    e.sort(null);
    a.sort(null);
    assertEquals(e, a);
  }
}

package io.lumadb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
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
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flush to Parquet, pruning, compaction, retention, recovery of the warm tier. */
class TieringTest {
  @TempDir
  Path dir;

  static final TableId T = new TableId("metrics", "cpu");
  static final TableSchema SCHEMA = new TableSchema(List.of(
      Column.of("ts", ColumnType.TIMESTAMP), Column.of("host", ColumnType.VARCHAR),
      Column.of("v", ColumnType.DOUBLE)));
  static final long DAY = 86_400_000L;
  static final long T0 = 1_700_006_400_000L; // 2023-11-15T00:00:00Z

  static ColumnBatch rows(long from, int n, long step, String... hosts) {
    ColumnBatch b = new ColumnBatch(SCHEMA, n);
    for (int i = 0; i < n; i++) {
      b.appendRow(new Object[] {from + i * step, hosts[i % hosts.length], (double) i});
    }
    return b;
  }

  static long count(StorageEngine s, ScanSpec spec, ScanStats stats) {
    long n = 0;
    try (TableSnapshot snap = s.table(T).orElseThrow().snapshot()) {
      Iterator<TableSnapshot.Part> it = snap.scan(spec, stats);
      while (it.hasNext()) {
        n += it.next().rowCount();
      }
    }
    return n;
  }

  List<Path> parquetFiles() throws Exception {
    Path warm = dir.resolve("warm");
    if (!Files.exists(warm)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(warm)) {
      return s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
    }
  }

  StorageConfig config() {
    return StorageConfig.DEFAULTS.withSealRows(1000).withTiering(Duration.ofHours(1), Duration.ofHours(1), 4);
  }

  @Test
  void flushPartitionsByDayPrunesAndSurvivesRestart() throws Exception {
    try (StorageEngine s = StorageEngine.open(dir, config())) {
      s.createTable(T, SCHEMA, false);
      LumaTable t = s.table(T).orElseThrow();
      // 3 days, 1 row a minute, 3 hosts.
      for (int d = 0; d < 3; d++) {
        s.append(t, rows(T0 + d * DAY, 1440, 60_000, "a", "b", "c"));
      }
      s.flushAll();
      assertEquals(0, t.hotRows());
      assertEquals(3 * 1440, t.rowCount());
      List<Path> files = parquetFiles();
      assertTrue(files.stream().anyMatch(p -> p.toString().contains("metrics/cpu/date=2023-11-15/")), files.toString());
      assertTrue(files.stream().anyMatch(p -> p.toString().contains("date=2023-11-17")), files.toString());

      ScanStats st = new ScanStats();
      ScanSpec oneDay = new ScanSpec(new int[] {0, 1, 2}, T0 + DAY, T0 + 2 * DAY - 1, Map.of());
      assertEquals(1440, count(s, oneDay, st));
      assertTrue(st.filesPruned.get() >= 2, st.toString());

      st = new ScanStats();
      assertEquals(0, count(s, new ScanSpec(new int[] {1}, null, null, Map.of(1, Set.of("zzz"))), st));
      assertEquals(0, st.rowGroupsRead.get(), "no row group holds host 'zzz': " + st);

      s.append(t, rows(T0 + 3 * DAY, 10, 1000, "d"));
    }
    try (StorageEngine s = StorageEngine.open(dir, config())) {
      LumaTable t = s.table(T).orElseThrow();
      assertEquals(3 * 1440 + 10, t.rowCount());
      assertEquals(10, t.hotRows(), "only the unflushed rows come back from the WAL");
      assertEquals(3 * 1440 + 10, count(s, ScanSpec.all(SCHEMA), new ScanStats()));
    }
  }

  @Test
  void duckDbReadsTheWarmTierAsHivePartitions() throws Exception {
    try (StorageEngine s = StorageEngine.open(dir, config())) {
      s.createTable(T, SCHEMA, false);
      for (int d = 0; d < 2; d++) {
        s.append(s.table(T).orElseThrow(), rows(T0 + d * DAY, 100, 1000, "a", "b"));
      }
      s.flushAll();
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT date, count(*), count(DISTINCT host) FROM read_parquet('"
            + dir.resolve("warm/metrics/cpu") + "/*/*.parquet', hive_partitioning = true) GROUP BY date ORDER BY date")) {
      assertTrue(rs.next());
      assertEquals("2023-11-15", rs.getString(1));
      assertEquals(100, rs.getLong(2));
      assertEquals(2, rs.getLong(3));
      assertTrue(rs.next());
      assertEquals("2023-11-16", rs.getString(1));
      assertFalse(rs.next());
    }
  }

  /** Table T with 250 rows in five small files of one day partition. */
  static LumaTable fiveSmallFiles(StorageEngine s) throws Exception {
    s.createTable(T, SCHEMA, false);
    LumaTable t = s.table(T).orElseThrow();
    for (int i = 0; i < 5; i++) {
      s.append(t, rows(T0 + i * 100_000, 50, 1000, "h" + i));
      s.flushAll();
    }
    return t;
  }

  @Test
  void compactionMergesSmallFilesOfAPartition() throws Exception {
    try (StorageEngine s = StorageEngine.open(dir, config())) {
      LumaTable t = fiveSmallFiles(s);
      assertEquals(5, t.warmFiles().size());
      s.runTiering();
      assertEquals(1, t.warmFiles().size());
      assertEquals(1, parquetFiles().size(), "merged files are deleted");
      assertEquals(250, count(s, ScanSpec.all(SCHEMA), new ScanStats()));
      assertEquals(1, s.tieringStats().compactions.get());
    }
    try (StorageEngine s = StorageEngine.open(dir, config())) {
      assertEquals(250, s.table(T).orElseThrow().rowCount());
    }
  }

  /** Values of every row the scan returns, in scan order: "ts host v". */
  static List<String> values(StorageEngine s) {
    List<String> out = new ArrayList<>();
    try (TableSnapshot snap = s.table(T).orElseThrow().snapshot()) {
      Iterator<TableSnapshot.Part> it = snap.scan(ScanSpec.all(SCHEMA), new ScanStats());
      while (it.hasNext()) {
        TableSnapshot.Part p = it.next();
        for (int i = 0; i < p.rowCount(); i++) {
          out.add(p.columns().get(0).getLong(i) + " " + p.columns().get(1).get(i) + " "
              + p.columns().get(2).getDouble(i));
        }
      }
    }
    return out;
  }

  @Test
  void warmColumnsAreDecodedOnceAndDroppedWithTheirFile() throws Exception {
    try (StorageEngine s = StorageEngine.open(dir, config())) {
      LumaTable t = fiveSmallFiles(s);
      WarmColumnCache cache = s.warmCache();
      List<String> first = values(s);
      assertEquals(250, first.size());
      assertEquals(15, cache.misses(), "5 files x 1 row group x 3 columns decoded");
      assertEquals(0, cache.hits());
      long used = cache.usedBytes();
      assertTrue(used > 0);
      assertEquals(first, values(s), "the cached columns give the same rows");
      assertEquals(15, cache.misses());
      assertEquals(15, cache.hits());
      s.runTiering(); // compaction: the 5 files become one and are released after the checkpoint
      s.runTiering();
      assertEquals(1, t.warmFiles().size());
      assertEquals(first.stream().sorted().toList(), values(s).stream().sorted().toList());
      assertTrue(cache.usedBytes() < used, "entries of deleted files are gone: " + cache.usedBytes());
    }
    try (StorageEngine s = StorageEngine.open(dir, config().withWarmCacheBytes(0))) {
      assertEquals(250, values(s).size());
      assertEquals(0, s.warmCache().usedBytes(), "a cache of 0 bytes keeps nothing");
      assertEquals(0, s.warmCache().hits());
    }
  }

  /**
   * Compaction stays bounded: it merges at most 8 x seal_rows rows at a time, smallest files
   * first, and leaves files of two sealed segments or more alone (a day is not re-read whole
   * each time small files arrive).
   */
  @Test
  void compactionMergesOnlySmallFilesAndABoundedNumberOfRows() throws Exception {
    StorageConfig cfg = StorageConfig.DEFAULTS.withSealRows(100).withTiering(Duration.ofHours(1), Duration.ofHours(1), 2);
    try (StorageEngine s = StorageEngine.open(dir, cfg)) {
      s.createTable(T, SCHEMA, false);
      LumaTable t = s.table(T).orElseThrow();
      for (int i = 0; i < 12; i++) { // 12 files of 90 rows in one day
        s.append(t, rows(T0 + i * 100_000, 90, 1, "h" + i));
        s.flushAll();
      }
      assertEquals(12, t.warmFiles().size());
      s.runTiering();
      // 8 x 100 = 800 rows per merge: 8 files (720 rows) merged, 4 left; the merged file is big
      List<Long> sizes = t.warmFiles().stream().map(WarmFileRef::rowCount).sorted().toList();
      assertEquals(List.of(90L, 90L, 90L, 90L, 720L), sizes);
      assertEquals(1080, count(s, ScanSpec.all(SCHEMA), new ScanStats()));
      s.runTiering();
      s.runTiering();
      for (WarmFileRef f : t.warmFiles()) {
        assertTrue(f.rowCount() <= 800, "a merge read more than its bound: " + f.rowCount());
      }
      assertEquals(1080, count(s, ScanSpec.all(SCHEMA), new ScanStats()));
    }
  }

  @Test
  void retentionDropsWholePartitionsPastTheTtl() throws Exception {
    long now = System.currentTimeMillis();
    long today = now - now % DAY;
    try (StorageEngine s = StorageEngine.open(dir, config())) {
      s.createTable(T, SCHEMA, false, "ttl=3d");
      LumaTable t = s.table(T).orElseThrow();
      s.append(t, rows(today - 10 * DAY, 10, 1000, "old"));
      s.append(t, rows(today - 9 * DAY, 10, 1000, "old"));
      s.append(t, rows(today, 10, 1000, "new"));
      s.flushAll();
      assertEquals(3, t.warmFiles().size());
      s.runTiering();
      assertEquals(1, t.warmFiles().size());
      assertEquals(10, t.rowCount());
      assertEquals(1, parquetFiles().size());
      assertEquals(2, s.tieringStats().partitionsExpired.get());
    }
  }

  @Test
  void interruptedFlushLeavesNothingVisible() throws Exception {
    try (StorageEngine s = StorageEngine.open(dir, config())) {
      s.createTable(T, SCHEMA, false);
      s.append(s.table(T).orElseThrow(), rows(T0, 10, 1000, "a"));
      s.flushAll();
    }
    Path partition = dir.resolve("warm/metrics/cpu/date=2023-11-15");
    Files.write(partition.resolve("half-written.parquet.tmp"), new byte[] {1, 2, 3});
    Files.copy(parquetFiles().get(0), partition.resolve("not-in-manifest.parquet"));
    try (StorageEngine s = StorageEngine.open(dir, config())) {
      assertEquals(10, s.table(T).orElseThrow().rowCount());
      assertEquals(10, count(s, ScanSpec.all(SCHEMA), new ScanStats()));
      assertFalse(Files.exists(partition.resolve("half-written.parquet.tmp")));
      assertFalse(Files.exists(partition.resolve("not-in-manifest.parquet")));
    }
  }

  @Test
  void newColumnsDoNotRewriteOldFiles() throws Exception {
    try (StorageEngine s = StorageEngine.open(dir, config())) {
      s.createTable(T, SCHEMA, false);
      LumaTable t = s.table(T).orElseThrow();
      s.append(t, rows(T0, 10, 1000, "a"));
      s.flushAll();
      Path old = parquetFiles().get(0);
      long modified = Files.getLastModifiedTime(old).toMillis();
      s.addColumn(T, Column.of("region", ColumnType.VARCHAR));
      ColumnBatch b = new ColumnBatch(t.schema(), 1);
      b.appendRow(new Object[] {T0 + 500_000, "b", 1.0, "eu"});
      s.append(t, b);
      s.flushAll();
      assertEquals(modified, Files.getLastModifiedTime(old).toMillis());
      List<Object> regions = new ArrayList<>();
      try (TableSnapshot snap = t.snapshot()) {
        for (TableSnapshot.Part p : snap.parts()) {
          for (int r = 0; r < p.rowCount(); r++) {
            regions.add(p.columns().get(3).get(r));
          }
        }
      }
      assertEquals(11, regions.size());
      assertEquals(10, regions.stream().filter(java.util.Objects::isNull).count());
      assertTrue(regions.contains("eu"));
      ScanStats st = new ScanStats();
      assertEquals(1, count(s, new ScanSpec(new int[] {3}, null, null, Map.of(3, Set.of("eu"))), st));
      assertEquals(1, st.filesPruned.get(), "the old file has no region column: " + st);
    }
  }

  @Test
  void hotBudgetRefusesWritesWithARetryableError() throws Exception {
    try (StorageEngine s = StorageEngine.open(dir, config().withHotMaxBytes(64 * 1024))) {
      s.createTable(T, SCHEMA, false);
      LumaTable t = s.table(T).orElseThrow();
      StorageException e = assertThrows(StorageException.class, () -> {
        for (int i = 0; i < 1000; i++) {
          s.append(t, rows(T0 + i * 1000L, 100, 1, "a"));
        }
      });
      assertEquals(StorageException.Kind.OVERLOADED, e.kind());
      long before = t.rowCount();
      s.flushAll();
      s.append(t, rows(T0, 10, 1, "a"));
      assertEquals(before + 10, t.rowCount(), "writes are accepted again once flushed");
    }
  }

  /** An overloaded engine refuses a multi-metric request as a whole: no metric gets rows. */
  @Test
  void overloadRefusesAMetricsRequestWhole() throws Exception {
    try (StorageEngine s = StorageEngine.open(dir, config().withHotMaxBytes(64 * 1024))) {
      MetricsStorage m = new MetricsStorage(s);
      java.util.List<MetricsStorage.Sample> request = new java.util.ArrayList<>();
      for (int i = 0; i < 200; i++) {
        for (String metric : java.util.List.of("m_a", "m_b", "m_c")) {
          request.add(new MetricsStorage.Sample(metric, Map.of("host", "h" + i), T0 + i, i));
        }
      }
      StorageException e = assertThrows(StorageException.class, () -> {
        for (int k = 0; k < 1000; k++) {
          m.insertSamples(request);
        }
      });
      assertEquals(StorageException.Kind.OVERLOADED, e.kind());
      long a = s.table(new TableId("metrics", "m_a")).orElseThrow().rowCount();
      long c = s.table(new TableId("metrics", "m_c")).orElseThrow().rowCount();
      assertEquals(a, c, "the refused request wrote some metrics and not others");
      assertEquals(0, a % 200);
    }
  }

  @Test
  void staleMarkerNanBitsSurviveWalAndParquet() throws Exception {
    long staleBits = 0x7ff0000000000002L;
    double stale = Double.longBitsToDouble(staleBits);
    try (StorageEngine s = StorageEngine.open(dir, config())) {
      s.createTable(T, SCHEMA, false);
      ColumnBatch b = new ColumnBatch(SCHEMA, 2);
      b.appendRow(new Object[] {T0, "a", stale});
      b.appendRow(new Object[] {T0 + 1, "a", Double.NaN});
      s.append(s.table(T).orElseThrow(), b);
    }
    for (int phase = 0; phase < 2; phase++) {
      try (StorageEngine s = StorageEngine.open(dir, config())) {
        if (phase == 1) {
          s.flushAll();
          assertEquals(0, s.table(T).orElseThrow().hotRows());
        }
        try (TableSnapshot snap = s.table(T).orElseThrow().snapshot()) {
          List<Long> bits = new ArrayList<>();
          for (TableSnapshot.Part p : snap.parts()) {
            for (int r = 0; r < p.rowCount(); r++) {
              bits.add(Double.doubleToRawLongBits(p.columns().get(2).getDouble(r)));
            }
          }
          assertEquals(List.of(staleBits, Double.doubleToRawLongBits(Double.NaN)), bits, "phase " + phase);
        }
      }
    }
  }

  @Test
  void activeSegmentsSealAtTheByteLimitToo() throws Exception {
    // hot budget 32 MiB -> segments seal at 2 MiB of estimated active bytes, long before 65,536 rows
    StorageConfig cfg = StorageConfig.DEFAULTS.withHotMaxBytes(32L << 20)
        .withTiering(Duration.ofHours(1), Duration.ofHours(1), 8);
    try (StorageEngine s = StorageEngine.open(dir, cfg)) {
      s.createTable(T, SCHEMA, false);
      LumaTable t = s.table(T).orElseThrow();
      for (int i = 0; i < 10; i++) {
        s.append(t, rows(T0 + i * 10_000_000L, 10_000, 1000, "a", "b"));
      }
      assertTrue(t.sealedSegments().size() >= 2, "sealed by size: " + t.sealedSegments().size());
      assertTrue(t.sealedSegments().get(0).rowCount() < 65_536);
      assertEquals(100_000, t.rowCount());
    }
  }

  @Test
  void dropTableDeletesItsFiles() throws Exception {
    try (StorageEngine s = StorageEngine.open(dir, config())) {
      s.createTable(T, SCHEMA, false);
      s.append(s.table(T).orElseThrow(), rows(T0, 10, 1000, "a"));
      s.flushAll();
      assertEquals(1, parquetFiles().size());
      s.dropTable(T, false);
      assertEquals(0, parquetFiles().size());
      assertNull(s.table(T).orElse(null));
    }
  }
}

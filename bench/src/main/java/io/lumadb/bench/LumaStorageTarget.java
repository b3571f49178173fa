package io.lumadb.bench;

import io.lumadb.storage.ColumnReader;
import io.lumadb.storage.HotSegment;
import io.lumadb.storage.LumaTable;
import io.lumadb.storage.StorageConfig;
import io.lumadb.storage.StorageEngine;
import io.lumadb.storage.TableSnapshot;
import io.lumadb.storage.WarmFileRef;
import io.lumadb.storage.wal.FsyncPolicy;
import io.lumadb.storage.wal.WalRecord;
import io.lumadb.storage.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;

/** LumaDB's storage engine, in process, through its Java API. */
final class LumaStorageTarget {
  /** What one durable load of the data set measured. */
  record FullRun(double loadSeconds, long walBytes, long walSyncs, long hotBytes, long hotUsedBytes,
      int hotSegments, HotBreakdown hot, double replaySeconds, long warmBytes, int warmFiles,
      long compactedBytes, int compactedFiles) {}

  /** Arrow buffer bytes of the sealed segments by kind of column: capacity and used. */
  record HotBreakdown(long timeCapacity, long timeUsed, long tagCapacity, long tagUsed,
      long fieldCapacity, long fieldUsed, int minRows, int maxRows) {
    static HotBreakdown of(LumaTable table) {
      long[] cap = new long[3];
      long[] used = new long[3];
      int minRows = Integer.MAX_VALUE;
      int maxRows = 0;
      for (HotSegment seg : table.sealedSegments()) {
        minRows = Math.min(minRows, seg.rowCount());
        maxRows = Math.max(maxRows, seg.rowCount());
        List<FieldVector> vectors = seg.root().getFieldVectors();
        for (int c = 0; c < vectors.size(); c++) {
          int kind = c == 0 ? 0 : (c <= TsbsCpuGenerator.TAGS.size() ? 1 : 2);
          add(vectors.get(c), kind, cap, used);
          if (seg.dictionary(c) != null) {
            add(seg.dictionary(c), kind, cap, used);
          }
        }
      }
      return new HotBreakdown(cap[0], used[0], cap[1], used[1], cap[2], used[2], minRows, maxRows);
    }

    private static void add(org.apache.arrow.vector.ValueVector v, int kind, long[] cap, long[] used) {
      used[kind] += v.getBufferSize();
      for (ArrowBuf b : v.getBuffers(false)) {
        cap[kind] += b.capacity();
      }
    }
  }

  private final int sealRows;

  LumaStorageTarget(int sealRows) {
    this.sealRows = sealRows;
  }

  /**
   * The engine's defaults with the given fsync policy. The hot-tier budget is lifted (and no
   * background tiering runs) so that the whole data set stays in memory to be measured.
   */
  StorageConfig config(FsyncPolicy policy) {
    StorageConfig d = StorageConfig.DEFAULTS;
    // compactMinFiles 2: an explicit runTiering() merges every partition's files into one.
    return new StorageConfig(sealRows, policy, d.walSegmentBytes(), Long.MAX_VALUE / 4,
        d.flushAge(), d.tieringInterval(), 2, d.defaultTtl());
  }

  private static LumaTable createTable(StorageEngine engine) {
    engine.createTable(CpuTable.ID, CpuTable.SCHEMA, false, CpuTable.OPTIONS);
    return engine.table(CpuTable.ID).orElseThrow();
  }

  /** Loads the data with {@code writers} threads into a fresh directory; returns seconds. */
  double load(Path dir, FsyncPolicy policy, int writers, Dataset data) throws Exception {
    try (StorageEngine engine = StorageEngine.open(dir, config(policy))) {
      LumaTable table = createTable(engine);
      double s = Parallel.run(writers, data.batches(), () -> Parallel.None.INSTANCE,
          (ctx, batch) -> engine.append(table, batch));
      check(table, data);
      return s;
    }
  }

  /**
   * Durable load with {@code writers} threads, then: seal everything and measure the hot tier;
   * close without flushing and time the reopen (WAL replay); flush everything to Parquet and
   * measure the warm tier; run one tiering round (compaction of each day's files into one) and
   * measure it again. Checks the rows after the replay.
   */
  FullRun fullRun(Path dir, FsyncPolicy policy, int writers, Dataset data) throws Exception {
    double loadSeconds;
    long walBytes;
    long walSyncs;
    long hotBytes;
    long hotUsed;
    int segments;
    HotBreakdown breakdown;
    StorageEngine engine = StorageEngine.open(dir, config(policy));
    try {
      LumaTable table = createTable(engine);
      loadSeconds = Parallel.run(writers, data.batches(), () -> Parallel.None.INSTANCE,
          (ctx, batch) -> engine.append(table, batch));
      walBytes = engine.stats().get("wal_bytes_written");
      walSyncs = engine.stats().get("wal_syncs");
      table.seal();
      hotBytes = engine.allocatedBytes();
      hotUsed = table.hotBytes();
      segments = table.sealedSegments().size();
      breakdown = HotBreakdown.of(table);
      check(table, data);
    } finally {
      engine.close(); // no flush: the rows stay in the WAL only
    }
    System.gc();
    long start = System.nanoTime();
    StorageEngine reopened = StorageEngine.open(dir, config(policy));
    double replaySeconds = (System.nanoTime() - start) / 1e9;
    long[] flushed;
    long[] compacted;
    try {
      LumaTable table = reopened.table(CpuTable.ID).orElseThrow();
      check(table, data);
      reopened.flushAll();
      if (table.hotRows() != 0) {
        throw new IllegalStateException("flushAll left " + table.hotRows() + " rows in memory");
      }
      flushed = parquetFiles(table, dir);
      reopened.runTiering();
      compacted = parquetFiles(table, dir);
      check(table, data);
    } finally {
      reopened.close();
    }
    return new FullRun(loadSeconds, walBytes, walSyncs, hotBytes, hotUsed, segments, breakdown, replaySeconds,
        flushed[0], (int) flushed[1], compacted[0], (int) compacted[1]);
  }

  /** Bytes and number of the Parquet files the table lists (all must exist under warm/). */
  private static long[] parquetFiles(LumaTable table, Path dir) throws IOException {
    long bytes = 0;
    List<WarmFileRef> files = table.warmFiles();
    for (WarmFileRef f : files) {
      if (!f.path().toAbsolutePath().startsWith(dir.resolve("warm").toAbsolutePath())) {
        throw new IllegalStateException("warm file outside <dir>/warm: " + f.path());
      }
      bytes += Files.size(f.path());
    }
    return new long[] {bytes, files.size()};
  }

  /**
   * The write-ahead log alone (no table, no apply): {@code writers} threads append the batches
   * as WAL records and wait until each is durable. The ceiling for the append path.
   */
  double walOnly(Path dir, FsyncPolicy policy, int writers, Dataset data) throws Exception {
    try (WriteAheadLog wal = WriteAheadLog.open(dir, policy, StorageConfig.DEFAULTS.walSegmentBytes(), e -> { })) {
      return Parallel.run(writers, data.batches(), () -> Parallel.None.INSTANCE, (ctx, batch) -> {
        long lsn = wal.append(new WalRecord.Append(1, batch));
        wal.awaitDurable(lsn);
      });
    }
  }

  /** Checks rows, sum(usage_user), distinct hostnames and max(ts) through a snapshot. */
  private static void check(LumaTable table, Dataset data) {
    double sum = 0;
    long rows = 0;
    long maxTs = Long.MIN_VALUE;
    java.util.Set<Object> hosts = new java.util.HashSet<>();
    try (TableSnapshot snap = table.snapshot()) {
      for (TableSnapshot.Part p : snap.parts()) {
        ColumnReader ts = p.columns().get(0);
        ColumnReader host = p.columns().get(1);
        ColumnReader r = p.columns().get(Dataset.USAGE_USER);
        for (int i = 0; i < p.rowCount(); i++) {
          sum += r.getDouble(i);
          maxTs = Math.max(maxTs, ts.getLong(i));
          hosts.add(host.get(i));
        }
        rows += p.rowCount();
      }
    }
    data.check("LumaDB", rows, sum, hosts.size(), maxTs);
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

}

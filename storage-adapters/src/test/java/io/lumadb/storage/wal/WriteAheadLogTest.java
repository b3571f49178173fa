package io.lumadb.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.storage.Column;
import io.lumadb.storage.ColumnBatch;
import io.lumadb.storage.ColumnType;
import io.lumadb.storage.TableId;
import io.lumadb.storage.TableSchema;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {
  @TempDir
  Path dir;

  static final TableSchema SCHEMA = new TableSchema(List.of(
      Column.of("ts", ColumnType.TIMESTAMP), Column.of("host", ColumnType.VARCHAR),
      Column.of("v", ColumnType.DOUBLE), Column.of("ok", ColumnType.BOOLEAN)));

  static ColumnBatch batch(int rows, int seed) {
    ColumnBatch b = new ColumnBatch(SCHEMA, rows);
    for (int i = 0; i < rows; i++) {
      b.appendRow(new Object[] {1_700_000_000_000L + seed * 1000L + i, i % 3 == 0 ? null : "h" + seed,
          seed + i / 10.0, i % 2 == 0});
    }
    return b;
  }

  List<WriteAheadLog.Entry> reopen(FsyncPolicy p) throws IOException {
    List<WriteAheadLog.Entry> seen = new ArrayList<>();
    WriteAheadLog.open(dir, p, 1 << 20, seen::add).close();
    return seen;
  }

  @Test
  void recordsRoundTripInOrder() throws IOException {
    try (WriteAheadLog wal = WriteAheadLog.open(dir, FsyncPolicy.ALWAYS, 1 << 20, e -> { })) {
      assertEquals(1, wal.append(new WalRecord.CreateTable(7, new TableId("public", "t"), SCHEMA, "ttl=1d")));
      for (int i = 0; i < 5; i++) {
        wal.awaitDurable(wal.append(new WalRecord.Append(7, batch(100, i))));
      }
      wal.append(new WalRecord.AddColumn(7, Column.of("extra", ColumnType.BIGINT)));
      wal.append(new WalRecord.DropTable(7));
    }
    List<WriteAheadLog.Entry> seen = reopen(FsyncPolicy.ALWAYS);
    assertEquals(8, seen.size());
    for (int i = 0; i < seen.size(); i++) {
      assertEquals(i + 1, seen.get(i).lsn());
    }
    WalRecord.CreateTable c = (WalRecord.CreateTable) seen.get(0).record();
    assertEquals(SCHEMA, c.schema());
    assertEquals("ttl=1d", c.options());
    WalRecord.Append a = (WalRecord.Append) seen.get(3).record();
    assertEquals(100, a.batch().rowCount());
    assertEquals(batch(100, 2).column(1).view().get(4), a.batch().column(1).view().get(4));
    assertEquals(null, a.batch().column(1).view().get(3));
    assertEquals(2.5, a.batch().column(2).view().get(5));
    // Appending continues after the replayed records.
    try (WriteAheadLog wal = WriteAheadLog.open(dir, FsyncPolicy.ALWAYS, 1 << 20, e -> { })) {
      assertEquals(9, wal.append(new WalRecord.DropTable(8)));
    }
  }

  @Test
  void tornTailIsDroppedAndLogStaysUsable() throws IOException {
    try (WriteAheadLog wal = WriteAheadLog.open(dir, FsyncPolicy.ALWAYS, 1 << 20, e -> { })) {
      for (int i = 0; i < 3; i++) {
        wal.append(new WalRecord.Append(1, batch(10, i)));
      }
    }
    Path seg = onlySegment();
    long size = Files.size(seg);
    for (long cut : new long[] {size - 1, size - 20, size - 40}) {
      try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
        f.setLength(cut);
      }
      List<WriteAheadLog.Entry> seen = reopen(FsyncPolicy.ALWAYS);
      assertEquals(2, seen.size(), "the torn third record is dropped, cut at " + cut);
      try (WriteAheadLog wal = WriteAheadLog.open(dir, FsyncPolicy.ALWAYS, 1 << 20, e -> { })) {
        assertEquals(3, wal.append(new WalRecord.Append(1, batch(10, 9))));
      }
      assertEquals(3, reopen(FsyncPolicy.ALWAYS).size());
      size = Files.size(seg);
    }
  }

  @Test
  void garbageAfterTheLastRecordIsATornWrite() throws IOException {
    try (WriteAheadLog wal = WriteAheadLog.open(dir, FsyncPolicy.OFF, 1 << 20, e -> { })) {
      wal.append(new WalRecord.Append(1, batch(10, 1)));
    }
    Path seg = onlySegment();
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.seek(f.length());
      f.write(new byte[100]);
    }
    assertEquals(1, reopen(FsyncPolicy.OFF).size());
  }

  @Test
  void corruptRecordInTheMiddleStopsStartupNamingFileAndOffset() throws IOException {
    long secondOffset;
    try (WriteAheadLog wal = WriteAheadLog.open(dir, FsyncPolicy.ALWAYS, 1 << 20, e -> { })) {
      wal.append(new WalRecord.Append(1, batch(10, 1)));
      secondOffset = Files.size(onlySegment());
      wal.append(new WalRecord.Append(1, batch(10, 2)));
      wal.append(new WalRecord.Append(1, batch(10, 3)));
    }
    Path seg = onlySegment();
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.seek(secondOffset + 30);
      int b = f.read();
      f.seek(secondOffset + 30);
      f.write(b ^ 0xFF);
    }
    WalCorruptException e = assertThrows(WalCorruptException.class, () -> reopen(FsyncPolicy.ALWAYS));
    assertEquals(seg, e.file());
    assertEquals(secondOffset, e.offset());
    assertTrue(e.getMessage().contains("offset " + secondOffset), e.getMessage());
    assertTrue(e.getMessage().contains(seg.toString()), e.getMessage());
  }

  @Test
  void segmentsRotateAndTrim() throws IOException {
    try (WriteAheadLog wal = WriteAheadLog.open(dir, FsyncPolicy.OFF, 4096, e -> { })) {
      for (int i = 0; i < 40; i++) {
        wal.append(new WalRecord.Append(1, batch(20, i)));
      }
      assertTrue(wal.segmentCount() > 3, "segments: " + wal.segmentCount());
      int before = wal.segmentCount();
      int deleted = wal.trim(20);
      assertTrue(deleted > 0 && deleted < before);
      assertEquals(before - deleted, wal.segmentCount());
    }
    List<WriteAheadLog.Entry> seen = reopen(FsyncPolicy.OFF);
    assertTrue(seen.get(0).lsn() <= 21 && seen.get(0).lsn() > 1, "first kept LSN " + seen.get(0).lsn());
    assertEquals(40, seen.get(seen.size() - 1).lsn());
  }

  @Test
  void groupCommitSharesFsyncs() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (WriteAheadLog wal = WriteAheadLog.open(dir, FsyncPolicy.ALWAYS, 64 << 20, e -> { })) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int seed = t;
        fs.add(pool.submit(() -> {
          for (int i = 0; i < 50; i++) {
            wal.awaitDurable(wal.append(new WalRecord.Append(1, batch(5, seed))));
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      assertEquals(400, wal.lastLsn());
      assertTrue(wal.syncCount() <= 400, "never more fsyncs than writes");
    } finally {
      pool.shutdown();
    }
    assertEquals(400, reopen(FsyncPolicy.ALWAYS).size());
  }

  @Test
  void interruptedWritersDoNotBreakTheLogForOthers() throws Exception {
    try (WriteAheadLog wal = WriteAheadLog.open(dir, FsyncPolicy.ALWAYS, 64 << 20, e -> { })) {
      for (int i = 0; i < 20; i++) {
        Thread.currentThread().interrupt(); // an interrupted caller, as after a cancelled query
        long lsn = wal.append(new WalRecord.Append(1, batch(5, i)));
        wal.awaitDurable(lsn);
        assertTrue(Thread.interrupted(), "the caller's interrupt status is kept");
      }
      // A thread interrupted while it writes in a loop.
      java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
      Thread t = new Thread(() -> {
        for (int i = 0; i < 200; i++) {
          wal.awaitDurable(wal.append(new WalRecord.Append(1, batch(5, i))));
        }
      });
      t.setUncaughtExceptionHandler((th, e) -> failure.set(e));
      t.start();
      for (int i = 0; i < 50 && t.isAlive(); i++) {
        t.interrupt();
        Thread.sleep(1);
      }
      t.join();
      if (failure.get() != null) {
        throw new AssertionError("the interrupted writer failed", failure.get());
      }
      wal.awaitDurable(wal.append(new WalRecord.Append(1, batch(5, 99))));
      assertEquals(221, wal.lastLsn());
    }
    assertEquals(221, reopen(FsyncPolicy.ALWAYS).size());
  }

  private Path onlySegment() throws IOException {
    try (var s = Files.list(dir)) {
      List<Path> l = s.filter(p -> p.toString().endsWith(".wal")).toList();
      assertEquals(1, l.size());
      return l.get(0);
    }
  }
}

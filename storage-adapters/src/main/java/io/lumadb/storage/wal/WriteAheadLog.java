package io.lumadb.storage.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One write-ahead log for all tables, in segment files {@code <first-lsn>.wal}. A record is
 * framed as {@code [int length][int crc32c][byte type][long lsn][payload]}, where length counts
 * the bytes after the checksum and the checksum covers them. LSNs go up by one per record.
 *
 * <p>On open, every record is handed to a replay callback in order. A torn record at the very
 * end (a crash mid-write) is cut off; a damaged record anywhere else stops the open with
 * {@link WalCorruptException} naming the file and offset.
 */
public final class WriteAheadLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WriteAheadLog.class);
  private static final byte[] MAGIC = "LUMAWAL1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final int FRAME_HEADER = 4 + 4 + 1 + 8;
  /** Largest record accepted: a bigger batch must be split by the caller. */
  public static final int MAX_RECORD_BYTES = 256 << 20;

  /** A replayed record and its position in the log. */
  public record Entry(long lsn, WalRecord record) {}

  private final Path dir;
  private final FsyncPolicy policy;
  private final long segmentBytes;
  /** First LSN of each segment file, to the file. */
  private final TreeMap<Long, Path> segments = new TreeMap<>();
  private final Object syncLock = new Object();
  private final ScheduledExecutorService batchSyncer;
  private FileChannel current;
  private long currentFirstLsn;
  private long lastLsn;
  private volatile long durableLsn;
  private boolean broken;
  private long bytesWritten;
  private long syncs;

  private WriteAheadLog(Path dir, FsyncPolicy policy, long segmentBytes) {
    this.dir = dir;
    this.policy = policy;
    this.segmentBytes = segmentBytes;
    if (policy == FsyncPolicy.BATCH) {
      batchSyncer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "wal-batch-sync");
        t.setDaemon(true);
        return t;
      });
      batchSyncer.scheduleWithFixedDelay(this::syncQuietly, 10, 10, TimeUnit.MILLISECONDS);
    } else {
      batchSyncer = null;
    }
  }

  /**
   * Opens (or creates) the log in {@code dir}, replaying every record into {@code replay}
   * before returning.
   */
  public static WriteAheadLog open(Path dir, FsyncPolicy policy, long segmentBytes,
      Consumer<Entry> replay) throws IOException {
    Files.createDirectories(dir);
    WriteAheadLog wal = new WriteAheadLog(dir, policy, segmentBytes);
    wal.recover(replay);
    return wal;
  }

  private void recover(Consumer<Entry> replay) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        String name = p.getFileName().toString();
        if (name.endsWith(".wal")) {
          segments.put(Long.parseLong(name.substring(0, name.length() - 4)), p);
        } else if (name.endsWith(".wal.tmp")) {
          Files.delete(p);
        }
      }
    }
    long expected = -1;
    Path last = segments.isEmpty() ? null : segments.lastEntry().getValue();
    for (var e : segments.entrySet()) {
      if (expected >= 0 && e.getKey() != expected) {
        throw new WalCorruptException(e.getValue(), 0, "segment starts at LSN " + e.getKey()
            + " but the previous segment ended at LSN " + (expected - 1));
      }
      long next = replaySegment(e.getValue(), e.getKey(), e.getValue().equals(last), replay);
      expected = next;
    }
    lastLsn = segments.isEmpty() ? 0 : expected - 1;
    durableLsn = lastLsn;
    if (last != null) {
      current = FileChannel.open(last, StandardOpenOption.WRITE, StandardOpenOption.READ);
      current.position(current.size());
      currentFirstLsn = segments.lastKey();
    } else {
      startSegment(1);
    }
  }

  /** Replays one segment; returns the LSN after its last record. */
  private long replaySegment(Path file, long firstLsn, boolean isLast, Consumer<Entry> replay)
      throws IOException {
    byte[] data = Files.readAllBytes(file);
    ByteBuffer buf = ByteBuffer.wrap(data);
    long lsn = firstLsn;
    if (data.length < MAGIC.length || !java.util.Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      if (isLast && data.length < MAGIC.length) {
        truncate(file, 0, "an incomplete segment header");
        rewriteHeader(file);
        return lsn;
      }
      throw new WalCorruptException(file, 0, "not a LumaDB WAL segment (bad magic)");
    }
    int pos = MAGIC.length;
    CRC32C crc = new CRC32C();
    while (pos < data.length) {
      int remaining = data.length - pos;
      if (remaining < FRAME_HEADER) {
        return tornOrCorrupt(file, pos, isLast, lsn, "a record header cut short");
      }
      int len = buf.getInt(pos);
      int sum = buf.getInt(pos + 4);
      if (len <= 0) {
        if (isLast && allZero(data, pos)) {
          return tornOrCorrupt(file, pos, true, lsn, "zero-filled space after the last record");
        }
        throw new WalCorruptException(file, pos, "invalid record length " + len);
      }
      if (len > remaining - 8) {
        return tornOrCorrupt(file, pos, isLast, lsn, "a record running past the end of the file");
      }
      crc.reset();
      crc.update(data, pos + 8, len);
      if ((int) crc.getValue() != sum) {
        if (pos + 8 + len == data.length) {
          return tornOrCorrupt(file, pos, isLast, lsn, "a last record with a bad checksum");
        }
        throw new WalCorruptException(file, pos, "checksum mismatch");
      }
      byte type = data[pos + 8];
      long recordLsn = buf.getLong(pos + 9);
      if (recordLsn != lsn) {
        throw new WalCorruptException(file, pos, "LSN " + recordLsn + " where " + lsn + " was expected");
      }
      WalRecord record;
      try {
        record = WalCodec.read(type, data, pos + FRAME_HEADER, len - (FRAME_HEADER - 8));
      } catch (IOException | RuntimeException e) {
        throw new WalCorruptException(file, pos, "undecodable record: " + e.getMessage());
      }
      replay.accept(new Entry(lsn, record));
      lsn++;
      pos += 8 + len;
    }
    return lsn;
  }

  private static boolean allZero(byte[] data, int from) {
    for (int i = from; i < data.length; i++) {
      if (data[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private long tornOrCorrupt(Path file, int pos, boolean isLast, long lsn, String what) throws IOException {
    if (!isLast) {
      throw new WalCorruptException(file, pos, what + " in a segment that is not the last");
    }
    truncate(file, pos, what);
    return lsn;
  }

  private static void truncate(Path file, long pos, String what) throws IOException {
    LOG.warn("write-ahead log {}: dropping {} at offset {} (torn write from a crash)", file, what, pos);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(pos);
      ch.force(true);
    }
  }

  private static void rewriteHeader(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(MAGIC));
      ch.force(true);
    }
  }

  /** Creates the next segment file; the current one stays in use if that fails (disk full). */
  private void startSegment(long firstLsn) throws IOException {
    Path file = dir.resolve(String.format(Locale.ROOT, "%020d.wal", firstLsn));
    Files.deleteIfExists(file); // a leftover of an earlier failed attempt, never written to
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        StandardOpenOption.READ);
    try {
      ByteBuffer magic = ByteBuffer.wrap(MAGIC);
      while (magic.hasRemaining()) {
        ch.write(magic);
      }
      ch.force(true);
    } catch (IOException e) {
      ch.close();
      Files.deleteIfExists(file);
      throw e;
    }
    syncDirectory();
    FileChannel previous = current;
    current = ch;
    currentFirstLsn = firstLsn;
    segments.put(firstLsn, file);
    if (previous != null) {
      previous.close();
    }
  }

  private void syncDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Some file systems cannot open directories; the rename/create is then as durable as it gets.
    }
  }

  /**
   * Writes a record to the log (to the operating system, not yet forced) and returns its LSN.
   * Call {@link #awaitDurable} before acknowledging the write.
   */
  public long append(WalRecord record) {
    if (broken) {
      throw new UncheckedIOException(new IOException("write-ahead log is unusable after an I/O error; restart the server"));
    }
    // Encoded before taking the log's lock: writers of other tables encode at the same time.
    byte[] payload = WalCodec.payload(record);
    return append(WalCodec.type(record), payload);
  }

  private synchronized long append(byte type, byte[] payload) {
    if (broken) {
      throw new UncheckedIOException(new IOException("write-ahead log is unusable after an I/O error; restart the server"));
    }
    int len = 1 + 8 + payload.length;
    if (len > MAX_RECORD_BYTES) {
      throw new IllegalArgumentException("record of " + len + " bytes is larger than "
          + MAX_RECORD_BYTES + ": split the batch");
    }
    long lsn = lastLsn + 1;
    ByteBuffer frame = ByteBuffer.allocate(8 + len);
    frame.putInt(len).putInt(0).put(type).putLong(lsn).put(payload);
    CRC32C crc = new CRC32C();
    crc.update(frame.array(), 8, len);
    frame.putInt(4, (int) crc.getValue());
    frame.flip();
    // An interrupt closes a FileChannel for every thread; no writer's interrupt may break the log.
    boolean interrupted = Thread.interrupted();
    long start = -1;
    try {
      for (int attempt = 0; ; attempt++) {
        try {
          if (current.size() >= segmentBytes) {
            current.force(false);
            startSegment(lsn);
          }
          start = current.position();
          frame.rewind();
          while (frame.hasRemaining()) {
            current.write(frame);
          }
          break;
        } catch (java.nio.channels.ClosedChannelException e) {
          interrupted |= Thread.interrupted();
          if (attempt >= 100 || !reopenCurrent(start)) {
            broken = true;
            throw new UncheckedIOException("write-ahead log channel closed: " + e, e);
          }
        } catch (IOException e) {
          undoPartialWrite(start);
          throw new UncheckedIOException("cannot write to the write-ahead log: " + e.getMessage(), e);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    lastLsn = lsn;
    bytesWritten += 8 + len;
    return lsn;
  }

  /**
   * Reopens the current segment after its channel was closed (by an interrupt), cutting it
   * back to {@code truncateTo} when a write was under way. Returns false if that fails.
   */
  private synchronized boolean reopenCurrent(long truncateTo) {
    boolean interrupted = false;
    try {
      for (int attempt = 0; attempt < 100; attempt++) {
        interrupted |= Thread.interrupted();
        try {
          FileChannel ch = FileChannel.open(segments.get(currentFirstLsn), StandardOpenOption.WRITE,
              StandardOpenOption.READ);
          try {
            if (truncateTo >= 0) {
              ch.truncate(truncateTo);
            }
            ch.position(ch.size());
          } catch (IOException e) {
            ch.close();
            throw e;
          }
          current = ch;
          return true;
        } catch (java.nio.channels.ClosedByInterruptException e) {
          // interrupted again while reopening: try again
        } catch (IOException e) {
          LOG.error("cannot reopen the write-ahead log", e);
          return false;
        }
      }
      return false;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** After a failed write, cut the file back so no partial record stays in the middle. */
  private void undoPartialWrite(long start) {
    if (start < 0) {
      broken = true;
      return;
    }
    try {
      current.truncate(start);
      current.position(start);
    } catch (IOException e) {
      broken = true;
      LOG.error("write-ahead log cannot be repaired after a failed write; refusing further writes", e);
    }
  }

  /** Returns once the record with this LSN is as durable as the fsync policy promises. */
  public void awaitDurable(long lsn) {
    if (policy != FsyncPolicy.ALWAYS || lsn <= durableLsn) {
      return;
    }
    synchronized (syncLock) {
      if (lsn <= durableLsn) {
        return;
      }
      sync();
    }
  }

  private void sync() {
    boolean interrupted = Thread.interrupted();
    try {
      for (int attempt = 0; ; attempt++) {
        long target;
        FileChannel ch;
        synchronized (this) {
          target = lastLsn;
          ch = current;
        }
        try {
          ch.force(false);
          synchronized (this) {
            syncs++;
          }
          durableLsn = Math.max(durableLsn, target);
          return;
        } catch (java.nio.channels.ClosedChannelException e) {
          interrupted |= Thread.interrupted();
          synchronized (this) {
            if (attempt >= 100 || (current == ch && !reopenCurrent(-1))) {
              throw new UncheckedIOException("write-ahead log channel closed: " + e, e);
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot fsync the write-ahead log: " + e.getMessage(), e);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void syncQuietly() {
    try {
      synchronized (syncLock) {
        if (durableLsn < lastLsnVolatile()) {
          sync();
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("background WAL sync failed", e);
    }
  }

  private synchronized long lastLsnVolatile() {
    return lastLsn;
  }

  /** The LSN of the last record written. */
  public synchronized long lastLsn() {
    return lastLsn;
  }

  /**
   * Deletes segment files all of whose records have LSN at most {@code lsn}. The segment being
   * written is never deleted.
   */
  public synchronized int trim(long lsn) throws IOException {
    int deleted = 0;
    List<Long> firsts = new ArrayList<>(segments.keySet());
    for (int i = 0; i + 1 < firsts.size(); i++) {
      long lastInSegment = firsts.get(i + 1) - 1;
      if (lastInSegment <= lsn && firsts.get(i) != currentFirstLsn) {
        Files.deleteIfExists(segments.remove(firsts.get(i)));
        deleted++;
      } else {
        break;
      }
    }
    return deleted;
  }

  public synchronized int segmentCount() {
    return segments.size();
  }

  public synchronized long bytesWritten() {
    return bytesWritten;
  }

  public synchronized long syncCount() {
    return syncs;
  }

  public FsyncPolicy policy() {
    return policy;
  }

  @Override
  public void close() throws IOException {
    if (batchSyncer != null) {
      batchSyncer.shutdown(); // no interrupt: it could land inside an fsync
      try {
        batchSyncer.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (syncLock) {
      synchronized (this) {
        if (current != null && current.isOpen()) {
          if (policy != FsyncPolicy.OFF) {
            current.force(false);
          }
          current.close();
        }
      }
    }
  }
}

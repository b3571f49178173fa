package io.lumadb.storage;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * One table: an active segment on the heap that takes appends, and sealed Arrow segments.
 * Appends and snapshots are serialized on the table; scans run outside the lock on the
 * snapshot they took.
 */
public final class LumaTable {
  /** Where a table logs its changes before applying them; returns the record's LSN. */
  @FunctionalInterface
  public interface WalSink {
    WalSink NONE = r -> 0;

    long log(io.lumadb.storage.wal.WalRecord record);
  }

  private final long tableId;
  private final TableId id;
  private final TableOptions options;
  private int timeColumn;
  private List<WarmFileRef> warm = List.of();
  private long activeMinTime = Long.MAX_VALUE;
  private long activeMaxTime = Long.MIN_VALUE;
  private long activeSince;
  private final BufferAllocator allocator;
  private final int sealRows;
  /** Estimated active-segment bytes after which it is sealed (the hot budget / 16). */
  private final long sealBytes;
  private TableSchema schema;
  private HeapColumn[] active;
  private List<HotSegment> sealed = List.of();
  private long nextSegmentId = 1;
  private boolean closed;
  /** LSNs of the first and last rows in the active segment (0 when empty or not logged). */
  private long activeMinLsn;
  private long activeMaxLsn;
  /** Every row with an LSN up to this one is in the warm tier. */
  private long flushedLsn;

  /**
   * Held by the engine around checking a write against the table's unique indexes and appending
   * it, and while a unique index is created, so that no other write slips in between. Separate
   * from the table's monitor, which readers and the tiering task take.
   */
  final Object writeLock = new Object();

  /** The engine's estimate of heap held by all active segments, kept current by each table. */
  private final java.util.concurrent.atomic.AtomicLong activeBytes;

  LumaTable(long tableId, TableId id, TableSchema schema, TableOptions options,
      BufferAllocator allocator, int sealRows, long sealBytes,
      java.util.concurrent.atomic.AtomicLong activeBytes) {
    this.sealBytes = sealBytes;
    this.activeBytes = activeBytes;
    this.tableId = tableId;
    this.id = id;
    this.options = options;
    this.timeColumn = options.timeColumnIn(schema);
    this.schema = schema;
    this.allocator = allocator;
    this.sealRows = sealRows;
    this.active = newActive(schema);
  }

  private static HeapColumn[] newActive(TableSchema schema) {
    HeapColumn[] cols = new HeapColumn[schema.size()];
    for (int i = 0; i < cols.length; i++) {
      cols[i] = new HeapColumn(schema.column(i).type(), 8);
    }
    return cols;
  }

  public TableId id() {
    return id;
  }

  public TableOptions options() {
    return options;
  }

  /** Position of the designated time column, or -1. */
  public synchronized int timeColumn() {
    return timeColumn;
  }

  private volatile ScanStats lastScan;

  /** What the most recent scan of this table read and skipped. */
  public ScanStats lastScan() {
    return lastScan;
  }

  public void recordScan(ScanStats stats) {
    lastScan = stats;
  }

  /** The catalog's numeric id of this table, never reused. */
  public long tableId() {
    return tableId;
  }

  public synchronized TableSchema schema() {
    return schema;
  }

  /**
   * Appends the batch's rows. The batch's columns must be columns of this table, of the same
   * type; the table's other columns get NULL. The batch is checked, then logged through
   * {@code wal}, then applied; all rows become visible together. Returns the record's LSN.
   */
  synchronized long append(ColumnBatch batch, WalSink wal) {
    int[] source = sourceColumns(batch);
    int n = batch.rowCount();
    if (n == 0) {
      return 0;
    }
    if (activeRows() > 0 && (activeRows() + n > sealRows || estimate(activeRows() + n) > sealBytes)) {
      // Seal first rather than overshoot: a batch never spans two segments (one LSN each).
      sealIfPossible();
    }
    long lsn = wal.log(new io.lumadb.storage.wal.WalRecord.Append(tableId, batch));
    activeBytes.addAndGet(estimate(n));
    if (activeRows() == 0) {
      activeMinLsn = lsn;
      activeSince = System.nanoTime();
    }
    activeMaxLsn = lsn;
    if (timeColumn >= 0 && source[timeColumn] >= 0) {
      ColumnReader tr = batch.column(source[timeColumn]).view();
      for (int r = 0; r < n; r++) {
        if (!tr.isNull(r)) {
          long v = tr.getLong(r);
          activeMinTime = Math.min(activeMinTime, v);
          activeMaxTime = Math.max(activeMaxTime, v);
        }
      }
    }
    for (int t = 0; t < source.length; t++) {
      HeapColumn dst = active[t];
      if (source[t] < 0) {
        for (int r = 0; r < n; r++) {
          dst.appendNull();
        }
      } else {
        dst.appendFrom(batch.column(source[t]).view(), 0, n);
      }
    }
    if (active.length > 0 && (active[0].size() >= sealRows || estimate(active[0].size()) >= sealBytes)) {
      sealIfPossible();
    }
    return lsn;
  }

  /**
   * Checks that {@code batch} fits this table and returns, per table column, the batch column
   * that fills it (-1: NULL). Nothing is written; a batch that passes stays valid, as tables
   * only gain columns.
   */
  synchronized int[] sourceColumns(ColumnBatch batch) {
    ensureOpen();
    batch.validate();
    int[] source = new int[schema.size()];
    java.util.Arrays.fill(source, -1);
    TableSchema bs = batch.schema();
    for (int i = 0; i < bs.size(); i++) {
      Column c = bs.column(i);
      int t = schema.indexOf(c.name());
      if (t < 0) {
        throw new StorageException(
            "column \"" + c.name() + "\" of relation \"" + id.name() + "\" does not exist");
      }
      if (schema.column(t).type() != c.type()) {
        throw new StorageException(
            "column \"" + c.name() + "\" is of type " + schema.column(t).type().sqlName()
                + " but the batch holds " + c.type().sqlName());
      }
      source[t] = i;
    }
    return source;
  }

  /**
   * Seals, unless Arrow cannot get the memory now: then the rows stay in the active segment and
   * the tiering task seals it later. Inside {@link #append} the batch is logged and applied
   * already, so failing the call would make its writer retry rows that are written.
   */
  private void sealIfPossible() {
    try {
      seal();
    } catch (org.apache.arrow.memory.OutOfMemoryException e) {
      // toArrow released what it had allocated; the active segment is unchanged
    }
  }

  /** Turns the active segment into an immutable Arrow segment. */
  public synchronized void seal() {
    ensureOpen();
    int n = activeRows();
    if (n == 0) {
      return;
    }
    List<ColumnReader> readers = new ArrayList<>(active.length);
    for (HeapColumn c : active) {
      readers.add(c.view());
    }
    ArrowColumns.Sealed root = ArrowColumns.toArrow(schema, readers, n, allocator);
    activeBytes.addAndGet(-estimate(n));
    List<HotSegment> next = new ArrayList<>(sealed);
    next.add(new HotSegment(nextSegmentId++, schema, root, activeMinLsn, activeMaxLsn,
        activeTimeMin(), activeTimeMax()));
    sealed = List.copyOf(next);
    active = newActive(schema);
    activeMinLsn = 0;
    activeMaxLsn = 0;
    activeMinTime = Long.MAX_VALUE;
    activeMaxTime = Long.MIN_VALUE;
  }

  private Long activeTimeMin() {
    return activeMinTime <= activeMaxTime ? activeMinTime : null;
  }

  private Long activeTimeMax() {
    return activeMinTime <= activeMaxTime ? activeMaxTime : null;
  }

  /** Nanoseconds (System.nanoTime) since the first row of the active segment arrived, or -1. */
  public synchronized long activeAgeNanos() {
    return activeRows() == 0 ? -1 : System.nanoTime() - activeSince;
  }

  private int activeRows() {
    return active.length == 0 ? 0 : active[0].size();
  }

  /** Adds a nullable column; existing rows read NULL. Sealed segments are not rewritten. */
  synchronized void addColumn(Column column, WalSink wal) {
    ensureOpen();
    TableSchema next = schema.withColumn(column);
    wal.log(new io.lumadb.storage.wal.WalRecord.AddColumn(tableId, column));
    HeapColumn added = new HeapColumn(column.type(), Math.max(64, activeRows()));
    for (int i = 0; i < activeRows(); i++) {
      added.appendNull();
    }
    HeapColumn[] cols = java.util.Arrays.copyOf(active, active.length + 1);
    cols[active.length] = added;
    active = cols;
    activeBytes.addAndGet(16L * activeRows());
    schema = next;
    timeColumn = options.timeColumnIn(schema);
  }

  /** The rows visible now, with the current schema. Close the snapshot when done. */
  public synchronized TableSnapshot snapshot() {
    ensureOpen();
    List<WarmFileRef> files = new ArrayList<>(warm.size());
    for (WarmFileRef f : warm) {
      if (f.retain()) {
        files.add(f);
      }
    }
    List<TableSnapshot.HotPart> parts = new ArrayList<>(sealed.size() + 1);
    List<HotSegment> retained = new ArrayList<>(sealed.size());
    for (HotSegment s : sealed) {
      if (!s.retain()) {
        continue;
      }
      retained.add(s);
      List<ColumnReader> cols = new ArrayList<>(schema.size());
      for (Column c : schema.columns()) {
        int i = s.schema().indexOf(c.name());
        cols.add(i < 0 ? ColumnReader.nulls(s.rowCount()) : s.readers().get(i));
      }
      parts.add(new TableSnapshot.HotPart(
          new TableSnapshot.Part(s.rowCount(), List.copyOf(cols)), s.minTime(), s.maxTime()));
    }
    int n = activeRows();
    if (n > 0) {
      List<ColumnReader> cols = new ArrayList<>(active.length);
      for (HeapColumn c : active) {
        cols.add(c.view());
      }
      parts.add(new TableSnapshot.HotPart(
          new TableSnapshot.Part(n, List.copyOf(cols)), activeTimeMin(), activeTimeMax()));
    }
    return new TableSnapshot(schema, timeColumn, List.copyOf(files), List.copyOf(parts), List.copyOf(retained));
  }

  /** Number of rows now. */
  public synchronized long rowCount() {
    long n = activeRows();
    for (WarmFileRef f : warm) {
      n += f.rowCount();
    }
    for (HotSegment s : sealed) {
      n += s.rowCount();
    }
    return n;
  }

  public synchronized List<HotSegment> sealedSegments() {
    return sealed;
  }

  private void ensureOpen() {
    if (closed) {
      throw new StorageException(
          StorageException.Kind.NOT_FOUND, "relation \"" + id.name() + "\" does not exist");
    }
  }

  public synchronized List<WarmFileRef> warmFiles() {
    return warm;
  }

  /** Hot (in-memory) rows: sealed segments and the active one. */
  public synchronized long hotRows() {
    long n = activeRows();
    for (HotSegment s : sealed) {
      n += s.rowCount();
    }
    return n;
  }

  /** A cheap estimate of heap bytes for rows of the active segment (rows x columns x 16). */
  private long estimate(long rows) {
    return rows * Math.max(1, active.length) * 16;
  }

  /** Arrow bytes of sealed segments plus heap bytes of the active segment. */
  public synchronized long hotBytes() {
    long n = 0;
    for (HotSegment s : sealed) {
      n += s.bytes();
    }
    for (HeapColumn c : active) {
      n += c.heapBytes();
    }
    return n;
  }

  /** Warm files recovered from the catalog at startup. */
  synchronized void setWarmFiles(List<WarmFileRef> files) {
    warm = List.copyOf(files);
  }

  /**
   * A sealed segment is now in warm files: they join the table, the segment leaves it, and
   * the flushed LSN moves up to the segment's last record.
   */
  synchronized void commitFlush(HotSegment segment, List<WarmFileRef> files) {
    if (closed) {
      files.forEach(WarmFileRef::release);
      return;
    }
    if (sealed.isEmpty() || sealed.get(0) != segment) {
      throw new IllegalStateException("segments are flushed oldest first");
    }
    List<WarmFileRef> w = new ArrayList<>(warm);
    w.addAll(files);
    warm = List.copyOf(w);
    sealed = List.copyOf(sealed.subList(1, sealed.size()));
    flushedLsn = Math.max(flushedLsn, segment.maxLsn());
    segment.release();
  }

  /** Swaps warm files (compaction, retention); removed files go once no snapshot reads them. */
  synchronized void replaceWarm(List<WarmFileRef> remove, List<WarmFileRef> add) {
    if (closed) {
      add.forEach(WarmFileRef::release);
      return;
    }
    List<WarmFileRef> w = new ArrayList<>(warm);
    w.removeAll(remove);
    w.addAll(add);
    warm = List.copyOf(w);
    // The caller releases {@code remove} (deleting the files) only once a checkpoint that no
    // longer lists them is on disk: a crash before that must still find them.
  }

  /**
   * Lets go of the table's memory once running snapshots are closed. With {@code dropFiles}
   * (DROP TABLE) its warm files are deleted too; without (shutdown) they stay.
   */
  synchronized void close(boolean dropFiles) {
    if (closed) {
      return;
    }
    closed = true;
    sealed.forEach(HotSegment::release);
    sealed = List.of();
    if (dropFiles) {
      warm.forEach(WarmFileRef::release);
    }
    warm = List.of();
    activeBytes.addAndGet(-estimate(activeRows()));
    active = newActive(schema);
  }

  BufferAllocator allocator() {
    return allocator;
  }

  synchronized long flushedLsn() {
    return flushedLsn;
  }

  synchronized void setFlushedLsn(long lsn) {
    flushedLsn = lsn;
  }

  /** The LSN of the oldest row held only in memory, or Long.MAX_VALUE if there is none. */
  synchronized long minUnflushedLsn() {
    long min = Long.MAX_VALUE;
    for (HotSegment s : sealed) {
      min = Math.min(min, s.minLsn());
    }
    if (activeRows() > 0) {
      min = Math.min(min, activeMinLsn);
    }
    return min;
  }
}

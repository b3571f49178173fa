package io.lumadb.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A sealed, immutable run of a table's rows held in Arrow vectors. Reference counted: the
 * table holds one reference, and every snapshot that can see the segment holds one more, so
 * its memory is freed only after the last reader is done.
 */
public final class HotSegment {
  private final long id;
  private final TableSchema schema;
  private final ArrowColumns.Sealed sealed;
  private final VectorSchemaRoot root;
  private final List<ColumnReader> readers;
  private final AtomicInteger refs = new AtomicInteger(1);
  private final long minLsn;
  private final long maxLsn;
  private final Long minTime;
  private final Long maxTime;

  HotSegment(long id, TableSchema schema, ArrowColumns.Sealed sealed, long minLsn, long maxLsn,
      Long minTime, Long maxTime) {
    this.sealed = sealed;
    VectorSchemaRoot root = sealed.root();
    this.id = id;
    this.minTime = minTime;
    this.maxTime = maxTime;
    this.minLsn = minLsn;
    this.maxLsn = maxLsn;
    this.schema = schema;
    this.root = root;
    List<ColumnReader> rs = new ArrayList<>(schema.size());
    for (int i = 0; i < schema.size(); i++) {
      rs.add(new ArrowColumnReader(schema.column(i).type(), root.getVector(i), sealed.decoded().get(i)));
    }
    this.readers = List.copyOf(rs);
  }

  public long id() {
    return id;
  }

  /** Smallest value of the table's time column here, or null. */
  public Long minTime() {
    return minTime;
  }

  /** Largest value of the table's time column here, or null. */
  public Long maxTime() {
    return maxTime;
  }

  /** LSN of the first row's WAL record. */
  public long minLsn() {
    return minLsn;
  }

  /** LSN of the last row's WAL record. */
  public long maxLsn() {
    return maxLsn;
  }

  public TableSchema schema() {
    return schema;
  }

  public int rowCount() {
    return root.getRowCount();
  }

  /** Bytes of Arrow memory held (vectors and dictionaries). */
  public long bytes() {
    return sealed.bytes();
  }

  List<ColumnReader> readers() {
    return readers;
  }

  /**
   * The vectors, for callers that work on whole batches (text columns hold dictionary
   * indexes, see {@link #dictionary(int)}, except mostly distinct ones, which are VarChar
   * vectors with no dictionary). Valid while a reference is held.
   */
  public VectorSchemaRoot root() {
    return root;
  }

  /** The dictionary of text column {@code column}, or null for other and plain text columns. */
  public org.apache.arrow.vector.VarCharVector dictionary(int column) {
    return sealed.dictionaries().get(column);
  }

  boolean retain() {
    while (true) {
      int n = refs.get();
      if (n <= 0) {
        return false;
      }
      if (refs.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  void release() {
    if (refs.decrementAndGet() == 0) {
      sealed.close();
    }
  }
}

package io.lumadb.storage;

import java.util.List;

/**
 * The rows of a table as one reader sees them: sealed segments plus the active segment's
 * rows at the moment the snapshot was taken. Rows appended later are not visible. Close it to
 * let go of the segments.
 */
public final class TableSnapshot implements AutoCloseable {
  /** A run of rows with one reader per column of the snapshot's schema. */
  public record Part(int rowCount, List<ColumnReader> columns) {}

  private final TableSchema schema;
  private final List<Part> parts;
  private final List<HotSegment> retained;
  private boolean closed;

  TableSnapshot(TableSchema schema, List<Part> parts, List<HotSegment> retained) {
    this.schema = schema;
    this.parts = parts;
    this.retained = retained;
  }

  public TableSchema schema() {
    return schema;
  }

  public List<Part> parts() {
    return parts;
  }

  public long rowCount() {
    long n = 0;
    for (Part p : parts) {
      n += p.rowCount();
    }
    return n;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      retained.forEach(HotSegment::release);
    }
  }
}

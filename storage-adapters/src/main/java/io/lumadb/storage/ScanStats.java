package io.lumadb.storage;

import java.util.concurrent.atomic.AtomicLong;

/** What one scan touched and skipped, for EXPLAIN and tests. */
public final class ScanStats {
  public final AtomicLong hotSegmentsRead = new AtomicLong();
  public final AtomicLong hotSegmentsPruned = new AtomicLong();
  public final AtomicLong filesRead = new AtomicLong();
  public final AtomicLong filesPruned = new AtomicLong();
  public final AtomicLong rowGroupsRead = new AtomicLong();
  public final AtomicLong rowGroupsPruned = new AtomicLong();
  public final AtomicLong rowsRead = new AtomicLong();

  @Override
  public String toString() {
    return "hot segments read " + hotSegmentsRead + " pruned " + hotSegmentsPruned
        + ", files read " + filesRead + " pruned " + filesPruned
        + ", row groups read " + rowGroupsRead + " pruned " + rowGroupsPruned
        + ", rows read " + rowsRead;
  }
}

package io.lumadb.storage.calcite;

import io.lumadb.storage.ScanSpec;
import io.lumadb.storage.ScanStats;
import io.lumadb.storage.TableId;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects what the scans of one statement did, for EXPLAIN ANALYZE. Scans run on the thread
 * that fetches the rows, so recording is per thread: start, run the statement, stop.
 */
public final class ScanRecorder {
  /** One scan: the table, what was pushed into it, and what it read and skipped. */
  public record Scan(TableId table, ScanSpec spec, ScanStats stats) {}

  private static final ThreadLocal<List<Scan>> CURRENT = new ThreadLocal<>();

  private ScanRecorder() {}

  public static void start() {
    CURRENT.set(new ArrayList<>());
  }

  public static List<Scan> stop() {
    List<Scan> scans = CURRENT.get();
    CURRENT.remove();
    return scans == null ? List.of() : scans;
  }

  static void record(TableId table, ScanSpec spec, ScanStats stats) {
    List<Scan> scans = CURRENT.get();
    if (scans != null) {
      scans.add(new Scan(table, spec, stats));
    }
  }
}

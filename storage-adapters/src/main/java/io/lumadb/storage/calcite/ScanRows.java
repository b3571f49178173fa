package io.lumadb.storage.calcite;

import io.lumadb.storage.Column;
import io.lumadb.storage.ColumnReader;
import io.lumadb.storage.LumaTable;
import io.lumadb.storage.ScanStats;
import io.lumadb.storage.TableSnapshot;
import java.util.Iterator;
import java.util.List;
import org.apache.calcite.linq4j.Enumerator;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Walks the parts of a snapshot of a table that its scan plan does not rule out, each filtered
 * into a selection of rows: row by row for Calcite ({@link Enumerator}), or a run of rows at a
 * time, column by column, for a front end ({@link ResultVectors}). A run is a part's whole
 * selection when every output is a table column; with computed outputs ({@link VectorExpr}) it is
 * at most {@link #RUN} rows, each computed for the run as it starts (a LIMIT above computes
 * little beyond what it reads). Closes the snapshot at the end.
 */
final class ScanRows implements Enumerator<@Nullable Object[]>, ResultVectors {
  private final LumaTable table;
  private final ScanPlan plan;
  private final int[] cols;
  /** Per output, the kernel computing it, or null for table column {@code cols[c]}; null: all are columns. */
  private final VectorExpr[] exprs;
  /** The current run's values of the computed outputs. */
  private final ColumnReader[] computed;
  private TableSnapshot snapshot;
  private Iterator<TableSnapshot.Part> parts;
  private TableSnapshot.Part part;
  /** The rows of the part that passed the filter (all of them when there is none), and where we are. */
  private int[] sel = new int[0];
  private int selected;
  /** The current run of rows: {@code sel[runStart..runEnd)}. */
  private int runStart;
  private int runEnd;
  private int next;
  private int sinceCheck;
  /** Whether the rows are read a part at a time ({@link #nextBatch}) by now. */
  private boolean batches;
  private @Nullable Object[] current;

  /** Rows in a run of computed outputs. */
  static final int RUN = 4096;

  /**
   * @param cols the table column of each output column
   * @param exprs null, or per output the kernel that computes it (null for a table column)
   */
  ScanRows(LumaTable table, ScanPlan plan, int[] cols, VectorExpr[] exprs) {
    this.table = table;
    this.plan = plan;
    this.cols = cols;
    this.exprs = exprs;
    this.computed = exprs == null ? null : new ColumnReader[exprs.length];
    start();
  }

  private void start() {
    ScanStats stats = plan.start(table);
    snapshot = table.snapshot();
    QueryCancellation.opened(this);
    parts = snapshot.scan(plan.spec(), stats);
    part = null;
    selected = 0;
    runStart = runEnd = next = 0;
  }

  @Override
  public @Nullable Object[] current() {
    return current;
  }

  @Override
  public boolean moveNext() {
    try {
      return advance();
    } catch (RuntimeException | Error e) {
      close(); // a failing filter or kernel: the caller may never close a result it did not get
      throw e;
    }
  }

  private boolean advance() {
    if (++sinceCheck >= 4096) {
      sinceCheck = 0;
      QueryCancellation.check();
    }
    while (true) {
      if (part != null && next < runEnd) {
        int at = next++;
        int row = sel[at];
        List<ColumnReader> readers = part.columns();
        Object[] r = new Object[cols.length];
        for (int i = 0; i < cols.length; i++) {
          r[i] = computed != null && computed[i] != null ? computed[i].get(at - runStart)
              : readers.get(cols[i]).get(row);
        }
        current = r;
        return true;
      }
      if (part != null && runEnd < selected) {
        nextRun();
        continue;
      }
      if (!nextPart()) {
        current = null;
        return false;
      }
    }
  }

  /** Moves to the next part and selects its rows that pass; false at the end. */
  private boolean nextPart() {
    if (!parts.hasNext()) {
      part = null;
      return false;
    }
    QueryCancellation.check();
    part = parts.next();
    int n = part.rowCount();
    if (sel.length < n) {
      sel = new int[n];
    }
    selected = plan.select(part.columns(), n, sel);
    runStart = runEnd = next = 0;
    return true;
  }

  /** Moves to the part's next run of rows and computes the computed outputs for it. */
  private void nextRun() {
    runStart = runEnd;
    runEnd = exprs == null ? selected : Math.min(selected, runStart + RUN);
    next = runStart;
    if (exprs != null) {
      int m = runEnd - runStart;
      int[] rows = java.util.Arrays.copyOfRange(sel, runStart, runEnd);
      for (int c = 0; c < exprs.length; c++) {
        if (exprs[c] != null) {
          computed[c] = exprs[c].reader(exprs[c].eval(part.columns(), rows, m));
        }
      }
    }
  }

  @Override
  public boolean nextBatch() {
    try {
      return advanceBatch();
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  private boolean advanceBatch() {
    if (!batches) {
      // Calcite's result set moved to the first row when it opened; that row was never read from
      // it, so the run it is in is the first batch, whole.
      batches = true;
      if (part != null && runEnd > runStart) {
        next = runEnd;
        return true;
      }
    }
    do {
      if (part != null && runEnd < selected) {
        nextRun();
        next = runEnd; // the row view has nothing left of this run
        return true;
      }
    } while (nextPart());
    return false;
  }

  @Override
  public int batchSize() {
    return runEnd - runStart;
  }

  @Override
  public int row(int i) {
    return sel[runStart + i];
  }

  @Override
  public ColumnReader column(int c) {
    return positional(c) ? computed[c] : part.columns().get(cols[c]);
  }

  @Override
  public boolean positional(int c) {
    return exprs != null && exprs[c] != null;
  }

  @Override
  public Column schemaColumn(int c) {
    return positional(c) ? Column.of("?column?", VectorExpr.columnType(exprs[c].type))
        : table.schema().column(cols[c]);
  }

  @Override
  public int width() {
    return cols.length;
  }

  @Override
  public void reset() {
    snapshot.close();
    start();
  }

  @Override
  public void close() {
    snapshot.close();
    QueryCancellation.closed(this);
  }
}

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
 * into a selection of rows: row by row for Calcite ({@link Enumerator}), or a part at a time,
 * column by column, for a front end ({@link ResultVectors}). Closes the snapshot at the end.
 */
final class ScanRows implements Enumerator<@Nullable Object[]>, ResultVectors {
  private final LumaTable table;
  private final ScanPlan plan;
  private final int[] cols;
  private TableSnapshot snapshot;
  private Iterator<TableSnapshot.Part> parts;
  private TableSnapshot.Part part;
  /** The rows of the part that passed the filter (all of them when there is none), and where we are. */
  private int[] sel = new int[0];
  private int selected;
  private int next;
  private int sinceCheck;
  /** Whether the rows are read a part at a time ({@link #nextBatch}) by now. */
  private boolean batches;
  private @Nullable Object[] current;

  /** @param cols the table column of each output column */
  ScanRows(LumaTable table, ScanPlan plan, int[] cols) {
    this.table = table;
    this.plan = plan;
    this.cols = cols;
    start();
  }

  private void start() {
    ScanStats stats = plan.start(table);
    snapshot = table.snapshot();
    parts = snapshot.scan(plan.spec(), stats);
    part = null;
    selected = 0;
    next = 0;
  }

  @Override
  public @Nullable Object[] current() {
    return current;
  }

  @Override
  public boolean moveNext() {
    if (++sinceCheck >= 4096) {
      sinceCheck = 0;
      QueryCancellation.check();
    }
    while (true) {
      if (part != null && next < selected) {
        int row = sel[next++];
        List<ColumnReader> readers = part.columns();
        Object[] r = new Object[cols.length];
        for (int i = 0; i < cols.length; i++) {
          r[i] = readers.get(cols[i]).get(row);
        }
        current = r;
        return true;
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
    next = 0;
    return true;
  }

  @Override
  public boolean nextBatch() {
    if (!batches) {
      // Calcite's result set moved to the first row when it opened; that row was never read from
      // it, so the part it is in is the first run, whole.
      batches = true;
      if (part != null && selected > 0) {
        next = selected;
        return true;
      }
    }
    while (nextPart()) {
      if (selected > 0) {
        next = selected; // the row view has nothing left of this part
        return true;
      }
    }
    return false;
  }

  @Override
  public int batchSize() {
    return selected;
  }

  @Override
  public int row(int i) {
    return sel[i];
  }

  @Override
  public ColumnReader column(int c) {
    return part.columns().get(cols[c]);
  }

  @Override
  public Column schemaColumn(int c) {
    return table.schema().column(cols[c]);
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
  }
}

package io.lumadb.storage.calcite;

import io.lumadb.storage.ColumnReader;
import io.lumadb.storage.LumaTable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.calcite.DataContext;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rex.RexNode;

/**
 * ORDER BY ... LIMIT over a LumaDB table, inside the scan: each part of the snapshot is filtered
 * by the scan's kernels, and a row is read out only when it beats the worst of the best
 * OFFSET + LIMIT rows kept so far (compared on the column readers). Ties keep the rows read
 * first, as LumaDB's sort over the scan would. Planned by {@link TopNScanRule}.
 */
public final class TopNScan extends ScanOperator {
  private final LumaTable table;
  private final List<RexNode> filters;
  private final RowOrder order;
  private final int[] output;
  private final long offset;
  private final int offsetParam;
  private final long fetch;
  private final int fetchParam;

  /**
   * The rows of the table columns {@code output}, ordered by the table columns {@code order}
   * (directions and NULL placement given), from OFFSET, at most LIMIT of them; OFFSET and LIMIT
   * are literals (-1: none) or the parameters {@code offsetParam} / {@code fetchParam} (-1: none).
   */
  public TopNScan(LumaTable table, List<RexNode> filters, int[] order, boolean[] descending, boolean[] nullsFirst,
      int[] output, long offset, int offsetParam, long fetch, int fetchParam) {
    this.table = table;
    this.filters = List.copyOf(filters);
    this.order = new RowOrder(table.schema(), order, descending, nullsFirst);
    this.output = output;
    this.offset = offset;
    this.offsetParam = offsetParam;
    this.fetch = fetch;
    this.fetchParam = fetchParam;
  }

  @Override
  String relName() {
    return "LumaTopNScan";
  }

  @Override
  List<RexNode> filters() {
    return filters;
  }

  @Override
  RelWriter explainTerms(RelWriter pw) {
    return pw.item("order", order.describe())
        .itemIf("offset", offsetParam >= 0 ? "?" + offsetParam : String.valueOf(offset), offset >= 0 || offsetParam >= 0)
        .item("fetch", fetchParam >= 0 ? "?" + fetchParam : String.valueOf(fetch));
  }

  /** A kept row: its order key, its output values, and when it was read. */
  private record Kept(Object[] key, Object[] row, long seq) {}

  @Override
  List<Object[]> compute(DataContext root) {
    long off = Math.max(0, Sorter.bound(offset, offsetParam, root, 0));
    long lim = Sorter.bound(fetch, fetchParam, root, -1);
    // A parameter may give no LIMIT (NULL) or a huge one: then every row that passes is kept.
    int n = (int) Math.min(lim < 0 ? Long.MAX_VALUE : off + lim, Integer.MAX_VALUE - 8);
    List<Object[]> out = new ArrayList<>();
    if (n == 0) {
      return out;
    }
    BitSet used = new BitSet();
    for (int[] cols : new int[][] {order.columns, output}) {
      for (int c : cols) {
        used.set(c);
      }
    }
    ScanPlan plan = ScanPlan.evaluatingAll(table, filters, used, root);
    Comparator<Kept> best = (a, b) -> {
      int c = order.compareKeys(a.key(), b.key());
      return c != 0 ? c : Long.compare(a.seq(), b.seq());
    };
    PriorityQueue<Kept> heap = new PriorityQueue<>(Math.min(n, 1024) + 1, best.reversed()); // head: the worst kept
    long[] seq = {0};
    try (QueryMemory.Lease lease = QueryMemory.lease("top-N scan")) {
      plan.forEachPart(table, new Grouping.Scratch(), (readers, sel, m) -> {
        for (int i = 0; i < m; i++) {
          int r = sel[i];
          long s = seq[0]++;
          // A row that does not come before the worst kept (a tie was read later) cannot enter.
          if (heap.size() == n && order.compareToKey(readers, r, heap.peek().key()) >= 0) {
            continue;
          }
          Kept k = new Kept(order.key(readers, r), values(readers, r), s);
          if (heap.size() < n) {
            lease.grow(Sorter.bytes(k.row()) + Sorter.bytes(k.key()) + 32);
          } else {
            heap.poll();
          }
          heap.add(k);
        }
      });
    }
    List<Kept> kept = new ArrayList<>(heap);
    kept.sort(best);
    for (int i = (int) Math.min(off, kept.size()); i < kept.size(); i++) {
      out.add(kept.get(i).row());
    }
    return out;
  }

  private Object[] values(List<ColumnReader> readers, int row) {
    Object[] out = new Object[output.length];
    for (int k = 0; k < output.length; k++) {
      out[k] = readers.get(output[k]).get(row);
    }
    return out;
  }
}

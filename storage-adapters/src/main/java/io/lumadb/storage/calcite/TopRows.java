package io.lumadb.storage.calcite;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The best {@code n} rows by an order of their keys, kept in a bounded heap whose head is the
 * worst kept; of equal keys the row that arrived first wins, as a stable sort would keep it.
 * The rows kept are counted against the statement's memory. Shared by LumaDB's sort with a
 * LIMIT ({@link Sorter}) and the top-N in the scan ({@link TopNScan}).
 */
final class TopRows {
  private record Kept(Object[] key, Object[] row, long seq) {}

  private final int n;
  private final Comparator<Kept> best;
  private final PriorityQueue<Kept> heap;
  private final QueryMemory.Lease lease;
  private long arrivals;

  TopRows(int n, Comparator<Object[]> keys, QueryMemory.Lease lease) {
    this.n = n;
    this.best = (a, b) -> {
      int c = keys.compare(a.key(), b.key());
      return c != 0 ? c : Long.compare(a.seq(), b.seq());
    };
    this.heap = new PriorityQueue<>(Math.min(n, 1024) + 1, best.reversed());
    this.lease = lease;
  }

  /**
   * The key of the worst row kept once {@code n} are kept, else null: a later row must come
   * strictly before it to enter (lets a caller skip building rows that cannot).
   */
  Object[] worstWhenFull() {
    return heap.size() == n ? heap.peek().key() : null;
  }

  /** A row that arrived and was not offered (it came after the worst kept). */
  void skip() {
    arrivals++;
  }

  /** Offers the next row to arrive, with its key ({@code key} may be {@code row} itself). */
  void offer(Object[] key, Object[] row) {
    Kept k = new Kept(key, row, arrivals++);
    if (heap.size() < n) {
      lease.grow(Sorter.bytes(row) + (key == row ? 0 : Sorter.bytes(key)) + 32);
      heap.add(k);
    } else if (best.compare(k, heap.peek()) < 0) {
      heap.poll();
      heap.add(k);
    }
  }

  /** The rows kept, best first, from the {@code offset}-th. */
  List<Object[]> rows(long offset) {
    List<Kept> kept = new ArrayList<>(heap);
    kept.sort(best);
    List<Object[]> out = new ArrayList<>(kept.size());
    for (int i = (int) Math.min(offset, kept.size()); i < kept.size(); i++) {
      out.add(kept.get(i).row());
    }
    return out;
  }
}

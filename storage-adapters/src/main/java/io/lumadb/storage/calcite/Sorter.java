package io.lumadb.storage.calcite;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.calcite.DataContext;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;

/**
 * ORDER BY with an optional OFFSET / LIMIT, run by LumaDB ({@link LumaSortRule}): every row is
 * kept (and counted against the statement's {@link QueryMemory}) and sorted once; with a LIMIT
 * only the best OFFSET + LIMIT rows are kept, in a bounded heap (top-N). Equal keys keep their
 * input order, as Calcite's sort does. NULLs go where the collation says (PostgreSQL: last when
 * ascending, first when descending); values compare by their Java order, as Calcite compares them.
 */
public final class Sorter {
  private final int[] fields;
  private final boolean[] descending;
  private final boolean[] nullsFirst;
  /** A literal OFFSET / LIMIT, or -1; {@code *Param}: the parameter holding it, or -1. */
  private final long offset;
  private final int offsetParam;
  private final long fetch;
  private final int fetchParam;

  public Sorter(int[] fields, boolean[] descending, boolean[] nullsFirst, long offset, int offsetParam,
      long fetch, int fetchParam) {
    this.fields = fields;
    this.descending = descending;
    this.nullsFirst = nullsFirst;
    this.offset = offset;
    this.offsetParam = offsetParam;
    this.fetch = fetch;
    this.fetchParam = fetchParam;
  }

  /** Sorts rows of several columns. Called by the generated code. */
  public Enumerable<Object[]> sort(Enumerable<Object[]> input, DataContext root) {
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<Object[]> enumerator() {
        return new Output<>(sorted(input, root, r -> r));
      }
    };
  }

  /** Sorts the bare values of a one-column input. Called by the generated code. */
  public Enumerable<Object> sortScalar(Enumerable<Object> input, DataContext root) {
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<Object> enumerator() {
        Sorted rows = sorted(input, root, v -> new Object[] {v});
        return new Output<>(rows) {
          @Override
          public Object current() {
            return ((Object[]) super.current())[0];
          }
        };
      }
    };
  }

  private interface ToRow<T> {
    Object[] row(T value);
  }

  /** The sorted rows (after OFFSET, up to LIMIT) and the memory lease that counts them. */
  private record Sorted(List<Object[]> rows, QueryMemory.Lease lease) {}

  private <T> Sorted sorted(Enumerable<T> input, DataContext root, ToRow<T> toRow) {
    long off = Math.max(0, bound(offset, offsetParam, root, 0));
    long lim = bound(fetch, fetchParam, root, -1);
    Comparator<Object[]> byKeys = comparator();
    QueryMemory.Lease lease = QueryMemory.lease(lim >= 0 ? "top-N sort" : "sort");
    try {
      List<Object[]> rows;
      if (lim == 0) {
        rows = List.of();
      } else if (lim > 0 && off + lim <= Integer.MAX_VALUE - 8) {
        rows = topN(input, toRow, byKeys, (int) (off + lim), lease);
      } else {
        rows = new ArrayList<>();
        try (Enumerator<T> e = input.enumerator()) {
          while (e.moveNext()) {
            Object[] r = toRow.row(e.current());
            lease.grow(bytes(r));
            rows.add(r);
          }
        }
        rows.sort(byKeys); // stable: equal keys keep their input order
      }
      int from = (int) Math.min(off, rows.size());
      int to = lim < 0 ? rows.size() : (int) Math.min(rows.size(), from + lim);
      return new Sorted(rows.subList(from, to), lease);
    } catch (RuntimeException | Error e) {
      lease.close();
      throw e;
    }
  }

  /** The best {@code n} rows in order, keeping no more than {@code n} at a time. */
  private static <T> List<Object[]> topN(Enumerable<T> input, ToRow<T> toRow, Comparator<Object[]> byKeys, int n,
      QueryMemory.Lease lease) {
    TopRows top = new TopRows(n, byKeys, lease);
    try (Enumerator<T> e = input.enumerator()) {
      while (e.moveNext()) {
        Object[] row = toRow.row(e.current());
        top.offer(row, row);
      }
    }
    return top.rows(0);
  }

  /** A literal bound, or the value of its parameter; {@code none} when there is neither. */
  static long bound(long literal, int param, DataContext root, long none) {
    if (param >= 0) {
      Object v = root.get("?" + param);
      return v == null ? none : ((Number) v).longValue();
    }
    return literal >= 0 ? literal : none;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  Comparator<Object[]> comparator() {
    return (a, b) -> {
      for (int k = 0; k < fields.length; k++) {
        Object x = a[fields[k]];
        Object y = b[fields[k]];
        if (x == y) {
          continue;
        }
        if (x == null || y == null) {
          return (x == null) == nullsFirst[k] ? -1 : 1;
        }
        int c = ((Comparable) x).compareTo(y);
        if (c != 0) {
          return descending[k] ? -c : c;
        }
      }
      return 0;
    };
  }

  /** Heap bytes of a row, roughly: the array, boxed numbers, strings and their characters. */
  static long bytes(Object[] row) {
    long n = 16 + 8L * row.length;
    for (Object v : row) {
      if (v == null || v instanceof Boolean) {
        continue;
      }
      if (v instanceof String s) {
        n += 40 + s.length();
      } else if (v instanceof ByteString b) {
        n += 40 + b.length();
      } else if (v instanceof BigDecimal) {
        n += 48;
      } else {
        n += 16;
      }
    }
    return n;
  }

  /** Hands out the sorted rows; gives their memory back when done or closed. */
  private static class Output<T> implements Enumerator<T> {
    private final Sorted sorted;
    private int next = -1;

    Output(Sorted sorted) {
      this.sorted = sorted;
    }

    @SuppressWarnings("unchecked")
    @Override
    public T current() {
      if (next < 0 || next >= sorted.rows().size()) {
        throw new NoSuchElementException();
      }
      return (T) sorted.rows().get(next);
    }

    @Override
    public boolean moveNext() {
      if (next + 1 < sorted.rows().size()) {
        next++;
        return true;
      }
      next = sorted.rows().size();
      sorted.lease().close();
      return false;
    }

    @Override
    public void reset() {
      next = -1;
    }

    @Override
    public void close() {
      sorted.lease().close();
    }
  }
}

package io.lumadb.storage.calcite;

import io.lumadb.storage.ColumnReader;
import io.lumadb.storage.ColumnType;
import io.lumadb.storage.TableSchema;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Group ids for rows of a scan's parts by key columns ({@link AggregateScan.Key}: a column, or a
 * timestamp column floored to a unit): the distinct key tuples by first appearance, and per part
 * a group id per selected row. Shared by the operators that group inside the scan.
 */
final class Grouping {
  private final TableSchema schema;
  private final AggregateScan.Key[] keys;
  private final Groups groups;
  private final Object[] probe;

  Grouping(TableSchema schema, AggregateScan.Key[] keys) {
    this.schema = schema;
    this.keys = keys;
    this.groups = new Groups(keys.length);
    this.probe = new Object[keys.length];
  }

  /** The groups seen so far (id = position), with their key tuples. */
  Groups groups() {
    return groups;
  }

  /** Buffers reused from part to part: gathered values, NULL flags, codes, local key indexes. */
  static final class Scratch {
    /** Where the part being processed comes in the scan's order (ties of first/last go to the earlier). */
    long part;
    /** The selected rows of the part, and their group ids. */
    int[] sel = new int[0];
    int[] gid = new int[0];
    long[] longs = new long[0];
    double[] doubles = new double[0];
    boolean[] nulls = new boolean[0];
    int[] ints = new int[0];
    int[] index = new int[0];
    int[] map = new int[0];

    void ensure(int n) {
      if (sel.length < n) {
        sel = new int[n];
        gid = new int[n];
      }
      if (longs.length < n) {
        longs = new long[n];
        doubles = new double[n];
        nulls = new boolean[n];
        ints = new int[n];
        index = new int[n];
      }
    }

    int[] perGroup = new int[0];
    int groupCount;

    /**
     * How many of the rows fall in each group, when there are not more groups than rows (else
     * null: adding per group would cost more than counting per row).
     */
    int[] rowsPerGroup(int[] gid, int m, int groups) {
      if (groups > m) {
        return null;
      }
      if (perGroup.length < groups) {
        perGroup = new int[Math.max(groups, perGroup.length * 2)];
      }
      Arrays.fill(perGroup, 0, groups, 0);
      groupCount = groups;
      for (int i = 0; i < m; i++) {
        perGroup[gid[i]]++;
      }
      return perGroup;
    }

    /** An array of at least {@code n} entries, the first {@code n} set to -1. */
    int[] emptyMap(int n) {
      if (map.length < n) {
        map = new int[n];
      }
      Arrays.fill(map, 0, n, -1);
      return map;
    }
  }

  /** Most combinations of key values a part may have for {@link #directIds} to map them with an array. */
  private static final int DIRECT_LIMIT = 1 << 18;

  /** The group id of each selected row ({@code gid[i]} for {@code sel[i]}), adding groups as they are first seen. */
  void ids(List<ColumnReader> readers, int[] sel, int m, int[] gid, Scratch scratch) {
    if (keys.length == 0) {
      if (m > 0 && groups.size() == 0) {
        groups.id(probe);
      }
      Arrays.fill(gid, 0, m, 0);
      return;
    }
    ColumnReader[] cols = new ColumnReader[keys.length];
    for (int k = 0; k < keys.length; k++) {
      cols[k] = readers.get(keys[k].column());
    }
    if (directIds(cols, sel, m, gid, scratch)) {
      return;
    }
    for (int i = 0; i < m; i++) {
      gid[i] = groups.id(key(cols, sel[i]));
    }
  }

  /** The key tuple of {@code row} into {@code probe}: what the groups hold. */
  private Object[] key(ColumnReader[] cols, int row) {
    for (int k = 0; k < keys.length; k++) {
      ColumnReader c = cols[k];
      String[] dict = c.dictionary();
      long f = keys[k].floorMillis();
      if (c.isNull(row)) {
        probe[k] = null;
      } else if (dict != null) {
        probe[k] = dict[c.code(row)];
      } else if (f > 0) {
        probe[k] = keys[k].floor(c.getLong(row));
      } else {
        probe[k] = c.get(row);
      }
    }
    return probe;
  }

  /**
   * Group ids without hashing a key per row, when every key has a small range of values in this
   * part: a text key's dictionary code, a whole-number or timestamp key's (floored) value minus
   * the part's least. The keys' local values make one index into an array of group ids, and the
   * hash table is asked once per distinct combination. False (nothing done) when a key has no
   * such range here (text without a dictionary, a wide spread of numbers, too many combinations).
   */
  private boolean directIds(ColumnReader[] cols, int[] sel, int m, int[] gid, Scratch s) {
    int[] index = s.index;
    Arrays.fill(index, 0, m, 0);
    long range = 1;
    for (int k = 0; k < keys.length; k++) {
      ColumnReader c = cols[k];
      String[] dict = c.dictionary();
      long span;
      if (dict != null) {
        span = dict.length + 1L;
        if (range * span > DIRECT_LIMIT) {
          return false;
        }
        int[] codes = s.ints;
        c.gatherCodes(sel, m, codes);
        int stride = (int) range;
        for (int i = 0; i < m; i++) {
          index[i] += (codes[i] + 1) * stride; // NULL (-1) is 0
        }
      } else if (schema.column(keys[k].column()).type().storage() == ColumnType.Storage.LONG) {
        long[] x = s.longs;
        c.gatherLongs(sel, m, x);
        boolean[] nul = null;
        if (c.mayHaveNulls()) {
          nul = s.nulls;
          c.gatherNulls(sel, m, nul);
        }
        long f = keys[k].floorMillis();
        long o = keys[k].offsetMillis();
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        // Rows of one bucket come in runs (time-ordered parts), so a row inside the bucket of the
        // row before takes its number without a division; bounds only for values far from overflow.
        long lo = 1;
        long hi = 0;
        long last = 0;
        for (int i = 0; i < m; i++) {
          if (nul == null || !nul[i]) {
            long v = x[i];
            long b; // the bucket's number
            if (f <= 0) {
              b = v;
            } else if (v >= lo && v < hi) {
              b = last;
            } else {
              b = Math.floorDiv(v - o, f);
              if (Math.abs(v) < 1L << 60 && Math.abs(o) < 1L << 60 && f < 1L << 40) {
                last = b;
                lo = b * f + o;
                hi = lo + f;
              }
            }
            x[i] = b;
            min = Math.min(min, b);
            max = Math.max(max, b);
          }
        }
        if (min <= max && (max - min < 0 || max - min >= DIRECT_LIMIT)) {
          return false; // too wide (or so wide that the subtraction overflowed)
        }
        span = min > max ? 1 : max - min + 2;
        if (range * span > DIRECT_LIMIT) {
          return false;
        }
        int stride = (int) range;
        for (int i = 0; i < m; i++) {
          index[i] += (nul != null && nul[i] ? 0 : (int) (x[i] - min + 1)) * stride;
        }
      } else {
        return false;
      }
      range *= span;
    }
    int[] map = s.emptyMap((int) range);
    for (int i = 0; i < m; i++) {
      int j = index[i];
      int g = map[j];
      if (g < 0) {
        g = groups.id(key(cols, sel[i]));
        map[j] = g;
      }
      gid[i] = g;
    }
    return true;
  }

  /** Distinct key tuples by insertion order, in an open-addressing hash table. */
  static final class Groups {
    private final int width;
    private Object[][] keys = new Object[16][];
    private int[] slots = new int[64]; // group id + 1, 0 = empty
    private int[] hashes = new int[16];
    private int size;

    Groups(int width) {
      this.width = width;
    }

    int size() {
      return size;
    }

    Object[] key(int g) {
      return keys[g];
    }

    /** The id of the group of {@code probe} (not kept: copied when a group is added). */
    int id(Object[] probe) {
      int h = Arrays.hashCode(probe);
      h ^= h >>> 16;
      int mask = slots.length - 1;
      for (int s = h & mask; ; s = (s + 1) & mask) {
        int g = slots[s] - 1;
        if (g < 0) {
          return add(probe, h, s);
        }
        if (hashes[g] == h && equal(keys[g], probe)) {
          return g;
        }
      }
    }

    private boolean equal(Object[] a, Object[] b) {
      for (int i = 0; i < width; i++) {
        if (!Objects.equals(a[i], b[i])) {
          return false;
        }
      }
      return true;
    }

    private int add(Object[] probe, int h, int slot) {
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        hashes = Arrays.copyOf(hashes, size * 2);
      }
      int g = size++;
      keys[g] = probe.clone();
      hashes[g] = h;
      slots[slot] = g + 1;
      if (size * 2 > slots.length) {
        int[] bigger = new int[slots.length * 2];
        int mask = bigger.length - 1;
        for (int i = 0; i < size; i++) {
          int s = hashes[i] & mask;
          while (bigger[s] != 0) {
            s = (s + 1) & mask;
          }
          bigger[s] = i + 1;
        }
        slots = bigger;
      }
      return g;
    }
  }

}

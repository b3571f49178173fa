package io.lumadb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The selection kernels of {@link ColumnReader} on every kind of reader (heap arrays of the
 * active segment and of decoded Parquet, Arrow vectors of a sealed segment, the row-by-row
 * defaults), each against the answer read row by row: NULLs, NaN and infinities, bounds at the
 * ends of the long range, partial and empty selections, and empty parts.
 */
class SelectionKernelTest {
  static final TableSchema SCHEMA = new TableSchema(List.of(
      Column.of("ts", ColumnType.TIMESTAMP), Column.of("n", ColumnType.BIGINT),
      Column.of("i", ColumnType.INTEGER), Column.of("d", ColumnType.DATE),
      Column.of("v", ColumnType.DOUBLE), Column.of("host", ColumnType.VARCHAR)));

  final BufferAllocator allocator = new RootAllocator();
  final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    allocator.close();
  }

  /** The same rows three ways: heap views, Arrow vectors, and readers with only the defaults. */
  List<List<ColumnReader>> readers(int rows, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    ColumnBatch b = new ColumnBatch(SCHEMA, Math.max(rows, 1));
    double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0};
    long[] ends = {Long.MIN_VALUE, Long.MAX_VALUE, 0};
    for (int i = 0; i < rows; i++) {
      boolean nul = r.nextInt(5) == 0;
      b.appendRow(new Object[] {
          r.nextInt(4) == 0 ? null : (long) r.nextInt(100),
          nul ? null : r.nextInt(10) == 0 ? ends[r.nextInt(3)] : (long) r.nextInt(-50, 50),
          r.nextInt(4) == 0 ? null : r.nextInt(-20, 20),
          r.nextInt(4) == 0 ? null : r.nextInt(0, 30),
          r.nextInt(6) == 0 ? null : r.nextInt(8) == 0 ? specials[r.nextInt(specials.length)] : r.nextInt(-40, 40) / 4.0,
          r.nextInt(6) == 0 ? null : "h" + r.nextInt(7)});
    }
    List<ColumnReader> heap = new ArrayList<>();
    List<ColumnReader> defaults = new ArrayList<>();
    for (int c = 0; c < SCHEMA.size(); c++) {
      ColumnReader v = b.column(c).view();
      heap.add(v);
      defaults.add(rowByRow(v));
    }
    ArrowColumns.Sealed sealed = ArrowColumns.toArrow(SCHEMA, heap, rows, allocator);
    open.add(sealed);
    List<ColumnReader> arrow = new ArrayList<>();
    for (int c = 0; c < SCHEMA.size(); c++) {
      arrow.add(new ArrowColumnReader(SCHEMA.column(c).type(), sealed.root().getVector(c), sealed.decoded().get(c)));
    }
    List<ColumnReader> warm = new ArrayList<>(); // a decoded Parquet row group: text dictionary-coded
    for (int c = 0; c < SCHEMA.size(); c++) {
      warm.add(b.column(c).finalView());
    }
    warm.set(5, DictionaryColumn.encode(heap.get(5)));
    return List.of(heap, arrow, defaults, warm);
  }

  /** The abstract methods of {@code c} and its codes: the kernels run their defaults. */
  static ColumnReader rowByRow(ColumnReader c) {
    return new ColumnReader() {
      @Override
      public int rowCount() {
        return c.rowCount();
      }

      @Override
      public boolean isNull(int row) {
        return c.isNull(row);
      }

      @Override
      public Object get(int row) {
        return c.get(row);
      }

      @Override
      public long getLong(int row) {
        return c.getLong(row);
      }

      @Override
      public double getDouble(int row) {
        return c.getDouble(row);
      }

      @Override
      public int code(int row) {
        return c.code(row);
      }
    };
  }

  /** Selections to start from: every row, every third row, none. */
  static List<int[]> selections(int rows) {
    return List.of(java.util.stream.IntStream.range(0, rows).toArray(),
        java.util.stream.IntStream.range(0, rows).filter(i -> i % 3 == 1).toArray(), new int[0]);
  }

  interface Kernel {
    int run(ColumnReader c, int[] sel, int m);
  }

  /** Runs the kernel on each reader kind and selection and compares with the rows {@code want} keeps. */
  void check(int column, Kernel kernel, IntPredicate want, int rows, String what) {
    for (List<ColumnReader> kind : readers(rows, rows * 31L + column)) {
      ColumnReader c = kind.get(column);
      for (int[] start : selections(rows)) {
        int[] sel = Arrays.copyOf(start, start.length + 3); // room past m must not matter
        int m = kernel.run(c, sel, start.length);
        int[] expected = Arrays.stream(start).filter(want).toArray();
        assertArrayEquals(expected, Arrays.copyOf(sel, m), what + " on " + c.getClass().getSimpleName()
            + " from " + start.length + " rows");
      }
    }
  }

  @Test
  void longRangesOnEveryLongType() {
    long[][] bounds = {{10, 20}, {Long.MIN_VALUE, 0}, {0, Long.MAX_VALUE}, {Long.MIN_VALUE, Long.MAX_VALUE},
        {5, 5}, {7, 3}, {Long.MAX_VALUE, Long.MAX_VALUE}};
    for (int column : new int[] {0, 1, 2, 3}) {
      for (int rows : new int[] {500, 1, 0}) {
        List<ColumnReader> rowsRef = readers(rows, rows * 31L + column).get(0);
        ColumnReader c0 = rowsRef.get(column);
        for (long[] b : bounds) {
          check(column, (c, sel, m) -> c.selectLongs(sel, m, b[0], b[1]),
              row -> !c0.isNull(row) && c0.getLong(row) >= b[0] && c0.getLong(row) <= b[1],
              rows, SCHEMA.column(column).name() + " in [" + b[0] + ", " + b[1] + "]");
        }
      }
    }
  }

  @Test
  void longSetsAndTheirNegation() {
    long[][] sets = {{}, {5}, {-20, 0, 7, 19}, {Long.MIN_VALUE, Long.MAX_VALUE}, {3, 10, 40, 99}};
    for (int column : new int[] {0, 1, 2, 3}) {
      for (int rows : new int[] {400, 1, 0}) {
        ColumnReader c0 = readers(rows, rows * 31L + column).get(0).get(column);
        for (long[] set : sets) {
          for (boolean negate : new boolean[] {false, true}) {
            check(column, (c, sel, m) -> c.selectLongsIn(sel, m, set, negate),
                row -> !c0.isNull(row) && (Arrays.binarySearch(set, c0.getLong(row)) >= 0) != negate,
                rows, SCHEMA.column(column).name() + (negate ? " NOT IN " : " IN ") + Arrays.toString(set));
          }
        }
      }
    }
  }

  @Test
  void doubleRangesWithNanAndInfinities() {
    double inf = Double.POSITIVE_INFINITY;
    Object[][] bounds = {{-inf, false, 0.0, true}, {0.0, false, inf, false}, {-0.0, false, 0.0, false},
        {-inf, false, inf, false}, {inf, false, inf, false}, {2.5, true, 3.0, true}, {Double.NaN, false, inf, false}};
    for (int rows : new int[] {500, 1, 0}) {
      ColumnReader c0 = readers(rows, rows * 31L + 4).get(0).get(4);
      for (Object[] b : bounds) {
        double lo = (Double) b[0];
        double hi = (Double) b[2];
        boolean loOpen = (Boolean) b[1];
        boolean hiOpen = (Boolean) b[3];
        check(4, (c, sel, m) -> c.selectDoubles(sel, m, lo, loOpen, hi, hiOpen), row -> {
          if (c0.isNull(row)) {
            return false;
          }
          double v = c0.getDouble(row);
          return (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi);
        }, rows, "v in " + Arrays.toString(b));
      }
    }
  }

  /** The least and greatest values (and whether any is NULL) of long columns of immutable parts. */
  @Test
  void longBoundsOfImmutableParts() {
    for (int rows : new int[] {300, 1}) {
      List<List<ColumnReader>> kinds = readers(rows, rows * 17L);
      for (int column : new int[] {0, 1, 2, 3}) {
        ColumnReader heap = kinds.get(0).get(column);
        assertNull(heap.longBounds(), "a growing segment's view does not know");
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        boolean anyNull = false;
        for (int r = 0; r < rows; r++) {
          if (heap.isNull(r)) {
            anyNull = true;
          } else {
            min = Math.min(min, heap.getLong(r));
            max = Math.max(max, heap.getLong(r));
          }
        }
        long[] expected = {min, max, anyNull ? 1 : 0};
        assertArrayEquals(expected, kinds.get(1).get(column).longBounds(), "sealed, column " + column);
        assertArrayEquals(expected, kinds.get(3).get(column).longBounds(), "warm, column " + column);
      }
    }
  }

  @Test
  void nullSelections() {
    for (int column = 0; column < SCHEMA.size(); column++) {
      for (int rows : new int[] {300, 0}) {
        ColumnReader c0 = readers(rows, rows * 31L + column).get(0).get(column);
        for (boolean wantNull : new boolean[] {true, false}) {
          check(column, (c, sel, m) -> c.selectNulls(sel, m, wantNull), row -> c0.isNull(row) == wantNull,
              rows, SCHEMA.column(column).name() + (wantNull ? " IS NULL" : " IS NOT NULL"));
        }
      }
    }
  }

  /**
   * Conditions on a dictionary-coded column, judged per value, over a selection and over every row
   * of the part: many values (every row's code is tested), one or two values or none (selective
   * over the whole part: the part's postings answer, built on first use and used again), each
   * with and without the NULL rows.
   */
  @Test
  void dictionaryCodesOfSealedAndWarmParts() {
    for (int rows : new int[] {400, 1}) {
      List<List<ColumnReader>> kinds = readers(rows, rows * 31L + 5);
      for (ColumnReader coded : List.of(kinds.get(1).get(5), kinds.get(3).get(5))) {
        String[] dict = coded.dictionary();
        List<java.util.function.Predicate<String>> conditions = List.of(v -> v.compareTo("h3") >= 0,
            v -> v.equals(dict[dict.length - 1]), v -> v.equals(dict[0]) || v.equals(dict[dict.length / 2]), v -> false);
        for (java.util.function.Predicate<String> condition : conditions) {
          for (boolean acceptNull : new boolean[] {true, false}) {
            boolean[] accepted = new boolean[dict.length];
            for (int code = 0; code < dict.length; code++) {
              accepted[code] = condition.test(dict[code]);
            }
            IntPredicate want = row -> coded.isNull(row) ? acceptNull : condition.test((String) coded.get(row));
            for (int round = 0; round < 2; round++) { // the second time the postings are built
              int[] all = java.util.stream.IntStream.range(0, rows).filter(want).toArray();
              int[] into = new int[rows];
              assertArrayEquals(all, Arrays.copyOf(into, coded.selectCodesAll(into, accepted, acceptNull)),
                  "every row of " + coded.getClass().getSimpleName() + ", acceptNull " + acceptNull);
              into = new int[rows];
              assertArrayEquals(all, Arrays.copyOf(into, rowByRow(coded).selectCodesAll(into, accepted, acceptNull)));
              for (int[] start : selections(rows)) {
                int[] expected = Arrays.stream(start).filter(want).toArray();
                int[] sel = start.clone();
                assertArrayEquals(expected, Arrays.copyOf(sel, coded.selectCodes(sel, sel.length, accepted, acceptNull)),
                    coded.getClass().getSimpleName() + ", acceptNull " + acceptNull);
                sel = start.clone(); // the row-by-row default gives the same
                assertArrayEquals(expected,
                    Arrays.copyOf(sel, rowByRow(coded).selectCodes(sel, sel.length, accepted, acceptNull)));
              }
            }
          }
        }
      }
    }
  }

  @Test
  void warmTextIsDictionaryCodedUnlessMostlyDistinct() {
    ColumnReader tags = readers(300, 1).get(3).get(5);
    assertEquals("DictionaryColumn", tags.getClass().getSimpleName());
    assertEquals(7, tags.dictionary().length);
    ColumnBatch b = new ColumnBatch(new TableSchema(List.of(Column.of("body", ColumnType.VARCHAR))), 300);
    for (int i = 0; i < 300; i++) {
      b.appendRow(new Object[] {"line " + i});
    }
    ColumnReader bodies = b.column(0).view();
    assertEquals(bodies, DictionaryColumn.encode(bodies), "distinct values stay as they are");
  }
}

package io.lumadb.storage;

import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/**
 * The rows of each value of a dictionary-coded text column of an immutable part (a sealed hot
 * segment, a decoded warm row group): a per-part inverted index, as column stores keep one per
 * segment. A selective condition on the column over the whole part ({@code hostname = 'h'})
 * then copies the rows of the accepted values instead of testing every row's code. Built the
 * first time such a condition meets the part; 4 bytes per row.
 */
final class CodePostings {
  /** A condition accepting more than this share of a part's rows reads the codes row by row. */
  private static final int SELECTIVE_DIVISOR = 8;

  /** An immutable part's postings of one column, built the first time they are asked for. */
  static final class Lazy {
    private volatile CodePostings built;

    /**
     * {@link CodePostings#select} over the part's {@code rowCount} rows, building the postings
     * with {@code codeOf} first if need be; -1 when they do not answer (nothing written).
     */
    int select(int rowCount, int dictionarySize, IntUnaryOperator codeOf, int[] sel, boolean[] accepted,
        boolean acceptNull) {
      if (rowCount == 0) {
        return -1;
      }
      CodePostings p = built;
      if (p == null) {
        p = build(rowCount, dictionarySize, codeOf);
        built = p; // a race builds it twice, harmlessly
      }
      return p.select(sel, accepted, acceptNull);
    }
  }

  /** The rows of code c are rows[start[c] .. start[c + 1]), ascending; NULL rows are the last code. */
  private final int[] start;
  private final int[] rows;

  private CodePostings(int[] start, int[] rows) {
    this.start = start;
    this.rows = rows;
  }

  /** @param codeOf a row's code, or -1 for NULL */
  static CodePostings build(int rowCount, int dictionarySize, IntUnaryOperator codeOf) {
    int nullSlot = dictionarySize;
    int[] start = new int[dictionarySize + 2];
    int[] code = new int[rowCount];
    for (int r = 0; r < rowCount; r++) {
      int c = codeOf.applyAsInt(r);
      code[r] = c < 0 ? nullSlot : c;
      start[code[r] + 1]++;
    }
    for (int c = 0; c <= nullSlot; c++) {
      start[c + 1] += start[c];
    }
    int[] fill = Arrays.copyOf(start, nullSlot + 1);
    int[] rows = new int[rowCount];
    for (int r = 0; r < rowCount; r++) {
      rows[fill[code[r]]++] = r;
    }
    return new CodePostings(start, rows);
  }

  /** Heap bytes this holds. */
  static long heapBytes(int rowCount, int dictionarySize) {
    return 4L * rowCount + 4L * (dictionarySize + 2);
  }

  /**
   * The rows of every accepted code (and the NULL rows if {@code acceptNull}) into {@code sel},
   * ascending, and how many; -1 (nothing written) when they are more than an eighth of the part,
   * where testing each row's code is as fast.
   */
  int select(int[] sel, boolean[] accepted, boolean acceptNull) {
    int nullSlot = start.length - 2;
    long total = 0;
    int codes = 0;
    for (int c = 0; c <= nullSlot; c++) {
      if (c == nullSlot ? acceptNull : accepted[c]) {
        total += start[c + 1] - start[c];
        codes++;
      }
    }
    if (total > rows.length / SELECTIVE_DIVISOR) {
      return -1;
    }
    if (total == 0) {
      return 0;
    }
    if (codes == 1) { // one value's rows, already in order
      for (int c = 0; c <= nullSlot; c++) {
        if (c == nullSlot ? acceptNull : accepted[c]) {
          System.arraycopy(rows, start[c], sel, 0, start[c + 1] - start[c]);
        }
      }
      return (int) total;
    }
    // several values: their rows marked in a bitmap of the part, read back in order (a sort
    // of the rows would cost more than testing every row's code)
    long[] marks = new long[(rows.length + 63) >>> 6];
    for (int c = 0; c <= nullSlot; c++) {
      if (c == nullSlot ? acceptNull : accepted[c]) {
        for (int i = start[c]; i < start[c + 1]; i++) {
          int r = rows[i];
          marks[r >>> 6] |= 1L << r;
        }
      }
    }
    int k = 0;
    for (int w = 0; w < marks.length; w++) {
      for (long bits = marks[w]; bits != 0; bits &= bits - 1) {
        sel[k++] = (w << 6) + Long.numberOfTrailingZeros(bits);
      }
    }
    return k;
  }
}

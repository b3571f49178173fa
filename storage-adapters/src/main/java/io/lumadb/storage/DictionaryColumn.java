package io.lumadb.storage;

/**
 * A text column held as a code per row into its distinct values, like a sealed segment's Arrow
 * dictionary but on the heap: what a warm (Parquet) row group's text column becomes once
 * decoded, so that filters judge each distinct value once ({@link #selectCodes}) and GROUP BY
 * keys come without a hash of the string per row, on warm data as on hot.
 */
final class DictionaryColumn implements ColumnReader {
  private final int[] codes;
  private final String[] dictionary;
  private final long[] nulls;
  private final int rowCount;
  /** The rows of each code, built when a condition on the column first meets all the rows. */
  private final CodePostings.Lazy postings = new CodePostings.Lazy();

  private DictionaryColumn(int[] codes, String[] dictionary, long[] nulls, int rowCount) {
    this.codes = codes;
    this.dictionary = dictionary;
    this.nulls = nulls;
    this.rowCount = rowCount;
  }

  /**
   * {@code r} (a text column) dictionary-coded, or {@code r} itself when its values are
   * (nearly) all distinct (log bodies, ids), where a dictionary saves nothing.
   */
  static ColumnReader encode(ColumnReader r) {
    int n = r.rowCount();
    if (r.dictionary() != null || StringCodes.mostlyDistinct(r, null, n)) {
      return r;
    }
    StringCodes strings = new StringCodes();
    int[] codes = new int[n];
    long[] nulls = new long[(n + 63) >>> 6];
    for (int i = 0; i < n; i++) {
      if (r.isNull(i)) {
        nulls[i >>> 6] |= 1L << i;
      } else {
        codes[i] = strings.code((String) r.get(i));
      }
    }
    return new DictionaryColumn(codes, strings.values().toArray(new String[0]), nulls, n);
  }

  /** Heap bytes held, roughly (the warm column cache's accounting). */
  long heapBytes() {
    long n = (long) codes.length * 4 + (long) nulls.length * 8 + (long) dictionary.length * 8
        + CodePostings.heapBytes(rowCount, dictionary.length); // counted before they are built
    for (String s : dictionary) {
      n += 40 + s.length();
    }
    return n;
  }

  @Override
  public int rowCount() {
    return rowCount;
  }

  @Override
  public boolean isNull(int row) {
    return (nulls[row >>> 6] & (1L << row)) != 0;
  }

  @Override
  public Object get(int row) {
    return isNull(row) ? null : dictionary[codes[row]];
  }

  @Override
  public long getLong(int row) {
    throw new IllegalStateException("text is not held as a long");
  }

  @Override
  public double getDouble(int row) {
    throw new IllegalStateException("text is not held as a double");
  }

  @Override
  public String[] dictionary() {
    return dictionary;
  }

  @Override
  public int code(int row) {
    return codes[row];
  }

  @Override
  public boolean mayHaveNulls() {
    for (long w : nulls) {
      if (w != 0) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void gatherCodes(int[] sel, int m, int[] out) {
    for (int i = 0; i < m; i++) {
      int r = sel[i];
      out[i] = (nulls[r >>> 6] & (1L << r)) != 0 ? -1 : codes[r];
    }
  }

  @Override
  public int selectCodesAll(int[] sel, boolean[] accepted, boolean acceptNull) {
    int k = postings.select(rowCount, dictionary.length, r -> isNull(r) ? -1 : codes[r], sel, accepted, acceptNull);
    return k >= 0 ? k : ColumnReader.super.selectCodesAll(sel, accepted, acceptNull);
  }

  @Override
  public int selectCodes(int[] sel, int m, boolean[] accepted, boolean acceptNull) {
    int k = 0;
    for (int i = 0; i < m; i++) {
      int r = sel[i];
      sel[k] = r;
      k += ((nulls[r >>> 6] & (1L << r)) != 0 ? acceptNull : accepted[codes[r]]) ? 1 : 0;
    }
    return k;
  }
}

package io.lumadb.storage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * Codes 0, 1, 2, ... for the distinct strings of a column, in the order they first appear:
 * the dictionary of a WAL record, of an Arrow vector, or of a sort by rank. Tag values come in
 * runs of one String instance, so a run is looked up once.
 */
public final class StringCodes {
  private final HashMap<String, Integer> codes = new HashMap<>();
  private final List<String> values = new ArrayList<>();
  private String last;
  private int lastCode = -1;

  /** The code of {@code v} (not null), given a new one the first time it is seen. */
  public int code(String v) {
    if (v != last) {
      Integer code = codes.get(v);
      if (code == null) {
        code = values.size();
        codes.put(v, code);
        values.add(v);
      }
      last = v;
      lastCode = code;
    }
    return lastCode;
  }

  /** Rows {@link #mostlyDistinct} looks at, and how many of the non-null ones must differ. */
  private static final int SAMPLE = 256;
  private static final int DISTINCT_IN_SAMPLE = 240;

  /**
   * Whether the text column {@code r} (rows {@code order[0..n)}, or {@code 0..n} when order is
   * null) is (nearly) all distinct values, like log bodies, ids or JSON, so that a dictionary
   * would cost a hash per value and save nothing: by its dictionary when it has one (more
   * distinct values than half the rows), else by 256 rows spread over the column (more than 15
   * in 16 of the non-null ones distinct, and at least 128 of them). Tags with up to a few
   * hundred values, even in cyclic order, stay under that; columns shorter than 128 rows never
   * count as distinct.
   */
  public static boolean mostlyDistinct(ColumnReader r, int[] order, int n) {
    String[] dict = r.dictionary();
    if (dict != null) {
      return n >= 128 && dict.length > n / 2;
    }
    StringCodes codes = new StringCodes();
    int sampled = 0;
    int step = Math.max(1, n / SAMPLE);
    for (int i = 0; i < n && sampled < SAMPLE; i += step) {
      int row = order == null ? i : order[i];
      if (!r.isNull(row)) {
        codes.code((String) r.get(row));
        sampled++;
      }
    }
    return sampled >= SAMPLE / 2 && codes.values.size() * SAMPLE > DISTINCT_IN_SAMPLE * sampled;
  }

  /** The distinct strings, the one with code i at i. */
  public List<String> values() {
    return values;
  }
}

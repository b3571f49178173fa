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

  /** The distinct strings, the one with code i at i. */
  public List<String> values() {
    return values;
  }
}

package io.lumadb.storage;

import java.util.Map;
import java.util.Set;

/**
 * What a scan needs, so storage can skip what it does not: the columns to read (table column
 * positions), an inclusive range on the table's time column (epoch millis, null = open), and
 * tag filters (column position to the values allowed; rows whose tag is NULL or another value
 * may be skipped), and full-text terms (column position to terms that must all occur, answered
 * from inverted indexes where a file has one). Storage prunes segments, files, row groups and
 * rows with these; it may still
 * return rows outside them, so the caller keeps its filter.
 */
public record ScanSpec(int[] columns, Long minTime, Long maxTime, Map<Integer, Set<String>> tagIn,
    Map<Integer, java.util.List<String>> textAll) {
  public ScanSpec {
    tagIn = tagIn == null ? Map.of() : Map.copyOf(tagIn);
    textAll = textAll == null ? Map.of() : Map.copyOf(textAll);
  }

  public ScanSpec(int[] columns, Long minTime, Long maxTime, Map<Integer, Set<String>> tagIn) {
    this(columns, minTime, maxTime, tagIn, Map.of());
  }

  public static ScanSpec all(TableSchema schema) {
    int[] cols = new int[schema.size()];
    for (int i = 0; i < cols.length; i++) {
      cols[i] = i;
    }
    return new ScanSpec(cols, null, null, Map.of(), Map.of());
  }

  boolean timeOverlaps(Long min, Long max) {
    if (min == null || max == null) {
      return true;
    }
    return (maxTime == null || min <= maxTime) && (minTime == null || max >= minTime);
  }
}

package io.lumadb.storage;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Table options from {@code CREATE TABLE ... WITH (ttl = '30d', timestamp = 'ts')}, kept in the
 * catalog as {@code key=value} pairs separated by commas.
 *
 * @param ttl rows older than this (by the time column) are dropped by retention; null = keep
 * @param timeColumn the designated time column; null = the first TIMESTAMP or TIMESTAMPTZ column
 * @param indexed text columns with a full-text (inverted) index, from {@code index = 'body'}
 * @param sortBy the columns warm files are sorted by before time, from
 *     {@code sort = 'service_name severity_text'}; empty = every text column in schema order
 *     (tags). Tables of high-cardinality text (log bodies, ids) name their low-cardinality
 *     columns here, so flush and compaction do not rank every unique body.
 */
public record TableOptions(Duration ttl, String timeColumn, java.util.List<String> indexed,
    java.util.List<String> sortBy) {
  public static final TableOptions NONE = new TableOptions(null, null, java.util.List.of(), java.util.List.of());

  public TableOptions {
    indexed = indexed == null ? java.util.List.of() : java.util.List.copyOf(indexed);
    sortBy = sortBy == null ? java.util.List.of() : java.util.List.copyOf(sortBy);
  }

  public TableOptions(Duration ttl, String timeColumn, java.util.List<String> indexed) {
    this(ttl, timeColumn, indexed, java.util.List.of());
  }

  public static TableOptions parse(String text) {
    Duration ttl = null;
    String time = null;
    java.util.List<String> indexed = java.util.List.of();
    java.util.List<String> sortBy = java.util.List.of();
    if (text == null || text.isBlank()) {
      return NONE;
    }
    for (String pair : text.split(",")) {
      int eq = pair.indexOf('=');
      if (eq < 0) {
        throw new StorageException("table option \"" + pair + "\" needs a value");
      }
      String key = pair.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = pair.substring(eq + 1).trim();
      switch (key) {
        case "ttl" -> ttl = parseDuration(value);
        case "timestamp" -> time = value;
        case "index" -> indexed = names(value);
        case "sort" -> sortBy = names(value);
        default -> throw new StorageException("unrecognized table option \"" + key + "\"");
      }
    }
    return new TableOptions(ttl, time, indexed, sortBy);
  }

  /** Column names separated by spaces or '+' (a comma separates options). */
  private static java.util.List<String> names(String value) {
    return java.util.Arrays.stream(value.split("[\\s+]+")).filter(v -> !v.isEmpty()).toList();
  }

  /** "30d", "12h", "15m", "90s", "2w", "100ms" (or a whole number of seconds). */
  public static Duration parseDuration(String s) {
    String v = s.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.matches("\\d+")) {
        return Duration.ofSeconds(Long.parseLong(v));
      }
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1).trim());
      return switch (v.charAt(v.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        case 'w' -> Duration.ofDays(7 * n);
        default -> throw new NumberFormatException(v);
      };
    } catch (RuntimeException e) {
      throw new StorageException("invalid duration \"" + s + "\": use a number with ms, s, m, h, d or w, like '30d'");
    }
  }

  /** Checks that indexed columns are text columns of the schema. */
  public void checkIndexed(TableSchema schema) {
    for (String c : indexed) {
      int i = schema.indexOf(c);
      if (i < 0 || schema.column(i).type() != ColumnType.VARCHAR) {
        throw new StorageException("indexed column \"" + c + "\" must be a text column of the table");
      }
    }
  }

  /** Checks that sort columns are text columns of the schema. */
  public void checkSortBy(TableSchema schema) {
    for (String c : sortBy) {
      int i = schema.indexOf(c);
      if (i < 0 || schema.column(i).type() != ColumnType.VARCHAR) {
        throw new StorageException("sort column \"" + c + "\" must be a text column of the table");
      }
    }
  }

  /**
   * Positions in {@code schema} of the columns warm files are sorted by (before time): the
   * {@code sort} columns that exist, else every text column.
   */
  public int[] sortColumnsIn(TableSchema schema) {
    java.util.List<Integer> cols = new java.util.ArrayList<>();
    if (sortBy.isEmpty()) {
      for (int i = 0; i < schema.size(); i++) {
        if (schema.column(i).type() == ColumnType.VARCHAR) {
          cols.add(i);
        }
      }
    } else {
      for (String name : sortBy) {
        int i = schema.indexOf(name);
        if (i >= 0 && schema.column(i).type() == ColumnType.VARCHAR) {
          cols.add(i);
        }
      }
    }
    return cols.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Position of the time column in {@code schema}, or -1 if the table has none. */
  public int timeColumnIn(TableSchema schema) {
    if (timeColumn != null) {
      int i = schema.indexOf(timeColumn);
      if (i < 0 || !schema.column(i).type().isTimestamp()) {
        throw new StorageException("time column \"" + timeColumn
            + "\" must be a TIMESTAMP or TIMESTAMPTZ column of the table");
      }
      return i;
    }
    for (int i = 0; i < schema.size(); i++) {
      if (schema.column(i).type().isTimestamp()) {
        return i;
      }
    }
    return -1;
  }

  public String format() {
    Map<String, String> m = new LinkedHashMap<>();
    if (ttl != null) {
      m.put("ttl", ttl.toSeconds() + "");
    }
    if (timeColumn != null) {
      m.put("timestamp", timeColumn);
    }
    if (!indexed.isEmpty()) {
      m.put("index", String.join(" ", indexed));
    }
    if (!sortBy.isEmpty()) {
      m.put("sort", String.join(" ", sortBy));
    }
    StringBuilder b = new StringBuilder();
    m.forEach((k, v) -> b.append(b.length() == 0 ? "" : ",").append(k).append('=').append(v));
    return b.toString();
  }
}

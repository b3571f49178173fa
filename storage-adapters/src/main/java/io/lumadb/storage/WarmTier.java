package io.lumadb.storage;

import io.lumadb.storage.catalog.CatalogCheckpoint;
import io.lumadb.storage.warm.ParquetWarmWriter;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes a table's rows to Parquet under {@code warm/<schema>/<table>/date=YYYY-MM-DD/}, one
 * file per day of the table's time column (tables without one get no date directory), each
 * sorted by the tag (string) columns and then time.
 */
final class WarmTier {
  static final String NO_PARTITION = "";
  private final Path dataDir;
  private final WarmColumnCache cache;

  WarmTier(Path dataDir, WarmColumnCache cache) {
    this.dataDir = dataDir;
    this.cache = cache;
  }

  Path tableDir(TableId id) {
    return dataDir.resolve("warm").resolve(encode(id.schema())).resolve(encode(id.name()));
  }

  private static String encode(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8);
  }

  /**
   * Writes rows of {@code columns} (table schema {@code schema}) to files, one per partition,
   * sorted by the options' sort columns and time, with the options' full-text indexes.
   */
  List<WarmFileRef> write(TableId id, TableSchema schema, int timeColumn, List<ColumnReader> columns,
      int rowCount, TableOptions options) throws IOException {
    List<String> indexed = options.indexed();
    ColumnReader time = timeColumn >= 0 ? columns.get(timeColumn) : null;
    // Rows in file order (tags, then time), then cut into runs of one partition each: the
    // partition of a row depends on its time only, so a stable split keeps each run sorted.
    int[] sorted = sortOrder(options.sortColumnsIn(schema), timeColumn, columns, rowCount);
    Map<String, int[]> partitions = new TreeMap<>();
    {
      String[] rowPartition = new String[rowCount];
      Map<String, int[]> counts = new TreeMap<>();
      long lastDay = Long.MIN_VALUE;
      String lastName = null;
      for (int r = 0; r < rowCount; r++) {
        String p = NO_PARTITION;
        if (time != null && !time.isNull(r)) {
          long day = Math.floorDiv(time.getLong(r), 86_400_000L);
          if (day != lastDay || lastName == null) {
            lastDay = day;
            lastName = "date=" + LocalDate.ofEpochDay(day);
          }
          p = lastName;
        } else if (time != null) {
          p = "date=unknown";
        }
        rowPartition[r] = p;
        counts.computeIfAbsent(p, k -> new int[1])[0]++;
      }
      Map<String, int[]> fill = new java.util.HashMap<>();
      for (var e : counts.entrySet()) {
        int[] rows = new int[e.getValue()[0]];
        partitions.put(e.getKey(), rows);
        fill.put(e.getKey(), new int[1]);
      }
      if (partitions.size() == 1) {
        partitions.put(partitions.keySet().iterator().next(), sorted);
      } else {
        for (int r : sorted) {
          String p = rowPartition[r];
          partitions.get(p)[fill.get(p)[0]++] = r;
        }
      }
    }
    List<WarmFileRef> out = new ArrayList<>();
    for (var e : partitions.entrySet()) {
      int[] idx = e.getValue();
      Path dir = e.getKey().isEmpty() ? tableDir(id) : tableDir(id).resolve(e.getKey());
      Path file = dir.resolve(UUID.randomUUID() + ".parquet");
      Files.createDirectories(dir);
      // Indexes first: a file the catalog lists always has its indexes beside it.
      for (String column : indexed) {
        int c = schema.indexOf(column);
        if (c < 0) {
          continue;
        }
        io.lumadb.storage.index.InvertedIndex index = new io.lumadb.storage.index.InvertedIndex();
        ColumnReader text = columns.get(c);
        for (int i = 0; i < idx.length; i++) {
          index.addDocument(i, (String) text.get(idx[i]));
        }
        index.save(WarmFileRef.indexPath(file, column));
      }
      long bytes = ParquetWarmWriter.write(file, schema, columns, idx);
      Long min = null;
      Long max = null;
      if (time != null) {
        for (int r : idx) {
          if (!time.isNull(r)) {
            long v = time.getLong(r);
            min = min == null ? v : Math.min(min, v);
            max = max == null ? v : Math.max(max, v);
          }
        }
      }
      CatalogCheckpoint.WarmFile meta = new CatalogCheckpoint.WarmFile(
          dataDir.relativize(file).toString(), e.getKey(), idx.length, bytes, min, max,
          WarmFileRef.columnEntries(schema));
      out.add(new WarmFileRef(meta, dataDir, cache));
    }
    return out;
  }

  /**
   * Row numbers in file order: by the tag (string) columns in schema order (String order,
   * NULL last), then by time (NULL last), ties in row order. Each tag value is ranked once
   * (its rank in the sorted distinct values), the ranks of all tag columns are folded into one
   * dense group number per row, and rows are bucketed by group and sorted by time within a
   * group only when a group's times are out of order.
   */
  static int[] sortOrder(TableSchema schema, int timeColumn, List<ColumnReader> cols, int rowCount) {
    return sortOrder(TableOptions.NONE.sortColumnsIn(schema), timeColumn, cols, rowCount);
  }

  /** As above, by the text columns {@code sortColumns} (positions, in that order), then time. */
  static int[] sortOrder(int[] sortColumns, int timeColumn, List<ColumnReader> cols, int rowCount) {
    int n = rowCount;
    long[] group = new long[n];
    long groups = 1; // group[r] < groups
    for (int c : sortColumns) {
      int[] rank = new int[n];
      int distinct = rankStrings(cols.get(c), n, rank); // NULL = distinct
      long width = distinct + 1L;
      if (groups > Long.MAX_VALUE / width) {
        groups = densify(group);
      }
      for (int r = 0; r < n; r++) {
        group[r] = group[r] * width + rank[r];
      }
      groups *= width;
    }
    int groupCount = (int) Math.min(groups, Integer.MAX_VALUE);
    if (groups > n) {
      groupCount = (int) densify(group);
    }
    // Counting sort by group: stable, so rows of a group stay in row order.
    int[] start = new int[groupCount + 1];
    for (int r = 0; r < n; r++) {
      start[(int) group[r] + 1]++;
    }
    for (int g = 0; g < groupCount; g++) {
      start[g + 1] += start[g];
    }
    int[] order = new int[n];
    int[] next = java.util.Arrays.copyOf(start, groupCount);
    for (int r = 0; r < n; r++) {
      order[next[(int) group[r]]++] = r;
    }
    if (timeColumn >= 0) {
      ColumnReader t = cols.get(timeColumn);
      long[] times = new long[n];
      for (int r = 0; r < n; r++) {
        times[r] = t.isNull(r) ? Long.MAX_VALUE : t.getLong(r);
      }
      int[] tmp = null;
      for (int g = 0; g < groupCount; g++) {
        int from = start[g];
        int to = start[g + 1];
        boolean ordered = true;
        for (int i = from + 1; i < to && ordered; i++) {
          ordered = times[order[i - 1]] <= times[order[i]];
        }
        if (!ordered) {
          if (tmp == null) {
            tmp = new int[n];
          }
          mergeSort(order, tmp, from, to, times);
        }
      }
    }
    return order;
  }

  /** Stable merge sort of {@code a[from, to)} by {@code key[a[i]]}. */
  private static void mergeSort(int[] a, int[] tmp, int from, int to, long[] key) {
    if (to - from <= 16) {
      for (int i = from + 1; i < to; i++) {
        int v = a[i];
        long k = key[v];
        int j = i - 1;
        while (j >= from && key[a[j]] > k) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = v;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(a, tmp, from, mid, key);
    mergeSort(a, tmp, mid, to, key);
    if (key[a[mid - 1]] <= key[a[mid]]) {
      return;
    }
    System.arraycopy(a, from, tmp, from, to - from);
    int i = from;
    int j = mid;
    for (int k = from; k < to; k++) {
      if (j >= to || (i < mid && key[tmp[i]] <= key[tmp[j]])) {
        a[k] = tmp[i++];
      } else {
        a[k] = tmp[j++];
      }
    }
  }

  /**
   * Ranks of a string column's values in String order: {@code rank[r]} in [0, distinct), NULL
   * ranked {@code distinct} (last). Returns the number of distinct non-null values.
   */
  private static int rankStrings(ColumnReader r, int n, int[] rank) {
    String[] dict = r.dictionary();
    if (dict != null) {
      int[] rankOf = ranks(java.util.Arrays.asList(dict));
      for (int i = 0; i < n; i++) {
        rank[i] = r.isNull(i) ? dict.length : rankOf[r.code(i)];
      }
      return dict.length;
    }
    StringCodes codes = new StringCodes();
    for (int i = 0; i < n; i++) {
      rank[i] = r.isNull(i) ? -1 : codes.code((String) r.get(i));
    }
    List<String> distinct = codes.values();
    int d = distinct.size();
    int[] rankOf = ranks(distinct);
    for (int i = 0; i < n; i++) {
      rank[i] = rank[i] < 0 ? d : rankOf[rank[i]];
    }
    return d;
  }

  /** The rank of each of {@code values} (distinct) in String order. */
  private static int[] ranks(List<String> values) {
    int d = values.size();
    Integer[] byValue = new Integer[d];
    for (int i = 0; i < d; i++) {
      byValue[i] = i;
    }
    java.util.Arrays.sort(byValue, (a, b) -> values.get(a).compareTo(values.get(b)));
    int[] rankOf = new int[d];
    for (int i = 0; i < d; i++) {
      rankOf[byValue[i]] = i;
    }
    return rankOf;
  }

  /** Renumbers group keys densely (0..k), keeping their order; returns k. */
  private static long densify(long[] group) {
    long[] keys = group.clone();
    java.util.Arrays.sort(keys);
    int k = 0;
    for (int i = 0; i < keys.length; i++) {
      if (i == 0 || keys[i] != keys[i - 1]) {
        keys[k++] = keys[i];
      }
    }
    for (int i = 0; i < group.length; i++) {
      group[i] = java.util.Arrays.binarySearch(keys, 0, k, group[i]);
    }
    return k;
  }

  /** Deletes Parquet files under warm/ that the catalog does not list (left by a crash). */
  int removeOrphans(Set<Path> known) throws IOException {
    Path warm = dataDir.resolve("warm");
    if (!Files.exists(warm)) {
      return 0;
    }
    int removed = 0;
    try (Stream<Path> files = Files.walk(warm)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        String n = p.getFileName().toString();
        boolean data = n.endsWith(".parquet") || n.endsWith(".idx");
        if ((data && !known.contains(p.toAbsolutePath().normalize())) || n.endsWith(".tmp")) {
          Files.delete(p);
          removed++;
        }
      }
    }
    return removed;
  }
}
